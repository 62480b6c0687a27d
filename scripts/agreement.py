"""Inter-annotator agreement between two independent passes over the same layer.

    python scripts/agreement.py entities annotations/drafts/entities.a.jsonl annotations/drafts/entities.b.jsonl
    python scripts/agreement.py running tests/numbers/running/passes/a.jsonl tests/numbers/running/passes/b.jsonl

entities: pairwise F1 on exact (span, type) and on span only (F1 is symmetric; no chance correction,
as is usual for span annotation). numeric_facts: F1 on exact quantity spans, then agreement of
value/unit/kind/approx on the shared spans. stance: F1 on (target span, polarity) and on evidence
overlap. running (the passes over tests/numbers/running, one line per passage): F1 on exact
quantity spans, then agreement of every field on the shared spans. stance_labels: observed agreement and Cohen's kappa. A figure that is undefined (no unit
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


#: the fields of a quantity in a pass over tests/numbers/running, with the types they may take
RUNNING_FIELDS = {
    "start": (int,),
    "end": (int,),
    "text": (str,),
    "kind": (str,),
    "value": (int, float, type(None)),
    "high": (int, float, type(None)),
    "unit": (str,),
    "approx": (str,),
    "iso": (str, type(None)),
}


def load_running(path: str, incidents: list[Incident]) -> list[dict]:
    """The quantities of a pass over tests/numbers/running, as records named by passage id."""
    if not Path(path).is_file():
        raise UsageError(f"{path}: no such file")
    report = collector(incidents, path)
    records = []
    for number, passage in read_records(Path(path), report):
        quantities = passage.get("quantities")
        if not isinstance(passage.get("id"), str) or not isinstance(quantities, list):
            report(number, "schema", 'a passage is {"id": string, "quantities": [...]}')
            continue
        for i, q in enumerate(quantities):
            wrong = [k for k, types in RUNNING_FIELDS.items() if not isinstance(q, dict) or type(q.get(k, ...)) not in types]
            if wrong:
                report(number, "schema", f"/quantities/{i}: missing or of the wrong type: {', '.join(wrong)}")
            else:
                records.append({"article": passage["id"], **q})
    return records


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


def running(a: list[dict], b: list[dict]) -> list[str]:
    lines = [f"quantity span: {f1({span(r) for r in a}, {span(r) for r in b})}"]
    by_b = {span(r): r for r in b}
    shared = [(r, by_b[span(r)]) for r in a if span(r) in by_b]
    for field in ("kind", "value", "high", "unit", "approx", "iso"):
        lines.append(f"{field} on shared spans: {sum(x[field] == y[field] for x, y in shared)}/{len(shared)} agree")
    every = sum(all(x[k] == y[k] for k in RUNNING_FIELDS) for x, y in shared)
    return lines + [f"every field on shared spans: {every}/{len(shared)} agree"]


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


LAYERS = {
    "entities": entities,
    "numeric_facts": numeric_facts,
    "stance": stance,
    "stance_labels": stance_labels,
    "running": running,
}


def agreement(layer: str, path_a: str, path_b: str) -> list[str]:
    """The report lines of two passes over a layer; DataError when a file holds invalid records."""
    if layer not in LAYERS:
        raise UsageError(f"unknown layer {layer!r}: choose one of {', '.join(LAYERS)}")
    incidents: list[Incident] = []
    read = load_running if layer == "running" else lambda path, found: load(layer, path, found)
    a, b = read(path_a, incidents), read(path_b, incidents)
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
