"""`finnews build`: validate, then write a versioned release folder atomically.

dist/finnews-zh-<version>/
  README.md                      dataset card: YAML metadata + the datasheet body
  data/<config>/<split>.arrow    Arrow IPC files with the HF features in the schema metadata
  MANIFEST.json                  every file's size and sha256, source commit, schema hashes, counts
"""
from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from finnews.checks.validate import check
from finnews.data.files import move_into_place, sha256_file, staged_folder
from finnews.data.gold import Gold
from finnews.data.paths import data_root, schema_dir
from finnews.data.version import release_version
from finnews.data.schema import ANNOTATION_LAYERS, CHECKED, SPLITS
from finnews.errors import DataError, UsageError
from finnews.release.card import dataset_card
from finnews.release.rows import tables

NAME = "finnews-zh"


@dataclass
class BuildResult:
    path: Path
    counts: dict[str, dict[str, int]]
    excluded: dict[str, int]
    unchanged: bool  # the folder already held exactly this release


def default_out(version: str, root: Path) -> Path:
    return Path(root) / "dist" / f"{NAME}-{version}"


def write_arrow(table, path: Path) -> None:
    import pyarrow as pa

    path.parent.mkdir(parents=True, exist_ok=True)
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)


def source_commit(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


def file_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def excluded_records(gold: Gold) -> dict[str, int]:
    """Records per layer that are not `checked` (left out of a release)."""
    return {layer: sum(r["review"]["status"] != CHECKED for r in gold.layers[layer]) for layer in ANNOTATION_LAYERS}


def write_release(folder: Path, gold: Gold, version: str) -> dict[str, dict[str, int]]:
    """Every file of the release into an empty folder; the counts per config and split."""
    released = gold.checked_only()
    by_config = tables(released)
    counts = {config: {split: by_config[config][split].num_rows for split in SPLITS} for config in by_config}
    for config, splits in by_config.items():
        for split, table in splits.items():
            write_arrow(table, folder / "data" / config / f"{split}.arrow")
    (folder / "README.md").write_text(dataset_card(gold, version, counts), encoding="utf-8")
    schemas = schema_dir()
    manifest = {
        "name": NAME,
        "version": version,
        "source_commit": source_commit(gold.root),
        "schemas": {p.relative_to(schemas).as_posix(): sha256_file(p) for p in sorted(schemas.rglob("*.schema.json"))},
        "counts": counts,
        "excluded_not_checked": excluded_records(gold),
        "files": [{"path": path, "bytes": (folder / path).stat().st_size, "sha256": digest}
                  for path, digest in file_hashes(folder).items()],
    }
    (folder / "MANIFEST.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return counts


def build(out: Path | None = None, strict: bool = False, root: Path | None = None, version: str | None = None) -> BuildResult:
    """Validate the data, then write the release folder; refuse to change an existing release.
    The version defaults to the data root's pyproject.toml (finnews.data.version)."""
    root = Path(root or data_root())
    version = version or release_version(root)
    out = Path(out or default_out(version, root))
    checked = check(root)
    if checked.incidents:
        raise DataError(checked.incidents, "the data does not validate; nothing was built")
    gold = checked.gold
    excluded = excluded_records(gold)
    if strict and any(excluded.values()):
        raise UsageError(f"--strict: draft or disputed records exist: {excluded}")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder")
    with staged_folder(out) as tmp:
        counts = write_release(tmp, gold, version)
        if out.exists() and any(out.iterdir()):
            if file_hashes(out) != file_hashes(tmp):
                raise UsageError(f"{out} exists with different contents: a release never changes under its version "
                                 f"({version}); bump the version in pyproject.toml (see CONTRIBUTING.md)")
            return BuildResult(out, counts, excluded, unchanged=True)
        move_into_place(tmp, out)
    return BuildResult(out, counts, excluded, unchanged=False)


def summary(result: BuildResult) -> str:
    lines = [f"{'unchanged' if result.unchanged else 'built'}: {result.path}"]
    lines.append(f"{'config':<15}" + "".join(f"{s:>12}" for s in SPLITS))
    for config, counts in result.counts.items():
        lines.append(f"{config:<15}" + "".join(f"{counts[s]:>12}" for s in SPLITS))
    left_out = {k: v for k, v in result.excluded.items() if v}
    lines.append(f"left out (not checked): {left_out}" if left_out else "left out (not checked): none")
    lines.append(f'load it with: datasets.load_dataset("{result.path}", "sentences")')
    return "\n".join(lines)
