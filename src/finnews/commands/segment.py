"""Print sentences as JSONL {article, idx, start, end, text, kind} (code-point offsets into the
article text); with --check, compare the segmenter with annotations/sentences.jsonl: boundary
precision/recall/F1 and every unit that differs, exit 1 if any does.

example: finnews segment --article ai-compute
         finnews segment --check
"""

import argparse

HELP = "split articles into sentences (JSONL), or --check them against the gold"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--article", metavar="ID", help="only this article")
    p.add_argument("--check", action="store_true", help="compare with the gold boundaries; exit 1 on any difference")


def run(args: argparse.Namespace) -> int:
    from finnews.data.jsonl import dumps
    from finnews.nlp.corpus_segments import check_segmentation, segment

    if args.check:
        report, ok = check_segmentation(args.article)
        print(report)
        return 0 if ok else 1
    for record in segment(args.article):
        print(dumps(record))
    return 0
