"""Arrow batch function of the scale pipeline: articles in, sentences with draft numeric facts out.

The same function runs in `finnews pipeline` (one process per worker), inside
`datasets.Dataset.map(batched=True)`, and on Spark through `DataFrame.mapInArrow` (finnews.spark).
The drafts are the rule-based extractor's (finnews.numbers.find_quantities) and are marked as
such: they are pre-annotations for review, never gold.
"""
from __future__ import annotations

import pyarrow as pa

from finnews.data.version import installed_version
from finnews.nlp.numbers import find_quantities
from finnews.nlp.segment import split_sentences

TOOL = f"tool:finnews.preannotate@{installed_version()}"

DRAFT_FACT = pa.struct([("start", pa.int32()), ("end", pa.int32()), ("text", pa.string()), ("value", pa.float64()),
                        ("unit", pa.string()), ("kind", pa.string()), ("approx", pa.string()), ("iso", pa.string())])
SCHEMA = pa.schema([("article", pa.string()), ("idx", pa.int32()), ("start", pa.int32()), ("end", pa.int32()),
                    ("text", pa.string()), ("numeric_facts", pa.list_(DRAFT_FACT))])


def annotate_batch(batch: pa.RecordBatch | pa.Table, year: int | None = None) -> pa.RecordBatch:
    """Articles (columns `id`, `text`) -> one row per sentence with its draft numeric facts.

    Offsets of sentences and facts are code points into the article text. `year` completes dates
    that give none (a collection of one year's news); without it such dates get no ISO value.
    """
    cols: dict[str, list] = {name: [] for name in SCHEMA.names}
    for article_id, text in zip(batch.column("id").to_pylist(), batch.column("text").to_pylist()):
        for idx, (start, end) in enumerate(split_sentences(text)):
            sentence = text[start:end]
            cols["article"].append(article_id)
            cols["idx"].append(idx)
            cols["start"].append(start)
            cols["end"].append(end)
            cols["text"].append(sentence)
            cols["numeric_facts"].append([
                {"start": start + s, "end": start + e, "text": sentence[s:e], "value": q.value, "unit": q.unit,
                 "kind": q.kind, "approx": q.approx, "iso": q.iso}
                for s, e, q in find_quantities(sentence, year=year)])
    return pa.RecordBatch.from_pydict(cols, schema=SCHEMA)
