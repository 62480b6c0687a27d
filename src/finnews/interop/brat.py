"""brat standoff export (`<article>.txt` + `<article>.ann`, and annotation.conf), as MeasEval ships.

Export only. Offsets are Python code points into the article text (brat counts characters the
same way); a span holding a newline is written as fragments (`start end;start end`). One layer per
output directory. Per record:
- the main span is a text-bound annotation `T` typed by the entity type, `Quantity` or `Evidence`;
- closed-set fields are attributes `A` (Kind, Unit, Approx, ChangeType, ChangeDirection, Polarity);
- secondary spans are `T` annotations typed by their role in CamelCase (MeasuredEntity, Holder, ...)
  linked by a relation `Has<Role>` from the main span;
- the record id, free values (value, iso), a holder without offsets and source_issue go in an
  AnnotatorNotes line `#` on the main span: `id=...; value=...`.
"""
from __future__ import annotations

import json
from pathlib import Path

from finnews.checks.validate import load_valid
from finnews.data.files import write_new_files
from finnews.interop.layers import LayerSpec, layer_spec, units

MAIN_TYPE = {"numeric_facts": "Quantity", "stance": "Evidence"}  # entities: the entity type


def camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def fragments(text: str, start: int, end: int) -> str:
    """brat offsets of [start, end) of text, split where the span holds a newline."""
    parts, i = [], start
    while i < end:
        j = text.find("\n", i, end)
        j = end if j < 0 else j
        if j > i:
            parts.append(f"{i} {j}")
        i = j + 1
    return ";".join(parts)


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
    return "; ".join(notes)


def ann_text(layer: str, records: list[dict], article_text: str) -> str:
    """The .ann file of one article's records of a layer."""
    spec = layer_spec(layer)
    lines: list[str] = []
    counters = {"T": 0, "A": 0, "R": 0, "#": 0}

    def new(kind: str) -> str:
        counters[kind] += 1
        return f"{kind}{counters[kind]}"

    for record in records:
        main = new("T")
        kind = record[spec.label_field] if layer == "entities" else MAIN_TYPE[layer]
        lines.append(f"{main}\t{kind} {fragments(article_text, record['start'], record['end'])}\t{record['text']}")
        for name, value in _attributes(spec, record):
            lines.append(f"{new('A')}\t{name} {main} {value}")
        for role in spec.roles:
            span = record[role.field]
            if span is None or span["start"] is None:
                continue
            t = new("T")
            lines.append(f"{t}\t{camel(role.field)} {fragments(article_text, span['start'], span['end'])}\t{span['text']}")
            lines.append(f"{new('R')}\tHas{camel(role.field)} Arg1:{main} Arg2:{t}")
        lines.append(f"{new('#')}\tAnnotatorNotes {main}\t{_notes(spec, record)}")
    return "".join(line.replace("\n", " ") + "\n" for line in lines)


def annotation_conf(layer: str) -> str:
    """brat's annotation.conf for a layer (types, relations, attribute values)."""
    spec = layer_spec(layer)
    main_types = list(spec.labels) if layer == "entities" else [MAIN_TYPE[layer]]
    lines = ["[entities]", *main_types, *(camel(r.field) for r in spec.roles), "", "[relations]"]
    main_arg = "|".join(main_types)
    lines += [f"Has{camel(r.field)}\tArg1:{main_arg}, Arg2:{camel(r.field)}" for r in spec.roles]
    lines += ["", "[events]", "", "[attributes]"]
    if layer == "numeric_facts":
        lines.append(f"Kind\tArg:{main_arg}, Value:{'|'.join(spec.labels)}")
    for attribute in spec.attributes:
        if attribute.codec == "enum":
            lines.append(f"{camel(attribute.field)}\tArg:{main_arg}, Value:{'|'.join(attribute.choices)}")
        elif attribute.codec == "change":
            types = sorted({c.split('/')[0] for c in attribute.choices})
            directions = sorted({c.split('/')[1] for c in attribute.choices})
            lines.append(f"ChangeType\tArg:{main_arg}, Value:{'|'.join(types)}")
            lines.append(f"ChangeDirection\tArg:{main_arg}, Value:{'|'.join(directions)}")
    return "\n".join(lines) + "\n"


def export_brat(layer: str, out: str | Path, *, root: Path | None = None, article: str | None = None,
                force: bool = False) -> list[Path]:
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
