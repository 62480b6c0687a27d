"""The predictions format of the benchmark, and the gold put into the same shape.

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

A sentence without a line predicts nothing (no entity, no fact, no label). A file may hold lines for
sentences of other splits (they are ignored); a sentence id the corpus does not hold is an error.
Problems are reported like `finnews validate`: `path:line: rule: message`, all at once.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from finnews.checks import validate as _validate
from finnews.data.gold import Gold, load_gold, relative
from finnews.data.paths import schema_dir
from finnews.data.schema import schemas
from finnews.checks.validate import Incident, read_records

TASKS = ("ner", "numeric_facts", "stance")

#: task -> the list field of a prediction line
LIST_FIELD = {"ner": "entities", "numeric_facts": "numeric_facts", "stance": "stance"}

#: task -> secondary span fields of an item (checked like the main span when they have offsets)
SPAN_FIELDS = {"ner": (), "numeric_facts": ("measured_entity", "measured_property"), "stance": ("holder", "target")}

#: rule id -> explanation, printed once with the rule's first incident (the rules a predictions file
#: can break; the format rules are finnews.validate's, worded here for sentence offsets)
PREDICTION_RULES = {
    **{rule: _validate.RULES[rule] for rule in ("encoding-utf8", "encoding-bom", "line-crlf", "line-truncated",
                                                 "json-syntax")},
    "file-missing": "The predictions file does not exist.",
    "schema": "The line does not match annotations/schema/predictions/<task>.schema.json; the JSON pointer says where.",
    "unknown-sentence": "A prediction names a sentence id that the corpus (or the release) does not hold.",
    "duplicate-sentence": "Each sentence has at most one line in a predictions file.",
    "offset-range": "Offsets are code points into the sentence text: 0 <= start < end <= len(sentence text).",
    "quote-mismatch": "The quoted text must equal the sentence text at the span's offsets.",
}


def format_text(incidents: list[Incident]) -> str:
    return _validate.format_text(incidents, rules=PREDICTION_RULES)


class PredictionsError(ValueError):
    """Invalid predictions: every incident, formatted like `finnews validate`."""

    def __init__(self, incidents: list[Incident]):
        self.incidents = incidents
        super().__init__(format_text(incidents))


@lru_cache(maxsize=None)
def _validators(directory: Path) -> dict[str, Draft202012Validator]:
    """Validators for predictions/<task>.schema.json, with the shared definitions registered."""
    own = {p.name.removesuffix(".schema.json"): json.loads(p.read_text(encoding="utf-8"))
           for p in sorted((directory / "predictions").glob("*.schema.json"))}
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in [*schemas(directory).values(), *own.values()]
    )
    return {task: Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
            for task, schema in own.items()}


def prediction_validator(task: str, directory: Path | None = None) -> Draft202012Validator:
    validators = _validators(directory or schema_dir())
    if task not in validators:
        raise ValueError(f"unknown task {task!r}: choose one of {', '.join(TASKS)}")
    return validators[task]


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
                problems.append(("quote-mismatch", f"{where}: quotes {span['text']!r} but the sentence has {text[start:end]!r} at [{start}, {end})"))
    return problems


def read_predictions(task: str, path: str | Path, texts: dict[str, str], where: str = "the corpus") -> dict[str, dict]:
    """Sentence id -> prediction line, for a predictions file of `task`; `texts` maps every known
    sentence id to its text (`where`: what holds them, for messages). Raises PredictionsError with
    every problem found."""
    validator = prediction_validator(task)
    incidents: list[Incident] = []

    def report(line: int, rule: str, message: str) -> None:
        incidents.append(Incident(str(path), line, rule, message))

    out: dict[str, dict] = {}
    seen: dict[str, int] = {}
    for number, record in read_records(Path(path), report, may_be_empty=True):
        errors = sorted(validator.iter_errors(record), key=lambda e: list(map(str, e.absolute_path)))
        for error in errors:
            report(number, "schema", f"/{'/'.join(map(str, error.absolute_path))}: {error.message}")
        if errors:
            continue
        sentence = record["sentence"]
        if sentence not in texts:
            report(number, "unknown-sentence", f"no sentence {sentence!r} in {where}")
            continue
        if sentence in seen:
            report(number, "duplicate-sentence", f"{sentence} already has a line ({seen[sentence]})")
            continue
        seen[sentence] = number
        problems = check_spans(task, record, texts[sentence])
        for rule, message in problems:
            report(number, rule, message)
        if not problems:
            out[sentence] = record
    if incidents:
        raise PredictionsError(sorted(set(incidents), key=lambda i: (i.line, i.rule, i.message)))
    return out


# ------------------------------------------------------------------------------------------------
# The gold in the predictions format


@dataclass
class Reference:
    """What predictions are scored against: the split's sentences and their gold lines per task."""

    split: str
    source: str  # where the gold came from, for reports
    sentences: list[dict]  # the split's sentences in corpus order: {"id", "article", "text"}
    texts: dict[str, str]  # every known sentence id (all splits) -> text
    gold: dict[str, dict[str, dict]] = field(default_factory=dict)  # task -> sentence id -> gold line


def _span(span: dict | None) -> dict | None:
    return None if span is None else {"start": span["start"], "end": span["end"], "text": span["text"]}


def item_from_gold(task: str, record: dict, sentence: dict) -> dict:
    """A gold record (article offsets) as an item of a prediction line (sentence offsets)."""
    item = {**relative(record, sentence)}
    if task == "ner":
        item["type"] = record["type"]
    elif task == "numeric_facts":
        item.update({k: record[k] for k in ("value", "unit", "kind", "approx")})
        item["measured_entity"] = relative(record["measured_entity"], sentence)
        item["measured_property"] = relative(record["measured_property"], sentence)
    else:
        item.update(holder=relative(record["holder"], sentence), target=relative(record["target"], sentence),
                    polarity=record["polarity"])
    return item


def gold_lines(gold: Gold, sentences: list[dict]) -> dict[str, dict[str, dict]]:
    """task -> sentence id -> the gold line of every given sentence (from annotation records)."""
    wanted = {s["id"] for s in sentences}
    out: dict[str, dict[str, dict]] = {}
    by_id = {s["id"]: s for s in gold.sentences}
    for task, layer in LIST_FIELD.items():
        records = gold.by_sentence(layer)
        out[task] = {sid: {"sentence": sid, layer: [item_from_gold(task, r, by_id[sid]) for r in records[sid]]}
                     for sid in by_id if sid in wanted}
    for sid, labels in gold.by_sentence("stance_labels").items():
        if sid in wanted and labels:
            out["stance"][sid] = {"sentence": sid, "label": labels[0]["label"], **out["stance"][sid]}
    return out


def gold_reference(split: str = "test", root: Path | None = None) -> Reference:
    """The checked gold annotations of a split (what a release holds)."""
    gold = load_gold(root, checked_only=True)
    if split not in set(gold.splits.values()):
        raise ValueError(f"no article is in split {split!r} (splits: {', '.join(sorted(set(gold.splits.values())))})")
    sentences = [{"id": s["id"], "article": s["article"], "text": s["text"]} for s in gold.split_sentences(split)]
    return Reference(split, f"annotations under {gold.root} (checked records)", sentences,
                     {s["id"]: s["text"] for s in gold.sentences}, gold_lines(gold, sentences))


# ------------------------------------------------------------------------------------------------
# The gold of a built release (data/sentences/<split>.arrow)


def _read_arrow(path: Path):
    import pyarrow as pa

    try:
        with pa.OSFile(str(path), "rb") as source:
            return pa.ipc.open_stream(source).read_all()
    except pa.ArrowInvalid:
        with pa.OSFile(str(path), "rb") as source:
            return pa.ipc.open_file(source).read_all()


def _decode(value, feature):
    """A row value with every ClassLabel int replaced by its name (features from the file's metadata)."""
    from datasets import ClassLabel

    if value is None:
        return None
    if isinstance(feature, ClassLabel):
        return feature.int2str(value) if isinstance(value, int) else value
    if isinstance(feature, dict):
        return {k: _decode(v, feature.get(k)) for k, v in value.items()}
    if isinstance(value, list) and hasattr(feature, "feature"):
        return [_decode(v, feature.feature) for v in value]
    return value


def read_release_rows(path: Path) -> list[dict]:
    """The rows of one sentences-config Arrow file, labels as names."""
    from datasets import Features

    table = _read_arrow(path)
    metadata = (table.schema.metadata or {}).get(b"huggingface")
    if metadata is None:
        raise ValueError(f"{path} has no Hugging Face features in its schema metadata: cannot read its labels")
    features = Features.from_dict(json.loads(metadata)["info"]["features"])
    missing = {"id", "article", "text", "entities", "numeric_facts", "stance", "stance_label"} - set(table.column_names)
    if missing:
        raise ValueError(f"{path} is not a sentences-config file: no column {', '.join(sorted(missing))}")
    return [{k: _decode(v, features.get(k)) for k, v in row.items()} for row in table.to_pylist()]


def _line_from_row(task: str, row: dict) -> dict:
    items = []
    for r in row[LIST_FIELD[task]]:
        item = {k: r[k] for k in ("start", "end", "text")}
        if task == "ner":
            item["type"] = r["type"]
        elif task == "numeric_facts":
            item.update({k: r[k] for k in ("value", "unit", "kind", "approx")})
            item.update(measured_entity=_span(r.get("measured_entity")), measured_property=_span(r.get("measured_property")))
        else:
            item.update(holder=_span(r.get("holder")), target=_span(r["target"]), polarity=r["polarity"])
        items.append(item)
    if task == "stance" and row.get("stance_label") is not None:
        return {"sentence": row["id"], "label": row["stance_label"], "stance": items}
    return {"sentence": row["id"], LIST_FIELD[task]: items}


def release_reference(release: str | Path, split: str = "test") -> Reference:
    """The gold of a built release folder: DIR/data/sentences/<split>.arrow (all splits for the ids)."""
    folder = Path(release) / "data" / "sentences"
    path = folder / f"{split}.arrow"
    if not path.is_file():
        raise FileNotFoundError(f"no {path}: is {release} a FinNews-ZH release folder (finnews build)?")
    rows = read_release_rows(path)
    texts = {}
    for other in sorted(folder.glob("*.arrow")):
        texts.update({r["id"]: r["text"] for r in (rows if other == path else read_release_rows(other))})
    sentences = [{"id": r["id"], "article": r["article"], "text": r["text"]} for r in rows]
    gold = {task: {r["id"]: _line_from_row(task, r) for r in rows} for task in TASKS}
    return Reference(split, f"release {release}", sentences, texts, gold)


def load_reference(split: str = "test", root: Path | None = None, release: str | Path | None = None) -> Reference:
    """The gold of a split from a release folder when given, else from the annotations under root."""
    return release_reference(release, split) if release is not None else gold_reference(split, root)
