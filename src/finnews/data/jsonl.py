"""JSONL reading of well-formed files, and one canonical way to write a record.

Files that may be malformed (user input, a layer being edited) are read with
finnews.checks.records, which reports every problem instead of raising."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from finnews.data.files import atomic_write_text


def read_jsonl(path: str | Path) -> list[dict]:
    """All records of a well-formed JSONL file (use finnews.checks for diagnostics)."""
    return [record for _, record in iter_jsonl(path)]


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, dict]]:
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if line.strip():
                yield number, json.loads(line)


def dumps(record: dict) -> str:
    """One canonical JSONL line: key order as given, UTF-8 text unescaped, no spaces."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


def write_jsonl(path: str | Path, records: Iterable[dict]) -> None:
    atomic_write_text(path, "".join(dumps(r) + "\n" for r in records))
