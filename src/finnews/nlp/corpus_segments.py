"""The segmenter run over the corpus articles (`finnews segment`), and its comparison with the gold
sentence boundaries (`finnews segment --check`)."""

from __future__ import annotations

from pathlib import Path

from finnews.benchmark.metrics import set_prf, show
from finnews.checks.validate import load_valid, valid_articles
from finnews.data.corpus import select
from finnews.nlp.segment import segment_article


def segment(article_id: str | None = None, root: Path | None = None) -> list[dict]:
    """Sentence records of every article (or one), as the segmenter cuts them."""
    return [record for a in select(valid_articles(root), article_id) for record in segment_article(a)]


def check_segmentation(article_id: str | None = None, root: Path | None = None) -> tuple[str, bool]:
    """A report of boundary P/R/F1 (sentence ends) and every unit that differs; ok when identical."""
    gold = load_valid(root)
    chosen = select(gold.articles, article_id)
    ids = {a["id"] for a in chosen}
    gold_units = {(s["article"], s["start"], s["end"], s["kind"]) for s in gold.sentences if s["article"] in ids}
    predicted = {(s["article"], s["start"], s["end"], s["kind"]) for a in chosen for s in segment_article(a)}
    scores = set_prf({(a, e) for a, _, e, _ in gold_units}, {(a, e) for a, _, e, _ in predicted})
    lines = [
        f"boundaries: precision {show(scores['precision'], 4)} recall {show(scores['recall'], 4)} "
        f"f1 {show(scores['f1'], 4)} ({scores['tp']} of {scores['gold']} gold, {scores['predicted']} predicted)"
    ]
    for unit in sorted(gold_units - predicted):
        lines.append(f"missed  {unit[0]} [{unit[1]}, {unit[2]}) {unit[3]}")
    for unit in sorted(predicted - gold_units):
        lines.append(f"extra   {unit[0]} [{unit[1]}, {unit[2]}) {unit[3]}")
    ok = gold_units == predicted
    lines.append("segmenter and gold agree" if ok else f"{len(gold_units ^ predicted)} units differ")
    return "\n".join(lines), ok
