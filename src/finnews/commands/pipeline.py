"""Segment and pre-annotate a collection of articles at scale, streaming.

INPUT is JSONL (one {"id", "text", ...} object per line) or Parquet (columns id, text). DIR (new,
or empty; not the current directory) receives sentences-00000.arrow... (Arrow IPC streams of
sentences with draft numeric facts, 10,000 articles per shard), numeric_facts.draft.parquet (one
row per draft fact, the flat fields of the gold numeric-fact shape, review status draft and
annotator tool:finnews.preannotate@VERSION in its metadata: for review, never gold; Label Studio
tasks from it: finnews.scale.pipeline.write_label_studio(DIR, OUT)), bad_records.txt and
summary.json (counts only). The output is the same bytes whatever --workers is. Bad records
(json-syntax, json-duplicate-key, encoding-utf8, missing-id, empty-text, duplicate-id) are printed
as `path:line: rule: message` and counted; --on-bad fail stops at the first one instead (exit 1,
nothing written). A Parquet file that cannot be read (parquet-unreadable) or has no string id or
text column stops the run whatever --on-bad says (exit 1, nothing written). Timings go to stderr.

example: finnews pipeline news.jsonl --out runs/news-2024 --workers 2 --year 2024
         finnews pipeline news.parquet --out runs/news --on-bad fail --quiet
"""

import argparse
import sys
from collections import Counter

from finnews.checks.incidents import RULES, Incident

HELP = "segment and pre-annotate many articles (JSONL/Parquet) into sentence shards and draft facts"
MAX_PRINTED = 20  # bad records printed per rule; bad_records.txt in DIR has them all


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", metavar="INPUT", help="articles: .jsonl/.ndjson/.json (JSON lines) or .parquet")
    p.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="output directory: new, or an empty one (not the current directory: the output is renamed into place)",
    )
    p.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes (default 1)")
    p.add_argument(
        "--on-bad", choices=["skip", "fail"], default="skip", help="skip bad records (reported and counted) or fail the run"
    )
    p.add_argument("--year", type=int, metavar="YYYY", help="year for dates that give none (12月30日)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _printer():
    seen: Counter = Counter()

    def print_incident(incident: Incident) -> None:
        seen[incident.rule] += 1
        if seen[incident.rule] <= MAX_PRINTED:
            print(incident, file=sys.stderr)
            if seen[incident.rule] == 1:
                print(f"    ({incident.rule}: {RULES[incident.rule]})", file=sys.stderr)
        elif seen[incident.rule] == MAX_PRINTED + 1:
            print(f"... further {incident.rule} records not printed (see bad_records.txt)", file=sys.stderr)

    return print_incident


def run(args: argparse.Namespace) -> int:
    from finnews.scale.pipeline import run_pipeline

    summary = run_pipeline(
        args.input,
        args.out,
        workers=args.workers,
        on_bad=args.on_bad,
        year=args.year,
        progress=not args.quiet,
        on_incident=_printer(),
    )
    bad = ", ".join(f"{rule} {n}" for rule, n in sorted(summary.bad.items()) if n) or "none"
    print(
        f"{summary.articles} articles -> {summary.sentences} sentences, {summary.facts} draft facts, "
        f"{summary.shards} shard(s) in {args.out}; bad records skipped: {bad}"
    )
    seconds = max(summary.seconds, 1e-9)
    print(
        f"{summary.seconds:.1f} s: {summary.articles / seconds:,.0f} articles/s, {summary.bytes / 1e6 / seconds:.2f} MB/s "
        f"of text ({args.workers} worker{'s' if args.workers != 1 else ''})",
        file=sys.stderr,
    )
    return 0
