"""Label Studio round trip (export, import, UTF-16 offsets) and the record diff (brat: test_brat.py)."""

import argparse
import copy
import hashlib
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from finnews.cli import main
from finnews.commands import export as export_command
from finnews.commands import import_ as import_command
from finnews.data.schema import closed_set
from finnews.errors import DataError, UsageError
from finnews.interop.labelstudio import (
    export_label_studio,
    from_utf16,
    import_label_studio,
    label_config,
    label_studio_tasks,
    to_utf16,
    utf16_table,
)
from finnews.interop.layers import diff_records, format_diff

FIXTURES = Path(__file__).parent / "fixtures"
LS_FIXTURES = FIXTURES / "labelstudio"
CHECKOUT = Path(__file__).resolve().parents[1]
MINI_TEXT = "腾讯回购创新高\n本报记者 王五\n腾讯控股年内回购2634.41亿港元。机构认为港股有望上行。"


def refused(export: Path, **options) -> list:
    """The incidents of an import that must write nothing."""
    with pytest.raises(DataError) as caught:
        import_label_studio(export, **options)
    assert str(caught.value).endswith("nothing written")
    return caught.value.incidents


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_lines(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False, separators=(", ", ": ")) + "\n" for r in records), encoding="utf-8")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the mini corpus whose numeric fact has its measured property inside its sentence."""
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    facts = root / "annotations" / "numeric_facts.jsonl"
    records = read_lines(facts)
    records[0]["measured_property"] = {"start": 22, "end": 24, "text": "回购"}
    write_lines(facts, records)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def export_file(root: Path, out: Path, layer: str, **options) -> Path:
    paths = export_label_studio(layer, out, root=root, **options)
    return next(p for p in paths if p.suffix == ".json")


def edit(path: Path, change) -> Path:
    """Apply change(tasks) to an exported task file, as an annotator would in Label Studio."""
    tasks = json.loads(path.read_text(encoding="utf-8"))
    change(tasks)
    for task in tasks:
        for annotation in task.get("annotations", []):
            annotation.update(completed_by={"id": 3, "email": "carol@example.org"}, updated_at="2026-11-28T11:00:00Z")
    edited = path.with_name("edited-" + path.name)
    edited.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return edited


def region(tasks: list, region_id: str, control: str | None = None) -> dict:
    for task in tasks:
        for annotation in task.get("annotations", []):
            for r in annotation["result"]:
                if r.get("id") == region_id and (control is None or r["from_name"] == control):
                    return r
    raise AssertionError(f"no region {region_id} ({control})")


# ---------------------------------------------------------------- offsets


def test_utf16_conversion_counts_astral_characters_twice():
    text = "a𠀀b腾讯𠀀"
    assert len(text.encode("utf-16-le")) // 2 == 8
    assert [to_utf16(text, i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 5, 6, 8]
    assert utf16_table(text) == [0, 1, 3, 4, 5, 6, 8]
    assert [from_utf16(text, u) for u in (0, 1, 3, 4, 5, 6, 8)] == [0, 1, 2, 3, 4, 5, 6]
    with pytest.raises(ValueError, match="surrogate"):
        from_utf16(text, 2)
    with pytest.raises(ValueError, match="outside"):
        from_utf16(text, 9)


# ---------------------------------------------------------------- export


@pytest.mark.parametrize("layer", ["entities", "numeric_facts", "stance"])
def test_label_config_is_xml_with_the_schema_labels(layer):
    root = ET.fromstring(label_config(layer))
    controls = {e.get("name"): e for e in root.iter() if e.get("toName") == "text"}
    main = {"entities": "type", "numeric_facts": "kind", "stance": "stance"}[layer]
    labels = [label.get("value") for label in controls[main]]
    expected = {"entities": closed_set("entity_type"), "numeric_facts": closed_set("numeric_kind"), "stance": ["evidence"]}[layer]
    assert labels == expected
    per_region = {name for name, e in controls.items() if e.get("perRegion") == "true"}
    assert "source_issue" in per_region
    if layer == "numeric_facts":
        assert {"value", "unit", "approx", "iso", "change"} <= per_region
        assert [c.get("value") for c in controls["unit"]] == closed_set("unit")
        assert [label.get("value") for label in controls["role"]] == [
            "measured_property",
            "measured_entity",
            "period",
            "qualifier",
        ]
    if layer == "stance":
        assert [c.get("value") for c in controls["polarity"]] == closed_set("polarity")
        assert {"holder_text"} <= per_region


def test_export_tasks_carry_ids_offsets_and_data(mini):
    tasks = label_studio_tasks("entities", root=mini)
    assert [t["id"] for t in tasks] == [10000]
    assert tasks[0]["data"] == {"text": MINI_TEXT, "article": "mini", "layer": "entities"}
    result = tasks[0]["annotations"][0]["result"]
    assert [(r["id"], r["value"]["start"], r["value"]["end"], r["value"]["text"], r["value"]["labels"]) for r in result] == [
        ("mini-e001", 0, 2, "腾讯", ["COMPANY"]),
        ("mini-e002", 16, 20, "腾讯控股", ["COMPANY"]),
        ("mini-e003", 39, 41, "港股", ["MARKET"]),
    ]
    sentence_tasks = label_studio_tasks("entities", root=mini, unit="sentence", predictions=True)
    assert [t["id"] for t in sentence_tasks] == [10001, 10002, 10003, 10004]
    s3 = sentence_tasks[3]
    assert "annotations" not in s3 and s3["data"]["sentence"] == "mini-s003" and s3["data"]["text"] == "机构认为港股有望上行。"
    [port] = s3["predictions"][0]["result"]
    assert (port["value"]["start"], port["value"]["end"]) == (4, 6)  # relative to the sentence


def test_export_numeric_and_stance_regions(mini):
    [task] = label_studio_tasks("numeric_facts", root=mini)
    result = task["annotations"][0]["result"]
    per_region = {r["from_name"]: r["value"] for r in result if r.get("id") == "mini-n001" and r["type"] != "labels"}
    assert per_region["value"]["text"] == ["263441000000"]
    assert per_region["unit"]["choices"] == ["HKD"] and per_region["approx"]["choices"] == ["exact"]
    assert "iso" not in per_region and "change" not in per_region  # null: no result
    roles = {r["value"]["labels"][0]: r["value"]["text"] for r in result if r.get("from_name") == "role"}
    assert roles == {"measured_property": "回购", "measured_entity": "腾讯控股", "period": "年内"}
    relations = [(r["from_id"], r["to_id"]) for r in result if r["type"] == "relation"]
    assert relations == [("mini-n001", f"mini-n001.{f}") for f in ("measured_property", "measured_entity", "period")]

    stance = label_studio_tasks("stance", root=mini, unit="sentence")
    result = stance[3]["annotations"][0]["result"]
    evidence = region(stance, "mini-t001", "stance")
    assert (evidence["value"]["start"], evidence["value"]["end"], evidence["value"]["labels"]) == (6, 10, ["evidence"])
    assert region(stance, "mini-t001", "polarity")["value"]["choices"] == ["positive"]
    assert {r["value"]["labels"][0] for r in result if r.get("from_name") == "role"} == {"holder", "target"}


def test_export_refuses_to_overwrite(mini, tmp_path):
    export_label_studio("entities", tmp_path / "out", root=mini)
    with pytest.raises(UsageError, match="will not overwrite"):
        export_label_studio("entities", tmp_path / "out", root=mini)
    export_label_studio("entities", tmp_path / "out", root=mini, force=True)


# ---------------------------------------------------------------- round trip


@pytest.mark.parametrize("layer", ["entities", "numeric_facts", "stance"])
@pytest.mark.parametrize("unit", ["article", "sentence"])
def test_round_trip_without_edits_changes_no_byte_on_the_mini_corpus(mini, tmp_path, layer, unit):
    before = snapshot(mini)
    exported = export_file(mini, tmp_path / "out", layer, unit=unit)
    result = import_label_studio(exported, root=mini)
    assert result.incidents == [] and not result.changed and not result.written
    assert result.diff["unchanged"] == len(read_lines(mini / "annotations" / f"{layer}.jsonl"))
    assert snapshot(mini) == before


def real_layers() -> list[str]:
    return [layer for layer in ("entities", "numeric_facts", "stance") if (CHECKOUT / "annotations" / f"{layer}.jsonl").is_file()]


@pytest.fixture
def real(tmp_path: Path) -> Path:
    root = tmp_path / "real"
    shutil.copytree(CHECKOUT / "corpus", root / "corpus")
    (root / "annotations").mkdir()
    for path in (CHECKOUT / "annotations").glob("*.jsonl"):
        shutil.copy(path, root / "annotations" / path.name)
    return root


@pytest.mark.parametrize("unit", ["article", "sentence"])
def test_round_trip_without_edits_changes_no_byte_on_the_real_annotations(real, tmp_path, unit):
    layers = real_layers()
    assert {"entities", "numeric_facts"} <= set(layers)
    before = snapshot(real)
    for layer in layers:
        exported = export_file(real, tmp_path / unit, layer, unit=unit)
        result = import_label_studio(exported, root=real)
        assert result.incidents == [], layer
        assert not result.changed and result.diff["unchanged"] == len(read_lines(real / "annotations" / f"{layer}.jsonl"))
    assert snapshot(real) == before


def test_edited_export_produces_exactly_the_four_edits(mini):
    path = mini / "annotations" / "entities.jsonl"
    old_lines = path.read_text(encoding="utf-8").splitlines()
    result = import_label_studio(LS_FIXTURES / "mini-entities-edited.json", root=mini)
    assert result.incidents == [] and result.written
    diff = result.diff
    assert [r["id"] for r in diff["added"]] == ["mini-e004"]
    assert [r["id"] for r in diff["removed"]] == ["mini-e003"]
    assert {c["id"]: sorted(c["fields"]) for c in diff["changed"]} == {
        "mini-e001": ["review", "type"],
        "mini-e002": ["end", "review", "text"],
    }
    records = {r["id"]: r for r in read_lines(path)}
    assert [r["id"] for r in read_lines(path)] == ["mini-e001", "mini-e004", "mini-e002"]  # validate's order
    assert records["mini-e001"]["type"] == "ORG"
    assert (records["mini-e002"]["start"], records["mini-e002"]["end"], records["mini-e002"]["text"]) == (16, 18, "腾讯")
    # whoever adds or corrects a record becomes its annotator; nobody else has checked it: a draft (GUIDELINES §0)
    assert records["mini-e004"] == {
        "id": "mini-e004",
        "article": "mini",
        "start": 13,
        "end": 15,
        "text": "王五",
        "type": "PER",
        "review": {"status": "draft", "annotator": "human:alice@example.org", "checked_by": None, "checked_at": None},
    }
    assert records["mini-e001"]["review"] == {
        "status": "draft",
        "annotator": "human:alice@example.org",
        "checked_by": None,
        "checked_at": None,
        "note": "corrected in Label Studio on 2026-12-01: type COMPANY -> ORG (the record was human:fixture-a's)",
    }
    assert records["mini-e002"]["review"]["note"] == (
        "corrected in Label Studio on 2026-12-01: span 腾讯控股 [16, 20) -> 腾讯 [16, 18) (the record was human:fixture-a's)"
    )
    # the older annotation of the same user and a cancelled one are named, not applied
    assert result.not_applied == [
        "task 3: annotation 13 by user 8 (bob@example.org), updated 2026-12-02T10:00:00.000000Z not applied: cancelled (skipped) in Label Studio",
        "task 3: annotation 11 by user 7 (alice@example.org), updated 2026-11-30T08:05:00.000000Z not applied: "
        "annotation 12 by user 7 (alice@example.org), updated 2026-12-01T09:30:12.345678Z is more recent",
    ]
    new_lines = path.read_text(encoding="utf-8").splitlines()
    assert sum(1 for line in old_lines if line not in new_lines) == 3  # e001, e002 rewritten; e003 gone
    # importing the same export again is a no-op
    again = import_label_studio(LS_FIXTURES / "mini-entities-edited.json", root=mini)
    assert again.incidents == [] and not again.changed


def test_four_edits_on_the_real_entities_change_exactly_four_records(real, tmp_path):
    path = real / "annotations" / "entities.jsonl"
    old_lines = path.read_text(encoding="utf-8").splitlines()
    records = read_lines(path)
    relabel, shrink, delete = records[0], next(r for r in records[1:] if len(r["text"]) >= 3), records[-1]
    exported = export_file(real, tmp_path / "out", "entities")
    tasks = json.loads(exported.read_text(encoding="utf-8"))
    # a free stretch of two characters (no entity touches it) in the first article's last sentence
    article = next(t for t in tasks if t["data"]["article"] == relabel["article"])
    text = article["data"]["text"]
    taken = {i for r in records if r["article"] == relabel["article"] for i in range(r["start"], r["end"])}
    start = next(
        i
        for i in range(len(text) - 2, 0, -1)
        if not {i - 1, i, i + 1, i + 2} & taken
        and text[i : i + 2].strip() == text[i : i + 2]
        and "\n" not in text[i : i + 2]
        and text[i : i + 2].isalnum()
    )

    def change(tasks):
        other = "LOC" if relabel["type"] != "LOC" else "GPE"
        region(tasks, relabel["id"])["value"]["labels"] = [other]
        moved = region(tasks, shrink["id"])["value"]
        moved["end"] -= 1
        moved["text"] = moved["text"][:-1]
        for task in tasks:
            result = task["annotations"][0]["result"]
            result[:] = [r for r in result if r["id"] != delete["id"]]
            if task is next(t for t in tasks if t["data"]["article"] == relabel["article"]):
                result.append(
                    {
                        "id": "new1",
                        "from_name": "type",
                        "to_name": "text",
                        "type": "labels",
                        "value": {"start": start, "end": start + 2, "text": text[start : start + 2], "labels": ["ORG"]},
                    }
                )

    result = import_label_studio(edit(exported, change), root=real)
    assert result.incidents == []
    diff = result.diff
    assert [r["text"] for r in diff["added"]] == [text[start : start + 2]]
    assert [r["id"] for r in diff["removed"]] == [delete["id"]]
    assert {c["id"]: sorted(c["fields"]) for c in diff["changed"]} == {
        relabel["id"]: ["review", "type"],
        shrink["id"]: ["end", "review", "text"],
    }
    assert diff["unchanged"] == len(records) - 3
    new_lines = path.read_text(encoding="utf-8").splitlines()
    assert len(set(old_lines) - set(new_lines)) == 3 and len(set(new_lines) - set(old_lines)) == 3
    [added] = diff["added"]
    numbers = [int(r["id"].rsplit("-e", 1)[1]) for r in records if r["article"] == added["article"]]
    assert added["id"] == f"{added['article']}-e{max(numbers) + 1:03d}"


def test_unchanged_records_keep_their_stored_bytes(mini, tmp_path):
    path = mini / "annotations" / "entities.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = json.dumps(json.loads(lines[2]))  # valid JSON, but not how finnews would write it
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    exported = export_file(mini, tmp_path / "out", "entities")
    result = import_label_studio(
        edit(exported, lambda tasks: region(tasks, "mini-e001")["value"].update(labels=["ORG"])), root=mini
    )
    assert result.incidents == [] and result.written
    after = path.read_text(encoding="utf-8").splitlines()
    assert after[1:] == lines[1:] and after[0] != lines[0]


def test_predictions_export_changes_nothing_on_import(mini, tmp_path):
    before = snapshot(mini)
    exported = export_file(mini, tmp_path / "out", "entities", predictions=True)
    result = import_label_studio(exported, root=mini)
    assert result.incidents == [] and not result.changed and result.diff["unchanged"] == 3
    assert snapshot(mini) == before


def test_checked_by_someone_else_makes_the_edits_checked(mini):
    result = import_label_studio(
        LS_FIXTURES / "mini-entities-edited.json", root=mini, checked_by="human:bob@example.org", checked_at="2026-12-01"
    )
    assert result.incidents == []
    records = {r["id"]: r for r in read_lines(mini / "annotations" / "entities.jsonl")}
    assert records["mini-e004"]["review"] == {
        "status": "checked",
        "annotator": "human:alice@example.org",
        "checked_by": "human:bob@example.org",
        "checked_at": "2026-12-01",
    }
    assert records["mini-e001"]["review"]["status"] == "checked" and "note" in records["mini-e001"]["review"]


def test_a_date_without_a_checker_leaves_the_edits_drafts_and_says_so(mini):
    result = import_label_studio(LS_FIXTURES / "mini-entities-edited.json", root=mini, checked_at="2026-12-01")
    records = {r["id"]: r for r in read_lines(mini / "annotations" / "entities.jsonl")}
    assert records["mini-e004"]["review"]["status"] == "draft" and records["mini-e004"]["review"]["checked_at"] is None
    assert (
        result.not_applied[0]
        == "--checked-at 2026-12-01: without --checked-by nobody is named as checker, so the edits are drafts"
    )


@pytest.mark.parametrize(
    "options, message",
    [
        (
            {"checked_by": "bob@example.org", "checked_at": "2026-12-02"},
            "--checked-by 'bob@example.org' is not an annotator name",
        ),
        ({"checked_by": "human:bob smith", "checked_at": "2026-12-02"}, "is not an annotator name"),
        ({"checked_by": "human:", "checked_at": "2026-12-02"}, "is not an annotator name"),
        ({"checked_by": "human:bob\n", "checked_at": "2026-12-02"}, "is not an annotator name"),
        ({"checked_by": "reviewer:bob", "checked_at": "2026-12-02"}, "is not an annotator name"),
        ({"annotator": "alice"}, "--annotator 'alice' is not an annotator name"),
        ({"checked_by": "human:bob"}, "--checked-by human:bob needs --checked-at YYYY-MM-DD"),
        ({"checked_by": "human:bob", "checked_at": "yesterday"}, "--checked-at must be a date YYYY-MM-DD"),
        ({"annotator": "human:bob", "checked_by": "human:bob", "checked_at": "2026-12-02"}, "is also --annotator"),
        (
            {"checked_by": "human:alice@example.org", "checked_at": "2026-12-01"},
            "human:alice@example.org made the edits of task 3",
        ),
        (
            {"checked_by": "human:bob", "checked_at": "2026-11-30"},
            "--checked-at 2026-11-30 is before the edits of task 3 (2026-12-01)",
        ),
    ],
)
def test_malformed_names_and_dates_are_refused_before_anything_is_written(mini, options, message):
    before = snapshot(mini)
    with pytest.raises(UsageError, match=re.escape(message)):
        import_label_studio(LS_FIXTURES / "mini-entities-edited.json", root=mini, **options)
    assert snapshot(mini) == before


def test_dry_run_writes_nothing_and_reports_the_diff(mini):
    before = snapshot(mini)
    result = import_label_studio(LS_FIXTURES / "mini-entities-edited.json", root=mini, dry_run=True)
    assert result.changed and not result.written and snapshot(mini) == before
    text = format_diff(result.diff)
    assert "+ mini-e004 [13, 15) 王五" in text and "- mini-e003 [39, 41) 港股" in text
    assert '~ mini-e001 type: "COMPANY" -> "ORG"' in text
    assert text.endswith("1 added, 1 removed, 2 changed, 0 unchanged")


def test_broken_export_reports_every_problem_and_changes_nothing(mini):
    before = snapshot(mini)
    incidents = refused(LS_FIXTURES / "mini-entities-broken.json", root=mini)
    assert snapshot(mini) == before
    found = {(i.line, i.rule) for i in incidents}
    assert found == {(1, "label-unknown"), (1, "offset-mismatch"), (2, "task-unmapped")}
    assert all(str(i).startswith(str(LS_FIXTURES / "mini-entities-broken.json") + ":") for i in incidents)


def test_numeric_fact_edits_and_value_validation(mini, tmp_path):
    exported = export_file(mini, tmp_path / "out", "numeric_facts", unit="sentence")

    def change(tasks):
        region(tasks, "mini-n001", "approx")["value"]["choices"] = ["approx"]
        result = next(t for t in tasks if t["data"]["sentence"] == "mini-s002")["annotations"][0]["result"]
        result[:] = [r for r in result if r.get("to_id") != "mini-n001.period" and r.get("id") != "mini-n001.period"]

    result = import_label_studio(edit(exported, change), root=mini)
    assert result.incidents == []
    [changed] = result.diff["changed"]
    assert sorted(changed["fields"]) == ["approx", "period", "review"]
    [record] = read_lines(mini / "annotations" / "numeric_facts.jsonl")
    assert record["approx"] == "approx" and record["period"] is None
    assert list(record) == [
        "id",
        "article",
        "start",
        "end",
        "text",
        "value",
        "unit",
        "kind",
        "approx",
        "iso",
        "measured_property",
        "measured_entity",
        "period",
        "qualifier",
        "change",
        "review",
    ]

    # a value the normaliser contradicts is caught by finnews validate before anything is written
    before = snapshot(mini)
    wrong = edit(exported, lambda tasks: region(tasks, "mini-n001", "value")["value"].update(text=["5"]))
    assert [i.rule for i in refused(wrong, root=mini)] == ["value-mismatch"] and snapshot(mini) == before
    # unreadable values and unknown choices are the importer's own incidents
    bad = edit(
        exported,
        lambda tasks: (
            region(tasks, "mini-n001", "value")["value"].update(text=["lots"]),
            region(tasks, "mini-n001", "unit")["value"].update(choices=["doubloon"]),
        ),
    )
    assert sorted(i.rule for i in refused(bad, root=mini)) == ["attribute-invalid", "label-unknown"]


def test_unknown_choice_is_reported(mini, tmp_path):
    exported = export_file(mini, tmp_path / "out", "numeric_facts")
    bad = edit(exported, lambda tasks: region(tasks, "mini-n001", "unit")["value"].update(choices=["doubloon"]))
    assert [(i.line, i.rule) for i in refused(bad, root=mini)] == [(1, "label-unknown")]


def test_stance_holder_as_text_and_as_span_round_trip(mini, tmp_path):
    stance = mini / "annotations" / "stance.jsonl"
    [record] = read_lines(stance)
    record["holder"] = {"start": None, "end": None, "text": "author"}
    write_lines(stance, [record])
    before = snapshot(mini)
    exported = export_file(mini, tmp_path / "out", "stance")
    assert region(json.loads(exported.read_text(encoding="utf-8")), "mini-t001", "holder_text")["value"]["text"] == ["author"]
    assert not import_label_studio(exported, root=mini).changed and snapshot(mini) == before

    def to_span(tasks):
        """Replace the author by a holder span 机构 linked to the evidence."""
        result = tasks[0]["annotations"][0]["result"]
        result[:] = [r for r in result if r.get("from_name") != "holder_text"]
        result.append(
            {
                "id": "h1",
                "from_name": "role",
                "to_name": "text",
                "type": "labels",
                "value": {"start": 35, "end": 37, "text": "机构", "labels": ["holder"]},
            }
        )
        result.append({"from_id": "mini-t001", "to_id": "h1", "type": "relation", "direction": "right"})

    result = import_label_studio(edit(exported, to_span), root=mini)
    assert result.incidents == []
    [record] = read_lines(stance)
    assert record["holder"] == {"start": 35, "end": 37, "text": "机构"} and record["polarity"] == "positive"


def test_role_regions_must_be_linked(mini, tmp_path):
    exported = export_file(mini, tmp_path / "out", "stance")

    def unlink(tasks):
        result = tasks[0]["annotations"][0]["result"]
        result[:] = [r for r in result if r.get("to_id") != "mini-t001.target"]

    rules = sorted(i.rule for i in refused(edit(exported, unlink), root=mini))
    assert rules == ["attribute-missing", "role-unlinked"]


def test_tasks_without_annotations_leave_their_unit_alone(mini, tmp_path):
    exported = export_file(mini, tmp_path / "out", "entities", unit="sentence")

    # only sentence s003 was annotated (its entity deleted); the other tasks carry no annotation
    def change(tasks):
        for task in tasks:
            task["annotations"] = [{"result": []}] if task["data"]["sentence"] == "mini-s003" else []

    result = import_label_studio(edit(exported, change), root=mini)
    assert result.incidents == [] and [r["id"] for r in result.diff["removed"]] == ["mini-e003"]
    assert [r["id"] for r in read_lines(mini / "annotations" / "entities.jsonl")] == ["mini-e001", "mini-e002"]


def test_a_unit_in_two_tasks_names_both_task_ids(mini, tmp_path):
    by_sentence = json.loads(export_file(mini, tmp_path / "sentences", "entities", unit="sentence").read_text(encoding="utf-8"))
    [by_article] = json.loads(export_file(mini, tmp_path / "article", "entities").read_text(encoding="utf-8"))
    export = tmp_path / "both.json"
    export.write_text(json.dumps([by_sentence[-1], by_article], ensure_ascii=False), encoding="utf-8")
    [incident] = refused(export, root=mini, annotator="human:carol")
    assert (incident.line, incident.rule) == (2, "task-duplicate")
    assert incident.message == (f"task 10000 covers mini, as does task {by_sentence[-1]['id']} (task number 1 in the file)")


def test_an_export_with_a_byte_order_mark_is_an_encoding_bom_incident(mini, tmp_path):
    exported = export_file(mini, tmp_path / "out", "entities")
    exported.write_bytes(b"\xef\xbb\xbf" + exported.read_bytes())
    before = snapshot(mini)
    assert [(i.line, i.rule) for i in refused(exported, root=mini)] == [(0, "encoding-bom")]
    assert snapshot(mini) == before


def test_text_changed_since_export_is_an_error(mini, tmp_path):
    exported = export_file(mini, tmp_path / "out", "entities")
    bad = edit(exported, lambda tasks: tasks[0]["data"].update(text=MINI_TEXT + "!"))
    assert [i.rule for i in refused(bad, root=mini)] == ["text-mismatch"]


def test_a_bare_user_id_needs_annotator(mini, tmp_path):
    exported = export_file(mini, tmp_path / "out", "entities")
    tasks = json.loads(exported.read_text(encoding="utf-8"))
    region(tasks, "mini-e003")["value"]["labels"] = ["GPE"]
    tasks[0]["annotations"][0].update(id=5, completed_by=1, updated_at="2026-11-29T10:00:00Z")  # as a real export says it
    exported.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    before = snapshot(mini)
    for options in ({}, {"checked_by": "human:dan", "checked_at": "2026-11-30"}):
        with pytest.raises(UsageError) as caught:
            import_label_studio(exported, root=mini, **options)
        assert str(caught.value) == (
            f"{exported}: Label Studio names who made the edits of task 10000 only as user 1, "
            "which names nobody: pass --annotator human:NAME (who made them)"
        )
        assert snapshot(mini) == before
    result = import_label_studio(exported, root=mini, annotator="human:carol", checked_by="human:dan", checked_at="2026-11-30")
    assert result.incidents == [] and [c["id"] for c in result.diff["changed"]] == ["mini-e003"]
    [record] = [r for r in read_lines(mini / "annotations" / "entities.jsonl") if r["id"] == "mini-e003"]
    assert record["review"] == {
        "status": "checked",
        "annotator": "human:carol",
        "checked_by": "human:dan",
        "checked_at": "2026-11-30",
        "note": "corrected in Label Studio on 2026-11-29: type MARKET -> GPE (the record was human:fixture-a's)",
    }


# ---------------------------------------------------------------- real Label Studio 1.23.2 exports

REAL_EXPORTS = sorted((FIXTURES / "labelstudio-1.23.2").glob("*.export.json"))
BASE_REVIEW = {"status": "checked", "annotator": "human:fixture-a", "checked_by": "human:fixture-b", "checked_at": "2026-11-26"}


@pytest.fixture
def at_export(real: Path) -> Path:
    """The real corpus with hk-buybacks' entities as they were when the real exports were made (the
    pre-annotations the UI export carries), so that later fixes to the data do not change what the
    exports mean. Records whose content did not change since keep their review block."""
    [task] = json.loads((FIXTURES / "labelstudio-1.23.2" / "entities-ui-edit.export.json").read_text(encoding="utf-8"))
    text = task["data"]["text"]
    path = real / "annotations" / "entities.jsonl"
    records = read_lines(path)
    current = {r["id"]: r for r in records}
    base = []
    for r in task["annotations"][0]["prediction"]["result"]:
        start, end = (from_utf16(text, r["value"][k]) for k in ("start", "end"))
        record = {
            "id": r["id"],
            "article": "hk-buybacks",
            "start": start,
            "end": end,
            "text": text[start:end],
            "type": r["value"]["labels"][0],
        }
        now = current.get(r["id"], {})
        same = {k: v for k, v in now.items() if k != "review"} == record
        base.append({**record, "review": now["review"] if same else BASE_REVIEW})
    first = next(i for i, r in enumerate(records) if r["article"] == "hk-buybacks")
    others = [r for r in records if r["article"] != "hk-buybacks"]
    write_lines(path, others[:first] + base + others[first:])
    return real


def test_the_real_exports_are_genuine_label_studio_files():
    assert [p.name for p in REAL_EXPORTS] == ["entities-api-edit.export.json", "entities-ui-edit.export.json"]
    for path in REAL_EXPORTS:
        [task] = json.loads(path.read_text(encoding="utf-8"))
        [annotation] = task["annotations"]
        assert annotation["completed_by"] == 1  # a bare user id: it names nobody
        assert {"predictions", "drafts", "file_upload", "inner_id", "total_annotations"} <= set(task)
        new = [r for r in annotation["result"] if not r["id"].startswith("hk-buybacks-")]
        assert [(r["origin"], r["value"]["text"]) for r in new] == [("manual", "消费电子")]


@pytest.mark.parametrize("export", REAL_EXPORTS, ids=lambda p: p.name)
def test_a_real_export_imports_as_exactly_its_two_edits(at_export, export):
    path = at_export / "annotations" / "entities.jsonl"
    before_lines = path.read_text(encoding="utf-8").splitlines()
    wind = next(r for r in read_lines(path) if r["id"] == "hk-buybacks-e005")
    numbers = [int(r["id"].rsplit("-e", 1)[1]) for r in read_lines(path) if r["article"] == "hk-buybacks"]
    result = import_label_studio(export, root=at_export, annotator="human:alice")
    assert result.incidents == [] and result.written and result.not_applied == []
    [added] = result.diff["added"]
    assert added == {
        "id": f"hk-buybacks-e{max(numbers) + 1:03d}",
        "article": "hk-buybacks",
        "start": 1040,
        "end": 1044,
        "text": "消费电子",
        "type": "PRODUCT",
        "review": {"status": "draft", "annotator": "human:alice", "checked_by": None, "checked_at": None},
    }
    assert result.diff["removed"] == []
    assert [(c["id"], sorted(c["fields"])) for c in result.diff["changed"]] == [("hk-buybacks-e005", ["review", "type"])]
    after = {r["id"]: r for r in read_lines(path)}
    assert after["hk-buybacks-e005"]["type"] == "ORG"
    assert after["hk-buybacks-e005"]["review"] == {
        "status": "draft",
        "annotator": "human:alice",
        "checked_by": None,
        "checked_at": None,
        "note": f"corrected in Label Studio on 2026-11-30: type COMPANY -> ORG (the record was {wind['review']['annotator']}'s)",
    }
    after_lines = path.read_text(encoding="utf-8").splitlines()
    assert len(set(before_lines) - set(after_lines)) == 1 and len(set(after_lines) - set(before_lines)) == 2
    again = import_label_studio(export, root=at_export, annotator="human:alice")
    assert not again.changed  # the same export twice changes nothing more


@pytest.mark.parametrize("export", REAL_EXPORTS, ids=lambda p: p.name)
def test_a_real_export_without_annotator_fails_with_one_line_naming_the_option(at_export, export, capsys):
    before = snapshot(at_export)
    for options in ([], ["--checked-by", "human:bob", "--checked-at", "2026-11-30"]):
        assert main(["--root", str(at_export), "import", "label-studio", str(export), "--dry-run", *options]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and "pass --annotator human:NAME" in err and "only as user 1" in err, err
    assert snapshot(at_export) == before


def test_an_unedited_real_submission_changes_nothing_and_needs_no_name(at_export, tmp_path):
    [task] = json.loads(REAL_EXPORTS[0].read_text(encoding="utf-8"))
    result = task["annotations"][0]["result"]
    result[:] = [r for r in result if r["id"].startswith("hk-buybacks-")]
    region([task], "hk-buybacks-e005")["value"]["labels"] = ["COMPANY"]
    unedited = tmp_path / "unedited.json"
    unedited.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    before = snapshot(at_export)
    imported = import_label_studio(unedited, root=at_export)
    assert imported.incidents == [] and not imported.changed and snapshot(at_export) == before


EARLIER, LATER = "2026-11-30T20:00:00.000000Z", "2026-11-30T23:37:10.928420Z"


def two_annotators(tmp_path: Path, org_at: str, per_at: str) -> Path:
    """The UI export with a second annotation, by user 2, that labels Wind PER where user 1's says ORG.
    The second one is listed first: the order of the list never decides."""
    [task] = json.loads(REAL_EXPORTS[1].read_text(encoding="utf-8"))
    org = task["annotations"][0]
    per = copy.deepcopy(org)
    per.update(id=22, completed_by=2, updated_at=per_at)
    org["updated_at"] = org_at
    region([{"annotations": [per]}], "hk-buybacks-e005")["value"]["labels"] = ["PER"]
    task["annotations"] = [per, org]
    path = tmp_path / "two-annotators.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "org_at, per_at, label, not_applied",
    [
        (
            LATER,
            EARLIER,
            "ORG",
            f"task 275: annotation 22 by user 2, updated {EARLIER} not applied: annotation 21 by user 1, updated {LATER} is more recent",
        ),
        (
            EARLIER,
            LATER,
            "PER",
            f"task 275: annotation 21 by user 1, updated {EARLIER} not applied: annotation 22 by user 2, updated {LATER} is more recent",
        ),
    ],
)
def test_several_annotations_apply_the_most_recently_updated_and_say_which_not(
    at_export, tmp_path, org_at, per_at, label, not_applied
):
    result = import_label_studio(two_annotators(tmp_path, org_at, per_at), root=at_export, annotator="human:bob", dry_run=True)
    [changed] = result.diff["changed"]
    assert changed["fields"]["type"] == {"old": "COMPANY", "new": label}
    assert result.not_applied == [not_applied]


def test_annotation_of_chooses_a_users_annotation(at_export, tmp_path, capsys):
    export = two_annotators(tmp_path, org_at=LATER, per_at=EARLIER)
    result = import_label_studio(export, root=at_export, annotator="human:bob", annotation_of="2", dry_run=True)
    assert result.diff["changed"][0]["fields"]["type"] == {"old": "COMPANY", "new": "PER"}
    assert result.not_applied == [f"task 275: annotation 21 by user 1, updated {LATER} not applied: not by 2"]
    # the command prints what was not applied
    assert (
        main(
            [
                "--root",
                str(at_export),
                "import",
                "label-studio",
                str(export),
                "--annotator",
                "human:bob",
                "--annotation-of",
                "2",
                "--dry-run",
            ]
        )
        == 0
    )
    assert "not applied: task 275: annotation 21 by user 1" in capsys.readouterr().out


def test_annotations_that_cannot_be_told_apart_are_refused(at_export, tmp_path):
    export = two_annotators(tmp_path, org_at=LATER, per_at=LATER)
    before = snapshot(at_export)
    [incident] = refused(export, root=at_export, annotator="human:bob")
    assert (incident.line, incident.rule) == (1, "annotation-choice")
    assert incident.message.startswith(
        "task 275 has 2 annotations and none is the most recently updated (annotation 22 by user 2"
    )
    assert incident.message.endswith("pass --annotation-of USER")
    assert snapshot(at_export) == before


def test_one_annotator_name_for_two_users_is_refused(at_export, tmp_path):
    """Two tasks, each annotated last by another Label Studio user: --annotator cannot name both."""
    [task] = json.loads(REAL_EXPORTS[1].read_text(encoding="utf-8"))
    exported = export_file(at_export, tmp_path / "out", "entities", article="cq-hardtech", predictions=True)
    [other] = json.loads(exported.read_text(encoding="utf-8"))
    record = next(r for r in read_lines(at_export / "annotations" / "entities.jsonl") if r["article"] == "cq-hardtech")
    result = copy.deepcopy(other["predictions"][0]["result"])
    region([{"annotations": [{"result": result}]}], record["id"])["value"]["labels"] = [
        "LOC" if record["type"] != "LOC" else "GPE"
    ]
    other["annotations"] = [{"id": 40, "completed_by": 2, "updated_at": "2026-11-30T21:00:00Z", "result": result}]
    path = tmp_path / "two-users.json"
    path.write_text(json.dumps([task, other], ensure_ascii=False), encoding="utf-8")
    with pytest.raises(UsageError, match="by user 1 and user 2, but --annotator names one person"):
        import_label_studio(path, root=at_export, annotator="human:bob")


# ---------------------------------------------------------------- astral characters end to end


def astral_corpus(root: Path) -> str:
    """A one-article corpus whose text holds 𠀀 (U+20000, two UTF-16 units) twice."""
    page = "𠀀腾讯发布\n\n𠀀腾讯控股年内回购。\n"
    text = "𠀀腾讯发布\n𠀀腾讯控股年内回购。"
    raw = root / "corpus" / "raw"
    raw.mkdir(parents=True)
    (raw / "page.txt").write_text(page, encoding="utf-8")
    (raw / "SOURCE.json").write_text(
        json.dumps({"file": "page.txt", "sha256": hashlib.sha256(page.encode()).hexdigest()}), encoding="utf-8"
    )
    article = {
        "id": "astral",
        "title": "𠀀腾讯发布",
        "kind": "news",
        "group": "astral",
        "byline": "",
        "authors": [],
        "source": "test",
        "date": "2024-12-31",
        "date_basis": "fixture",
        "truncated": False,
        "notes": [],
        "pieces": [
            {"role": "title", "join": "none", "start": 0, "end": 5, "text": "𠀀腾讯发布"},
            {"role": "paragraph", "join": "newline", "start": 7, "end": 17, "text": "𠀀腾讯控股年内回购。"},
        ],
    }
    write_lines(root / "corpus" / "articles.jsonl", [article])
    (root / "corpus" / "furniture.jsonl").write_text("", encoding="utf-8")
    (root / "corpus" / "splits.json").write_text(
        json.dumps({"version": "1", "rule": "fixture", "articles": {"astral": "test"}}), encoding="utf-8"
    )
    review = {"status": "checked", "annotator": "human:a", "checked_by": "human:b", "checked_at": "2026-11-26"}
    (root / "annotations").mkdir()
    write_lines(
        root / "annotations" / "sentences.jsonl",
        [
            {
                "id": "astral-s000",
                "article": "astral",
                "idx": 0,
                "kind": "title",
                "start": 0,
                "end": 5,
                "text": text[0:5],
                "review": review,
            },
            {
                "id": "astral-s001",
                "article": "astral",
                "idx": 1,
                "kind": "sentence",
                "start": 6,
                "end": 16,
                "text": text[6:16],
                "review": review,
            },
        ],
    )
    write_lines(
        root / "annotations" / "entities.jsonl",
        [{"id": "astral-e001", "article": "astral", "start": 1, "end": 3, "text": "腾讯", "type": "COMPANY", "review": review}],
    )
    write_lines(
        root / "annotations" / "stance_labels.jsonl",
        [
            {
                "id": f"astral-l00{i}",
                "article": "astral",
                "start": s,
                "end": e,
                "text": text[s:e],
                "label": "neutral",
                "review": review,
            }
            for i, (s, e) in enumerate([(0, 5), (6, 16)], start=1)
        ],
    )
    for layer in ("numeric_facts", "stance"):
        (root / "annotations" / f"{layer}.jsonl").write_text("", encoding="utf-8")  # no number, no view
    return text


def test_astral_characters_are_two_units_in_label_studio_and_one_in_records(tmp_path):
    root = tmp_path / "astral"
    text = astral_corpus(root)
    exported = export_file(root, tmp_path / "out", "entities")
    tasks = json.loads(exported.read_text(encoding="utf-8"))
    e001 = region(tasks, "astral-e001")
    assert (e001["value"]["start"], e001["value"]["end"]) == (2, 4)  # 𠀀 counts 2
    assert not import_label_studio(exported, root=root).changed

    units = lambda cp: len(text[:cp].encode("utf-16-le")) // 2  # noqa: E731
    new = {
        "id": "n1",
        "from_name": "type",
        "to_name": "text",
        "type": "labels",
        "value": {"start": units(7), "end": units(11), "text": "腾讯控股", "labels": ["COMPANY"]},
    }
    assert (new["value"]["start"], new["value"]["end"]) == (9, 13)
    result = import_label_studio(edit(exported, lambda tasks: tasks[0]["annotations"][0]["result"].append(new)), root=root)
    assert result.incidents == []
    records = read_lines(root / "annotations" / "entities.jsonl")
    assert [(r["id"], r["start"], r["end"], r["text"]) for r in records] == [
        ("astral-e001", 1, 3, "腾讯"),
        ("astral-e002", 7, 11, "腾讯控股"),
    ]

    # a region that starts between the two halves of 𠀀 is refused
    split = copy.deepcopy(new)
    split["id"], split["value"] = "n2", {"start": 8, "end": 13, "labels": ["COMPANY"]}
    assert [
        i.rule for i in refused(edit(exported, lambda tasks: tasks[0]["annotations"][0]["result"].append(split)), root=root)
    ] == ["offset-mismatch"]


# ---------------------------------------------------------------- diff, brat, commands


def test_diff_records_matches_by_id_and_names_changed_fields():
    old = [{"id": "a", "x": 1}, {"id": "b", "x": 1, "note": "n"}, {"id": "c", "x": 1}]
    new = [{"id": "a", "x": 1}, {"id": "b", "x": 2}, {"id": "d", "x": 1}]
    diff = diff_records(old, new)
    assert diff["unchanged"] == 1
    assert diff["added"] == [{"id": "d", "x": 1}] and diff["removed"] == [{"id": "c", "x": 1}]
    assert diff["changed"] == [{"id": "b", "fields": {"x": {"old": 1, "new": 2}, "note": {"old": "n"}}}]


def run_command(module, argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)
    return module.run(parser.parse_args(argv))


def test_commands(mini, tmp_path, capsys, monkeypatch):
    shutil.copytree(CHECKOUT / "annotations" / "schema", mini / "annotations" / "schema")  # a complete data root
    monkeypatch.setenv("FINNEWS_ROOT", str(mini))
    assert run_command(export_command, ["label-studio", "--layer", "entities", "--out", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().out.splitlines() == [
        str(tmp_path / "out" / "entities.label-studio.json"),
        str(tmp_path / "out" / "entities.label-studio.xml"),
    ]
    before = snapshot(mini)
    assert run_command(import_command, ["label-studio", str(LS_FIXTURES / "mini-entities-edited.json"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "annotations/entities.jsonl: 1 added, 1 removed, 2 changed, 0 unchanged" in out and "dry run" in out
    assert snapshot(mini) == before
    assert main(["import", "label-studio", str(LS_FIXTURES / "mini-entities-broken.json")]) == 1
    assert "label-unknown" in capsys.readouterr().err and snapshot(mini) == before
    assert run_command(import_command, ["label-studio", str(LS_FIXTURES / "mini-entities-edited.json")]) == 0
    assert "wrote" in capsys.readouterr().out and snapshot(mini) != before
