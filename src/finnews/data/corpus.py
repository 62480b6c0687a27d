"""The raw page and the articles reconstructed from it.

An article record lists pieces: character ranges of the raw page (code points) with a role and a
join. The article text is the pieces' text joined deterministically: a new block starts on a new
line; a continuation (a sentence the page cut with a blank line) is appended with nothing between.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from finnews.data.jsonl import read_jsonl
from finnews.data.paths import corpus_dir

JOINS = {"none": "", "newline": "\n", "concat": ""}
UNIT_ROLES = ("title", "byline", "caption", "heading")  # blocks that are one unit each


@dataclass(frozen=True)
class Block:
    """One line of an article's text: a title, byline, caption, heading or paragraph."""

    start: int
    end: int
    role: str


def source_info(root: Path | None = None) -> dict:
    return json.loads(((root or corpus_dir()) / "raw" / "SOURCE.json").read_text(encoding="utf-8"))


def raw_path(root: Path | None = None) -> Path:
    return (root or corpus_dir()) / "raw" / source_info(root)["file"]


def raw_bytes(root: Path | None = None) -> bytes:
    return raw_path(root).read_bytes()


def raw_text(root: Path | None = None) -> str:
    """The page exactly as stored: decoded, never normalised."""
    return raw_bytes(root).decode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_articles(root: Path | None = None) -> list[dict]:
    return read_jsonl((root or corpus_dir()) / "articles.jsonl")


def load_furniture(root: Path | None = None) -> list[dict]:
    return read_jsonl((root or corpus_dir()) / "furniture.jsonl")


def article_text(article: dict) -> str:
    return "".join(JOINS[p["join"]] + p["text"] for p in article["pieces"])


def blocks(article: dict) -> list[Block]:
    """The article's lines with the role of the piece that opens each (continuations extend it)."""
    out: list[Block] = []
    pos = 0
    for piece in article["pieces"]:
        pos += len(JOINS[piece["join"]])
        end = pos + len(piece["text"])
        if piece["join"] == "concat" and out:
            out[-1] = Block(out[-1].start, end, out[-1].role)
        else:
            out.append(Block(pos, end, piece["role"]))
        pos = end
    return out


@lru_cache(maxsize=None)
def _texts(root: Path | None) -> dict[str, str]:
    return {a["id"]: article_text(a) for a in load_articles(root)}


def article_texts(root: Path | None = None) -> dict[str, str]:
    """Article id -> article text (cached per root)."""
    return _texts(root)
