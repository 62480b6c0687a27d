"""The segmenter's output as records, and its comparison with the gold sentence boundaries."""
from __future__ import annotations

from pathlib import Path

from finnews.data.corpus import load_articles
from finnews.data.jsonl import read_jsonl
from finnews.data.paths import annotations_dir
from finnews.nlp.segment import segment_article


def segment_records(article_id: str | None = None) -> list[dict]:
    articles = [a for a in load_articles() if article_id in (None, a["id"])]
    if article_id and not articles:
        raise KeyError(f"no article {article_id!r}")
    return [record for a in articles for record in segment_article(a)]


def boundary_scores(gold: set, predicted: set) -> dict[str, float]:
    """Precision, recall and F1 of predicted boundaries against gold ones."""
    tp = len(gold & predicted)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(gold) if gold else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "true_positives": tp, "gold": len(gold), "predicted": len(predicted)}


def check_segmentation(article_id: str | None = None, gold_path: Path | None = None) -> tuple[str, bool]:
    """A report of boundary P/R/F1 (sentence ends) and every unit that differs; ok when identical."""
    gold_units = {(s["article"], s["start"], s["end"], s["kind"]) for s in read_jsonl(gold_path or annotations_dir() / "sentences.jsonl")
                  if article_id in (None, s["article"])}
    predicted = {(s["article"], s["start"], s["end"], s["kind"]) for s in segment_records(article_id)}
    scores = boundary_scores({(a, e) for a, _, e, _ in gold_units}, {(a, e) for a, _, e, _ in predicted})
    lines = [f"boundaries: precision {scores['precision']:.4f} recall {scores['recall']:.4f} f1 {scores['f1']:.4f} "
             f"({scores['true_positives']} of {scores['gold']} gold, {scores['predicted']} predicted)"]
    for unit in sorted(gold_units - predicted):
        lines.append(f"missed  {unit[0]} [{unit[1]}, {unit[2]}) {unit[3]}")
    for unit in sorted(predicted - gold_units):
        lines.append(f"extra   {unit[0]} [{unit[1]}, {unit[2]}) {unit[3]}")
    ok = gold_units == predicted
    lines.append("segmenter and gold agree" if ok else f"{len(gold_units ^ predicted)} units differ")
    return "\n".join(lines), ok
