"""`finnews evaluate`: score predictions (finnews.predictions) against the gold of a split.

Every figure is computed from per-sentence counts, so the bootstrap resamples sentences and adds
their counts up again: one definition of each metric serves the point estimate and its interval.

ner
  strict: micro P/R/F1 over (span, type), and per type (what seqeval reports on character BIO tags).
  semeval_*: the four schemas of SemEval-2013 Task 9.1 as nervaluate reports them (correct, incorrect,
  partial, missed, spurious; precision (correct + 0.5 partial) / actual, recall ... / possible), with
  nervaluate's matching: predictions in order (start, end, type), each gold entity matched at most
  once, an exact match preferred to the first overlapping gold entity (ent_type: the overlapping gold
  entity of the same type with the closest boundaries).
numeric_facts
  mention_exact / mention_overlap: P/R/F1 of quantity spans (equal spans; overlapping spans, aligned
  one to one, equal spans first, then the largest overlap). attributes: over the overlap-aligned
  pairs, the share with the same value (numerically equal; both null for dates), unit, kind, approx.
  full_fact: P/R/F1 where a predicted fact counts only if its span equals a gold span and value,
  unit, measured entity and measured property match (secondary spans: both null, or overlapping).
stance
  sentence_label: accuracy and macro-F1 over the sentences that have a gold label (a missing
  prediction is wrong); macro-F1 averages the polarities present in gold or predictions (as
  scikit-learn does). targeted: P/R/F1 over (target span overlap, polarity) pairs, one to one.

Rates with a zero denominator are null (precision with no prediction); F1 = 2tp / (2tp + fp + fn).
Intervals: percentile bootstrap over sentences, `bootstrap` resamples, fixed seed; resamples where a
rate is undefined are left out of its interval.
"""
from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Callable

from finnews.benchmark.predictions import LIST_FIELD, TASKS, Reference, load_reference, read_predictions
from finnews.data.schema import closed_set

SEED = 20241231
CONFIDENCE = 0.95
SEMEVAL_SCHEMAS = ("strict", "exact", "partial", "ent_type")
OUTCOMES = ("correct", "incorrect", "partial", "missed", "spurious")

#: group -> what it measures, for the table
TITLES = {
    "strict": "exact span and type, micro-averaged",
    "type": "exact span and type",
    "semeval_strict": "SemEval-2013 9.1 strict: exact span and type",
    "semeval_exact": "SemEval-2013 9.1 exact: exact span, any type",
    "semeval_partial": "SemEval-2013 9.1 partial: overlapping span, any type (partial = half)",
    "semeval_ent_type": "SemEval-2013 9.1 type: overlapping span, same type",
    "mention_exact": "quantity spans, exact",
    "mention_overlap": "quantity spans, overlapping (aligned one to one)",
    "attributes": "over the overlap-aligned mentions",
    "full_fact": "exact span + value + unit + measured entity + measured property (overlap)",
    "sentence_label": "sentence-level label (negative / neutral / positive)",
    "label": "sentence-level label",
    "targeted": "(target span overlap, polarity) pairs",
}


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


def align(gold: list[dict], pred: list[dict], compatible: Callable[[dict, dict], bool],
          priority: Callable[[dict, dict], tuple] = lambda g, p: ()) -> list[tuple[int, int]]:
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
    exact = {"strict": lambda p, g: same_span(p, g) and p["type"] == g["type"],
             "exact": same_span, "partial": same_span,
             "ent_type": lambda p, g: overlap(p, g) > 0 and p["type"] == g["type"]}[schema]
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
    key = lambda e: (e["start"], e["end"], e["type"])
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
        return (same_span(g, p) and same_value(g["value"], p["value"]) and g["unit"] == p["unit"]
                and secondary_match(g.get("measured_entity"), p.get("measured_entity"))
                and secondary_match(g.get("measured_property"), p.get("measured_property")))

    counts = {**_prf_counts("mention_exact", len(exact), len(pred), len(gold)),
              **_prf_counts("mention_overlap", len(overlapping), len(pred), len(gold)),
              **_prf_counts("full_fact", len(align(gold, pred, full)), len(pred), len(gold)),
              "attributes.matched": len(overlapping)}
    for name, same in (("value", lambda g, p: same_value(g["value"], p["value"])), ("unit", lambda g, p: g["unit"] == p["unit"]),
                       ("kind", lambda g, p: g["kind"] == p["kind"]), ("approx", lambda g, p: g["approx"] == p["approx"])):
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
    pairs = align(gold, pred, lambda g, p: overlap(g["target"], p["target"]) > 0 and g["polarity"] == p["polarity"],
                  lambda g, p: (-overlap(g["target"], p["target"]),))
    counts.update(_prf_counts("targeted", len(pairs), len(pred), len(gold)))
    return counts


COUNTERS: dict[str, Callable[[dict | None, dict | None], dict[str, int]]] = {
    "ner": ner_counts, "numeric_facts": numeric_counts, "stance": stance_counts,
}


# ------------------------------------------------------------------------------------------------
# Metrics from summed counts


def _rate(num: float, den: float) -> float | None:
    return num / den if den else None


def prf(tp: int, pred: int, gold: int) -> dict[str, float | None]:
    fp, fn = pred - tp, gold - tp
    return {"precision": _rate(tp, pred), "recall": _rate(tp, gold), "f1": _rate(2 * tp, 2 * tp + fp + fn)}


def _groups(totals: dict[str, int]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for key, n in totals.items():
        group, name = key.rsplit(".", 1)
        out.setdefault(group, {})[name] = n
    return out


def metrics(task: str, totals: dict[str, int]) -> dict[str, dict]:
    """group -> counts and rates (rates as plain numbers or None) from counts summed over sentences."""
    out: dict[str, dict] = {}
    for group, c in _groups(totals).items():
        if {"tp", "pred", "gold"} <= c.keys():
            out[group] = {**c, **prf(c["tp"], c["pred"], c["gold"])}
        elif group.startswith("semeval_"):
            actual = c["correct"] + c["incorrect"] + c["partial"] + c["spurious"]
            possible = c["correct"] + c["incorrect"] + c["partial"] + c["missed"]
            credit = c["correct"] + 0.5 * c["partial"]
            out[group] = {**c, "precision": _rate(credit, actual), "recall": _rate(credit, possible),
                          "f1": _rate(2 * credit, actual + possible)}
        elif group == "attributes":
            out[group] = {**c, **{f"{k}_accuracy": _rate(c[k], c["matched"]) for k in ("value", "unit", "kind", "approx")}}
        elif group.startswith("label:"):
            out[group] = {**c, **prf(c["tp"], c["tp"] + c["fp"], c["tp"] + c["fn"])}
        else:
            out[group] = dict(c)
    if task == "stance":
        present = [g for g in out if g.startswith("label:") and out[g]["tp"] + out[g]["fp"] + out[g]["fn"]]
        label = out["sentence_label"]
        label["accuracy"] = _rate(label["correct"], label["n"])
        label["macro_f1"] = _rate(sum(out[g]["f1"] for g in present), len(present))
    return out


RATES = ("precision", "recall", "f1", "accuracy", "macro_f1", "value_accuracy", "unit_accuracy", "kind_accuracy",
         "approx_accuracy")


def _shown(task: str, group: str, values: dict) -> bool:
    """Per-type and per-class groups are shown only where the split or the predictions have some."""
    if group.startswith("type:"):
        return values["pred"] + values["gold"] > 0
    if group.startswith("label:"):
        return values["tp"] + values["fp"] + values["fn"] > 0
    return True


def bootstrap_intervals(task: str, rows: list[dict[str, int]], resamples: int, seed: int = SEED) -> dict[tuple[str, str], list[float] | None]:
    """(group, rate) -> [low, high] percentile interval, resampling sentences with replacement."""
    import numpy as np

    keys = sorted(rows[0])
    matrix = np.array([[row[k] for k in keys] for row in rows], dtype=np.int64)
    rng = np.random.default_rng(seed)
    samples: dict[tuple[str, str], list[float]] = {}
    chunk = 200
    for first in range(0, resamples, chunk):
        idx = rng.integers(0, len(rows), size=(min(chunk, resamples - first), len(rows)))
        for sums in matrix[idx].sum(axis=1).tolist():
            for group, values in metrics(task, dict(zip(keys, sums))).items():
                for rate in RATES:
                    if values.get(rate) is not None:
                        samples.setdefault((group, rate), []).append(values[rate])
    tail = (1 - CONFIDENCE) / 2 * 100
    return {key: [float(v) for v in np.percentile(vals, [tail, 100 - tail])] for key, vals in samples.items()}


def score(task: str, reference: Reference, predictions: dict[str, dict], bootstrap: int = 1000, seed: int = SEED) -> dict:
    """Score prediction lines (sentence id -> line) against a reference; see the module docstring."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}: choose one of {', '.join(TASKS)}")
    if bootstrap < 0:
        raise ValueError("--bootstrap must be 0 (no intervals) or a positive number of resamples")
    if not reference.sentences:
        raise ValueError(f"split {reference.split!r} holds no sentence")
    count = COUNTERS[task]
    gold = reference.gold[task]
    rows = [count(gold.get(s["id"]), predictions.get(s["id"])) for s in reference.sentences]
    totals = {k: sum(row[k] for row in rows) for k in rows[0]}
    intervals = bootstrap_intervals(task, rows, bootstrap, seed) if bootstrap else {}
    result_metrics = {}
    for group, values in metrics(task, totals).items():
        if not _shown(task, group, values):
            continue
        result_metrics[group] = {k: ({"value": v, "ci": intervals.get((group, k))} if k in RATES else v)
                                 for k, v in values.items()}
    return {
        "task": task,
        "split": reference.split,
        "gold": reference.source,
        "sentences": len(reference.sentences),
        "sentences_predicted": sum(s["id"] in predictions for s in reference.sentences),
        "bootstrap": {"resamples": bootstrap, "seed": seed, "confidence": CONFIDENCE, "unit": "sentence",
                      "method": "percentile"},
        "metrics": dict(sorted(result_metrics.items(), key=lambda kv: _group_order(kv[0]))),
    }


def _group_order(group: str) -> tuple[int, str]:
    base = group.split(":")[0]
    order = list(TITLES)
    return (order.index(base) if base in order else len(order), group)


def evaluate(task: str, predictions_path: str | Path, split: str = "test", release: str | Path | None = None,
             bootstrap: int = 1000, root: Path | None = None, seed: int = SEED) -> dict:
    """Score a predictions file (finnews.predictions format) against the gold of a split: the checked
    annotations under root (default: the data root), or a built release folder. Raises
    PredictionsError (a ValueError listing every problem) for invalid predictions."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}: choose one of {', '.join(TASKS)}")
    if bootstrap < 0:
        raise ValueError("--bootstrap must be 0 (no intervals) or a positive number of resamples")
    reference = load_reference(split, root=root, release=release)
    where = "the corpus" if release is None else f"the release {release}"
    predictions = read_predictions(task, predictions_path, reference.texts, where)
    return {**score(task, reference, predictions, bootstrap, seed), "predictions": str(predictions_path)}


# ------------------------------------------------------------------------------------------------
# Reports


def _number(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def format_table(result: dict) -> str:
    """A readable report: one block per metric group, counts on the group line, rates with intervals."""
    b = result["bootstrap"]
    lines = [f"FinNews-ZH {result['task']} on {result['split']}: {result['sentences']} sentences, "
             f"{result['sentences_predicted']} with a prediction line",
             f"gold: {result['gold']}",
             (f"intervals: {b['confidence']:.0%} percentile bootstrap, {b['resamples']} resamples of sentences, seed {b['seed']}"
              if b["resamples"] else "intervals: none (--bootstrap 0)"),
             ""]
    for group, values in result["metrics"].items():
        counts = "  ".join(f"{k} {v}" for k, v in values.items() if k not in RATES)
        title = TITLES.get(group.split(":")[0], "")
        lines.append(f"{group}  ({title})" if title else group)
        lines.append(f"    {counts}")
        for k, v in values.items():
            if k in RATES:
                ci = f"[{_number(v['ci'][0])}, {_number(v['ci'][1])}]" if v["ci"] else ""
                lines.append(f"    {k:<16} {_number(v['value'])}  {ci}".rstrip())
    return "\n".join(lines)


def format_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=1)
