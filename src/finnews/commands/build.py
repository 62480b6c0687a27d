"""Validate the data, then build the versioned release folder (default dist/finnews-zh-<version>/):
a dataset card, Arrow files per config and split, the documents the card links to, and a
MANIFEST.json of every file's sha256. Only records whose review status is `checked` go in; --strict
fails if any other exists. A sentence that is not checked is left out with every record in it (the
data validates only when those records are not checked either: rule review-unit-unchecked). An existing release folder is never changed: identical contents are
reported as unchanged, different contents are an error (bump the version).

example: finnews build
         finnews build --out /tmp/release --strict
"""

import argparse
from pathlib import Path

HELP = "validate and build the release folder (Arrow splits, dataset card, manifest)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, help="release folder (default: dist/finnews-zh-<version>)")
    p.add_argument("--strict", action="store_true", help="fail if any draft or disputed record exists")


def run(args: argparse.Namespace) -> int:
    from finnews.release.build import build, summary

    print(summary(build(out=args.out, strict=args.strict)))
    return 0
