"""The gold data as one object: articles, sentences, splits and the annotation layers, grouped by
sentence. The build, the evaluator, the baselines and the exporters all read it from here."""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from finnews.data import corpus
from finnews.data.jsonl import read_jsonl
from finnews.data.paths import data_root
from finnews.data.schema import ANNOTATION_LAYERS

RECORD_LAYERS = ("entities", "numeric_facts", "stance", "stance_labels")


@dataclass
class Gold:
    root: Path
    articles: list[dict]
    texts: dict[str, str]
    splits: dict[str, str]
    layers: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def sentences(self) -> list[dict]:
        return self.layers["sentences"]

    def sentence_of(self, record: dict) -> dict:
        """The sentence holding a record's main span (validated data: there is exactly one)."""
        starts, sentences = self._index[record["article"]]
        return sentences[bisect.bisect_right(starts, record["start"]) - 1]

    @cached_property
    def _index(self) -> dict[str, tuple[list[int], list[dict]]]:
        """Article -> (sentence starts, sentences), in text order."""
        index: dict[str, tuple[list[int], list[dict]]] = {}
        for s in self.sentences:
            starts, sentences = index.setdefault(s["article"], ([], []))
            starts.append(s["start"])
            sentences.append(s)
        return index

    def by_sentence(self, layer: str) -> dict[str, list[dict]]:
        """Sentence id -> the layer's records in that sentence (every sentence present, maybe empty)."""
        out: dict[str, list[dict]] = {s["id"]: [] for s in self.sentences}
        for record in self.layers[layer]:
            out[self.sentence_of(record)["id"]].append(record)
        return out

    def split_sentences(self, split: str | None) -> list[dict]:
        return [s for s in self.sentences if split is None or self.splits[s["article"]] == split]


def load_gold(root: Path | None = None, checked_only: bool = False) -> Gold:
    """Read everything under root (default: the data root). With checked_only, drop records whose
    review status is not `checked` (what a release contains)."""
    root = Path(root or data_root())
    articles = corpus.load_articles(root / "corpus")
    splits = json.loads((root / "corpus" / "splits.json").read_text(encoding="utf-8"))["articles"]
    gold = Gold(root, articles, {a["id"]: corpus.article_text(a) for a in articles}, splits)
    for layer in ANNOTATION_LAYERS:
        records = read_jsonl(root / "annotations" / f"{layer}.jsonl")
        if checked_only:
            records = [r for r in records if r["review"]["status"] == "checked"]
        gold.layers[layer] = records
    return gold


def relative(span: dict | None, sentence: dict) -> dict | None:
    """A span re-based on its sentence (for sentence-level rows); None stays None."""
    if span is None:
        return None
    if span.get("start") is None:
        return {"start": None, "end": None, "text": span["text"]}
    return {"start": span["start"] - sentence["start"], "end": span["end"] - sentence["start"], "text": span["text"]}
