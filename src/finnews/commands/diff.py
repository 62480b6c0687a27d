"""Compare two release folders, per config and split: the rows added, removed and changed (matched
by row id), with the changed fields; lists of records with ids (entities, numeric_facts, stance)
are compared element by element. Labels are shown by name. NEW may be `.` or --working-tree: the
working tree (FINNEWS_ROOT or the checkout) is built into a temporary folder and compared.
Exit 0 whether or not there are differences; 2 if a folder is missing or is not a release.

example: finnews diff dist/finnews-zh-1.0.0 dist/finnews-zh-1.0.1
         finnews diff dist/finnews-zh-1.0.0 --working-tree --format json > changes.json
"""
import argparse
from pathlib import Path

from finnews.release.diff import diff_releases, diff_working_tree, format_json, format_text

HELP = "what changed between two releases (or a release and the working tree)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", type=Path, metavar="OLD", help="a release folder")
    p.add_argument("new", nargs="?", metavar="NEW", help="a release folder, or `.` for the working tree")
    p.add_argument("--working-tree", action="store_true", help="compare OLD with the working tree")
    p.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    if args.working_tree and args.new is not None:
        raise ValueError("give NEW or --working-tree, not both")
    if args.new is None and not args.working_tree:
        raise ValueError("give NEW (a release folder, or `.` for the working tree) or --working-tree")
    if args.working_tree or args.new == ".":
        diff = diff_working_tree(args.old)
    else:
        diff = diff_releases(args.old, Path(args.new))
    print(format_json(diff) if args.format == "json" else format_text(diff))
    return 0
