"""Compare two releases, per config and split: the rows added, removed and changed (matched by row
id), with the changed fields; lists of records with ids (entities, numeric_facts, stance) are
compared element by element. Labels are shown by name. NEW may be `.` or --working-tree: the
working tree (the data root) is built into a temporary folder and compared. Either release may be
a local folder or a Hub dataset OWNER/NAME@REVISION (the revision is required: a tag such as v1.1.0,
a branch or a commit; anything else is a folder). Exit 0 whether or not there are differences; 1 if
a release folder lacks a data file its MANIFEST.json lists; 2 if a release cannot be read.

example: finnews diff dist/finnews-zh-1.0.0 dist/finnews-zh-1.1.0
         finnews diff dist/finnews-zh-1.0.0 --working-tree --format json > changes.json
"""

import argparse

HELP = "what changed between two releases (or a release and the working tree)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", metavar="OLD", help="a release folder (or OWNER/NAME@REVISION)")
    p.add_argument("new", nargs="?", metavar="NEW", help="a release folder, or `.` for the working tree")
    p.add_argument("--working-tree", action="store_true", help="compare OLD with the working tree")
    p.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    from finnews.errors import UsageError
    from finnews.release.diff import diff, format_json, format_text

    if args.working_tree and args.new is not None:
        raise UsageError("give NEW or --working-tree, not both")
    if args.new is None and not args.working_tree:
        raise UsageError("give NEW (a release folder, or `.` for the working tree) or --working-tree")
    result = diff(args.old, None if args.working_tree else args.new)
    print(format_json(result) if args.format == "json" else format_text(result))
    return 0
