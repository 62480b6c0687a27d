"""`finnews publish`: the real huggingface_hub client against a fake Hub on 127.0.0.1 (tests/hub_server.py)."""

import base64
import hashlib
import json
from pathlib import Path

import huggingface_hub
import pytest
from hub_server import FakeHub
from tiny_release import write_release

from finnews import cli
from finnews.errors import DataError
from finnews.release.publish import PublishError, plan_publish, publish

TOKEN = "hf_fakeTestToken_9d1c52e7a4"
REPO = "finnews-org/finnews-zh"
VERSION = "1.2.3"


@pytest.fixture(autouse=True)
def isolated_hub_client(monkeypatch, tmp_path):
    """No real token, no login cache, no proxy, no network but the fake hub."""
    for name in (
        "HF_TOKEN",
        "HUGGING_FACE_HUB_TOKEN",
        "HF_OIDC_RESOURCE",
        "HF_ENDPOINT",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_TOKEN_PATH", str(tmp_path / "no-login-cache" / "token"))
    monkeypatch.setattr(cli, "COMMANDS", tuple(dict.fromkeys((*cli.COMMANDS, "publish"))))


@pytest.fixture
def release(tmp_path) -> Path:
    return write_release(tmp_path / f"finnews-zh-{VERSION}", VERSION)


@pytest.fixture
def hub():
    with FakeHub(token=TOKEN) as server:
        yield server


def local_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def finnews(*argv: str) -> int:
    return cli.main(list(argv))


@pytest.mark.parametrize("xet_disabled", [False, True], ids=["upload-pipeline", "create-commit"])
def test_publish_creates_repo_uploads_every_file_and_tags_the_commit(release, hub, monkeypatch, capfd, xet_disabled):
    # huggingface_hub takes one of two upload paths (pipelined when hf_xet is installed, else
    # create_commit); for small files the fake hub answers "regular" and both must work.
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_DISABLE_XET", xet_disabled)
    monkeypatch.setenv("HF_TOKEN", TOKEN)

    assert finnews("publish", str(release), "--repo-id", REPO, "--endpoint", hub.url) == 0

    out, err = capfd.readouterr()
    assert TOKEN not in out + err
    assert all(r.authorization == f"Bearer {TOKEN}" for r in hub.requests)
    assert all(r.status == 200 for r in hub.requests), [(r.method, r.path, r.status) for r in hub.requests]
    base = f"/api/datasets/{REPO}"
    repo = hub.repos[REPO]
    card = {"content": (release / "README.md").read_text(encoding="utf-8"), "repoType": "dataset"}
    checks = [r.body for r in hub.requests if r.path == "/api/validate-yaml"]  # the client checks the card first
    assert checks and all(body == card for body in checks)
    calls = [c for c in hub.calls() if c != ("POST", "/api/validate-yaml")]
    assert calls == [
        ("POST", "/api/repos/create"),
        ("GET", f"{base}/refs"),
        ("GET", f"{base}/tree/main"),
        ("POST", f"{base}/preupload/main"),
        ("POST", f"{base}/commit/main"),
        ("POST", f"{base}/tag/{repo.head}"),
    ]
    create = hub.requests[0].body
    assert (create["organization"], create["name"], create["type"]) == ("finnews-org", "finnews-zh", "dataset")
    assert "visibility" not in create and not repo.private

    commit = next(r for r in hub.requests if r.path.endswith("/commit/main")).body
    assert commit[0] == {"key": "header", "value": {"summary": f"FinNews-ZH {VERSION}", "description": ""}}
    sent = {op["value"]["path"]: base64.b64decode(op["value"]["content"]) for op in commit[1:] if op["key"] == "file"}
    assert sent == local_files(release)
    assert {"README.md", "MANIFEST.json", "data/sentences/train.arrow", "data/articles/test.arrow"} <= set(sent)
    assert repo.files == {**local_files(release), ".gitattributes": repo.files[".gitattributes"]}

    tag = hub.requests[-1]
    assert tag.body == {"tag": f"v{VERSION}"}
    assert repo.tags == {f"v{VERSION}": repo.head} and len(repo.commits) == 2
    assert f'load_dataset("{REPO}", "sentences", revision="v{VERSION}")' in out


def test_publishing_to_an_existing_repo_replaces_stale_files_and_keeps_gitattributes(release, hub):
    old = hub.add_repo(REPO, files={"data/ner/train.arrow": b"old", "README.md": b"old card"}, tags=("v1.0.0",))
    gitattributes = old.files[".gitattributes"]

    result = publish(release, REPO, endpoint=hub.url, token=TOKEN)

    repo = hub.repos[REPO]
    assert hub.requests[0].status == 409  # the repo existed: create_repo(exist_ok=True) carries on
    assert repo.files == {**local_files(release), ".gitattributes": gitattributes}
    commit = next(r for r in hub.requests if r.path.endswith("/commit/main")).body
    assert {"key": "deletedFile", "value": {"path": "data/ner/train.arrow"}} in commit
    assert (
        repo.tags
        == {"v1.0.0": repo.commits[0], f"v{VERSION}": repo.head}
        == {"v1.0.0": repo.commits[0], f"v{VERSION}": result.commit}
    )


def test_refuses_a_version_whose_tag_exists_and_uploads_nothing(release, hub, monkeypatch, capfd):
    hub.add_repo(REPO, tags=(f"v{VERSION}",))
    monkeypatch.setenv("HF_TOKEN", TOKEN)

    assert finnews("publish", str(release), "--repo-id", REPO, "--endpoint", hub.url) == 2

    out, err = capfd.readouterr()
    assert f"already has tag v{VERSION}" in err and TOKEN not in out + err
    assert not any(p.endswith(("/preupload/main", "/commit/main")) or "/tag/" in p for _, p in hub.calls())
    assert len(hub.repos[REPO].commits) == 1


@pytest.mark.parametrize(
    "damage, message",
    [
        (
            lambda d: (d / "data/sentences/train.arrow").write_bytes(b"tampered"),
            "data/sentences/train.arrow:0: release-file-changed: 8 bytes",
        ),
        (
            lambda d: (d / "README.md").write_bytes((d / "README.md").read_bytes().replace(b"# FinNews", b"# FINNEWS")),
            "README.md:0: release-file-changed: sha256",
        ),
        (lambda d: (d / "notes.txt").write_text("scratch", encoding="utf-8"), "notes.txt:0: release-file-unlisted: not listed"),
        (
            lambda d: (d / "data/articles/test.arrow").unlink(),
            "data/articles/test.arrow:0: release-file-missing: listed in MANIFEST.json but missing",
        ),
        (
            lambda d: (d / "data/articles/test.arrow").unlink() or (d / "data/articles/test.arrow").symlink_to(d / "gone.arrow"),
            "data/articles/test.arrow:0: release-file-missing: listed in MANIFEST.json but missing (a symlink to nothing)",
        ),
    ],
    ids=["size", "sha256", "unlisted", "missing", "dangling-symlink"],
)
def test_refuses_a_folder_that_does_not_match_its_manifest_before_any_request(release, hub, damage, message, capfd):
    damage(release)
    assert finnews("publish", str(release), "--repo-id", REPO, "--endpoint", hub.url) == 1
    out, err = capfd.readouterr()
    problems = [line for line in err.splitlines() if line.startswith(f"{release}/")]
    assert len(problems) == 1 and problems[0].startswith(f"{release}/{message}")  # one line: path:0: rule: message
    assert err.rstrip().endswith("refusing to publish, the folder does not match its MANIFEST.json") and out == ""
    assert hub.requests == []


def test_refuses_a_card_whose_version_differs_from_the_manifest(tmp_path):
    folder = write_release(tmp_path / "rel", VERSION)
    readme = folder / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace(f"version: {VERSION}", "version: 9.9.9"), encoding="utf-8")
    manifest = json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:  # a consistent manifest, so only the version check can fail
        if entry["path"] == "README.md":
            entry.update(bytes=readme.stat().st_size, sha256=hashlib.sha256(readme.read_bytes()).hexdigest())
    (folder / "MANIFEST.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(DataError, match="README.md:0: release-card-version: card version '9.9.9' differs"):
        plan_publish(folder, REPO)


def test_dry_run_lists_every_file_and_the_operations_without_any_request(release, hub, monkeypatch, capfd):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    monkeypatch.setenv("HF_ENDPOINT", hub.url)

    assert finnews("publish", str(release), "--repo-id", REPO, "--dry-run", "--endpoint", hub.url) == 0

    out, err = capfd.readouterr()
    assert hub.requests == [] and TOKEN not in out + err
    files = local_files(release)
    lines = out.splitlines()
    for path, content in files.items():
        assert any(line.split() == [path, str(len(content)), hashlib.sha256(content).hexdigest()] for line in lines), path
    assert f"{len(files)} files" in out
    for words in (f"create dataset repo {REPO}", f"refuse if tag v{VERSION} exists", f"create tag v{VERSION}"):
        assert words in out


def test_without_a_token_it_stops_before_any_request(release, hub, capfd):
    assert finnews("publish", str(release), "--repo-id", REPO, "--endpoint", hub.url) == 2
    assert "no Hugging Face token" in capfd.readouterr().err
    assert hub.requests == []


def test_private_creates_a_private_repo(release, hub):
    publish(release, REPO, private=True, endpoint=hub.url, token=TOKEN)
    assert hub.requests[0].body["visibility"] == "private" and hub.repos[REPO].private
    assert f"v{VERSION}" in hub.repos[REPO].tags


def test_private_refuses_an_existing_public_repo(release, hub):
    hub.add_repo(REPO, private=False)
    with pytest.raises(PublishError, match="exists and is public"):
        publish(release, REPO, private=True, endpoint=hub.url, token=TOKEN)
    assert len(hub.repos[REPO].commits) == 1 and not hub.repos[REPO].tags


def test_a_rejected_token_is_a_clear_error_that_does_not_echo_it(release, hub, capfd):
    with pytest.raises(PublishError, match="could not create the repo") as caught:
        publish(release, REPO, endpoint=hub.url, token="hf_wrongToken_1234567")
    assert "hf_wrongToken_1234567" not in str(caught.value)
    assert REPO not in hub.repos


@pytest.mark.parametrize("repo_id", ["finnews-zh", "a/b/c", "owner/", "/name", "own er/name"])
def test_repo_id_must_be_owner_slash_name(release, repo_id):
    with pytest.raises(PublishError, match="expected OWNER/NAME"):
        plan_publish(release, repo_id)


def test_not_a_release_folder_is_exit_2(tmp_path, capfd):
    assert finnews("publish", str(tmp_path / "missing"), "--repo-id", REPO, "--dry-run") == 2
    assert "no such folder" in capfd.readouterr().err
    assert finnews("publish", str(tmp_path), "--repo-id", REPO, "--dry-run") == 2
    assert "not a release folder" in capfd.readouterr().err
