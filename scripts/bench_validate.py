#!/usr/bin/env python
"""Throughput of `finnews validate` on a large SYNTHETIC numeric-facts layer, against calling
`jsonschema.validate` once per record in the same run.

    .venv/bin/python scripts/bench_validate.py [--records 1000000] [--json results.json] [--skip-naive]

The layer is made in a temporary data root: gold sentences that hold numeric facts are recombined
into synthetic articles (scripts/make_synthetic_corpus.recombine, seed 0) and the gold facts of each
sentence move along with it (every span shifted, ids renumbered per article, review set to a draft
by `tool:bench_validate@synthetic`), until there are --records records. They are valid: a check
that reports anything is a finding.

Timed, in one process, on the same parsed records:

1. `finnews.checks.validate` on the layer, stage by stage as validate() runs it for
   annotations/numeric_facts.jsonl: read_records (bytes -> records), check_schema (jsonschema-rs's
   verdict, the Python validator's messages for invalid records), ids and review, spans (article, offsets,
   quotes, sentence), order, values (the normaliser re-reads every quantity);
2. `jsonschema.validate(record, schema, registry=registry)` per record: what code without a
   cached validator does (it checks the schema against the meta-schema and builds a validator
   every call; the registry of our schemas is built once);
3. jsonschema-rs's `is_valid` alone per record; its verdicts are compared with the Python
   validator's on a sample and on mutated copies (bad enum, bad date, extra field, negative
   offset, missing field, wrong type).

Tables go to stdout as Markdown; --json writes the figures. Nothing is extrapolated: every figure
is measured on --records records.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import date
from importlib import metadata
from pathlib import Path

import jsonschema
from referencing import Registry, Resource

from finnews.checks import validate as fv
from finnews.checks.incidents import Incident, collector
from finnews.checks.records import check_schema, read_records
from finnews.data.gold import Gold
from finnews.data.jsonl import dumps, read_jsonl
from finnews.data.paths import data_root
from finnews.data.schema import LAYER_SCHEMAS, fast_validator, schemas, validator

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_synthetic_corpus import recombine  # noqa: E402

SCHEMA = LAYER_SCHEMAS["numeric_facts.jsonl"]
SPAN_FIELDS = ("measured_property", "measured_entity", "period", "qualifier")
REVIEW = {"status": "draft", "annotator": "tool:bench_validate@synthetic", "checked_by": None, "checked_at": None}


def gold_sentences_with_facts(root: Path) -> list[dict]:
    """Gold sentence units that hold numeric facts, each with its facts in sentence offsets."""
    sentences = read_jsonl(root / "annotations" / "sentences.jsonl")
    facts = read_jsonl(root / "annotations" / "numeric_facts.jsonl")
    out = []
    for s in sentences:
        inside = [f for f in facts if f["article"] == s["article"] and s["start"] <= f["start"] < s["end"]]
        if inside:
            out.append({"text": s["text"], "start": s["start"], "facts": inside})
    return out


def shift(fact: dict, delta: int, article: str) -> dict:
    record = copy.deepcopy(fact)
    record["article"] = article
    record["start"] += delta
    record["end"] += delta
    for name in SPAN_FIELDS:
        if record.get(name) is not None:
            record[name]["start"] += delta
            record[name]["end"] += delta
    record["review"] = dict(REVIEW)
    return record


def make_layer(n: int, root: Path, path: Path) -> tuple[list[dict], list[dict], int]:
    """Write n synthetic fact records to path; return the articles and sentences they need."""
    sources = gold_sentences_with_facts(root)
    articles, sentences, written = [], [], 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for article, text, placements in recombine(10**9, 0, sources):
            articles.append({"id": article, "pieces": [{"join": "none", "text": text}]})
            records = []
            for k, (index, offset) in enumerate(placements):
                source = sources[index]
                sentences.append(
                    {"id": f"{article}-s{k:03d}", "article": article, "start": offset, "end": offset + len(source["text"])}
                )
                records += [shift(fact, offset - source["start"], article) for fact in source["facts"]]
            records.sort(key=lambda r: (r["start"], r["end"]))
            for number, record in enumerate(records[: n - written], start=1):
                record = {"id": f"{article}-n{number:03d}", **{k: v for k, v in record.items() if k != "id"}}
                f.write(dumps(record) + "\n")
                written += 1
            if written >= n:
                break
    return articles, sentences, written


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def run_finnews(path: Path, articles: list[dict], sentences: list[dict]) -> tuple[list, dict[str, float], list]:
    """The per-layer part of finnews.checks.validate.validate, stage by stage."""
    incidents: list[Incident] = []
    report = collector(incidents, str(path))
    ctx = Gold(path.parent, articles, {a["id"]: "train" for a in articles}, {"sentences": sentences})
    stages: dict[str, float] = {}
    records, stages["read_records"] = timed(read_records, path, report)
    valid, stages["check_schema"] = timed(check_schema, records, SCHEMA, report)
    started = time.perf_counter()
    fv.check_unique_ids(valid, report)
    fv.check_ids_name_their_article(valid, report)
    fv.check_review(valid, report, date.today())
    stages["ids + review"] = time.perf_counter() - started
    sound, stages["check_spans"] = timed(fv.check_spans, valid, ctx, report)
    _, stages["check_order"] = timed(fv.check_order, sound, ctx, report)
    _, stages["check_values"] = timed(fv.check_values, sound, ctx, report)
    return [r for _, r in records], stages, incidents


def run_naive(records: list[dict]) -> tuple[int, float]:
    loaded = schemas()
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in loaded.values())
    schema = loaded[SCHEMA]
    invalid = 0
    started = time.perf_counter()
    for record in records:
        try:
            jsonschema.validate(record, schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        except jsonschema.ValidationError:
            invalid += 1
    return invalid, time.perf_counter() - started


def mutations(record: dict) -> list[dict]:
    out = []
    for change in (
        lambda r: r.update(unit="XYZ"),
        lambda r: r["review"].update(checked_at="2024-13-45"),
        lambda r: r.update(extra=1),
        lambda r: r.update(start=-1),
        lambda r: r.pop("kind"),
        lambda r: r.update(value="12"),
        lambda r: r.update(iso="12/30"),
        lambda r: r.update(id="Bad_Id"),
    ):
        mutated = copy.deepcopy(record)
        change(mutated)
        out.append(mutated)
    return out


def run_rust(records: list[dict]) -> dict:
    """jsonschema-rs alone (the verdicts validate's check_schema asks first), and how often its
    verdict differs from the Python validator's on a sample and mutated copies of it."""
    fast, slow = fast_validator(SCHEMA), validator(SCHEMA)
    started = time.perf_counter()
    verdicts = [fast.is_valid(r) for r in records]
    is_valid_seconds = time.perf_counter() - started
    sample = records[:: max(1, len(records) // 1000)]
    probes = sample + [m for r in sample for m in mutations(r)]
    disagree = sum(fast.is_valid(r) != (not list(slow.iter_errors(r))) for r in probes)
    return {
        "version": metadata.version("jsonschema-rs"),
        "is_valid_seconds": is_valid_seconds,
        "invalid": verdicts.count(False),
        "probes": len(probes),
        "probes_invalid": sum(not fast.is_valid(r) for r in probes),
        "disagree": disagree,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--json", metavar="PATH", help="write the figures as JSON")
    parser.add_argument("--skip-naive", action="store_true", help="leave out the per-record jsonschema.validate loop")
    parser.add_argument("--write-readme", action="store_true", help="write this run's table into README.md")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="bench-validate-"))
    try:
        path = workdir / "annotations" / "numeric_facts.jsonl"
        path.parent.mkdir()
        (articles, sentences, n), make_seconds = timed(make_layer, args.records, data_root(), path)
        size = path.stat().st_size
        print(
            f"made {n:,} synthetic records ({size / 1e6:.0f} MB, {len(articles):,} articles) in {make_seconds:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        records, stages, incidents = run_finnews(path, articles, sentences)
        print(f"finnews validate stages: {sum(stages.values()):.1f} s", file=sys.stderr, flush=True)
        naive = None if args.skip_naive else run_naive(records)
        if naive:
            print(f"jsonschema.validate per record: {naive[1]:.1f} s", file=sys.stderr, flush=True)
        rust = run_rust(records)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    def row(name: str, seconds: float, note: str = "", compare: bool = True) -> str:
        ratio = f"{naive[1] / seconds:.1f}x" if naive and compare else "-"
        return f"| {name} | {n:,} | {seconds:.3f} | {n / seconds:,.0f} | {1e6 * seconds / n:.1f} | {ratio} | {note} |"

    total = sum(stages.values())
    out: list[str] = []
    out.append(
        f"finnews {metadata.version('finnews-zh')}, jsonschema {metadata.version('jsonschema')}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs; layer: {n:,} synthetic numeric-fact records, {size / 1e6:.0f} MB; load before: {os.getloadavg()[0]:.1f}, after: {{after}}\n"
    )
    out.append("| what | records | seconds | records/s | µs/record | speed vs jsonschema.validate per record | note |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    out.append(
        row(
            "finnews validate, whole layer (all stages below)",
            total,
            f"{size / 1e6 / total:.2f} MB/s; {len(incidents)} incidents",
        )
    )
    for stage, seconds in stages.items():
        schema_stage = stage == "check_schema"
        out.append(
            row(
                f"  stage {stage}",
                seconds,
                "jsonschema-rs verdict; Python validator's messages for invalid records" if schema_stage else "",
                compare=schema_stage,
            )
        )
    if naive:
        out.append(
            row(
                "jsonschema.validate(record, schema) per record",
                naive[1],
                f"{naive[0]} invalid; schema checked + validator built per call",
            )
        )
    out.append(
        row(
            f"jsonschema-rs {rust['version']} is_valid alone",
            rust["is_valid_seconds"],
            f"{rust['invalid']} invalid; verdicts differ from the Python validator's on {rust['disagree']} of {rust['probes']:,} probes ({rust['probes_invalid']:,} invalid)",
        )
    )
    text = "\n".join(out).replace("{after}", f"{os.getloadavg()[0]:.1f}")
    print(text)
    if args.write_readme:
        sys.path.insert(0, str(Path(__file__).parent))
        from bench_segmenters import replace_readme_block

        command = f"python scripts/bench_validate.py --records {args.records}" + (" --skip-naive" if args.skip_naive else "")
        replace_readme_block("bench_validate", f"`{command}`, one run: " + text)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "records": n,
                    "bytes": size,
                    "stages": stages,
                    "incidents": len(incidents),
                    "naive_seconds": naive[1] if naive else None,
                    "rust": rust,
                },
                indent=1,
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
