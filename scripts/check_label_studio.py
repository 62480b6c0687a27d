"""Re-check that the Label Studio round trip works with a real Label Studio server.

    python scripts/check_label_studio.py                     # Label Studio 1.23.2
    python scripts/check_label_studio.py --version 1.24.0    # another release from PyPI

For maintainers; not part of CI or the test suite (it installs Label Studio, several hundred MB, into
its own virtual environment, and runs its server for a minute or two). For each layer it:
1. copies the corpus and annotations into a temporary data root (this checkout is never changed);
2. starts Label Studio from its own virtual environment (--venv, made with pip if it lacks that
   version) on a free localhost port, with a throwaway data folder and an API token;
3. creates a project from `finnews export label-studio`'s labeling config and imports its tasks
   (every article, the records as predictions, as CONTRIBUTING.md says);
4. submits through the REST API one edit on the first task (entities: relabel a region and add one;
   numeric facts: change `approx`; stance: change `polarity`) and the unedited predictions on the
   second task;
5. exports the project as JSON and runs `finnews import label-studio` on the export: the command
   of CONTRIBUTING.md without --annotator must stop with one line naming --annotator (the export
   names its user by a bare id), and with it the diff must be exactly the intended edits (the
   unedited submission changes nothing).
The server is stopped at the end, whatever happens. Exit 0 when every layer passes, 1 otherwise,
2 when Label Studio cannot be installed or started. Record the version and the result in
CONTRIBUTING.md ("Label Studio compatibility").
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from finnews.interop.layers import diff_records

REPO = Path(__file__).resolve().parents[1]
LAYERS = ("entities", "numeric_facts", "stance")
USER, PASSWORD, TOKEN = "check@example.org", "check-label-studio-1", "finnews0check0label0studio0token0"
ANNOTATOR = "human:check-label-studio"


class CheckFailed(Exception):
    """The round trip did not do what it should: the message says what differed."""


# ---------------------------------------------------------------- Label Studio's own environment


def ensure_label_studio(venv: Path, version: str) -> Path:
    """venv/bin/label-studio of the wanted version, installing it there when needed."""
    python = venv / "bin" / "python"
    if not python.is_file():
        print(f"creating {venv}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if installed_version(python) != version:
        print(f"installing label-studio=={version} into {venv} (a few minutes)", flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"label-studio=={version}"], check=True)
    if installed_version(python) != version:
        raise RuntimeError(f"{venv} does not hold label-studio {version} after installing it")
    return venv / "bin" / "label-studio"


def installed_version(python: Path) -> str | None:
    found = subprocess.run(
        [str(python), "-c", "import label_studio; print(label_studio.__version__)"], capture_output=True, text=True
    )
    return found.stdout.strip() if found.returncode == 0 else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api:
    """Label Studio's REST API with the legacy token of the user the server was started with."""

    def __init__(self, base: str):
        self.base = base

    def call(self, method: str, path: str, body: object = None, timeout: float = 60) -> object:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                text = response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            raise CheckFailed(f"{method} {path}: HTTP {error.code}: {error.read().decode('utf-8', 'replace')[:500]}") from None
        return json.loads(text) if text else None


@contextmanager
def server(label_studio: Path, folder: Path, port: int) -> Iterator[Api]:
    """A Label Studio server on 127.0.0.1:port with its data in folder; stopped on leaving."""
    folder.mkdir(parents=True)
    env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(folder), "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true"}
    log = (folder / "server.log").open("w", encoding="utf-8")
    command = [
        str(label_studio),
        "start",
        "--no-browser",
        "--internal-host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data-dir",
        str(folder / "data"),
        "--database",
        str(folder / "label_studio.sqlite3"),
        "--username",
        USER,
        "--password",
        PASSWORD,
        "--user-token",
        TOKEN,
        "--enable-legacy-api-token",
    ]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        api = Api(f"http://127.0.0.1:{port}")
        wait_until_up(api, process, folder / "server.log")
        yield api
    finally:
        stop(process)
        log.close()


def wait_until_up(api: Api, process: subprocess.Popen, log: Path, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"Label Studio exited with {process.returncode}; its log:\n{log.read_text(encoding='utf-8')[-3000:]}"
            )
        try:
            api.call("GET", "/api/current-user/whoami", timeout=5)
            return
        except (OSError, CheckFailed):
            time.sleep(2)
    raise RuntimeError(f"Label Studio did not answer within {limit:.0f} s; its log:\n{log.read_text(encoding='utf-8')[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    """End the server's process group (the one this script started), politely first."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


# ---------------------------------------------------------------- our side


def finnews(*args: str) -> subprocess.CompletedProcess:
    """The finnews command of this environment (the checkout, installed with pip install -e)."""
    command = Path(sys.executable).with_name("finnews")
    if not command.is_file():
        raise RuntimeError(f'no finnews command beside {sys.executable}: run pip install -e ".[dev]" in {REPO}')
    return subprocess.run([str(command), *args], capture_output=True, text=True)


def copy_data(root: Path) -> Path:
    """A data root holding this checkout's corpus, annotations and pyproject.toml."""
    shutil.copytree(REPO / "corpus", root / "corpus")
    shutil.copytree(REPO / "annotations", root / "annotations")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def records(root: Path, layer: str) -> list[dict]:
    text = (root / "annotations" / f"{layer}.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------- the edits


def main_regions(result: list[dict], control: str) -> list[dict]:
    return [r for r in result if r.get("type") == "labels" and r.get("from_name") == control]


def relabel_and_add(result: list[dict], text: str) -> dict:
    """entities: relabel the first region, add an ORG region on two free characters."""
    first = main_regions(result, "type")[0]
    old = first["value"]["labels"][0]
    first["value"]["labels"] = ["LOC" if old != "LOC" else "GPE"]
    taken = {i for r in main_regions(result, "type") for i in range(r["value"]["start"] - 1, r["value"]["end"] + 1)}
    start = next(
        i
        for i in range(len(text) - 2, 0, -1)
        if not {i, i + 1} & taken and text[i : i + 2].isalnum() and ord(max(text[i : i + 2])) <= 0xFFFF
    )
    result.append(
        {
            "id": "checknew01",
            "from_name": "type",
            "to_name": "text",
            "type": "labels",
            "origin": "manual",
            "value": {"start": start, "end": start + 2, "text": text[start : start + 2], "labels": ["ORG"]},
        }
    )
    return {"changed": {first["id"]: ["review", "type"]}, "added": [text[start : start + 2]]}


def per_region_choice(control: str, main: str) -> Callable[[list[dict], str], dict]:
    """Change the choice of a per-region control of the first main region to another of its values."""

    def change(result: list[dict], text: str) -> dict:
        first = main_regions(result, main)[0]
        choice = next(r for r in result if r.get("id") == first["id"] and r.get("from_name") == control)
        values = {"approx": ["exact", "approx"], "polarity": ["positive", "negative"]}[control]
        choice["value"]["choices"] = [values[1] if choice["value"]["choices"] == [values[0]] else values[0]]
        return {"changed": {first["id"]: sorted(["review", control])}, "added": []}

    return change


EDITS = {
    "entities": relabel_and_add,
    "numeric_facts": per_region_choice("approx", "kind"),
    "stance": per_region_choice("polarity", "stance"),
}


# ---------------------------------------------------------------- one layer


def check_layer(api: Api, layer: str, root: Path, work: Path) -> str:
    """The round trip of one layer; a one-line summary, or CheckFailed."""
    out = work / layer
    made = finnews("--root", str(root), "export", "label-studio", "--layer", layer, "--predictions", "--out", str(out))
    if made.returncode != 0:
        raise CheckFailed(f"finnews export failed: {made.stderr.strip()}")
    config = (out / f"{layer}.label-studio.xml").read_text(encoding="utf-8")
    tasks = json.loads((out / f"{layer}.label-studio.json").read_text(encoding="utf-8"))
    project = api.call("POST", "/api/projects", {"title": f"finnews {layer}", "label_config": config})
    api.call("POST", f"/api/projects/{project['id']}/import", tasks, timeout=300)
    listed = api.call("GET", f"/api/tasks?project={project['id']}&page_size=1000&fields=all")
    stored = sorted(listed["tasks"] if isinstance(listed, dict) else listed, key=lambda t: t["id"])
    if len(stored) != len(tasks) or len(stored) < 2:
        raise CheckFailed(f"imported {len(tasks)} tasks, Label Studio holds {len(stored)}")
    edited, unedited = stored[0], stored[1]
    expected = submit(api, edited, EDITS[layer])
    submit(api, unedited, None)
    export = work / f"{layer}.export.json"
    exported = api.call("GET", f"/api/projects/{project['id']}/export?exportType=JSON", timeout=300)
    export.write_text(json.dumps(exported, ensure_ascii=False, indent=1), encoding="utf-8")

    before = (root / "annotations" / f"{layer}.jsonl").read_bytes()
    plain = finnews("--root", str(root), "import", "label-studio", str(export), "--dry-run")
    if plain.returncode != 2 or len(plain.stderr.strip().splitlines()) != 1 or "--annotator" not in plain.stderr:
        raise CheckFailed(
            f"without --annotator: exit {plain.returncode}, expected 2 and one line naming --annotator:\n{plain.stderr}"
        )
    dry = finnews("--root", str(root), "import", "label-studio", str(export), "--annotator", ANNOTATOR, "--dry-run")
    if dry.returncode != 0:
        raise CheckFailed(f"finnews import --dry-run: exit {dry.returncode}\n{dry.stdout}{dry.stderr}")
    done = finnews("--root", str(root), "import", "label-studio", str(export), "--annotator", ANNOTATOR)
    if done.returncode != 0:
        raise CheckFailed(f"finnews import: exit {done.returncode}\n{done.stdout}{done.stderr}")
    got = diff_of(before, records(root, layer))
    if got != expected:
        raise CheckFailed(f"the import changed {got}, expected {expected}:\n{done.stdout}")
    valid = finnews("--root", str(root), "validate")
    if valid.returncode != 0:
        raise CheckFailed(f"finnews validate after the import: {valid.stdout}{valid.stderr}")
    users = sorted({a.get("completed_by").__class__.__name__ for t in exported for a in t.get("annotations", [])})
    return f"{layer}: {summary_line(done.stdout)} (completed_by: {', '.join(users)})"


def submit(api: Api, task: dict, edit: Callable[[list[dict], str], dict] | None) -> dict:
    """Submit the task's predictions as an annotation, edited by `edit`; the changes it intends."""
    predictions = task.get("predictions") or []
    if not predictions or not isinstance(predictions[0], dict):
        task = api.call("GET", f"/api/tasks/{task['id']}")
        predictions = task.get("predictions") or []
    result = copy.deepcopy(predictions[0]["result"])
    expected = edit(result, task["data"]["text"]) if edit else {"changed": {}, "added": []}
    api.call("POST", f"/api/tasks/{task['id']}/annotations", {"result": result, "lead_time": 1.0, "was_cancelled": False})
    return expected


def diff_of(before: bytes, after: list[dict]) -> dict:
    """What an import changed, as EDITS says it: changed record id -> its changed fields (and
    "removed" -> the removed ids), and the text of every added record."""
    old = [json.loads(line) for line in before.decode("utf-8").splitlines() if line.strip()]
    diff = diff_records(old, after)
    changed = {c["id"]: sorted(c["fields"]) for c in diff["changed"]}
    if diff["removed"]:
        changed["removed"] = sorted(r["id"] for r in diff["removed"])
    return {"changed": changed, "added": [r["text"] for r in diff["added"]]}


def summary_line(stdout: str) -> str:
    return next((line.split(": ", 1)[1] for line in stdout.splitlines() if line.startswith("annotations/")), stdout.strip())


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", default="1.23.2", help="the label-studio release to check (default: 1.23.2)")
    parser.add_argument(
        "--venv", type=Path, help="Label Studio's own virtual environment (default: /tmp/finnews-label-studio-VERSION)"
    )
    parser.add_argument("--layer", choices=LAYERS, action="append", help="check only this layer (repeatable)")
    args = parser.parse_args(argv)
    venv = args.venv or Path(tempfile.gettempdir()) / f"finnews-label-studio-{args.version}"
    try:
        label_studio = ensure_label_studio(venv, args.version)
    except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
        print(f"check_label_studio: cannot install label-studio {args.version}: {error}", file=sys.stderr)
        return 2
    failures, lines = 0, []
    with tempfile.TemporaryDirectory(prefix="finnews-label-studio-check-") as tmp:
        work = Path(tmp)
        root = copy_data(work / "data")
        try:
            with server(label_studio, work / "server", free_port()) as api:
                print(f"Label Studio {args.version} is up at {api.base}", flush=True)
                for layer in args.layer or LAYERS:
                    try:
                        lines.append(check_layer(api, layer, root, work))
                    except CheckFailed as failure:
                        failures += 1
                        lines.append(f"{layer}: FAILED: {failure}")
                    print(lines[-1], flush=True)
        except RuntimeError as error:
            print(f"check_label_studio: {error}", file=sys.stderr)
            return 2
    verdict = "compatible" if not failures else f"{failures} layer(s) failed"
    print(f"label-studio {args.version}: {verdict}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
