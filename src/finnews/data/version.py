"""The version of the package, and the version of the release a data root builds.

A release is versioned by the `version` in its checkout's pyproject.toml: that is where a
maintainer bumps it (CONTRIBUTING.md), and it must count at once, without reinstalling. The
installed package's version is the fallback (a data root that is not a checkout).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

# the [project] table runs to the next line that starts a table (`[`); Python 3.10 has no tomllib
_PROJECT_VERSION = re.compile(r'^\[project\][ \t]*(?:#.*)?\n(?:(?!\[).*\n)*?[ \t]*version\s*=\s*"(?P<version>[^"]+)"', re.M)


@lru_cache(maxsize=1)
def installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("finnews-zh")
    except PackageNotFoundError:  # running from a source tree without installing
        return "0+unknown"


def project_version(root: Path) -> str | None:
    """The [project] version of root/pyproject.toml, or None when there is none."""
    path = Path(root) / "pyproject.toml"
    if not path.is_file():
        return None
    m = _PROJECT_VERSION.search(path.read_text(encoding="utf-8"))
    return m["version"] if m else None


def release_version(root: Path) -> str:
    """The version a release built from root gets: its pyproject.toml's, else the installed one."""
    return project_version(root) or installed_version()
