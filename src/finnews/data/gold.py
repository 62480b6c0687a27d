"""The one view of the corpus: articles, their texts and splits, and the annotation layers,
with the lookups everyone needs (the sentence holding a span, records grouped by sentence).

`finnews validate` builds it from the records that pass its checks, and every command that works
on the annotations takes it from `finnews.checks.validate.check` or `load_valid`; `load_gold` reads
the files without validating them (for callers that need the records as written: tests, scripts).
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from finnews.checks.incidents import Incident
from finnews.data import corpus
from finnews.data.jsonl import read_jsonl
from finnews.data.paths import as_root
from finnews.data.schema import ANNOTATION_LAYERS, CHECKED
from finnews.errors import DataError


@dataclass
class Gold:
    root: Path
    articles: list[dict]
    splits: dict[str, str]  # article id -> split
    layers: dict[str, list[dict]] = field(default_factory=dict)  # layer -> records

    @cached_property
    def texts(self) -> dict[str, str]:
        return {a["id"]: corpus.article_text(a) for a in self.articles}

    @cached_property
    def order(self) -> dict[str, int]:
        """Article id -> position in the corpus."""
        return {a["id"]: i for i, a in enumerate(self.articles)}

    @property
    def sentences(self) -> list[dict]:
        return self.layers["sentences"]

    @cached_property
    def _index(self) -> dict[str, tuple[list[int], list[dict]]]:
        """Article -> (sentence starts, sentences), in text order."""
        index: dict[str, tuple[list[int], list[dict]]] = {}
        for s in sorted(self.sentences, key=lambda s: (s["article"], s["start"])):
            starts, sentences = index.setdefault(s["article"], ([], []))
            starts.append(s["start"])
            sentences.append(s)
        return index

    def article_sentences(self, article: str) -> list[dict]:
        return self._index.get(article, ([], []))[1]

    def sentence_at(self, article: str, start: int, end: int) -> dict | None:
        """The sentence holding [start, end), or None."""
        starts, sentences = self._index.get(article, ([], []))
        i = bisect.bisect_right(starts, start) - 1
        if i < 0:
            return None
        sentence = sentences[i]
        return sentence if start >= sentence["start"] and end <= sentence["end"] else None

    def sentence_of(self, record: dict) -> dict:
        """The sentence holding a record's main span; DataError when none does (data that was not
        validated, or a checked record whose sentence `checked_only` left out)."""
        sentence = self.sentence_at(record["article"], record["start"], record["end"])
        if sentence is None:
            where = f"{record['id']} [{record['start']}, {record['end']}) of {record['article']}"
            message = f"{where} lies in no sentence here (it crosses sentences, or its sentence is not checked)"
            raise DataError([Incident("annotations", 0, "span-crosses-sentence", message)], "run `finnews validate`")
        return sentence

    def by_sentence(self, layer: str) -> dict[str, list[dict]]:
        """Sentence id -> the layer's records in that sentence (every sentence present, maybe empty)."""
        out: dict[str, list[dict]] = {s["id"]: [] for s in self.sentences}
        for record in self.layers[layer]:
            out[self.sentence_of(record)["id"]].append(record)
        return out

    def split_sentences(self, split: str | None) -> list[dict]:
        return [s for s in self.sentences if split is None or self.splits[s["article"]] == split]

    def sort_key(self, record: dict) -> tuple:
        """The order of records in a layer file: article (corpus order), start, end, id."""
        return (self.order.get(record["article"], len(self.order)), record["start"], record["end"], record["id"])

    def checked_only(self) -> Gold:
        """The same corpus with only `checked` records (what a release contains)."""
        layers = {name: [r for r in records if r["review"]["status"] == CHECKED] for name, records in self.layers.items()}
        return replace(self, layers=layers)


def load_gold(root: Path | None = None, checked_only: bool = False) -> Gold:
    """Read everything under root (default: the data root). With checked_only, drop records whose
    review status is not `checked` (what a release contains)."""
    root = as_root(root)
    articles = corpus.load_articles(root / "corpus")
    splits = json.loads((root / "corpus" / "splits.json").read_text(encoding="utf-8"))["articles"]
    gold = Gold(
        root, articles, splits, {layer: read_jsonl(root / "annotations" / f"{layer}.jsonl") for layer in ANNOTATION_LAYERS}
    )
    return gold.checked_only() if checked_only else gold


def relative(span: dict | None, sentence: dict) -> dict | None:
    """A span re-based on its sentence (for sentence-level rows); None stays None."""
    if span is None:
        return None
    if span.get("start") is None:
        return {"start": None, "end": None, "text": span["text"]}
    return {"start": span["start"] - sentence["start"], "end": span["end"] - sentence["start"], "text": span["text"]}
