"""Rates from counts, with one convention: a rate whose denominator is zero is undefined (None,
shown as n/a), never 0.0 or 1.0. F1 is 2tp / (2tp + fp + fn), so it is defined whenever there is a
gold item or a prediction. The scorer, the segmenter check and the agreement script all use these.
"""

from __future__ import annotations


def rate(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def prf(tp: int, predicted: int, gold: int) -> dict[str, float | None]:
    """Precision, recall and F1 of tp true positives among `predicted` predictions and `gold` gold items."""
    fp, fn = predicted - tp, gold - tp
    return {"precision": rate(tp, predicted), "recall": rate(tp, gold), "f1": rate(2 * tp, 2 * tp + fp + fn)}


def set_prf(gold: set, predicted: set) -> dict[str, float | int | None]:
    """prf of two sets of items, with the counts."""
    tp = len(gold & predicted)
    return {**prf(tp, len(predicted), len(gold)), "tp": tp, "gold": len(gold), "predicted": len(predicted)}


def show(value: float | None, digits: int = 3) -> str:
    """A rate for people: n/a when undefined."""
    return "n/a" if value is None else f"{value:.{digits}f}"
