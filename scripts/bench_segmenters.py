#!/usr/bin/env python
"""Benchmark finnews.nlp.segment against other Chinese sentence segmenters, side by side.

    .venv/bin/python scripts/bench_segmenters.py [--runs 7] [--json results.json] [--full]

Systems: our rule-based segmenter (finnews.nlp.segment.split_sentences), a one-line regex baseline,
and the peers that install from PyPI and run offline: pysbd (language "zh"), jionlp
split_sentence(criterion="coarse"), snownlp sentences and spaCy blank "zh" + "sentencizer".
A peer that is not installed or fails is reported in the table, never fatal
(peers: `pip install pysbd jionlp snownlp spacy`).

Accuracy (P/R/F1 of sentence boundaries) is measured on the paragraph blocks only: titles,
bylines, captions and headings are units by layout, and every system would get them for free.
Each paragraph block's text is given to the system on its own; the sentences it returns are
mapped back to offsets by searching each one's stripped text forward in the block. Text a system
drops between two sentences (snownlp drops the delimiter, e.g. 。) is given back to the sentence
before it, so a boundary found at the right place counts even if its punctuation was eaten;
trailing whitespace is trimmed as in the gold. The set of end offsets is compared with the gold
ends (annotations/sentences.jsonl, kind "sentence") of the block; counts are micro-averaged.

Throughput (characters per second, median of --runs timed runs after a warm-up, each run
repeating the call until it lasts >= 0.2 s) is measured on the corpus's paragraph text (the
paragraph blocks joined with "\\n", given as one string) and on a ~5 MB (UTF-8) text made by
repeating it. Peers marked slow are timed on a 200 KB prefix of the 5 MB text (cut at a line
end), which the note says; --full times everything on the whole text.

Everything but the timings is deterministic.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import math
import platform
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from typing import Callable

from finnews.data.corpus import article_text, blocks, load_articles
from finnews.data.jsonl import read_jsonl
from finnews.data.paths import annotations_dir

BIG_BYTES = 5_000_000  # the "5 MB" text: UTF-8 bytes
SLOW_PREFIX_BYTES = 200_000  # what slow peers are timed on instead


def _version(dist: str) -> str:
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
    slow: bool = False  # time on a prefix of the 5 MB text
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- adapters (one per system)

def ours() -> System:
    from finnews.nlp.segment import split_sentences

    return System("finnews.nlp.segment (ours)", _version("finnews-zh"),
                  lambda text: list(split_sentences(text)), offsets=True,
                  notes=["gold was bootstrapped with this tool, then hand-checked"])


_BASELINE = re.compile(r"(?<=[。！？!?])|\n")


def regex_baseline() -> System:
    return System("regex baseline", f"re (Python {platform.python_version()})",
                  lambda text: _BASELINE.split(text),
                  notes=[r"re.split(r'(?<=[。！？!?])|\n')"])


def pysbd_zh() -> System:
    import pysbd

    seg = pysbd.Segmenter(language="zh", clean=False)
    return System("pysbd zh", _version("pysbd"), seg.segment, slow=True)


def jionlp_coarse() -> System:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        import jionlp  # prints a banner on import

    return System("jionlp coarse", _version("jionlp"),
                  lambda text: jionlp.split_sentence(text, criterion="coarse"))


def snownlp_sentences() -> System:
    from snownlp import SnowNLP  # noqa: F401  (the public entry point must import)
    from snownlp.normal import get_sentences

    # SnowNLP(text).sentences is get_sentences(text), but the constructor also builds a BM25 index
    # of the text, which is not segmentation work: time the function the property calls.
    return System("snownlp", _version("snownlp"), get_sentences,
                  notes=["SnowNLP(t).sentences timed as snownlp.normal.get_sentences (no BM25 index)"])


def spacy_sentencizer() -> System:
    import spacy

    nlp = spacy.blank("zh")  # default Chinese segmenter "char": no model download, no jieba
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10 * BIG_BYTES
    segmenter = getattr(nlp.tokenizer, "segmenter", "?")
    return System("spaCy blank zh + sentencizer", _version("spacy"),
                  lambda text: [s.text for s in nlp(text).sents], slow=True,
                  notes=[f"tokenizer segmenter={segmenter}"])


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
            ends = frozenset(e - block.start for s, e in gold.get(article["id"], [])
                             if block.start <= s and e <= block.end)
            placed += len(ends)
            out.append(Paragraph(text[block.start:block.end], ends))
    total = sum(len(v) for v in gold.values())
    if placed != total:
        raise SystemExit(f"{total - placed} gold sentence units lie outside paragraph blocks")
    return out


def make_big(text: str, nbytes: int) -> str:
    unit = text + "\n"
    return unit * math.ceil(nbytes / len(unit.encode("utf-8")))


def prefix(text: str, nbytes: int) -> str:
    """The longest run of whole lines of text within nbytes of UTF-8 (at least one line)."""
    cut = text.encode("utf-8")[:nbytes].decode("utf-8", "ignore")
    end = cut.rfind("\n")
    return cut[: end + 1] if end > 0 else text[: text.find("\n") + 1 or len(text)]


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


def prf(tp: int, n_sys: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


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
    p, r, f = prf(tp, n_sys, n_gold)
    _, _, f_strict = prf(tp_strict, n_strict, n_gold)
    _, _, f_in = prf(tp_in, n_sys_in, n_gold_in)
    return {"tp": tp, "system_ends": n_sys, "gold_ends": n_gold, "precision": p, "recall": r, "f1": f,
            "f1_strict": f_strict, "f1_internal": f_in, "unaligned": missed}


# ---------------------------------------------------------------- throughput

def chars_per_second(segment: Callable[[str], list], text: str, runs: int, min_time: float = 0.2) -> float:
    segment(text)  # warm-up (also: caches, lazy compilation)
    t0 = time.perf_counter()
    segment(text)
    once = time.perf_counter() - t0
    repeat = max(1, math.ceil(min_time / once)) if once > 0 else 1000
    rates = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        for _ in range(repeat):
            segment(text)
        rates.append(repeat * len(text) / (time.perf_counter() - t0))
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
    ap.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    ap.add_argument("--full", action="store_true", help="time slow peers on the whole 5 MB text too")
    args = ap.parse_args(argv)
    if args.runs < 5:
        ap.error("--runs must be >= 5")

    paras = paragraphs()
    corpus = "\n".join(p.text for p in paras)
    big = make_big(corpus, BIG_BYTES)
    small_big = prefix(big, SLOW_PREFIX_BYTES)
    systems = load_systems()

    rows = []
    for system in systems:
        row = {"system": system.name, "version": system.version, "notes": list(system.notes)}
        if system.segment is not None:
            try:
                row.update(evaluate(system, paras))
                if row["unaligned"]:
                    row["notes"].append(f"{row['unaligned']} returned sentences not found in the text")
                if abs(row["f1_strict"] - row["f1"]) > 1e-12:
                    row["notes"].append(f"F1 {row['f1_strict']:.3f} if dropped punctuation is not given back")
                row["chars_per_s_corpus"] = chars_per_second(system.segment, corpus, args.runs)
                text = big if (args.full or not system.slow) else small_big
                row["big_chars"] = len(text)
                row["chars_per_s_big"] = chars_per_second(system.segment, text, args.runs)
                if text is small_big:
                    row["notes"].append(f"5 MB column timed on a {len(text.encode('utf-8')) // 1000} KB prefix")
            except Exception as exc:
                row["notes"].append(f"failed: {type(exc).__name__}: {exc}".splitlines()[0])
        rows.append(row)
        print(f"done: {system.name}", file=sys.stderr)

    n_bytes = len(big.encode("utf-8"))
    print(f"Paragraph blocks: {len(paras)}, gold sentence ends: {sum(len(p.gold_ends) for p in paras)}, "
          f"corpus paragraph text: {len(corpus)} chars; big text: {len(big)} chars = {n_bytes / 1e6:.2f} MB UTF-8. "
          f"Throughput: median of {args.runs} runs after a warm-up. Python {platform.python_version()}.\n")
    print("| system | version | P | R | F1 | chars/s corpus | chars/s 5MB | note |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for row in rows:
        score = (lambda k: f"{row[k]:.3f}" if k in row else "—")
        print(f"| {row['system']} | {row['version']} | {score('precision')} | {score('recall')} | {score('f1')} | "
              f"{fmt_rate(row.get('chars_per_s_corpus'))} | {fmt_rate(row.get('chars_per_s_big'))} | "
              f"{'; '.join(row['notes']).replace('|', chr(92) + '|')} |")
    if args.json:
        meta = {"paragraphs": len(paras), "corpus_chars": len(corpus), "big_chars": len(big), "big_bytes": n_bytes,
                "slow_prefix_bytes": SLOW_PREFIX_BYTES, "runs": args.runs, "python": platform.python_version()}
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"meta": meta, "systems": rows}, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
