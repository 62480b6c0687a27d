"""finnews baseline and scripts/regenerate.py: valid, deterministic predictions from every
baseline; what each baseline does on hand-made sentences; the committed results table is current."""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from finnews.benchmark.baselines import (
    BASELINES,
    DEFAULTS,
    baseline,
    cue_spans,
    format_list,
    list_baselines,
    nearest,
    pos_entities,
)
from finnews.benchmark.predictions import TASKS, read_predictions
from finnews.benchmark.reference import from_checkout
from finnews.commands import baseline as baseline_command
from finnews.errors import UsageError

TESTS = Path(__file__).parent
MINI = TESTS / "fixtures" / "mini"
CHECKOUT = TESTS.parent


def load_script():
    spec = importlib.util.spec_from_file_location("regenerate", CHECKOUT / "scripts" / "regenerate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def train_root(tmp_path) -> Path:
    """The mini corpus with its one article in the train split (for the train majorities)."""
    root = tmp_path / "root"
    shutil.copytree(MINI, root)
    splits = json.loads((root / "corpus" / "splits.json").read_text(encoding="utf-8"))
    splits["articles"] = {"mini": "train"}
    (root / "corpus" / "splits.json").write_text(json.dumps(splits), encoding="utf-8")
    return root


def test_every_task_has_a_default_a_floor_and_the_gold():
    assert set(DEFAULTS) == set(TASKS)
    for task in TASKS:
        names = [b.name for b in list_baselines(task)]
        assert DEFAULTS[task] in names and "gold" in names
        assert len(names) >= 3  # a real baseline, a floor (or majority), the gold
    listing = format_list()
    assert all(f"{b.task:<14} {b.name}" in listing for b in BASELINES.values())
    assert listing.count("(default)") == len(TASKS)


@pytest.mark.parametrize("task, name", sorted(BASELINES))
def test_baselines_write_valid_deterministic_predictions(task, name, train_root):
    lines = baseline(name, task, "train", root=train_root)
    assert lines == baseline(name, task, "train", root=train_root)
    reference = from_checkout(train_root)
    assert [line["sentence"] for line in lines] == [u["id"] for u in reference.units if u["split"] == "train"]
    path = train_root / f"{task}-{name}.jsonl"
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    assert len(read_predictions(task, path, reference.texts)) == len(lines)  # raises on any invalid line


def test_gold_baseline_is_the_reference():
    reference = from_checkout(MINI)
    for task in TASKS:
        assert {line["sentence"]: line for line in baseline("gold", task, "test", root=MINI)} == reference.gold[task]


def test_ner_baselines(train_root):
    assert pos_entities("本报记者 王五") == [{"start": 5, "end": 7, "text": "王五", "type": "PER"}]  # jieba: nr
    by_id = {line["sentence"]: line for line in baseline("majority-type", "ner", "train", root=train_root)}
    # the mini train split has two COMPANY entities and one MARKET: every span is a COMPANY
    assert by_id["mini-s001"]["entities"] == [{"start": 5, "end": 7, "text": "王五", "type": "COMPANY"}]
    assert all(line["entities"] == [] for line in baseline("all-o", "ner", "train", root=train_root))


def test_numeric_rules_baseline():
    by_id = {line["sentence"]: line for line in baseline("rules", "numeric_facts", "test", root=MINI)}
    assert by_id["mini-s002"]["numeric_facts"] == [
        {
            "start": 8,
            "end": 18,
            "text": "2634.41亿港元",
            "value": 263441000000,
            "unit": "HKD",
            "kind": "money",
            "approx": "exact",
            "measured_entity": {"start": 0, "end": 2, "text": "腾讯"},
            "measured_property": None,
        }
    ]
    assert by_id["mini-s000"]["numeric_facts"] == []
    digits = {line["sentence"]: line for line in baseline("digits", "numeric_facts", "test", root=MINI)}
    assert digits["mini-s002"]["numeric_facts"] == [
        {
            "start": 8,
            "end": 15,
            "text": "2634.41",
            "value": 2634.41,
            "unit": "item",
            "kind": "other",
            "approx": "exact",
            "measured_entity": None,
            "measured_property": None,
        }
    ]


def test_stance_baselines(train_root):
    assert cue_spans("机构认为港股有望上行。值得关注风险") == [
        (6, 8, "positive"),
        (8, 10, "positive"),
        (11, 15, "positive"),
        (15, 17, "negative"),
    ]
    by_id = {line["sentence"]: line for line in baseline("lexicon", "stance", "test", root=MINI)}
    assert by_id["mini-s003"]["label"] == "positive"  # 有望, 上行
    assert by_id["mini-s003"]["stance"] == []  # jieba finds no entity to be the target
    assert by_id["mini-s002"] == {"sentence": "mini-s002", "label": "neutral", "stance": []}
    majority = baseline("majority", "stance", "train", root=train_root)
    assert {line["label"] for line in majority} == {"neutral"}  # 3 neutral, 1 positive in train


def test_nearest_prefers_the_closer_then_the_earlier():
    a, b = {"start": 0, "end": 2}, {"start": 6, "end": 8}
    assert nearest((3, 5), [a, b]) is a  # gap 1 before, gap 1 after: the one before
    assert nearest((4, 5), [a, b]) is b
    assert nearest((3, 5), []) is None


def test_unknown_names_are_clear_errors():
    with pytest.raises(UsageError, match="no baseline 'oracle' for ner: choose one of jieba-pos"):
        baseline("oracle", "ner", root=MINI)
    with pytest.raises(UsageError, match="unknown task"):
        baseline(None, "sentiment", root=MINI)
    with pytest.raises(UsageError, match="validation holds no unit"):
        baseline(None, "ner", "validation", root=MINI)
    with pytest.raises(UsageError, match="learns from training units and zero-shot gives it none"):
        baseline("majority", "stance", protocol="zero-shot", root=MINI)


def test_command(capsys, monkeypatch):
    monkeypatch.setenv("FINNEWS_ROOT", str(MINI))
    parser = argparse.ArgumentParser()
    baseline_command.add_arguments(parser)
    assert baseline_command.run(parser.parse_args(["--list"])) == 0
    assert "jieba-pos" in capsys.readouterr().out
    assert baseline_command.run(parser.parse_args(["gold", "--task", "stance"])) == 0
    out = capsys.readouterr().out.splitlines()
    assert [json.loads(line) for line in out] == baseline("gold", "stance", "test", root=MINI)
    with pytest.raises(UsageError, match="--task is required"):
        baseline_command.run(parser.parse_args([]))


# ------------------------------------------------------------------------------------------------
# scripts/regenerate.py


def test_committed_generated_blocks_are_current():
    """results/baselines.json, README.md and datasheet.md hold exactly what `python scripts/regenerate.py` writes."""
    assert load_script().main(["--check", "--root", str(CHECKOUT)]) == 0


def test_script_writes_between_markers_and_checks(train_root, capsys):
    script = load_script()
    readme, sheet = train_root / "README.md", train_root / "datasheet.md"
    readme.write_text(f"# x\n\nbefore\n{script.START}\nstale\n{script.END}\nafter\n", encoding="utf-8")
    sheet.write_text(f"{script.START}{script.END}\n<!-- statistics:start -->\n<!-- statistics:end -->\n", encoding="utf-8")
    args = ["--root", str(train_root), "--bootstrap", "50"]
    assert script.main(["--check", *args]) == 1
    assert not (train_root / "results").exists()  # --check writes nothing
    assert script.main(args) == 0
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# x\n\nbefore\n") and text.endswith(f"{script.END}\nafter\n") and "stale" not in text
    assert "| jieba-pos | all 4 |" in text and "| gold |" not in text  # one article in train: zero-shot only
    assert "#### Size per split" in sheet.read_text(encoding="utf-8")
    results = json.loads((train_root / "results" / "baselines.json").read_text(encoding="utf-8"))
    assert {r["protocol"] for r in results["results"]} == {"zero-shot"}
    assert script.main(["--check", *args]) == 0
    assert script.main(args) == 0 and readme.read_text(encoding="utf-8") == text  # idempotent


def test_script_reports_bad_data_with_exit_1(train_root, capsys):
    facts = train_root / "annotations" / "numeric_facts.jsonl"
    records = [json.loads(line) for line in facts.read_text(encoding="utf-8").splitlines()]
    records[0]["start"] += 1
    facts.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert load_script().main(["--check", "--root", str(train_root), "--bootstrap", "10"]) == 1
    err = capsys.readouterr().err
    assert "annotations/numeric_facts.jsonl:1: quote-mismatch: " in err and "nothing was done" in err
    assert not (train_root / "results").exists()


def test_script_changes_nothing_without_markers(train_root, capsys):
    script = load_script()
    readme, sheet = train_root / "README.md", train_root / "datasheet.md"
    readme.write_text(f"{script.START}\nold\n{script.END}\n", encoding="utf-8")
    sheet.write_text("no markers here\n", encoding="utf-8")
    assert script.main(["--root", str(train_root), "--bootstrap", "10"]) == 2
    assert "no <!-- statistics:start -->" in capsys.readouterr().err
    assert readme.read_text(encoding="utf-8") == f"{script.START}\nold\n{script.END}\n"
    assert sheet.read_text(encoding="utf-8") == "no markers here\n"
    assert not (train_root / "results").exists()
