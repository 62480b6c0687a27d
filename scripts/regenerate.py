"""Regenerate every block of the repository that is computed from the data: the statistics of
datasheet.md, results/baselines.json (every baseline under every protocol), and the results tables
in README.md and datasheet.md (between `<!-- baselines:start -->` and `<!-- baselines:end -->`).

    python scripts/regenerate.py            # rewrite what is stale (atomically; nothing else is touched)
    python scripts/regenerate.py --check    # change nothing; exit 1 if anything is stale

Exit 1 also when the data does not validate (every problem as `path:line: rule: message`); 2 on a
usage or environment problem (one line).

Run it after any change to the annotations (CONTRIBUTING.md says when); the test suite fails while
anything it writes is stale, and `finnews build` refuses results computed on other data. It needs
the baselines' packages: pip install -e ".[test]" (or ".[baselines]").
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from finnews.benchmark.reference import from_gold
from finnews.benchmark.results import RESULTS, compute, markdown
from finnews.checks.validate import load_valid
from finnews.data.files import atomic_write_text
from finnews.errors import DataError, FinnewsError, UsageError
from finnews.release.datasheet import render as render_statistics

START, END = "<!-- baselines:start -->", "<!-- baselines:end -->"


def with_block(text: str, block: str, path: Path) -> str:
    """text with the block between the baselines markers replaced."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise UsageError(f"{path} has no '{START}' ... '{END}' markers; add them where the table belongs")
    return text[: start + len(START)] + "\n" + block + text[end:]


def regenerated(root: Path, bootstrap: int) -> dict[Path, str]:
    """path -> the content it should have."""
    gold = load_valid(root)
    results = compute(from_gold(gold.checked_only()), bootstrap)
    table = markdown(results)
    readme, sheet = root / "README.md", root / "datasheet.md"
    return {
        root / RESULTS: json.dumps(results, ensure_ascii=False, indent=1) + "\n",
        readme: with_block(readme.read_text(encoding="utf-8"), table, readme),
        sheet: with_block(render_statistics(sheet.read_text(encoding="utf-8"), gold), table, sheet),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is stale")
    parser.add_argument(
        "--root", type=Path, default=Path(__file__).resolve().parents[1], help="the repository (default: this one)"
    )
    parser.add_argument("--bootstrap", type=int, default=1000)
    args = parser.parse_args(argv)
    try:
        wanted = regenerated(args.root, args.bootstrap)
    except DataError as error:  # every problem as path:line: rule: message
        print(error, file=sys.stderr)
        return error.exit_code
    except FinnewsError as error:  # usage or environment: one line
        print(f"regenerate: error: {error}; nothing was changed", file=sys.stderr)
        return error.exit_code
    stale = [p for p, text in wanted.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
    for path in stale:
        if args.check:
            print(f"{path}: stale: run python scripts/regenerate.py", file=sys.stderr)
        else:
            atomic_write_text(path, wanted[path])
            print(f"regenerated {path}")
    if not stale:
        print("every generated block is up to date")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
