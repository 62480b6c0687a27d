#!/usr/bin/env python
"""Throughput and peak memory of `finnews pipeline` on synthetic collections of 1k, 10k and 100k articles,
side by side with today's pipeline and the do-it-yourself jionlp alternative in the same run.

    .venv/bin/python scripts/bench_pipeline.py [--sizes 1000 10000 100000] [--workers 1 2]
                                               [--runs 3] [--big-runs 1] [--json results.json] [--workdir DIR]
                                               [--peer-sizes 10000] [--peers legacy jionlp] [--legacy-ref REF]

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
says how many).

Peers, at --peer-sizes with one worker (per-worker throughput), alternating with our runs of
the same size so that they share the machine's load:
- legacy: finnews.scale.pipeline.run_pipeline as it was at --legacy-ref (the commit issue 17
  started from), from `git archive` of that commit's src/ (its data root: this checkout);
- jionlp: the do-it-yourself alternative: the same JSONL read line by line, jionlp.split_sentence
  (criterion "coarse") per article and jionlp.ner.extract_money (with parsing) per sentence, written
  as Arrow IPC record batches of 250 articles (sentences with their money), no validation. The machine's 1-minute load average before each run is reported too (it still
counts the previous run's own processes for a while): other jobs on the machine slow a run down
and make the 2-worker speed-up smaller than it is on an idle machine.
Tables go to stdout as Markdown; --json writes every run.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
SMALL = 10_000  # sizes up to this get --runs runs
LEGACY_REF = "a4151f4"  # the commit issue 17 started from

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


_JIONLP = r"""
import contextlib, io, json, resource, sys, time
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    import jionlp as jio
import pyarrow as pa
input, out = sys.argv[1], sys.argv[2]
money = pa.struct([("text", pa.string()), ("start", pa.int32()), ("end", pa.int32()), ("num", pa.string()),
                   ("case", pa.string()), ("definition", pa.string())])
schema = pa.schema([("article", pa.string()), ("idx", pa.int32()), ("text", pa.string()), ("money", pa.list_(money))])
started = time.perf_counter()
articles = sentences = facts = 0
with open(input, "rb") as f, pa.OSFile(out, "wb") as sink, pa.ipc.new_stream(sink, schema) as writer:
    rows = {"article": [], "idx": [], "text": [], "money": []}
    def flush():
        writer.write_batch(pa.RecordBatch.from_pydict(rows, schema=schema))
        for column in rows.values():
            column.clear()
    for line in f:
        if not line.strip():
            continue
        record = json.loads(line)
        articles += 1
        for idx, sentence in enumerate(jio.split_sentence(record["text"], criterion="coarse")):
            found = jio.ner.extract_money(sentence)
            rows["article"].append(record["id"]); rows["idx"].append(idx); rows["text"].append(sentence)
            rows["money"].append([{"text": m["text"], "start": m["offset"][0], "end": m["offset"][1],
                                   "num": str(m["detail"]["num"]), "case": m["detail"]["case"],
                                   "definition": m["detail"]["definition"]} for m in found])
            sentences += 1
            facts += len(found)
        if articles % 250 == 0:
            flush()
    if rows["article"]:
        flush()
seconds = time.perf_counter() - started
me = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": seconds, "articles": articles, "sentences": sentences, "facts": facts,
                  "rss_main_kib": me.ru_maxrss, "rss_worker_kib": 0, "cpu_main": me.ru_utime + me.ru_stime,
                  "cpu_workers": 0.0}))
"""


def legacy_tree(workdir: Path, ref: str) -> Path:
    """src/ of the pipeline at ``ref`` (git archive), extracted once into workdir."""
    tree = workdir / f"legacy-{ref}"
    if not (tree / "src" / "finnews").is_dir():
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tree)
    return tree / "src"


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        h.update(path.name.encode() + b"\0")
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                h.update(block)
    return h.hexdigest()


def make_input(workdir: Path, size: int, novel: bool = False) -> Path:
    """The synthetic input of a size; novel: the same with every digit of the text redrawn at
    random (seed 0), so that amounts, dates and counts do not recur as they do in recombined
    sentences (the extractor's memo of readings then helps far less: the harder case)."""
    path = workdir / f"synthetic-{size}{'-novel-digits' if novel else ''}.jsonl"
    if not path.exists():
        sys.path.insert(0, str(SCRIPTS))
        from make_synthetic_corpus import write_corpus

        if not novel:
            write_corpus(path, size, seed=0)
        else:
            import random
            import re

            rng = random.Random(0)
            tmp = path.with_suffix(".tmp")
            with open(make_input(workdir, size), encoding="utf-8") as src, open(tmp, "w", encoding="utf-8") as dst:
                for line in src:
                    record = json.loads(line)
                    record["text"] = re.sub(r"[0-9]", lambda m: str(rng.randrange(10)), record["text"])
                    dst.write(json.dumps(record, ensure_ascii=False) + "\n")
            os.replace(tmp, path)
    return path


def run_once(input: Path, workdir: Path, workers: int, system: str = "ours", legacy_src: Path | None = None) -> dict:
    """One run of a system in a fresh process: ours, legacy (the pipeline at --legacy-ref) or jionlp."""
    out = workdir / "out"
    shutil.rmtree(out, ignore_errors=True)
    load = os.getloadavg()[0]
    env = dict(os.environ)
    if system == "jionlp":
        out.mkdir()
        argv = [sys.executable, "-c", _JIONLP, str(input), str(out / "sentences.arrow")]
    else:
        argv = [sys.executable, "-c", _MEASURE, str(input), str(out), str(workers)]
        if system == "legacy":
            env.update(PYTHONPATH=str(legacy_src), FINNEWS_ROOT=str(ROOT))
    done = subprocess.run(argv, check=True, capture_output=True, text=True, env=env)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result.update(load=load, workers=workers, digest=digest(out), input_bytes=input.stat().st_size, system=system)
    shutil.rmtree(out)
    return result


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f}"


def peer_table(results: list[dict]) -> str:
    """Per-worker throughput of every system at each size where peers ran, and ours against each."""
    rows = [
        "| articles | system | workers | runs | wall s (median) | articles/s | MB/s | CPU s | loads before | ours is |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    names = {
        "ours": "finnews pipeline (this branch)",
        "legacy": "finnews pipeline (before issue 17)",
        "jionlp": "jionlp split_sentence + extract_money -> Arrow",
    }
    rows[0] = rows[0].replace("| articles |", "| input |")
    for name in sorted({r["input"] for r in results if r["system"] != "ours"}):
        walls = {}
        for system in ("ours", "legacy", "jionlp"):
            runs = [r for r in results if r["input"] == name and r["system"] == system and r["workers"] == 1]
            if runs:
                walls[system] = (statistics.median(r["seconds"] for r in runs), runs)
        for system, (wall, runs) in walls.items():
            first = runs[0]
            ratio = f"{wall / walls['ours'][0]:.2f}x" if "ours" in walls and system != "ours" else "-"
            loads = "/".join(f"{r['load']:.1f}" for r in runs)
            rows.append(
                f"| {name} | {names[system]} | 1 | {len(runs)} | {wall:.2f} | {first['articles'] / wall:,.0f} "
                f"| {first['input_bytes'] / 1e6 / wall:.2f} | {statistics.median(r['cpu_main'] for r in runs):.1f} "
                f"| {loads} | {ratio} |"
            )
    return "\n".join(rows)


def table(results: list[dict]) -> str:
    rows = [
        "| articles | input MB | workers | runs | wall s (median) | articles/s | MB/s | ms/article "
        "| peak RSS MiB main / worker / bound | CPU s main / workers | speed-up vs 1 worker | load before | same bytes |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
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
            rows.append(
                f"| {first['articles']:,} | {first['input_bytes'] / 1e6:.1f} | {workers} | {len(runs)} | {wall:.2f} "
                f"| {first['articles'] / wall:,.0f} | {first['input_bytes'] / 1e6 / wall:.2f} "
                f"| {1000 * wall / first['articles']:.2f} | {mib(rss_main)} / {mib(rss_worker) if workers > 1 else '-'} / {mib(bound)} "
                f"| {cpu_main:.1f} / {cpu_workers:.1f} | {speedup} | {loads} | {'yes' if same else 'NO'} |"
            )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=3, help=f"runs per size up to {SMALL:,} articles (median)")
    parser.add_argument("--big-runs", type=int, default=1, help=f"runs per size above {SMALL:,} articles")
    parser.add_argument("--json", metavar="PATH", help="write every run as JSON")
    parser.add_argument("--workdir", metavar="DIR", help="keep inputs here (default: a temporary folder)")
    parser.add_argument("--peer-sizes", type=int, nargs="*", default=[10_000], help="sizes at which the peers run (1 worker)")
    parser.add_argument("--peers", nargs="*", default=["legacy", "jionlp"], choices=["legacy", "jionlp"])
    parser.add_argument("--legacy-ref", default=LEGACY_REF, help=f"git ref of the legacy pipeline (default {LEGACY_REF})")
    parser.add_argument("--no-novel", action="store_true", help="at peer sizes, skip the novel-digits input")
    parser.add_argument("--write-readme", action="store_true", help="write this run's tables into README.md")
    args = parser.parse_args(argv)

    temporary = args.workdir is None
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bench-pipeline-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    loads = [os.getloadavg()]
    try:
        legacy_src = legacy_tree(workdir, args.legacy_ref) if "legacy" in args.peers and args.peer_sizes else None
        for size in args.sizes:
            peers = args.peers if size in args.peer_sizes else []
            for novel in (False, True) if peers and not args.no_novel else (False,):
                input = make_input(workdir, size, novel)
                systems = [("ours", w) for w in args.workers] if not novel else [("ours", 1)]
                for _ in range(args.runs if size <= SMALL else args.big_runs):
                    # one run of every system in turn, so that they share the machine's load
                    for system, workers in systems + [(p, 1) for p in peers]:
                        result = run_once(input, workdir, workers, system, legacy_src)
                        result.update(size=size, input=input.name)
                        results.append(result)
                        print(
                            f"{input.name}, {system}, {workers} worker(s): {result['seconds']:.2f} s (load {result['load']:.1f})",
                            file=sys.stderr,
                            flush=True,
                        )
        loads.append(os.getloadavg())
    finally:
        if temporary:
            shutil.rmtree(workdir, ignore_errors=True)
    from finnews import __version__

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_segmenters import command_line

    command = command_line("bench_pipeline.py", argv)
    lines = [
        f"`{command.strip()}`, one run: finnews {__version__}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}; load average (1/5/15 min) "
        f"{'/'.join(f'{x:.2f}' for x in loads[0])} before the runs, {'/'.join(f'{x:.2f}' for x in loads[-1])} after.",
        "",
        table([r for r in results if r["system"] == "ours" and "novel" not in r["input"]]),
    ]
    if any(r["system"] != "ours" for r in results):
        lines += ["", "Per worker (one process each), on the same inputs, every system in turn:", "", peer_table(results)]
    print("\n".join(lines))
    if args.write_readme:
        sys.path.insert(0, str(SCRIPTS))
        from bench_segmenters import replace_readme_block

        replace_readme_block("bench_pipeline", "\n".join(lines))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
