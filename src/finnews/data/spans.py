"""Standoff spans: locate a quoted text inside a sentence (for annotators and fix scripts)."""

from __future__ import annotations


def locate(article_text: str, sentence: dict, quote: str, nth: int = 0) -> dict:
    """The span of the nth occurrence (0-based) of quote inside a sentence record.

    Annotators and fix scripts write what they see ("腾讯控股", the 2nd one) and get exact offsets.
    """
    pos = sentence["start"] - 1
    for _ in range(nth + 1):
        pos = article_text.find(quote, pos + 1, sentence["end"])
        if pos < 0:
            raise ValueError(f"{quote!r} occurs fewer than {nth + 1} times in sentence {sentence['id']}")
    return {"start": pos, "end": pos + len(quote), "text": quote}
