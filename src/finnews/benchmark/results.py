"""The results table: every real baseline under every protocol it can run, with intervals.

`compute` runs them and returns plain data (written to results/baselines.json, copied into each
release as results.json); `markdown` renders it for README.md and datasheet.md. The data carries
a fingerprint of the gold it was computed on, so that a build refuses results of other data.
`python scripts/regenerate.py` rewrites all of it; a test fails while any of it is stale.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from finnews.benchmark.baselines import baseline, list_baselines
from finnews.benchmark.evaluate import CONFIDENCE, SEED, score
from finnews.benchmark.predictions import TASKS
from finnews.benchmark.reference import Reference

RESULTS = Path("results") / "baselines.json"  # in the repository; results.json in a release

#: (protocol, split) pairs of the table, in order
SETTINGS = (("heldout", "validation"), ("heldout", "test"), ("zero-shot", "all"), ("cv", "test"))

#: task -> the headline figures of its table: (column title, metric group, rate)
COLUMNS = {
    "ner": [
        ("strict P", "strict", "precision"),
        ("strict R", "strict", "recall"),
        ("strict F1", "strict", "f1"),
        ("partial F1 (SemEval)", "semeval_partial", "f1"),
    ],
    "numeric_facts": [
        ("mention F1 (exact)", "mention_exact", "f1"),
        ("mention F1 (overlap)", "mention_overlap", "f1"),
        ("value acc.", "attributes", "value_accuracy"),
        ("unit acc.", "attributes", "unit_accuracy"),
        ("full-fact F1", "full_fact", "f1"),
    ],
    "stance": [
        ("label acc.", "sentence_label", "accuracy"),
        ("label macro-F1", "sentence_label", "macro_f1"),
        ("targeted F1", "targeted", "f1"),
    ],
}


def fingerprint(reference: Reference) -> str:
    """sha256 of the units and gold lines the results were computed on."""
    data = json.dumps({"units": reference.units, "gold": reference.gold}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def compute(reference: Reference, bootstrap: int = 1000) -> dict:
    """Every real baseline (not `gold`) under every setting it can run, headline figures with CIs."""
    splits = {u["split"] for u in reference.units}
    settings = [(p, s) for p, s in SETTINGS if (p != "heldout" or s in splits) and (p != "cv" or len(reference.groups()) > 1)]
    rows = []
    for task in TASKS:
        for b in list_baselines(task):
            if b.name == "gold":
                continue
            for protocol, split in settings:
                if protocol == ("zero-shot" if b.trains else "cv"):
                    continue  # a trained system is not zero-shot; an untrained one scores under cv as under zero-shot
                lines = {line["sentence"]: line for line in baseline(b.name, task, split, protocol=protocol, reference=reference)}
                result = score(task, reference, lines, protocol=protocol, split=split, bootstrap=bootstrap)
                figures = {f"{group}.{rate}": result["metrics"][group][rate] for _, group, rate in COLUMNS[task]}
                rows.append(
                    {
                        "task": task,
                        "baseline": b.name,
                        "saw": b.saw,
                        "protocol": protocol,
                        "split": result["split"],
                        "sentences": result["sentences"],
                        "resample": result["bootstrap"]["unit"],
                        "absent": result["absent"],
                        "figures": figures,
                    }
                )
    return {
        "fingerprint": fingerprint(reference),
        "bootstrap": {"resamples": bootstrap, "seed": SEED, "confidence": CONFIDENCE, "method": "percentile"},
        "results": rows,
    }


def _cell(figure: dict | None) -> str:
    if figure is None or figure["value"] is None:
        return "n/a"
    ci = figure["ci"]
    return f"{figure['value']:.3f} ({ci[0]:.2f}–{ci[1]:.2f})" if ci else f"{figure['value']:.3f}"


def markdown(results: dict) -> str:
    """One table per task and protocol: a row per baseline (and split), each figure with its interval."""
    b = results["bootstrap"]
    lines = [
        f"Each cell: the figure and its {b['confidence']:.0%} percentile bootstrap interval ({b['resamples']} "
        f"resamples, seed {b['seed']}; resampling sentences, or article groups under cv); n/a: undefined. "
        "heldout: the split's units, for systems trained on train; zero-shot: every unit, for systems not "
        "trained on this data; cv: every unit, each predicted by the system trained on the other article groups. "
        "Regenerate with `python scripts/regenerate.py`; what each baseline is: `finnews baseline --list`."
    ]
    tables: dict[tuple[str, str], list[dict]] = {}
    for row in sorted(results["results"], key=lambda r: (TASKS.index(r["task"]), [p for p, _ in SETTINGS].index(r["protocol"]))):
        tables.setdefault((row["task"], row["protocol"]), []).append(row)
    for (task, protocol), rows in tables.items():
        columns = COLUMNS[task]
        lines += [
            "",
            f"**{task}, {protocol}**",
            "",
            "| baseline | units | " + " | ".join(c[0] for c in columns) + " | saw |",
            "|---|---|" + "---|" * (len(columns) + 1),
        ]
        for row in rows:
            cells = [_cell(row["figures"].get(f"{group}.{rate}")) for _, group, rate in columns]
            units = f"{row['split']} {row['sentences']}" if row["split"] else str(row["sentences"])
            lines.append(f"| {row['baseline']} | {units} | " + " | ".join(cells) + f" | {row['saw']} |")
    return "\n".join(lines) + "\n"
