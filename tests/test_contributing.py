"""CONTRIBUTING.md, followed word for word.

The commands are read from the document itself: every ```bash block preceded by a
`<!-- walkthrough: NAME -->` line, its `<placeholders>` filled in. They run in a fresh `git clone` of
this repository's committed HEAD, in order, as a contributor, a checker and a maintainer would:
set up, fix a record by hand, check it and commit it, have it checked, import a real Label Studio
export (tests/fixtures/labelstudio-1.23.2), build and diff a new version, dry-run the publication.
The steps the document leaves to the reader's hands (editing a line, bumping the version, exporting
from Label Studio) are done here as the document describes them.

Three things differ from a contributor's terminal, each for a stated reason (RUN_INSTEAD):
- `pip install -e ".[dev]"` is not run: the environment running this test has what it installs (the
  `test` extra, which CI installs, holds pre-commit; the `dev` extra is checked to include it), and
  the clone's own code is used through PYTHONPATH;
- `pytest -q` runs the tests that fail while a generated block is stale (the whole suite would run
  this walkthrough again, and take minutes);
- `/tmp/` is this test's temporary folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import tomllib

from finnews.data.jsonl import dumps

CHECKOUT = Path(__file__).resolve().parents[1]
DOC = CHECKOUT / "CONTRIBUTING.md"
REAL_EXPORT = CHECKOUT / "tests" / "fixtures" / "labelstudio-1.23.2" / "entities-ui-edit.export.json"
WALKTHROUGH = ("setup", "find", "check", "commit", "checker", "ls-export", "ls-import", "release", "publish-dry-run")
NOT_RUN = [["finnews publish dist/finnews-zh-<new-version> --repo-id <owner>/finnews-zh"]]  # needs the Hub and a token
BLOCK = re.compile(
    r"(?:^[ \t]*<!-- walkthrough: (?P<name>[a-z-]+) -->[ \t]*\n)?^[ \t]*```bash[ \t]*\n(?P<body>.*?)^[ \t]*```", re.M | re.S
)
PLACEHOLDER = re.compile(r"<([a-z][a-z.\- ]*)>")
STALE_BLOCK_TESTS = "tests/test_baselines.py::test_committed_generated_blocks_are_current tests/test_datasheet.py"
RUN_INSTEAD = {'pip install -e ".[dev]"': None, "pytest -q": f"pytest -q -p no:cacheprovider {STALE_BLOCK_TESTS}"}


def bash_blocks(text: str) -> list[tuple[str | None, list[str]]]:
    """(walkthrough name or None, commands) of every ```bash block, comments and blank lines left out."""
    return [
        (m["name"], [line.strip() for line in m["body"].splitlines() if line.strip() and not line.strip().startswith("#")])
        for m in BLOCK.finditer(text)
    ]


def walkthrough_blocks() -> dict[str, list[str]]:
    return {name: commands for name, commands in bash_blocks(DOC.read_text(encoding="utf-8")) if name}


def test_every_command_block_is_walked_through_or_said_why_not():
    blocks = bash_blocks(DOC.read_text(encoding="utf-8"))
    assert [name for name, _ in blocks if name] == list(WALKTHROUGH)
    assert [commands for name, commands in blocks if not name] == NOT_RUN
    used = {p for _, commands in blocks for line in commands for p in PLACEHOLDER.findall(line)}
    assert used == {"record-id", "layer", "what changed", "rule", "version", "export.json", "you", "new-version", "owner"}


def test_the_dev_extra_installs_what_contributors_run():
    extras = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    names = {re.split(r"[<>=\[ ]", requirement)[0] for requirement in extras["dev"] + extras["test"]}
    assert {"finnews-zh", "pre-commit", "ruff"} <= names and "finnews-zh[test]" in extras["dev"]  # ruff comes with test
    assert walkthrough_blocks()["setup"][0] in RUN_INSTEAD


class Walkthrough:
    """Runs a block's commands in the clone, placeholders filled in; keeps every output."""

    def __init__(self, clone: Path, tmp: Path, values: dict[str, str]):
        self.clone, self.tmp, self.values = clone, tmp, values
        self.env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONPATH": str(clone / "src"),
            "PRE_COMMIT_HOME": str(tmp / "pre-commit-home"),
            "GIT_AUTHOR_NAME": "Walk Through",
            "GIT_AUTHOR_EMAIL": "walkthrough@example.org",
            "GIT_COMMITTER_NAME": "Walk Through",
            "GIT_COMMITTER_EMAIL": "walkthrough@example.org",
        }
        self.env.pop("FINNEWS_ROOT", None)
        self.blocks = walkthrough_blocks()

    def command(self, line: str) -> str | None:
        if line in RUN_INSTEAD:
            return RUN_INSTEAD[line]
        missing = set(PLACEHOLDER.findall(line)) - set(self.values)
        assert not missing, f"no value for {missing} in {line!r}"
        return PLACEHOLDER.sub(lambda m: self.values[m[1]], line.replace("/tmp/", f"{self.tmp}/"))

    def shell(self, line: str) -> str:
        done = subprocess.run(["bash", "-c", line], cwd=self.clone, env=self.env, capture_output=True, text=True, timeout=600)
        output = done.stdout + done.stderr
        assert done.returncode == 0 and "Traceback" not in output, f"$ {line}\nexit {done.returncode}\n{output}"
        return output

    def block(self, name: str) -> dict[str, str]:
        """Run a block; its output per command as written in the document."""
        outputs = {}
        for line in self.blocks[name]:
            command = self.command(line)
            if command is not None:
                outputs[line] = self.shell(command)
        return outputs


def edit_record(path: Path, record_id: str, change) -> dict:
    """Rewrite one line of a layer file, as a contributor does in an editor; the other lines keep their bytes."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(f'{{"id": "{record_id}"'))
    record = json.loads(lines[number])
    change(record)
    lines[number] = dumps(record)
    path.write_text("\n".join(lines), encoding="utf-8")
    return record


def bumped(version: str) -> str:
    major, minor, patch = version.split(".")
    return f"{major}.{minor}.{int(patch) + 1}"


@pytest.mark.slow
def test_contributing_word_for_word(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(CHECKOUT), str(clone)], check=True)
    entities = clone / "annotations" / "entities.jsonl"
    records = [json.loads(line) for line in entities.read_text(encoding="utf-8").splitlines() if line.strip()]
    # a company outside hk-buybacks (the Label Studio export below covers all of hk-buybacks)
    fixed = next(
        r for r in records if r["type"] == "COMPANY" and r["article"] != "hk-buybacks" and r["review"]["status"] == "checked"
    )
    version = tomllib.loads((clone / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    today = date.today().isoformat()
    values = {
        "record-id": fixed["id"],
        "layer": "entities",
        "you": "walkthrough",
        "what changed": "type COMPANY -> ORG",
        "rule": "§2",
        "version": version,
        "new-version": bumped(version),
        "owner": "example",
        "export.json": str(tmp_path / "project-1-at-2026-11-30-export.json"),
    }
    walk = Walkthrough(clone, tmp_path, values)
    assert walk.shell("python -c 'import finnews; print(finnews.__file__)'").strip() == str(
        clone / "src" / "finnews" / "__init__.py"
    )

    # set up
    out = walk.block("setup")
    assert "pre-commit installed" in out["pre-commit install"]
    assert f"built: {clone / 'dist' / f'finnews-zh-{version}'}" in out["finnews build"]

    # fixing it by hand: find the line, edit it (type and review block), check, commit
    out = walk.block("find")
    assert f'"id": "{fixed["id"]}"' in out[walk.blocks["find"][0]]

    def fix(record: dict) -> None:
        record["type"] = "ORG"
        record["review"] = {
            "status": "draft",
            "annotator": "human:walkthrough",
            "checked_by": None,
            "checked_at": None,
            "note": f"type COMPANY -> ORG (GUIDELINES §2); the record was {fixed['review']['annotator']}'s",
        }

    edit_record(entities, fixed["id"], fix)
    out = walk.block("check")
    assert out["finnews validate"].strip() == "valid: no problems found"
    assert "regenerated" in out["python scripts/regenerate.py"]
    assert f'"id": "{fixed["id"]}"' in out["git diff"] and "results/baselines.json" in out["git diff"]
    assert " passed" in out["pytest -q"] and "failed" not in out["pytest -q"]
    out = walk.block("commit")
    assert re.search(r"finnews validate\.+Passed", next(iter(out.values())))  # the pre-commit hook ran
    assert walk.shell("git status --porcelain").strip() == ""

    # checking the fix: someone else sets the review block
    edit_record(
        entities,
        fixed["id"],
        lambda r: r.update(review={**r["review"], "status": "checked", "checked_by": "human:checker", "checked_at": today}),
    )
    out = walk.block("checker")
    assert out["finnews validate"].strip() == "valid: no problems found"
    diff = out[walk.blocks["checker"][2]]
    assert fixed["id"] in diff and "ORG" in diff

    # fixing it in Label Studio: export, (edit in Label Studio: the real export), import
    walk.block("ls-export")
    assert sorted(p.name for p in (tmp_path / "ls").iterdir()) == ["entities.label-studio.json", "entities.label-studio.xml"]
    shutil.copy(REAL_EXPORT, values["export.json"])
    out = walk.block("ls-import")
    dry, real, *_ = out.values()
    assert '~ hk-buybacks-e005 type: "COMPANY" -> "ORG"' in dry and "消费电子" in dry and "dry run: nothing written" in dry
    assert dry.splitlines()[:-1] == real.splitlines()[:-1] and f"wrote {entities}" in real
    assert out["finnews validate"].strip() == "valid: no problems found"
    walk.shell("git commit --quiet -am 'entities: corrections made in Label Studio'")

    # a release: bump the version in pyproject.toml (no reinstall), build, diff, publish (dry run)
    pyproject = clone / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace(f'version = "{version}"', f'version = "{bumped(version)}"', 1), encoding="utf-8")
    out = walk.block("release")
    assert f"built: {clone / 'dist' / f'finnews-zh-{bumped(version)}'}" in out["finnews build"]
    diff = out[walk.blocks["release"][1]]
    assert fixed["id"] in diff and "hk-buybacks-e005" in diff  # checked: changed; the Label Studio edits: drafts, so left out
    walk.block("publish-dry-run")
