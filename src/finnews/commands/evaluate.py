"""Score a predictions file against the gold of a split: the checked annotations of this checkout,
or a built release folder (--release DIR, reading DIR/data/sentences/<split>.arrow).

Predictions: one JSONL line per sentence, spans as sentence-relative code-point offsets with the
quoted text (annotations/schema/predictions/<task>.schema.json). Invalid predictions are reported as
`path:line: rule: message` (exit 1). Every rate comes with a 95% bootstrap interval over sentences.

  ner            strict micro and per-type P/R/F1; SemEval-2013 9.1 schemas (strict, exact, partial, type)
  numeric_facts  mention P/R/F1 (exact, overlap); value/unit/kind/approx accuracy; full-fact P/R/F1
  stance         sentence-label accuracy and macro-F1; targeted (target overlap, polarity) P/R/F1

example: finnews baseline --task ner --split test > preds.jsonl
         finnews evaluate --task ner --predictions preds.jsonl
         finnews evaluate --task stance --predictions stance.jsonl --release dist/finnews-zh-1.0.0 --format json
"""
import argparse
import sys
from pathlib import Path

from finnews.benchmark.evaluate import evaluate, format_json, format_table
from finnews.benchmark.predictions import TASKS, PredictionsError
from finnews.data.schema import closed_set

HELP = "score predictions (JSONL) for ner, numeric_facts or stance, with bootstrap intervals"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--task", required=True, choices=TASKS)
    p.add_argument("--predictions", required=True, type=Path, metavar="FILE", help="predictions JSONL")
    p.add_argument("--split", default="test", choices=closed_set("split"), help="default: test")
    p.add_argument("--release", type=Path, metavar="DIR", help="score against a built release folder instead of the annotations")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--bootstrap", type=int, default=1000, metavar="N", help="bootstrap resamples (default 1000; 0: no intervals)")


def run(args: argparse.Namespace) -> int:
    try:
        result = evaluate(args.task, args.predictions, split=args.split, release=args.release, bootstrap=args.bootstrap)
    except PredictionsError as error:
        print(error, file=sys.stderr)
        return 1
    print(format_json(result) if args.format == "json" else format_table(result))
    return 0
