"""The code passes the linter and is formatted as `ruff format` writes it (rules: pyproject.toml,
[tool.ruff]); pre-commit runs the same two commands on every commit."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]


def ruff(*args: str) -> subprocess.CompletedProcess:
    binary = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    return subprocess.run([binary, *args], cwd=CHECKOUT, capture_output=True, text=True)


def test_ruff_finds_nothing():
    done = ruff("check", ".", "--output-format", "concise")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_code_is_formatted():
    done = ruff("format", "--check", ".")
    assert done.returncode == 0, done.stdout + done.stderr
