"""Where things are: the data root (found the way git finds a repository) and the JSON Schemas.

The data root is the folder that holds `corpus/articles.jsonl` (a checkout of this repository, or
a fixture corpus): `finnews --root DIR` (set_root), else FINNEWS_ROOT, else the nearest folder at or
above the current directory that holds it. It never depends on where the package is installed.
"""

from __future__ import annotations

import os
from pathlib import Path

from finnews.errors import UsageError

MARKER = Path("corpus") / "articles.jsonl"
_PACKAGE = Path(__file__).resolve().parents[1]
_explicit: Path | None = None


def set_root(path: str | Path | None) -> None:
    """Use this data root for the rest of the process (`finnews --root DIR`); None forgets it."""
    global _explicit
    _explicit = None if path is None else Path(path)


def find_root(start: str | Path | None = None) -> Path | None:
    """The nearest folder at or above start (default: the current directory) holding corpus/articles.jsonl."""
    here = Path(start or Path.cwd()).resolve()
    return next((folder for folder in (here, *here.parents) if (folder / MARKER).is_file()), None)


def data_root() -> Path:
    """The data root (see the module docstring); UsageError when there is none."""
    for given, how in ((_explicit, "--root"), (os.environ.get("FINNEWS_ROOT") or None, "FINNEWS_ROOT")):
        if given is not None:
            root = Path(given)
            if not (root / MARKER).is_file():
                raise UsageError(f"{how} {root} is not a FinNews-ZH data root (no {MARKER.as_posix()} in it)")
            return root
    root = find_root()
    if root is None:
        raise UsageError(
            f"no FinNews-ZH data root at or above {Path.cwd()}: run inside a clone of the repository, "
            "or pass --root DIR or set FINNEWS_ROOT"
        )
    return root


def as_root(root: str | Path | None = None) -> Path:
    """A data root given to a library function (a path), or the data root when None."""
    if root is None:
        return data_root()
    if not isinstance(root, (str, Path)):
        raise UsageError(f"root must be a path to a data root, not {root!r}")
    return Path(root)


def corpus_dir() -> Path:
    return data_root() / "corpus"


def annotations_dir() -> Path:
    return data_root() / "annotations"


def schema_dir() -> Path:
    """The JSON Schemas: shipped inside the wheel as finnews/schemas; in a source checkout (an
    editable install) they are read from annotations/schema, their one copy in the repository."""
    shipped = _PACKAGE / "schemas"
    return shipped if shipped.is_dir() else _PACKAGE.parents[1] / "annotations" / "schema"
