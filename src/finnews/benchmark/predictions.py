"""The predictions format of the benchmark, and reading a predictions file.

One JSONL file per task, one line per sentence id (annotations/schema/predictions/<task>.schema.json).
Spans are SENTENCE-relative code-point offsets into the sentence `text` (the `text` of
annotations/sentences.jsonl and of the release rows), end exclusive, with the quoted text, which
must match:

- ner:           {"sentence": id, "entities": [{"start", "end", "text", "type"}]}
- numeric_facts: {"sentence": id, "numeric_facts": [{"start", "end", "text", "value", "unit", "kind",
                  "approx", "measured_entity"?: span|null, "measured_property"?: span|null}]}
- stance:        {"sentence": id, "label"?: "negative"|"neutral"|"positive",
                  "stance"?: [{"start", "end", "text" (the evidence), "holder"?: {"start", "end", "text"},
                  "target": {"start", "end", "text"}, "polarity"}]}

A sentence without a line predicts nothing (no entity, no fact, no label). A sentence id the
corpus does not hold is an error; so are lines for sentences outside the evaluated ones (see
finnews.benchmark.evaluate). Problems are reported like `finnews validate`: `path:line: rule:
message`, all at once, in one DataError.
"""

from __future__ import annotations

from pathlib import Path

from finnews.checks.incidents import Incident, collector, ordered
from finnews.checks.records import read_records
from finnews.errors import DataError, UsageError

TASKS = ("ner", "numeric_facts", "stance")

#: task -> the list field of a prediction line
LIST_FIELD = {"ner": "entities", "numeric_facts": "numeric_facts", "stance": "stance"}

#: task -> secondary span fields of an item (checked like the main span when they have offsets)
SPAN_FIELDS = {"ner": (), "numeric_facts": ("measured_entity", "measured_property"), "stance": ("holder", "target")}


def check_task(task: str) -> str:
    if task not in TASKS:
        raise UsageError(f"unknown task {task!r}: choose one of {', '.join(TASKS)}")
    return task


def schema_name(task: str) -> str:
    return f"predictions/{check_task(task)}.schema.json"


def _item_spans(task: str, item: dict, where: str):
    yield where, item
    for name in SPAN_FIELDS[task]:
        span = item.get(name)
        if isinstance(span, dict) and span.get("start") is not None:
            yield f"{where}.{name}", span


def check_spans(task: str, record: dict, text: str) -> list[tuple[str, str]]:
    """(rule, message) for every span of a schema-valid line that is out of range or misquoted."""
    problems = []
    for i, item in enumerate(record.get(LIST_FIELD[task], [])):
        for where, span in _item_spans(task, item, f"{record['sentence']} {LIST_FIELD[task]}[{i}]"):
            start, end = span["start"], span["end"]
            if end is None or not 0 <= start < end <= len(text):
                problems.append(("offset-range", f"{where}: [{start}, {end}) is outside the sentence (length {len(text)})"))
            elif text[start:end] != span["text"]:
                problems.append(
                    (
                        "quote-mismatch",
                        f"{where}: quotes {span['text']!r} but the sentence has {text[start:end]!r} at [{start}, {end})",
                    )
                )
    return problems


def read_predictions(
    task: str, path: str | Path, texts: dict[str, str], where: str = "the corpus"
) -> dict[str, tuple[int, dict]]:
    """Sentence id -> (line number, prediction line) of a predictions file of `task`; `texts` maps
    every known sentence id to its text (`where`: what holds them, for messages). Raises DataError
    with every problem found; UsageError when the path is not a file."""
    from finnews.checks.records import check_schema

    if not isinstance(path, (str, Path)):
        raise UsageError(f"predictions must be a path, not {type(path).__name__}")
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: {'is a directory, not a predictions file' if path.is_dir() else 'no such predictions file'}")
    incidents: list[Incident] = []
    report = collector(incidents, str(path))
    out: dict[str, tuple[int, dict]] = {}
    for number, record in check_schema(read_records(path, report, may_be_empty=True), schema_name(task), report):
        sentence = record["sentence"]
        if sentence not in texts:
            report(number, "unknown-sentence", f"no sentence {sentence!r} in {where}")
            continue
        if sentence in out:
            report(number, "duplicate-sentence", f"{sentence} already has a line ({out[sentence][0]})")
            continue
        problems = check_spans(task, record, texts[sentence])
        for rule, message in problems:
            report(number, rule, message)
        out[sentence] = (number, record)
    if incidents:
        raise DataError(ordered(incidents))
    return out
