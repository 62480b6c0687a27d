"""Check the corpus and every annotation layer: JSON well-formedness, JSON Schema, offsets and
quotes, sentence containment and tiling, ids, overlaps, labels, normalised values, splits.
Every problem is reported at once as `path:line: rule: message`; exit 1 if any. Never writes.

example: finnews validate
         finnews validate annotations/entities.jsonl --format json
"""
import argparse

from finnews.checks.validate import format_json, format_text, validate

HELP = "check corpus and annotations (schema and semantics), report every problem"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", help="only report on these files (default: everything)")
    p.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    incidents = validate(paths=args.paths or None)
    print(format_json(incidents) if args.format == "json" else format_text(incidents))
    return 1 if incidents else 0
