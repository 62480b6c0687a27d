"""`finnews diff`: rows added, removed and changed per config and split, on hand-made releases."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from datasets import ClassLabel, Features, List, Value
from hub_server import FakeHub
from tiny_release import FEATURES, SPAN, base_rows, entity, sentence, write_release

import finnews.release.build
from finnews import cli
from finnews.errors import UsageError
from finnews.release.diff import diff_releases, diff_working_tree, format_json, format_text


@pytest.fixture(autouse=True)
def registered(monkeypatch):
    monkeypatch.setattr(cli, "COMMANDS", tuple(dict.fromkeys((*cli.COMMANDS, "diff"))))


@pytest.fixture
def old(tmp_path) -> Path:
    return write_release(tmp_path / "finnews-zh-1.0.0", "1.0.0")


def edited_rows() -> dict:
    """base_rows() with one of each kind of change, described here rather than derived from the code."""
    rows = base_rows()
    train = {r["id"]: r for r in rows["sentences"]["train"]}
    s1 = train["s-1"]
    s1["entities"][0]["type"] = "COMPANY"  # element field, a ClassLabel
    s1["entities"].append(entity("e-9", 2, 4, "回购", "ORG"))  # element added
    s1["ner_tags"][2] = "B-ORG"  # one position of a label list
    s2 = train["s-2"]
    s2["stance"][0]["holder"]["text"] = "人士"  # nested struct inside an element
    s2["stance_label"] = "neutral"  # row-level ClassLabel
    train["s-10"]["entities"] = []  # element removed
    train["s-10"]["ner_tags"][3:5] = ["B-ORG", "I-ORG"]  # consecutive positions
    rows["sentences"]["train"] = [s1, s2, train["s-10"], sentence("s-3", "新句子")]  # row added
    rows["sentences"]["test"] = []  # row s-30 removed
    rows["articles"]["validation"][0]["title"] = "算力产业"
    return rows


def test_identical_releases_have_no_differences(old, tmp_path):
    diff = diff_releases(old, write_release(tmp_path / "again", "1.0.1"))
    assert diff["totals"] == {"added": 0, "removed": 0, "changed": 0}
    assert set(diff["configs"]) == {"sentences", "articles"}
    assert list(diff["configs"]["sentences"]) == ["train", "validation", "test"]
    assert (diff["old"]["version"], diff["new"]["version"]) == ("1.0.0", "1.0.1")


def test_added_removed_and_changed_rows_with_their_fields(old, tmp_path):
    diff = diff_releases(old, write_release(tmp_path / "new", "1.0.1", edited_rows()))
    train = diff["configs"]["sentences"]["train"]

    assert list(train["added"]) == ["s-3"] and train["added"]["s-3"]["text"] == "新句子"
    assert train["removed"] == {}
    assert list(train["changed"]) == ["s-1", "s-2", "s-10"]  # natural id order
    s1 = train["changed"]["s-1"]
    assert s1["fields"] == {"ner_tags[2]": {"old": "O", "new": "B-ORG"}}
    entities = s1["lists"]["entities"]
    assert entities["changed"] == {"e-1": {"fields": {"type": {"old": "ORG", "new": "COMPANY"}}, "lists": {}}}
    assert entities["added"] == {"e-9": {"id": "e-9", "start": 2, "end": 4, "text": "回购", "type": "ORG"}}
    assert entities["removed"] == {}
    s2 = train["changed"]["s-2"]
    assert s2["fields"] == {"stance_label": {"old": "positive", "new": "neutral"}}
    assert s2["lists"]["stance"]["changed"]["st-1"]["fields"] == {"holder.text": {"old": "分析", "new": "人士"}}
    assert train["changed"]["s-10"]["lists"]["entities"]["removed"]["e-2"]["type"] == "GPE"
    assert train["changed"]["s-10"]["fields"] == {
        "ner_tags[3]": {"old": "O", "new": "B-ORG"},
        "ner_tags[4]": {"old": "O", "new": "I-ORG"},
    }

    assert list(diff["configs"]["sentences"]["test"]["removed"]) == ["s-30"]
    assert diff["configs"]["articles"]["validation"]["changed"]["a-2"]["fields"] == {"title": {"old": "算力", "new": "算力产业"}}
    assert diff["totals"] == {"added": 1, "removed": 1, "changed": 4}


def test_labels_are_compared_by_name_with_each_release_s_own_label_set(old, tmp_path):
    reordered = Features(
        {
            **FEATURES["sentences"],
            "entities": List({"id": Value("string"), **SPAN, "type": ClassLabel(names=["GPE", "ORG", "COMPANY", "PRODUCT"])}),
            "stance_label": ClassLabel(names=["positive", "neutral", "negative"]),
        }
    )
    new = write_release(tmp_path / "new", "1.0.1", features={"sentences": reordered})
    assert diff_releases(old, new)["totals"] == {"added": 0, "removed": 0, "changed": 0}


def test_columns_and_tables_present_in_one_release_only(old, tmp_path):
    with_column = Features({**FEATURES["articles"], "date": Value("string")})
    rows = base_rows()
    rows["articles"] = {split: [{**r, "date": "2024-12-31"} for r in records] for split, records in rows["articles"].items()}
    rows["sentences"].pop("validation")
    diff = diff_releases(old, write_release(tmp_path / "new", "1.0.1", rows, features={"articles": with_column}))
    assert diff["configs"]["articles"]["train"]["columns_added"] == ["date"]
    assert diff["configs"]["articles"]["train"]["changed"] == {}  # the new column is reported once, not per row
    gone = diff["configs"]["sentences"]["validation"]
    assert gone["only_in"] == "old" and list(gone["removed"]) == ["s-20"]


def test_text_output_is_readable_and_stable(old, tmp_path):
    new = write_release(tmp_path / "new", "1.0.1", edited_rows())
    text = format_text(diff_releases(old, new))
    assert text == format_text(diff_releases(old, new))
    lines = text.splitlines()
    assert lines[0] == f"old: {old} (1.0.0)" and lines[1] == f"new: {new} (1.0.1)"
    assert "sentences/train: +1 -0 ~3" in lines and "sentences/validation: no changes" in lines
    assert '  + s-3  "新句子"' in lines and '  - s-30  "市场平稳"' in lines
    assert lines.index("  ~ s-1") < lines.index("  ~ s-2") < lines.index("  ~ s-10")
    assert '      entities: + e-9 {start: 2, end: 4, text: "回购", type: "ORG"}' in lines
    assert "      entities: ~ e-1" in lines and '          type: "ORG" -> "COMPANY"' in lines
    assert '      ner_tags[2]: "O" -> "B-ORG"' in lines
    assert '      ner_tags[3..4]: ["O", "O"] -> ["B-ORG", "I-ORG"]' in lines
    tables = [line.split(":")[0] for line in lines if not line.startswith(" ")][2:-1]
    assert tables == [f"{c}/{s}" for c in ("sentences", "articles") for s in ("train", "validation", "test")]
    assert lines[-1] == "total: 1 added, 1 removed, 4 changed rows"


def test_cli_json_output_and_exit_codes(old, tmp_path, capsys):
    new = write_release(tmp_path / "new", "1.0.1", edited_rows())
    assert cli.main(["diff", str(old), str(new), "--format", "json"]) == 0  # differences are not an error
    assert json.loads(capsys.readouterr().out) == json.loads(format_json(diff_releases(old, new)))
    assert cli.main(["diff", str(old), str(old)]) == 0
    assert "total: 0 added, 0 removed, 0 changed rows" in capsys.readouterr().out

    assert cli.main(["diff", str(old), str(tmp_path / "missing")]) == 2
    assert "no such release folder" in capsys.readouterr().err
    (tmp_path / "plain").mkdir()
    assert cli.main(["diff", str(tmp_path / "plain"), str(new)]) == 2
    assert "not a release folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "MANIFEST.json").write_text('{"version": "0", "files": []}', encoding="utf-8")
    assert cli.main(["diff", str(old), str(tmp_path / "empty")]) == 2
    assert "no data/<config>/<split>.arrow" in capsys.readouterr().err
    assert cli.main(["diff", str(old)]) == 2
    assert "--working-tree" in capsys.readouterr().err


def test_working_tree_is_built_into_a_temporary_folder_and_compared(old, tmp_path, monkeypatch, capsys):
    calls = []

    def fake_build(out, root=None, **kwargs):  # stands in for the real build, which has its own tests
        calls.append((Path(out), root))
        write_release(Path(out), "1.0.1", edited_rows())
        return finnews.release.build.BuildResult(Path(out), {}, {}, unchanged=False)

    monkeypatch.setattr(finnews.release.build, "build", fake_build)
    diff = diff_working_tree(old, root=tmp_path / "data-root")
    assert diff["new"]["path"] == "working tree" and diff["totals"]["changed"] == 4
    ((out, root),) = calls
    assert root == tmp_path / "data-root" and not out.exists() and not out.parent.exists()  # cleaned up

    for argv in (["diff", str(old), "."], ["diff", str(old), "--working-tree"]):
        assert cli.main(argv) == 0
        assert capsys.readouterr().out.splitlines()[1] == "new: working tree (1.0.1)"
    assert cli.main(["diff", str(old), str(old), "--working-tree"]) == 2
    assert len(calls) == 3


def test_a_bad_old_release_fails_before_building_the_working_tree(tmp_path, monkeypatch):
    monkeypatch.setattr(finnews.release.build, "build", lambda *a, **k: pytest.fail("built despite a bad OLD"))
    with pytest.raises(UsageError, match="no such release folder"):
        diff_working_tree(tmp_path / "missing")


@pytest.mark.parametrize("spec", ["dist/finnews-zh-1.0.0", "someone/finnews-zh"])
def test_a_missing_folder_or_an_id_without_a_revision_is_no_such_release_folder(spec, old, tmp_path, monkeypatch, capsys):
    """Only OWNER/NAME@REVISION is a Hub id: a mistyped folder is never looked up on the Hub."""
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    assert cli.main(["diff", spec, str(old)]) == 2
    assert capsys.readouterr().err == (
        f"finnews diff: error: {spec}: no such release folder (a Hub dataset is OWNER/NAME@REVISION)\n"
    )
    assert time.monotonic() - started < 5


def test_a_hub_release_that_cannot_be_read_is_one_line_with_exit_2(old, tmp_path):
    files = {p.relative_to(old).as_posix(): p.read_bytes() for p in old.rglob("*") if p.is_file()}
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env.update(HF_HOME=str(tmp_path / "hf-home"), HF_HUB_DISABLE_XET="1", HF_HUB_DISABLE_TELEMETRY="1")

    def diff(spec: str, **more: str) -> subprocess.CompletedProcess:
        argv = [sys.executable, "-m", "finnews", "diff", spec, str(old)]
        return subprocess.run(argv, capture_output=True, text=True, env={**env, **more}, timeout=120)

    with FakeHub(lifetime=120) as hub:
        hub.add_repo("someone/finnews-zh", files=files, tags=("v1.0.0",))
        results = {
            "revision": diff("someone/finnews-zh@v9.9.9", HF_ENDPOINT=hub.url),
            "repo": diff("someone/nothere@v1.0.0", HF_ENDPOINT=hub.url),
            "offline": diff("someone/finnews-zh@v1.0.0", HF_HUB_OFFLINE="1"),
        }
    for case, result in results.items():
        assert (result.returncode, result.stdout) == (2, ""), (case, result.stderr)
        assert result.stderr.startswith("finnews diff: error: cannot read the configs of someone/"), (case, result.stderr)
        assert result.stderr.count("\n") == 1, (case, result.stderr)
    assert "Revision 'v9.9.9' doesn't exist" in results["revision"].stderr


def test_a_release_missing_a_data_file_its_manifest_lists_is_bad_input(old, tmp_path, capsys):
    new = write_release(tmp_path / "new", "1.0.1")
    for table in (new / "data" / "articles").iterdir():
        table.unlink()
    (new / "data" / "articles").rmdir()
    assert cli.main(["diff", str(old), str(new)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert [line for line in err.splitlines() if ":0: " in line] == [
        f"{new}/data/articles/{split}.arrow:0: release-file-missing: listed in MANIFEST.json but missing"
        for split in ("test", "train", "validation")
    ]
