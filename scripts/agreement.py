"""Inter-annotator agreement between two independent passes over the same layer.

    python scripts/agreement.py entities annotations/drafts/entities.a.jsonl annotations/drafts/entities.b.jsonl

entities: pairwise F1 on exact (span, type) and on span only (F1 is symmetric; no chance correction,
as is usual for span annotation). numeric_facts: F1 on exact quantity spans, then agreement of
value/unit/kind/approx on the shared spans. stance: F1 on (target span, polarity) and on evidence
overlap. stance_labels: observed agreement and Cohen's kappa. A figure that is undefined (no unit
shared; kappa when both passes use one single label, so that chance agreement is 1) is n/a
(finnews.benchmark.metrics).

Exit 0; 1 when a file does not hold valid records of the layer (every problem as `path:line: rule:
message`); 2 on a usage error or a missing file (one line).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from finnews.benchmark.metrics import rate, set_prf, show
from finnews.checks.incidents import Incident, collector, ordered
from finnews.checks.records import check_schema, read_records
from finnews.data.schema import LAYER_SCHEMAS
from finnews.errors import DataError, UsageError


def load(layer: str, path: str, incidents: list[Incident]) -> list[dict]:
    """The records of a pass; their problems go to incidents."""
    if not Path(path).is_file():
        raise UsageError(f"{path}: no such file")
    report = collector(incidents, path)
    return [record for _, record in check_schema(read_records(Path(path), report), LAYER_SCHEMAS[f"{layer}.jsonl"], report)]


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
    observed = rate(sum(la[k] == lb[k] for k in keys), n)
    ca, cb = Counter(la[k] for k in keys), Counter(lb[k] for k in keys)
    expected = rate(sum(ca[x] * cb[x] for x in ca), n * n)
    kappa = None if observed is None or expected == 1 else (observed - expected) / (1 - expected)
    return [
        f"units labelled by both: {n}",
        f"observed agreement {show(observed)}, Cohen's kappa {show(kappa)}",
        f"A: {dict(sorted(ca.items()))}  B: {dict(sorted(cb.items()))}",
    ]


LAYERS = {"entities": entities, "numeric_facts": numeric_facts, "stance": stance, "stance_labels": stance_labels}


def agreement(layer: str, path_a: str, path_b: str) -> list[str]:
    """The report lines of two passes over a layer; DataError when a file holds invalid records."""
    if layer not in LAYERS:
        raise UsageError(f"unknown layer {layer!r}: choose one of {', '.join(LAYERS)}")
    incidents: list[Incident] = []
    a, b = load(layer, path_a, incidents), load(layer, path_b, incidents)
    if incidents:
        raise DataError(ordered(incidents))
    return LAYERS[layer](a, b)


def main(argv: list[str]) -> int:
    try:
        if len(argv) != 3:
            raise UsageError(f"usage: python scripts/agreement.py {{{','.join(LAYERS)}}} PASS_A.jsonl PASS_B.jsonl")
        print("\n".join(agreement(*argv)))
    except DataError as error:
        print(error, file=sys.stderr)
        return error.exit_code
    except UsageError as error:
        print(f"agreement: error: {error}", file=sys.stderr)
        return error.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
