"""`finnews evaluate`: score predictions against the gold, under a named protocol.

Protocols (which units are scored, and how):
  heldout    the units of one frozen split (default test): for systems trained on train.
  zero-shot  every checked unit: for systems not trained on this data (`--split all` is the same).
  cv         leave-one-article-group-out cross-validation: each group is a fold, predicted by a
             model that did not see it. Give one predictions file per fold, or one file predicting
             every unit; counts are pooled over the folds, and each fold's figures are reported too.

Predictions are refused when they are almost certainly the wrong file: a file without lines, lines
for units the protocol does not score (predictions-empty, predictions-elsewhere: exit 1), and an
article group scored without a single line, such as test predictions under zero-shot or cv, or a
missing fold (a usage error: a sentence predicted to hold nothing still gets its line).

Figures (counts per sentence, summed; finnews.benchmark.counts):
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

Rates with a zero denominator are null (n/a); per-type and per-label figures are n/a where the
evaluated units hold no gold of that type or label, and the result names them (`absent`).

Intervals: percentile bootstrap, `bootstrap` resamples with a fixed seed; resamples where a rate is
undefined are left out of its interval. The resampled unit is the sentence (heldout, zero-shot) or
the article group (cv). Resampling sentences treats them as independent, which they are not (they
come from 4 articles): such an interval shows the noise of a small test set, not the variation
between newspapers or topics. Resampling groups is the honest unit, but with three groups the
interval is coarse; it needs units from two groups or more (the validation and test splits are one
group each: resampling groups is for cv and zero-shot).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from finnews.benchmark.counts import COUNTERS, metrics, support
from finnews.benchmark.metrics import show
from finnews.benchmark.predictions import check_task, read_predictions
from finnews.benchmark.reference import SPLITS, Reference, load_reference
from finnews.checks.incidents import Incident, ordered
from finnews.data.schema import closed_set
from finnews.errors import DataError, UsageError

SEED = 20241231
CONFIDENCE = 0.95
PROTOCOLS = ("heldout", "zero-shot", "cv")
RESAMPLE_UNITS = ("sentence", "group")
ALL = "all"  # --split all: the zero-shot protocol

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
RATES = (
    "precision",
    "recall",
    "f1",
    "accuracy",
    "macro_f1",
    "value_accuracy",
    "unit_accuracy",
    "kind_accuracy",
    "approx_accuracy",
)


@dataclass(frozen=True)
class Fold:
    name: str  # the split, "all", or the article group (cv)
    units: list[dict]


def protocol_of(protocol: str, split: str) -> str:
    if protocol not in PROTOCOLS:
        raise UsageError(f"unknown protocol {protocol!r}: choose one of {', '.join(PROTOCOLS)}")
    if split == ALL:
        if protocol == "cv":
            raise UsageError("--split all is the zero-shot protocol; --protocol cv scores every fold already")
        return "zero-shot"
    if split not in SPLITS:
        raise UsageError(f"unknown split {split!r}: choose one of {', '.join(SPLITS)} or {ALL}")
    return protocol


def folds(reference: Reference, protocol: str, split: str = "test") -> list[Fold]:
    """The units scored under a protocol: one fold (heldout, zero-shot) or one per article group (cv)."""
    protocol = protocol_of(protocol, split)
    if protocol == "heldout":
        chosen = [Fold(split, [u for u in reference.units if u["split"] == split])]
    elif protocol == "zero-shot":
        chosen = [Fold(ALL, list(reference.units))]
    else:
        chosen = [Fold(g, [u for u in reference.units if u["group"] == g]) for g in reference.groups()]
    for fold in chosen:
        if not fold.units:
            raise UsageError(f"{fold.name} holds no unit in {reference.source}")
    return chosen


# ------------------------------------------------------------------------------------------------
# Reading predictions for a protocol, with the guards against scoring the wrong file


def _where(unit: dict) -> str:
    return f"split {unit['split']}, group {unit['group']}"


def _hint(protocol: str, elsewhere: list[dict]) -> str:
    splits = sorted({u["split"] for u in elsewhere}, key=SPLITS.index)
    if protocol == "heldout":
        return f"these look like {'/'.join(splits)} predictions: pass --split {splits[0]}, or --protocol zero-shot to score every unit"
    return "predict only the units of the fold"


def _guard(
    path: Path, lines: dict[str, tuple[int, dict]], wanted: set[str], reference: Reference, protocol: str, fold_name: str
) -> list[Incident]:
    """Incidents for a predictions file that predicts nothing, or units outside the evaluated ones."""
    by_id = {u["id"]: u for u in reference.units}
    if not lines:
        return [
            Incident(
                str(path),
                0,
                "predictions-empty",
                f"no prediction line for {fold_name}; a sentence predicted to hold nothing still gets a line "
                '(e.g. {"sentence": ID, "entities": []})',
            )
        ]
    elsewhere = [(number, by_id[sid]) for sid, (number, _) in lines.items() if sid not in wanted]
    hint = _hint(protocol, [u for _, u in elsewhere]) if elsewhere else ""
    incidents = [
        Incident(
            str(path),
            number,
            "predictions-elsewhere",
            f"{unit['id']} ({_where(unit)}) is not among the units scored ({fold_name}); {hint}",
        )
        for number, unit in elsewhere
    ]
    if len(elsewhere) == len(lines):
        incidents.append(
            Incident(
                str(path),
                0,
                "predictions-elsewhere",
                f"none of the {len(lines)} lines is for a unit scored ({fold_name}); {hint}",
            )
        )
    return incidents


def _unpredicted(units: list[dict], predicted: dict[str, dict], protocol: str, fold_name: str) -> str | None:
    """Why the predictions cannot be what was meant when a whole article group scored has no line."""
    covered = {u["group"] for u in units if u["id"] in predicted}
    missing = [g for g in dict.fromkeys(u["group"] for u in units) if g not in covered]
    if not missing:
        return None
    plural = "s" if len(missing) > 1 else ""
    if protocol == "cv":
        return (
            f"no prediction line for fold{plural} {', '.join(missing)}: give one file per fold, or one file predicting every unit"
        )
    splits = sorted({u["split"] for u in units if u["id"] in predicted}, key=SPLITS.index)
    hint = (
        f"these look like {splits[0]} predictions: pass --protocol heldout --split {splits[0]}"
        if protocol == "zero-shot" and len(splits) == 1
        else "give every unit scored a line (one predicting nothing too)"
    )
    return f"no prediction line for article group{plural} {', '.join(missing)} of the units scored ({fold_name}); {hint}"


def read_fold_predictions(
    task: str, paths: Sequence[str | Path], reference: Reference, protocol: str, chosen: list[Fold]
) -> dict[str, dict]:
    """Sentence id -> prediction line, from one file (any protocol) or one file per fold (cv).

    Refused: a file without lines, lines for units not scored (DataError); an article group scored
    (a fold under cv) without any line, two files for one fold (UsageError)."""
    where = reference.source
    if len(paths) > 1 and protocol != "cv":
        raise UsageError(f"one predictions file for --protocol {protocol} (one per fold is for cv)")
    read = [(Path(p), read_predictions(task, p, reference.texts, where)) for p in paths]
    incidents: list[Incident] = []
    if len(read) == 1:
        path, lines = read[0]
        wanted = {u["id"] for fold in chosen for u in fold.units}
        name = chosen[0].name if len(chosen) == 1 else "every fold"
        incidents += _guard(path, lines, wanted, reference, protocol, name)
    else:
        fold_of = {u["id"]: fold.name for fold in chosen for u in fold.units}
        given: dict[str, Path] = {}
        for path, lines in read:
            name = fold_of[next(iter(lines))] if lines else None  # a file without lines: the guard reports it
            if name in given:
                raise UsageError(f"{path} and {given[name]} both predict fold {name}: give one file per fold")
            if name is not None:
                given[name] = path
            fold = next((f for f in chosen if f.name == name), chosen[0])
            incidents += _guard(
                path, lines, {u["id"] for u in fold.units}, reference, protocol, f"fold {name}" if name else "its fold"
            )
    if incidents:
        raise DataError(ordered(incidents))
    out = {sid: line for _, lines in read for sid, (_, line) in lines.items()}
    problem = _unpredicted([u for fold in chosen for u in fold.units], out, protocol, chosen[0].name)
    if problem:
        raise UsageError(problem)
    return out


# ------------------------------------------------------------------------------------------------
# Scoring


def unit_counts(task: str, reference: Reference, units: list[dict], predictions: dict[str, dict]) -> list[dict[str, int]]:
    count = COUNTERS[task]
    gold = reference.gold[task]
    return [count(gold.get(u["id"]), predictions.get(u["id"])) for u in units]


def _sum(rows: list[dict[str, int]]) -> dict[str, int]:
    return {k: sum(row[k] for row in rows) for k in rows[0]}


def bootstrap_intervals(
    task: str, rows: list[dict[str, int]], resamples: int, seed: int = SEED
) -> dict[tuple[str, str], list[float]]:
    """(group, rate) -> [low, high] percentile interval, resampling the rows with replacement."""
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
                for name in RATES:
                    if values.get(name) is not None:
                        samples.setdefault((group, name), []).append(values[name])
    tail = (1 - CONFIDENCE) / 2 * 100
    return {key: [float(v) for v in np.percentile(vals, [tail, 100 - tail])] for key, vals in samples.items()}


def _group_order(group: str) -> tuple[int, int, str]:
    """Groups in TITLES order; per-type and per-label groups in their closed set's order."""
    base, _, name = group.partition(":")
    order = list(TITLES)
    members = {"type": closed_set("entity_type"), "label": closed_set("polarity")}.get(base, [])
    return (order.index(base) if base in order else len(order), members.index(name) if name in members else len(members), group)


def summarise(task: str, rows: list[dict[str, int]], intervals: dict | None = None) -> dict[str, dict]:
    """group -> counts and {rate: {"value", "ci"}} from per-unit counts."""
    intervals = intervals or {}
    out = {}
    for group, values in sorted(metrics(task, _sum(rows)).items(), key=lambda kv: _group_order(kv[0])):
        out[group] = {k: ({"value": v, "ci": intervals.get((group, k))} if k in RATES else v) for k, v in values.items()}
    return out


def absent(summary: dict[str, dict]) -> list[str]:
    """The classes of every per-class group (entity types, stance labels) without gold support in
    the scored units."""
    return [g.split(":", 1)[1] for g, values in summary.items() if support(g, values) == 0]


def check_bootstrap(bootstrap: object, seed: object) -> None:
    for name, value in (("bootstrap", bootstrap), ("seed", seed)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise UsageError(
                f"{name} must be a whole number >= 0, not {value!r}" + (" (0: no intervals)" if name == "bootstrap" else "")
            )


def score(
    task: str,
    reference: Reference,
    predictions: dict[str, dict],
    *,
    protocol: str = "heldout",
    split: str = "test",
    bootstrap: int = 1000,
    seed: int = SEED,
    resample: str | None = None,
) -> dict:
    """Score prediction lines (sentence id -> line) against a reference under a protocol."""
    check_task(task)
    check_bootstrap(bootstrap, seed)
    protocol = protocol_of(protocol, split)
    resample = resample or ("group" if protocol == "cv" else "sentence")
    if resample not in RESAMPLE_UNITS:
        raise UsageError(f"resample must be one of {', '.join(RESAMPLE_UNITS)}, not {resample!r}")
    chosen = folds(reference, protocol, split)
    units = [u for fold in chosen for u in fold.units]
    rows = unit_counts(task, reference, units, predictions)
    if resample == "group":
        groups = list(dict.fromkeys(u["group"] for u in units))
        if bootstrap and len(groups) < 2:
            raise UsageError(
                f"--resample group needs units from 2 article groups or more, and the {len(units)} units scored all come "
                f"from {groups[0]}, so every resample would be the same: use --resample sentence, or score "
                "under --protocol cv or zero-shot"
            )
        sample_rows = [_sum([r for r, u in zip(rows, units) if u["group"] == g]) for g in groups]
    else:
        sample_rows = rows
    intervals = bootstrap_intervals(task, sample_rows, bootstrap, seed) if bootstrap else {}
    summary = summarise(task, rows, intervals)
    result = {
        "task": task,
        "protocol": protocol,
        "split": chosen[0].name if protocol != "cv" else None,
        "gold": reference.source,
        "sentences": len(units),
        "sentences_predicted": sum(u["id"] in predictions for u in units),
        "absent": absent(summary),
        "bootstrap": {"resamples": bootstrap, "seed": seed, "confidence": CONFIDENCE, "unit": resample, "method": "percentile"},
        "metrics": summary,
    }
    if protocol == "cv":
        result["folds"] = {
            fold.name: {
                "sentences": len(fold.units),
                "metrics": summarise(task, unit_counts(task, reference, fold.units, predictions)),
            }
            for fold in chosen
        }
    return result


def evaluate(
    task: str,
    predictions: str | Path | Sequence[str | Path],
    split: str = "test",
    release: str | Path | None = None,
    bootstrap: int = 1000,
    root: Path | None = None,
    seed: int = SEED,
    protocol: str = "heldout",
    resample: str | None = None,
) -> dict:
    """Score a predictions file (finnews.benchmark.predictions format; for cv, one per fold or one
    for every unit) against the checked gold: of the annotations under root (default: the data root),
    or of a release (a local folder, or a Hub dataset OWNER/NAME@REVISION). Raises DataError listing
    every problem of the predictions, UsageError for arguments that cannot be right."""
    check_task(task)
    check_bootstrap(bootstrap, seed)
    paths = (
        [predictions]
        if isinstance(predictions, (str, Path))
        else list(predictions)
        if isinstance(predictions, (list, tuple))
        else None
    )
    if not paths or not all(isinstance(p, (str, Path)) for p in paths):
        raise UsageError(f"predictions must be a path or a list of paths, not {predictions!r}")
    protocol = protocol_of(protocol, split)
    reference = load_reference(release, root)
    chosen = folds(reference, protocol, split)
    lines = read_fold_predictions(task, paths, reference, protocol, chosen)
    result = score(task, reference, lines, protocol=protocol, split=split, bootstrap=bootstrap, seed=seed, resample=resample)
    return {**result, "predictions": [str(p) for p in paths] if len(paths) > 1 else str(paths[0])}


# ------------------------------------------------------------------------------------------------
# Reports


def _counts_line(group: str, values: dict) -> str:
    n = support(group, values)
    if n is None:
        return "  ".join(f"{k} {v}" for k, v in values.items() if k not in RATES)
    predicted = values["pred"] if "pred" in values else values["tp"] + values["fp"]
    return f"support {n}  predicted {predicted}  correct {values['tp']}"


def _metric_lines(summary: dict[str, dict]) -> list[str]:
    lines = []
    for group, values in summary.items():
        title = TITLES.get(group.split(":")[0], "")
        lines.append(f"{group}  ({title})" if title else group)
        lines.append(f"    {_counts_line(group, values)}")
        for k, v in values.items():
            if k in RATES:
                ci = f"[{show(v['ci'][0])}, {show(v['ci'][1])}]" if v["ci"] else ""
                lines.append(f"    {k:<16} {show(v['value']):>5}  {ci}".rstrip())
    return lines


def format_table(result: dict) -> str:
    """A readable report: one block per metric group, counts on the group line, rates with intervals."""
    b = result["bootstrap"]
    scope = f"{result['protocol']} ({result['split']})" if result["split"] else result["protocol"]
    lines = [
        f"FinNews-ZH {result['task']}, protocol {scope}: {result['sentences']} sentences, "
        f"{result['sentences_predicted']} with a prediction line",
        f"gold: {result['gold']}",
        (
            f"intervals: {b['confidence']:.0%} percentile bootstrap, {b['resamples']} resamples of {b['unit']}s, seed {b['seed']}"
            if b["resamples"]
            else "intervals: none (--bootstrap 0)"
        ),
    ]
    if result["absent"]:
        lines.append(f"absent from the gold of these units: {', '.join(result['absent'])} (their figures are n/a)")
    lines += ["", *_metric_lines(result["metrics"])]
    for name, fold in (result.get("folds") or {}).items():
        lines += ["", f"fold {name}: {fold['sentences']} sentences", *("    " + line for line in _metric_lines(fold["metrics"]))]
    return "\n".join(lines)


def format_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=1)
