"""Print counts of the gold data: articles, units and characters per split; records per annotation
layer by split and review status; and per label (entity type, numeric kind/unit/approx/change,
stance polarity and holder, sentence label, unit kind), with zeros for labels not used.

example: finnews stats
         finnews stats --format json > stats.json
"""

import argparse

HELP = "print counts per layer, label, split and review status (table or JSON)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["table", "json"], default="table")


def run(args: argparse.Namespace) -> int:
    from finnews.browse.stats import format_json, format_table, stats

    result = stats()
    print(format_json(result) if args.format == "json" else format_table(result), end="")
    return 0
