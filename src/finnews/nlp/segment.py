"""Rule-based sentence segmentation for Chinese news text.

One compiled regular expression finds every sentence of a block; Python only loops over the
matches. The rules (annotations/GUIDELINES.md, "Sentences"):

- a sentence ends at 。！？!? or an ellipsis (…, ……), with any closing quotes or brackets after it
  and any further terminal marks (这是真的。)。 is one sentence, not one and a lone 。);
- but not before a mark that continues it (，、；：, full-width or ASCII): 市场波动加剧……，投资者 and
  “我爱读书！”，小明说 go on;
- a quotation “…” or "…" (ASCII double quotes pair up in order on a line) is never split inside; if
  it closes after a terminal mark (。” ！" ？”) it ends the sentence, unless an attribution follows
  (“……高地。”汤哲辉表示。 is one sentence) or a mark that continues it;
- ASCII brackets and quotes close a sentence like their full-width forms: ) ] like ） 】;
- a title 《…》 is never split inside; ASCII periods never split (557.6万美元, Claude-3.5-Sonnet);
- a quotation is looked for over at most QUOTE_SPAN characters and a title over TITLE_SPAN (an
  opener whose closer is farther is unclosed): that keeps the time linear in the length of a line
  full of unclosed quotes;
- titles, bylines, captions and headings are one unit each, whatever they contain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from finnews.data.corpus import UNIT_ROLES, Block, article_text, blocks

TERMINALS = "。！？!?…"
CLOSERS = "”’」』)）\\]】〕］"
CONTINUERS = "，,、；;：:"  # marks after which a sentence goes on
SPEECH_VERBS = ("表示", "说", "称", "认为", "指出", "介绍", "坦言", "强调", "透露", "直言", "告诉记者", "补充")
# a speaker of up to 24 characters (no punctuation, no quote) followed by a verb of saying
ATTRIBUTION = rf"[^{TERMINALS}“”\"‘’,，:：;；\n]{{1,24}}?(?:{'|'.join(SPEECH_VERBS)})"
_GOES_ON = rf"(?={ATTRIBUTION}|[^\S\n]?[{CONTINUERS}])"  # what after a closing quote keeps the sentence going
QUOTE_SPAN = 2000  # characters a quotation may run on one line
TITLE_SPAN = 200  # ...and a title
_Q = f"{{0,{QUOTE_SPAN}}}"
_T = f"{{0,{TITLE_SPAN}}}"

_QUOTE_CLOSED_AFTER_TERMINAL = rf"(?:“[^”\n]{_Q}[{TERMINALS}]”|\"[^\"\n]{_Q}[{TERMINALS}]\")"
# The pattern is written for speed with Python's backtracking engine ("unrolled loop"): runs of
# ordinary characters are eaten by one character-class repeat, the rarer quotes and titles in
# between by _SPECIAL; a match starts at a non-space (finditer's search skips whitespace) and ends
# on a non-space, so every match is one whole, trimmed sentence and no Python code runs per match.
_PLAIN = rf"[^{TERMINALS}“\"《\n]"  # any character that neither ends a sentence nor opens a quote/title
_SPECIAL = (
    rf"(?:“(?:[^”\n]{_Q}”(?<![{TERMINALS}]”)"  # a quotation that does not end a sentence
    rf"|[^”\n]{_Q}[{TERMINALS}]”{_GOES_ON}"  # ...or one that its attribution or a comma follows
    rf"|(?![^”\n]{_Q}”))"  # an opening quote that does not close (on this line, within QUOTE_SPAN)
    rf"|\"(?:[^\"\n]{_Q}\"(?<![{TERMINALS}]\")|[^\"\n]{_Q}[{TERMINALS}]\"{_GOES_ON}|(?![^\"\n]{_Q}\"))"  # the same in "..."
    rf"|《(?:[^》\n]{_T}》|(?![^》\n]{_T}》))"  # a title, or an opener that does not close
    rf"|(?:[{TERMINALS}][{CLOSERS}]*)+(?=[^\S\n]?[{CONTINUERS}]))"  # terminal marks a comma follows: no end
)
_END = (
    rf"(?:(?:[{TERMINALS}][{CLOSERS}]*)+|{_QUOTE_CLOSED_AFTER_TERMINAL}[{CLOSERS}]*(?:[{TERMINALS}][{CLOSERS}]*)*"
    r"|(?<!\s)(?=[^\S\n]*(?:\n|\Z)))"  # or the end of the line, trailing whitespace left out
)
SENTENCE = re.compile(rf"(?=\S){_PLAIN}*(?:{_SPECIAL}{_PLAIN}*)*{_END}")
_SPAN = re.Match.span


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    kind: str  # "sentence" or a block role from corpus.UNIT_ROLES


def split_sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) code-point offsets of the sentences of text[start:end], whitespace trimmed."""
    end = len(text) if end is None else end
    return map(_SPAN, SENTENCE.finditer(text, start, end))


def segment_blocks(text: str, text_blocks: Iterable[Block]) -> list[Unit]:
    """Units of an article: one per title/byline/caption/heading block, sentences of paragraphs."""
    units: list[Unit] = []
    for block in text_blocks:
        if block.role in UNIT_ROLES:
            units.append(Unit(block.start, block.end, block.role))
        else:
            units.extend(Unit(s, e, "sentence") for s, e in split_sentences(text, block.start, block.end))
    return units


def segment_article(article: dict) -> list[dict]:
    """Sentence records ({"article","idx","start","end","text","kind"}) of one corpus article."""
    text = article_text(article)
    return [
        {"article": article["id"], "idx": i, "start": u.start, "end": u.end, "text": text[u.start : u.end], "kind": u.kind}
        for i, u in enumerate(segment_blocks(text, blocks(article)))
    ]
