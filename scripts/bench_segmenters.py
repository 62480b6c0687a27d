#!/usr/bin/env python
"""Benchmark finnews.nlp.segment against other Chinese sentence segmenters, side by side.

    .venv/bin/python scripts/bench_segmenters.py [--runs 7] [--slow-runs 1] [--json results.json] [--write-readme]

Systems: our rule-based segmenter (finnews.nlp.segment.split_sentences), a one-line regex baseline,
and the peers that install from PyPI and run offline: pysbd (language "zh"), jionlp
split_sentence(criterion="coarse"), snownlp sentences and spaCy blank "zh" + "sentencizer".
A peer that is not installed or fails is reported in the table, never fatal
(peers: `pip install pysbd jionlp snownlp spacy`).

Accuracy (P/R/F1 of sentence boundaries) is measured on our gold and, separately, on the
held-out paragraphs of tests/segment/heldout (not from our page). On the gold, on the paragraph
blocks only: titles,
bylines, captions and headings are units by layout, and every system would get them for free.
Each paragraph block's text is given to the system on its own; the sentences it returns are
mapped back to offsets by searching each one's stripped text forward in the block. Text a system
drops between two sentences (snownlp drops the delimiter, e.g. 。) is given back to the sentence
before it, so a boundary found at the right place counts even if its punctuation was eaten;
trailing whitespace is trimmed as in the gold. The set of end offsets is compared with the gold
ends (annotations/sentences.jsonl, kind "sentence") of the block; counts are micro-averaged.
Rates are finnews.benchmark.metrics.prf's: one whose denominator is zero is undefined (n/a; a
system that finds no end has no precision), never 0.

Throughput (characters per second of processor time, median of --runs timed runs after a
warm-up, each run repeating the call until it lasts >= 0.2 s) is measured on the corpus's
paragraph text (the paragraph blocks joined with "\\n", given as one string) and on a ~5 MB
(UTF-8) text made by repeating it, every system on the same whole text. Peers marked slow take
longer than linear time (pysbd, spaCy: seconds to minutes on 5 MB) and are timed --slow-runs
times on the 5 MB text, without a warm-up there (the corpus column warmed them up). The ratio of
ours to the most accurate peer is computed in the same run. The machine's load average is printed
before and after: compare ratios of one run, not figures of different runs.

--write-readme replaces the block between `<!-- bench_segmenters:start -->` and
`<!-- bench_segmenters:end -->` of README.md with this run's table. Everything but the timings is
deterministic.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import math
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from finnews.benchmark.metrics import prf, show
from finnews.data.corpus import article_text, blocks, load_articles
from finnews.data.jsonl import read_jsonl
from finnews.data.paths import annotations_dir

BIG_BYTES = 5_000_000  # the "5 MB" text: UTF-8 bytes
ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "tests" / "segment" / "heldout" / "cases.jsonl"


def dist_version(dist: str) -> str:
    """The installed version of a distribution, or "?" (also used by bench_numbers)."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


@dataclass
class System:
    name: str
    version: str = "—"
    segment: Callable[[str], list] | None = None  # text -> sentences (str) or (start, end) offsets
    offsets: bool = False  # segment returns offsets rather than strings
    slow: bool = False  # super-linear: timed --slow-runs times on the 5 MB text
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- adapters (one per system)


def ours() -> System:
    from finnews.nlp.segment import split_sentences

    return System(
        "finnews.nlp.segment (ours)",
        dist_version("finnews-zh"),
        lambda text: list(split_sentences(text)),
        offsets=True,
        notes=["gold was bootstrapped with this tool, then hand-checked"],
    )


_BASELINE = re.compile(r"(?<=[。！？!?])|\n")


def regex_baseline() -> System:
    return System(
        "regex baseline",
        f"re (Python {platform.python_version()})",
        lambda text: _BASELINE.split(text),
        notes=[r"re.split(r'(?<=[。！？!?])|\n')"],
    )


def pysbd_zh() -> System:
    import pysbd

    seg = pysbd.Segmenter(language="zh", clean=False)
    return System("pysbd zh", dist_version("pysbd"), seg.segment, slow=True)


def import_jionlp_quietly():
    """jionlp, imported without the banner it prints on import (also used by bench_numbers)."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        import jionlp
    return jionlp


def jionlp_coarse() -> System:
    jionlp = import_jionlp_quietly()
    return System("jionlp coarse", dist_version("jionlp"), lambda text: jionlp.split_sentence(text, criterion="coarse"))


def snownlp_sentences() -> System:
    from snownlp import SnowNLP  # noqa: F401  (the public entry point must import)
    from snownlp.normal import get_sentences

    # SnowNLP(text).sentences is get_sentences(text), but the constructor also builds a BM25 index
    # of the text, which is not segmentation work: time the function the property calls.
    return System(
        "snownlp",
        dist_version("snownlp"),
        get_sentences,
        notes=["SnowNLP(t).sentences timed as snownlp.normal.get_sentences (no BM25 index)"],
    )


def spacy_sentencizer() -> System:
    import spacy

    nlp = spacy.blank("zh")  # default Chinese segmenter "char": no model download, no jieba
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10 * BIG_BYTES
    segmenter = getattr(nlp.tokenizer, "segmenter", "?")
    return System(
        "spaCy blank zh + sentencizer",
        dist_version("spacy"),
        lambda text: [s.text for s in nlp(text).sents],
        slow=True,
        notes=[f"tokenizer segmenter={segmenter}"],
    )


ADAPTERS = [ours, regex_baseline, pysbd_zh, jionlp_coarse, snownlp_sentences, spacy_sentencizer]


def load_systems() -> list[System]:
    systems = []
    for make in ADAPTERS:
        try:
            systems.append(make())
        except Exception as exc:  # ImportError, a missing model, ...: report, go on
            name = make.__name__
            systems.append(System(name, notes=[f"unavailable: {type(exc).__name__}: {exc}".splitlines()[0]]))
    return systems


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class Paragraph:
    text: str
    gold_ends: frozenset[int]  # relative to the block


def paragraphs() -> list[Paragraph]:
    gold: dict[str, list[tuple[int, int]]] = {}
    for unit in read_jsonl(annotations_dir() / "sentences.jsonl"):
        if unit["kind"] == "sentence":
            gold.setdefault(unit["article"], []).append((unit["start"], unit["end"]))
    out, placed = [], 0
    for article in load_articles():
        text = article_text(article)
        for block in blocks(article):
            if block.role != "paragraph":
                continue
            ends = frozenset(e - block.start for s, e in gold.get(article["id"], []) if block.start <= s and e <= block.end)
            placed += len(ends)
            out.append(Paragraph(text[block.start : block.end], ends))
    total = sum(len(v) for v in gold.values())
    if placed != total:
        raise SystemExit(f"{total - placed} gold sentence units lie outside paragraph blocks")
    return out


def heldout_paragraphs() -> list[Paragraph]:
    """The held-out cases (tests/segment/heldout): one paragraph each, gold ends from its sentences."""
    out = []
    for line in HELDOUT.read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            ends, offset = set(), 0
            for sentence in case["sentences"]:
                offset += len(sentence)
                ends.add(offset)
            out.append(Paragraph(case["text"], frozenset(ends)))
    return out


def make_big(text: str, nbytes: int) -> str:
    unit = text + "\n"
    return unit * math.ceil(nbytes / len(unit.encode("utf-8")))


def command_line(script: str, argv: list[str] | None) -> str:
    """How a benchmark was run, as the README shows it: without --write-readme and --json PATH."""
    args, shown = list(sys.argv[1:] if argv is None else argv), []
    while args:
        arg = args.pop(0)
        if arg == "--json":
            args.pop(0) if args else None
        elif arg != "--write-readme" and not arg.startswith("--json="):
            shown.append(arg)
    return " ".join(["python", f"scripts/{script}", *shown])


def replace_readme_block(name: str, block: str, readme: Path = ROOT / "README.md") -> None:
    """Put block between `<!-- name:start -->` and `<!-- name:end -->` of the README."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = readme.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise SystemExit(f"{readme}: no {start} ... {end} block")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{block.strip()}\n{end}{tail}", encoding="utf-8")


# ---------------------------------------------------------------- accuracy


def aligned_ends(text: str, sentences: list[str]) -> tuple[set[int], set[int], int]:
    """(ends with dropped text given back, ends as returned, sentences not found) in text."""
    spans, pos, missed = [], 0, 0
    for sentence in sentences:
        stripped = sentence.strip()
        if not stripped:
            continue
        i = text.find(stripped, pos)
        if i < 0:
            missed += 1
            continue
        spans.append((i, i + len(stripped)))
        pos = i + len(stripped)
    filled = set()
    for k, (_, e) in enumerate(spans):
        nxt = spans[k + 1][0] if k + 1 < len(spans) else len(text)
        filled.add(e + len(text[e:nxt].rstrip()))
    return filled, {e for _, e in spans}, missed


def evaluate(system: System, paras: list[Paragraph]) -> dict:
    tp = n_sys = n_gold = tp_strict = n_strict = missed = 0
    tp_in = n_sys_in = n_gold_in = 0  # paragraph-internal boundaries only (not the block end)
    for para in paras:
        out = system.segment(para.text)
        if system.offsets:
            ends = strict = {e for _, e in out}
        else:
            ends, strict, miss = aligned_ends(para.text, out)
            missed += miss
        tp += len(ends & para.gold_ends)
        n_sys += len(ends)
        n_gold += len(para.gold_ends)
        tp_strict += len(strict & para.gold_ends)
        n_strict += len(strict)
        last = len(para.text.rstrip())
        internal, gold_internal = ends - {last}, para.gold_ends - {last}
        tp_in += len(internal & gold_internal)
        n_sys_in += len(internal)
        n_gold_in += len(gold_internal)
    return {
        "tp": tp,
        "system_ends": n_sys,
        "gold_ends": n_gold,
        **prf(tp, n_sys, n_gold),  # precision, recall, f1: None when undefined (a system that finds no end has no precision)
        "f1_strict": prf(tp_strict, n_strict, n_gold)["f1"],
        "f1_internal": prf(tp_in, n_sys_in, n_gold_in)["f1"],
        "unaligned": missed,
    }


# ---------------------------------------------------------------- throughput


def chars_per_second(segment: Callable[[str], list], text: str, runs: int, min_time: float = 0.2, warm_up: bool = True) -> float:
    if warm_up:
        segment(text)  # (also: caches, lazy compilation)
    t0 = time.process_time()
    segment(text)
    once = time.process_time() - t0
    repeat = max(1, math.ceil(min_time / once)) if once > 0 else 1000
    rates = [len(text) / once] if not warm_up else []  # a slow system's one untimed call is a timed one
    for _ in range(runs - len(rates)):
        gc.collect()
        t0 = time.process_time()
        for _ in range(repeat):
            segment(text)
        rates.append(repeat * len(text) / (time.process_time() - t0))
    return statistics.median(rates)


# ---------------------------------------------------------------- report


def fmt_rate(rate: float | None) -> str:
    if rate is None:
        return "—"
    if rate >= 1e6:
        return f"{rate / 1e6:.2f}M"
    return f"{rate / 1e3:.1f}k"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="timed runs per measurement (median; >= 5)")
    ap.add_argument("--slow-runs", type=int, default=1, help="timed runs of slow peers on the 5 MB text")
    ap.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    ap.add_argument("--write-readme", action="store_true", help="write this run's table into README.md")
    args = ap.parse_args(argv)
    if args.runs < 5:
        ap.error("--runs must be >= 5")

    load_before = os.getloadavg()
    paras = paragraphs()
    heldout = heldout_paragraphs()
    corpus = "\n".join(p.text for p in paras)
    big = make_big(corpus, BIG_BYTES)
    systems = load_systems()

    rows = []
    for system in systems:
        row = {"system": system.name, "version": system.version, "notes": list(system.notes)}
        if system.segment is not None:
            try:
                row.update(evaluate(system, paras))
                row["heldout"] = evaluate(system, heldout)
                if row["unaligned"]:
                    row["notes"].append(f"{row['unaligned']} returned sentences not found in the text")
                if show(row["f1_strict"]) != show(row["f1"]):
                    row["notes"].append(f"F1 {show(row['f1_strict'])} if dropped punctuation is not given back")
                row["chars_per_s_corpus"] = chars_per_second(system.segment, corpus, args.runs)
                if system.slow:
                    row["chars_per_s_big"] = chars_per_second(system.segment, big, args.slow_runs, warm_up=False)
                    row["notes"].append(f"slower than linear: 5 MB timed {args.slow_runs}x, no warm-up")
                else:
                    row["chars_per_s_big"] = chars_per_second(system.segment, big, args.runs)
            except Exception as exc:
                row["notes"].append(f"failed: {type(exc).__name__}: {exc}".splitlines()[0])
        rows.append(row)
        print(f"done: {system.name}", file=sys.stderr)
    load_after = os.getloadavg()

    n_bytes = len(big.encode("utf-8"))
    gold_ends = sum(len(p.gold_ends) for p in paras)
    lines = [
        f'`{command_line("bench_segmenters.py", argv)}` (peers: `pip install -e ".[bench]"`), one run: Python '
        f"{platform.python_version()}, {os.cpu_count()} CPUs, load average {load_before[0]:.2f} before and "
        f"{load_after[0]:.2f} after (1 min). Accuracy: P/R/F1 of sentence ends on the gold paragraph blocks "
        f"({len(paras)} blocks, {gold_ends} ends, {len(corpus):,} characters) and F1 on {len(heldout)} held-out "
        f"paragraphs not from our page (tests/segment/heldout). Throughput: characters per second of processor "
        f"time, median of {args.runs} runs after a warm-up, on the corpus and on a {n_bytes / 1e6:.1f} MB text made "
        f"by repeating it ({len(big):,} characters), every system on the whole text.",
        "",
        "| system | version | P | R | F1 | F1 held-out | chars/s corpus | chars/s 5 MB | note |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:

        def score(k: str, r: dict = row) -> str:
            return show(r[k]) if k in r else "—"

        held = show(row["heldout"]["f1"]) if "heldout" in row else "—"
        note = "; ".join(row["notes"]).replace("|", chr(92) + "|")
        lines.append(
            f"| {row['system']} | {row['version']} | {score('precision')} | {score('recall')} | {score('f1')} | {held} | "
            f"{fmt_rate(row.get('chars_per_s_corpus'))} | {fmt_rate(row.get('chars_per_s_big'))} | {note} |"
        )
    ours, peers = rows[0], [r for r in rows[1:] if "f1" in r and "chars_per_s_big" in r]
    if peers and "chars_per_s_big" in ours:
        best = max(peers, key=lambda r: (r["f1"], r["heldout"]["f1"]))
        lines += [
            "",
            f"Ours runs at {ours['chars_per_s_corpus'] / best['chars_per_s_corpus']:.1f}x (corpus) and "
            f"{ours['chars_per_s_big'] / best['chars_per_s_big']:.1f}x (5 MB) the throughput of the most accurate "
            f"peer on the gold, {best['system']}, in this run.",
        ]
    print("\n".join(lines))
    if args.write_readme:
        replace_readme_block("bench_segmenters", "\n".join(lines))
    if args.json:
        meta = {
            "paragraphs": len(paras),
            "corpus_chars": len(corpus),
            "big_chars": len(big),
            "big_bytes": n_bytes,
            "runs": args.runs,
            "slow_runs": args.slow_runs,
            "python": platform.python_version(),
            "load_before": load_before,
            "load_after": load_after,
        }
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"meta": meta, "systems": rows}, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
