"""What an annotation tool needs to know about a layer, read from the JSON Schemas, and the
plumbing shared by the exporters and the importer: the corpus as units (articles or sentences),
layer files read with their raw lines, record ids and a record-level diff.

A layer is shown to a tool as main spans carrying one label (entity type, numeric kind, or
"evidence" for stance), per-span attributes (the other fields of the record) and role spans (the
secondary spans: measured entity, holder, target, ...) linked to their main span.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from finnews.data.gold import Gold
from finnews.data.schema import LAYER_SCHEMAS, closed_set, defs, schemas
from finnews.errors import UsageError

FORMATS = ("label-studio", "brat")
EXCHANGE_LAYERS = ("entities", "numeric_facts", "stance")
UNITS = ("article", "sentence")
TASK_ID_STRIDE = 10000  # task id = (article position + 1) * STRIDE + (sentence idx + 1, or 0 for a whole article)


@dataclass(frozen=True)
class Attribute:
    """A record field edited as a per-span control. codec: enum, number, string or change."""

    field: str
    widget: str  # "choices" or "textarea"
    codec: str
    choices: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Role:
    """A secondary span of a record. free_text: the control holding its text when it has no offsets."""

    field: str
    required: bool
    free_text: str | None = None


@dataclass(frozen=True)
class LayerSpec:
    name: str
    letter: str  # the id infix: cq-hardtech-e001
    label_field: str | None  # the record field the main span's label is (None: a single label)
    label_control: str
    labels: tuple[str, ...]
    attributes: tuple[Attribute, ...]
    roles: tuple[Role, ...]
    field_order: tuple[str, ...]  # schema property order
    optional_fields: frozenset[str]  # fields left out of a record when they have no value

    @property
    def role_labels(self) -> tuple[str, ...]:
        return tuple(r.field for r in self.roles)


def change_choices() -> tuple[str, ...]:
    """`type/direction` for every change the schema allows (yoy/up, mom/down, ...)."""
    shape = next(alt for alt in defs()["change"]["oneOf"] if alt.get("type") == "object")
    props = shape["properties"]
    return tuple(f"{t}/{d}" for t in props["type"]["enum"] for d in props["direction"]["enum"])


@cache
def layer_spec(layer: str) -> LayerSpec:
    if layer not in EXCHANGE_LAYERS:
        raise UsageError(f"layer must be one of {', '.join(EXCHANGE_LAYERS)}, not {layer!r}")
    schema = schemas()[LAYER_SCHEMAS[f"{layer}.jsonl"]]
    order = tuple(schema["properties"])
    optional = frozenset(order) - frozenset(schema["required"])
    source_issue = Attribute("source_issue", "textarea", "string")
    enum = lambda field, name=None: Attribute(field, "choices", "enum", tuple(closed_set(name or field)), required=True)  # noqa: E731
    if layer == "entities":
        return LayerSpec(layer, "e", "type", "type", tuple(closed_set("entity_type")), (source_issue,), (), order, optional)
    if layer == "numeric_facts":
        attributes = (
            Attribute("value", "textarea", "number"),
            enum("unit"),
            enum("approx"),
            Attribute("iso", "textarea", "string"),
            Attribute("change", "choices", "change", change_choices()),
            source_issue,
        )
        roles = tuple(Role(f, required=False) for f in ("measured_property", "measured_entity", "period", "qualifier"))
        return LayerSpec(layer, "n", "kind", "kind", tuple(closed_set("numeric_kind")), attributes, roles, order, optional)
    attributes = (enum("polarity"), source_issue)
    roles = (Role("holder", required=True, free_text="holder_text"), Role("target", required=True))
    return LayerSpec(layer, "t", None, "stance", ("evidence",), attributes, roles, order, optional)


def encode_attribute(attribute: Attribute, value: object) -> str | None:
    """The control's value for a field value; None when the field has no value (no result)."""
    if value is None:
        return None
    if attribute.codec == "number":
        return json.dumps(value)
    if attribute.codec == "change":
        return f"{value['type']}/{value['direction']}"
    return str(value)


class FieldValueError(ValueError):
    """A per-span value that cannot become a field value; rule names the import incident."""

    def __init__(self, rule: str, message: str):
        super().__init__(message)
        self.rule = rule


def decode_attribute(attribute: Attribute, raw: str | None) -> object:
    """The field value for a control's value (None: no result). Raises ValueError when unreadable."""
    if raw is None or raw == "":
        if attribute.required:
            raise FieldValueError("attribute-missing", f"{attribute.field} is required")
        return None
    if attribute.widget == "choices" and raw not in attribute.choices:
        raise FieldValueError("label-unknown", f"{attribute.field}: {raw!r} is not one of {', '.join(attribute.choices)}")
    if attribute.codec == "number":
        try:
            number = json.loads(raw.strip())
        except ValueError:
            number = None
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise FieldValueError("attribute-invalid", f"{attribute.field}: {raw!r} is not a number")
        return number
    if attribute.codec == "change":
        kind, direction = raw.split("/")
        return {"type": kind, "direction": direction}
    return raw


# ---------------------------------------------------------------- corpus as units


@dataclass(frozen=True)
class Unit:
    """A task's text: a whole article or one sentence (start/end in article code points)."""

    task_id: int
    article: str
    sentence: str | None
    start: int
    end: int
    text: str


def units(gold: Gold, unit: str = "article", article: str | None = None) -> list[Unit]:
    """The tasks' texts: every article (or one), whole or sentence by sentence."""
    if unit not in UNITS:
        raise UsageError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    if article is not None and article not in gold.texts:
        raise UsageError(f"no article {article} (articles: {', '.join(gold.texts)})")
    out = []
    for art, position in gold.order.items():
        if article not in (None, art):
            continue
        base = (position + 1) * TASK_ID_STRIDE
        if unit == "article":
            out.append(Unit(base, art, None, 0, len(gold.texts[art]), gold.texts[art]))
            continue
        for s in gold.article_sentences(art):
            if s["idx"] + 1 >= TASK_ID_STRIDE:
                raise UsageError(f"{s['id']}: sentence index too large for a task id")
            out.append(Unit(base + s["idx"] + 1, art, s["id"], s["start"], s["end"], s["text"]))
    return out


def unit_of(gold: Gold, record: dict, unit: str) -> tuple[str, str | None]:
    """(article, sentence id or None) of the unit holding a record's main span (validated data)."""
    if unit == "article":
        return record["article"], None
    return record["article"], gold.sentence_of(record)["id"]


def layer_path(root: Path, layer: str) -> Path:
    return Path(root) / "annotations" / f"{layer}.jsonl"


def read_layer_lines(path: Path) -> list[tuple[str, dict]]:
    """(line as stored, record) for every record of a layer file that validates."""
    text = path.read_text(encoding="utf-8")
    return [(line, json.loads(line)) for line in text.split("\n") if line.strip()]


ID_NUMBER = re.compile(r"^(?P<article>.+)-(?P<letter>[a-z])(?P<number>[0-9]{3,})$")


def id_number(record_id: str, article: str, letter: str) -> int | None:
    """The number of an id of this article and layer (cq-hardtech-e012 -> 12), else None."""
    m = ID_NUMBER.match(record_id)
    if m and m["article"] == article and m["letter"] == letter:
        return int(m["number"])
    return None


def make_id(article: str, letter: str, number: int) -> str:
    return f"{article}-{letter}{number:03d}"


# ---------------------------------------------------------------- record diff


def diff_records(old: list[dict], new: list[dict]) -> dict:
    """Record-level difference between two versions of a layer, matched by id.

    Returns {"added": [records], "removed": [records], "changed": [{"id", "fields": {name:
    {"old"?, "new"?}}}], "unchanged": count}; a field missing on one side has no key there.
    Lists follow the order of `new` (added, changed) and `old` (removed).
    """
    old_by_id = {r["id"]: r for r in old}
    new_ids = {r["id"] for r in new}
    added, changed, unchanged = [], [], 0
    for record in new:
        before = old_by_id.get(record["id"])
        if before is None:
            added.append(record)
        elif before == record:
            unchanged += 1
        else:
            fields = {}
            for key in list(before) + [k for k in record if k not in before]:
                if before.get(key, _MISSING) != record.get(key, _MISSING):
                    fields[key] = {side: r[key] for side, r in (("old", before), ("new", record)) if key in r}
            changed.append({"id": record["id"], "fields": fields})
    removed = [r for r in old if r["id"] not in new_ids]
    return {"added": added, "removed": removed, "changed": changed, "unchanged": unchanged}


_MISSING = object()


def _show(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def format_diff(diff: dict, name: str = "") -> str:
    """One line per added (+), removed (-) and changed (~) record, then a count line."""
    lines = []
    for record in diff["added"]:
        lines.append(f"+ {record['id']} [{record['start']}, {record['end']}) {record['text']}")
    for record in diff["removed"]:
        lines.append(f"- {record['id']} [{record['start']}, {record['end']}) {record['text']}")
    for change in diff["changed"]:
        parts = [f"{field}: {_show(v.get('old'))} -> {_show(v.get('new'))}" for field, v in change["fields"].items()]
        lines.append(f"~ {change['id']} " + "; ".join(parts))
    counts = f"{len(diff['added'])} added, {len(diff['removed'])} removed, {len(diff['changed'])} changed, {diff['unchanged']} unchanged"
    lines.append(f"{name}: {counts}" if name else counts)
    return "\n".join(lines)
