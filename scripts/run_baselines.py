"""Run every baseline on validation and test and write the results table (95% bootstrap intervals)
into README.md and datasheet.md, between `<!-- baselines:start -->` and `<!-- baselines:end -->`.

    python scripts/run_baselines.py            # rewrite the tables (atomically; only files that change)
    python scripts/run_baselines.py --check    # change nothing; exit 1 if a committed table is stale

A file without both markers is an error, and then no file is changed. The gold pseudo-baselines are
left out (they score 1.0 by construction; tests/test_evaluate.py checks that).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from finnews.benchmark.baselines import baseline, list_baselines
from finnews.benchmark.evaluate import SEED, score
from finnews.data.jsonl import atomic_write_text
from finnews.data.paths import data_root
from finnews.benchmark.predictions import TASKS, gold_reference

START, END = "<!-- baselines:start -->", "<!-- baselines:end -->"
FILES = ("README.md", "datasheet.md")
SPLITS = ("validation", "test")

#: task -> the headline figures of its table: (column title, metric group, rate)
COLUMNS = {
    "ner": [("strict P", "strict", "precision"), ("strict R", "strict", "recall"), ("strict F1", "strict", "f1"),
            ("partial F1 (SemEval)", "semeval_partial", "f1")],
    "numeric_facts": [("mention F1 (exact)", "mention_exact", "f1"), ("mention F1 (overlap)", "mention_overlap", "f1"),
                      ("value acc.", "attributes", "value_accuracy"), ("unit acc.", "attributes", "unit_accuracy"),
                      ("full-fact F1", "full_fact", "f1")],
    "stance": [("label acc.", "sentence_label", "accuracy"), ("label macro-F1", "sentence_label", "macro_f1"),
               ("targeted F1", "targeted", "f1")],
}


def _cell(figure: dict | None) -> str:
    if figure is None or figure["value"] is None:
        return "n/a"
    ci = figure["ci"]
    return f"{figure['value']:.3f} ({ci[0]:.2f}–{ci[1]:.2f})" if ci else f"{figure['value']:.3f}"


def results_table(root: Path | None = None, splits: tuple[str, ...] = SPLITS, bootstrap: int = 1000) -> str:
    """The markdown results of every real baseline on the given splits."""
    references = {split: gold_reference(split, root) for split in splits}
    sizes = ", ".join(f"{split} {len(ref.sentences)}" for split, ref in references.items())
    lines = [f"Baselines on the checked gold (sentences: {sizes}). Each cell: the figure and its 95% percentile "
             f"bootstrap interval over sentences ({bootstrap} resamples, seed {SEED}); n/a: undefined (no prediction). "
             f"Regenerate with `python scripts/run_baselines.py`; what each baseline is: `finnews baseline --list`."]
    for task in TASKS:
        columns = COLUMNS[task]
        lines += ["", f"**{task}**", "", "| baseline | split | " + " | ".join(c[0] for c in columns) + " |",
                  "|---|---|" + "---|" * len(columns)]
        for b in list_baselines(task):
            if b.name == "gold":
                continue
            for split, ref in references.items():
                lines_by_id = {line["sentence"]: line for line in baseline(b.name, task, split, root)}
                metrics = score(task, ref, lines_by_id, bootstrap=bootstrap)["metrics"]
                cells = [_cell(metrics.get(group, {}).get(rate)) for _, group, rate in columns]
                lines.append(f"| {b.name} | {split} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def with_table(text: str, table: str) -> str | None:
    """text with the block between the markers replaced; None if the markers are missing."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        return None
    return text[: start + len(START)] + "\n" + table + text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a table differs")
    parser.add_argument("--root", type=Path, help="data root holding the files (default: the data root)")
    parser.add_argument("--splits", nargs="+", default=list(SPLITS), help="default: validation test")
    parser.add_argument("--bootstrap", type=int, default=1000)
    args = parser.parse_args(argv)
    root = Path(args.root or data_root())

    texts = {}
    for name in FILES:
        path = root / name
        if not path.is_file():
            print(f"run_baselines: error: {path} does not exist; nothing was changed", file=sys.stderr)
            return 2
        texts[path] = path.read_text(encoding="utf-8")
        if with_table(texts[path], "") is None:
            print(f"run_baselines: error: {path} has no '{START}' ... '{END}' markers; add them where the "
                  f"table belongs. Nothing was changed.", file=sys.stderr)
            return 2
    try:
        table = results_table(root, tuple(args.splits), args.bootstrap)
    except (ValueError, FileNotFoundError) as error:
        print(f"run_baselines: error: {error}", file=sys.stderr)
        return 2
    stale = [path for path, text in texts.items() if with_table(text, table) != text]
    if args.check:
        for path in stale:
            print(f"{path}: the baselines table is stale: run python scripts/run_baselines.py", file=sys.stderr)
        if not stale:
            print("baselines tables are up to date")
        return 1 if stale else 0
    for path in stale:
        atomic_write_text(path, with_table(texts[path], table))
        print(f"updated the baselines table in {path}")
    if not stale:
        print("baselines tables are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
