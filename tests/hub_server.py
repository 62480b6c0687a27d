"""A fake Hugging Face Hub for tests: an http.server on 127.0.0.1 that records every request and
implements only what `huggingface_hub` calls to publish a folder of small *regular* files, and
what `datasets.load_dataset` calls to read one back at a revision (a branch, a tag or a commit):

  POST /api/repos/create                       create a repo (409 with its url if it exists)
  GET  /api/datasets/OWNER/NAME                repo info (id, private, sha)
  GET  /api/datasets/OWNER/NAME/refs           branches and tags
  GET  /api/datasets/OWNER/NAME/tree/main      file list (used by upload_folder's delete_patterns)
  POST /api/datasets/OWNER/NAME/preupload/main answers "regular" for every file (so no LFS, no Xet)
  POST /api/validate-yaml                      accepts any README (the client checks the card before uploading)
  POST /api/datasets/OWNER/NAME/commit/main    applies an NDJSON commit of `file` and `deletedFile` lines
  POST /api/datasets/OWNER/NAME/tag/REVISION   creates a tag (409 if it exists)
  GET  /api/datasets/OWNER/NAME/revision/REV   repo info at a revision (sha, siblings)
  GET  /api/datasets/OWNER/NAME/tree/REV[/DIR] the files and folders under DIR (recursive=true: all below)
  POST /api/datasets/OWNER/NAME/paths-info/REV the entries of the given paths
  HEAD, GET /datasets/OWNER/NAME/resolve/REV/PATH   a file's bytes, with X-Repo-Commit and ETag

Anything else answers 404 and is recorded, so a test can assert that nothing unexpected was called.
The server is bounded: requests are capped in size and number, each connection times out, and a
watchdog stops it after `lifetime` seconds even if a test forgets to; use it as a context manager.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

MAX_BODY = 8 * 1024 * 1024
MAX_REQUESTS = 500
REPO_PATH = re.compile(
    r"^/api/(?P<type>datasets|models|spaces)/(?P<repo>[^/]+/[^/]+?)(?:/(?P<action>refs|tree|preupload|commit|tag|revision|paths-info)(?:/(?P<rest>.*))?)?$"
)
RESOLVE_PATH = re.compile(r"^/datasets/(?P<repo>[^/]+/[^/]+)/resolve/(?P<revision>[^/]+)/(?P<path>.+)$")


def git_blob_oid(content: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    authorization: str | None
    body: object  # parsed JSON, a list of parsed NDJSON lines, or None
    status: int = 0


@dataclass
class Repo:
    repo_type: str
    private: bool
    files: dict[str, bytes] = field(default_factory=lambda: {".gitattributes": b"*.arrow filter=lfs diff=lfs merge=lfs -text\n"})
    commits: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    snapshots: dict[str, dict[str, bytes]] = field(default_factory=dict)  # commit -> files

    @property
    def head(self) -> str:
        return self.commits[-1]

    def commit(self, oid: str) -> None:
        self.commits.append(oid)
        self.snapshots[oid] = dict(self.files)

    def resolve(self, revision: str) -> str | None:
        """The commit a branch (main), a tag or a commit id names."""
        if revision == "main":
            return self.head
        return self.tags.get(revision) or (revision if revision in self.snapshots else None)


class FakeHub:
    """`with FakeHub(token="hf_x") as hub: HfApi(endpoint=hub.url, token="hf_x")...; hub.requests`"""

    def __init__(self, token: str | None = None, lifetime: float = 60.0) -> None:
        self.token = token
        self.lifetime = lifetime
        self.repos: dict[str, Repo] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._watchdog = threading.Timer(lifetime, self.stop)
        self._watchdog.daemon = True
        self._stopped = False

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeHub:
        self._thread.start()
        self._watchdog.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        self._watchdog.cancel()
        self._server.shutdown()
        self._server.server_close()

    # -- state helpers for tests ------------------------------------------------------------------

    def add_repo(
        self, repo_id: str, *, private: bool = False, files: dict[str, bytes] | None = None, tags: tuple[str, ...] = ()
    ) -> Repo:
        repo = Repo("dataset", private)
        if files:
            repo.files.update(files)
        repo.commit(self._new_oid(repo_id, "initial"))
        for tag in tags:
            repo.tags[tag] = repo.head
        self.repos[repo_id] = repo
        return repo

    def calls(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.requests]

    def _new_oid(self, repo_id: str, salt: str) -> str:
        return hashlib.sha1(f"{repo_id}\n{len(self.requests)}\n{salt}".encode()).hexdigest()

    # -- HTTP -------------------------------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        hub = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 10

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

            def do_PUT(self) -> None:
                self._handle("PUT")

            def do_DELETE(self) -> None:
                self._handle("DELETE")

            def do_HEAD(self) -> None:
                self._handle("HEAD")

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_BODY:
                    return self._reply(413, {"error": "request too large"})
                raw = self.rfile.read(length) if length else b""
                url = urlsplit(self.path)
                request = Request(method, unquote(url.path), parse_qs(url.query), self.headers.get("Authorization"), _parse(raw))
                with hub._lock:
                    if len(hub.requests) >= MAX_REQUESTS:
                        return self._reply(429, {"error": "fake hub: too many requests"})
                    hub.requests.append(request)
                    status, payload, headers = hub._route(request)
                    request.status = status
                self._reply(status, payload, headers)

            def _reply(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
                raw = isinstance(payload, bytes)
                body = payload if raw else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/octet-stream" if raw else "application/json")
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

        return Handler

    def _route(self, r: Request) -> tuple[int, object, dict[str, str]]:
        if self.token is not None and r.authorization != f"Bearer {self.token}":
            return 401, {"error": "Invalid credentials in Authorization header"}, {}
        if (r.method, r.path) == ("POST", "/api/repos/create"):
            return self._create_repo(r.body)
        if (r.method, r.path) == ("POST", "/api/validate-yaml"):
            return 200, {"errors": [], "warnings": []}, {}
        resolve = RESOLVE_PATH.match(r.path)
        if resolve and r.method in ("GET", "HEAD"):
            return self._resolve(resolve["repo"], resolve["revision"], resolve["path"])
        m = REPO_PATH.match(r.path)
        if not m or m["type"] != "datasets":
            return 404, {"error": f"fake hub does not implement {r.method} {r.path}"}, {}
        repo_id, action, rest = m["repo"], m["action"], m["rest"]
        repo = self.repos.get(repo_id)
        if repo is None:
            return 404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"}
        if r.method == "GET" and action is None:
            return 200, {"id": repo_id, "private": repo.private, "sha": repo.head}, {}
        if r.method == "GET" and action == "refs":
            return (
                200,
                {
                    "branches": [{"name": "main", "ref": "refs/heads/main", "targetCommit": repo.head}],
                    "converts": [],
                    "tags": [{"name": t, "ref": f"refs/tags/{t}", "targetCommit": oid} for t, oid in sorted(repo.tags.items())],
                    "pullRequests": [],
                },
                {},
            )
        if r.method == "GET" and action in ("tree", "revision", "paths-info") or (r.method == "POST" and action == "paths-info"):
            return self._read(repo_id, repo, action, rest or "", r)
        if r.method == "POST" and action == "preupload" and rest == "main":
            return (
                200,
                {
                    "files": [
                        {
                            "path": f["path"],
                            "uploadMode": "regular",
                            "shouldIgnore": False,
                            "oid": git_blob_oid(repo.files[f["path"]]) if f["path"] in repo.files else None,
                        }
                        for f in r.body["files"]
                    ]
                },
                {},
            )
        if r.method == "POST" and action == "commit" and rest == "main":
            return self._commit(repo_id, repo, r.body)
        if r.method == "POST" and action == "tag" and rest:
            return self._tag(repo, rest, r.body)
        return 404, {"error": f"fake hub does not implement {r.method} {r.path}"}, {}

    def _create_repo(self, body: dict) -> tuple[int, object, dict[str, str]]:
        repo_id = f"{body['organization']}/{body['name']}" if body.get("organization") else body["name"]
        url = f"{self.url}/datasets/{repo_id}"
        if repo_id in self.repos:
            return 409, {"error": "You already created this dataset repo", "url": url}, {}
        self.add_repo(repo_id, private=body.get("visibility") == "private")
        return 200, {"url": url}, {}

    def _commit(self, repo_id: str, repo: Repo, lines: list[dict]) -> tuple[int, object, dict[str, str]]:
        header, *operations = lines
        if header.get("key") != "header":
            return 400, {"error": "first line must be the header"}, {}
        files = dict(repo.files)
        for op in operations:
            value = op["value"]
            if op["key"] == "file" and value.get("encoding") == "base64":
                files[value["path"]] = base64.b64decode(value["content"])
            elif op["key"] == "deletedFile" and value["path"] in files:
                del files[value["path"]]
            else:
                return 400, {"error": f"fake hub does not implement commit operation {op['key']}"}, {}
        repo.files = files
        repo.commit(self._new_oid(repo_id, header["value"]["summary"]))
        return (
            200,
            {"commitUrl": f"{self.url}/datasets/{repo_id}/commit/{repo.head}", "commitOid": repo.head, "success": True},
            {},
        )

    def _tag(self, repo: Repo, revision: str, body: dict) -> tuple[int, object, dict[str, str]]:
        tag = body["tag"]
        if tag in repo.tags:
            return 409, {"error": f"Tag {tag} already exists"}, {}
        oid = repo.head if revision == "main" else revision
        if oid not in repo.commits:
            return 404, {"error": f"Invalid rev id: {revision}"}, {"X-Error-Code": "RevisionNotFound"}
        repo.tags[tag] = oid
        return 200, {}, {}

    # -- reading at a revision -------------------------------------------------------------------

    def _read(self, repo_id: str, repo: Repo, action: str, rest: str, r: Request) -> tuple[int, object, dict[str, str]]:
        revision, _, folder = rest.partition("/")
        oid = repo.resolve(unquote(revision))
        if oid is None:
            return 404, {"error": f"Invalid rev id: {revision}"}, {"X-Error-Code": "RevisionNotFound"}
        files = repo.snapshots[oid]
        if action == "revision":
            return (
                200,
                {"id": repo_id, "sha": oid, "private": repo.private, "siblings": [{"rfilename": p} for p in sorted(files)]},
                {},
            )
        if action == "paths-info":
            wanted = r.body.get("paths", []) if isinstance(r.body, dict) else parse_qs(r.body or "").get("paths", [])
            return 200, [e for e in _entries(files, "", recursive=True) if e["path"] in wanted], {}
        recursive = r.query.get("recursive", ["false"])[0].lower() == "true"
        entries = _entries(files, folder.strip("/"), recursive)
        if folder and not entries:
            return 404, {"error": f"{folder} does not exist at {revision}"}, {"X-Error-Code": "EntryNotFound"}
        return 200, entries, {}

    def _resolve(self, repo_id: str, revision: str, path: str) -> tuple[int, object, dict[str, str]]:
        repo = self.repos.get(repo_id)
        if repo is None:
            return 404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"}
        oid = repo.resolve(unquote(revision))
        if oid is None:
            return 404, {"error": f"Invalid rev id: {revision}"}, {"X-Error-Code": "RevisionNotFound"}
        content = repo.snapshots[oid].get(path)
        if content is None:
            return 404, {"error": "Entry not found"}, {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": oid}
        return 200, content, {"X-Repo-Commit": oid, "ETag": f'"{git_blob_oid(content)}"'}


def _entries(files: dict[str, bytes], folder: str, recursive: bool) -> list[dict]:
    """Tree entries under folder: files, and the folders on the way (only the first level unless recursive)."""
    prefix = f"{folder}/" if folder else ""
    out: dict[str, dict] = {}
    for path, content in sorted(files.items()):
        if not path.startswith(prefix):
            continue
        parts = path[len(prefix) :].split("/")
        depth = len(parts) if recursive else 1
        for i in range(1, min(depth, len(parts) - 1) + 1):
            sub = prefix + "/".join(parts[:i])
            out.setdefault(sub, {"type": "directory", "path": sub, "oid": hashlib.sha1(sub.encode()).hexdigest()})
        if recursive or len(parts) == 1:
            out[path] = {"type": "file", "path": path, "size": len(content), "oid": git_blob_oid(content)}
    return list(out.values())


def _parse(raw: bytes) -> object:
    if not raw:
        return None
    text = raw.decode("utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
