"""Shared test set-up: every test starts from the same environment, whatever the shell had."""

from __future__ import annotations

import os
import shutil

import pytest

from finnews.data.paths import set_root


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No FINNEWS_ROOT or --root leaks in or out of a test: the data root is found from the working
    directory (the checkout, where pytest runs) unless the test says otherwise."""
    monkeypatch.delenv("FINNEWS_ROOT", raising=False)
    set_root(None)
    yield
    set_root(None)


def browser() -> str:
    """The Chromium binary; the test is skipped with its reason when there is none, unless
    FINNEWS_REQUIRE_BROWSER=1 (set by .ci/run), where a missing browser is a failure."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        reason = "chromium is not installed: apt-get install -y chromium (.ci/run installs it and requires it)"
        if os.environ.get("FINNEWS_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return binary
