"""The release's dataset card: Hugging Face YAML metadata on top of the datasheet."""

from __future__ import annotations

from finnews.data.gold import Gold
from finnews.data.schema import SPLITS
from finnews.release import CONFIGS, DEFAULT_CONFIG
from finnews.release.datasheet import checked_by_table, rendered_datasheet
from finnews.release.features import features


def size_category(n: int) -> str:
    return "n<1K" if n < 1000 else "1K<n<10K" if n < 10_000 else "10K<n<100K"


def metadata(version: str, sizes: dict[str, dict[str, tuple[int, int]]]) -> dict:
    """The card's YAML: configs and their files, and per config its features and, per split, the
    rows and Arrow bytes (`datasets` warns about a split without num_bytes)."""
    configs = [
        {
            "config_name": c,
            **({"default": True} if c == DEFAULT_CONFIG else {}),
            "data_files": [{"split": s, "path": f"data/{c}/{s}.arrow"} for s in SPLITS],
        }
        for c in CONFIGS
    ]
    info = [
        {
            "config_name": c,
            "features": features(c)._to_yaml_list(),
            "splits": [{"name": s, "num_bytes": sizes[c][s][1], "num_examples": sizes[c][s][0]} for s in SPLITS],
            "dataset_size": sum(sizes[c][s][1] for s in SPLITS),
        }
        for c in CONFIGS
    ]
    return {
        "pretty_name": "FinNews-ZH",
        "version": version,
        "language": ["zh"],
        "license": "other",
        "license_name": "mixed",
        "license_details": "Annotations CC BY 4.0; code MIT; the news text is © 证券日报社 and not licensed by us (see the datasheet, Distribution).",
        "annotations_creators": ["machine-generated"],
        "language_creators": ["found"],
        "multilinguality": ["monolingual"],
        "source_datasets": ["original"],
        "size_categories": [size_category(sum(rows for rows, _ in sizes[DEFAULT_CONFIG].values()))],
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": ["named-entity-recognition", "sentiment-classification"],
        "configs": configs,
        "dataset_info": info,
    }


def dataset_card(
    gold: Gold, version: str, sizes: dict[str, dict[str, tuple[int, int]]], commit: str | None, results: bool
) -> str:
    """YAML metadata, how to load and evaluate, what this release holds, then the datasheet."""
    import yaml

    front = yaml.safe_dump(metadata(version, sizes), sort_keys=False, allow_unicode=True, width=1000)
    source = f"source commit `{commit}`" if commit else "a source tree that was not a git checkout"
    lines = [
        f"# FinNews-ZH {version}",
        "",
        "```python",
        "from datasets import load_dataset",
        f'ds = load_dataset("<this folder or OWNER/NAME>", "sentences")  # configs: {", ".join(CONFIGS)}',
        "```",
        "",
        "Evaluate a model on this release alone (`pip install finnews-zh`): "
        "`finnews evaluate --task ner --predictions preds.jsonl --release <this folder, or OWNER/NAME@v" + version + ">` "
        "(protocols heldout, zero-shot and cv; see the datasheet, Uses).",
        "",
        f"Built from {source} by `finnews build`. Beside this card: [MANIFEST.json](MANIFEST.json) (every file's "
        "sha256), the [annotation guidelines](annotations/GUIDELINES.md), the [JSON Schemas](annotations/schema/) of "
        "records and predictions, the [provenance](annotations/PROVENANCE.md) of each layer and its blind passes "
        "([annotations/drafts/](annotations/drafts/)), [ERRATA.md](ERRATA.md), [CHANGELOG.md](CHANGELOG.md), "
        "[CONTRIBUTING.md](CONTRIBUTING.md) and the [LICENSE](LICENSE)"
        + (", and the baseline results as data ([results.json](results.json))." if results else "."),
        "",
        "Who checked the records of every layer (from each record's `review.checked_by`; a release holds only checked records):",
        "",
        checked_by_table(gold.checked_only()),
        "",
        "To review the annotations in context, build the corpus browser from the source repository: "
        "`finnews show --out browse/` and open `browse/index.html` (every entity, numeric fact and stance record, with "
        "review status and source-issue notes).",
        "",
        "",
    ]
    return f"---\n{front}---\n\n" + "\n".join(lines) + rendered_datasheet(gold)
