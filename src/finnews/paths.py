"""Where the data lives: the repository root holding corpus/ and annotations/."""
from __future__ import annotations

import os
from pathlib import Path


def data_root() -> Path:
    """FINNEWS_ROOT if set, else the checkout this package was installed from, else the cwd."""
    if os.environ.get("FINNEWS_ROOT"):
        return Path(os.environ["FINNEWS_ROOT"])
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "corpus" / "articles.jsonl").is_file():
        return checkout
    return Path.cwd()


def corpus_dir() -> Path:
    return data_root() / "corpus"


def annotations_dir() -> Path:
    return data_root() / "annotations"


def schema_dir() -> Path:
    return annotations_dir() / "schema"
