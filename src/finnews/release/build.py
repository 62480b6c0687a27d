"""`finnews build`: validate, then write a versioned release folder atomically.

dist/finnews-zh-<version>/
  README.md                      dataset card: YAML metadata + the datasheet body
  data/<config>/<split>.arrow    Arrow IPC files (random access) with the HF features in the schema metadata
  results.json                   the baseline results (results/baselines.json, computed on this data)
  annotations/, *.md, LICENSE    the documents the card links to (guidelines, schemas, provenance, drafts, ...)
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
from finnews.data.paths import as_root, schema_dir
from finnews.data.schema import ANNOTATION_LAYERS, CHECKED, SPLITS
from finnews.data.version import release_version
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


#: documents of the data root shipped in every release, at the same relative paths, so that the
#: card's links (and theirs) resolve inside the release folder and on the Hub
DOCUMENTS = (
    "CONTRIBUTING.md",
    "ERRATA.md",
    "CHANGELOG.md",
    "LICENSE",
    "annotations/GUIDELINES.md",
    "annotations/PROVENANCE.md",
    "annotations/drafts/*.jsonl",
)


def write_arrow(table, path: Path) -> None:
    """The IPC file format (random access): pyarrow.ipc.open_file, feather, polars and duckdb read
    it directly, and `datasets` reads it like a stream."""
    import pyarrow as pa

    path.parent.mkdir(parents=True, exist_ok=True)
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def copy_documents(root: Path, folder: Path) -> None:
    """The documents the card links to, and the JSON Schemas the package validates with."""
    for pattern in DOCUMENTS:
        for source in sorted(root.glob(pattern)):
            target = folder / source.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    schemas = schema_dir()
    for source in sorted(schemas.rglob("*.schema.json")):
        target = folder / "annotations" / "schema" / source.relative_to(schemas)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())


def results_for(root: Path, gold: Gold) -> bytes | None:
    """results/baselines.json when the data root has one, refused unless it was computed on this data."""
    from finnews.benchmark.reference import from_gold
    from finnews.benchmark.results import RESULTS, fingerprint

    path = root / RESULTS
    if not path.is_file():
        return None
    data = path.read_bytes()
    try:
        recorded = json.loads(data).get("fingerprint")
    except (ValueError, AttributeError):
        recorded = None
    if recorded != fingerprint(from_gold(gold)):
        raise UsageError(f"{path} was not computed on this data: run `python scripts/regenerate.py` (CONTRIBUTING.md)")
    return data


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


def write_release(folder: Path, gold: Gold, version: str, with_results: bool = True) -> dict[str, dict[str, int]]:
    """Every file of the release into an empty folder; the counts per config and split."""
    released = gold.checked_only()
    results = results_for(gold.root, released) if with_results else None
    by_config = tables(released)
    counts = {config: {split: by_config[config][split].num_rows for split in SPLITS} for config in by_config}
    sizes = {config: {split: (t.num_rows, t.nbytes) for split, t in splits.items()} for config, splits in by_config.items()}
    for config, splits in by_config.items():
        for split, table in splits.items():
            write_arrow(table, folder / "data" / config / f"{split}.arrow")
    commit = source_commit(gold.root)
    copy_documents(gold.root, folder)
    if results is not None:
        (folder / "results.json").write_bytes(results)
    (folder / "README.md").write_text(dataset_card(gold, version, sizes, commit, results is not None), encoding="utf-8")
    schemas = schema_dir()
    manifest = {
        "name": NAME,
        "version": version,
        "source_commit": commit,
        "schemas": {p.relative_to(schemas).as_posix(): sha256_file(p) for p in sorted(schemas.rglob("*.schema.json"))},
        "counts": counts,
        "excluded_not_checked": excluded_records(gold),
        "files": [
            {"path": path, "bytes": (folder / path).stat().st_size, "sha256": digest}
            for path, digest in file_hashes(folder).items()
        ],
    }
    (folder / "MANIFEST.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return counts


def build(
    out: Path | None = None, strict: bool = False, root: Path | None = None, version: str | None = None, with_results: bool = True
) -> BuildResult:
    """Validate the data, then write the release folder; refuse to change an existing release.
    The version defaults to the data root's pyproject.toml (finnews.data.version). with_results:
    ship results/baselines.json (refused when computed on other data); off for working-tree diffs."""
    root = as_root(root)
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
        counts = write_release(tmp, gold, version, with_results)
        if out.exists() and any(out.iterdir()):
            if file_hashes(out) != file_hashes(tmp):
                raise UsageError(
                    f"{out} exists with different contents: a release never changes under its version "
                    f"({version}); bump the version in pyproject.toml (see CONTRIBUTING.md)"
                )
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
