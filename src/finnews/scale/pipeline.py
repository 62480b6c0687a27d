"""`finnews pipeline`: articles at scale -> sentence shards and draft numeric facts for review.

Input: JSONL (one object per line) or Parquet (read with ParquetFile.iter_batches), with a string
`id` and `text` per article (in Parquet, columns of a type in TEXT_TYPES, or a dictionary of one);
other fields (metadata) are read past and not carried over. The input is streamed: lines (or row
batches) are read, cut into chunks of CHUNK_SIZE articles, and each chunk goes through
finnews.scale.preannotate (annotate_batch, and the drafts as Arrow columns), in this process or in
a pool of worker processes (results are collected in input order, with at most 2 chunks per
worker in flight).
Memory holds a few chunks, counters and the ids seen, for duplicate detection: a dict id -> first
line, exact (no hash collisions) and able to say where the first record was; it costs about 130
bytes per id of 17 ASCII characters (measured: 129 MB for a million), so ~13 MB at 100k articles.

Output, in DIR (written to a temporary folder beside it and renamed at the end; an existing
non-empty DIR, and the current directory even when empty, are refused):

- `sentences-00000.arrow`, ...: Arrow IPC streams of annotate_batch rows (finnews.scale.preannotate.SCHEMA),
  SHARD_SIZE articles per shard, one record batch per chunk;
- `numeric_facts.draft.parquet`: the draft facts, one row each (DRAFT_SCHEMA): the flat fields of
  the gold numeric-fact shape (annotations/schema/numeric_fact.schema.json) with `article` = the
  input id and ids `<article>-n001`..., plus `high` (the upper end of a range read as one
  quantity) and `reason` (why a value is empty). Columnar, so that writing them costs no JSON
  encoding per fact; the file's metadata names the review status (draft) and the tool@version.
  `draft_records` turns rows into gold-shaped records (context spans null, review {status:
  draft, annotator: the tool@version, note: the reason}), and `write_label_studio` writes Label
  Studio tasks (one per sentence with drafts, the drafts as predictions) and the labeling config.
  Input ids are kept as given, so a draft of an article whose id does not match our id pattern
  fails that pattern in the schema: the drafts are for review tools (Label Studio), not a gold layer;
- `bad_records.txt`: every bad record as `path:line: rule: message` (line = 1-based row for Parquet);
- `summary.json`: counts only (no timings), so the output is byte-identical across runs and
  worker counts.

Bad records (RULES) are never dropped silently: each is reported with its position and counted;
on_bad="skip" goes on without it, on_bad="fail" stops the run (nothing is written). The first
record with an id is kept; later ones are duplicates. A Parquet file that cannot be read
(parquet-unreadable, line 0) or has no string id or text column stops the run either way.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import multiprocessing
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TextIO

import pyarrow as pa

from finnews.checks.incidents import RULES as ALL_RULES
from finnews.checks.incidents import Incident
from finnews.checks.records import parse_line
from finnews.data.files import move_into_place, staged_folder, write_new_files
from finnews.data.schema import schemas
from finnews.errors import DataError, UsageError
from finnews.scale.preannotate import DRAFT_FACT, SCHEMA, TOOL, annotate_columns, check_year

#: the rules a bad input record can break (explanations in finnews.checks.incidents.RULES)
RULES: dict[str, str] = {
    rule: ALL_RULES[rule]
    for rule in ("json-syntax", "json-duplicate-key", "encoding-utf8", "missing-id", "empty-text", "duplicate-id")
}
ON_BAD = ("skip", "fail")
SHARD_SIZE = 10_000  # articles per sentence shard: fixed, so shards never depend on --workers
CHUNK_SIZE = 250  # articles per unit of work (and per record batch of a shard); divides SHARD_SIZE
DRAFTS = "numeric_facts.draft.parquet"
DRAFT_ROW_GROUP = 65_536  # draft rows per Parquet row group (fixed: the bytes never depend on --workers)
DRAFT_SCHEMA = pa.schema(
    [("id", pa.string()), ("article", pa.string()), *((f.name, f.type) for f in DRAFT_FACT)],
    metadata={
        "finnews.review.status": "draft",
        "finnews.review.annotator": TOOL,
        "finnews.shape": "numeric_fact.schema.json, flat: context spans null, review in this metadata",
    },
)
BAD_RECORDS = "bad_records.txt"
SUMMARY = "summary.json"
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
PARQUET_SUFFIXES = (".parquet", ".pq")


class BadRecordError(DataError):
    """A bad record under on_bad="fail"."""

    def __init__(self, incident: Incident):
        super().__init__([incident], "--on-bad fail: stopped, nothing written")
        self.incident = incident


@dataclass
class Summary:
    records: int = 0  # input records read (non-blank lines, or rows)
    articles: int = 0  # records annotated
    sentences: int = 0
    facts: int = 0
    bytes: int = 0  # UTF-8 bytes of the annotated articles' text
    shards: int = 0
    bad: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RULES, 0))
    year: int | None = None
    shard_size: int = SHARD_SIZE
    chunk_size: int = CHUNK_SIZE
    seconds: float = 0.0  # wall time of the run; never written to summary.json

    def to_json(self) -> dict:
        """summary.json: counts and what shaped the output (tool, year, shard and chunk size)."""
        return {
            "articles": self.articles,
            "bad": dict(sorted(self.bad.items())),
            "bad_total": sum(self.bad.values()),
            "bytes": self.bytes,
            "chunk_size": self.chunk_size,
            "facts": self.facts,
            "records": self.records,
            "sentences": self.sentences,
            "shard_size": self.shard_size,
            "shards": self.shards,
            "tool": TOOL,
            "year": self.year,
        }


@dataclass(frozen=True)
class Article:
    line: int
    id: str
    text: str
    size: int  # UTF-8 bytes of text


# ---------------------------------------------------------------- reading


def _check(display: str, line: int, article_id: object, text: object) -> Article | Incident:
    """An Article, or the Incident that makes the record bad (id first, then text)."""
    if not isinstance(article_id, str) or not article_id:
        what = "no id" if article_id is None else f"id {article_id!r} is not a non-empty string"
        return Incident(display, line, "missing-id", what)
    if not isinstance(text, str) or not text.strip():
        what = (
            f"{article_id!r} has no text"
            if text is None
            else f"text of {article_id!r} is {'empty or blank' if isinstance(text, str) else 'not a string'}"
        )
        return Incident(display, line, "empty-text", what)
    # (no unpaired surrogate can reach here: parse_line refuses the JSON escapes that make one, and
    # strict UTF-8 decoding of Parquet bytes makes none)
    return Article(line, article_id, text, len(text.encode("utf-8")))


def _jsonl(path: Path, display: str) -> Iterator[Article | Incident]:
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue  # blank lines hold no record
            record, problem = parse_line(raw.rstrip(b"\r\n"))
            if problem:
                yield Incident(display, number, *problem)
                continue
            yield _check(display, number, record.get("id"), record.get("text"))


def _decode(value: bytes | None) -> str | None | UnicodeDecodeError:
    if value is None:
        return None
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError as error:
        return error


#: Arrow types a Parquet id or text column may have (by name: string_view needs pyarrow 16); a
#: dictionary of one of them (a pandas category) is read as its values
TEXT_TYPES = ("string", "large_string", "string_view", "binary", "large_binary", "binary_view")


def _parquet(path: Path, display: str) -> Iterator[Article | Incident]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        _check_columns(pf.schema_arrow, display)
        row = 0
        for batch in pf.iter_batches(batch_size=CHUNK_SIZE, columns=["id", "text"]):
            ids, texts = _raw(batch.column("id")), _raw(batch.column("text"))
            for raw_id, raw_text in zip(ids, texts):
                row += 1
                yield _row(display, row, raw_id, raw_text)
    except (pa.ArrowException, OSError) as error:  # not Parquet, or a corrupt footer, page or compression
        incident = Incident(display, 0, "parquet-unreadable", f"not a readable Parquet file ({error})")
        raise DataError([incident], "nothing written") from None


def _check_columns(schema: pa.Schema, display: str) -> None:
    """Refuse (DataError) a Parquet file without an id or text column of a string type."""
    for name, rule in (("id", "missing-id"), ("text", "empty-text")):
        if name not in schema.names:
            what = f"the Parquet file has no column {name!r} (columns: {', '.join(schema.names)})"
            raise DataError([Incident(display, 0, rule, what)], "nothing written")
        kind = schema.field(name).type
        if str(kind.value_type if pa.types.is_dictionary(kind) else kind) not in TEXT_TYPES:
            raise DataError([Incident(display, 0, rule, f"column {name!r} is {kind}, not a string column")], "nothing written")


def _raw(column: pa.Array) -> list[bytes | None]:
    """The values of a string column as raw bytes: a string column is not guaranteed to hold valid UTF-8."""
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    return column.cast(pa.large_binary()).to_pylist()


def _row(display: str, row: int, raw_id: bytes | None, raw_text: bytes | None) -> Article | Incident:
    article_id, text = _decode(raw_id), _decode(raw_text)
    bad = next((v for v in (article_id, text) if isinstance(v, UnicodeDecodeError)), None)
    if bad is not None:
        column = "id" if bad is article_id else "text"
        return Incident(display, row, "encoding-utf8", f"byte {bad.start} of the {column} is not UTF-8 ({bad.reason})")
    return _check(display, row, article_id, text)


def input_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    raise UsageError(f"{path}: unknown input format (expected {', '.join(JSONL_SUFFIXES + PARQUET_SUFFIXES)})")


def _input_file(path: str | Path) -> Path:
    """The input path, refused (UsageError) unless it is a file."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: {'is a directory, not an input file' if path.is_dir() else 'no such input file'}")
    return path


def iter_articles(path: str | Path) -> Iterator[Article | Incident]:
    """Every input record in order, as an Article or as the Incident that makes it bad.

    Duplicate ids are found here: the first record with an id is kept, later ones are incidents.
    """
    path = _input_file(path)
    reader = _jsonl if input_format(path) == "jsonl" else _parquet
    seen: dict[str, int] = {}
    for item in reader(path, str(path)):
        if isinstance(item, Article):
            first = seen.setdefault(item.id, item.line)
            if first != item.line:
                item = Incident(str(path), item.line, "duplicate-id", f"id {item.id!r} is already used on line {first}")
        yield item


# ---------------------------------------------------------------- annotation (runs in the workers)


@cache
def _draft_fields() -> tuple[str, ...]:
    """The gold numeric-fact fields in schema order (source_issue, optional, is left out)."""
    return tuple(schemas()["numeric_fact.schema.json"]["required"])


def _number(value: float | None) -> int | float | None:
    """Arrow stores values as float64; write whole numbers as integers, as the gold does."""
    if value is not None and math.isfinite(value) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def annotate_chunk(ids: list[str], texts: list[str], year: int | None = None) -> tuple[pa.RecordBatch, pa.RecordBatch, int]:
    """One unit of work: (sentence rows, draft rows, number of facts) of some articles."""
    sentences, facts = annotate_columns(ids, texts, year)
    numbers = [f"{article}-n{n:03d}" for article, n in _numbered(facts.article)]
    facts_column = sentences.column("numeric_facts").flatten()  # the same facts, already in Arrow
    drafts = pa.RecordBatch.from_arrays(
        [pa.array(numbers, pa.string()), pa.array(facts.article, pa.string()), *(facts_column.field(f.name) for f in DRAFT_FACT)],
        schema=DRAFT_SCHEMA,
    )
    return sentences, drafts, len(facts)


def _numbered(articles: list[str]) -> Iterator[tuple[str, int]]:
    """(article, 1-based number within it) of every fact; the facts of an article come together."""
    for article, group in itertools.groupby(articles):
        for number, _ in enumerate(group, start=1):
            yield article, number


def read_drafts(folder: str | Path) -> pa.Table:
    """The draft facts of a run (DRAFT_SCHEMA)."""
    import pyarrow.parquet as pq

    return pq.read_table(Path(folder) / DRAFTS, schema=DRAFT_SCHEMA)


def draft_records(drafts: pa.Table | pa.RecordBatch) -> list[dict]:
    """Draft rows as records of the gold numeric-fact shape: the review says draft, the tool and,
    where the extractor gave one, the reason its value is empty (as the review note)."""
    fields = _draft_fields()
    records = []
    for row in drafts.to_pylist():
        record = dict.fromkeys(fields)
        record.update(
            {name: row[name] for name in ("id", "article", "start", "end", "text", "unit", "kind", "approx", "iso")},
            value=_number(row["value"]),
        )
        review = {"status": "draft", "annotator": TOOL, "checked_by": None, "checked_at": None}
        notes = [row["reason"]] if row["reason"] else []
        if row["high"] is not None:
            notes.append(f"a range up to {_number(row['high'])}")
        if notes:
            review["note"] = "; ".join(notes)
        record["review"] = review
        records.append(record)
    return records


def label_studio_tasks(folder: str | Path) -> list[dict]:
    """Label Studio tasks of a run: one per sentence that has drafts, the drafts as predictions
    (offsets in UTF-16 code units, region ids = draft ids), for the config of label_config("numeric_facts")."""
    from finnews.interop.labelstudio import record_results
    from finnews.interop.layers import Unit, layer_spec

    spec = layer_spec("numeric_facts")
    by_article: dict[str, list[dict]] = {}
    for record in draft_records(read_drafts(folder)):
        by_article.setdefault(record["article"], []).append(record)
    tasks = []
    for path in sorted(Path(folder).glob("sentences-*.arrow")):
        for row in pa.ipc.open_stream(path.read_bytes()).read_all().drop_columns(["numeric_facts"]).to_pylist():
            drafts = [r for r in by_article.get(row["article"], []) if row["start"] <= r["start"] < row["end"]]
            if not drafts:
                continue
            sentence = f"{row['article']}-s{row['idx']:03d}"
            unit = Unit(len(tasks) + 1, row["article"], sentence, row["start"], row["end"], row["text"])
            result = [r for record in drafts for r in record_results(spec, record, unit)]
            tasks.append(
                {
                    "id": unit.task_id,
                    "data": {"text": row["text"], "article": row["article"], "sentence": sentence, "layer": "numeric_facts"},
                    "predictions": [{"model_version": TOOL, "result": result}],
                }
            )
    return tasks


def write_label_studio(folder: str | Path, out: str | Path, force: bool = False) -> list[Path]:
    """Write OUT/numeric_facts.draft.label-studio.json (tasks) and OUT/numeric_facts.label-studio.xml (config)."""
    from finnews.interop.labelstudio import label_config

    out = Path(out)
    tasks = json.dumps(label_studio_tasks(folder), ensure_ascii=False, indent=1) + "\n"
    return write_new_files(
        {
            out / "numeric_facts.draft.label-studio.json": tasks,
            out / "numeric_facts.label-studio.xml": label_config("numeric_facts"),
        },
        force,
    )


# ---------------------------------------------------------------- the run


@dataclass
class _Chunk:
    shard: int
    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    size: int = 0


class _Done:
    """A result computed in this process, with the interface of multiprocessing's AsyncResult."""

    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


def _start_method() -> str:
    # fork starts a worker in milliseconds with the modules already imported; spawn elsewhere
    return "fork" if sys.platform.startswith("linux") else "spawn"


class _Output:
    """The files of a run in the temporary folder: shards opened as their first chunk arrives."""

    def __init__(self, folder: Path):
        import pyarrow.parquet as pq

        self.folder = folder
        self.shard = -1
        self.writer: pa.ipc.RecordBatchStreamWriter | None = None
        self.drafts = pq.ParquetWriter(folder / DRAFTS, DRAFT_SCHEMA)
        self.pending: list[pa.RecordBatch] = []  # draft rows not yet in a row group
        self.pending_rows = 0
        self.bad: TextIO = open(folder / BAD_RECORDS, "w", encoding="utf-8", newline="\n")
        self.closed = False

    def write(self, shard: int, sentences: pa.RecordBatch, drafts: pa.RecordBatch) -> None:
        while self.shard < shard:
            self._next_shard()
        self.writer.write_batch(sentences)
        self.pending.append(drafts)
        self.pending_rows += drafts.num_rows
        if self.pending_rows >= DRAFT_ROW_GROUP:
            self._flush_drafts()

    def _flush_drafts(self) -> None:
        self.drafts.write_table(pa.Table.from_batches(self.pending, schema=DRAFT_SCHEMA), row_group_size=DRAFT_ROW_GROUP)
        self.pending, self.pending_rows = [], 0

    def _next_shard(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.shard += 1
        self.writer = pa.ipc.new_stream(str(self.folder / f"sentences-{self.shard:05d}.arrow"), SCHEMA)

    def close(self) -> int:
        """Close every file (again: a no-op); return the number of shards (an input without
        articles gets one empty shard, so that every output has the schema)."""
        if not self.closed:
            self.closed = True
            if self.writer is None:
                self._next_shard()
            self.writer.close()
            if self.pending:
                self._flush_drafts()
            self.drafts.close()
            self.bad.close()
        return self.shard + 1


def run_pipeline(
    input: str | Path,
    out: str | Path,
    workers: int = 1,
    on_bad: str = "skip",
    year: int | None = None,
    progress: bool = False,
    *,
    on_incident: Callable[[Incident], None] | None = None,
    shard_size: int = SHARD_SIZE,
    chunk_size: int = CHUNK_SIZE,
) -> Summary:
    """Segment and pre-annotate the articles of INPUT into the folder OUT (see the module docstring).

    workers: processes annotating chunks (1: this process); the output is the same for any number.
    on_bad: "skip" (report, count, go on) or "fail" (raise BadRecordError at the first bad record).
    year: completes dates that give none (see annotate_batch). progress: a tqdm bar on a terminal.
    on_incident: called with every bad record as it is read (e.g. to print it); under on_bad="fail"
    the first bad record is in the BadRecordError instead.
    shard_size, chunk_size: articles per shard and per unit of work (they shape the output bytes).
    """
    if on_bad not in ON_BAD:
        raise UsageError(f"on_bad must be one of {', '.join(ON_BAD)}, not {on_bad!r}")
    for name, value in (("workers", workers), ("shard_size", shard_size), ("chunk_size", chunk_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise UsageError(f"{name} must be a positive integer, not {value!r}")
    check_year(year, "--year")
    input, out = _input_file(input), Path(out)
    input_format(input)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"{out} exists and is not an empty directory: choose a new output directory")
    if out.is_dir() and out.samefile("."):  # the finished output is renamed into place: not over the folder we are in
        raise UsageError(f"{out} is the current directory: choose a new output directory (or an empty one elsewhere)")
    started = time.perf_counter()
    summary = Summary(year=year, shard_size=shard_size, chunk_size=chunk_size)
    with staged_folder(out) as tmp:
        _run(input, tmp, summary, workers, on_bad, year, progress, on_incident, started)
        move_into_place(tmp, out)
    summary.seconds = time.perf_counter() - started
    return summary


def _run(
    input: Path,
    tmp: Path,
    summary: Summary,
    workers: int,
    on_bad: str,
    year: int | None,
    progress: bool,
    on_incident: Callable[[Incident], None] | None,
    started: float,
) -> None:
    """Annotate every chunk of the input into the staged folder tmp (removed by the caller on failure)."""
    shard_size, chunk_size = summary.shard_size, summary.chunk_size
    # the pool is made first, so that workers fork from a process that has no reader threads yet
    pool = multiprocessing.get_context(_start_method()).Pool(workers) if workers > 1 else None
    output = bar = None
    try:
        output = _Output(tmp)
        bar = _progress_bar(input, progress)

        def chunks() -> Iterator[_Chunk]:
            chunk = _Chunk(0)
            for item in iter_articles(input):
                summary.records += 1
                if isinstance(item, Incident):
                    if on_bad == "fail":
                        raise BadRecordError(item)  # the error reports it (not on_incident: once)
                    summary.bad[item.rule] += 1
                    output.bad.write(f"{item}\n")
                    if on_incident is not None:
                        on_incident(item)
                    continue
                chunk.ids.append(item.id)
                chunk.texts.append(item.text)
                chunk.size += item.size
                summary.articles += 1
                if len(chunk.ids) == chunk_size or summary.articles % shard_size == 0:
                    yield chunk  # a chunk never crosses a shard boundary
                    chunk = _Chunk(summary.articles // shard_size)
            if chunk.ids:
                yield chunk

        def collect(pending: deque) -> None:
            chunk, result = pending.popleft()
            sentences, drafts, facts = result.get()
            output.write(chunk.shard, sentences, drafts)
            summary.sentences += sentences.num_rows
            summary.facts += facts
            summary.bytes += chunk.size
            if bar is not None:
                bar.update(len(chunk.ids))
                bar.set_postfix_str(f"{summary.bytes / 1e6 / max(time.perf_counter() - started, 1e-9):.2f} MB/s", refresh=False)

        pending: deque = deque()
        for chunk in chunks():
            args = (chunk.ids, chunk.texts, year)
            pending.append((chunk, pool.apply_async(annotate_chunk, args) if pool else _Done(annotate_chunk(*args))))
            if len(pending) >= 2 * workers:  # bounded: the reader never runs far ahead of the workers
                collect(pending)
        while pending:
            collect(pending)
        summary.shards = output.close()
        (tmp / SUMMARY).write_text(
            json.dumps(summary.to_json(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
    except BaseException:
        if pool is not None:
            pool.terminate()
        if output is not None:
            output.close()
        raise
    finally:
        if bar is not None:
            bar.close()  # (also before an error is printed: the bar's line ends first)
        if pool is not None:
            pool.close()
            pool.join()


def _progress_bar(input: Path, progress: bool):
    if not progress or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    total = None
    if input_format(input) == "parquet":
        import pyarrow.parquet as pq

        with contextlib.suppress(pa.ArrowException, OSError):  # (an unreadable file is reported by the reader)
            total = pq.ParquetFile(input).metadata.num_rows
    return tqdm(total=total, unit=" articles", unit_scale=True, dynamic_ncols=True, file=sys.stderr)
