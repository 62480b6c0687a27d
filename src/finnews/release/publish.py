"""Publish a release folder to the Hugging Face Hub as a dataset repo, tagged v<version>.

The steps, in order: verify every file against MANIFEST.json (locally; refuse on any mismatch or
unlisted file) -> create the dataset repo if missing -> refuse if the tag v<version> exists ->
one commit that makes the repo's main branch hold exactly the folder (remote files the release
does not have are deleted, .gitattributes is kept) -> tag that commit. A version is published once:
its tag never moves. The token comes from huggingface_hub (HF_TOKEN, then the login cache) and is
never printed.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path

from finnews.checks.incidents import Incident
from finnews.data.files import sha256_file
from finnews.errors import DataError, UsageError
from finnews.release.read import MANIFEST, missing_file, read_manifest

REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]*$")


class PublishError(UsageError):
    """A release that may not be published, or a Hub operation that failed (message is for people)."""


@dataclass(frozen=True)
class FileEntry:
    path: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Plan:
    folder: Path
    repo_id: str
    version: str
    private: bool
    files: tuple[FileEntry, ...]  # every file that will be uploaded, MANIFEST.json included

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    @property
    def commit_message(self) -> str:
        return f"FinNews-ZH {self.version}"

    def operations(self) -> list[str]:
        visibility = "private" if self.private else "the account's default visibility"
        return [
            f"create dataset repo {self.repo_id} if missing ({visibility}; an existing repo keeps its own)",
            *([f"refuse if {self.repo_id} exists and is public"] if self.private else []),
            f"refuse if tag {self.tag} exists in {self.repo_id}",
            f"commit {len(self.files)} files to main as {self.commit_message!r}, deleting remote files the release "
            "does not have (.gitattributes kept)",
            f"create tag {self.tag} on that commit",
        ]


@dataclass(frozen=True)
class PublishResult:
    plan: Plan
    repo_url: str
    commit: str
    commit_url: str


def card_version(readme: Path) -> str | None:
    """The `version:` of the dataset card's YAML front matter, if any."""
    import yaml

    text = readme.read_text(encoding="utf-8")
    if not text.startswith("---\n") or "\n---\n" not in text[3:]:
        return None
    try:
        front = yaml.safe_load(text[4 : text.index("\n---\n", 3)])
    except yaml.YAMLError:
        return None
    version = front.get("version") if isinstance(front, dict) else None
    return None if version is None else str(version)


def _entry_problem(folder: Path, entry: dict) -> Incident | None:
    """The problem of one file MANIFEST.json lists: missing, unreadable, or other bytes."""
    missing = missing_file(folder, entry["path"])
    if missing is not None:
        return missing
    file = folder / entry["path"]
    where = str(file)
    try:
        size = file.stat().st_size
        if size != entry["bytes"]:
            return Incident(where, 0, "release-file-changed", f"{size} bytes, {MANIFEST} says {entry['bytes']}")
        digest = sha256_file(file)
    except OSError as error:
        return Incident(where, 0, "release-file-missing", f"cannot be read: {error.strerror or error}")
    if digest != entry["sha256"]:
        return Incident(where, 0, "release-file-changed", f"sha256 {digest}, {MANIFEST} says {entry['sha256']}")
    return None


def verify_release(folder: Path) -> tuple[str, list[FileEntry]]:
    """Check every file against the manifest; return (version, files to upload). All problems are
    reported at once in one DataError (a release changed or cut short after `finnews build`)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    version = manifest["version"]
    problems: list[Incident] = []

    def problem(path: str, rule: str, message: str) -> None:
        problems.append(Incident(str(folder / path), 0, rule, message))

    if not VERSION.match(version):
        problem(MANIFEST, "release-manifest", f"version {version!r} cannot be a tag name")
    listed: dict[str, dict] = {}
    for entry in manifest["files"]:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("bytes"), int)
            and isinstance(entry.get("sha256"), str)
        ):
            problem(MANIFEST, "release-manifest", f"bad file entry {entry!r} (needs path, bytes, sha256)")
            continue
        listed[entry["path"]] = entry
    problems += [incident for path in sorted(listed) if (incident := _entry_problem(folder, listed[path]))]
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}
    for path in sorted(present - set(listed) - {MANIFEST}):
        problem(path, "release-file-unlisted", f"not listed in {MANIFEST} (only a release's own files are published)")
    readme = folder / "README.md"
    if "README.md" not in listed:
        problem("README.md", "release-manifest", f"the dataset card is not listed in {MANIFEST}")
    elif readme.is_file() and card_version(readme) != version:
        problem(
            "README.md",
            "release-card-version",
            f"card version {card_version(readme)!r} differs from {MANIFEST} version {version!r}",
        )
    if problems:
        raise DataError(problems, f"{folder}: refusing to publish, the folder does not match its {MANIFEST}")
    files = [FileEntry(p, listed[p]["bytes"], listed[p]["sha256"]) for p in sorted(listed)]
    manifest_file = folder / MANIFEST
    files.append(FileEntry(MANIFEST, manifest_file.stat().st_size, sha256_file(manifest_file)))
    return version, sorted(files, key=lambda f: f.path)


def plan_publish(folder: Path, repo_id: str, private: bool = False) -> Plan:
    """Everything `publish` would do, computed locally (no network, no token)."""
    if not REPO_ID.match(repo_id):
        raise PublishError(f"--repo-id {repo_id!r}: expected OWNER/NAME")
    version, files = verify_release(Path(folder))
    return Plan(Path(folder), repo_id, version, private, tuple(files))


def format_plan(plan: Plan) -> str:
    width = max(len(f.path) for f in plan.files)
    lines = [
        f"dry run: would publish {plan.folder} (FinNews-ZH {plan.version}) to dataset {plan.repo_id} as {plan.tag}",
        f"{len(plan.files)} files, {sum(f.bytes for f in plan.files)} bytes:",
    ]
    lines += [f"  {f.path:<{width}}  {f.bytes:>10}  {f.sha256}" for f in plan.files]
    lines.append("operations:")
    lines += [f"  {i}. {op}" for i, op in enumerate(plan.operations(), start=1)]
    lines.append("token: HF_TOKEN or the huggingface_hub login cache, read at publish time (never printed)")
    return "\n".join(lines)


def format_result(result: PublishResult) -> str:
    plan = result.plan
    return "\n".join(
        [
            f"published FinNews-ZH {plan.version}: {len(plan.files)} files to {result.repo_url}",
            f"commit {result.commit} tagged {plan.tag}",
            f'load it with: datasets.load_dataset("{plan.repo_id}", "sentences", revision="{plan.tag}")',
        ]
    )


def _network_errors() -> tuple[type[BaseException], ...]:
    """OSError (HfHubHTTPError is one) and the connection errors of whichever HTTP client
    huggingface_hub uses (httpx2 in 2.x, httpx in 1.x; requests' errors are OSErrors)."""
    errors: list[type[BaseException]] = [OSError]
    for module in ("httpx2", "httpx"):
        try:
            errors.append(importlib.import_module(module).HTTPError)
        except (ImportError, AttributeError):
            pass
    return tuple(errors)


def publish(
    folder: Path, repo_id: str, *, private: bool = False, endpoint: str | None = None, token: str | None = None
) -> PublishResult:
    """Upload the verified release folder and tag it (see the module docstring for the steps)."""
    from huggingface_hub import HfApi, get_token

    plan = plan_publish(folder, repo_id, private)
    token = token or get_token()
    if not token:
        raise PublishError("no Hugging Face token: set HF_TOKEN or run `hf auth login` (needs write access)")
    api = HfApi(endpoint=endpoint, token=token)
    step = "create the repo"
    try:
        repo_url = api.create_repo(repo_id, repo_type="dataset", private=True if private else None, exist_ok=True)
        if private:
            step = "read the repo's visibility"
            if not api.repo_info(repo_id, repo_type="dataset").private:
                raise PublishError(f"{repo_id} exists and is public; --private asked for a private repo: nothing was uploaded")
        step = "list the repo's tags"
        existing = {ref.name: ref.target_commit for ref in api.list_repo_refs(repo_id, repo_type="dataset").tags}
        if plan.tag in existing:
            raise PublishError(
                f"{repo_id} already has tag {plan.tag} (commit {existing[plan.tag]}): a published version "
                "never changes; bump the version and build a new release. Nothing was uploaded."
            )
        step = "upload the folder"
        commit = api.upload_folder(
            repo_id=repo_id,
            folder_path=str(plan.folder),
            repo_type="dataset",
            commit_message=plan.commit_message,
            delete_patterns="*",
        )
        step = f"create tag {plan.tag} (the files are committed as {commit.oid}, untagged)"
        api.create_tag(repo_id, tag=plan.tag, revision=commit.oid, repo_type="dataset")
    except PublishError:
        raise
    except _network_errors() as error:
        message = str(error).replace(token, "<token>")  # never echo the token, whatever the server said
        raise PublishError(f"could not {step} on {api.endpoint}: {message}") from None
    return PublishResult(plan, str(repo_url), commit.oid, commit.commit_url)
