"""Counts of the gold data: per layer, label, split and review status (`finnews stats`, the corpus
browser and the datasheet read them from here).

Every closed label set is listed in schema order with zeros included, so the shape of the result
does not depend on the data; a value outside the closed set (invalid data) is counted after them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from finnews.checks.validate import load_valid
from finnews.data.gold import Gold
from finnews.data.schema import ANNOTATION_LAYERS, closed_set, review_statuses

# layer -> (field that types a record, closed set it takes values from)
TYPE_FIELDS = {
    "sentences": ("kind", "unit_kind"),
    "entities": ("type", "entity_type"),
    "numeric_facts": ("kind", "numeric_kind"),
    "stance": ("polarity", "polarity"),
    "stance_labels": ("label", "polarity"),
}
# layer -> further categorical fields counted under "fields" (name -> closed set or None)
EXTRA_FIELDS = {
    "numeric_facts": {"unit": "unit", "approx": "approx", "change": None},
    "stance": {"holder": None},
}
HOLDER_KINDS = ("in_sentence", "outside_sentence", "author")
UNASSIGNED = "unassigned"


def label_sets() -> dict[str, list[str]]:
    """Closed sets used in the counts: every TYPE_FIELDS/EXTRA_FIELDS set, plus split and status."""
    names = {name for _, name in TYPE_FIELDS.values()} | {n for f in EXTRA_FIELDS.values() for n in f.values() if n}
    sets = {name: closed_set(name) for name in sorted(names | {"split"})}
    sets["status"] = review_statuses()
    return sets


def ordered(counts: Counter, closed: Iterable[str] = ()) -> dict[str, int]:
    """Closed-set values first, in their order, zeros included; any other value after, sorted."""
    closed = list(closed)
    return {**{key: counts.get(key, 0) for key in closed}, **{key: counts[key] for key in sorted(set(counts) - set(closed))}}


def _field_value(field: str, record: dict) -> str:
    value = record.get(field)
    if field == "change":
        return "none" if value is None else f"{value['type']}/{value['direction']}"
    if field == "holder":
        if value.get("start") is not None:
            return "in_sentence"
        return "author" if value.get("text") == "author" else "outside_sentence"
    return str(value)


def _layer_stats(layer: str, records: list[dict], splits: dict[str, str], sets: dict[str, list[str]]) -> dict:
    field, set_name = TYPE_FIELDS[layer]
    split_names = sets["split"]
    split_of = [splits.get(r["article"], UNASSIGNED) for r in records]
    types = [str(r.get(field)) for r in records]
    by_split_type = {}
    for split in ordered(Counter(split_of), split_names):
        by_split_type[split] = ordered(Counter(t for t, s in zip(types, split_of) if s == split), sets[set_name])
    fields = {field: ordered(Counter(types), sets[set_name])}
    for extra, extra_set in EXTRA_FIELDS.get(layer, {}).items():
        closed = sets[extra_set] if extra_set else (HOLDER_KINDS if extra == "holder" else ())
        fields[extra] = ordered(Counter(_field_value(extra, r) for r in records), closed)
    return {
        "total": len(records),
        "by_split": ordered(Counter(split_of), split_names),
        "by_status": ordered(Counter(r["review"]["status"] for r in records), sets["status"]),
        "type_field": field,
        "by_type": fields[field],
        "by_split_type": by_split_type,
        "fields": fields,
        "source_issues": sum(1 for r in records if r.get("source_issue")),
    }


def stats_of(gold: Gold) -> dict:
    """The counts of an already loaded Gold (see stats())."""
    sets = label_sets()
    split_names = sets["split"]
    chars = {a: len(t) for a, t in gold.texts.items()}
    by_split = {}
    for split in ordered(Counter(gold.splits.get(a["id"], UNASSIGNED) for a in gold.articles), split_names):
        ids = {a["id"] for a in gold.articles if gold.splits.get(a["id"], UNASSIGNED) == split}
        by_split[split] = {
            "articles": len(ids),
            "sentences": sum(1 for s in gold.sentences if s["article"] in ids),
            "characters": sum(chars[a] for a in sorted(ids)),
        }
    return {
        "articles": len(gold.articles),
        "sentences": len(gold.sentences),
        "characters": sum(chars.values()),
        "by_split": by_split,
        "layers": {layer: _layer_stats(layer, gold.layers[layer], gold.splits, sets) for layer in ANNOTATION_LAYERS},
    }


def stats(root: Path | str | None = None) -> dict:
    """Counts of the gold data under root (all review statuses):
    {"articles", "sentences", "characters", "by_split": {split: {articles, sentences, characters}},
     "layers": {layer: {"total", "by_split", "by_status", "type_field",
     "by_type", "by_split_type": {split: {type: n}}, "fields": {field: {value: n}}, "source_issues"}}}.
    """
    return stats_of(load_valid(root))


def _table(title: str, columns: list[str], rows: list[list]) -> str:
    cells = [[str(c) for c in row] for row in [columns] + rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = [title]
    for n, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_table(result: dict) -> str:
    """stats() as plain-text tables."""
    blocks = [f"articles {result['articles']}, sentences {result['sentences']}, characters {result['characters']}"]
    blocks.append(
        _table(
            "by split",
            ["split", "articles", "sentences", "characters"],
            [[s, v["articles"], v["sentences"], v["characters"]] for s, v in result["by_split"].items()],
        )
    )
    layers = result["layers"]
    if layers:
        statuses = list(next(iter(layers.values()))["by_status"])
        layer_splits = list(dict.fromkeys(s for v in layers.values() for s in v["by_split"]))
        rows = [
            [
                name,
                v["total"],
                *[v["by_split"].get(s, 0) for s in layer_splits],
                *[v["by_status"].get(s, 0) for s in statuses],
                v["source_issues"],
            ]
            for name, v in layers.items()
        ]
        blocks.append(
            _table(
                "layers (records per split and review status)", ["layer", "total", *layer_splits, *statuses, "source_issue"], rows
            )
        )
    for name, v in layers.items():
        for field, counts in v["fields"].items():
            if field == v["type_field"]:
                cols = list(v["by_split_type"])
                rows = [[value, n, *[v["by_split_type"][s].get(value, 0) for s in cols]] for value, n in counts.items()]
                blocks.append(_table(f"{name} by {field}", [field, "total", *cols], rows))
            else:
                blocks.append(_table(f"{name} by {field}", [field, "total"], [[value, n] for value, n in counts.items()]))
    return "\n\n".join(blocks) + "\n"


def format_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"
