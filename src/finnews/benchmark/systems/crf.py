"""A trained baseline: a linear-chain CRF over characters (sklearn-crfsuite), BIO tags.

What it sees: only the examples it is trained on (for the heldout protocol the train split; for
leave-one-group-out the other groups). The feature templates and the hyper-parameters below are
fixed data, the usual ones for Chinese character tagging and the sklearn-crfsuite tutorial's
training settings; none was tuned on any split. Training is L-BFGS from zero weights on the
examples in the order given: the same examples give the same model and the same predictions.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from finnews.benchmark.systems._common import need, trimmed

if TYPE_CHECKING:
    from sklearn_crfsuite import CRF

#: feature templates, by name -> relative positions. Every character gets: a bias feature; the
#: characters at each offset of "char"; the character n-grams at each offset tuple of "bigram" and
#: "trigram"; the character class (CHAR_CLASSES) at each offset of "class". Positions outside the
#: sentence read as "<s>" (before) and "</s>" (after).
CRF_FEATURES: dict[str, tuple] = {
    "char": (-2, -1, 0, 1, 2),
    "bigram": ((-2, -1), (-1, 0), (0, 1), (1, 2)),
    "trigram": ((-1, 0, 1),),
    "class": (-1, 0, 1),
}

#: sklearn_crfsuite.CRF arguments: L-BFGS with elastic-net regularisation, the values of the
#: sklearn-crfsuite tutorial (c1 = c2 = 0.1, 100 iterations), transitions between every pair of tags
#: allowed (so an unseen I- after O is possible but penalised by training).
CRF_PARAMS: dict[str, Any] = {
    "algorithm": "lbfgs",
    "c1": 0.1,
    "c2": 0.1,
    "max_iterations": 100,
    "all_possible_transitions": True,
}

#: character class names, in the order tested
CHAR_CLASSES = ("space", "han", "digit", "latin", "punct", "other")

OUTSIDE = "O"


def char_class(c: str) -> str:
    if c.isspace():
        return "space"
    if "CJK UNIFIED IDEOGRAPH" in unicodedata.name(c, "") or c == "〇":
        return "han"
    if c.isdigit():
        return "digit"
    if c.isalpha():
        return "latin"  # Latin and other alphabets, full- or half-width
    if unicodedata.category(c)[0] in "PS":
        return "punct"
    return "other"


def _at(text: str, i: int) -> str:
    return "<s>" if i < 0 else "</s>" if i >= len(text) else text[i]


def char_features(text: str, i: int) -> dict[str, str | float]:
    """The features of character i of text (CRF_FEATURES)."""
    features: dict[str, str | float] = {"bias": 1.0}
    for offset in CRF_FEATURES["char"]:
        features[f"c[{offset}]"] = _at(text, i + offset)
    for name in ("bigram", "trigram"):
        for offsets in CRF_FEATURES[name]:
            features[f"c[{','.join(map(str, offsets))}]"] = "".join(_at(text, i + o) for o in offsets)
    for offset in CRF_FEATURES["class"]:
        c = _at(text, i + offset)
        features[f"class[{offset}]"] = c if len(c) > 1 else char_class(c)
    return features


def sentence_features(text: str) -> list[dict[str, str | float]]:
    return [char_features(text, i) for i in range(len(text))]


def bio_tags(text: str, entities: list[dict]) -> list[str]:
    """BIO tag of every character; raises ValueError on a misquoted or overlapping entity (the
    guidelines forbid overlaps within the layer, so one in training data is an error)."""
    tags = [OUTSIDE] * len(text)
    for e in sorted(entities, key=lambda e: (e["start"], e["end"])):
        start, end = e["start"], e["end"]
        if not 0 <= start < end <= len(text) or text[start:end] != e["text"]:
            raise ValueError(f"entity {e!r} does not quote {text!r} at its offsets")
        if any(t != OUTSIDE for t in tags[start:end]):
            raise ValueError(f"entity {e!r} overlaps another entity of {text!r}")
        tags[start:end] = [f"B-{e['type']}"] + [f"I-{e['type']}"] * (end - start - 1)
    return tags


def entities_from_tags(text: str, tags: list[str]) -> list[dict]:
    """Entity spans of a BIO sequence: a B- starts one, an I- continues one of its type (an I- after
    O or after another type starts one), white space at a span's ends is dropped."""
    spans: list[list] = []  # [start, end, type]
    for i, tag in enumerate(tags):
        if tag == OUTSIDE:
            continue
        prefix, _, kind = tag.partition("-")
        if prefix == "I" and spans and spans[-1][1] == i and spans[-1][2] == kind:
            spans[-1][1] = i + 1
        else:
            spans.append([i, i + 1, kind])
    out = []
    for start, end, kind in spans:
        start, end = trimmed(text, start, end)
        if start < end:
            out.append({"start": start, "end": end, "text": text[start:end], "type": kind})
    return out


def train_crf_ner(examples: list[tuple[str, list[dict]]], params: dict[str, Any] | None = None) -> CRF:
    """A character CRF trained on (sentence text, entity items with sentence offsets) pairs, with
    CRF_PARAMS (or `params`, for experiments; the baselines use CRF_PARAMS). Deterministic."""
    if not examples:
        raise ValueError("train_crf_ner needs at least one example")
    sklearn_crfsuite = need("sklearn_crfsuite", "train_crf_ner")
    model = sklearn_crfsuite.CRF(**(CRF_PARAMS if params is None else params))
    model.fit([sentence_features(text) for text, _ in examples], [bio_tags(text, entities) for text, entities in examples])
    return model


def crf_entities(model: CRF, texts: list[str]) -> list[list[dict]]:
    """Entity items per sentence text, predicted by a model of train_crf_ner."""
    filled = [text for text in texts if text]
    tags = iter(model.predict([sentence_features(text) for text in filled]) if filled else [])
    return [entities_from_tags(text, next(tags)) if text else [] for text in texts]
