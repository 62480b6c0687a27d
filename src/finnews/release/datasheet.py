"""The statistics section of datasheet.md, generated from the data between markers.

`python scripts/regenerate.py` rewrites the section; a test fails when the committed
datasheet differs from what the data gives."""

from __future__ import annotations

import re
from collections import Counter

from finnews.data.gold import Gold
from finnews.data.schema import ANNOTATION_LAYERS, CHECKED, SPLITS, closed_set, review_statuses
from finnews.errors import UsageError

START, END = "<!-- statistics:start -->", "<!-- statistics:end -->"


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _by_split(gold: Gold, records: list[dict], key) -> dict[str, Counter]:
    out = {split: Counter() for split in SPLITS}
    for r in records:
        out[gold.splits[r["article"]]][key(r)] += 1
    return out


def _crosstab(gold: Gold, records: list[dict], key, values: list[str], title: str) -> str:
    counts = _by_split(gold, records, key)
    rows = [
        [v] + [counts[s][v] for s in SPLITS] + [sum(counts[s][v] for s in SPLITS)]
        for v in values
        if any(counts[s][v] for s in SPLITS)
    ]
    rows.append(["**total**"] + [sum(counts[s].values()) for s in SPLITS] + [len(records)])
    return _table([title, *SPLITS, "all"], rows)


#: who checked a record, by the prefix of review.checked_by (GUIDELINES §0 names annotators so)
CHECKERS = (("human", "a person (`human:`)"), ("model", "an AI model (`model:`)"), ("tool", "a tool (`tool:`)"))


def checked_by(gold: Gold) -> list[list]:
    """Per layer: checked records by who checked them (a person, a model, a tool), and unchecked ones."""
    rows = []
    for layer in ANNOTATION_LAYERS:
        records = gold.layers[layer]
        checked = [r["review"]["checked_by"] for r in records if r["review"]["status"] == CHECKED]
        kinds = Counter(name.split(":", 1)[0] for name in checked)
        rows.append([layer, *(kinds[k] for k, _ in CHECKERS), len(records) - len(checked), len(records)])
    return rows


def checked_by_table(gold: Gold) -> str:
    return _table(["layer", *(f"checked by {title}" for _, title in CHECKERS), "not checked", "total"], checked_by(gold))


def statistics(gold: Gold) -> str:
    """Markdown tables: size per split, labels per split, review status per layer."""
    size = []
    for split in SPLITS:
        articles = [a for a in gold.articles if gold.splits[a["id"]] == split]
        sentences = gold.split_sentences(split)
        size.append(
            [
                split,
                len(articles),
                ", ".join(a["id"] for a in articles),
                len(sentences),
                sum(s["kind"] == "sentence" for s in sentences),
                sum(len(gold.texts[a["id"]]) for a in articles),
            ]
        )
    units = sorted(Counter(s["kind"] for s in gold.sentences).items())
    statuses = [CHECKED, *(s for s in review_statuses() if s != CHECKED)]
    status = [
        [layer] + [sum(r["review"]["status"] == st for r in gold.layers[layer]) for st in statuses] + [len(gold.layers[layer])]
        for layer in ANNOTATION_LAYERS
    ]
    facts = gold.layers["numeric_facts"]
    units_of_facts = Counter(r["unit"] for r in facts)
    parts = [
        "#### Size per split",
        _table(["split", "articles", "article ids", "units", "of which sentences", "characters"], size),
        "Unit kinds over all splits: " + ", ".join(f"{k} {v}" for k, v in units) + ".",
        "#### Entities per type",
        _crosstab(gold, gold.layers["entities"], lambda r: r["type"], closed_set("entity_type"), "type"),
        "#### Numeric facts per kind",
        _crosstab(gold, facts, lambda r: r["kind"], closed_set("numeric_kind"), "kind"),
        "Numeric facts per unit (all splits): "
        + ", ".join(f"{u} {units_of_facts[u]}" for u in closed_set("unit") if units_of_facts[u])
        + ".",
        "#### Sentence-level stance labels",
        _crosstab(gold, gold.layers["stance_labels"], lambda r: r["label"], closed_set("polarity"), "label"),
        "#### Targeted stance records per polarity",
        _crosstab(gold, gold.layers["stance"], lambda r: r["polarity"], closed_set("polarity"), "polarity"),
        "#### Review status per layer",
        _table(["layer", *statuses, "total"], status),
        "#### Who checked the records (from `review.checked_by`)",
        checked_by_table(gold),
    ]
    return "\n\n".join(parts)


def render(text: str, gold: Gold) -> str:
    """text with the section between the statistics markers regenerated."""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise UsageError(f"the datasheet has no {START} … {END} section")
    return pattern.sub(lambda _: f"{START}\n{statistics(gold)}\n{END}", text)


def rendered_datasheet(gold: Gold) -> str:
    return render((gold.root / "datasheet.md").read_text(encoding="utf-8"), gold)
