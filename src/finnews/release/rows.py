"""Gold records -> one Arrow table per release config and split.

The shape of every row is declared once, in finnews.release.features: here each row is built as a
superset of derived values and projected onto the declared features. Writing, hashing and the
dataset card are separate steps (finnews.release.build).
"""

from __future__ import annotations

from finnews.checks.incidents import Incident
from finnews.data.gold import Gold, relative
from finnews.data.schema import RECORD_LAYERS, SPLITS
from finnews.errors import DataError
from finnews.release import CONFIGS
from finnews.release.features import features


def project(values: dict, declared) -> dict:
    """values restricted to the declared features, nested structs and lists of structs included."""
    out = {}
    for key, feature in declared.items():
        value = values.get(key)
        inner = getattr(feature, "feature", None)
        if isinstance(feature, dict) and isinstance(value, dict):
            value = project(value, feature)
        elif isinstance(inner, dict) and isinstance(value, list):
            value = [project(v, inner) for v in value]
        out[key] = value
    return out


def element(record: dict, sentence: dict) -> dict:
    """A record as an element of a sentence row: sentence-relative spans, article offsets beside them."""
    change = record.get("change") or {}
    spans = {k: relative(v, sentence) for k, v in record.items() if isinstance(v, dict) and "text" in v}
    return {
        **record,
        **relative(record, sentence),
        **spans,
        "article_start": record["start"],
        "article_end": record["end"],
        "change_type": change.get("type"),
        "change_direction": change.get("direction"),
        "source_issue": record.get("source_issue"),
    }


def bio(text: str, entities: list[dict]) -> list[str]:
    tags = ["O"] * len(text)
    for e in entities:
        tags[e["start"]] = f"B-{e['type']}"
        for i in range(e["start"] + 1, e["end"]):
            tags[i] = f"I-{e['type']}"
    return tags


def sentence_rows(gold: Gold) -> list[dict]:
    """One row per sentence with every column any sentence-level config declares, in corpus order."""
    layers = {layer: gold.by_sentence(layer) for layer in RECORD_LAYERS}
    group = {a["id"]: a["group"] for a in gold.articles}
    rows = []
    for s in gold.sentences:
        records = {layer: [element(r, s) for r in layers[layer][s["id"]]] for layer in RECORD_LAYERS}
        label = records["stance_labels"][0] if records["stance_labels"] else {}
        rows.append(
            {
                **s,
                "group": group[s["article"]],
                "entities": records["entities"],
                "numeric_facts": records["numeric_facts"],
                "stance": records["stance"],
                "stance_label": label.get("label"),
                "label": label.get("label"),
                "label_source_issue": label.get("source_issue"),
                "chars": list(s["text"]),
                "ner_tags": bio(s["text"], records["entities"]),
                "split": gold.splits[s["article"]],
            }
        )
    return rows


def article_rows(gold: Gold) -> list[dict]:
    return [{**a, "split": gold.splits[a["id"]], "text": gold.texts[a["id"]]} for a in gold.articles]


def check_no_split_is_empty(by_level: dict[str, list[dict]]) -> None:
    """DataError (rule split-empty) when a split would hold no article or no checked sentence."""
    empty = [
        Incident(
            "corpus/splits.json",
            0,
            "split-empty",
            f"split {split} holds no {level}: {', '.join(configs)} would have an empty {split} split",
        )
        for level, configs in (("article", ["articles"]), ("checked sentence", [c for c in CONFIGS if c != "articles"]))
        for split in SPLITS
        if not any(r["split"] == split for r in by_level[level])
    ]
    if empty:
        raise DataError(empty, "datasets refuses an empty split; nothing was built")


def tables(gold: Gold) -> dict[str, dict[str, pa.Table]]:  # noqa: F821
    """config -> split -> Arrow table with the config's features (ClassLabels as ints, HF metadata)."""
    import pyarrow as pa

    by_level = {"article": article_rows(gold), "checked sentence": sentence_rows(gold)}
    check_no_split_is_empty(by_level)
    out: dict[str, dict[str, pa.Table]] = {}
    for config in CONFIGS:
        feats = features(config)
        rows = by_level["article" if config == "articles" else "checked sentence"]
        out[config] = {}
        for split in SPLITS:
            encoded = [feats.encode_example(project(r, feats)) for r in rows if r["split"] == split]
            out[config][split] = pa.Table.from_pylist(encoded, schema=feats.arrow_schema)
    return out
