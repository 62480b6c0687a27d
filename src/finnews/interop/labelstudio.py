"""Label Studio round trip: export a layer as tasks plus a labeling config, import an export back.

Offsets: the task files this module writes and reads hold **UTF-16 code units** relative to the
task's `data.text` (Label Studio's Text tag counts JavaScript string units). finnews records hold
Python code points into the article text; the conversion happens here and nowhere else, so a
character outside the Basic Multilingual Plane (𠀀) counts 2 in the file and 1 in the records.

How a layer looks in Label Studio (controls of the config written by `label_config`):
- the main span of a record is a region of the Labels control `type` (entities: the entity type),
  `kind` (numeric facts: the numeric kind) or `stance` (stance: the single label `evidence`); the
  region's `id` is the record id, so the import maps it back (a region with another id is new);
- the other fields are per-region controls on that region (same `id`): Choices `unit`, `approx`,
  `change` (`yoy/up`, ...), `polarity`; TextArea `value` (a JSON number), `iso`, `source_issue`,
  `holder_text`; a field with no value (null or absent) has no result;
- secondary spans (measured_property, measured_entity, period, qualifier; holder, target) are
  regions of the Labels control `role`, labelled with the field name, linked to their main region by
  a relation (main -> role); their region id is `<record id>.<field>` (informative only: the relation
  decides). A stance holder without offsets (the author, or a speaker named outside the sentence)
  is the TextArea `holder_text` of the evidence region instead.
- a task is one article or one sentence (`--unit`); `data` carries `article` (and `sentence`) and
  `layer`; task ids are (article position + 1) * 10000 + (sentence idx + 1, or 0 for an article).
"""

from __future__ import annotations

import bisect
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

from finnews.checks.incidents import Incident, collector, ordered
from finnews.checks.records import read_bytes, without_bom
from finnews.checks.validate import load_valid, validate
from finnews.data.files import atomic_write_text, write_new_files
from finnews.data.gold import Gold
from finnews.data.jsonl import dumps
from finnews.data.paths import as_root
from finnews.errors import DataError, UsageError
from finnews.interop.layers import (
    Attribute,
    LayerSpec,
    Unit,
    decode_attribute,
    diff_records,
    encode_attribute,
    id_number,
    layer_path,
    layer_spec,
    make_id,
    read_layer_lines,
    unit_of,
    units,
)
from finnews.interop.review import Author, annotator_option, author, change_note, choose_annotation, date_option, review_block

TEXT = "text"  # name of the Text object tag
ROLE = "role"  # Labels control of secondary spans
GOLD_MODEL = "finnews-gold"  # model_version of exported predictions


# ---------------------------------------------------------------- offsets


def utf16_table(text: str) -> list[int]:
    """UTF-16 offset of every code-point boundary of text (len(text) + 1 entries)."""
    table = [0]
    for ch in text:
        table.append(table[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return table


def to_utf16(text: str, offset: int) -> int:
    """Code-point offset -> UTF-16 code-unit offset."""
    return utf16_table(text[:offset])[-1]


def from_utf16(text: str, offset: int, table: list[int] | None = None) -> int:
    """UTF-16 code-unit offset -> code-point offset; ValueError when it splits a surrogate pair or
    lies outside the text."""
    table = table or utf16_table(text)
    i = bisect.bisect_left(table, offset)
    if i >= len(table) or table[i] != offset:
        raise ValueError(
            f"UTF-16 offset {offset} is {'outside the text' if offset > table[-1] or offset < 0 else 'inside a surrogate pair'}"
        )
    return i


# ---------------------------------------------------------------- export


def label_config(layer: str) -> str:
    """The Label Studio labeling config (XML) for a layer: labels and choices from the schemas."""
    spec = layer_spec(layer)
    lines = ["<View>", '  <Header value="$article"/>', f'  <Text name="{TEXT}" value="$text"/>']
    lines.append(f'  <Labels name="{spec.label_control}" toName="{TEXT}">')
    lines += [f"    <Label value={quoteattr(label)}/>" for label in spec.labels]
    lines.append("  </Labels>")
    if spec.roles:
        lines.append(f'  <Labels name="{ROLE}" toName="{TEXT}">')
        lines += [f"    <Label value={quoteattr(r.field)}/>" for r in spec.roles]
        lines.append("  </Labels>")
    lines.append(f'  <View visibleWhen="region-selected" whenTagName="{spec.label_control}">')
    for attribute in spec.attributes + tuple(_free_text_attributes(spec)):
        if attribute.widget == "choices":
            lines.append(f"    <Header value={quoteattr(attribute.field)}/>")
            lines.append(
                f'    <Choices name="{attribute.field}" toName="{TEXT}" perRegion="true" choice="single-radio" showInline="true">'
            )
            lines += [f"      <Choice value={quoteattr(choice)}/>" for choice in attribute.choices]
            lines.append("    </Choices>")
        else:
            lines.append(
                f'    <TextArea name="{attribute.field}" toName="{TEXT}" perRegion="true" editable="true" maxSubmissions="1" placeholder={quoteattr(attribute.field)}/>'
            )
    lines += ["  </View>", "</View>"]
    return "\n".join(lines) + "\n"


def _free_text_attributes(spec: LayerSpec):
    for role in spec.roles:
        if role.free_text:
            yield Attribute(role.free_text, "textarea", "string")


def _label_of(spec: LayerSpec, record: dict) -> str:
    return record[spec.label_field] if spec.label_field else spec.labels[0]


def record_results(spec: LayerSpec, record: dict, unit: Unit) -> list[dict]:
    """The Label Studio results (regions, per-region values, relations) of one record."""

    def where(span: dict) -> dict:
        if not unit.start <= span["start"] < span["end"] <= unit.end:
            raise ValueError(
                f"{record['id']}: span {span['text']!r} [{span['start']}, {span['end']}) lies outside "
                f"{unit.sentence or unit.article} [{unit.start}, {unit.end}); run finnews validate"
            )
        return {"start": to_utf16(unit.text, span["start"] - unit.start), "end": to_utf16(unit.text, span["end"] - unit.start)}

    main = where(record)
    results = [
        {
            "id": record["id"],
            "from_name": spec.label_control,
            "to_name": TEXT,
            "type": "labels",
            "value": {**main, "text": record["text"], "labels": [_label_of(spec, record)]},
        }
    ]

    def per_region(control: str, widget: str, value: str) -> dict:
        key = "choices" if widget == "choices" else "text"
        return {"id": record["id"], "from_name": control, "to_name": TEXT, "type": widget, "value": {**main, key: [value]}}

    for attribute in spec.attributes:
        value = encode_attribute(attribute, record.get(attribute.field))
        if value is not None:
            results.append(per_region(attribute.field, attribute.widget, value))
    for role in spec.roles:
        span = record[role.field]
        if span is None:
            continue
        if span["start"] is None:
            results.append(per_region(role.free_text, "textarea", span["text"]))
            continue
        region_id = f"{record['id']}.{role.field}"
        results.append(
            {
                "id": region_id,
                "from_name": ROLE,
                "to_name": TEXT,
                "type": "labels",
                "value": {**where(span), "text": span["text"], "labels": [role.field]},
            }
        )
        results.append({"from_id": record["id"], "to_id": region_id, "type": "relation", "direction": "right"})
    return results


def label_studio_tasks(
    layer: str, *, root: Path | None = None, article: str | None = None, unit: str = "article", predictions: bool = False
) -> list[dict]:
    """Label Studio tasks for a layer, the current records as annotations (or as predictions)."""
    spec = layer_spec(layer)
    gold = load_valid(root)
    tasks_units = units(gold, unit, article)
    by_unit: dict[tuple[str, str | None], list[dict]] = {}
    for record in gold.layers[layer]:
        by_unit.setdefault(unit_of(gold, record, unit), []).append(record)
    tasks = []
    for u in tasks_units:
        data = {"text": u.text, "article": u.article, "layer": layer}
        if u.sentence:
            data["sentence"] = u.sentence
        result = [r for record in by_unit.get((u.article, u.sentence), []) for r in record_results(spec, record, u)]
        task = {"id": u.task_id, "data": data}
        if predictions:
            task["predictions"] = [{"model_version": GOLD_MODEL, "result": result}]
        else:
            task["annotations"] = [{"result": result}]
        tasks.append(task)
    return tasks


def export_label_studio(
    layer: str,
    out: str | Path,
    *,
    root: Path | None = None,
    article: str | None = None,
    unit: str = "article",
    predictions: bool = False,
    force: bool = False,
) -> list[Path]:
    """Write OUT/<layer>.label-studio.json (tasks) and OUT/<layer>.label-studio.xml (config)."""
    tasks = label_studio_tasks(layer, root=root, article=article, unit=unit, predictions=predictions)
    out = Path(out)
    files = {
        out / f"{layer}.label-studio.json": json.dumps(tasks, ensure_ascii=False, indent=1) + "\n",
        out / f"{layer}.label-studio.xml": label_config(layer),
    }
    return write_new_files(files, force)


# ---------------------------------------------------------------- import


@dataclass
class ImportResult:
    layer: str | None
    path: Path | None  # the layer file
    incidents: list[Incident] = field(default_factory=list)
    diff: dict = field(default_factory=lambda: {"added": [], "removed": [], "changed": [], "unchanged": 0})
    written: bool = False
    not_applied: list[str] = field(default_factory=list)  # annotations, drafts not applied, and why
    missing: str | None = None  # the option to add when the export names nobody (one line)

    @property
    def changed(self) -> bool:
        return bool(self.diff["added"] or self.diff["removed"] or self.diff["changed"])


@dataclass
class _Candidate:
    record: dict  # without id and review
    region_id: str
    task: int  # 1-based task position
    task_id: object  # Label Studio's task id
    author: Author


def _task_unit(task: dict, gold: Gold, report, number: int) -> Unit | None:
    data = task.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        report(number, "export-json", "a task needs data.text")
        return None
    article, sentence = data.get("article"), data.get("sentence")
    if not isinstance(article, str) or article not in gold.texts:
        report(number, "task-unmapped", f"task {task.get('id')}: data.article {article!r} is no article of the corpus")
        return None
    if sentence is None:
        unit = Unit(0, article, None, 0, len(gold.texts[article]), gold.texts[article])
    else:
        found = next((s for s in gold.article_sentences(article) if s["id"] == sentence), None)
        if found is None:
            report(number, "task-unmapped", f"task {task.get('id')}: data.sentence {sentence!r} is no sentence of {article}")
            return None
        unit = Unit(0, article, sentence, found["start"], found["end"], found["text"])
    if data["text"] != unit.text:
        report(
            number, "text-mismatch", f"task {task.get('id')}: data.text differs from the current text of {sentence or article}"
        )
        return None
    return unit


def _parse_annotation(spec: LayerSpec, unit: Unit, result: list, report, number: int) -> list[tuple[str, dict]]:
    """(region id, record without id/review) for every main region of one annotation."""
    table = utf16_table(unit.text)
    attribute_by_control = {a.field: a for a in spec.attributes}
    free_text = {r.free_text: r for r in spec.roles if r.free_text}
    regions: dict[str, dict] = {}  # id -> {"span", "label", "control"}
    values: dict[str, dict[str, list]] = {}  # region id -> control -> results
    relations: list[tuple[str, str]] = []
    ok = True

    def bad(rule: str, message: str) -> None:
        nonlocal ok
        ok = False
        report(number, rule, message)

    if not isinstance(result, list):
        bad("export-json", "annotation result is not a list")
        return []
    for r in result:
        if not isinstance(r, dict):
            bad("export-json", "a result is not an object")
            continue
        kind = r.get("type")
        if kind == "relation":
            ends = r.get("from_id"), r.get("to_id")
            if not all(isinstance(end, str) for end in ends):
                bad("export-json", f"relation {ends[0]!r} -> {ends[1]!r}: from_id and to_id must be region ids (strings)")
                continue
            relations.append(ends)
            continue
        region_id, control, value = r.get("id"), r.get("from_name"), r.get("value")
        if not isinstance(region_id, str) or not isinstance(control, str) or not isinstance(value, dict):
            bad("export-json", f"a {kind} result needs an id and a from_name (strings) and a value (an object)")
            continue
        if kind == "labels":
            if control not in (spec.label_control, ROLE):
                bad("label-unknown", f"region {region_id}: control {control!r} is not in the {spec.name} config")
                continue
            if region_id in regions:
                bad("region-duplicate", f"region id {region_id!r} occurs twice")
                continue
            allowed = spec.labels if control == spec.label_control else spec.role_labels
            labels = value.get("labels")
            if not isinstance(labels, list) or len(labels) != 1 or labels[0] not in allowed:
                bad("label-unknown", f"region {region_id}: labels {labels!r} is not one of {', '.join(allowed)}")
                continue
            if not all(type(value.get(k)) is int for k in ("start", "end")):
                bad("export-json", f"region {region_id}: start and end must be whole numbers")
                continue
            try:
                a, b = (from_utf16(unit.text, value[k], table) for k in ("start", "end"))
            except ValueError as error:
                bad("offset-mismatch", f"region {region_id}: {error}")
                continue
            if not a < b:
                bad("offset-mismatch", f"region {region_id}: empty or reversed span [{value['start']}, {value['end']})")
                continue
            span = {"start": unit.start + a, "end": unit.start + b, "text": unit.text[a:b]}
            if "text" in value and value["text"] != span["text"]:
                bad(
                    "offset-mismatch",
                    f"region {region_id}: quotes {value['text']!r} but data.text has {span['text']!r} at [{value['start']}, {value['end']}) (UTF-16 units)",
                )
                continue
            regions[region_id] = {"span": span, "label": labels[0], "control": control}
        elif control in attribute_by_control or control in free_text:
            values.setdefault(region_id, {}).setdefault(control, []).append(r)
        else:
            bad("label-unknown", f"region {region_id}: control {control!r} ({kind}) is not in the {spec.name} config")

    # per-region values belong to main regions
    main_ids = [i for i, reg in regions.items() if reg["control"] == spec.label_control]
    for region_id in values:
        if region_id not in main_ids:
            bad("relation-invalid", f"per-region values for {region_id!r}, which is not a {spec.label_control} region")
    # relations link a main region and a role region
    roles_of: dict[str, dict[str, dict]] = {i: {} for i in main_ids}
    linked: set[str] = set()
    for a, b in relations:
        ends = [regions.get(a), regions.get(b)]
        if None in ends or {e["control"] for e in ends} != {spec.label_control, ROLE}:
            bad("relation-invalid", f"relation {a} -> {b} does not link a {spec.label_control} region and a {ROLE} region")
            continue
        main, role = (a, b) if regions[a]["control"] == spec.label_control else (b, a)
        label = regions[role]["label"]
        if label in roles_of[main]:
            bad("role-duplicate", f"region {main} has two {label} spans")
            continue
        roles_of[main][label] = regions[role]["span"]
        linked.add(role)
    for region_id, reg in regions.items():
        if reg["control"] == ROLE and region_id not in linked:
            bad(
                "role-unlinked",
                f"{reg['label']} region {region_id} {reg['span']['text']!r} is linked to no {spec.label_control} region",
            )

    out = []
    for region_id in main_ids:
        reg = regions[region_id]
        fields: dict = {"article": unit.article, **reg["span"]}
        if spec.label_field:
            fields[spec.label_field] = reg["label"]
        given = values.get(region_id, {})
        where = f"region {region_id} {reg['span']['text']!r}"
        for attribute in spec.attributes:
            try:
                fields[attribute.field] = decode_attribute(attribute, _single_value(given, attribute.field, attribute.widget))
            except ValueError as error:  # every field's problem is reported, not just the first
                bad(getattr(error, "rule", "attribute-invalid"), f"{where}: {error}")
        for role in spec.roles:
            span = roles_of[region_id].get(role.field)
            try:
                text = _single_value(given, role.free_text, "textarea") if role.free_text else None
            except ValueError as error:
                bad("attribute-invalid", f"{where}: {error}")
                continue
            if span is not None and text:
                bad("role-duplicate", f"{where}: {role.field} is both a span and a text ({text!r})")
            elif span is None and text:
                span = {"start": None, "end": None, "text": text}
            elif span is None and role.required:
                bad("attribute-missing", f"{where}: no {role.field}")
            fields[role.field] = span
        out.append((region_id, fields))
    return out if ok else []


def _single_value(given: dict[str, list], control: str, widget: str) -> str | None:
    """The one value of a per-region control of a region (None: no result); ValueError if several,
    or if a result's values are not a list."""
    results = given.get(control, [])
    if not results:
        return None
    key = "choices" if widget == "choices" else "text"
    lists = [res["value"].get(key) or [] for res in results]
    if not all(isinstance(values, list) for values in lists):
        raise ValueError(f"{control}: {key} must be a list, found {lists!r}")
    items = [item for values in lists for item in values]
    if len(items) != 1 or not isinstance(items[0], str):
        raise ValueError(f"{control}: expected one value, found {items!r}")
    return items[0]


def _ordered(spec: LayerSpec, fields: dict) -> dict:
    return {k: fields[k] for k in spec.field_order if k in fields and not (k in spec.optional_fields and fields[k] is None)}


def _read_tasks(export: Path, report) -> list[dict] | None:
    """The export's tasks, or None (with an export-json incident) when it is no JSON list of tasks."""
    if not export.is_file():
        raise UsageError(f"{export}: {'is a directory, not an export file' if export.is_dir() else 'no such file'}")
    data = read_bytes(export, report)
    if data is None:
        return None
    try:
        tasks = json.loads(without_bom(data, report, line=0).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        report(0, "export-json", f"not a JSON file: {str(error) or type(error).__name__}")
        return None
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        report(0, "export-json", "the export is not a JSON list of task objects")
        return None
    return tasks


def _layer_of(tasks: list[dict], layer: str | None, report) -> str | None:
    if layer is not None:
        return layer
    named = sorted(
        {t["data"]["layer"] for t in tasks if isinstance(t.get("data"), dict) and isinstance(t["data"].get("layer"), str)}
    )
    if len(named) != 1:
        report(0, "export-json", f"cannot tell the layer from data.layer ({named or 'absent'}); pass --layer")
        return None
    return named[0]


def _review_options(
    annotator: str | None, checked_by: str | None, checked_at: str | None
) -> tuple[str | None, str | None, str | None]:
    """The review options, checked: (annotator, checked_by, checked_at); UsageError when they cannot be right."""
    annotator = annotator_option("--annotator", annotator)
    checked_by = annotator_option("--checked-by", checked_by)
    checked_at = date_option("--checked-at", checked_at)
    if checked_by is not None and checked_at is None:
        raise UsageError(f"--checked-by {checked_by} needs --checked-at YYYY-MM-DD: the day {checked_by} checked the edits")
    if checked_by is not None and checked_by == annotator:
        raise UsageError(
            f"--checked-by {checked_by} is also --annotator: a record is checked only by someone other "
            "than its annotator (GUIDELINES §0); leave --checked-by out to import the edits as drafts"
        )
    return annotator, checked_by, checked_at


def _layer_text(lines: list[tuple[str, dict]], new: list[dict]) -> str:
    """The layer file holding `new`: unchanged records (the very objects read) keep their stored line."""
    read = {id(record): line for line, record in lines}
    return "".join(read.get(id(r), dumps(r)) + "\n" for r in new)


def _candidates(
    spec: LayerSpec,
    tasks: list[dict],
    gold: Gold,
    report,
    not_applied: list[str],
    annotator: str | None,
    annotation_of: str | None,
) -> tuple[dict[tuple[str, str | None], tuple[int, object]], list[_Candidate]]:
    """The units covered by an applied annotation (-> task number in the file, task id), and a
    candidate per main region."""
    covered: dict[tuple[str, str | None], tuple[int, object]] = {}
    candidates: list[_Candidate] = []
    for number, task in enumerate(tasks, start=1):
        data_layer = task.get("data", {}).get("layer") if isinstance(task.get("data"), dict) else None
        if data_layer not in (None, spec.name):
            report(number, "layer-mismatch", f"task {task.get('id')} is for layer {data_layer!r}, not {spec.name!r}")
            continue
        unit = _task_unit(task, gold, report, number)
        if unit is None:
            continue
        if not isinstance(task.get("annotations") or [], list):
            report(number, "export-json", f"task {task.get('id')}: annotations is not a list")
            continue
        choice = choose_annotation(task, annotation_of)
        not_applied += choice.not_applied
        if choice.problem:
            report(number, "annotation-choice", choice.problem)
            continue
        if choice.applied is None:
            continue  # nobody annotated this task: its unit stays as it is
        overlapping = [
            k for k in covered if k[0] == unit.article and (k[1] is None or unit.sentence is None or k[1] == unit.sentence)
        ]
        if overlapping:
            other_number, other_id = covered[overlapping[0]]
            report(
                number,
                "task-duplicate",
                f"task {task.get('id')} covers {unit.sentence or unit.article}, as does task {other_id} "
                f"(task number {other_number} in the file)",
            )
            continue
        covered[(unit.article, unit.sentence)] = (number, task.get("id"))
        who = author(choice.applied, annotator)
        for region_id, fields in _parse_annotation(spec, unit, choice.applied.get("result"), report, number):
            candidates.append(_Candidate(fields, region_id, number, task.get("id"), who))
    return covered, candidates


def _new_records(
    spec: LayerSpec,
    gold: Gold,
    old: list[dict],
    covered: dict,
    candidates: list[_Candidate],
    report,
    checked_by: str | None,
    checked_at: str | None,
) -> tuple[list[dict], list[_Candidate]]:
    """The layer after the import, in validate's order, and the candidates that made a changed or new record.

    A region whose id is a record of this layer and article keeps that record (unchanged: the very
    object read; changed: a new review block); any other region is new, unless it equals, field for
    field, a record of its unit that no region claims (so importing the same export twice adds
    nothing). Records of a covered unit that no region claims are removed.
    """
    old_by_id = {r["id"]: r for r in old}

    def in_covered(record: dict) -> bool:
        return (record["article"], None) in covered or unit_of(gold, record, "sentence") in covered

    makers: list[_Candidate] = []

    def reviewed(c: _Candidate, record: dict, note: str | None = None) -> dict:
        makers.append(c)
        who = c.author.name
        return {**record, "review": review_block(who, checked_by, checked_at, note)} if who else record

    seen: dict[str, int] = {}
    kept: list[dict] = []
    fresh: list[tuple[_Candidate, dict]] = []
    for c in candidates:
        before = old_by_id.get(c.region_id)
        record = _ordered(spec, {"id": c.region_id, **c.record})
        if before is None or before["article"] != c.record["article"]:
            fresh.append((c, record))
        elif c.region_id in seen:
            report(c.task, "region-duplicate", f"record {c.region_id} occurs in tasks {seen[c.region_id]} and {c.task}")
        else:
            seen[c.region_id] = c.task
            same = _content(before) == _content(record)
            kept.append(before if same else reviewed(c, record, change_note(before, record, c.author)))
    next_number: dict[str, int] = {}
    for record in old:
        n = id_number(record["id"], record["article"], spec.letter)
        if n is not None:
            next_number[record["article"]] = max(next_number.get(record["article"], 0), n)
    for c, record in sorted(fresh, key=lambda cr: (gold.order[cr[1]["article"]], cr[1]["start"], cr[1]["end"], cr[0].region_id)):
        same = next((r for r in old if r["id"] not in seen and in_covered(r) and _content(r) == _content(record)), None)
        if same is not None:
            seen[same["id"]] = c.task
            kept.append(same)
            continue
        article = record["article"]
        next_number[article] = next_number.get(article, 0) + 1
        kept.append(reviewed(c, _ordered(spec, {**record, "id": make_id(article, spec.letter, next_number[article])})))
    new = [r for r in old if not in_covered(r) and r["id"] not in seen] + kept
    return sorted(new, key=gold.sort_key), makers


def _missing_option(export: Path, makers: list[_Candidate], annotator: str | None) -> str | None:
    """The one line naming the option to add: when a changed or new record has no known annotator,
    or --annotator would name several Label Studio users at once; None when nothing is missing."""
    nameless = [c for c in makers if c.author.name is None]
    if nameless:
        tasks = sorted({str(c.task_id) for c in nameless})
        users = " and ".join(sorted({c.author.user for c in nameless}))
        return (
            f"{export}: Label Studio names who made the edits of task{'s' if len(tasks) > 1 else ''} {', '.join(tasks)} "
            f"only as {users}, which names nobody: pass --annotator human:NAME (who made them)"
        )
    users = sorted({c.author.user for c in makers})
    if annotator is not None and len(users) > 1:
        return (
            f"{export}: the applied annotations are by {' and '.join(users)}, but --annotator names one person: "
            "import one user's annotations at a time with --annotation-of USER"
        )
    return None


def _check_problem(makers: list[_Candidate], checked_by: str | None, checked_at: str | None) -> str | None:
    """Why --checked-by/--checked-at cannot be true of these edits (their maker, or a date before them)."""
    if checked_by is None:
        return None
    own = sorted({str(c.task_id) for c in makers if c.author.name == checked_by})
    if own:
        return (
            f"--checked-by {checked_by}: {checked_by} made the edits of task {', '.join(own)}, and a record is checked "
            "only by someone other than its annotator (GUIDELINES §0); leave --checked-by out to import them as drafts"
        )
    early = sorted({(c.author.day, str(c.task_id)) for c in makers if c.author.day and checked_at < c.author.day})
    if early:
        return (
            f"--checked-at {checked_at} is before the edits of task {', '.join(t for _, t in early)} ({early[-1][0]}): "
            "the check comes after the edits"
        )
    return None


def _content(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in ("id", "review")}


def _validate_candidate(root: Path, layer: str, text: str) -> list[Incident]:
    with tempfile.TemporaryDirectory(prefix="finnews-import-") as tmp:
        candidate = Path(tmp) / f"{layer}.jsonl"
        candidate.write_text(text, encoding="utf-8", newline="\n")
        found = validate(root, paths=[candidate])
    display = f"annotations/{layer}.jsonl (as imported)"
    return [Incident(display, i.line, i.rule, i.message) for i in found]


def import_label_studio(
    export: str | Path,
    *,
    root: Path | None = None,
    layer: str | None = None,
    annotator: str | None = None,
    checked_by: str | None = None,
    checked_at: str | None = None,
    annotation_of: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Update a layer from a Label Studio JSON export; write nothing unless every check passes.

    Regions whose id is a record id of the layer (and article) update that record: unchanged ones
    keep their bytes, changed ones their id; other regions become new records with the article's
    next free id number; records of an annotated task's unit that have no region are removed. Tasks
    without a submitted annotation leave their unit alone. Of several annotations of a task the most
    recently updated is applied (or USER's, with annotation_of); result.not_applied says which were
    not (finnews.interop.review). A region without a record id that equals an unclaimed record of its
    unit in every field is that record, so importing the same export twice adds nothing.

    Changed and new records get the review block of finnews.interop.review: the annotator is who made
    the edit (the export's user when it names a person, else `annotator`), `checked` only when
    `checked_by` (someone else) checked it on `checked_at`, else `draft`; a changed record's note
    says what changed and whose record it was. No name and no date is ever guessed.

    Problems in the export raise one DataError listing every incident (`path:line: rule: message`,
    line = 1-based task number, 0 for the whole file); the candidate layer is checked with finnews
    validate before writing. A missing option (the export names nobody) is a UsageError of one line.
    """
    annotator, checked_by, checked_at = _review_options(annotator, checked_by, checked_at)
    root, export = as_root(root), Path(export)
    incidents: list[Incident] = []
    report = collector(incidents, str(export))
    tasks = _read_tasks(export, report)
    layer = None if tasks is None else _layer_of(tasks, layer, report)
    if layer is None:
        raise DataError(ordered(incidents), "nothing written")
    spec, gold, path = layer_spec(layer), load_valid(root), layer_path(root, layer)
    lines = read_layer_lines(path)
    old = [record for _, record in lines]
    result = ImportResult(layer, path, incidents)
    if checked_at is not None and checked_by is None:
        result.not_applied.append(
            f"--checked-at {checked_at}: without --checked-by nobody is named as checker, so the edits are drafts"
        )
    covered, candidates = _candidates(spec, tasks, gold, report, result.not_applied, annotator, annotation_of)
    new, makers = _new_records(spec, gold, old, covered, candidates, report, checked_by, checked_at)
    result.diff = diff_records(old, new)
    result.missing = _missing_option(export, makers, annotator)
    problem = _check_problem(makers, checked_by, checked_at)
    if problem:
        raise UsageError(problem)
    text = _layer_text(lines, new) if result.changed and not incidents and not result.missing else None
    if text is not None:
        incidents += _validate_candidate(root, layer, text)
    if incidents:
        also = f"\nthen: {result.missing}" if result.missing else ""
        raise DataError(ordered(incidents), f"nothing written{also}")
    if result.missing:
        raise UsageError(result.missing)
    if text is not None and not dry_run:
        atomic_write_text(path, text)
        result.written = True
    return result
