"""Run a baseline and print its predictions as JSONL (the `finnews evaluate` format), one line per
sentence of the split in corpus order. NAME defaults to the task's strongest baseline; --list names
them all. `gold` is the pseudo-baseline that writes the gold records (it must score 1.0).
The jieba baselines need the `baselines` extra: pip install 'finnews-zh[baselines]'.

example: finnews baseline --list
         finnews baseline --task ner --split test > preds.jsonl
         finnews baseline majority --task stance --split validation > stance.jsonl
"""
import argparse
import sys

from finnews.benchmark.baselines import baseline, format_list
from finnews.data.jsonl import dumps
from finnews.benchmark.predictions import TASKS
from finnews.data.schema import closed_set

HELP = "print a baseline's predictions (JSONL) for a task and split; --list names them"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", nargs="?", metavar="NAME", help="baseline name (default: the task's strongest)")
    p.add_argument("--task", choices=TASKS)
    p.add_argument("--split", default="test", choices=closed_set("split"), help="default: test")
    p.add_argument("--list", action="store_true", help="name every baseline and what it does")


def run(args: argparse.Namespace) -> int:
    if args.list:
        print(format_list(args.task))
        return 0
    if args.task is None:
        print("finnews baseline: error: --task is required (or --list)", file=sys.stderr)
        return 2
    sys.stdout.write("".join(dumps(line) + "\n" for line in baseline(args.name, args.task, args.split)))
    return 0
