"""The package's own errors, and the exit codes the CLI turns them into.

exit 0: ok; 1: the data or input is wrong (every problem as `path:line: rule: message`);
2: usage or environment (one line). Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from finnews.checks.incidents import Incident


class FinnewsError(Exception):
    """Base class: an error whose message is for people."""

    exit_code = 2


class UsageError(FinnewsError):
    """Bad arguments or environment: a missing input path, no data root, an unwritable output."""

    exit_code = 2


class DataError(FinnewsError):
    """The data or input is wrong: every problem found, as incidents."""

    exit_code = 1

    def __init__(self, incidents: list[Incident], summary: str = ""):
        from finnews.checks.incidents import format_text

        self.incidents = list(incidents)
        text = format_text(self.incidents)
        super().__init__(f"{text}\n{summary}" if summary else text)
