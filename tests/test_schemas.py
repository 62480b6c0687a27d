"""The schemas are the single source of truth: the docs and the release features agree with them."""

import re

from finnews.data.paths import annotations_dir
from finnews.data.schema import closed_set, schemas
from finnews.release.features import bio_tags, features


def test_every_schema_is_strict_and_identified():
    for name, schema in schemas().items():
        assert schema["$schema"].endswith("2020-12/schema") and schema["$id"].endswith(name)
        if schema.get("type") == "object":
            assert schema["additionalProperties"] is False, name


def test_guidelines_entity_table_lists_exactly_the_schema_types():
    text = (annotations_dir() / "GUIDELINES.md").read_text(encoding="utf-8")
    table = re.findall(r"^\| `([A-Z]+)` \|", text, flags=re.M)
    assert table == closed_set("entity_type")


def test_guidelines_name_every_numeric_kind_approx_and_polarity():
    text = (annotations_dir() / "GUIDELINES.md").read_text(encoding="utf-8")
    for name in ("numeric_kind", "approx", "polarity"):
        for value in closed_set(name):
            assert f"`{value}`" in text, (name, value)


def test_release_label_names_come_from_the_schema():
    assert features("sentences")["entities"].feature["type"].names == closed_set("entity_type")
    assert features("stance")["label"].names == closed_set("polarity")
    assert features("numeric_facts")["numeric_facts"].feature["unit"].names == closed_set("unit")
    assert bio_tags() == ["O"] + [f"{p}-{t}" for t in closed_set("entity_type") for p in "BI"]
