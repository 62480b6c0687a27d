"""scripts/agreement.py: undefined figures are n/a, bad input exits 1 or 2 without a traceback, and
the figures of the committed passes."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
DRAFTS = CHECKOUT / "annotations" / "drafts"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("agreement", CHECKOUT / "scripts" / "agreement.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def labels(path: Path, records: list[dict], **change) -> str:
    path.write_text("".join(json.dumps({**r, **change}, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return str(path)


@pytest.fixture
def passes() -> list[dict]:
    lines = (DRAFTS / "stance_labels.a.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:4]]


def test_the_committed_passes_agree_as_the_datasheet_says(script, capsys):
    assert script.main(["stance_labels", str(DRAFTS / "stance_labels.a.jsonl"), str(DRAFTS / "stance_labels.b.jsonl")]) == 0
    assert "observed agreement 0.991, Cohen's kappa 0.984" in capsys.readouterr().out


def test_no_shared_unit_is_n_a(script, passes, tmp_path, capsys):
    a, b = labels(tmp_path / "a.jsonl", passes[:2]), labels(tmp_path / "b.jsonl", passes[2:])
    assert script.main(["stance_labels", a, b]) == 0
    out = capsys.readouterr().out
    assert "units labelled by both: 0" in out and "observed agreement n/a, Cohen's kappa n/a" in out


def test_kappa_of_one_single_label_is_n_a(script, passes, tmp_path, capsys):
    a, b = (labels(tmp_path / name, passes, label="neutral") for name in ("a.jsonl", "b.jsonl"))
    assert script.main(["stance_labels", a, b]) == 0
    assert "observed agreement 1.000, Cohen's kappa n/a" in capsys.readouterr().out  # chance agreement is 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["stance_labels", "a.jsonl"], "usage: python scripts/agreement.py"),
        (["labels", "a.jsonl", "b.jsonl"], "unknown layer 'labels'"),
        (["stance_labels", "missing.jsonl", str(DRAFTS / "stance_labels.a.jsonl")], "missing.jsonl: no such file"),
    ],
)
def test_usage_errors_and_missing_files_are_one_line(script, capsys, argv, message):
    assert script.main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("agreement: error: ") and message in err and err.count("\n") == 1


def test_invalid_records_are_reported_by_line(script, passes, tmp_path, capsys):
    a = labels(tmp_path / "a.jsonl", passes)
    with open(a, "a", encoding="utf-8") as f:
        f.write('{"id": broken\n')
    b = labels(tmp_path / "b.jsonl", passes, label="bullish")
    assert script.main(["stance_labels", a, b]) == 1
    err = capsys.readouterr().err
    assert f"{a}:5: json-syntax: " in err and f"{b}:1: schema: " in err and "Traceback" not in err


RUNNING = CHECKOUT / "tests" / "numbers" / "running" / "passes"


def test_the_running_passes_agree_as_their_readme_says(script, capsys):
    assert script.main(["running", str(RUNNING / "a.jsonl"), str(RUNNING / "b.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "quantity span: F1 0.990 (337 shared, 5 only in A, 2 only in B)" in out
    assert "every field on shared spans: 334/337 agree" in out


def test_a_malformed_running_pass_is_reported_by_line(script, tmp_path, capsys):
    good = (RUNNING / "a.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    record = json.loads(good[1])
    record["quantities"][0]["start"] = "3"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([good[0], json.dumps(record, ensure_ascii=False), '{"id": "run-003"}']) + "\n", encoding="utf-8")
    assert script.main(["running", str(bad), str(RUNNING / "b.jsonl")]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2: schema: /quantities/0: missing or of the wrong type: start" in err
    assert f"{bad}:3: schema: a passage is" in err and "Traceback" not in err
