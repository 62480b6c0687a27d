"""brat standoff export (`<article>.txt` + `<article>.ann`, and annotation.conf), one layer per folder.

Export only. Offsets are Python code points into the article text (brat counts characters the
same way). A span holding a newline is written as fragments (`start end;start end`), and its quoted
text is the fragments' texts joined by one space, as brat checks it (a blank line inside a span is
still one space). Every span is written once per .ann file and referred to by its id:
- entities: each record is a text-bound annotation `T` typed by its entity type;
- numeric_facts and stance: each record is an event `E` whose trigger is its main span (typed
  `Quantity` or `Evidence`) and whose arguments are its secondary spans, by role in CamelCase
  (`MeasuredEntity:T4`, `Holder:T7`). A span that is some record's main span keeps that type when
  another record uses it as a secondary span (a date that is a fact and another fact's period); a
  span used only as a secondary span is typed by the role of its first use;
- closed-set fields are attributes `A` of the record's `T` or `E` (Kind, Unit, Approx, ChangeType,
  ChangeDirection, Polarity);
- the record id, free values (value, iso), a holder without offsets and source_issue go in an
  AnnotatorNotes line `#` on the record's `T` or `E`: `id=...; value=...`.
"""

from __future__ import annotations

import json
from pathlib import Path

from finnews.checks.validate import load_valid
from finnews.data.files import write_new_files
from finnews.interop.layers import LayerSpec, layer_spec, units

MAIN_TYPE = {"numeric_facts": "Quantity", "stance": "Evidence"}  # event layers; entities: the entity type


def camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def fragment_offsets(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of [start, end) of text between newlines (brat's discontinuous fragments)."""
    parts, i = [], start
    while i < end:
        j = text.find("\n", i, end)
        j = end if j < 0 else j
        if j > i:
            parts.append((i, j))
        i = j + 1
    return parts


def fragments(text: str, start: int, end: int) -> str:
    """brat offsets of [start, end) of text, split where the span holds a newline."""
    return ";".join(f"{a} {b}" for a, b in fragment_offsets(text, start, end))


def quoted(text: str, start: int, end: int) -> str:
    """The text brat expects after the offsets: the fragments' texts joined by one space."""
    return " ".join(text[a:b] for a, b in fragment_offsets(text, start, end))


def _one_line(value: str) -> str:
    return " ".join(value.splitlines())


def _attributes(spec: LayerSpec, record: dict) -> list[tuple[str, str]]:
    out = []
    if spec.name == "numeric_facts":
        out.append(("Kind", record["kind"]))
    for attribute in spec.attributes:
        value = record.get(attribute.field)
        if value is None:
            continue
        if attribute.codec == "enum":
            out.append((camel(attribute.field), value))
        elif attribute.codec == "change":
            out += [("ChangeType", value["type"]), ("ChangeDirection", value["direction"])]
    return out


def _notes(spec: LayerSpec, record: dict) -> str:
    notes = [f"id={record['id']}"]
    for attribute in spec.attributes:
        value = record.get(attribute.field)
        if value is not None and attribute.codec in ("number", "string"):
            notes.append(f"{attribute.field}={json.dumps(value, ensure_ascii=False) if attribute.codec == 'number' else value}")
    for role in spec.roles:
        span = record[role.field]
        if span is not None and span["start"] is None:
            notes.append(f"{role.field}={span['text']}")
    return _one_line("; ".join(notes))


class _Spans:
    """Text-bound annotations of one .ann file: one `T` per span, numbered in order of first use."""

    def __init__(self, text: str, main_types: dict[tuple[int, int], str]):
        self.text, self.main_types = text, main_types
        self.ids: dict[tuple[int, int], str] = {}
        self.lines: list[str] = []

    def ref(self, start: int, end: int, role_type: str) -> str:
        """The id of the span's T, writing its line at first use."""
        key = (start, end)
        if key not in self.ids:
            self.ids[key] = f"T{len(self.ids) + 1}"
            kind = self.main_types.get(key, role_type)
            self.lines.append(f"{self.ids[key]}\t{kind} {fragments(self.text, start, end)}\t{quoted(self.text, start, end)}")
        return self.ids[key]

    def take_lines(self) -> list[str]:
        lines, self.lines = self.lines, []
        return lines


def ann_text(layer: str, records: list[dict], article_text: str) -> str:
    """The .ann file of one article's records of a layer."""
    spec = layer_spec(layer)
    event_type = MAIN_TYPE.get(layer)
    main_types = {(r["start"], r["end"]): event_type or r[spec.label_field] for r in records}
    spans = _Spans(article_text, main_types)
    lines: list[str] = []
    counters = {"E": 0, "A": 0, "#": 0}

    def new(kind: str) -> str:
        counters[kind] += 1
        return f"{kind}{counters[kind]}"

    for record in records:
        trigger = spans.ref(record["start"], record["end"], event_type or record[spec.label_field])
        target = trigger
        if event_type:
            arguments = [f"{event_type}:{trigger}"]
            for role in spec.roles:
                span = record[role.field]
                if span is not None and span["start"] is not None:
                    arguments.append(f"{camel(role.field)}:{spans.ref(span['start'], span['end'], camel(role.field))}")
            target = new("E")
            lines += spans.take_lines()
            lines.append(f"{target}\t{' '.join(arguments)}")
        else:
            lines += spans.take_lines()
        lines += [f"{new('A')}\t{name} {target} {value}" for name, value in _attributes(spec, record)]
        lines.append(f"{new('#')}\tAnnotatorNotes {target}\t{_notes(spec, record)}")
    return "".join(line + "\n" for line in lines)


def annotation_conf(layer: str) -> str:
    """brat's annotation.conf for a layer (types, event arguments, attribute values)."""
    spec = layer_spec(layer)
    event_type = MAIN_TYPE.get(layer)
    role_types = [camel(r.field) for r in spec.roles]
    lines = ["[entities]", *(role_types if event_type else spec.labels), "", "[relations]", "", "[events]"]
    if event_type:
        span_types = [event_type, *role_types]
        arguments = [
            f"{t}{'' if role.required and not role.free_text else '?'}:{'|'.join([t] + [s for s in span_types if s != t])}"
            for role, t in zip(spec.roles, role_types, strict=True)
        ]
        lines.append(f"{event_type}\t{', '.join(arguments)}")
    lines += ["", "[attributes]"]
    target = event_type or "|".join(spec.labels)
    if layer == "numeric_facts":
        lines.append(f"Kind\tArg:{target}, Value:{'|'.join(spec.labels)}")
    for attribute in spec.attributes:
        if attribute.codec == "enum":
            lines.append(f"{camel(attribute.field)}\tArg:{target}, Value:{'|'.join(attribute.choices)}")
        elif attribute.codec == "change":
            types = sorted({c.split("/")[0] for c in attribute.choices})
            directions = sorted({c.split("/")[1] for c in attribute.choices})
            lines.append(f"ChangeType\tArg:{target}, Value:{'|'.join(types)}")
            lines.append(f"ChangeDirection\tArg:{target}, Value:{'|'.join(directions)}")
    return "\n".join(lines) + "\n"


def export_brat(
    layer: str, out: str | Path, *, root: Path | None = None, article: str | None = None, force: bool = False
) -> list[Path]:
    """Write OUT/<article>.txt, OUT/<article>.ann for every article (or one) and OUT/annotation.conf."""
    layer_spec(layer)
    gold = load_valid(root)
    out = Path(out)
    files: dict[Path, str] = {}
    for unit in units(gold, "article", article):
        mine = [r for r in gold.layers[layer] if r["article"] == unit.article]
        files[out / f"{unit.article}.txt"] = unit.text
        files[out / f"{unit.article}.ann"] = ann_text(layer, mine, unit.text)
    files[out / "annotation.conf"] = annotation_conf(layer)
    return write_new_files(files, force)
