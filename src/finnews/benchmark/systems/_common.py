"""Pieces shared by the systems: quiet lazy imports, and locating a library's words in our text."""

from __future__ import annotations

import contextlib
import importlib
import sys
from types import ModuleType

from finnews.errors import UsageError


def need(module: str, system: str) -> ModuleType:
    """Import a third-party module lazily, with an error naming the extra that installs it. Anything
    the library prints while importing goes to stderr, so that predictions written to stdout stay clean
    (jiojio and jionlp print banners on import)."""
    try:
        with contextlib.redirect_stdout(sys.stderr):
            return importlib.import_module(module)
    except ImportError as error:
        raise UsageError(f"{system} needs {module.split('.')[0]}: pip install 'finnews-zh[baselines]'") from error


def locate_words(text: str, words: list[str]) -> list[tuple[int, int] | None]:
    """Code-point span of each word of a tokenisation of `text`, in order; None where a word is not in
    the text as printed (a library that normalised it). A word is looked up at the current position
    first, then further on, so one normalised word does not shift the words after it."""
    out: list[tuple[int, int] | None] = []
    position = 0
    for word in words:
        if not word:
            out.append(None)
            continue
        start = position if text.startswith(word, position) else text.find(word, position)
        if start < 0:
            out.append(None)
            continue
        out.append((start, start + len(word)))
        position = start + len(word)
    return out


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the white space at its ends (entity and quantity spans never hold it)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
