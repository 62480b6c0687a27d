"""The scale pipeline's batch function on Apache Spark (the optional `spark` extra).

`annotate_dataframe` runs finnews.scale.preannotate.annotate_batch on every Arrow record batch of a
DataFrame's `id` and `text` columns through `DataFrame.mapInArrow`: the same function, the same
rows, as `finnews pipeline` on one machine. `to_hf_dataset` turns the result into a
`datasets.Dataset` with the pipeline's features (`Dataset.from_spark`).

pyspark is imported inside the functions, so `import finnews` never needs it. The Python workers
must be able to import finnews (install the package where the executors run; for a local session,
start it with PYSPARK_PYTHON set to the interpreter that has finnews).

Records are annotated as given: screen them as `finnews pipeline` does (non-empty string id, text
with a non-blank character, unique ids) before they reach Spark. A null id or text stops the job
with an error that names the record; a blank text gives no sentences; duplicate ids are not
detected here (they would need a shuffle).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pyarrow as pa

from finnews.scale.preannotate import SCHEMA, annotate_batch, check_year

if TYPE_CHECKING:  # pragma: no cover
    import datasets
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructType

INPUT_COLUMNS = ("id", "text")


def spark_schema() -> StructType:
    """The Spark type of annotate_batch rows, derived from finnews.scale.preannotate.SCHEMA."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(SCHEMA)


def _check_batch(batch: pa.RecordBatch) -> None:
    """A record with a null id or text is no article: stop with a message that names it."""
    for name in INPUT_COLUMNS:
        column = batch.column(name)
        if column.null_count:
            row = column.is_null().to_pylist().index(True)
            article = batch.column("id")[row].as_py()
            where = f"article {article!r}" if name == "text" and article is not None else "a record"
            raise ValueError(
                f"finnews.scale.spark: {where} has a null {name}; screen the input first "
                f"(each record needs a non-empty string id and a text)"
            )


def annotate_batches(batches: Iterator[pa.RecordBatch], year: int | None = None) -> Iterator[pa.RecordBatch]:
    """The mapInArrow function: each incoming batch of articles -> its annotate_batch rows."""
    for batch in batches:
        _check_batch(batch)
        yield annotate_batch(batch, year=year)


def annotate_dataframe(df: DataFrame, year: int | None = None) -> DataFrame:
    """Articles (string columns `id`, `text`; others are ignored) -> one row per sentence with its
    draft numeric facts, in the columns of finnews.scale.preannotate.SCHEMA.

    Lazy like any DataFrame transformation; the row order follows the partitions (sort by
    `article`, `idx` for the order of `finnews pipeline`). `year` is passed to annotate_batch (a year
    that is not a four-digit year is refused: UsageError).
    """
    from pyspark.sql.types import StringType

    check_year(year)  # here, not in the executors: a bad year stops the job before it starts
    types = {field.name: field.dataType for field in df.schema.fields}
    for name in INPUT_COLUMNS:
        if name not in types:
            raise ValueError(f"the DataFrame has no column {name!r} (columns: {', '.join(df.columns) or 'none'})")
        if not isinstance(types[name], StringType):
            raise ValueError(f"column {name!r} is {types[name].simpleString()}, not a string column")
    return df.select(*INPUT_COLUMNS).mapInArrow(functools.partial(annotate_batches, year=year), spark_schema())


def to_hf_dataset(df: DataFrame, cache_dir: str | None = None, load_from_cache_file: bool = False, **kwargs) -> datasets.Dataset:
    """`datasets.Dataset.from_spark` of annotate_dataframe output, with SCHEMA's features.

    from_spark evaluates the DataFrame more than once (a count, a size sample, the write):
    `df.cache()` it first when the annotation is expensive. Its cache is keyed by the plan alone,
    not by the data read, so it is not reused unless load_from_cache_file=True is asked for.
    Other keyword arguments go to from_spark (split, keep_in_memory, working_dir).
    """
    import datasets

    if "features" in kwargs:
        raise ValueError("the features are those of finnews.scale.preannotate.SCHEMA; do not pass features")
    missing = [name for name in SCHEMA.names if name not in df.columns]
    if missing:
        raise ValueError(f"the DataFrame has no column {', '.join(map(repr, missing))}: pass the output of annotate_dataframe")
    return datasets.Dataset.from_spark(
        df.select(*SCHEMA.names),
        features=datasets.Features.from_arrow_schema(SCHEMA),
        cache_dir=cache_dir,
        load_from_cache_file=load_from_cache_file,
        **kwargs,
    )
