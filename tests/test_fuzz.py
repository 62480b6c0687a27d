"""Property-based fuzzing of the commands that read what users bring: real inputs corrupted at
random (byte flips, truncation, encodings, BOM and CR LF, offset shifts, type swaps, deep nesting,
surrogates, huge values, missing and extra fields). Whatever the input, a command

- exits 0, 1 (the data or input is wrong: every problem as `path:line: rule: message`) or 2 (usage or
  environment: one line), and a corruption that cannot be valid never exits 0;
- never lets an exception escape (a traceback is always a bug);
- never changes an annotation file unless it succeeded at what it was asked.

The bounded profile runs in CI (FUZZ_EXAMPLES, default 25 per command); `python scripts/fuzz.py
--examples N` runs a long one and reports how many cases it tried. A failure found here becomes a
named regression test in tests/test_hardening.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finnews.cli import main
from finnews.data.paths import set_root

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("FUZZ_RANDOM") != "1",
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

PROBLEM = re.compile(r"^.+:\d+: [a-z0-9-]+: .+$")
EXPLANATION = re.compile(r"^    \([a-z0-9-]+: .*\)$")
SUMMARY = re.compile(
    r"^(\d+ problems? found|\.\.\. \d+ more [a-z0-9-]+ incidents suppressed|nothing written|"
    r"the (data|corpus) does not validate.*|valid: no problems found|--on-bad fail: stopped, nothing written)$"
)


# ------------------------------------------------------------------------------------------------
# Corruptions


def _json_values(value, path=()):
    """Every (path, value) inside a JSON value."""
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _json_values(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _json_values(v, (*path, i))


def _replace(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replace(value[path[0]], path[1:], new)
    return copy


def _delete(value, path):
    copy = dict(value) if isinstance(value, dict) else list(value)
    if len(path) == 1:
        del copy[path[0]]
    else:
        copy[path[0]] = _delete(value[path[0]], path[1:])
    return copy


SWAPS = [0, -1, 116.0, 10**30, "", "x", "\ud800", None, True, [], {}, [[[]]], {"start": 1}, "2999-01-01"]


@st.composite
def corrupted(draw, data: bytes, structural: bool = True, document: bool = False, focus: str | None = None) -> tuple[bytes, bool]:
    """(corrupted bytes, whether the corruption can never give valid data). document: the data is
    one JSON document (splits.json), where CR LF is only whitespace; with a `focus` field (such as
    an export's "result"), a structural change inside it when the document has one."""
    try:
        data.decode("utf-8")
        text_kinds = ["encoding", "nesting"]
    except UnicodeDecodeError:  # an Arrow file: bytes only
        text_kinds = []
    structural_kinds = ["swap", "delete", "add", "shift", "duplicate"] if structural else []
    kinds = ["flip", "truncate", "bom", "crlf", *text_kinds, *structural_kinds]
    if focus is not None:
        kinds = ["swap", "delete", "add", "shift"]
    kind = draw(st.sampled_from(kinds))
    lines = data.split(b"\n")
    if kind == "flip":
        at = draw(st.integers(0, len(data) - 1))
        byte = draw(st.integers(0, 255))
        return data[:at] + bytes([byte]) + data[at + 1 :], False
    if kind == "truncate":
        at = draw(st.integers(0, max(0, len(data) - 2)))
        return data[:at], False
    if kind == "bom":
        return b"\xef\xbb\xbf" + data, True
    if kind == "crlf":
        return data.replace(b"\n", b"\r\n"), not document
    if kind == "encoding":
        encoding = draw(st.sampled_from(["gbk", "utf-16", "big5", "utf-8-sig"]))
        encoded = data.decode("utf-8").encode(encoding, errors="replace")
        return encoded, encoded != data  # ASCII-only text is the same bytes in gbk and big5
    if kind == "nesting":
        depth = draw(st.sampled_from([70, 1000, 100_000]))
        i = draw(st.integers(0, max(0, len(lines) - 2)))
        lines[i] = b'{"id": ' + b"[" * depth + b"]" * depth + b"}"
        return b"\n".join(lines), True
    # structural: one JSON line (or the whole document) parsed, changed and written back
    try:
        whole = json.loads(data)  # a JSON document (an export, a manifest), not JSON lines
    except ValueError:
        whole = None
    if whole is not None:
        record = whole
    else:
        candidates = [i for i, line in enumerate(lines) if line.strip()]
        i = draw(st.sampled_from(candidates))
        record = json.loads(lines[i])
    if kind == "duplicate":  # an object names one of its keys twice, the first time with another value
        objects = [p for p, v in _json_values(record) if isinstance(v, dict) and v]
        if not objects:
            return data, False
        path = draw(st.sampled_from(objects))
        target = dict(_json_values(record))[path]
        marker = "\u0000duplicate"
        text = json.dumps(_replace(record, path, {marker: 0, **target}))
        first = json.dumps({draw(st.sampled_from(sorted(target))): draw(st.sampled_from(SWAPS))})[1:-1]
        text = text.replace(f"{json.dumps(marker)}: 0", first).encode("utf-8")
        if whole is not None:
            return text, True
        lines[i] = text
        return b"\n".join(lines), True
    paths = [p for p, _ in _json_values(record) if p]
    path = draw(st.sampled_from([p for p in paths if focus in p] or paths))
    if kind == "swap":
        record = _replace(record, path, draw(st.sampled_from(SWAPS)))
    elif kind == "delete":
        record = _delete(record, path)
    elif kind == "add":
        parent = path[:-1]
        target = dict(_json_values(record)).get(parent) if parent else record
        if isinstance(target, dict):
            record = _replace(record, parent, {**target, "unexpected": draw(st.sampled_from(SWAPS))})
    else:  # shift a number (an offset, a value) by a little
        value = dict(_json_values(record))[path]
        if isinstance(value, int) and not isinstance(value, bool):
            record = _replace(record, path, value + draw(st.sampled_from([-3, -1, 1, 2, 1000])))
    text = json.dumps(record).encode("utf-8")  # ASCII escapes: a lone surrogate stays an escape, as in a real file
    if whole is not None:
        return text, False
    lines[i] = text
    return b"\n".join(lines), False


# ------------------------------------------------------------------------------------------------
# Running a command and checking what it did


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        finally:
            set_root(None)
    return code, out.getvalue(), err.getvalue()


def assert_convention(code: int, out: str, err: str, command: str) -> None:
    assert code in (0, 1, 2), code
    assert "Traceback" not in out + err
    if code == 2:
        assert err.startswith(f"finnews {command}: error: ") and err.count("\n") == 1, err
    if code == 1:
        lines = [line for line in (out + err).splitlines() if line]
        assert any(PROBLEM.match(line) for line in lines), lines[:5]
        assert all(PROBLEM.match(line) or EXPLANATION.match(line) or SUMMARY.match(line) for line in lines), lines


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def mini(tmp_path) -> Path:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    return root


LAYERS = ["sentences", "entities", "numeric_facts", "stance", "stance_labels"]


# ------------------------------------------------------------------------------------------------
# The commands


#: what the validate target corrupts: every layer and the corpus files that are JSON
VALIDATED = [*(f"annotations/{layer}.jsonl" for layer in LAYERS), "corpus/articles.jsonl", "corpus/splits.json"]


@FUZZ
@given(data=st.data(), name=st.sampled_from(VALIDATED))
def test_validate_survives_any_corrupted_layer_or_corpus_file(mini, data, name):
    path = mini / name
    original = path.read_bytes()
    broken, never_valid = data.draw(corrupted(original, document=name.endswith(".json")))
    path.write_bytes(broken)
    before = digest(mini)
    try:
        code, out, err = run(["--root", str(mini), "validate"])
        assert_convention(code, out, err, "validate")
        assert not (never_valid and code == 0)
        assert digest(mini) == before  # validate never writes
    finally:
        path.write_bytes(original)


@FUZZ
@given(data=st.data(), task=st.sampled_from(["ner", "numeric_facts", "stance"]))
def test_evaluate_survives_any_corrupted_predictions(mini, tmp_path_factory, data, task):
    broken, never_valid = data.draw(corrupted((FIXTURES / "predictions" / f"{task}.jsonl").read_bytes()))
    path = tmp_path_factory.mktemp("predictions") / f"{task}.jsonl"
    path.write_bytes(broken)
    before = digest(mini)
    code, out, err = run(["--root", str(mini), "evaluate", "--task", task, "--predictions", str(path), "--bootstrap", "20"])
    assert_convention(code, out, err, "evaluate")
    assert not (never_valid and code == 0)
    assert digest(mini) == before


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> list[Path]:
    """Label Studio exports to corrupt: an edited one, and stance and numeric facts (relations, choices)."""
    out = tmp_path_factory.mktemp("exports")
    for layer in ("stance", "numeric_facts"):
        assert run(["--root", str(MINI), "export", "label-studio", "--layer", layer, "--out", str(out)])[0] == 0
    return [FIXTURES / "labelstudio" / "mini-entities-edited.json", *sorted(out.glob("*.json"))]


@FUZZ
@given(data=st.data(), focus=st.sampled_from([None, "result"]))
def test_import_survives_any_corrupted_label_studio_export(mini, exports, tmp_path_factory, data, focus):
    export = data.draw(st.sampled_from(exports))
    broken, never_valid = data.draw(corrupted(export.read_bytes(), focus=focus))
    path = tmp_path_factory.mktemp("export") / "export.json"
    path.write_bytes(broken)
    before = digest(mini)
    code, out, err = run(
        ["--root", str(mini), "import", "label-studio", str(path), "--checked-by", "human:fuzz", "--checked-at", "2026-11-30"]
    )
    assert_convention(code, out, err, "import")
    if code != 0:
        assert digest(mini) == before  # a failed import changes nothing


@pytest.fixture(scope="module")
def releases(tmp_path_factory) -> tuple[Path, Path]:
    from tiny_release import write_release

    folder = tmp_path_factory.mktemp("releases")
    return write_release(folder / "old", "1.0.0"), write_release(folder / "new", "1.0.1")


@FUZZ
@given(data=st.data())
def test_diff_survives_any_corrupted_release_file(releases, tmp_path_factory, data):
    old, new = releases
    target = tmp_path_factory.mktemp("diff") / "new"
    shutil.copytree(new, target)
    files = sorted(p for p in target.rglob("*") if p.is_file() and (p.suffix == ".arrow" or p.name == "MANIFEST.json"))
    victim = data.draw(st.sampled_from(files))
    broken, _ = data.draw(corrupted(victim.read_bytes(), structural=victim.suffix != ".arrow"))
    victim.write_bytes(broken)
    code, out, err = run(["diff", str(old), str(target)])
    assert_convention(code, out, err, "diff")


@FUZZ
@given(data=st.data(), on_bad=st.sampled_from(["skip", "fail"]))
def test_pipeline_survives_any_corrupted_input(tmp_path_factory, data, on_bad):
    broken, _ = data.draw(corrupted((FIXTURES / "pipeline" / "articles.jsonl").read_bytes()))
    folder = tmp_path_factory.mktemp("pipeline")
    source = folder / "news.jsonl"
    source.write_bytes(broken)
    out = folder / "run"
    code, out_text, err = run(["pipeline", str(source), "--out", str(out), "--on-bad", on_bad, "--quiet"])
    assert_convention(code, out_text, err, "pipeline")
    assert sorted(p.name for p in folder.iterdir()) == (["news.jsonl", "run"] if code == 0 else ["news.jsonl"])
    if code == 0:
        assert (out / "summary.json").is_file() and (out / "numeric_facts.draft.parquet").is_file()
