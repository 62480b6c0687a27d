"""`finnews build`: validate, then write a versioned release folder atomically.

dist/finnews-zh-<version>/
  README.md                      dataset card: YAML metadata + the datasheet body
  data/<config>/<split>.arrow    Arrow IPC streams with the HF features in the schema metadata
  MANIFEST.json                  every file's size and sha256, source commit, schema hashes, counts
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from finnews import __version__
from finnews.release.rows import SPLITS, tables
from finnews.release.card import dataset_card
from finnews.data.gold import load_gold
from finnews.data.paths import data_root, schema_dir
from finnews.data.schema import ANNOTATION_LAYERS
from finnews.checks.validate import format_text, validate

NAME = "finnews-zh"


@dataclass
class BuildResult:
    path: Path
    counts: dict[str, dict[str, int]]
    excluded: dict[str, int]
    unchanged: bool  # the folder already held exactly this release


def default_out(version: str = __version__) -> Path:
    return data_root() / "dist" / f"{NAME}-{version}"


def write_arrow(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_commit(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


def file_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def excluded_records(root: Path) -> dict[str, int]:
    """Records per layer that are not `checked` (left out of a release)."""
    everything = load_gold(root)
    return {layer: sum(r["review"]["status"] != "checked" for r in everything.layers[layer]) for layer in ANNOTATION_LAYERS}


def build(out: Path | None = None, strict: bool = False, root: Path | None = None, version: str = __version__) -> BuildResult:
    """Validate the data, then write the release folder; refuse to change an existing release."""
    root = Path(root or data_root())
    out = Path(out or default_out(version))
    incidents = validate(root)
    if incidents:
        raise ValueError(f"the data does not validate; nothing was built:\n{format_text(incidents)}")
    excluded = excluded_records(root)
    if strict and any(excluded.values()):
        raise ValueError(f"--strict: draft or disputed records exist: {excluded}")

    gold = load_gold(root, checked_only=True)
    by_config = tables(gold)
    counts = {config: {split: by_config[config][split].num_rows for split in SPLITS} for config in by_config}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for config, splits in by_config.items():
            for split, table in splits.items():
                write_arrow(table, tmp / "data" / config / f"{split}.arrow")
        (tmp / "README.md").write_text(dataset_card(root, version, counts), encoding="utf-8")
        manifest = {
            "name": NAME,
            "version": version,
            "source_commit": source_commit(root),
            "schemas": {p.relative_to(schema_dir()).as_posix(): sha256_file(p) for p in sorted(schema_dir().rglob("*.schema.json"))},
            "counts": counts,
            "excluded_not_checked": excluded,
            "files": [{"path": path, "bytes": (tmp / path).stat().st_size, "sha256": digest}
                      for path, digest in file_hashes(tmp).items()],
        }
        (tmp / "MANIFEST.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if out.exists():
            if file_hashes(out) != file_hashes(tmp):
                raise FileExistsError(f"{out} exists with different contents: a release never changes under its "
                                      f"version; bump the version in pyproject.toml (see CONTRIBUTING.md)")
            shutil.rmtree(tmp)
            return BuildResult(out, counts, excluded, unchanged=True)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
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
