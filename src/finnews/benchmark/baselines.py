"""`finnews baseline`: reproducible, offline baselines that write the predictions format.

Each baseline is honest about what it is (see `finnews baseline --list`); none looks at the gold of
the split it predicts. The word-segmenter baselines need jieba (`pip install 'finnews-zh[baselines]'`);
the others need nothing beyond the core package. `gold` is a pseudo-baseline: the gold records in
the predictions format, the scorer's sanity check (it scores 1.0 everywhere).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from finnews.benchmark.evaluate import folds, protocol_of
from finnews.benchmark.predictions import LIST_FIELD, TASKS, check_task
from finnews.benchmark.reference import Reference, load_reference
from finnews.data.schema import closed_set
from finnews.errors import UsageError

#: jieba part-of-speech tag -> entity type (nr person names, ns place names, nt organisations,
#: nz other proper names). A fixed table, not tuned on any split.
POS_TYPES = {"nr": "PER", "nrfg": "PER", "nrt": "PER", "ns": "GPE", "nt": "ORG", "nz": "PRODUCT"}

#: cue words of a positive or negative outlook, written by hand from general financial-news usage by
#: someone who had read annotations/GUIDELINES.md (which quotes some corpus sentences, test ones
#: included); words known only from those quotations are left out. Not tuned on any split.
#: Longer cues win over the shorter ones inside them.
STANCE_CUES = {
    "positive": (
        "有望",
        "看好",
        "利好",
        "向好",
        "回暖",
        "提振",
        "乐观",
        "信心",
        "机遇",
        "潜力",
        "韧性",
        "亮眼",
        "强劲",
        "领先",
        "优势",
        "突破",
        "上行",
        "反弹",
        "反转",
        "受益",
        "值得关注",
        "可关注",
        "推荐",
        "高质量",
        "活力",
        "稳步",
        "积极",
        "增强",
        "提升",
        "改善",
    ),
    "negative": (
        "风险",
        "承压",
        "下行",
        "下滑",
        "下跌",
        "走低",
        "疲软",
        "低迷",
        "拖累",
        "担忧",
        "不确定",
        "不足",
        "困难",
        "挑战",
        "压力",
        "亏损",
        "萎缩",
        "放缓",
        "谨慎",
        "隐患",
        "瓶颈",
        "制约",
        "难以",
        "落后",
        "卡脖子",
    ),
}


@dataclass(frozen=True)
class Baseline:
    task: str
    name: str
    description: str
    predict: Callable[[Reference, list[dict], list[dict]], dict[str, dict]]  # (reference, train units, units) -> lines
    saw: str  # what of this corpus it was made or trained with, for the results table
    trains: bool = False  # learns from the gold of the training units (refused under zero-shot)


# ------------------------------------------------------------------------------------------------
# Shared pieces


@lru_cache(maxsize=1)
def _pos_tokenizer():
    """A private jieba tokenizer (the default dictionary, untouched by anyone's jieba.add_word)."""
    import logging

    from finnews.benchmark.systems._common import need

    jieba = need("jieba", "this baseline")
    posseg = need("jieba.posseg", "this baseline")
    jieba.setLogLevel(logging.WARNING)
    return posseg.POSTokenizer(jieba.Tokenizer())


def pos_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, jieba POS tag) of every word of a sentence, code-point offsets."""
    out, position = [], 0
    for pair in _pos_tokenizer().lcut(text):
        out.append((position, position + len(pair.word), pair.flag))
        position += len(pair.word)
    if position != len(text):
        raise ValueError(f"jieba did not return every character of {text[:20]!r}…")
    return out


def pos_entities(text: str, type_of: Callable[[str], str] = POS_TYPES.__getitem__) -> list[dict]:
    return [{"start": s, "end": e, "text": text[s:e], "type": type_of(tag)} for s, e, tag in pos_spans(text) if tag in POS_TYPES]


def _train_majority(values: list[str], order: list[str]) -> str:
    """The most frequent value (ties: the first in the closed set's order)."""
    counts = Counter(values)
    if not counts:
        raise UsageError("the training units hold no gold to take a majority from")
    return max(order, key=lambda v: (counts[v], -order.index(v)))


def _train_items(reference: Reference, train: list[dict], task: str) -> list[dict]:
    return [item for u in train for item in reference.gold[task][u["id"]].get(LIST_FIELD[task], [])]


def _lines(task: str, sentences: list[dict], items: Callable[[dict], list[dict]]) -> dict[str, dict]:
    return {s["id"]: {"sentence": s["id"], LIST_FIELD[task]: items(s)} for s in sentences}


def nearest(span: tuple[int, int], candidates: list[dict]) -> dict | None:
    """The candidate closest to span (character gap; on a tie the one before it)."""

    def gap(c: dict) -> tuple[int, int, int]:
        before = c["end"] <= span[0]
        distance = span[0] - c["end"] if before else max(0, c["start"] - span[1])
        return (distance, 0 if before else 1, c["start"])

    return min(candidates, key=gap, default=None)


def cue_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, polarity) of stance cues, leftmost-longest, not overlapping."""
    cues = sorted(((w, p) for p, words in STANCE_CUES.items() for w in words), key=lambda wp: -len(wp[0]))
    out, i = [], 0
    while i < len(text):
        hit = next(((w, p) for w, p in cues if text.startswith(w, i)), None)
        if hit:
            out.append((i, i + len(hit[0]), hit[1]))
            i += len(hit[0])
        else:
            i += 1
    return out


# ------------------------------------------------------------------------------------------------
# The baselines


def _thulac(texts: list[str]) -> list[list[dict]]:
    from finnews.benchmark.systems import thulac_entities

    return thulac_entities(texts)


def _jiojio(texts: list[str]) -> list[list[dict]]:
    from finnews.benchmark.systems import jiojio_entities

    return jiojio_entities(texts)


def ner_jieba_pos(reference: Reference, train: list[dict], sentences: list[dict]) -> dict[str, dict]:
    return _lines("ner", sentences, lambda s: pos_entities(s["text"]))


def ner_majority_type(reference: Reference, train: list[dict], sentences: list[dict]) -> dict[str, dict]:
    majority = _train_majority([e["type"] for e in _train_items(reference, train, "ner")], closed_set("entity_type"))
    return _lines("ner", sentences, lambda s: pos_entities(s["text"], lambda tag: majority))


def ner_all_o(reference: Reference, train: list[dict], sentences: list[dict]) -> dict[str, dict]:
    return _lines("ner", sentences, lambda s: [])


def numeric_rules(reference: Reference, train: list[dict], sentences: list[dict]) -> dict[str, dict]:
    from finnews.nlp.numbers import find_quantities

    years = reference.years

    def facts(s: dict) -> list[dict]:
        entities = pos_entities(s["text"])
        out = []
        for start, end, q in find_quantities(s["text"], year=years.get(s["article"])):
            entity = nearest((start, end), entities)
            out.append(
                {
                    "start": start,
                    "end": end,
                    "text": s["text"][start:end],
                    "value": q.value,
                    "unit": q.unit,
                    "kind": q.kind,
                    "approx": q.approx,
                    "measured_entity": {k: entity[k] for k in ("start", "end", "text")} if entity else None,
                    "measured_property": None,
                }
            )
        return out

    return _lines("numeric_facts", sentences, facts)


DIGITS = re.compile(r"\d+(?:[.,]\d+)*%?")


def numeric_digits(reference: Reference, train: list[dict], sentences: list[dict]) -> dict[str, dict]:
    def facts(s: dict) -> list[dict]:
        out = []
        for m in DIGITS.finditer(s["text"]):
            number = m.group().rstrip("%").replace(",", "")
            value = float(number) if "." in number else int(number)
            percent = m.group().endswith("%")
            out.append(
                {
                    "start": m.start(),
                    "end": m.end(),
                    "text": m.group(),
                    "value": value,
                    "unit": "percent" if percent else "item",
                    "kind": "percent" if percent else "other",
                    "approx": "exact",
                    "measured_entity": None,
                    "measured_property": None,
                }
            )
        return out

    return _lines("numeric_facts", sentences, facts)


def stance_lexicon(reference: Reference, train: list[dict], sentences: list[dict]) -> dict[str, dict]:
    out = {}
    for s in sentences:
        cues = cue_spans(s["text"])
        votes = Counter(p for _, _, p in cues)
        label = (
            "positive"
            if votes["positive"] > votes["negative"]
            else "negative"
            if votes["negative"] > votes["positive"]
            else "neutral"
        )
        entities = pos_entities(s["text"])
        views = []
        for start, end, polarity in cues:
            target = nearest((start, end), entities)
            if target:
                views.append(
                    {
                        "start": start,
                        "end": end,
                        "text": s["text"][start:end],
                        "target": {k: target[k] for k in ("start", "end", "text")},
                        "polarity": polarity,
                    }
                )
        out[s["id"]] = {"sentence": s["id"], "label": label, "stance": views}
    return out


def stance_majority(reference: Reference, train: list[dict], sentences: list[dict]) -> dict[str, dict]:
    labels = [reference.gold["stance"][u["id"]].get("label") for u in train]
    majority = _train_majority([label for label in labels if label], closed_set("polarity"))
    return {s["id"]: {"sentence": s["id"], "label": majority, "stance": []} for s in sentences}


def _tagger(entities: Callable[[list[str]], list[list[dict]]]) -> Callable[[Reference, list[dict], list[dict]], dict[str, dict]]:
    def predict(reference: Reference, train: list[dict], sentences: list[dict]) -> dict[str, dict]:
        found = entities([s["text"] for s in sentences])
        return {s["id"]: {"sentence": s["id"], "entities": items} for s, items in zip(sentences, found)}

    return predict


def ner_crf(reference: Reference, train: list[dict], sentences: list[dict]) -> dict[str, dict]:
    from finnews.benchmark.systems import crf_entities, train_crf_ner

    model = train_crf_ner([(u["text"], reference.gold["ner"][u["id"]]["entities"]) for u in train])
    return _tagger(lambda texts: crf_entities(model, texts))(reference, train, sentences)


def numeric_jionlp(reference: Reference, train: list[dict], sentences: list[dict]) -> dict[str, dict]:
    from finnews.benchmark.systems import jionlp_numeric_facts

    out = {}
    for year in sorted({reference.years.get(s["article"]) for s in sentences}, key=lambda y: (y is None, y)):
        chosen = [s for s in sentences if reference.years.get(s["article"]) == year]
        for s, items in zip(chosen, jionlp_numeric_facts([s["text"] for s in chosen], year)):
            out[s["id"]] = {"sentence": s["id"], "numeric_facts": items}
    return out


def _gold(task: str) -> Callable[[Reference, list[dict], list[dict]], dict[str, dict]]:
    return lambda reference, train, sentences: {s["id"]: reference.gold[task][s["id"]] for s in sentences}


BASELINES: dict[tuple[str, str], Baseline] = {
    (b.task, b.name): b
    for b in [
        Baseline(
            "ner",
            "jieba-pos",
            "jieba part-of-speech proper nouns as entities (nr -> PER, ns -> GPE, nt -> ORG, "
            "nz -> PRODUCT); no gazetteer, no training",
            ner_jieba_pos,
            "nothing of this corpus (jieba's own dictionary)",
        ),
        Baseline(
            "ner",
            "majority-type",
            "the jieba-pos spans, every one typed with the most frequent entity type of the training units",
            ner_majority_type,
            "the entity types of the training units",
            trains=True,
        ),
        Baseline(
            "ner",
            "thulac",
            "THULAC's part-of-speech proper-name tags as entities (np -> PER, ns -> GPE, ni -> ORG, "
            "nz -> PRODUCT; finnews.benchmark.systems.taggers.THULAC_TYPES); weights from its wheel",
            _tagger(_thulac),
            "nothing of this corpus (trained by its authors on their own corpora)",
        ),
        Baseline(
            "ner",
            "jiojio",
            "jiojio's part-of-speech proper-name tags as entities (nr -> PER, ns -> GPE, nt -> ORG, "
            "nz -> PRODUCT; finnews.benchmark.systems.taggers.JIOJIO_TYPES); weights from its wheel",
            _tagger(_jiojio),
            "nothing of this corpus (trained by its authors on their own corpora)",
        ),
        Baseline(
            "ner",
            "crf",
            "a linear-chain CRF over characters (sklearn-crfsuite; character, n-gram and class features, "
            "finnews.benchmark.systems.crf), trained on the training units' entities",
            ner_crf,
            "the entities of the training units (the train split; under cv the other groups)",
            trains=True,
        ),
        Baseline("ner", "all-o", "predicts no entity (the floor)", ner_all_o, "nothing"),
        Baseline(
            "numeric_facts",
            "rules",
            "finnews.nlp.numbers.find_quantities (rule-based spans, values, units, kinds, bounds); "
            "the nearest jieba-pos entity as measured entity; no measured property. The normaliser's word tables "
            "were written with examples from this corpus in view (test split included): not a held-out estimate",
            numeric_rules,
            "the whole corpus, test split included: its word tables were written with this page in view",
        ),
        Baseline(
            "numeric_facts",
            "jionlp",
            "jionlp's money and time extractors with cn2an for numerals, mapped to our units, "
            "kinds and bounds (finnews.benchmark.systems.jionlp_numeric); no measured entity or property",
            numeric_jionlp,
            "the whole corpus, test split included: its mapping tables were written after reading the gold of every split",
        ),
        Baseline(
            "numeric_facts",
            "digits",
            "every run of Arabic digits (with a trailing % a percent, else a bare count "
            "of kind other); no scales, units or Chinese numerals (the floor)",
            numeric_digits,
            "nothing",
        ),
        Baseline(
            "stance",
            "lexicon",
            "hand-written positive/negative outlook cue words: the majority polarity of the cues "
            "labels the sentence (neutral without cues or on a tie); each cue is a view of the nearest jieba-pos "
            "entity",
            stance_lexicon,
            "the guidelines' quoted examples (some from the test split) were read; no corpus word was added from them",
        ),
        Baseline(
            "stance",
            "majority",
            "the most frequent sentence label of the training units everywhere; no targeted views",
            stance_majority,
            "the sentence labels of the training units",
            trains=True,
        ),
        *(
            Baseline(
                task,
                "gold",
                "pseudo-baseline: the gold records in the predictions format (scores 1.0; the scorer's sanity check)",
                _gold(task),
                "the gold itself",
            )
            for task in TASKS
        ),
    ]
}

#: task -> the default of `finnews baseline`: its strongest baseline not trained on this corpus
DEFAULTS = {"ner": "thulac", "numeric_facts": "rules", "stance": "lexicon"}


def list_baselines(task: str | None = None) -> list[Baseline]:
    return [b for b in BASELINES.values() if task is None or b.task == task]


def format_list(task: str | None = None) -> str:
    lines = []
    for b in list_baselines(task):
        default = " (default)" if DEFAULTS.get(b.task) == b.name else ""
        lines.append(f"{b.task:<14} {b.name:<14} {b.description}{default}")
    return "\n".join(lines)


def training_units(reference: Reference, protocol: str, fold: str) -> list[dict]:
    """The units a system may learn from when it predicts a fold: the train split (heldout; when the
    train split itself is scored, that is a fit on the training data, not a held-out figure), the
    other groups (cv); none for zero-shot."""
    if protocol == "heldout":
        return [u for u in reference.units if u["split"] == "train"]
    if protocol == "cv":
        return [u for u in reference.units if u["group"] != fold]
    return []


def baseline(
    name: str | None,
    task: str,
    split: str = "test",
    root: Path | None = None,
    *,
    protocol: str = "heldout",
    release: str | Path | None = None,
    reference: Reference | None = None,
) -> list[dict]:
    """Prediction lines of a baseline (default: the task's strongest) for every unit a protocol
    scores, in the evaluator's order; under cv each fold is predicted from the other folds. The
    units come from `reference`, else from a release, else from the annotations under root."""
    check_task(task)
    name = name or DEFAULTS[task]
    if (task, name) not in BASELINES:
        known = ", ".join(b.name for b in list_baselines(task))
        raise UsageError(f"no baseline {name!r} for {task}: choose one of {known}")
    chosen = BASELINES[(task, name)]
    protocol = protocol_of(protocol, split)
    reference = reference or load_reference(release, root)
    lines: list[dict] = []
    for fold in folds(reference, protocol, split):
        train = training_units(reference, protocol, fold.name)
        if chosen.trains and not train:
            raise UsageError(
                f"baseline {name} learns from training units and {protocol} gives it none (use --protocol heldout or cv)"
            )
        predicted = chosen.predict(reference, train, fold.units)
        lines += [predicted[u["id"]] for u in fold.units]
    return lines
