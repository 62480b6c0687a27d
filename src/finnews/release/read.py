"""Reading a release: a local folder made by `finnews build`, or a Hub dataset `OWNER/NAME@REVISION`.

A local folder is read directly (pyarrow's IPC reader; `datasets` is not imported), a Hub dataset
through `datasets.load_dataset`, so it is cached and honours HF_HUB_OFFLINE. Either way a
release is a set of Arrow tables per (config, split) whose Hugging Face features travel with them;
`decoded_rows` turns ClassLabel ints into their names using those features.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from finnews.checks.incidents import Incident
from finnews.errors import DataError, UsageError

MANIFEST = "MANIFEST.json"
#: a Hub dataset at a revision (a tag such as v1.1.0, a branch or a commit); the revision is required,
#: so that a mistyped folder (dist/finnews-zh-1.0.0) is never taken for a Hub id
HUB_ID = re.compile(r"^(?P<repo>[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*)@(?P<revision>[\w.\-/]+)$")


class ReleaseError(UsageError):
    """A path or id that is not a readable release."""


def read_manifest(folder: Path) -> dict:
    """The MANIFEST.json of a release folder; ReleaseError if it is not one."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ReleaseError(f"{folder}: no such folder")
    path = folder / MANIFEST
    if not path.is_file():
        raise ReleaseError(f"{folder}: not a release folder (no {MANIFEST}; make one with `finnews build`)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ReleaseError(f"{path}: not valid JSON: {error}") from None
    if (
        not isinstance(manifest, dict)
        or not isinstance(manifest.get("version"), str)
        or not isinstance(manifest.get("files"), list)
    ):
        raise ReleaseError(f"{path}: not a release manifest (needs a string 'version' and a list 'files')")
    return manifest


def missing_file(folder: Path, path: str) -> Incident | None:
    """A release-file-missing incident when a file MANIFEST.json lists is not in the folder."""
    file = Path(folder) / path
    if file.is_file():
        return None
    dangling = " (a symlink to nothing)" if file.is_symlink() else ""
    return Incident(str(file), 0, "release-file-missing", f"listed in {MANIFEST} but missing{dangling}")


def check_listed_data(folder: Path, manifest: dict) -> None:
    """DataError when a data file MANIFEST.json lists is missing (the release would read as smaller)."""
    paths = [e["path"] for e in manifest["files"] if isinstance(e, dict) and isinstance(e.get("path"), str)]
    missing = [incident for p in paths if p.startswith("data/") and (incident := missing_file(folder, p))]
    if missing:
        raise DataError(missing, f"{folder} is not the release its {MANIFEST} describes")


def read_arrow(path: Path):
    """An Arrow IPC file (random access) or stream, as a pyarrow Table."""
    import pyarrow as pa

    try:
        with pa.memory_map(str(path)) as source:
            try:
                table = pa.ipc.open_file(source).read_all()
            except pa.ArrowInvalid:
                source.seek(0)
                table = pa.ipc.open_stream(source).read_all()
        table.validate(full=True)  # a damaged file can hold offsets out of range or invalid UTF-8
        _names(table.schema)  # field names, nested ones too, are decoded lazily: a damaged one fails here
        return table
    except (OSError, pa.ArrowException, UnicodeDecodeError) as error:
        raise ReleaseError(f"{path}: not a readable Arrow file: {error}") from None


def _names(fields) -> None:
    """Decode every field name of a schema or type, nested ones included."""
    import pyarrow as pa

    for item in fields:
        item.name  # noqa: B018
        if pa.types.is_struct(item.type):
            _names(item.type.fields)
        elif pa.types.is_list(item.type) or pa.types.is_large_list(item.type):
            _names([item.type.value_field])


def table_features(table) -> dict:
    """The Hugging Face features (as a plain dict) stored in an Arrow table's schema metadata."""
    metadata = (table.schema.metadata or {}).get(b"huggingface")
    if metadata is None:
        return {}
    try:
        return json.loads(metadata)["info"]["features"]
    except (ValueError, KeyError, TypeError):
        return {}


def decode(value, feature):
    """A value with every ClassLabel int replaced by its name, through lists and structs; the
    feature is the plain-dict form of Hugging Face features ({"_type": "ClassLabel", "names": [...]})."""
    if value is None or feature is None:
        return value
    if isinstance(feature, list):  # the old Sequence form: [inner]
        feature = {"_type": "List", "feature": feature[0]}
    kind = feature.get("_type") if isinstance(feature, dict) else None
    if kind == "ClassLabel":
        names = feature.get("names") or []
        return names[value] if isinstance(value, int) and 0 <= value < len(names) else value
    if kind in ("List", "LargeList", "Sequence"):
        inner = feature.get("feature")
        return [decode(v, inner) for v in value] if isinstance(value, list) else value
    if kind is None and isinstance(feature, dict) and isinstance(value, dict):
        return {k: decode(v, feature.get(k)) for k, v in value.items()}
    return value


def decoded_rows(table, features: dict | None = None) -> list[dict]:
    """The rows of a table, ClassLabel ints as names (features: default from the table's metadata)."""
    features = table_features(table) if features is None else features
    return [{k: decode(v, features.get(k)) for k, v in row.items()} for row in table.to_pylist()]


@dataclass
class Release:
    """A release to read: where it is, its version, and its tables (read on first use)."""

    source: str  # the folder, or OWNER/NAME@REVISION
    version: str | None
    _paths: dict[tuple[str, str], Path] = field(default_factory=dict)
    _hub: tuple[str, str] | None = None
    _cache: dict = field(default_factory=dict)

    def configs(self) -> list[tuple[str, str]]:
        if self._hub:
            from datasets import get_dataset_config_names, get_dataset_split_names

            repo, revision = self._hub
            with _hub_errors(f"read the configs of {repo}@{revision}"):
                return [
                    (c, s)
                    for c in get_dataset_config_names(repo, revision=revision)
                    for s in get_dataset_split_names(repo, c, revision=revision)
                ]
        return sorted(self._paths)

    def table(self, config: str, split: str):
        """The Arrow table of one config and split (with its HF features in the schema metadata)."""
        key = (config, split)
        if key not in self._cache:
            self._cache[key] = self._load(config, split)
        return self._cache[key]

    def _load(self, config: str, split: str):
        if self._hub is None:
            if (config, split) not in self._paths:
                raise ReleaseError(f"{self.source} has no data/{config}/{split}.arrow")
            return read_arrow(self._paths[config, split])
        return _hub_table(*self._hub, config, split)

    def rows(self, config: str, split: str) -> list[dict]:
        return decoded_rows(self.table(config, split))


@contextmanager
def _hub_errors(doing: str) -> Iterator[None]:
    """Any failure of the Hub or the network, whatever client raised it, as one ReleaseError line."""
    try:
        yield
    except Exception as error:
        raise ReleaseError(f"cannot {doing}: {' '.join(str(error).split())}") from None


def _hub_table(repo: str, revision: str, config: str, split: str):
    """One config/split of a Hub dataset through datasets.load_dataset, features in the metadata."""
    import datasets

    with _hub_errors(f"load {config}/{split} of {repo}@{revision}"):
        ds = datasets.load_dataset(repo, config, split=split, revision=revision)
    table = ds.data.table
    metadata = {b"huggingface": json.dumps({"info": {"features": ds.features.to_dict()}}).encode()}
    return table.replace_schema_metadata(metadata)


def open_release(spec: str | Path, require_manifest: bool = False) -> Release:
    """A local release folder, or a Hub dataset id at a revision (OWNER/NAME@v1.0.0).
    A path that exists is always a folder; anything else of the form OWNER/NAME@REVISION is a Hub id.
    A folder needs data/<config>/<split>.arrow files; with require_manifest, a MANIFEST.json whose
    data files are all there (DataError, rule release-file-missing, if not)."""
    if not isinstance(spec, (str, Path)):
        raise ReleaseError(f"a release is a folder or OWNER/NAME@REVISION, not {spec!r}")
    path = Path(spec)
    if path.exists() or not HUB_ID.match(str(spec)):
        if not path.is_dir():
            raise ReleaseError(f"{path}: no such release folder (a Hub dataset is OWNER/NAME@REVISION)")
        manifest = read_manifest(path) if require_manifest or (path / MANIFEST).exists() else {"version": None}
        if require_manifest:
            check_listed_data(path, manifest)
        tables = {(p.parent.name, p.stem): p for p in sorted(path.glob("data/*/*.arrow"))}
        if not tables:
            raise ReleaseError(f"{path}: not a release folder (no data/<config>/<split>.arrow files)")
        return Release(str(path), manifest["version"], tables)
    m = HUB_ID.match(str(spec))
    return Release(str(spec), m["revision"], _hub=(m["repo"], m["revision"]))
