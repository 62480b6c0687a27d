"""The package as its users get it: a wheel that holds everything it needs, every import declared,
and the installed `finnews` working from an empty folder against a release alone (a folder, or a
Hub dataset served the way the Hub API serves it)."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import sysconfig
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
import tomllib
from hub_server import FakeHub

from finnews.benchmark.baselines import baseline
from finnews.benchmark.predictions import TASKS
from finnews.data.jsonl import dumps
from finnews.release.build import build

CHECKOUT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        '[project]\nname = "x"\nkeywords = ["a"]\nversion = "9.9.9"\n',
        '[project]  # the package\nkeywords = [\n  "a",\n]\n  version = "2.0"\n',
        'x = 1\n[project]\nname = "x"\n[tool.x]\nversion = "1"\n',
        (CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"),
    ],
)
def test_the_release_version_is_the_project_tables_version_as_tomllib_reads_it(text, tmp_path):
    from finnews.data.version import project_version

    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    assert project_version(tmp_path) == tomllib.loads(text)["project"].get("version")


def test_the_package_list_is_every_package_and_the_schemas():
    src = CHECKOUT / "src"
    found = {p.parent.relative_to(src).as_posix().replace("/", ".") for p in src.rglob("__init__.py")}
    assert set(PYPROJECT["tool"]["setuptools"]["packages"]) == found | {"finnews.schemas", "finnews.schemas.predictions"}
    assert PYPROJECT["tool"]["setuptools"]["package-dir"]["finnews.schemas"] == "annotations/schema"


def _requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!\[; ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def test_every_third_party_import_is_a_declared_dependency():
    """Core modules import only core dependencies; modules of an extra only that extra's (or core)."""
    project = PYPROJECT["project"]
    core = _requirement_names(project["dependencies"])
    extras = {name: _requirement_names(reqs) for name, reqs in project["optional-dependencies"].items()}
    # imported inside the functions that need them (or for type hints only)
    optional = {"jieba": "baselines", "sklearn_crfsuite": "baselines", "pyspark": "spark"}
    distributions = {module: {d.lower().replace("_", "-") for d in dists} for module, dists in packages_distributions().items()}
    stdlib = set(sys.stdlib_module_names)
    missing = []
    for path in sorted((CHECKOUT / "src" / "finnews").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
                else []
            )
            for name in names:
                top = name.split(".")[0]
                if top in stdlib or top == "finnews":
                    continue
                declared = core | extras.get(optional.get(top, ""), set())
                if not distributions.get(top, {top}) & declared:
                    missing.append(f"{path.relative_to(CHECKOUT)}: {top}")
    assert missing == []


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel of this checkout installed into a new virtual environment, which sees the test
    environment's third-party packages (already installed from the same declared dependencies)
    but not this checkout: its finnews is the wheel's."""
    work = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--verbose", "--no-deps", "--wheel-dir", str(work / "dist"), str(CHECKOUT)],
        check=True,
        capture_output=True,
        text=True,
    )
    assert "Package would be ignored" not in built.stdout + built.stderr  # a folder left out of `packages`
    [wheel] = (work / "dist").glob("finnews_zh-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "test-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True
    )
    return venv


def run(venv: Path, args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("FINNEWS_", "HF_", "PYTHON"))}
    return subprocess.run(
        [str(venv / "bin" / "finnews"), *args], cwd=cwd, capture_output=True, text=True, env={**clean, **env}, timeout=300
    )


@pytest.mark.slow
def test_the_installed_wheel_works_outside_any_checkout(installed, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    code = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import finnews, finnews.data.paths as p; print(finnews.__file__); print(p.schema_dir())",
        ],
        cwd=empty,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert not code[0].startswith(str(CHECKOUT)) and code[1].endswith("finnews/schemas")

    shown = run(installed, ["--help"], empty)
    assert shown.returncode == 0 and "evaluate" in shown.stdout and shown.stderr == ""
    as_module = subprocess.run(
        [str(installed / "bin" / "python"), "-m", "finnews", "--help"], cwd=empty, capture_output=True, text=True, timeout=60
    )
    assert (as_module.returncode, as_module.stdout, as_module.stderr) == (0, shown.stdout, "")

    refused = run(installed, ["validate"], empty)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.startswith("finnews validate: error: no FinNews-ZH data root at or above")
    assert refused.stderr.count("\n") == 1 and "--root DIR or set FINNEWS_ROOT" in refused.stderr


@pytest.mark.slow
def test_evaluate_needs_only_a_release_a_folder_or_a_hub_id(installed, tmp_path):
    """The same figures from the checkout, from a release folder and from the Hub (through
    datasets.load_dataset, HF_ENDPOINT pointing at a local server holding the release at a tag);
    then again offline from the cache (HF_HUB_OFFLINE=1)."""
    release = build(out=tmp_path / "finnews-zh-9.9.9", version="9.9.9").path
    empty = tmp_path / "empty"
    empty.mkdir()
    files = {p.relative_to(release).as_posix(): p.read_bytes() for p in release.rglob("*") if p.is_file()}
    hub_env = {"HF_HOME": str(tmp_path / "hf-home"), "HF_HUB_DISABLE_XET": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}
    with FakeHub(lifetime=240) as hub:
        hub.add_repo("someone/finnews-zh", files=files, tags=("v9.9.9",))
        for task in TASKS:
            predictions = tmp_path / f"{task}.jsonl"
            lines = baseline("gold" if task == "ner" else {"numeric_facts": "digits", "stance": "lexicon"}[task], task, "test")
            predictions.write_text("".join(dumps(line) + "\n" for line in lines), encoding="utf-8")
            args = ["evaluate", "--task", task, "--predictions", str(predictions), "--format", "json", "--bootstrap", "200"]
            checkout = run(installed, [*args], CHECKOUT)
            folder = run(installed, [*args, "--release", str(release)], empty)
            from_hub = run(installed, [*args, "--release", "someone/finnews-zh@v9.9.9"], empty, HF_ENDPOINT=hub.url, **hub_env)
            offline = run(installed, [*args, "--release", "someone/finnews-zh@v9.9.9"], empty, HF_HUB_OFFLINE="1", **hub_env)
            for result in (checkout, folder, from_hub, offline):
                assert result.returncode == 0, result.stderr
            figures = [json.loads(r.stdout)["metrics"] for r in (checkout, folder, from_hub, offline)]
            assert figures[0] == figures[1] == figures[2] == figures[3], task
        assert ("GET", "/datasets/someone/finnews-zh/resolve/v9.9.9/README.md") in hub.calls()
        baseline_run = run(
            installed, ["baseline", "majority", "--task", "stance", "--protocol", "cv", "--release", str(release)], empty
        )
        assert baseline_run.returncode == 0 and len(baseline_run.stdout.splitlines()) == 116
