"""The JSON Schemas: the single definition of every record shape and label set.

Reading a schema or a closed set needs only `json`; the validators (jsonschema, jsonschema-rs) are
imported when first asked for, so that commands which only list choices start fast.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

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
#: the annotation layers (annotations/<layer>.jsonl), sentences first: the others lie inside sentences
ANNOTATION_LAYERS = ("sentences", "entities", "numeric_facts", "stance", "stance_labels")
#: the layers whose records are grouped by sentence in the release rows
RECORD_LAYERS = ANNOTATION_LAYERS[1:]
#: the review status of a record that goes into a release (one of review_statuses())
CHECKED = "checked"


@cache
def _load(directory: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.schema.json"))}


def schemas(directory: Path | None = None) -> dict[str, dict]:
    return _load(directory or schema_dir())


def defs(directory: Path | None = None) -> dict:
    return schemas(directory)["defs.schema.json"]["$defs"]


def closed_set(name: str, directory: Path | None = None) -> list[str]:
    """The values of an enum in defs.schema.json (entity_type, unit, polarity, ...)."""
    return list(defs(directory)[name]["enum"])


def review_statuses(directory: Path | None = None) -> list[str]:
    """draft, checked, disputed: the review statuses of defs.schema.json."""
    return list(defs(directory)["review"]["properties"]["status"]["enum"])


#: train, validation, test: the splits of defs.schema.json, in their order
SPLITS = tuple(closed_set("split"))


@cache
def _registry(directory: Path, extra: tuple[Path, ...] = ()):
    from referencing import Registry, Resource

    loaded = [*_load(directory).values(), *(json.loads(p.read_text(encoding="utf-8")) for p in extra)]
    return Registry().with_resources((schema["$id"], Resource.from_contents(schema)) for schema in loaded)


def _strict_validator_class():
    """Draft 2020-12 where `integer` means a JSON integer: 116.0 is refused as an offset (the spec
    accepts it, and Python would then crash slicing with it)."""
    from jsonschema import Draft202012Validator, validators

    checker = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _, value: isinstance(value, int) and not isinstance(value, bool)
    )
    return validators.extend(Draft202012Validator, type_checker=checker)


@cache
def _validator(directory: Path, path: Path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = _strict_validator_class()
    return cls(
        schema, registry=_registry(directory, (path,) if path.parent != directory else ()), format_checker=cls.FORMAT_CHECKER
    )


def validator(name: str, directory: Path | None = None):
    """A compiled validator for one schema file, e.g. "entity.schema.json" or
    "predictions/ner.schema.json" (cached: build once, validate many)."""
    directory = directory or schema_dir()
    return _validator(directory, directory / name)


@cache
def _fast(directory: Path, path: Path):
    import jsonschema_rs

    schema = json.loads(path.read_text(encoding="utf-8"))
    extra = [schema] if path.parent != directory else []
    registry = jsonschema_rs.Registry([(s["$id"], s) for s in [*_load(directory).values(), *extra]])
    return jsonschema_rs.Draft202012Validator(schema, registry=registry, validate_formats=True)


def fast_validator(name: str, directory: Path | None = None):
    """jsonschema-rs's compiled validator of one schema file, for verdicts (its `is_valid` runs
    ~100x faster than the Python validator on our records). Callers ask the Python validator for
    the messages of the invalid records, so the errors users see are the same either way."""
    directory = directory or schema_dir()
    return _fast(directory, directory / name)
