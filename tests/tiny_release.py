"""Hand-made release folders for the publish and diff tests, in the layout `finnews build` writes
(README.md with a `version:` front matter, data/<config>/<split>.arrow Arrow IPC streams with the HF
features in the schema metadata, MANIFEST.json with every file's bytes and sha256), independent of
the real build and of the real corpus."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pyarrow as pa
from datasets import ClassLabel, Features, List, Value

SPAN = {"start": Value("int32"), "end": Value("int32"), "text": Value("string")}
FEATURES = {
    "sentences": Features(
        {
            "id": Value("string"),
            "text": Value("string"),
            "kind": ClassLabel(names=["title", "sentence"]),
            "entities": List({"id": Value("string"), **SPAN, "type": ClassLabel(names=["COMPANY", "ORG", "GPE"])}),
            "ner_tags": List(ClassLabel(names=["O", "B-ORG", "I-ORG"])),
            "stance": List(
                {"id": Value("string"), "holder": SPAN, "polarity": ClassLabel(names=["negative", "neutral", "positive"])}
            ),
            "stance_label": ClassLabel(names=["negative", "neutral", "positive"]),
        }
    ),
    "articles": Features({"id": Value("string"), "title": Value("string"), "text": Value("string")}),
}


def sentence(id: str, text: str, entities=(), ner_tags=None, stance=(), label="neutral", kind="sentence") -> dict:
    return {
        "id": id,
        "text": text,
        "kind": kind,
        "entities": [dict(e) for e in entities],
        "ner_tags": list(ner_tags) if ner_tags is not None else ["O"] * len(text),
        "stance": [copy.deepcopy(s) for s in stance],
        "stance_label": label,
    }


def entity(id: str, start: int, end: int, text: str, type: str) -> dict:
    return {"id": id, "start": start, "end": end, "text": text, "type": type}


def base_rows() -> dict[str, dict[str, list[dict]]]:
    """A few rows in every config and split (labels by name)."""
    hk = entity("e-1", 0, 2, "港股", "ORG")
    view = {"id": "st-1", "holder": {"start": 0, "end": 2, "text": "分析"}, "polarity": "positive"}
    return {
        "sentences": {
            "train": [
                sentence("s-1", "港股回购潮", [hk], ["B-ORG", "I-ORG", "O", "O", "O"]),
                sentence("s-2", "分析人士看好", stance=[view], label="positive"),
                sentence("s-10", "重庆硬科技", [entity("e-2", 0, 2, "重庆", "GPE")]),
            ],
            "validation": [sentence("s-20", "算力产业", kind="title")],
            "test": [sentence("s-30", "市场平稳")],
        },
        "articles": {
            "train": [{"id": "a-1", "title": "港股", "text": "港股回购潮"}],
            "validation": [{"id": "a-2", "title": "算力", "text": "算力产业"}],
            "test": [{"id": "a-3", "title": "市场", "text": "市场平稳"}],
        },
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_release(
    folder: Path, version: str, rows: dict[str, dict[str, list[dict]]] | None = None, features: dict[str, Features] | None = None
) -> Path:
    """Write a release folder; `rows` as from base_rows() (config -> split -> rows with label names)."""
    rows = base_rows() if rows is None else rows
    features = {**FEATURES, **(features or {})}
    folder.mkdir(parents=True)
    for config, splits in rows.items():
        for split, records in splits.items():
            feats = features[config]
            table = pa.Table.from_pylist([feats.encode_example(r) for r in records], schema=feats.arrow_schema)
            path = folder / "data" / config / f"{split}.arrow"
            path.parent.mkdir(parents=True, exist_ok=True)
            with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
    (folder / "README.md").write_text(
        f"---\npretty_name: FinNews-ZH\nversion: {version}\n---\n\n# FinNews-ZH {version}\n", encoding="utf-8"
    )
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    manifest = {
        "name": "finnews-zh",
        "version": version,
        "source_commit": None,
        "schemas": {},
        "counts": {c: {s: len(r) for s, r in splits.items()} for c, splits in rows.items()},
        "excluded_not_checked": {},
        "files": [{"path": p.relative_to(folder).as_posix(), "bytes": p.stat().st_size, "sha256": sha256(p)} for p in files],
    }
    (folder / "MANIFEST.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder
