"""The brat export, read back by independent brat readers from PyPI: brat's own parser and project
configuration reader (the `bratsubset` package that `bratiaa` ships, brat 1.3's annotation.py and
projectconfig.py) and `pybrat`, which refuses a span written twice."""

import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from bratsubset.annotation import TextAnnotations
from bratsubset.projectconfig import ProjectConfiguration
from bratsubset.realmessage import Messager
from pybrat.parser import BratParser

from finnews.data.schema import closed_set
from finnews.interop.brat import ann_text, annotation_conf, export_brat, fragments, quoted

FIXTURES = Path(__file__).parent / "fixtures"
CHECKOUT = Path(__file__).resolve().parents[1]
MINI_TEXT = "腾讯回购创新高\n本报记者 王五\n腾讯控股年内回购2634.41亿港元。机构认为港股有望上行。"
LAYERS = ("entities", "numeric_facts", "stance")
ROLES = {
    "entities": (),
    "numeric_facts": ("measured_property", "measured_entity", "period", "qualifier"),
    "stance": ("holder", "target"),
}


def camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def brat_errors() -> list[str]:
    """The error messages brat's parser has reported since the last call (it collects them globally)."""
    pending = Messager._Messager__pending_messages  # brat's own message queue; no public accessor
    errors = [message for message, kind, _ in pending if kind == "error"]
    pending.clear()
    return errors


def read_with_brat(folder: Path, article: str) -> dict[str, dict]:
    """The records of one .ann file as brat's parser reads them: record id (from the note) -> what brat holds."""
    brat_errors()
    annotations = TextAnnotations(str(folder / article), read_only=True)
    assert annotations.failed_lines == [] and brat_errors() == []
    textbound = {t.id: t for t in annotations.get_textbounds()}
    events = {e.id: e for e in annotations.get_events()}
    attributes: dict[str, dict[str, str]] = defaultdict(dict)
    for a in annotations.get_attributes():
        attributes[a.target][a.type] = a.value
    records = {}
    for note in annotations.get_oneline_comments():
        record_id = note.get_text().split("; ")[0].removeprefix("id=")
        event = events.get(note.target)
        main = textbound[event.trigger if event else note.target]
        records[record_id] = {
            "type": event.type if event else main.type,
            "spans": [tuple(s) for s in main.spans],
            "text": main.text,
            "attributes": attributes[note.target],
            "roles": {role: [tuple(s) for s in textbound[part].spans] for role, part in (event.args if event else [])},
        }
    return records


def expected(layer: str, record: dict) -> dict:
    """What brat should hold for a record, from the record's own fields."""
    main_type = {"entities": record.get("type"), "numeric_facts": "Quantity", "stance": "Evidence"}[layer]
    fields = {"numeric_facts": ("kind", "unit", "approx"), "stance": ("polarity",), "entities": ()}[layer]
    attributes = {camel(f): record[f] for f in fields if record.get(f) is not None}
    if record.get("change"):
        attributes |= {"ChangeType": record["change"]["type"], "ChangeDirection": record["change"]["direction"]}
    roles = {
        camel(f): [(record[f]["start"], record[f]["end"])]
        for f in ROLES[layer]
        if record.get(f) and record[f]["start"] is not None
    }
    return {
        "type": main_type,
        "spans": [(record["start"], record["end"])],
        "text": record["text"],
        "attributes": attributes,
        "roles": roles,
    }


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("brat")
    for layer in LAYERS:
        export_brat(layer, out / layer, root=CHECKOUT)
    return {layer: out / layer for layer in LAYERS}


def gold_records(layer: str) -> list[dict]:
    path = CHECKOUT / "annotations" / f"{layer}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("layer", LAYERS)
def test_brats_own_parser_reads_back_every_record(exported, layer):
    records = gold_records(layer)
    assert records, f"no {layer} to export"
    read: dict[str, dict] = {}
    for txt in sorted(exported[layer].glob("*.txt")):
        read |= read_with_brat(exported[layer], txt.stem)
    assert sorted(read) == sorted(r["id"] for r in records)
    for record in records:
        assert read[record["id"]] == expected(layer, record), record["id"]


@pytest.mark.parametrize("layer", LAYERS)
def test_every_type_and_attribute_value_is_declared_in_annotation_conf(exported, layer):
    config = ProjectConfiguration(str(exported[layer]))
    brat_errors()
    entity_types, event_types = set(config.get_entity_types()), set(config.get_event_types())
    attribute_values = {node.storage_form(): set(node.arguments["Value"]) for node in config.get_attribute_type_hierarchy()}
    event_arguments = {node.storage_form(): node.arguments for node in config.get_event_type_hierarchy()}
    assert brat_errors() == []
    for txt in sorted(exported[layer].glob("*.txt")):
        annotations = TextAnnotations(str(exported[layer] / txt.stem), read_only=True)
        types = {t.id: t.type for t in annotations.get_textbounds()}
        assert set(types.values()) <= entity_types | event_types
        for event in annotations.get_events():
            assert event.type in event_types
            for role, part in event.args:
                assert types[part] in event_arguments[event.type][role], (txt.stem, event.id, role)
        for attribute in annotations.get_attributes():
            assert attribute.value in attribute_values[attribute.type], (txt.stem, attribute.id)


@pytest.mark.parametrize("layer", LAYERS)
def test_pybrat_reads_every_span_once(exported, layer):
    examples = BratParser(error="raise").parse(str(exported[layer]))  # refuses one span written twice
    records = gold_records(layer)
    assert sum(len(e.events) for e in examples) == (0 if layer == "entities" else len(records))
    for example in examples:
        spans = [tuple((s.start, s.end) for s in entity.spans) for entity in example.entities]
        assert len(spans) == len(set(spans))
        mine = [r for r in records if r["article"] == example.id]
        used = {(r["start"], r["end"]) for r in mine} | {
            (r[f]["start"], r[f]["end"]) for r in mine for f in ROLES[layer] if r.get(f) and r[f]["start"] is not None
        }
        assert {s[0] for s in spans} == used


def test_a_reused_span_is_written_once_and_keeps_its_main_type():
    text = "2024年营收100亿元,2025年营收120亿元"
    period = {"start": 0, "end": 5, "text": "2024年"}
    facts = [
        {
            "id": "a-n001",
            "article": "a",
            "start": 0,
            "end": 5,
            "text": "2024年",
            "value": 2024,
            "unit": "year",
            "kind": "year",
            "approx": "exact",
            "iso": "2024",
            "measured_property": None,
            "measured_entity": None,
            "period": None,
            "qualifier": None,
            "change": None,
        },
        {
            "id": "a-n002",
            "article": "a",
            "start": 7,
            "end": 12,
            "text": "100亿元",
            "value": 1e10,
            "unit": "CNY",
            "kind": "money",
            "approx": "exact",
            "iso": None,
            "measured_property": {"start": 5, "end": 7, "text": "营收"},
            "measured_entity": None,
            "period": period,
            "qualifier": None,
            "change": None,
        },
        {
            "id": "a-n003",
            "article": "a",
            "start": 20,
            "end": 25,
            "text": "120亿元",
            "value": 1.2e10,
            "unit": "CNY",
            "kind": "money",
            "approx": "exact",
            "iso": None,
            "measured_property": {"start": 5, "end": 7, "text": "营收"},
            "measured_entity": None,
            "period": {"start": 13, "end": 18, "text": "2025年"},
            "qualifier": None,
            "change": None,
        },
    ]
    lines = ann_text("numeric_facts", facts, text).splitlines()
    textbound = [line for line in lines if line.startswith("T")]
    assert textbound == [
        "T1\tQuantity 0 5\t2024年",
        "T2\tQuantity 7 12\t100亿元",
        "T3\tMeasuredProperty 5 7\t营收",
        "T4\tQuantity 20 25\t120亿元",
        "T5\tPeriod 13 18\t2025年",
    ]
    assert "E2\tQuantity:T2 MeasuredProperty:T3 Period:T1" in lines  # the period is fact a-n001's span
    assert "E3\tQuantity:T4 MeasuredProperty:T3 Period:T5" in lines


def test_a_span_over_a_blank_line_is_quoted_with_one_space(tmp_path):
    """brat joins the fragments of a discontinuous span with one space, however many newlines lie between."""
    text = "腾讯控股\n\n有限公司发布公告"
    record = {"id": "x-e001", "article": "x", "start": 0, "end": 10, "text": text[:10], "type": "COMPANY"}
    assert fragments(text, 0, 10) == "0 4;6 10" and quoted(text, 0, 10) == "腾讯控股 有限公司"
    (tmp_path / "x.txt").write_text(text, encoding="utf-8")
    (tmp_path / "x.ann").write_text(ann_text("entities", [record], text), encoding="utf-8")
    (tmp_path / "annotation.conf").write_text(annotation_conf("entities"), encoding="utf-8")
    assert read_with_brat(tmp_path, "x")["x-e001"]["spans"] == [(0, 4), (6, 10)]
    [example] = BratParser(error="raise").parse(str(tmp_path))
    assert [(s.start, s.end) for s in example.entities[0].spans] == [(0, 4), (6, 10)]


def test_brat_export_of_the_mini_corpus(tmp_path):
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    paths = export_brat("numeric_facts", tmp_path / "brat", root=root)
    assert sorted(p.name for p in paths) == ["annotation.conf", "mini.ann", "mini.txt"]
    assert (tmp_path / "brat" / "mini.txt").read_text(encoding="utf-8") == MINI_TEXT
    ann = (tmp_path / "brat" / "mini.ann").read_text(encoding="utf-8").splitlines()
    assert ann[0] == "T1\tQuantity 24 34\t2634.41亿港元"
    assert ann[-1] == "#1\tAnnotatorNotes E1\tid=mini-n001; value=263441000000"
    assert "A2\tUnit E1 HKD" in ann
    conf = (tmp_path / "brat" / "annotation.conf").read_text(encoding="utf-8")
    assert "Unit\tArg:Quantity, Value:" + "|".join(closed_set("unit")) in conf
    assert conf.split("[events]\n")[1].startswith("Quantity\tMeasuredProperty?:")
