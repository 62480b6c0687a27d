"""Where the data lives: the repository root holding corpus/ and annotations/."""
from __future__ import annotations

import os
from pathlib import Path


CHECKOUT = Path(__file__).resolve().parents[3]  # the repository an editable install points at


def data_root() -> Path:
    """FINNEWS_ROOT if set, else the checkout this package was installed from, else the cwd."""
    if os.environ.get("FINNEWS_ROOT"):
        return Path(os.environ["FINNEWS_ROOT"])
    if (CHECKOUT / "corpus" / "articles.jsonl").is_file():
        return CHECKOUT
    return Path.cwd()


def corpus_dir() -> Path:
    return data_root() / "corpus"


def annotations_dir() -> Path:
    return data_root() / "annotations"


def schema_dir() -> Path:
    """The schemas define the package's record shapes: they come from the checkout, whatever data
    root is in use (a fixture corpus has no schemas of its own)."""
    if (CHECKOUT / "annotations" / "schema").is_dir():
        return CHECKOUT / "annotations" / "schema"
    return annotations_dir() / "schema"
