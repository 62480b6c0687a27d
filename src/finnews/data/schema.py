"""The JSON Schemas in annotations/schema: the single definition of every record shape and label set."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jsonschema_rs
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from finnews.data.paths import schema_dir

# file name -> schema file; the release, the docs and the validator all read this table
LAYER_SCHEMAS = {
    "articles.jsonl": "article.schema.json",
    "furniture.jsonl": "furniture.schema.json",
    "sentences.jsonl": "sentence.schema.json",
    "entities.jsonl": "entity.schema.json",
    "numeric_facts.jsonl": "numeric_fact.schema.json",
    "stance.jsonl": "stance.schema.json",
    "stance_labels.jsonl": "stance_label.schema.json",
    "splits.json": "splits.schema.json",
}
ANNOTATION_LAYERS = ("sentences", "entities", "numeric_facts", "stance", "stance_labels")


@lru_cache(maxsize=None)
def _load(directory: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.schema.json"))}


def schemas(directory: Path | None = None) -> dict[str, dict]:
    return _load(directory or schema_dir())


def defs(directory: Path | None = None) -> dict:
    return schemas(directory)["defs.schema.json"]["$defs"]


def closed_set(name: str, directory: Path | None = None) -> list[str]:
    """The values of an enum in defs.schema.json (entity_type, unit, polarity, ...)."""
    return list(defs(directory)[name]["enum"])


@lru_cache(maxsize=None)
def _validator(directory: Path, name: str) -> Draft202012Validator:
    loaded = _load(directory)
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in loaded.values()
    )
    schema = loaded[name]
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validator(name: str, directory: Path | None = None) -> Draft202012Validator:
    """A compiled validator for one schema file (cached: build once, validate many)."""
    return _validator(directory or schema_dir(), name)


@lru_cache(maxsize=None)
def _fast(directory: Path, name: str):
    loaded = _load(directory)
    registry = jsonschema_rs.Registry([(schema["$id"], schema) for schema in loaded.values()])
    return jsonschema_rs.Draft202012Validator(loaded[name], registry=registry, validate_formats=True)


def fast_validator(name: str, directory: Path | None = None):
    """jsonschema-rs's compiled validator of one schema file, for verdicts (its `is_valid` runs
    ~100x faster than the Python validator on our records). Callers ask the Python validator for
    the messages of the invalid records, so the errors users see are the same either way."""
    return _fast(directory or schema_dir(), name)
