"""The articles reconstructed from the raw page.

An article record lists pieces: character ranges of the raw page (code points) with a role and a
join. The article text is the pieces' text joined deterministically: a new block starts on a new
line; a continuation (a sentence the page cut with a blank line) is appended with nothing between.
The raw page itself is checked (sha256, coverage) by finnews.checks.validate.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from finnews.data.jsonl import read_jsonl
from finnews.data.paths import corpus_dir
from finnews.errors import UsageError

JOINS = {"none": "", "newline": "\n", "concat": ""}
UNIT_ROLES = ("title", "byline", "caption", "heading")  # blocks that are one unit each


@dataclass(frozen=True)
class Block:
    """One line of an article's text: a title, byline, caption, heading or paragraph."""

    start: int
    end: int
    role: str


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_articles(root: Path | None = None) -> list[dict]:
    """The article records of a corpus folder (default: the data root's corpus/), unchecked."""
    return read_jsonl((root or corpus_dir()) / "articles.jsonl")


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


def select(articles: list[dict], article_id: str | None) -> list[dict]:
    """Every article, or the one named; UsageError naming the choices when there is no such article."""
    chosen = [a for a in articles if article_id in (None, a["id"])]
    if article_id is not None and not chosen:
        raise UsageError(f"no article {article_id} (articles: {', '.join(a['id'] for a in articles)})")
    return chosen
