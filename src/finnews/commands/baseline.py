"""Run a baseline and print its predictions as JSONL (the `finnews evaluate` format), one line per
unit the protocol scores. NAME defaults to the task's strongest baseline; --list names them all
with what each saw. Under --protocol cv every fold is predicted by the baseline trained on the
other folds (one file for every unit). `gold` is the pseudo-baseline that writes the gold records
(it must score 1.0). The baselines that need extra packages name their extra when missing.

example: finnews baseline --list
         finnews baseline --task ner --split test > preds.jsonl
         finnews baseline majority --task stance --protocol cv > stance-cv.jsonl
         finnews baseline rules --task numeric_facts --split all --release dist/finnews-zh-1.1.0 > num.jsonl
"""

import argparse
import sys

from finnews.benchmark.evaluate import ALL, PROTOCOLS
from finnews.benchmark.predictions import TASKS
from finnews.benchmark.reference import SPLITS

HELP = "print a baseline's predictions (JSONL) for a task and protocol; --list names them"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", nargs="?", metavar="NAME", help="baseline name (default: the task's strongest)")
    p.add_argument("--task", choices=TASKS)
    p.add_argument("--protocol", default="heldout", choices=PROTOCOLS, help="default: heldout")
    p.add_argument("--split", default="test", choices=[*SPLITS, ALL], help="default: test")
    p.add_argument("--release", metavar="DIR|OWNER/NAME@REV", help="take the units (and training gold) from a release")
    p.add_argument("--list", action="store_true", help="name every baseline and what it does")


def run(args: argparse.Namespace) -> int:
    from finnews.benchmark.baselines import baseline, format_list
    from finnews.data.jsonl import dumps
    from finnews.errors import UsageError

    if args.list:
        print(format_list(args.task))
        return 0
    if args.task is None:
        raise UsageError("--task is required (or --list)")
    lines = baseline(args.name, args.task, args.split, protocol=args.protocol, release=args.release)
    sys.stdout.write("".join(dumps(line) + "\n" for line in lines))
    return 0
