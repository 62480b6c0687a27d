"""Gold records -> one Arrow table per release config and split (what a row of each config holds).

Writing, hashing and the dataset card are separate steps (finnews.release)."""
from __future__ import annotations

import pyarrow as pa

from finnews.release.features import CONFIGS, features
from finnews.data.gold import Gold, relative

SPLITS = ("train", "validation", "test")


def _main(record: dict, sentence: dict) -> dict:
    return {"id": record["id"], **relative(record, sentence), "article_start": record["start"], "article_end": record["end"]}


def entity_row(record: dict, sentence: dict) -> dict:
    return {**_main(record, sentence), "type": record["type"]}


def numeric_row(record: dict, sentence: dict) -> dict:
    change = record["change"] or {}
    spans = {f: relative(record[f], sentence) for f in ("measured_property", "measured_entity", "period", "qualifier")}
    return {**_main(record, sentence), "value": record["value"], "unit": record["unit"], "kind": record["kind"],
            "approx": record["approx"], "iso": record["iso"], **spans, "change_type": change.get("type"),
            "change_direction": change.get("direction"), "source_issue": record.get("source_issue")}


def stance_row(record: dict, sentence: dict) -> dict:
    return {**_main(record, sentence), "holder": relative(record["holder"], sentence),
            "target": relative(record["target"], sentence), "polarity": record["polarity"],
            "source_issue": record.get("source_issue")}


def bio(text: str, entities: list[dict]) -> list[str]:
    tags = ["O"] * len(text)
    for e in entities:
        tags[e["start"]] = f"B-{e['type']}"
        for i in range(e["start"] + 1, e["end"]):
            tags[i] = f"I-{e['type']}"
    return tags


def unit_columns(sentence: dict) -> dict:
    return {k: sentence[k] for k in ("id", "article", "idx", "kind", "start", "end", "text")}


def sentence_level_rows(gold: Gold) -> dict[str, list[dict]]:
    """Per config, one row per sentence (all splits together, in corpus order)."""
    layers = {layer: gold.by_sentence(layer) for layer in ("entities", "numeric_facts", "stance", "stance_labels")}
    rows: dict[str, list[dict]] = {c: [] for c in ("sentences", "ner", "numeric_facts", "stance")}
    for s in gold.sentences:
        unit = unit_columns(s)
        entities = [entity_row(r, s) for r in layers["entities"][s["id"]]]
        facts = [numeric_row(r, s) for r in layers["numeric_facts"][s["id"]]]
        views = [stance_row(r, s) for r in layers["stance"][s["id"]]]
        labels = layers["stance_labels"][s["id"]]
        label = labels[0]["label"] if labels else None
        rows["sentences"].append({**unit, "entities": entities, "numeric_facts": facts, "stance": views, "stance_label": label})
        rows["ner"].append({**unit, "chars": list(s["text"]), "ner_tags": bio(s["text"], entities), "entities": entities})
        rows["numeric_facts"].append({**unit, "numeric_facts": facts})
        rows["stance"].append({**unit, "label": label, "stance": views})
    return rows


def article_rows(gold: Gold) -> list[dict]:
    keys = ("id", "title", "kind", "group", "byline", "authors", "source", "date", "truncated")
    return [{**{k: a[k] for k in keys}, "split": gold.splits[a["id"]], "text": gold.texts[a["id"]]} for a in gold.articles]


def tables(gold: Gold) -> dict[str, dict[str, pa.Table]]:
    """config -> split -> Arrow table with the config's features (ClassLabels as ints, HF metadata)."""
    rows = sentence_level_rows(gold)
    rows["articles"] = article_rows(gold)
    out: dict[str, dict[str, pa.Table]] = {}
    for config in CONFIGS:
        feats = features(config)
        split_of = (lambda r: r["split"]) if config == "articles" else (lambda r: gold.splits[r["article"]])
        out[config] = {}
        for split in SPLITS:
            encoded = [feats.encode_example(r) for r in rows[config] if split_of(r) == split]
            if not encoded:
                raise ValueError(f"split {split!r} of config {config!r} would be empty; datasets refuses empty splits")
            out[config][split] = pa.Table.from_pylist(encoded, schema=feats.arrow_schema)
    return out

