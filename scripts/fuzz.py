"""The long fuzzing profile: tests/test_fuzz.py with many random examples per command, reporting
how many cases hypothesis tried (CI runs the bounded, derandomized profile of 25 per command).

    python scripts/fuzz.py --examples 2000        # every command
    python scripts/fuzz.py --examples 500 -k diff

A failure is printed with the smallest input hypothesis found; make it a named test in
tests/test_hardening.py before fixing it.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=1000, help="examples per command (default 1000)")
    parser.add_argument("-k", dest="select", help="only the commands whose test name matches (pytest -k)")
    args = parser.parse_args(argv)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--hypothesis-show-statistics",
        str(CHECKOUT / "tests" / "test_fuzz.py"),
        *(["-k", args.select] if args.select else []),
    ]
    env = {**os.environ, "FUZZ_EXAMPLES": str(args.examples), "FUZZ_RANDOM": "1"}
    done = subprocess.run(command, cwd=CHECKOUT, env=env, capture_output=True, text=True)
    print(done.stdout[-4000:] if done.returncode else "", end="")
    tried: dict[str, int] = {}
    for block in done.stdout.split("tests/test_fuzz.py::")[1:]:
        name = block.split(":", 1)[0]
        counts = re.findall(r"(\d+) passing, (\d+) failing, and (\d+) invalid test cases", block)
        tried[name] = sum(int(p) + int(f) for p, f, _ in counts)
    for name, n in sorted(tried.items()):
        print(f"{name}: {n} cases")
    print(f"{sum(tried.values())} cases tried in all; pytest exit {done.returncode}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
