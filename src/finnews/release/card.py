"""The release's dataset card: Hugging Face YAML metadata on top of the datasheet."""
from __future__ import annotations

from finnews.data.gold import Gold
from finnews.release.datasheet import rendered_datasheet
from finnews.data.schema import SPLITS
from finnews.release.features import CONFIGS, DEFAULT_CONFIG, features


def size_category(n: int) -> str:
    return "n<1K" if n < 1000 else "1K<n<10K" if n < 10_000 else "10K<n<100K"


def metadata(version: str, counts: dict[str, dict[str, int]]) -> dict:
    configs = [{"config_name": c, **({"default": True} if c == DEFAULT_CONFIG else {}),
                "data_files": [{"split": s, "path": f"data/{c}/{s}.arrow"} for s in SPLITS]} for c in CONFIGS]
    info = [{"config_name": c, "features": features(c)._to_yaml_list(),
             "splits": [{"name": s, "num_examples": counts[c][s]} for s in SPLITS]} for c in CONFIGS]
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
        "size_categories": [size_category(sum(counts[DEFAULT_CONFIG].values()))],
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": ["named-entity-recognition", "sentiment-classification"],
        "configs": configs,
        "dataset_info": info,
    }


def dataset_card(gold: Gold, version: str, counts: dict[str, dict[str, int]]) -> str:
    import yaml

    front = yaml.safe_dump(metadata(version, counts), sort_keys=False, allow_unicode=True, width=1000)
    loading = (f"# FinNews-ZH {version}\n\n```python\nfrom datasets import load_dataset\n"
               f'ds = load_dataset("<this folder or OWNER/NAME>", "sentences")  # configs: {", ".join(CONFIGS)}\n```\n\n'
               "To review the annotations in context, build the corpus browser from the repository: "
               "`finnews show --out browse/` and open `browse/index.html` (every entity, numeric fact and "
               "stance record, with review status and source-issue notes).\n\n")
    return f"---\n{front}---\n\n{loading}{rendered_datasheet(gold)}"
