"""Update an annotation layer from a Label Studio JSON export (made from `finnews export
label-studio` tasks). Regions keep their record ids: unchanged records keep their bytes, changed
ones their id, new regions get the article's next free id, records deleted in Label Studio are
removed; tasks nobody annotated change nothing. Changed and new records get a review block: who
checked them (the export's annotator, or --checked-by) and when (the annotation's updated_at date,
or --checked-at; never today's date unless you pass it). The result is validated first; on any
problem every problem is reported as `path:line: rule: message` (line = task number) and nothing
is written (exit 1). --dry-run prints the record diff without writing.

example: finnews import label-studio project-3-export.json --dry-run
         finnews import label-studio project-3-export.json --checked-by human:alice --checked-at 2026-12-01
"""
import argparse

HELP = "apply a Label Studio JSON export to the annotation layers (validated, atomic, --dry-run)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("format", choices=["label-studio"], help="the tool's format")
    p.add_argument("export", metavar="EXPORT.json", help="the tool's JSON export")
    p.add_argument("--layer", help="the layer (default: data.layer of the tasks)")
    p.add_argument("--checked-by", metavar="NAME", help="who checked the changes (human:NAME; default: the export's annotator)")
    p.add_argument("--checked-at", metavar="DATE", help="when, YYYY-MM-DD (default: the annotation's updated_at date)")
    p.add_argument("--annotator", metavar="NAME", help="who made new records when the export names only a user id")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")


def run(args: argparse.Namespace) -> int:
    from finnews.interop import import_
    from finnews.interop.layers import format_diff

    result = import_(args.format, args.export, layer=args.layer, checked_by=args.checked_by, checked_at=args.checked_at,
                     annotator=args.annotator, dry_run=args.dry_run)
    print(format_diff(result.diff, name=f"annotations/{result.layer}.jsonl"))
    if result.written:
        print(f"wrote {result.path}")
    elif result.changed:
        print("dry run: nothing written")
    else:
        print("no change: nothing written")
    return 0
