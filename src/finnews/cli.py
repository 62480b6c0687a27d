"""The `finnews` command: thin wrappers over library functions of the same names."""
from __future__ import annotations

import argparse
import sys
from typing import Callable

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(function: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    COMMANDS[function.__name__.removeprefix("cmd_").replace("_", "-")] = function
    return function


@command
def cmd_articles(args: argparse.Namespace) -> int:
    from .articles import render_articles

    sys.stdout.write(render_articles(args.format, args.article))
    return 0


@command
def cmd_segment(args: argparse.Namespace) -> int:
    from .segment_check import check_segmentation, segment_records

    if args.check:
        report, ok = check_segmentation(args.article)
        print(report)
        return 0 if ok else 1
    from .jsonl import dumps

    for record in segment_records(args.article):
        print(dumps(record))
    return 0


@command
def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import format_json, format_text, validate

    incidents = validate(paths=args.paths or None)
    print(format_json(incidents) if args.format == "json" else format_text(incidents))
    return 1 if incidents else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="finnews", description="FinNews-ZH: Chinese financial news corpus tools.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("articles", help="print the reconstructed articles", description="Print the articles rebuilt from the raw page.\nexample: finnews articles --article hk-buybacks", formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--format", choices=["text", "jsonl"], default="text")
    p.add_argument("--article", metavar="ID", help="only this article")

    p = sub.add_parser("segment", help="split articles into sentences (JSONL), or --check against the gold", description="Print sentences as JSONL {article, idx, start, end, text, kind}; with --check compare with annotations/sentences.jsonl.\nexample: finnews segment --check", formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--article", metavar="ID", help="only this article")
    p.add_argument("--check", action="store_true", help="boundary P/R/F1 against the gold; exit 1 on any difference")

    p = sub.add_parser("validate", help="check corpus and annotations (schema and semantics)", description="Report every problem as path:line: rule: message; exit 1 if any. Never writes.\nexample: finnews validate annotations/entities.jsonl", formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="*", help="only report on these files (default: everything)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (KeyError, ValueError, FileNotFoundError) as error:
        print(f"finnews {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
