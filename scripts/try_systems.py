"""Score the real baseline systems (finnews.benchmark.systems) with the existing evaluator and print a
table: a look at the figures, not the official results machinery.

    python scripts/try_systems.py                 # every system (jiojio takes ~20 s to load)
    python scripts/try_systems.py --only crf      # one system: thulac, jiojio, jionlp, crf

Zero-shot systems (thulac, jiojio, jionlp) are scored on every split and on all checked units. The
CRF is trained on the train split and scored on train (its own training data), validation and test
(heldout), then trained on two article groups and scored on the third, for each group (cv).
Predictions files are written to a temporary folder and read back by the evaluator, which validates
them; scores use no bootstrap (point figures only).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from finnews.benchmark.evaluate import score
from finnews.benchmark.predictions import LIST_FIELD, Reference, gold_lines, read_predictions
from finnews.benchmark.systems import crf_entities, jiojio_entities, jionlp_numeric_facts, thulac_entities, train_crf_ner
from finnews.data.gold import load_gold

SPLITS = ("train", "validation", "test")

#: task -> (column title, metric group, rate)
COLUMNS = {
    "ner": [("strict P", "strict", "precision"), ("strict R", "strict", "recall"), ("strict F1", "strict", "f1"),
            ("ent_type F1", "semeval_ent_type", "f1"), ("partial F1", "semeval_partial", "f1")],
    "numeric_facts": [("mention F1 exact", "mention_exact", "f1"), ("mention F1 overlap", "mention_overlap", "f1"),
                      ("value acc.", "attributes", "value_accuracy"), ("unit acc.", "attributes", "unit_accuracy"),
                      ("kind acc.", "attributes", "kind_accuracy"), ("approx acc.", "attributes", "approx_accuracy")],
}


def reference(gold, sentences: list[dict], name: str) -> Reference:
    return Reference(name, "checked annotations", [{"id": s["id"], "article": s["article"], "text": s["text"]}
                                                   for s in sentences],
                     {s["id"]: s["text"] for s in gold.sentences}, gold_lines(gold, sentences))


def scored(task: str, ref: Reference, lines: list[dict], folder: Path) -> dict:
    """Write the lines as a predictions file, read it back (validating it) and score it."""
    path = folder / f"{task}-{ref.split}-{len(lines)}.jsonl"
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return score(task, ref, read_predictions(task, path, ref.texts), bootstrap=0)


def row(system: str, scope: str, task: str, result: dict) -> str:
    cells = []
    for _, group, rate in COLUMNS[task]:
        value = result["metrics"].get(group, {}).get(rate, {}).get("value")
        cells.append("n/a" if value is None else f"{value:.3f}")
    return f"| {system} | {scope} ({result['sentences']}) | " + " | ".join(cells) + " |"


def header(task: str) -> list[str]:
    return ["", f"**{task}**", "", "| system | scored on (units) | " + " | ".join(c[0] for c in COLUMNS[task]) + " |",
            "|---|---|" + "---|" * len(COLUMNS[task])]


def lines_of(task: str, sentences: list[dict], items: list[list[dict]]) -> list[dict]:
    return [{"sentence": s["id"], LIST_FIELD[task]: i} for s, i in zip(sentences, items)]


def zero_shot(name: str, task: str, predict, gold, folder: Path) -> list[str]:
    """Predict every checked unit once, then score each split and the whole."""
    t = time.time()
    items = predict(gold.sentences)
    print(f"{name}: predicted {len(gold.sentences)} units in {time.time() - t:.1f} s", file=sys.stderr)
    by_id = dict(zip((s["id"] for s in gold.sentences), items))
    out = []
    for scope in (*SPLITS, "all"):
        sentences = gold.sentences if scope == "all" else gold.split_sentences(scope)
        ref = reference(gold, sentences, scope)
        out.append(row(name, scope, task, scored(task, ref, lines_of(task, sentences, [by_id[s["id"]] for s in sentences]), folder)))
    return out


def examples(gold, sentences: list[dict]) -> list[tuple[str, list[dict]]]:
    lines = gold_lines(gold, sentences)["ner"]
    return [(s["text"], lines[s["id"]]["entities"]) for s in sentences]


def crf_rows(gold, folder: Path) -> list[str]:
    out = []
    t = time.time()
    model = train_crf_ner(examples(gold, gold.split_sentences("train")))
    print(f"crf: trained on train in {time.time() - t:.1f} s", file=sys.stderr)
    for split in SPLITS:
        sentences = gold.split_sentences(split)
        ref = reference(gold, sentences, split)
        label = "train (its training data)" if split == "train" else split
        out.append(row("crf, trained on train", label, "ner",
                       scored("ner", ref, lines_of("ner", sentences, crf_entities(model, [s["text"] for s in sentences])), folder)))
    group_of = {a["id"]: a["group"] for a in gold.articles}
    for group in sorted(set(group_of.values())):
        held = [s for s in gold.sentences if group_of[s["article"]] == group]
        rest = [s for s in gold.sentences if group_of[s["article"]] != group]
        model = train_crf_ner(examples(gold, rest))
        ref = reference(gold, held, f"group-{group}")
        out.append(row("crf, cv (other groups)", f"group {group}", "ner",
                       scored("ner", ref, lines_of("ner", held, crf_entities(model, [s["text"] for s in held])), folder)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("thulac", "jiojio", "jionlp", "crf"), action="append")
    args = parser.parse_args(argv)
    wanted = set(args.only or ("thulac", "jiojio", "jionlp", "crf"))
    gold = load_gold(checked_only=True)
    years = {a["id"]: int(a["date"][:4]) if a.get("date") else None for a in gold.articles}

    def numeric(sentences: list[dict]) -> list[list[dict]]:
        return [jionlp_numeric_facts([s["text"]], years[s["article"]])[0] for s in sentences]

    ner = header("ner")
    numeric_rows = header("numeric_facts")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        if "thulac" in wanted:
            ner += zero_shot("thulac (zero-shot)", "ner", lambda ss: thulac_entities([s["text"] for s in ss]), gold, folder)
        if "jiojio" in wanted:
            ner += zero_shot("jiojio (zero-shot)", "ner", lambda ss: jiojio_entities([s["text"] for s in ss]), gold, folder)
        if "crf" in wanted:
            ner += crf_rows(gold, folder)
        if "jionlp" in wanted:
            numeric_rows += zero_shot("jionlp + cn2an", "numeric_facts", numeric, gold, folder)
    print("\n".join(ner + (numeric_rows if "jionlp" in wanted else [])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
