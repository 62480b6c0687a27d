"""Reading JSONL files whose every problem must be reported, not raised: the annotation layers,
predictions files, a pipeline's input lines.

`parse_line` turns one line's bytes into a JSON object or a (rule, message); `read_records` reads a
whole file and reports each problem with its line through a Report.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from finnews.checks.incidents import Report

MAX_DEPTH = 64  # nesting deeper than any record of ours; deeper input would exhaust the recursion limit
_OPENERS = re.compile(r"[\[{]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # only such an escape can make one


class _DuplicateKey(ValueError):
    pass


def _object(pairs: list[tuple[str, object]]) -> dict:
    record = dict(pairs)
    if len(record) != len(pairs):
        seen: set[str] = set()
        key = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise _DuplicateKey(key)
    return record


def _depth(text: str) -> int:
    """Bracket nesting depth of a JSON text, ignoring brackets inside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            escaped = not escaped and char == "\\"
            in_string = escaped or char != '"'
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _any_scalar(value: object, test: Callable[[object], bool]) -> bool:
    """Whether test holds for a string, number or other scalar anywhere in a JSON value, keys included."""
    if isinstance(value, dict):
        return any(_any_scalar(k, test) or _any_scalar(v, test) for k, v in value.items())
    if isinstance(value, list):
        return any(_any_scalar(v, test) for v in value)
    return test(value)


def _has_surrogate(value: object) -> bool:
    return _any_scalar(value, lambda v: isinstance(v, str) and _SURROGATE.search(v) is not None)


def _has_whole_float(value: object) -> bool:
    return _any_scalar(value, lambda v: isinstance(v, float) and v.is_integer())


def parse_line(raw: bytes) -> tuple[dict | None, tuple[str, str] | None]:
    """(object, None) for a line holding one JSON object, else (None, (rule, message))."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, ("encoding-utf8", f"byte {error.start} of the line is not UTF-8 ({error.reason})")
    if len(_OPENERS.findall(text)) > MAX_DEPTH and _depth(text) > MAX_DEPTH:
        return None, ("json-syntax", f"the JSON is nested more than {MAX_DEPTH} levels deep")
    try:
        value = json.loads(text, object_pairs_hook=_object)
    except _DuplicateKey as error:
        return None, ("json-duplicate-key", f"key {str(error)!r} occurs twice in one object")
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}" if error.lineno > 1 else f"column {error.colno}"
        return None, ("json-syntax", f"{error.msg}: {where}")
    except RecursionError:
        return None, ("json-syntax", f"the JSON is nested more than {MAX_DEPTH} levels deep")
    if not isinstance(value, dict):
        return None, ("json-syntax", f"a JSON {type(value).__name__} is not a record object")
    if _SURROGATE_ESCAPE.search(text) and _has_surrogate(value):
        return None, (
            "encoding-utf8",
            "a string holds an unpaired surrogate escape (such as \\ud800), which no UTF-8 text can hold",
        )
    return value, None


def read_bytes(path: Path, report: Report) -> bytes | None:
    """A file's bytes, or None after reporting why it cannot be read."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        report(0, "file-missing", "the file does not exist")
    except IsADirectoryError:
        report(0, "file-missing", "this is a directory, not a file")
    except OSError as error:
        report(0, "file-missing", f"cannot read the file: {error.strerror or error}")
    return None


def without_bom(data: bytes, report: Report, line: int = 1) -> bytes:
    """The bytes after a UTF-8 byte-order mark, which is reported; the rest is checked as usual.
    line: 1 for a JSONL file, 0 for a file that is one JSON document (as its other problems)."""
    if data.startswith(b"\xef\xbb\xbf"):
        report(line, "encoding-bom", "the file starts with a UTF-8 byte-order mark")
        return data[3:]
    return data


def read_records(path: Path, report: Report, may_be_empty: bool = False) -> list[tuple[int, dict]]:
    """Records of a JSONL file with their line numbers; every format problem goes to report."""
    data = read_bytes(path, report)
    if data is None:
        return []
    if not data.strip():
        if not may_be_empty:
            report(0, "file-empty", "the file is empty")
        return []
    data = without_bom(data, report)
    records = []
    lines = data.split(b"\n")
    if lines[-1]:
        report(len(lines), "line-truncated", "the last line has no final newline")
    for number, raw_line in enumerate(lines, start=1):
        if raw_line.endswith(b"\r"):
            report(number, "line-crlf", "line ends with CR LF")
            raw_line = raw_line[:-1]
        if not raw_line.strip():
            continue
        record, problem = parse_line(raw_line)
        if problem:
            report(number, *problem)
        else:
            records.append((number, record))
    return records


def check_schema(records: list[tuple[int, dict]], schema_name: str, report: Report) -> list[tuple[int, dict]]:
    """Report schema errors; return the records that pass (later checks rely on their shape).

    A record is refused when either validator refuses it. jsonschema-rs is asked first (it is
    fast); the Python validator is asked only about a record jsonschema-rs refuses or one holding
    a whole-number float (which the specification, and so jsonschema-rs, counts as an integer,
    and our Python validator refuses where an integer is required), and gives the messages. When
    only jsonschema-rs refuses (a pattern's `$` matches before a final newline in Python's `re`,
    not in the ECMA-262 regexes JSON Schema specifies), its own messages are reported."""
    from finnews.data.schema import fast_validator, validator

    fast = fast_validator(schema_name)
    valid = []
    for number, record in records:
        fast_valid = fast.is_valid(record)
        if fast_valid and not _has_whole_float(record):
            valid.append((number, record))
            continue
        errors = [
            (_pointer(e.absolute_path), e.message)
            for e in sorted(validator(schema_name).iter_errors(record), key=lambda e: list(map(str, e.absolute_path)))
        ]
        if not errors and not fast_valid:
            errors = [(_pointer(e.instance_path), e.message) for e in fast.iter_errors(record)]
        for pointer, message in errors:
            report(number, "schema", f"{pointer}: {message}")
        if not errors:
            valid.append((number, record))
    return valid


def _pointer(path) -> str:
    return "/" + "/".join(str(p) for p in path)
