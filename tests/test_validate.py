"""`finnews validate`: the repository passes; each invalid fixture fails with exactly its rule(s)."""

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from finnews.checks.incidents import RULES, Incident, format_json, format_text
from finnews.checks.validate import VALIDATE_RULES, validate
from finnews.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p.name for p in (FIXTURES / "invalid").iterdir())


def materialise(case: str, tmp_path: Path) -> Path:
    """The mini corpus with the case's files laid over it (and its DELETE list removed)."""
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "mini", root)
    overlay = FIXTURES / "invalid" / case
    for f in overlay.rglob("*"):
        if f.is_file() and f.name not in ("DELETE", "expected.txt"):
            target = root / f.relative_to(overlay)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, target)
    if (overlay / "DELETE").exists():
        for relative in (overlay / "DELETE").read_text(encoding="utf-8").split():
            (root / relative).unlink()
    return root


def test_the_repository_validates():
    assert validate() == []


def test_the_mini_fixture_validates():
    assert validate(FIXTURES / "mini") == []


def test_every_rule_has_an_invalid_fixture_and_an_explanation():
    assert set(CASES) == set(VALIDATE_RULES)
    assert set(VALIDATE_RULES) <= set(RULES)


@pytest.mark.parametrize("case", CASES)
def test_invalid_fixture_reports_its_rule_at_the_right_line(case, tmp_path):
    expected = (FIXTURES / "invalid" / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    found = [f"{i.path}:{i.line}: {i.rule}" for i in validate(materialise(case, tmp_path))]
    assert case in {line.rsplit(": ", 1)[1] for line in expected}
    assert found == expected


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode() + p.read_bytes())
    return h.hexdigest()


def test_cli_reports_every_problem_as_path_line_rule_message_and_writes_nothing(tmp_path, monkeypatch, capsys):
    root = materialise("line-crlf", tmp_path)
    before = tree_digest(root)
    monkeypatch.setenv("FINNEWS_ROOT", str(root))
    assert main(["validate"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "annotations/entities.jsonl:1: line-crlf: line ends with CR LF"
    assert out[1].strip().startswith("(line-crlf: ")  # the explanation, once
    assert [line.split(": ")[1] for line in out if line.startswith("annotations/")] == ["line-crlf"] * 3
    assert out[-1] == "3 problems found"
    assert tree_digest(root) == before


def test_cli_json_format_and_path_filter(tmp_path, monkeypatch, capsys):
    root = materialise("quote-mismatch", tmp_path)
    monkeypatch.setenv("FINNEWS_ROOT", str(root))
    monkeypatch.chdir(root)
    assert main(["validate", "--format", "json", "annotations/entities.jsonl"]) == 1
    incidents = json.loads(capsys.readouterr().out)
    assert [(i["path"], i["line"], i["rule"]) for i in incidents] == [("annotations/entities.jsonl", 2, "quote-mismatch")]
    assert main(["validate", "annotations/stance.jsonl"]) == 0


def test_flood_of_one_rule_is_suppressed_after_the_limit():
    text = format_text([Incident("a.jsonl", n, "schema", "bad") for n in range(1, 26)], max_per_rule=20)
    assert text.count("a.jsonl:") == 20
    assert "... 5 more schema incidents suppressed" in text and text.endswith("25 problems found")
    assert json.loads(format_json([Incident("a.jsonl", 1, "schema", "bad")]))[0]["rule"] == "schema"


def test_fast_schema_verdicts_equal_the_python_validator():
    """validate asks jsonschema-rs first and the Python validator only for invalid records: their
    verdicts must agree, on the gold and on broken variants of it."""
    from finnews.data.jsonl import read_jsonl
    from finnews.data.paths import annotations_dir
    from finnews.data.schema import LAYER_SCHEMAS, fast_validator, validator

    broken = [
        lambda r: {k: v for k, v in r.items() if k != "start"},
        lambda r: {**r, "extra": 1},
        lambda r: {**r, "start": -1},
        lambda r: {**r, "id": "Not An Id"},
        lambda r: {**r, "review": {**r["review"], "checked_at": "2026-13-45"}},
        lambda r: {**r, "review": {**r["review"], "status": "done"}},
        lambda r: {**r, "review": {**r["review"], "annotator": "somebody"}},
    ]
    checked = 0
    for layer in ("sentences", "entities", "numeric_facts", "stance", "stance_labels"):
        name = LAYER_SCHEMAS[f"{layer}.jsonl"]
        for record in read_jsonl(annotations_dir() / f"{layer}.jsonl")[:40]:
            for candidate in [record] + [b(record) for b in broken]:
                assert fast_validator(name).is_valid(candidate) == validator(name).is_valid(candidate), (layer, candidate)
                checked += 1
    assert checked == 5 * 40 * 8


@pytest.mark.parametrize(
    "name, text",
    [
        ("corpus/splits.json", '{"version": "1", "rule": "r", "articles": {"mini": "train", "mini": "test"}}\n'),
        ("corpus/raw/SOURCE.json", '{"file": "page.txt", "file": "other.txt"}\n'),
    ],
)
def test_the_corpus_json_files_are_read_as_strictly_as_the_layers(name, text, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "mini", root)
    (root / name).write_text(text, encoding="utf-8")
    assert [(i.path, i.line, i.rule) for i in validate(root, [root / name])] == [(name, 0, "json-duplicate-key")]


def test_a_corpus_file_validate_does_not_read_is_refused_not_reported_valid(tmp_path, monkeypatch, capsys):
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "mini", root)
    (root / "corpus" / "articles.new.jsonl").write_text('{"broken\n', encoding="utf-8")
    monkeypatch.chdir(root)
    assert main(["validate", "corpus/articles.new.jsonl"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("finnews validate: error: corpus/articles.new.jsonl: validate does not read this file")
    assert err.count("\n") == 1
    assert main(["validate", "corpus/raw/page.txt", "corpus/raw/SOURCE.json", "corpus/splits.json"]) == 0


def test_layer_is_one_of_the_layers_and_names_the_layer_of_paths(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "--layer", "bogus"])
    assert exit_.value.code == 2
    assert "invalid choice: 'bogus'" in capsys.readouterr().err
    assert main(["validate", "--layer", "entities"]) == 2
    assert (
        capsys.readouterr().err == "finnews validate: error: --layer entities names the layer of PATHS: give the file to check\n"
    )


@pytest.mark.parametrize(
    "old, new, rule",
    [
        ('"id": "mini-e001"', '"id": "mini-e001\\n"', "schema"),  # only jsonschema-rs refuses: ECMA `$` is the end
        ('"checked_by": "human:fixture-b"', '"checked_by": "human:fixture-b\\n"', "schema"),
        ('"checked_at": "2026-11-26"', '"checked_at": "0000-01-01"', "review-date"),  # only the Python validator refuses
    ],
)
def test_a_record_either_schema_validator_refuses_is_reported_not_passed_or_crashed(old, new, rule, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "mini", root)
    entities = root / "annotations" / "entities.jsonl"
    entities.write_text(entities.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    assert [(i.path, i.line, i.rule) for i in validate(root)] == [("annotations/entities.jsonl", 1, rule)]


def test_a_byte_order_mark_in_a_corpus_json_file_is_encoding_bom(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "mini", root)
    splits = root / "corpus" / "splits.json"
    splits.write_bytes(b"\xef\xbb\xbf" + splits.read_bytes())
    assert [(i.path, i.line, i.rule) for i in validate(root)] == [("corpus/splits.json", 0, "encoding-bom")]
