"""Check the corpus and every annotation layer: JSON well-formedness, JSON Schema, offsets and
quotes, sentence containment and tiling, ids, overlaps, labels, normalised values, review blocks,
splits. Every problem is reported at once as `path:line: rule: message`; exit 1 if any. Never writes.

PATHS limit the report to those files. A file of the data root that validate reads (the corpus
files, the raw page, annotations/<layer>.jsonl) is reported on as itself; another file of its corpus/
is refused; any other file is checked in place of its layer: the layer its name says
(entities.jsonl), or --layer.

example: finnews validate
         finnews validate annotations/entities.jsonl --format json
         finnews validate /tmp/fix/entities.jsonl
         finnews validate runs/news/numeric_facts.draft.jsonl --layer numeric_facts
"""

import argparse

from finnews.data.schema import ANNOTATION_LAYERS

HELP = "check corpus and annotations (schema and semantics), report every problem"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", help="only report on these files (default: everything)")
    p.add_argument(
        "--layer", choices=ANNOTATION_LAYERS, help="the layer of the PATHS outside the data root (default: from their file names)"
    )
    p.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    from finnews.checks.incidents import format_json, format_text
    from finnews.checks.validate import validate

    incidents = validate(paths=args.paths or None, layer=args.layer)
    print(format_json(incidents) if args.format == "json" else format_text(incidents))
    return 1 if incidents else 0
