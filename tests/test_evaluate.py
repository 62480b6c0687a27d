"""finnews evaluate: gold scores 1.0, hand-counted figures, the same numbers from the CLI, from
Python and from a release folder, identical figures to nervaluate / seqeval / scikit-learn, and
every invalid-predictions rule."""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import pyarrow as pa
import pytest
from datasets import ClassLabel, Features, List, Value

from finnews.benchmark.baselines import baseline
from finnews.benchmark.counts import ner_counts, numeric_counts
from finnews.benchmark.evaluate import RATES, evaluate, format_table, score
from finnews.benchmark.predictions import TASKS, read_predictions
from finnews.benchmark.reference import SPLITS, Reference
from finnews.cli import main
from finnews.commands import evaluate as evaluate_command
from finnews.data.jsonl import dumps
from finnews.data.schema import closed_set
from finnews.errors import DataError, UsageError

TESTS = Path(__file__).parent
MINI = TESTS / "fixtures" / "mini"
PREDICTIONS = TESTS / "fixtures" / "predictions"
CHECKOUT = TESTS.parent


def rates(result: dict) -> dict[tuple[str, str], dict]:
    return {(g, k): v for g, values in result["metrics"].items() for k, v in values.items() if k in RATES}


def counts(result: dict, group: str) -> dict[str, int]:
    return {k: v for k, v in result["metrics"][group].items() if k not in RATES}


def value(result: dict, group: str, rate: str) -> float | None:
    return result["metrics"][group][rate]["value"]


def write_lines(path: Path, lines: list[dict]) -> Path:
    path.write_text("".join(dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------
# The gold scores exactly 1.0


HEADLINES = {
    "ner": [("strict", "f1"), ("semeval_partial", "f1"), ("semeval_ent_type", "f1")],
    "numeric_facts": [("mention_exact", "f1"), ("attributes", "value_accuracy"), ("full_fact", "f1")],
    "stance": [("sentence_label", "accuracy"), ("sentence_label", "macro_f1"), ("targeted", "f1")],
}


def assert_perfect(result: dict, task: str) -> None:
    for group, rate in HEADLINES[task]:
        assert value(result, group, rate) == 1.0, (group, rate)
    for (group, rate), figure in rates(result).items():
        if figure["value"] is not None:
            assert figure["value"] == 1.0, (group, rate, figure)
            assert figure["ci"] == [1.0, 1.0], (group, rate, figure)


@pytest.mark.parametrize("task", TASKS)
def test_gold_scores_one_on_the_fixture(task, tmp_path):
    path = write_lines(tmp_path / f"{task}.jsonl", baseline("gold", task, "test", root=MINI))
    assert_perfect(evaluate(task, path, split="test", root=MINI, bootstrap=100), task)


@pytest.mark.parametrize("split", ["validation", "test"])
@pytest.mark.parametrize("task", TASKS)
def test_gold_scores_one_on_the_corpus(task, split, tmp_path):
    path = write_lines(tmp_path / f"{task}.jsonl", baseline("gold", task, split, root=CHECKOUT))
    result = evaluate(task, path, split=split, root=CHECKOUT, bootstrap=50)
    assert result["sentences"] == result["sentences_predicted"] > 0
    assert_perfect(result, task)


# ------------------------------------------------------------------------------------------------
# Hand-counted figures (tests/fixtures/predictions/*.jsonl against tests/fixtures/mini)


def test_ner_hand_counted():
    r = evaluate("ner", PREDICTIONS / "ner.jsonl", root=MINI, bootstrap=0)
    # gold: 腾讯 COMPANY (s000), 腾讯控股 COMPANY (s002), 港股 MARKET (s003)
    # predicted: 腾讯 ORG, 王五 PER, 腾讯控 COMPANY, 港元 MARKET, 港股 MARKET
    assert counts(r, "strict") == {"tp": 1, "pred": 5, "gold": 3}
    assert value(r, "strict", "precision") == pytest.approx(1 / 5)
    assert value(r, "strict", "recall") == pytest.approx(1 / 3)
    assert value(r, "strict", "f1") == pytest.approx(2 * 1 / (2 * 1 + 4 + 2))
    assert counts(r, "type:COMPANY") == {"tp": 0, "pred": 1, "gold": 2}
    assert counts(r, "type:MARKET") == {"tp": 1, "pred": 2, "gold": 1}
    assert value(r, "type:MARKET", "f1") == pytest.approx(2 / 3)
    assert counts(r, "type:ORG") == {"tp": 0, "pred": 1, "gold": 0}  # predicted, but absent from the gold: n/a
    assert [value(r, "type:ORG", k) for k in ("precision", "recall", "f1")] == [None, None, None]
    assert counts(r, "type:PER") == {"tp": 0, "pred": 1, "gold": 0}
    assert counts(r, "type:GPE") == {"tp": 0, "pred": 0, "gold": 0} and value(r, "type:GPE", "f1") is None
    assert r["absent"] == ["PER", "ORG", "GPE", "LOC", "PRODUCT", "DOC"]  # every type without gold support
    assert "absent from the gold of these units: PER, ORG, GPE, LOC, PRODUCT, DOC (their figures are n/a)" in format_table(r)
    assert "support 1  predicted 2  correct 1" in format_table(r)  # type:MARKET

    semeval = {  # correct, incorrect, partial, missed, spurious
        "semeval_strict": (1, 2, 0, 0, 2),  # 腾讯 wrong type, 腾讯控 wrong span: incorrect
        "semeval_exact": (2, 1, 0, 0, 2),  # 腾讯 right span; 腾讯控 overlaps only
        "semeval_partial": (2, 0, 1, 0, 2),
        "semeval_ent_type": (2, 1, 0, 0, 2),  # 腾讯控 overlaps with the right type; 腾讯 has the wrong one
    }
    for group, (correct, incorrect, partial, missed, spurious) in semeval.items():
        assert counts(r, group) == {
            "correct": correct,
            "incorrect": incorrect,
            "partial": partial,
            "missed": missed,
            "spurious": spurious,
        }, group
        actual, possible = correct + incorrect + partial + spurious, correct + incorrect + partial + missed
        assert (actual, possible) == (5, 3)
        credit = correct + 0.5 * partial
        assert value(r, group, "precision") == pytest.approx(credit / 5)
        assert value(r, group, "recall") == pytest.approx(credit / 3)
        assert value(r, group, "f1") == pytest.approx(2 * (credit / 5) * (credit / 3) / (credit / 5 + credit / 3))
    assert r["sentences"] == 4 and r["sentences_predicted"] == 4


def test_numeric_facts_hand_counted():
    r = evaluate("numeric_facts", PREDICTIONS / "numeric_facts.jsonl", root=MINI, bootstrap=0)
    # gold: 2634.41亿港元 (s002). predicted: 新高 (s000, spurious); 2634.41亿港元 with value written as a
    # float, approx wrong, measured entity 腾讯 (overlaps 腾讯控股), property 回购; 41亿港元 (overlaps, but
    # the gold fact is already aligned with the exact span)
    for group in ("mention_exact", "mention_overlap", "full_fact"):
        assert counts(r, group) == {"tp": 1, "pred": 3, "gold": 1}, group
        assert value(r, group, "precision") == pytest.approx(1 / 3)
        assert value(r, group, "recall") == 1.0
        assert value(r, group, "f1") == pytest.approx(0.5)
    assert counts(r, "attributes") == {"matched": 1, "value": 1, "unit": 1, "kind": 1, "approx": 0}
    assert [value(r, "attributes", f"{k}_accuracy") for k in ("value", "unit", "kind", "approx")] == [1.0, 1.0, 1.0, 0.0]
    assert r["sentences_predicted"] == 2


def test_stance_hand_counted():
    r = evaluate("stance", PREDICTIONS / "stance.jsonl", root=MINI, bootstrap=0)
    # gold labels neutral, neutral, neutral, positive; predicted positive, (no line), neutral, positive
    assert counts(r, "sentence_label") == {"n": 4, "correct": 2}
    assert value(r, "sentence_label", "accuracy") == 0.5
    assert counts(r, "label:neutral") == {"tp": 1, "fp": 0, "fn": 2}
    assert counts(r, "label:positive") == {"tp": 1, "fp": 1, "fn": 0}
    assert counts(r, "label:negative") == {"tp": 0, "fp": 0, "fn": 0} and value(r, "label:negative", "f1") is None
    assert r["absent"] == ["negative"]  # a label without gold support is named like a type
    assert "absent from the gold of these units: negative (their figures are n/a)" in format_table(r)
    neutral_f1, positive_f1 = 2 / (2 + 0 + 2), 2 / (2 + 1 + 0)
    assert value(r, "label:neutral", "f1") == pytest.approx(neutral_f1)
    assert value(r, "label:positive", "f1") == pytest.approx(positive_f1)
    assert value(r, "sentence_label", "macro_f1") == pytest.approx((neutral_f1 + positive_f1) / 2)
    # views: 港股/positive matches the gold; 为港股/positive overlaps the same gold target, which is
    # taken; 腾讯控股/positive in s002 has no gold view
    assert counts(r, "targeted") == {"tp": 1, "pred": 3, "gold": 1}
    assert value(r, "targeted", "f1") == pytest.approx(0.5)
    assert r["sentences_predicted"] == 3


def test_full_fact_needs_every_part():
    gold = {
        "start": 8,
        "end": 18,
        "text": "2634.41亿港元",
        "value": 263441000000,
        "unit": "HKD",
        "kind": "money",
        "approx": "exact",
        "measured_entity": {"start": 0, "end": 4, "text": "腾讯控股"},
        "measured_property": {"start": 6, "end": 8, "text": "回购"},
    }

    def full(**changes) -> int:
        line = {"numeric_facts": [{**gold, **changes}]}
        return numeric_counts({"numeric_facts": [gold]}, line)["full_fact.tp"]

    assert full() == 1
    assert full(value=2.63441e11, approx="approx", kind="other") == 1  # approx and kind are not part of it
    assert full(measured_entity={"start": 2, "end": 3, "text": "控"}) == 1  # overlapping is enough
    assert full(start=9) == 0
    assert full(value=263440000000) == 0
    assert full(value=None) == 0
    assert full(unit="CNY") == 0
    assert full(measured_entity=None) == 0
    assert full(measured_entity={"start": 4, "end": 6, "text": "年内"}) == 0
    assert full(measured_property=None) == 0


def test_prediction_order_does_not_matter(tmp_path):
    lines = [json.loads(line) for line in (PREDICTIONS / "ner.jsonl").read_text(encoding="utf-8").splitlines()]
    shuffled = [{**line, "entities": line["entities"][::-1]} for line in reversed(lines)]
    a = evaluate("ner", PREDICTIONS / "ner.jsonl", root=MINI, bootstrap=100)
    b = evaluate("ner", write_lines(tmp_path / "ner.jsonl", shuffled), root=MINI, bootstrap=100)
    assert a["metrics"] == b["metrics"]


# ------------------------------------------------------------------------------------------------
# Bootstrap


def test_bootstrap_is_deterministic_and_brackets_the_figure():
    a = evaluate("ner", PREDICTIONS / "ner.jsonl", root=MINI, bootstrap=300)
    b = evaluate("ner", PREDICTIONS / "ner.jsonl", root=MINI, bootstrap=300)
    assert a == b
    assert a["bootstrap"]["resamples"] == 300
    low, high = a["metrics"]["semeval_partial"]["f1"]["ci"]
    assert 0 <= low < value(a, "semeval_partial", "f1") < high <= 1
    for figure in rates(a).values():
        if figure["ci"]:
            assert figure["ci"][0] <= figure["ci"][1]
    none = evaluate("ner", PREDICTIONS / "ner.jsonl", root=MINI, bootstrap=0)
    assert all(figure["ci"] is None for figure in rates(none).values())
    assert {k: v["value"] for k, v in rates(none).items()} == {k: v["value"] for k, v in rates(a).items()}


def test_resampling_groups_needs_two_groups(tmp_path):
    """The test split is one article group: every group resample would be the same (a zero-width interval)."""
    path = write_lines(tmp_path / "digits.jsonl", baseline("digits", "numeric_facts", "test", root=CHECKOUT))
    with pytest.raises(UsageError, match="--resample group needs units from 2 article groups or more.*--resample sentence"):
        evaluate("numeric_facts", path, root=CHECKOUT, bootstrap=20, resample="group")
    assert evaluate("numeric_facts", path, root=CHECKOUT, bootstrap=0, resample="group")["metrics"]  # no interval, no resample
    every = write_lines(tmp_path / "all.jsonl", baseline("digits", "numeric_facts", "all", root=CHECKOUT))
    result = evaluate("numeric_facts", every, root=CHECKOUT, bootstrap=50, resample="group", protocol="zero-shot")
    low, high = result["metrics"]["mention_exact"]["f1"]["ci"]
    assert result["bootstrap"]["unit"] == "group" and low < high


def test_no_prediction_at_all(tmp_path):
    nothing = write_lines(tmp_path / "nothing.jsonl", [{"sentence": f"mini-s00{i}", "entities": []} for i in range(4)])
    r = evaluate("ner", nothing, root=MINI, bootstrap=50)
    assert counts(r, "strict") == {"tp": 0, "pred": 0, "gold": 3}
    assert value(r, "strict", "precision") is None
    assert value(r, "strict", "recall") == 0.0 and value(r, "strict", "f1") == 0.0
    assert "precision" in format_table(r) and "n/a" in format_table(r)


def test_an_empty_predictions_file_is_an_error(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        evaluate("ner", empty, root=MINI, bootstrap=50)
    assert [(i.line, i.rule) for i in caught.value.incidents] == [(0, "predictions-empty")]


# ------------------------------------------------------------------------------------------------
# CLI and Python agree


def run_command(argv: list[str], capsys) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    evaluate_command.add_arguments(parser)
    code = evaluate_command.run(parser.parse_args(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("task", TASKS)
def test_cli_and_python_give_the_same_numbers(task, capsys, monkeypatch):
    monkeypatch.setenv("FINNEWS_ROOT", str(MINI))
    path = PREDICTIONS / f"{task}.jsonl"
    code, out, _ = run_command(["--task", task, "--predictions", str(path), "--format", "json", "--bootstrap", "200"], capsys)
    assert code == 0
    assert json.loads(out) == evaluate(task, path, root=MINI, bootstrap=200)
    code, out, _ = run_command(["--task", task, "--predictions", str(path), "--bootstrap", "200"], capsys)
    assert code == 0 and out.startswith(f"FinNews-ZH {task}, protocol heldout (test): 4 sentences")


def test_cli_reports_invalid_predictions(capsys, monkeypatch):
    monkeypatch.setenv("FINNEWS_ROOT", str(MINI))
    path = PREDICTIONS / "invalid_ner.jsonl"
    code = main(["evaluate", "--task", "ner", "--predictions", str(path)])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert any(
        line.startswith(f"{path}:4: unknown-sentence: no sentence 'mini-s999' in annotations under ") for line in err.splitlines()
    )


# ------------------------------------------------------------------------------------------------
# Invalid predictions


def test_every_invalid_predictions_rule():
    texts = {
        "mini-s000": "腾讯回购创新高",
        "mini-s001": "本报记者 王五",
        "mini-s002": "腾讯控股年内回购2634.41亿港元。",
        "mini-s003": "机构认为港股有望上行。",
    }
    with pytest.raises(DataError) as caught:
        read_predictions("ner", PREDICTIONS / "invalid_ner.jsonl", texts)
    found = [(i.line, i.rule) for i in caught.value.incidents]
    assert found == [
        (2, "json-syntax"),
        (3, "schema"),
        (4, "unknown-sentence"),
        (5, "duplicate-sentence"),
        (6, "quote-mismatch"),
        (7, "offset-range"),
    ]
    assert all(i.path == str(PREDICTIONS / "invalid_ner.jsonl") for i in caught.value.incidents)
    message = str(caught.value)
    assert "(unknown-sentence: A prediction names a sentence id" in message
    assert "FIRM" in message and "'港市'" in message and "6 problems found" in message


def test_secondary_spans_and_task_shapes_are_checked(tmp_path):
    texts = {"s-s000": "腾讯控股年内回购2634.41亿港元。"}
    fact = {
        "start": 8,
        "end": 18,
        "text": "2634.41亿港元",
        "value": 263441000000,
        "unit": "HKD",
        "kind": "money",
        "approx": "exact",
        "measured_entity": {"start": 0, "end": 2, "text": "腾讯控股"},
    }
    path = write_lines(tmp_path / "p.jsonl", [{"sentence": "s-s000", "numeric_facts": [fact]}])
    with pytest.raises(DataError) as caught:
        read_predictions("numeric_facts", path, texts)
    assert [(i.line, i.rule) for i in caught.value.incidents] == [(1, "quote-mismatch")]
    assert "numeric_facts[0].measured_entity" in caught.value.incidents[0].message
    with pytest.raises(DataError) as caught:  # a numeric-facts file given as NER predictions
        read_predictions("ner", path, texts)
    assert {i.rule for i in caught.value.incidents} == {"schema"}
    ok = write_lines(tmp_path / "ok.jsonl", [{"sentence": "s-s000", "numeric_facts": [{**fact, "measured_entity": None}]}])
    assert list(read_predictions("numeric_facts", ok, texts)) == ["s-s000"]


def test_predictions_for_other_units_are_refused_with_what_was_meant(tmp_path):
    validation = write_lines(tmp_path / "validation.jsonl", baseline("gold", "ner", "validation", root=CHECKOUT))
    with pytest.raises(DataError) as caught:  # validation predictions scored against the default test split
        evaluate("ner", validation, root=CHECKOUT, bootstrap=0)
    rules = {(i.line, i.rule) for i in caught.value.incidents}
    assert (0, "predictions-elsewhere") in rules and (1, "predictions-elsewhere") in rules
    assert "pass --split validation" in str(caught.value)
    assert evaluate("ner", validation, split="validation", root=CHECKOUT, bootstrap=0)["sentences_predicted"] == 20
    test = baseline("gold", "ner", "test", root=CHECKOUT)
    mixed = write_lines(tmp_path / "mixed.jsonl", test + baseline("gold", "ner", "validation", root=CHECKOUT)[:1])
    with pytest.raises(DataError, match=r"mixed.jsonl:27: predictions-elsewhere: .* \(split validation"):
        evaluate("ner", mixed, root=CHECKOUT, bootstrap=0)


def test_predictions_missing_a_whole_fold_or_group_are_refused(tmp_path):
    """Under cv and zero-shot, an article group scored without a single line is a wrong file, whether
    the files are one or several; a file without lines is predictions-empty however many are given."""
    split_files = {s: write_lines(tmp_path / f"{s}.jsonl", baseline("gold", "ner", s, root=CHECKOUT)) for s in SPLITS}
    with pytest.raises(UsageError, match="no prediction line for folds cq-hardtech, ai-compute: give one file per fold"):
        evaluate("ner", split_files["test"], protocol="cv", root=CHECKOUT, bootstrap=0)
    with pytest.raises(UsageError, match="no prediction line for fold ai-compute: give one file per fold"):
        evaluate("ner", [split_files["test"], split_files["train"]], protocol="cv", root=CHECKOUT, bootstrap=0)
    with pytest.raises(UsageError, match="these look like test predictions: pass --protocol heldout --split test"):
        evaluate("ner", split_files["test"], protocol="zero-shot", root=CHECKOUT, bootstrap=0)
    result = evaluate("ner", list(split_files.values()), protocol="cv", root=CHECKOUT, bootstrap=0)
    assert result["sentences"] == result["sentences_predicted"] == 116 and len(result["folds"]) == 3
    empty = [write_lines(tmp_path / name, []) for name in ("empty.jsonl", "empty2.jsonl")]
    with pytest.raises(DataError) as caught:
        evaluate("ner", empty, protocol="cv", root=CHECKOUT, bootstrap=0)
    assert [(i.path, i.line, i.rule) for i in caught.value.incidents] == [(str(e), 0, "predictions-empty") for e in empty]


# ------------------------------------------------------------------------------------------------
# --release: the same numbers from a release folder (a tiny Arrow file built here)

SPAN = {"start": Value("int32"), "end": Value("int32"), "text": Value("string")}
MAIN = {"id": Value("string"), **SPAN, "article_start": Value("int32"), "article_end": Value("int32")}


def reversed_labels(name: str) -> ClassLabel:
    """ClassLabel names in an order unlike the schema's, so that decoding by position would fail."""
    return ClassLabel(names=closed_set(name)[::-1])


def release_features() -> Features:
    return Features(
        {
            "id": Value("string"),
            "article": Value("string"),
            "idx": Value("int32"),
            "kind": ClassLabel(names=closed_set("unit_kind")),
            "start": Value("int32"),
            "end": Value("int32"),
            "text": Value("string"),
            "entities": List({**MAIN, "type": reversed_labels("entity_type")}),
            "numeric_facts": List(
                {
                    **MAIN,
                    "value": Value("float64"),
                    "unit": reversed_labels("unit"),
                    "kind": reversed_labels("numeric_kind"),
                    "approx": reversed_labels("approx"),
                    "iso": Value("string"),
                    "measured_property": SPAN,
                    "measured_entity": SPAN,
                    "period": SPAN,
                    "qualifier": SPAN,
                    "change_type": Value("string"),
                    "change_direction": Value("string"),
                }
            ),
            "stance": List({**MAIN, "holder": SPAN, "target": SPAN, "polarity": reversed_labels("polarity")}),
            "stance_label": reversed_labels("polarity"),
        }
    )


def span(start, end, text):
    return {"start": start, "end": end, "text": text}


def row(id, idx, kind, start, text, entities=(), facts=(), stance=(), label="neutral"):
    return {
        "id": id,
        "article": id.rsplit("-", 1)[0],
        "idx": idx,
        "kind": kind,
        "start": start,
        "end": start + len(text),
        "text": text,
        "entities": list(entities),
        "numeric_facts": list(facts),
        "stance": list(stance),
        "stance_label": label,
    }


def main_span(id, sentence_start, start, end, text):
    return {"id": id, **span(start, end, text), "article_start": sentence_start + start, "article_end": sentence_start + end}


MINI_ROWS = [  # tests/fixtures/mini as a release would hold it, written out by hand
    row("mini-s000", 0, "title", 0, "腾讯回购创新高", entities=[{**main_span("mini-e001", 0, 0, 2, "腾讯"), "type": "COMPANY"}]),
    row("mini-s001", 1, "byline", 8, "本报记者 王五"),
    row(
        "mini-s002",
        2,
        "sentence",
        16,
        "腾讯控股年内回购2634.41亿港元。",
        entities=[{**main_span("mini-e002", 16, 0, 4, "腾讯控股"), "type": "COMPANY"}],
        facts=[
            {
                **main_span("mini-n001", 16, 8, 18, "2634.41亿港元"),
                "value": 263441000000.0,
                "unit": "HKD",
                "kind": "money",
                "approx": "exact",
                "iso": None,
                "measured_property": span(6, 8, "回购"),
                "measured_entity": span(0, 4, "腾讯控股"),
                "period": span(4, 6, "年内"),
                "qualifier": None,
                "change_type": None,
                "change_direction": None,
            }
        ],
    ),
    row(
        "mini-s003",
        3,
        "sentence",
        35,
        "机构认为港股有望上行。",
        entities=[{**main_span("mini-e003", 35, 4, 6, "港股"), "type": "MARKET"}],
        stance=[
            {
                **main_span("mini-t001", 35, 6, 10, "有望上行"),
                "holder": span(0, 2, "机构"),
                "target": span(4, 6, "港股"),
                "polarity": "positive",
            }
        ],
        label="positive",
    ),
]


ARTICLE_FEATURES = Features({"id": Value("string"), "group": Value("string"), "date": Value("string")})


def write_table(path: Path, features: Features, rows: list[dict]) -> None:
    table = pa.Table.from_pylist([features.encode_example(r) for r in rows], schema=features.arrow_schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)


def write_release(folder: Path, splits: dict[str, list[dict]]) -> Path:
    """The sentences and articles configs of a release, with no MANIFEST.json (what evaluation needs)."""
    for split in ("train", "validation", "test"):
        rows = splits.get(split, [])
        write_table(folder / "data" / "sentences" / f"{split}.arrow", release_features(), rows)
        articles = sorted({r["article"] for r in rows})
        write_table(
            folder / "data" / "articles" / f"{split}.arrow",
            ARTICLE_FEATURES,
            [{"id": a, "group": a, "date": "2024-12-31"} for a in articles],
        )
    return folder


@pytest.mark.parametrize("task", TASKS)
def test_release_gives_the_same_numbers(task, tmp_path):
    release = write_release(tmp_path / "release", {"test": MINI_ROWS, "train": [row("other-s000", 0, "title", 0, "别的")]})
    table = pa.ipc.open_stream(pa.OSFile(str(release / "data/sentences/test.arrow"))).read_all()
    assert pa.types.is_integer(table.schema.field("stance_label").type)  # labels are stored as ints
    from_release = evaluate(task, PREDICTIONS / f"{task}.jsonl", release=release, bootstrap=100)
    from_annotations = evaluate(task, PREDICTIONS / f"{task}.jsonl", root=MINI, bootstrap=100)
    assert from_release["metrics"] == from_annotations["metrics"]
    assert from_release["gold"].startswith("release ")
    gold = write_lines(tmp_path / "gold.jsonl", baseline("gold", task, "test", root=MINI))
    assert_perfect(evaluate(task, gold, release=release, bootstrap=50), task)


def test_release_errors(tmp_path):
    with pytest.raises(UsageError, match="release folder"):
        evaluate("ner", PREDICTIONS / "ner.jsonl", release=tmp_path)
    release = write_release(tmp_path / "r", {"test": MINI_ROWS})
    bad = write_lines(tmp_path / "bad.jsonl", [{"sentence": "other-s000", "entities": []}])
    with pytest.raises(DataError, match="unknown-sentence"):
        evaluate("ner", bad, release=release)


# ------------------------------------------------------------------------------------------------
# Cross-check: nervaluate, seqeval and scikit-learn compute the same figures on the same inputs

TYPES = closed_set("entity_type")


def random_entities(rng: random.Random, length: int) -> list[dict]:
    """Non-overlapping random entities in a sentence of `length` characters."""
    out, i = [], rng.randrange(3)
    while i < length - 1:
        end = min(length, i + rng.randint(1, 5))
        out.append({"start": i, "end": end, "text": "x" * (end - i), "type": rng.choice(TYPES[:4])})
        i = end + rng.randrange(0, 4)  # sometimes adjacent
    return out


def perturbed(rng: random.Random, gold: list[dict], length: int) -> list[dict]:
    """Predictions: gold entities kept, retyped, reshaped or dropped, plus spurious ones; no overlaps."""
    out = []
    for e in gold:
        roll = rng.random()
        if roll < 0.4:
            out.append(dict(e))
        elif roll < 0.55:
            out.append({**e, "type": rng.choice(TYPES[:4])})
        elif roll < 0.75:
            start = max(0, e["start"] + rng.choice([-1, 0, 1]))
            end = min(length, max(start + 1, e["end"] + rng.choice([-1, 0, 1])))
            out.append({**e, "start": start, "end": end, "text": "x" * (end - start)})
    for e in random_entities(rng, length):
        if rng.random() < 0.2:
            out.append(e)
    kept = []
    for e in sorted(out, key=lambda e: (e["start"], e["end"])):
        if not kept or e["start"] >= kept[-1]["end"]:
            kept.append(e)
    return kept


def bio(entities: list[dict], length: int) -> list[str]:
    tags = ["O"] * length
    for e in entities:
        tags[e["start"]] = f"B-{e['type']}"
        for i in range(e["start"] + 1, e["end"]):
            tags[i] = f"I-{e['type']}"
    return tags


def test_ner_figures_equal_nervaluate_and_seqeval():
    from nervaluate import Evaluator
    from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

    rng = random.Random(7)
    length = 30
    sentences = [{"id": f"r-s{i:03d}", "article": "r", "text": "x" * length} for i in range(60)]
    gold = {s["id"]: {"sentence": s["id"], "entities": random_entities(rng, length)} for s in sentences}
    pred = {sid: {"sentence": sid, "entities": perturbed(rng, line["entities"], length)} for sid, line in gold.items()}
    reference = Reference("random", [{**s, "group": "r", "split": "test"} for s in sentences], {"ner": gold})
    ours = score("ner", reference, pred, bootstrap=0)

    y_true = [bio(gold[s["id"]]["entities"], length) for s in sentences]
    y_pred = [bio(pred[s["id"]]["entities"], length) for s in sentences]
    assert value(ours, "strict", "precision") == pytest.approx(precision_score(y_true, y_pred), abs=1e-12)
    assert value(ours, "strict", "recall") == pytest.approx(recall_score(y_true, y_pred), abs=1e-12)
    assert value(ours, "strict", "f1") == pytest.approx(f1_score(y_true, y_pred), abs=1e-12)
    report = classification_report(y_true, y_pred, output_dict=True)
    for t in TYPES[:4]:
        assert counts(ours, f"type:{t}")["gold"] == report[t]["support"]
        for rate in ("precision", "recall", "f1"):
            assert value(ours, f"type:{t}", rate) == pytest.approx(
                report[t][f"{rate}-score" if rate == "f1" else rate], abs=1e-12
            )

    def inclusive(line):  # nervaluate's entities have inclusive ends; the same order as ours
        return [
            {"label": e["type"], "start": e["start"], "end": e["end"] - 1}
            for e in sorted(line["entities"], key=lambda e: (e["start"], e["end"], e["type"]))
        ]

    nerv = Evaluator(
        [inclusive(gold[s["id"]]) for s in sentences], [inclusive(pred[s["id"]]) for s in sentences], tags=TYPES, loader="dict"
    ).evaluate()
    for schema in ("strict", "exact", "partial", "ent_type"):
        theirs = nerv["overall"][schema]
        mine = counts(ours, f"semeval_{schema}")
        assert mine == {k: getattr(theirs, k) for k in ("correct", "incorrect", "partial", "missed", "spurious")}, schema
        for rate in ("precision", "recall", "f1"):
            assert value(ours, f"semeval_{schema}", rate) == pytest.approx(getattr(theirs, rate), abs=1e-12), (schema, rate)
    for t in TYPES[:4]:
        assert counts(ours, f"type:{t}")["tp"] == nerv["entities"][t]["strict"].correct
    assert 0 < value(ours, "strict", "f1") < 1  # the random case is not a degenerate one


def test_semeval_counts_equal_nervaluate_with_overlapping_predictions():
    """Overlapping predictions (which seqeval cannot represent): nervaluate's matching order."""
    from nervaluate import Evaluator

    rng = random.Random(11)
    length = 20
    lines = []
    for _ in range(80):
        gold = random_entities(rng, length)
        pred = [e for e in random_entities(rng, length) + random_entities(rng, length) if rng.random() < 0.5]
        lines.append(({"entities": gold}, {"entities": pred}))
    # ent_type: a prediction over two gold entities of its type takes the one with closer boundaries
    a, b = {"start": 0, "end": 2, "text": "xx", "type": "PER"}, {"start": 3, "end": 8, "text": "xxxxx", "type": "PER"}
    lines.append(({"entities": [a, b]}, {"entities": [{**b, "start": 0, "text": "x" * 8}, {**a, "start": 1, "text": "x"}]}))
    assert ner_counts(*lines[-1])["semeval_ent_type.correct"] == 2
    for schema in ("strict", "exact", "partial", "ent_type"):
        total = {k: 0 for k in ("correct", "incorrect", "partial", "missed", "spurious")}
        for g, p in lines:
            for k in total:
                total[k] += ner_counts(g, p)[f"semeval_{schema}.{k}"]

        def inclusive(line):
            return [
                {"label": e["type"], "start": e["start"], "end": e["end"] - 1}
                for e in sorted(line["entities"], key=lambda e: (e["start"], e["end"], json.dumps(e, sort_keys=True)))
            ]

        theirs = Evaluator(
            [inclusive(g) for g, _ in lines], [inclusive(p) for _, p in lines], tags=TYPES, loader="dict"
        ).evaluate()["overall"][schema]
        assert total == {k: getattr(theirs, k) for k in total}, schema


def test_stance_label_figures_equal_scikit_learn():
    from sklearn.metrics import accuracy_score, f1_score

    rng = random.Random(3)
    polarities = closed_set("polarity")
    sentences = [{"id": f"r-s{i:03d}", "article": "r", "text": "x"} for i in range(50)]
    gold = {s["id"]: {"sentence": s["id"], "label": rng.choice(polarities[1:]), "stance": []} for s in sentences}
    pred = {}
    for s in sentences:
        roll = rng.random()
        if roll < 0.8:  # else: no line at all
            pred[s["id"]] = {"sentence": s["id"], "label": rng.choice(polarities)} if roll < 0.7 else {"sentence": s["id"]}
    reference = Reference("random", [{**s, "group": "r", "split": "test"} for s in sentences], {"stance": gold})
    ours = score("stance", reference, pred, bootstrap=0)
    y_true = [gold[s["id"]]["label"] for s in sentences]
    y_pred = [pred.get(s["id"], {}).get("label", "(none)") for s in sentences]
    present = sorted(set(y_true) | (set(y_pred) - {"(none)"}))
    assert "negative" in present  # present through the predictions only
    assert value(ours, "sentence_label", "accuracy") == pytest.approx(accuracy_score(y_true, y_pred), abs=1e-12)
    assert value(ours, "sentence_label", "macro_f1") == pytest.approx(
        f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0), abs=1e-12
    )
