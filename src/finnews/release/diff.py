"""What changed between two releases: per config and split, the rows added, removed and changed
(matched by row `id`), with the changed fields.

Values are compared decoded: ClassLabel ints become their names, using each release's own features
(so a label set that grew between versions does not show as a relabelling). Inside a row, a list
whose elements all carry an `id` (entities, numeric_facts, stance) is compared element by element:
elements added, removed, and changed with their fields. Nested structs are compared field by field
(`holder.start`), other lists position by position when their lengths agree (`ner_tags[3]`; the
text output joins consecutive positions: `ner_tags[6..9]`), else as whole values. Columns present in only one release are reported once per table, not per row.

The result of `diff_releases` is plain data (JSON-ready, stable order):

    {"old": {"path", "version"}, "new": {"path", "version"},
     "configs": {config: {split: {"only_in": null|"old"|"new", "columns_added": [...], "columns_removed": [...],
                                  "added": {id: row}, "removed": {id: row}, "changed": {id: CHANGE}}}},
     "totals": {"added": n, "removed": n, "changed": n}}
    CHANGE = {"fields": {path: {"old": x, "new": y}},
              "lists": {path: {"added": {id: element}, "removed": {id: element}, "changed": {id: CHANGE}}}}
"""

from __future__ import annotations

import json
import math
import re
import tempfile
from pathlib import Path

from finnews.data.schema import SPLITS
from finnews.release import CONFIGS
from finnews.release.read import Release, ReleaseError, decoded_rows, open_release

WORKING_TREE = "working tree"
INDEXED = re.compile(r"^(.*)\[(\d+)\]$")


# -- reading a release ---------------------------------------------------------------------------


def read_rows(release: Release, config: str, split: str) -> tuple[list[str], dict[str, dict]]:
    """(column names, {row id: decoded row}) of one table of a release."""
    table = release.table(config, split)
    where = f"{release.source} {config}/{split}"
    if "id" not in table.column_names:
        raise ReleaseError(f"{where}: no `id` column; rows cannot be matched")
    rows: dict[str, dict] = {}
    for row in decoded_rows(table):
        if not isinstance(row["id"], str):
            raise ReleaseError(f"{where}: row id {row['id']!r} is not a string")
        if row["id"] in rows:
            raise ReleaseError(f"{where}: row id {row['id']!r} occurs twice")
        rows[row["id"]] = row
    return table.column_names, rows


def _table_order(key: tuple[str, str]) -> tuple:
    """Configs in release order, then splits train, validation, test; unknown names after, sorted."""
    config, split = key
    return (
        CONFIGS.index(config) if config in CONFIGS else len(CONFIGS),
        config,
        SPLITS.index(split) if split in SPLITS else len(SPLITS),
        split,
    )


# -- comparing values ----------------------------------------------------------------------------


def _same(a, b) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def id_order(key: str) -> list:
    """Natural order of ids: s2 before s10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key)]


def _is_id_list(a, b) -> bool:
    items = [*a, *b]
    if not items or not all(isinstance(x, dict) and "id" in x for x in items):
        return False
    return len({x["id"] for x in a}) == len(a) and len({x["id"] for x in b}) == len(b)


def compare(old: dict, new: dict) -> dict:
    """CHANGE between two records (see the module docstring); empty fields and lists if equal."""
    change: dict = {"fields": {}, "lists": {}}
    for key in [k for k in old if k in new]:
        _compare(old[key], new[key], key, change)
    return change


def _compare(a, b, path: str, change: dict) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [k for k in a if k in b]:
            _compare(a[key], b[key], f"{path}.{key}", change)
        for key in [k for k in a if k not in b] + [k for k in b if k not in a]:
            change["fields"][f"{path}.{key}"] = {"old": a.get(key), "new": b.get(key)}
    elif isinstance(a, list) and isinstance(b, list) and _is_id_list(a, b):
        listed = compare_by_id({x["id"]: x for x in a}, {x["id"]: x for x in b})
        if listed["added"] or listed["removed"] or listed["changed"]:
            change["lists"][path] = listed
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            _compare(x, y, f"{path}[{i}]", change)
    elif not _same(a, b):
        change["fields"][path] = {"old": a, "new": b}


def compare_by_id(old: dict[str, dict], new: dict[str, dict]) -> dict:
    """{"added", "removed", "changed"} between two {id: record} maps, ids in natural order."""
    changed = {}
    for key in sorted(old.keys() & new.keys(), key=id_order):
        change = compare(old[key], new[key])
        if change["fields"] or change["lists"]:
            changed[key] = change
    return {
        "added": {k: new[k] for k in sorted(new.keys() - old.keys(), key=id_order)},
        "removed": {k: old[k] for k in sorted(old.keys() - new.keys(), key=id_order)},
        "changed": changed,
    }


# -- releases ------------------------------------------------------------------------------------


def diff_releases(old: str | Path, new: str | Path) -> dict:
    """Compare two releases, local folders or Hub ids (see the module docstring for the result)."""
    old_release, new_release = open_release(old, require_manifest=True), open_release(new, require_manifest=True)
    old_tables, new_tables = set(old_release.configs()), set(new_release.configs())
    configs: dict[str, dict] = {}
    totals = {"added": 0, "removed": 0, "changed": 0}
    for config, split in sorted(old_tables | new_tables, key=_table_order):
        old_columns, old_rows = read_rows(old_release, config, split) if (config, split) in old_tables else ([], {})
        new_columns, new_rows = read_rows(new_release, config, split) if (config, split) in new_tables else ([], {})
        only_in = (
            None
            if (config, split) in old_tables and (config, split) in new_tables
            else "old"
            if (config, split) in old_tables
            else "new"
        )
        entry = {
            "only_in": only_in,
            "columns_added": [c for c in new_columns if c not in old_columns] if only_in is None else [],
            "columns_removed": [c for c in old_columns if c not in new_columns] if only_in is None else [],
            **compare_by_id(old_rows, new_rows),
        }
        for kind in totals:
            totals[kind] += len(entry[kind])
        configs.setdefault(config, {})[split] = entry
    return {
        "old": {"path": old_release.source, "version": old_release.version},
        "new": {"path": new_release.source, "version": new_release.version},
        "configs": configs,
        "totals": totals,
    }


def diff_working_tree(old: str | Path, root: Path | None = None) -> dict:
    """Compare a release with a release built from the working tree (in a temporary folder)."""
    from finnews.release import build as building

    open_release(old, require_manifest=True)  # fail on a bad OLD before building anything
    with tempfile.TemporaryDirectory(prefix="finnews-diff-") as tmp:
        built = building.build(out=Path(tmp) / "working-tree", root=root, with_results=False)
        result = diff_releases(old, built.path)
    result["new"]["path"] = WORKING_TREE
    return result


def diff(old: str | Path, new: str | Path | None = None, root: Path | None = None) -> dict:
    """`finnews diff`: two releases, or (new None or ".") a release and the working tree."""
    if new is None or str(new) == ".":
        return diff_working_tree(old, root)
    return diff_releases(old, new)


# -- output --------------------------------------------------------------------------------------


def format_json(diff: dict) -> str:
    return json.dumps(diff, ensure_ascii=False, indent=2)


def _value(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _preview(row: dict, width: int = 60) -> str:
    text = row.get("text")
    if not isinstance(text, str):
        return ""
    return "  " + _value(text if len(text) <= width else text[:width] + "…")


def _element(element: dict) -> str:
    return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in element.items() if k != "id") + "}"


def _runs(fields: dict) -> list[tuple[str, list, list]]:
    """Changed fields as (label, old values, new values); consecutive positions of one list
    (ner_tags[6], ner_tags[7], ...) become one run (ner_tags[6..7])."""
    runs: list[list] = []  # [base, first, last, olds, news]
    for path, c in fields.items():
        m = INDEXED.match(path)
        if m and runs and runs[-1][0] == m[1] and runs[-1][2] == int(m[2]) - 1:
            runs[-1][2] += 1
            runs[-1][3].append(c["old"])
            runs[-1][4].append(c["new"])
        else:
            runs.append([m[1], int(m[2]), int(m[2]), [c["old"]], [c["new"]]] if m else [path, None, None, [c["old"]], [c["new"]]])
    out = []
    for base, first, last, olds, news in runs:
        if first is None:
            out.append((base, olds[0], news[0]))
        elif first == last:
            out.append((f"{base}[{first}]", olds[0], news[0]))
        else:
            out.append((f"{base}[{first}..{last}]", olds, news))
    return out


def _change_lines(change: dict, indent: str) -> list[str]:
    lines = [f"{indent}{label}: {_value(old)} -> {_value(new)}" for label, old, new in _runs(change["fields"])]
    for path, listed in change["lists"].items():
        lines += [f"{indent}{path}: + {key} {_element(e)}" for key, e in listed["added"].items()]
        lines += [f"{indent}{path}: - {key} {_element(e)}" for key, e in listed["removed"].items()]
        for key, sub in listed["changed"].items():
            lines.append(f"{indent}{path}: ~ {key}")
            lines += _change_lines(sub, indent + "    ")
    return lines


def format_text(diff: dict) -> str:
    """The diff for people: one block per config/split, ids sorted, `+` added, `-` removed, `~` changed."""
    old, new = diff["old"], diff["new"]
    lines = [f"old: {old['path']} ({old['version']})", f"new: {new['path']} ({new['version']})"]
    for config, splits in diff["configs"].items():
        for split, t in splits.items():
            counts = f"+{len(t['added'])} -{len(t['removed'])} ~{len(t['changed'])}"
            where = {"old": " (only in old)", "new": " (only in new)"}.get(t["only_in"], "")
            empty = not (t["added"] or t["removed"] or t["changed"] or t["columns_added"] or t["columns_removed"])
            lines.append(f"{config}/{split}{where}: {'no changes' if empty else counts}")
            lines += [f"  column added: {c}" for c in t["columns_added"]]
            lines += [f"  column removed: {c}" for c in t["columns_removed"]]
            lines += [f"  + {key}{_preview(row)}" for key, row in t["added"].items()]
            lines += [f"  - {key}{_preview(row)}" for key, row in t["removed"].items()]
            for key, change in t["changed"].items():
                lines.append(f"  ~ {key}")
                lines += _change_lines(change, "      ")
    totals = diff["totals"]
    lines.append(f"total: {totals['added']} added, {totals['removed']} removed, {totals['changed']} changed rows")
    return "\n".join(lines)
