"""The gold of the benchmark in the predictions format, from the checkout or from a release alone.

A Reference holds every checked unit (sentence id, article, its article group, split and text) and,
per task, the gold line of each unit. Built from the annotations (`from_gold`) or from a release's
`sentences` and `articles` configs (`from_release`, a local folder or a Hub id): the two give the
same units in the same order and the same lines, so every figure is the same either way.

Units are ordered by split (train, validation, test), then in corpus order within a split.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from finnews.benchmark.predictions import LIST_FIELD, TASKS
from finnews.data.gold import Gold, relative
from finnews.data.schema import SPLITS


@dataclass
class Reference:
    source: str  # where the gold came from, for reports
    units: list[dict]  # {"id", "article", "group", "split", "text"}, split order then corpus order
    gold: dict[str, dict[str, dict]] = field(default_factory=dict)  # task -> sentence id -> gold line
    years: dict[str, int | None] = field(default_factory=dict)  # article -> year of its date

    @property
    def texts(self) -> dict[str, str]:
        return {u["id"]: u["text"] for u in self.units}

    def groups(self) -> list[str]:
        """The article groups, in the order their first unit appears."""
        return list(dict.fromkeys(u["group"] for u in self.units))


def _span(span: dict | None) -> dict | None:
    return None if span is None else {"start": span["start"], "end": span["end"], "text": span["text"]}


def item(task: str, record: dict) -> dict:
    """One item of a prediction line from a record with sentence-relative spans (gold or release row)."""
    out = {k: record[k] for k in ("start", "end", "text")}
    if task == "ner":
        out["type"] = record["type"]
    elif task == "numeric_facts":
        out.update({k: record[k] for k in ("value", "unit", "kind", "approx")})
        out.update(measured_entity=_span(record.get("measured_entity")), measured_property=_span(record.get("measured_property")))
    else:
        out.update(holder=_span(record.get("holder")), target=_span(record["target"]), polarity=record["polarity"])
    return out


def line(task: str, sentence: str, records: list[dict], label: str | None = None) -> dict:
    """The prediction line of a sentence: its items (and, for stance, its label when there is one)."""
    items = {LIST_FIELD[task]: [item(task, r) for r in records]}
    if task == "stance" and label is not None:
        return {"sentence": sentence, "label": label, **items}
    return {"sentence": sentence, **items}


def _relative(record: dict, sentence: dict) -> dict:
    return {
        **record,
        **relative(record, sentence),
        **{k: relative(record[k], sentence) for k in ("measured_entity", "measured_property", "holder", "target") if k in record},
    }


def gold_lines(gold: Gold, sentences: list[dict]) -> dict[str, dict[str, dict]]:
    """task -> sentence id -> the gold line of every given sentence (from annotation records)."""
    by_sentence = {task: gold.by_sentence(LIST_FIELD[task]) for task in TASKS}
    labels = gold.by_sentence("stance_labels")
    return {
        task: {
            s["id"]: line(
                task,
                s["id"],
                [_relative(r, s) for r in by_sentence[task][s["id"]]],
                labels[s["id"]][0]["label"] if labels[s["id"]] else None,
            )
            for s in sentences
        }
        for task in TASKS
    }


def from_gold(gold: Gold, source: str | None = None) -> Reference:
    """The checked units and records of a loaded corpus (pass gold.checked_only())."""
    group = {a["id"]: a["group"] for a in gold.articles}
    sentences = [s for split in SPLITS for s in gold.split_sentences(split)]
    units = [
        {
            "id": s["id"],
            "article": s["article"],
            "group": group[s["article"]],
            "split": gold.splits[s["article"]],
            "text": s["text"],
        }
        for s in sentences
    ]
    years = {a["id"]: int(a["date"][:4]) if a.get("date") else None for a in gold.articles}
    return Reference(source or f"annotations under {gold.root} (checked records)", units, gold_lines(gold, sentences), years)


def from_checkout(root: Path | None = None) -> Reference:
    """The checked units and records of the annotations under root, validated first (DataError
    listing every problem when they do not validate)."""
    from finnews.checks.validate import load_valid

    return from_gold(load_valid(root).checked_only())


def from_release(spec: str | Path) -> Reference:
    """The gold of a release (a local folder or OWNER/NAME@REVISION), from the release alone."""
    from finnews.release.read import ReleaseError, open_release

    release = open_release(spec)
    articles = {}
    for split in SPLITS:
        for a in release.rows("articles", split):
            articles[a["id"]] = a
    units, gold = [], {task: {} for task in TASKS}
    for split in SPLITS:
        for row in release.rows("sentences", split):
            if row["article"] not in articles:
                raise ReleaseError(
                    f"{spec}: sentence {row['id']} names article {row['article']!r}, which the articles config lacks"
                )
            group = row.get("group") or articles[row["article"]]["group"]  # releases before 1.1.0 had no group column
            units.append({"id": row["id"], "article": row["article"], "group": group, "split": split, "text": row["text"]})
            for task in TASKS:
                gold[task][row["id"]] = line(task, row["id"], row[LIST_FIELD[task]], row.get("stance_label"))
    years = {a: int(r["date"][:4]) if r.get("date") else None for a, r in articles.items()}
    return Reference(f"release {spec}", units, gold, years)


def load_reference(release: str | Path | None = None, root: Path | None = None) -> Reference:
    """The gold of a release when given, else of the checked annotations under root (the data root)."""
    return from_release(release) if release is not None else from_checkout(root)
