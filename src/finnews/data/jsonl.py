"""JSONL reading with line numbers, and atomic, deterministic writing."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator


def read_jsonl(path: str | Path) -> list[dict]:
    """All records of a well-formed JSONL file (use finnews.validate for diagnostics)."""
    return [record for _, record in iter_jsonl(path)]


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, dict]]:
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if line.strip():
                yield number, json.loads(line)


def dumps(record: dict) -> str:
    """One canonical JSONL line: key order as given, UTF-8 text unescaped, no spaces."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write to a temporary file beside the target, then rename: readers never see half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the file the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_jsonl(path: str | Path, records: Iterable[dict]) -> None:
    atomic_write_text(path, "".join(dumps(r) + "\n" for r in records))


def write_new_files(files: dict[Path, str], force: bool = False) -> list[Path]:
    """Write several files atomically; refuse (before writing any) if one exists, unless force."""
    existing = [str(p) for p in files if Path(p).exists()]
    if existing and not force:
        raise FileExistsError(f"will not overwrite {', '.join(existing)} (use --force)")
    for path, text in files.items():
        atomic_write_text(path, text)
    return list(files)
