"""Arrow batch function of the scale pipeline: articles in, sentences with draft numeric facts out.

The same function runs in `finnews pipeline` (one process per worker), inside
`datasets.Dataset.map(batched=True)`, and on Spark through `DataFrame.mapInArrow` (finnews.spark).
The drafts are the rule-based extractor's (finnews.nlp.numbers.find_quantities) and are marked as
such: they are pre-annotations for review, never gold.

Each article is read once by the extractor (not sentence by sentence) and its facts are handed to
the sentences that hold them; every column is built as a flat Python list and turned into Arrow
once per batch (no dict per fact). Values are float64: an integer beyond 2**53 is rounded, and a
number beyond the range of a double has no value and says so in `reason`.
"""
from __future__ import annotations

import math

import pyarrow as pa

from finnews import __version__
from finnews.nlp.numbers import find_quantities
from finnews.nlp.segment import split_sentences

TOOL = f"tool:finnews.preannotate@{__version__}"

DRAFT_FACT = pa.struct([("start", pa.int32()), ("end", pa.int32()), ("text", pa.string()), ("value", pa.float64()),
                        ("unit", pa.string()), ("kind", pa.string()), ("approx", pa.string()), ("iso", pa.string()),
                        ("high", pa.float64()), ("reason", pa.string())])
SCHEMA = pa.schema([("article", pa.string()), ("idx", pa.int32()), ("start", pa.int32()), ("end", pa.int32()),
                    ("text", pa.string()), ("numeric_facts", pa.list_(DRAFT_FACT))])
FACT_FIELDS = tuple(f.name for f in DRAFT_FACT)


def _float(value: int | float | None) -> tuple[float | None, str | None]:
    """(value as a double, reason) -- None and a reason when it does not fit one."""
    if value is None:
        return None, None
    try:
        result = float(value)
    except OverflowError:
        return None, f"value {str(value)[:20]}... is beyond the range of a float64"
    return (result, None) if math.isfinite(result) else (None, "value is not a finite number")


class FactColumns:
    """The facts of many sentences as flat columns (one list per DRAFT_FACT field), plus the
    article of each fact, in order."""

    def __init__(self) -> None:
        self.columns: dict[str, list] = {name: [] for name in FACT_FIELDS}
        self.article: list[str] = []

    def __len__(self) -> int:
        return len(self.article)

    def add(self, article: str, text: str, start: int, end: int, q) -> None:
        value, too_big = _float(q.value)
        high, _ = _float(q.high)
        c = self.columns
        c["start"].append(start)
        c["end"].append(end)
        c["text"].append(text[start:end])
        c["value"].append(value)
        c["unit"].append(q.unit)
        c["kind"].append(q.kind)
        c["approx"].append(q.approx)
        c["iso"].append(q.iso)
        c["high"].append(high)
        c["reason"].append(q.reason or too_big)
        self.article.append(article)

    def struct_array(self) -> pa.StructArray:
        return pa.StructArray.from_arrays([pa.array(self.columns[f.name], f.type) for f in DRAFT_FACT],
                                          fields=list(DRAFT_FACT))


def annotate_columns(ids: list[str], texts: list[str], year: int | None = None) -> tuple[pa.RecordBatch, FactColumns]:
    """annotate_batch, with the facts also as flat columns (what the pipeline's drafts are made of)."""
    sentences: dict[str, list] = {name: [] for name in ("article", "idx", "start", "end", "text")}
    facts = FactColumns()
    offsets = [0]
    for article_id, text in zip(ids, texts):
        found = find_quantities(text, year)
        k, n = 0, len(found)
        for idx, (start, end) in enumerate(split_sentences(text)):
            sentences["article"].append(article_id)
            sentences["idx"].append(idx)
            sentences["start"].append(start)
            sentences["end"].append(end)
            sentences["text"].append(text[start:end])
            while k < n and found[k][0] < end:  # facts come in text order; a sentence takes those starting in it
                facts.add(article_id, text, *found[k])
                k += 1
            offsets.append(len(facts))
    arrays = [pa.array(sentences[name], SCHEMA.field(name).type) for name in ("article", "idx", "start", "end", "text")]
    arrays.append(pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), facts.struct_array()))
    return pa.RecordBatch.from_arrays(arrays, schema=SCHEMA), facts


def annotate_batch(batch: pa.RecordBatch | pa.Table, year: int | None = None) -> pa.RecordBatch:
    """Articles (columns `id`, `text`) -> one row per sentence with its draft numeric facts.

    Offsets of sentences and facts are code points into the article text. `year` completes dates
    that give none (a collection of one year's news); without it such dates get no ISO value.
    """
    sentences, _ = annotate_columns(batch.column("id").to_pylist(), batch.column("text").to_pylist(), year)
    return sentences
