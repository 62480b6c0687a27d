"""Hugging Face features of every release config, derived from the JSON Schemas' closed sets."""

from __future__ import annotations

from datasets import ClassLabel, Features, List, Value

from finnews.data.schema import closed_set


def _span() -> dict:
    return {"start": Value("int32"), "end": Value("int32"), "text": Value("string")}


def _main_span() -> dict:
    """A record's main span: sentence-relative offsets, with the article offsets beside them."""
    return {"id": Value("string"), **_span(), "article_start": Value("int32"), "article_end": Value("int32")}


def bio_tags() -> list[str]:
    return ["O"] + [f"{prefix}-{t}" for t in closed_set("entity_type") for prefix in ("B", "I")]


def entity() -> dict:
    return {**_main_span(), "type": ClassLabel(names=closed_set("entity_type")), "source_issue": Value("string")}


def numeric_fact() -> dict:
    return {
        **_main_span(),
        "value": Value("float64"),
        "unit": ClassLabel(names=closed_set("unit")),
        "kind": ClassLabel(names=closed_set("numeric_kind")),
        "approx": ClassLabel(names=closed_set("approx")),
        "iso": Value("string"),
        "measured_property": _span(),
        "measured_entity": _span(),
        "period": _span(),
        "qualifier": _span(),
        "change_type": Value("string"),
        "change_direction": Value("string"),
        "source_issue": Value("string"),
    }


def stance() -> dict:
    return {
        **_main_span(),
        "holder": _span(),
        "target": _span(),
        "polarity": ClassLabel(names=closed_set("polarity")),
        "source_issue": Value("string"),
    }


def _unit_columns() -> dict:
    """Every sentence-level row: the unit, its article and the article's group. The group is the
    fold of leave-one-group-out cross-validation (`finnews evaluate --protocol cv`)."""
    return {
        "id": Value("string"),
        "article": Value("string"),
        "group": Value("string"),
        "idx": Value("int32"),
        "kind": ClassLabel(names=closed_set("unit_kind")),
        "start": Value("int32"),
        "end": Value("int32"),
        "text": Value("string"),
    }


def features(config: str) -> Features:
    """The declared features of one config (ClassLabel names come from defs.schema.json)."""
    label = ClassLabel(names=closed_set("polarity"))
    table = {
        "sentences": lambda: {
            **_unit_columns(),
            "entities": List(entity()),
            "numeric_facts": List(numeric_fact()),
            "stance": List(stance()),
            "stance_label": label,
            "label_source_issue": Value("string"),
        },
        "ner": lambda: {
            **_unit_columns(),
            "chars": List(Value("string")),
            "ner_tags": List(ClassLabel(names=bio_tags())),
            "entities": List(entity()),
        },
        "numeric_facts": lambda: {**_unit_columns(), "numeric_facts": List(numeric_fact())},
        "stance": lambda: {**_unit_columns(), "label": label, "label_source_issue": Value("string"), "stance": List(stance())},
        "articles": lambda: {
            "id": Value("string"),
            "title": Value("string"),
            "kind": Value("string"),
            "group": Value("string"),
            "byline": Value("string"),
            "authors": List(Value("string")),
            "source": Value("string"),
            "date": Value("string"),
            "split": Value("string"),
            "truncated": Value("bool"),
            "text": Value("string"),
        },
    }
    return Features(table[config]())
