#!/usr/bin/env python
"""Throughput and peak memory of `finnews pipeline` on synthetic collections of 1k, 10k and 100k articles.

    .venv/bin/python scripts/bench_pipeline.py [--sizes 1000 10000 100000] [--workers 1 2]
                                               [--runs 3] [--big-runs 1] [--json results.json] [--workdir DIR]

The inputs are made by scripts/make_synthetic_corpus.py (gold sentences recombined, seed 0: SYNTHETIC,
never released) as JSONL in --workdir (default: a temporary folder, removed at the end; an input
already there is reused). Every run is a fresh Python process that calls
finnews.scale.pipeline.run_pipeline and reports:

- wall time of run_pipeline (interpreter start-up and imports excluded), hence articles/s and MB/s
  (MB of the input file, 10^6 bytes);
- peak RSS of the main process (getrusage RUSAGE_SELF) and of the largest worker (RUSAGE_CHILDREN:
  the pool's processes are joined before it returns), and their bound on the whole run:
  main + workers x largest worker (the processes run at the same time);
- CPU seconds of the main process and of the workers;
- the sha256 of every output file, to check that every run of a size wrote the same bytes.

Sizes up to 10k are run --runs times (median reported); larger ones --big-runs times (the table
says how many). The machine's 1-minute load average before each run is reported too (it still
counts the previous run's own processes for a while): other jobs on the machine slow a run down
and make the 2-worker speed-up smaller than it is on an idle machine.
Tables go to stdout as Markdown; --json writes every run.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
SMALL = 10_000  # sizes up to this get --runs runs

_MEASURE = r"""
import json, resource, sys, time
from finnews.scale.pipeline import run_pipeline
input, out, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
started = time.perf_counter()
summary = run_pipeline(input, out, workers=workers)
seconds = time.perf_counter() - started
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "articles": summary.articles, "sentences": summary.sentences,
                  "facts": summary.facts, "text_bytes": summary.bytes,
                  "rss_main_kib": me.ru_maxrss, "rss_worker_kib": kids.ru_maxrss,
                  "cpu_main": me.ru_utime + me.ru_stime, "cpu_workers": kids.ru_utime + kids.ru_stime}))
"""


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        h.update(path.name.encode() + b"\0")
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                h.update(block)
    return h.hexdigest()


def make_input(workdir: Path, size: int) -> Path:
    path = workdir / f"synthetic-{size}.jsonl"
    if not path.exists():
        sys.path.insert(0, str(SCRIPTS))
        from make_synthetic_corpus import write_corpus

        write_corpus(path, size, seed=0)
    return path


def run_once(input: Path, workdir: Path, workers: int) -> dict:
    out = workdir / "out"
    shutil.rmtree(out, ignore_errors=True)
    load = os.getloadavg()[0]
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(input), str(out), str(workers)],
                          check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result.update(load=load, workers=workers, digest=digest(out), input_bytes=input.stat().st_size)
    shutil.rmtree(out)
    return result


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f}"


def table(results: list[dict]) -> str:
    rows = ["| articles | input MB | workers | runs | wall s (median) | articles/s | MB/s | ms/article "
            "| peak RSS MiB main / worker / bound | CPU s main / workers | speed-up vs 1 worker | load before | same bytes |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    sizes = sorted({r["size"] for r in results})
    for size in sizes:
        runs_of_size = [r for r in results if r["size"] == size]
        same = len({r["digest"] for r in runs_of_size}) == 1
        base = None
        for workers in sorted({r["workers"] for r in runs_of_size}):
            runs = [r for r in runs_of_size if r["workers"] == workers]
            wall = statistics.median(r["seconds"] for r in runs)
            base = base or (wall if workers == 1 else None)
            first = runs[0]
            rss_main = max(r["rss_main_kib"] for r in runs)
            rss_worker = max(r["rss_worker_kib"] for r in runs) if workers > 1 else 0
            bound = rss_main + workers * rss_worker if workers > 1 else rss_main
            cpu_main = statistics.median(r["cpu_main"] for r in runs)
            cpu_workers = statistics.median(r["cpu_workers"] for r in runs)
            loads = "/".join(f"{r['load']:.1f}" for r in runs)
            speedup = f"{base / wall:.2f}x" if base and workers > 1 else "-"
            rows.append(f"| {first['articles']:,} | {first['input_bytes'] / 1e6:.1f} | {workers} | {len(runs)} | {wall:.2f} "
                        f"| {first['articles'] / wall:,.0f} | {first['input_bytes'] / 1e6 / wall:.2f} "
                        f"| {1000 * wall / first['articles']:.2f} | {mib(rss_main)} / {mib(rss_worker) if workers > 1 else '-'} / {mib(bound)} "
                        f"| {cpu_main:.1f} / {cpu_workers:.1f} | {speedup} | {loads} | {'yes' if same else 'NO'} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=3, help=f"runs per size up to {SMALL:,} articles (median)")
    parser.add_argument("--big-runs", type=int, default=1, help=f"runs per size above {SMALL:,} articles")
    parser.add_argument("--json", metavar="PATH", help="write every run as JSON")
    parser.add_argument("--workdir", metavar="DIR", help="keep inputs here (default: a temporary folder)")
    args = parser.parse_args(argv)

    temporary = args.workdir is None
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bench-pipeline-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for size in args.sizes:
            input = make_input(workdir, size)
            for workers in args.workers:
                for _ in range(args.runs if size <= SMALL else args.big_runs):
                    result = run_once(input, workdir, workers)
                    result["size"] = size
                    results.append(result)
                    print(f"{size} articles, {workers} worker(s): {result['seconds']:.2f} s "
                          f"(load {result['load']:.1f})", file=sys.stderr, flush=True)
    finally:
        if temporary:
            shutil.rmtree(workdir, ignore_errors=True)
    from finnews import __version__

    print(f"finnews {__version__}, Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}\n")
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
