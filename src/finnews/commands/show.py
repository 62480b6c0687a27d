"""Write the corpus browser: a static HTML site of the gold data (every review status), with an
index of the articles (counts per layer, split and review status, label charts per split) and one
page per article (entities highlighted by type, numeric expressions and stance evidence underlined
with their records in a side table, review status and source_issue notes). No server and no
JavaScript: open DIR/index.html in a browser. The site is built beside DIR and renamed into place;
an existing non-empty DIR is refused unless --force (and then only a site made by this command).

example: finnews show --out site
         FINNEWS_ROOT=tests/fixtures/mini finnews show --out /tmp/mini-site --force
"""

import argparse

HELP = "write the static HTML corpus browser (index, one page per article, charts)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", metavar="DIR", required=True, help="folder to create (must not exist or be empty)")
    p.add_argument("--force", action="store_true", help="replace DIR if it is a site made earlier by this command")


def run(args: argparse.Namespace) -> int:
    from finnews.browse.show import show

    files = show(args.out, force=args.force)
    print(f"wrote {len(files)} files to {args.out}; open {args.out}/index.html")
    return 0
