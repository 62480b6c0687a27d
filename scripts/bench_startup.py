"""Start-up time of the `finnews` command as users type it: wall time of `finnews --help`,
`finnews articles` and `finnews validate` in new processes, median of several runs after a warm-up,
beside the floor of the same run (`python -c pass`, the interpreter alone).

    python scripts/bench_startup.py [--runs 15]

Goal (issue 12): --help and articles under 0.3 s on the project's 2-core machine. The machine's load
average is printed with the table: other work on the machine slows every column alike.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]


def wall(command: list[str], runs: int) -> list[float]:
    subprocess.run(command, cwd=CHECKOUT, capture_output=True)  # warm-up: the OS's file cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=CHECKOUT, capture_output=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-500:]}")
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--write-readme", action="store_true", help="write this run's table into README.md")
    args = parser.parse_args(argv)
    finnews = shutil.which("finnews") or str(Path(sys.executable).with_name("finnews"))
    commands = {
        "python -c pass (the floor)": [sys.executable, "-c", "pass"],
        "finnews --help": [finnews, "--help"],
        "finnews articles": [finnews, "articles"],
        "finnews validate": [finnews, "validate"],
    }
    load = os.getloadavg()[0]
    lines = ["| command | median s | min s | max s | minus the floor s |", "| --- | ---: | ---: | ---: | ---: |"]
    floor = None
    for name, command in commands.items():
        times = wall(command, args.runs)
        median = statistics.median(times)
        floor = median if floor is None else floor
        lines.append(f"| `{name}` | {median:.3f} | {min(times):.3f} | {max(times):.3f} | {median - floor:.3f} |")
    head = (
        f"`python scripts/bench_startup.py --runs {args.runs}`, one run: Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs; load average {load:.2f} before and {os.getloadavg()[0]:.2f} after; median of "
        f"{args.runs} runs after a warm-up."
    )
    text = head + "\n\n" + "\n".join(lines)
    print(text)
    if args.write_readme:
        sys.path.insert(0, str(Path(__file__).parent))
        from bench_segmenters import replace_readme_block

        replace_readme_block("bench_startup", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
