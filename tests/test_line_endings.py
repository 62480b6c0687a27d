"""A clone made the way Git for Windows makes them (core.autocrlf=true) holds the committed bytes:
.gitattributes keeps LF in every text file and never converts the raw page or the byte fixtures."""

from __future__ import annotations

import subprocess
from pathlib import Path

from finnews.checks.validate import validate

CHECKOUT = Path(__file__).resolve().parents[1]


def test_a_clone_with_autocrlf_validates_and_keeps_the_raw_bytes(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "-c", "core.autocrlf=true", "clone", "--quiet", "--no-hardlinks", str(CHECKOUT), str(clone)],
        check=True,
        capture_output=True,
    )
    subprocess.run(["git", "-C", str(clone), "config", "core.autocrlf", "true"], check=True)
    assert validate(clone) == []
    committed = subprocess.run(["git", "-C", str(clone), "ls-files"], check=True, capture_output=True, text=True).stdout.split()
    crlf = [name for name in committed if b"\r\n" in (clone / name).read_bytes()]
    assert crlf == ["tests/fixtures/invalid/line-crlf/annotations/entities.jsonl"]  # the one made of CR LF on purpose
    for name in committed:
        blob = subprocess.run(["git", "-C", str(clone), "show", f"HEAD:{name}"], check=True, capture_output=True).stdout
        assert (clone / name).read_bytes() == blob, name
