"""Update an annotation layer from a Label Studio JSON export (made from `finnews export
label-studio` tasks). Regions keep their record ids: unchanged records keep their bytes, changed
ones their id, new regions get the article's next free id, records deleted in Label Studio are
removed; tasks nobody annotated change nothing. Of several annotations of a task the most recently
updated is applied (or USER's, with --annotation-of); the report names every annotation not applied.

Review blocks (GUIDELINES §0): whoever made an edit becomes the record's annotator: the export's
user when it names a person, else --annotator (a real export names its user only by an id, which
names nobody: the command then says to add --annotator). The edits are drafts unless someone else
checked them: --checked-by with --checked-at. The result is validated first; on any problem every
problem is reported as `path:line: rule: message` (line = task number) and nothing is written
(exit 1). --dry-run prints the record diff without writing.

example: finnews import label-studio project-3-export.json --annotator human:alice --dry-run
         finnews import label-studio project-3-export.json --annotator human:alice
         finnews import label-studio project-3-export.json --annotator human:alice --checked-by human:bob --checked-at 2026-12-01
"""

import argparse

HELP = "apply a Label Studio JSON export to the annotation layers (validated, atomic, --dry-run)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("format", choices=["label-studio"], help="the tool's format")
    p.add_argument("export", metavar="EXPORT.json", help="the tool's JSON export")
    p.add_argument("--layer", help="the layer (default: data.layer of the tasks)")
    p.add_argument(
        "--annotator",
        metavar="NAME",
        help="who made the edits in Label Studio, human:NAME (needed when the export names its user only by an id)",
    )
    p.add_argument("--checked-by", metavar="NAME", help="someone other than the annotator who checked the edits (human:NAME)")
    p.add_argument("--checked-at", metavar="DATE", help="the day they checked them, YYYY-MM-DD (with --checked-by)")
    p.add_argument(
        "--annotation-of",
        metavar="USER",
        help="apply this Label Studio user's annotation of each task (a user id or e-mail), not the most recent",
    )
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")


def run(args: argparse.Namespace) -> int:
    from finnews.interop import import_
    from finnews.interop.layers import format_diff

    result = import_(
        args.format,
        args.export,
        layer=args.layer,
        annotator=args.annotator,
        checked_by=args.checked_by,
        checked_at=args.checked_at,
        annotation_of=args.annotation_of,
        dry_run=args.dry_run,
    )
    print(format_diff(result.diff, name=f"annotations/{result.layer}.jsonl"))
    for line in result.not_applied:
        print(f"not applied: {line}")
    if result.written:
        print(f"wrote {result.path}")
    elif result.changed:
        print("dry run: nothing written")
    else:
        print("no change: nothing written")
    return 0
