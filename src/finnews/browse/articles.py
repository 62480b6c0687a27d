"""`finnews articles`: the reconstructed articles as text or JSONL."""
from __future__ import annotations

from finnews.data.corpus import article_text, load_articles
from finnews.data.jsonl import dumps

META_FIELDS = ("id", "title", "kind", "group", "byline", "authors", "source", "date", "truncated")


def render_articles(fmt: str = "text", article_id: str | None = None) -> str:
    """Every article (or one) as readable text, or as JSONL records with their derived text."""
    articles = [a for a in load_articles() if article_id in (None, a["id"])]
    if article_id and not articles:
        raise KeyError(f"no article {article_id!r}")
    if fmt == "jsonl":
        return "".join(dumps({**{k: a[k] for k in META_FIELDS}, "text": article_text(a)}) + "\n" for a in articles)
    parts = []
    for a in articles:
        flags = " [truncated]" if a["truncated"] else ""
        parts.append(f"=== {a['id']} ({a['kind']}, {a['date']}){flags}\n{article_text(a)}\n")
    return "\n".join(parts)
