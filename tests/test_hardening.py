"""Named regression tests for bad input: each case of issue #13 and each failure the fuzzing found
(tests/test_fuzz.py). Every one must end with exit 1 (the data or input is wrong, reported as
`path:line: rule: message`) or 2 (usage or environment, one line), never a traceback, and with every
file as it was."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from pathlib import Path

import pyarrow as pa
import pytest

from finnews.benchmark.evaluate import evaluate
from finnews.cli import main
from finnews.errors import UsageError

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
PREDICTIONS = FIXTURES / "predictions"


@pytest.fixture
def mini(tmp_path) -> Path:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    return root


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode() + p.read_bytes())
    return h.hexdigest()


def one_line_error(capsys, command: str) -> str:
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"finnews {command}: error: ") and err.count("\n") == 1, err
    return err


# ------------------------------------------------------------------------------------------------
# validate: a path is validated as the layer its name or --layer says, or refused


def test_validate_refuses_a_file_whose_layer_it_cannot_tell(mini, tmp_path, capsys):
    mine = tmp_path / "my_entities.jsonl"
    shutil.copy(mini / "annotations" / "entities.jsonl", mine)
    assert main(["--root", str(mini), "validate", str(mine)]) == 2
    assert "cannot tell which layer" in one_line_error(capsys, "validate")
    assert main(["--root", str(mini), "validate", str(mine), "--layer", "entities"]) == 0
    assert capsys.readouterr().out.strip() == "valid: no problems found"


def test_validate_refuses_a_path_that_does_not_exist(mini, capsys):
    assert main(["--root", str(mini), "validate", str(mini / "annotations" / "entites.jsonl")]) == 2
    assert "no such file" in one_line_error(capsys, "validate")


def test_validate_reads_a_draft_file_given_with_its_layer(mini, tmp_path, capsys):
    """The pipeline's numeric_facts.draft.jsonl holds records of input ids our pattern refuses."""
    draft = tmp_path / "numeric_facts.draft.jsonl"
    record = json.loads((mini / "annotations" / "numeric_facts.jsonl").read_text(encoding="utf-8").splitlines()[0])
    record = {
        **record,
        "id": "Doc 7-n001",
        "article": "Doc 7",
        "review": {"status": "draft", "annotator": "tool:x@1", "checked_by": None, "checked_at": None},
    }
    draft.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["--root", str(mini), "validate", str(draft), "--layer", "numeric_facts"]) == 1
    out = capsys.readouterr().out
    assert f"{draft}:1: schema: /article:" in out and f"{draft}:1: schema: /id:" in out


# ------------------------------------------------------------------------------------------------
# malformed JSON of every kind, in every reader


DEEP = '{"sentence": ' + "[" * 100_000 + "]" * 100_000 + "}\n"


def test_deep_nesting_is_a_reported_problem_everywhere(mini, tmp_path, capsys):
    layer = mini / "annotations" / "entities.jsonl"
    layer.write_text(layer.read_text(encoding="utf-8") + DEEP, encoding="utf-8")
    assert main(["--root", str(mini), "validate"]) == 1
    assert "annotations/entities.jsonl:4: json-syntax: the JSON is nested more than 64 levels deep" in capsys.readouterr().out
    predictions = tmp_path / "deep.jsonl"
    predictions.write_text(DEEP, encoding="utf-8")
    assert main(["--root", str(MINI), "evaluate", "--task", "ner", "--predictions", str(predictions)]) == 1
    assert f"{predictions}:1: json-syntax" in capsys.readouterr().err
    export = tmp_path / "export.json"
    export.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    before = digest(MINI)
    assert main(["--root", str(MINI), "import", "label-studio", str(export)]) == 1
    assert f"{export}:0: export-json" in capsys.readouterr().err and digest(MINI) == before


def test_a_json_syntax_message_reads_as_a_sentence(mini, capsys):
    layer = mini / "annotations" / "entities.jsonl"
    layer.write_text(layer.read_text(encoding="utf-8") + '{"id": "mini\n', encoding="utf-8")
    splits = mini / "corpus" / "splits.json"
    splits.write_text('{"version": "1",\n "rule": }\n', encoding="utf-8")
    assert main(["--root", str(mini), "validate"]) == 1
    out = capsys.readouterr().out
    assert "annotations/entities.jsonl:4: json-syntax: Unterminated string starting at: column 8\n" in out
    assert "corpus/splits.json:0: json-syntax: Expecting value: line 2 column 10\n" in out


def test_a_lone_surrogate_is_reported_on_its_line_and_the_rest_still_checked(mini, capsys):
    layer = mini / "annotations" / "entities.jsonl"
    lines = layer.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace('"id": "mini-e001"', '"id": "mini-e001\\ud800"')
    lines[2] = lines[2].replace('"start": 39', '"start": 40')  # another problem, further on
    layer.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["--root", str(mini), "validate"]) == 1
    out = capsys.readouterr().out
    assert "annotations/entities.jsonl:1: encoding-utf8: a string holds an unpaired surrogate escape" in out
    assert "annotations/entities.jsonl:3: quote-mismatch" in out


def test_a_float_offset_is_a_schema_problem_not_a_crash(mini, tmp_path, capsys):
    layer = mini / "annotations" / "entities.jsonl"
    layer.write_text(layer.read_text(encoding="utf-8").replace('"start": 16,', '"start": 16.0,'), encoding="utf-8")
    assert main(["--root", str(mini), "validate"]) == 1
    assert "annotations/entities.jsonl:2: schema: /start: 16.0 is not of type 'integer'" in capsys.readouterr().out
    predictions = tmp_path / "p.jsonl"
    predictions.write_text(
        '{"sentence": "mini-s000", "entities": [{"start": 0.0, "end": 2, "text": "腾讯", "type": "ORG"}]}\n', encoding="utf-8"
    )
    assert main(["--root", str(MINI), "evaluate", "--task", "ner", "--predictions", str(predictions)]) == 1
    assert f"{predictions}:1: schema: /entities/0/start" in capsys.readouterr().err


def test_a_holder_with_one_offset_is_a_schema_problem(mini, capsys):
    """Found by fuzzing: start set and end null reached the offset check, which compared int and None."""
    layer = mini / "annotations" / "stance.jsonl"
    layer.write_text(
        layer.read_text(encoding="utf-8").replace('"holder": {"start": 35, "end": 37', '"holder": {"start": 35, "end": null'),
        encoding="utf-8",
    )
    assert main(["--root", str(mini), "validate"]) == 1
    assert "annotations/stance.jsonl:1: schema: /holder" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda text: text + '{"id": broken\n', "annotations/entities.jsonl:4: json-syntax: "),
        (
            lambda text: text.replace('"start": 0, "end": 2, "text": "腾讯"', '"start": 100, "end": 102, "text": "腾讯"'),
            "annotations/entities.jsonl:1: offset-range: ",
        ),
    ],
    ids=["json-syntax", "offset-beyond-the-article"],
)
@pytest.mark.parametrize(
    "command", [["evaluate", "--task", "ner", "--predictions", str(PREDICTIONS / "ner.jsonl")], ["baseline", "--task", "ner"]]
)
def test_evaluate_and_baseline_refuse_annotations_that_do_not_validate(mini, capsys, damage, expected, command):
    """They read the checkout as build does: validated, bad data reported by line (was a traceback,
    or an entity beyond its article scored)."""
    layer = mini / "annotations" / "entities.jsonl"
    layer.write_text(damage(layer.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["--root", str(mini), *command]) == 1
    out, err = capsys.readouterr()
    assert out == "" and expected in err and "the data does not validate" in err


# ------------------------------------------------------------------------------------------------
# damaged releases (found by fuzzing): invalid UTF-8 in a column, a damaged nested field name


def damaged_release(tmp_path: Path, damage) -> tuple[Path, Path]:
    from tiny_release import write_release

    old, new = write_release(tmp_path / "old", "1.0.0"), write_release(tmp_path / "new", "1.0.1")
    path = new / "data" / "sentences" / "train.arrow"
    path.write_bytes(damage(path.read_bytes()))
    return old, new


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data.replace("港股回购潮".encode(), b"\xff\xfe" + "回购潮".encode()),  # invalid UTF-8 in a string column
        lambda data: data.replace(b"holder", b"\x80older"),  # a nested field name that is not UTF-8
    ],
    ids=["column", "field-name"],
)
def test_diff_reports_a_damaged_arrow_file_in_one_line(tmp_path, capsys, damage):
    old, new = damaged_release(tmp_path, damage)
    assert main(["diff", str(old), str(new)]) == 2
    assert "not a readable Arrow file" in one_line_error(capsys, "diff")


# ------------------------------------------------------------------------------------------------
# outputs that cannot be written, inputs that are folders


def blocked(path: Path) -> Path:
    """An output path that cannot be created: its parent is a file. (A read-only folder would not
    do: CI runs as root, who may write into one.)"""
    path.write_text("not a folder", encoding="utf-8")
    return path / "out"


@pytest.mark.parametrize(
    "argv",
    [
        ["build", "--out", "{out}"],
        ["show", "--out", "{out}"],
        ["export", "label-studio", "--layer", "entities", "--out", "{out}"],
        ["export", "brat", "--layer", "entities", "--out", "{out}"],
    ],
)
def test_an_output_that_cannot_be_written_is_one_line_and_leaves_nothing(mini, tmp_path, capsys, argv):
    out = blocked(tmp_path / "blocked")
    before = digest(mini)
    code = main(["--root", str(mini), *[a.replace("{out}", str(out)) for a in argv]])
    assert code == 2
    err = one_line_error(capsys, argv[0])
    assert "cannot write" in err or "not a directory" in err or "exists and is not" in err
    assert digest(mini) == before and sorted(p.name for p in tmp_path.iterdir()) == ["blocked", "mini"]


def test_import_of_a_folder_is_one_line(mini, tmp_path, capsys):
    assert main(["--root", str(mini), "import", "label-studio", str(tmp_path)]) == 2
    assert "is a directory" in one_line_error(capsys, "import")


# ------------------------------------------------------------------------------------------------
# the Python API


@pytest.mark.parametrize(
    "kwargs",
    [
        {"bootstrap": "10"},
        {"bootstrap": 2.5},
        {"bootstrap": -1},
        {"seed": "x"},
        {"predictions": [1, 2]},
        {"predictions": 7},
        {"release": 3},
        {"root": 4.5},
        {"protocol": "leave-one-out"},
        {"split": "dev"},
    ],
)
def test_the_python_api_refuses_arguments_of_the_wrong_kind_in_one_sentence(kwargs):
    arguments = {"task": "ner", "predictions": PREDICTIONS / "ner.jsonl", "root": MINI, **kwargs}
    with pytest.raises(UsageError) as caught:
        evaluate(**arguments)
    assert "\n" not in str(caught.value)


def test_the_release_mode_is_the_umask_s(mini, tmp_path):
    from finnews.release.build import build

    root = tmp_path / "root"
    shutil.copytree(Path(__file__).resolve().parents[1] / "corpus", root / "corpus")
    shutil.copytree(Path(__file__).resolve().parents[1] / "annotations", root / "annotations")
    shutil.copy(Path(__file__).resolve().parents[1] / "datasheet.md", root / "datasheet.md")
    mask = os.umask(0o027)
    try:
        built = build(out=tmp_path / "release", root=root, version="9.9.9").path
    finally:
        os.umask(mask)
    assert stat.S_IMODE(built.stat().st_mode) == 0o750
    assert stat.S_IMODE((built / "data").stat().st_mode) == 0o750
    assert stat.S_IMODE((built / "MANIFEST.json").stat().st_mode) == 0o640


def test_arrow_tables_of_a_release_are_checked_before_use(tmp_path):
    """A truncated IPC file is refused with the reader's one-line error, not read half."""
    from finnews.release.read import ReleaseError, read_arrow

    table = pa.table({"id": ["a", "b"]})
    path = tmp_path / "t.arrow"
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(ReleaseError, match="not a readable Arrow file"):
        read_arrow(path)


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda task: task["data"].update(article=[]), "task-unmapped"),  # an article id that is a list
        (lambda task: task["data"].update(layer=["entities"]), "export-json"),  # a layer that is a list
        (lambda task: task.update(annotations=7), "export-json"),  # annotations that are not a list
        # an e-mail that is a number, on an annotation that is not applied (the most recent one is): imported
        (lambda task: task["annotations"][0]["completed_by"].update(email=12), None),
    ],
    ids=["article-list", "layer-list", "annotations-number", "email-number"],
)
def test_a_label_studio_export_of_the_wrong_shape_is_reported(mini, tmp_path, capsys, change, expected):
    """Found by fuzzing the import: each of these raised a TypeError."""
    tasks = json.loads((FIXTURES / "labelstudio" / "mini-entities-edited.json").read_text(encoding="utf-8"))
    change(tasks[0])
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    before = digest(mini)
    code = main(["--root", str(mini), "import", "label-studio", str(export), "--checked-at", "2026-11-30"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if expected is None:
        assert code == 0 and f"wrote {mini / 'annotations' / 'entities.jsonl'}" in out
    else:
        assert code == 1 and f"{export}:" in err and f": {expected}: " in err
        assert digest(mini) == before and "nothing written" in err


def _result(tasks: list, found) -> dict:
    return next(r for r in tasks[0]["annotations"][0]["result"] if found(r))


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (lambda tasks: _result(tasks, lambda r: r["type"] == "relation").update(from_id=[1]), "export-json"),
        (lambda tasks: _result(tasks, lambda r: r["type"] == "relation").update(to_id={}), "export-json"),
        (lambda tasks: _result(tasks, lambda r: r.get("from_name") == "polarity").update(from_name=[]), "export-json"),
        (
            lambda tasks: _result(tasks, lambda r: r.get("from_name") == "polarity")["value"].update(choices=-1),
            "attribute-invalid",
        ),
        (lambda tasks: _result(tasks, lambda r: r.get("from_name") == "stance")["value"].update(start=True), "export-json"),
    ],
    ids=["relation-from-list", "relation-to-object", "control-list", "choices-number", "start-bool"],
)
def test_a_label_studio_result_of_the_wrong_type_is_reported(mini, tmp_path, capsys, change, rule):
    """Found by fuzzing the import: the first four raised a TypeError, the last was read as offset 1."""
    assert main(["--root", str(mini), "export", "label-studio", "--layer", "stance", "--out", str(tmp_path)]) == 0
    export = tmp_path / "stance.label-studio.json"
    tasks = json.loads(export.read_text(encoding="utf-8"))
    change(tasks)
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    before = digest(mini)
    code = main(["--root", str(mini), "import", "label-studio", str(export), "--annotator", "human:carol"])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in out + err and digest(mini) == before
    assert f"{export}:1: {rule}: " in err, err


def test_an_input_that_cannot_be_read_inside_a_staged_write_is_named_as_an_input(tmp_path):
    from finnews.data.files import staged_folder

    with pytest.raises(UsageError, match=r"^cannot read .*missing\.txt: No such file or directory$"):
        with staged_folder(tmp_path / "out"):
            (tmp_path / "missing.txt").read_text(encoding="utf-8")
    with pytest.raises(UsageError, match=r"^cannot write .*out: No such file or directory$"):
        with staged_folder(tmp_path / "out") as tmp:
            (tmp / "no-such-folder" / "file.txt").write_text("x", encoding="utf-8")
    assert list(tmp_path.iterdir()) == []
