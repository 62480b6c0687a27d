"""Per-sentence counts of each task, and the rates computed from counts summed over sentences.

Every figure is computed from per-sentence counts, so that a bootstrap can resample sentences (or
article groups) and add their counts up again: one definition of each metric serves the point
estimate and its interval. What each figure means is in finnews.benchmark.evaluate's docstring.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

from finnews.benchmark.metrics import prf, rate
from finnews.benchmark.predictions import LIST_FIELD
from finnews.data.schema import closed_set

SEMEVAL_SCHEMAS = ("strict", "exact", "partial", "ent_type")
OUTCOMES = ("correct", "incorrect", "partial", "missed", "spurious")


# ------------------------------------------------------------------------------------------------
# Span relations and one-to-one alignment


def overlap(a: dict | None, b: dict | None) -> int:
    """Code points shared by two spans (0 when either is missing or has no offsets)."""
    if not a or not b or a.get("start") is None or b.get("start") is None:
        return 0
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def same_span(a: dict, b: dict) -> bool:
    return (a["start"], a["end"]) == (b["start"], b["end"])


def same_value(a: float | int | None, b: float | int | None) -> bool:
    """Numeric equality after normalisation: 2.6e11 == 260000000000; null only equals null."""
    if a is None or b is None:
        return a is None and b is None
    return Decimal(str(a)) == Decimal(str(b))


def secondary_match(gold: dict | None, pred: dict | None) -> bool:
    """Measured entity / property: both absent, or both present and overlapping."""
    if not gold or not pred:
        return not gold and not pred
    return overlap(gold, pred) > 0


def align(
    gold: list[dict],
    pred: list[dict],
    compatible: Callable[[dict, dict], bool],
    priority: Callable[[dict, dict], tuple] = lambda g, p: (),
) -> list[tuple[int, int]]:
    """Greedy one-to-one alignment of compatible (gold, prediction) pairs, best priority first."""
    pairs = sorted((priority(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred) if compatible(g, p))
    used_gold, used_pred, out = set(), set(), []
    for _, gi, pi in pairs:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            out.append((gi, pi))
    return sorted(out)


def _items(line: dict | None, task: str) -> list[dict]:
    """A line's items in a canonical order (matching must not depend on the order of a file)."""
    items = (line or {}).get(LIST_FIELD[task]) or []
    return sorted(items, key=lambda i: (i["start"], i["end"], json.dumps(i, sort_keys=True, ensure_ascii=False)))


# ------------------------------------------------------------------------------------------------
# Per-sentence counts


def semeval_outcomes(gold: list[dict], pred: list[dict], schema: str) -> Counter:
    """correct/incorrect/partial/missed/spurious of one sentence under one SemEval-2013 schema."""
    exact = {
        "strict": lambda p, g: same_span(p, g) and p["type"] == g["type"],
        "exact": same_span,
        "partial": same_span,
        "ent_type": lambda p, g: overlap(p, g) > 0 and p["type"] == g["type"],
    }[schema]
    near_miss = "partial" if schema == "partial" else "incorrect"
    out = Counter(dict.fromkeys(OUTCOMES, 0))
    used: set[int] = set()
    for p in pred:
        free = [i for i in range(len(gold)) if i not in used]
        hits = [i for i in free if exact(p, gold[i])]
        if hits:
            # the closest boundaries win (only ent_type can have hits at different boundaries)
            best = min(hits, key=lambda i: (abs(p["start"] - gold[i]["start"]) + abs(p["end"] - gold[i]["end"]), i))
            out["correct"] += 1
            used.add(best)
            continue
        touching = [i for i in free if overlap(p, gold[i]) > 0]
        if touching:
            out[near_miss] += 1
            used.add(touching[0])
        else:
            out["spurious"] += 1
    out["missed"] += len(gold) - len(used)
    return out


def _prf_counts(prefix: str, tp: int, pred: int, gold: int) -> dict[str, int]:
    return {f"{prefix}.tp": tp, f"{prefix}.pred": pred, f"{prefix}.gold": gold}


def ner_counts(gold_line: dict | None, pred_line: dict | None) -> dict[str, int]:
    gold, pred = _items(gold_line, "ner"), _items(pred_line, "ner")

    def key(e: dict) -> tuple:
        return (e["start"], e["end"], e["type"])

    counts = _prf_counts("strict", sum((Counter(map(key, gold)) & Counter(map(key, pred))).values()), len(pred), len(gold))
    for t in closed_set("entity_type"):
        g = [e for e in gold if e["type"] == t]
        p = [e for e in pred if e["type"] == t]
        counts.update(_prf_counts(f"type:{t}", sum((Counter(map(key, g)) & Counter(map(key, p))).values()), len(p), len(g)))
    for schema in SEMEVAL_SCHEMAS:
        for outcome, n in semeval_outcomes(gold, pred, schema).items():
            counts[f"semeval_{schema}.{outcome}"] = n
    return counts


def numeric_counts(gold_line: dict | None, pred_line: dict | None) -> dict[str, int]:
    gold, pred = _items(gold_line, "numeric_facts"), _items(pred_line, "numeric_facts")
    exact = align(gold, pred, lambda g, p: same_span(g, p))
    overlapping = align(gold, pred, lambda g, p: overlap(g, p) > 0, lambda g, p: (not same_span(g, p), -overlap(g, p)))

    def full(g: dict, p: dict) -> bool:
        return (
            same_span(g, p)
            and same_value(g["value"], p["value"])
            and g["unit"] == p["unit"]
            and secondary_match(g.get("measured_entity"), p.get("measured_entity"))
            and secondary_match(g.get("measured_property"), p.get("measured_property"))
        )

    counts = {
        **_prf_counts("mention_exact", len(exact), len(pred), len(gold)),
        **_prf_counts("mention_overlap", len(overlapping), len(pred), len(gold)),
        **_prf_counts("full_fact", len(align(gold, pred, full)), len(pred), len(gold)),
        "attributes.matched": len(overlapping),
    }
    for name, same in (
        ("value", lambda g, p: same_value(g["value"], p["value"])),
        ("unit", lambda g, p: g["unit"] == p["unit"]),
        ("kind", lambda g, p: g["kind"] == p["kind"]),
        ("approx", lambda g, p: g["approx"] == p["approx"]),
    ):
        counts[f"attributes.{name}"] = sum(same(gold[gi], pred[pi]) for gi, pi in overlapping)
    return counts


def stance_counts(gold_line: dict | None, pred_line: dict | None) -> dict[str, int]:
    counts: dict[str, int] = {"sentence_label.n": 0, "sentence_label.correct": 0}
    polarities = closed_set("polarity")
    for c in polarities:
        counts.update({f"label:{c}.tp": 0, f"label:{c}.fp": 0, f"label:{c}.fn": 0})
    gold_label = (gold_line or {}).get("label")
    pred_label = (pred_line or {}).get("label")
    if gold_label is not None:  # sentences without a gold label are not scored for the label
        counts["sentence_label.n"] = 1
        if pred_label == gold_label:
            counts["sentence_label.correct"] = 1
            counts[f"label:{gold_label}.tp"] = 1
        else:
            counts[f"label:{gold_label}.fn"] = 1
            if pred_label is not None:
                counts[f"label:{pred_label}.fp"] = 1
    gold, pred = _items(gold_line, "stance"), _items(pred_line, "stance")
    pairs = align(
        gold,
        pred,
        lambda g, p: overlap(g["target"], p["target"]) > 0 and g["polarity"] == p["polarity"],
        lambda g, p: (-overlap(g["target"], p["target"]),),
    )
    counts.update(_prf_counts("targeted", len(pairs), len(pred), len(gold)))
    return counts


COUNTERS: dict[str, Callable[[dict | None, dict | None], dict[str, int]]] = {
    "ner": ner_counts,
    "numeric_facts": numeric_counts,
    "stance": stance_counts,
}


# ------------------------------------------------------------------------------------------------
# Metrics from summed counts


def _groups(totals: dict[str, int]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for key, n in totals.items():
        group, name = key.rsplit(".", 1)
        out.setdefault(group, {})[name] = n
    return out


def support(group: str, counts: dict[str, int]) -> int | None:
    """Gold items of a per-type or per-label group (None for other groups)."""
    if group.startswith("type:"):
        return counts["gold"]
    if group.startswith("label:"):
        return counts["tp"] + counts["fn"]
    return None


def metrics(task: str, totals: dict[str, int]) -> dict[str, dict]:
    """group -> counts and rates (rates as plain numbers or None) from counts summed over sentences.

    A per-type or per-label group without gold support has no rates (None, shown n/a): with nothing
    to find, neither 0.0 nor 1.0 would mean anything. Macro-F1 follows scikit-learn (the labels in
    gold or predictions, a label predicted but absent from gold counting F1 0)."""
    out: dict[str, dict] = {}
    for group, c in _groups(totals).items():
        if {"tp", "pred", "gold"} <= c.keys():
            out[group] = {**c, **prf(c["tp"], c["pred"], c["gold"])}
        elif group.startswith("semeval_"):
            actual = c["correct"] + c["incorrect"] + c["partial"] + c["spurious"]
            possible = c["correct"] + c["incorrect"] + c["partial"] + c["missed"]
            credit = c["correct"] + 0.5 * c["partial"]
            out[group] = {
                **c,
                "precision": rate(credit, actual),
                "recall": rate(credit, possible),
                "f1": rate(2 * credit, actual + possible),
            }
        elif group == "attributes":
            out[group] = {**c, **{f"{k}_accuracy": rate(c[k], c["matched"]) for k in ("value", "unit", "kind", "approx")}}
        elif group.startswith("label:"):
            out[group] = {**c, **prf(c["tp"], c["tp"] + c["fp"], c["tp"] + c["fn"])}
        else:
            out[group] = dict(c)
    if task == "stance":
        present = [g for g in out if g.startswith("label:") and out[g]["tp"] + out[g]["fp"] + out[g]["fn"]]
        label = out["sentence_label"]
        label["accuracy"] = rate(label["correct"], label["n"])
        label["macro_f1"] = rate(sum(out[g]["f1"] for g in present), len(present))
    for group, values in out.items():
        if support(group, values) == 0:
            values.update(precision=None, recall=None, f1=None)
    return out
