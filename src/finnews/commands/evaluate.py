"""Score predictions against the gold: the checked annotations of this checkout, or a release
alone (--release DIR, or a Hub dataset OWNER/NAME@REVISION read with datasets.load_dataset).

Protocols: heldout (the units of --split, default test; for models trained on train), zero-shot
(every unit; --split all is the same; for systems not trained on this data), cv (leave one article
group out; give one predictions file per fold, or one file predicting every unit).

Predictions: one JSONL line per sentence, spans as sentence-relative code-point offsets with the
quoted text (schemas: finnews/schemas/predictions/<task>.schema.json). Invalid predictions, or
predictions for units the protocol does not score, are reported as `path:line: rule: message`
(exit 1); an article group scored without a single line (a missing cv fold, test predictions under
zero-shot) is refused in one line (exit 2). Every rate comes with a 95% bootstrap interval.

  ner            strict micro and per-type P/R/F1; SemEval-2013 9.1 schemas (strict, exact, partial, type)
  numeric_facts  mention P/R/F1 (exact, overlap); value/unit/kind/approx accuracy; full-fact P/R/F1
  stance         sentence-label accuracy and macro-F1; targeted (target overlap, polarity) P/R/F1

example: finnews baseline --task ner --split test > preds.jsonl
         finnews evaluate --task ner --predictions preds.jsonl
         finnews evaluate --task ner --predictions all.jsonl --protocol zero-shot --release OWNER/finnews-zh@v1.1.0
         finnews evaluate --task ner --protocol cv --predictions fold-*.jsonl --format json
"""

import argparse

from finnews.benchmark.evaluate import ALL, PROTOCOLS, RESAMPLE_UNITS
from finnews.benchmark.predictions import TASKS
from finnews.benchmark.reference import SPLITS

HELP = "score predictions (JSONL) for ner, numeric_facts or stance, with bootstrap intervals"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--task", required=True, choices=TASKS)
    p.add_argument("--predictions", required=True, nargs="+", metavar="FILE", help="predictions JSONL (cv: one per fold, or one)")
    p.add_argument("--protocol", default="heldout", choices=PROTOCOLS, help="default: heldout")
    p.add_argument(
        "--split", default="test", choices=[*SPLITS, ALL], help="heldout: the split scored (default test); all = zero-shot"
    )
    p.add_argument("--release", metavar="DIR|OWNER/NAME@REV", help="score against a release instead of the annotations")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--bootstrap", type=int, default=1000, metavar="N", help="bootstrap resamples (default 1000; 0: no intervals)")
    p.add_argument("--resample", choices=RESAMPLE_UNITS, help="bootstrap unit (default: sentence; group for cv)")


def run(args: argparse.Namespace) -> int:
    from finnews.benchmark.evaluate import evaluate, format_json, format_table

    predictions = args.predictions[0] if len(args.predictions) == 1 else args.predictions
    result = evaluate(
        args.task,
        predictions,
        split=args.split,
        release=args.release,
        bootstrap=args.bootstrap,
        protocol=args.protocol,
        resample=args.resample,
    )
    print(format_json(result) if args.format == "json" else format_table(result))
    return 0
