"""Print the articles rebuilt from the raw page.

example: finnews articles --article hk-buybacks
         finnews articles --format jsonl > articles.jsonl
"""

import argparse

HELP = "print the reconstructed articles (text or JSONL)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["text", "jsonl"], default="text")
    p.add_argument("--article", metavar="ID", help="only this article")


def run(args: argparse.Namespace) -> int:
    from finnews.browse.articles import articles

    print(articles(args.format, args.article), end="")
    return 0
