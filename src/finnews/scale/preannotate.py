"""Arrow batch function of the scale pipeline: articles in, sentences with draft numeric facts out.

The same function runs in `finnews pipeline` (one process per worker), inside
`datasets.Dataset.map(batched=True)`, and on Spark through `DataFrame.mapInArrow` (finnews.scale.spark).
The drafts are the rule-based extractor's (finnews.nlp.numbers.find_quantities) and are marked as
such: they are pre-annotations for review, never gold.

Each article is read once by the extractor (not sentence by sentence) and its facts are handed to
the sentences that hold them; every column is built as a flat Python list and turned into Arrow
once per batch (no dict per fact). Values are float64: an integer beyond 2**53 is rounded, and a
number beyond the range of a double has no value and says so in `reason`.
"""

from __future__ import annotations

import bisect
import math

import pyarrow as pa

from finnews.data.version import installed_version
from finnews.errors import UsageError
from finnews.nlp.numbers import find_quantities
from finnews.nlp.segment import split_sentences

TOOL = f"tool:finnews.preannotate@{installed_version()}"
#: the years a collection's `year` may be: ISO 8601's four-digit years
YEARS = range(1000, 10000)

DRAFT_FACT = pa.struct(
    [
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("text", pa.string()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("kind", pa.string()),
        ("approx", pa.string()),
        ("iso", pa.string()),
        ("high", pa.float64()),
        ("reason", pa.string()),
    ]
)
SCHEMA = pa.schema(
    [
        ("article", pa.string()),
        ("idx", pa.int32()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("text", pa.string()),
        ("numeric_facts", pa.list_(DRAFT_FACT)),
    ]
)


def _floats(values: list) -> tuple[pa.Array, list[str | None]]:
    """float64 Arrow array of values, and per value the reason it has none (too large for a double)."""
    try:
        return pa.array(values, pa.float64()), [None] * len(values)
    except (pa.ArrowInvalid, OverflowError):
        pass
    fitted, reasons = [], []
    for value in values:
        try:
            number = None if value is None else float(value)
        except OverflowError:
            number = float("inf")
        ok = number is None or math.isfinite(number)
        fitted.append(number if ok else None)
        reasons.append(None if ok else f"value {str(value)[:20]}... is beyond the range of a float64")
    return pa.array(fitted, pa.float64()), reasons


class Facts:
    """The facts of many articles, in order: (article, start, end, text, Quantity) as columns."""

    def __init__(self) -> None:
        self.article: list[str] = []
        self.start: list[int] = []
        self.end: list[int] = []
        self.text: list[str] = []
        self.quantities: list = []

    def __len__(self) -> int:
        return len(self.article)

    def extend(self, article: str, text: str, found: list) -> None:
        self.article.extend([article] * len(found))
        for start, end, q in found:
            self.start.append(start)
            self.end.append(end)
            self.text.append(text[start:end])
            self.quantities.append(q)

    def arrays(self) -> list[pa.Array]:
        """One Arrow array per DRAFT_FACT field."""
        qs = self.quantities
        values, too_big = _floats([q.value for q in qs])
        highs, _ = _floats([q.high for q in qs])
        reasons = [q.reason or big for q, big in zip(qs, too_big)]
        columns = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "unit": [q.unit for q in qs],
            "kind": [q.kind for q in qs],
            "approx": [q.approx for q in qs],
            "iso": [q.iso for q in qs],
            "reason": reasons,
        }
        return [
            values if f.name == "value" else highs if f.name == "high" else pa.array(columns[f.name], f.type) for f in DRAFT_FACT
        ]


def check_year(year: object, name: str = "year") -> None:
    """Refuse (UsageError) a year that is not None or a four-digit year: day-dates would be dropped
    or get ISO values ('12345-12-30', '-003-12-30') that the schema refuses. name: as the caller calls it."""
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or year not in YEARS):
        raise UsageError(f"{name} must be a four-digit year ({YEARS.start}-{YEARS.stop - 1}), not {year!r}")


def annotate_columns(ids: list[str], texts: list[str], year: int | None = None) -> tuple[pa.RecordBatch, Facts]:
    """annotate_batch, with the facts also as columns (what the pipeline's drafts are made of)."""
    check_year(year)
    article, idx, starts, ends, sentence_text = [], [], [], [], []
    offsets = [0]
    facts = Facts()
    for article_id, text in zip(ids, texts):
        spans = list(split_sentences(text))
        found = find_quantities(text, year)
        article.extend([article_id] * len(spans))
        idx.extend(range(len(spans)))
        starts.extend(s for s, _ in spans)
        ends.extend(e for _, e in spans)
        sentence_text.extend(text[s:e] for s, e in spans)
        base = len(facts)
        if found:  # facts come in text order; a sentence takes those starting before its end
            fact_starts = [f[0] for f in found]
            offsets.extend(base + bisect.bisect_left(fact_starts, e) for _, e in spans)
            if spans:
                offsets[-1] = base + len(found)  # (none can start after the last sentence: kept there anyway)
            facts.extend(article_id, text, found)
        else:
            offsets.extend([base] * len(spans))
    columns = {"article": article, "idx": idx, "start": starts, "end": ends, "text": sentence_text}
    arrays = [pa.array(columns[name], SCHEMA.field(name).type) for name in columns]
    arrays.append(
        pa.ListArray.from_arrays(
            pa.array(offsets, pa.int32()), pa.StructArray.from_arrays(facts.arrays(), fields=list(DRAFT_FACT))
        )
    )
    return pa.RecordBatch.from_arrays(arrays, schema=SCHEMA), facts


def annotate_batch(batch: pa.RecordBatch | pa.Table, year: int | None = None) -> pa.RecordBatch:
    """Articles (columns `id`, `text`) -> one row per sentence with its draft numeric facts.

    Offsets of sentences and facts are code points into the article text. `year` completes dates
    that give none (a collection of one year's news); without it such dates get no ISO value. A
    year that is not a four-digit year is refused (UsageError).
    """
    sentences, _ = annotate_columns(batch.column("id").to_pylist(), batch.column("text").to_pylist(), year)
    return sentences
