"""`finnews articles`: the reconstructed articles as text or JSONL."""

from __future__ import annotations

from pathlib import Path

from finnews.checks.validate import valid_articles
from finnews.data.corpus import article_text, select
from finnews.data.jsonl import dumps

META_FIELDS = ("id", "title", "kind", "group", "byline", "authors", "source", "date", "truncated")


def articles(fmt: str = "text", article_id: str | None = None, root: Path | None = None) -> str:
    """Every article (or one) as readable text, or as JSONL records with their derived text."""
    chosen = select(valid_articles(root), article_id)
    if fmt == "jsonl":
        return "".join(dumps({**{k: a[k] for k in META_FIELDS}, "text": article_text(a)}) + "\n" for a in chosen)
    parts = []
    for a in chosen:
        flags = " [truncated]" if a["truncated"] else ""
        parts.append(f"=== {a['id']} ({a['kind']}, {a['date']}){flags}\n{article_text(a)}\n")
    return "\n".join(parts)
