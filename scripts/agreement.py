"""Inter-annotator agreement between two independent passes over the same layer.

    python scripts/agreement.py entities annotations/drafts/entities.a.jsonl annotations/drafts/entities.b.jsonl

entities: pairwise F1 on exact (span, type) and on span only (F1 is symmetric; no chance correction,
as is usual for span annotation). numeric_facts: F1 on exact quantity spans, then agreement of
value/unit/kind/approx on the shared spans. stance: F1 on (target span, polarity) and on evidence
overlap. stance_labels: observed agreement and Cohen's kappa.
"""

from __future__ import annotations

import json
import sys
from collections import Counter

from finnews.benchmark.metrics import set_prf, show


def load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def f1(a: set, b: set) -> str:
    """Pairwise F1 of two passes (symmetric: either pass may be taken as the reference)."""
    scores = set_prf(a, b)
    return (
        f"F1 {show(scores['f1'])} ({scores['tp']} shared, {len(a) - scores['tp']} only in A, {len(b) - scores['tp']} only in B)"
    )


def span(r: dict) -> tuple:
    return (r["article"], r["start"], r["end"])


def entities(a: list[dict], b: list[dict]) -> list[str]:
    return [
        f"span+type: {f1({span(r) + (r['type'],) for r in a}, {span(r) + (r['type'],) for r in b})}",
        f"span only: {f1({span(r) for r in a}, {span(r) for r in b})}",
    ]


def numeric_facts(a: list[dict], b: list[dict]) -> list[str]:
    lines = [f"quantity span: {f1({span(r) for r in a}, {span(r) for r in b})}"]
    by_b = {span(r): r for r in b}
    shared = [(r, by_b[span(r)]) for r in a if span(r) in by_b]
    for field in ("value", "unit", "kind", "approx", "iso", "change"):
        same = sum(x[field] == y[field] for x, y in shared)
        lines.append(f"{field} on shared spans: {same}/{len(shared)} agree")
    for field in ("measured_entity", "measured_property", "period"):
        same = sum((x[field] or {}).get("text") == (y[field] or {}).get("text") for x, y in shared)
        lines.append(f"{field} text on shared spans: {same}/{len(shared)} agree")
    return lines


def stance(a: list[dict], b: list[dict]) -> list[str]:
    def key(r: dict) -> tuple:
        return (r["article"], r["target"]["start"], r["target"]["end"], r["polarity"])

    return [
        f"target span+polarity: {f1({key(r) for r in a}, {key(r) for r in b})}",
        f"evidence span: {f1({span(r) for r in a}, {span(r) for r in b})}",
    ]


def stance_labels(a: list[dict], b: list[dict]) -> list[str]:
    la = {span(r): r["label"] for r in a}
    lb = {span(r): r["label"] for r in b}
    keys = sorted(la.keys() & lb.keys())
    n = len(keys)
    observed = sum(la[k] == lb[k] for k in keys) / n
    ca, cb = Counter(la[k] for k in keys), Counter(lb[k] for k in keys)
    expected = sum(ca[x] * cb[x] for x in ca) / (n * n)
    kappa = (observed - expected) / (1 - expected) if expected < 1 else 1.0
    return [
        f"units labelled by both: {n}",
        f"observed agreement {observed:.3f}, Cohen's kappa {kappa:.3f}",
        f"A: {dict(sorted(ca.items()))}  B: {dict(sorted(cb.items()))}",
    ]


LAYERS = {"entities": entities, "numeric_facts": numeric_facts, "stance": stance, "stance_labels": stance_labels}

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in LAYERS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(LAYERS)}}} PASS_A.jsonl PASS_B.jsonl")
    print("\n".join(LAYERS[sys.argv[1]](load(sys.argv[2]), load(sys.argv[3]))))
