"""Off-the-shelf Chinese taggers as entity recognisers: thulac and jiojio.

Each tags words with parts of speech, some of which are proper-name classes; a fixed table maps those
classes to our entity types (annotations/GUIDELINES.md §2). One tagged word is one entity span (minus
white space at its ends), as in the jieba-pos baseline. Both taggers ship their weights inside their
wheels (thulac/models/, jiojio/models/) and read nothing else at run time.

What the systems saw: nothing of this corpus. The taggers were trained by their authors on their own
corpora; the tables below were written from each tagger's tag definitions, following the choices of
the jieba-pos table (finnews.benchmark.baselines.POS_TYPES), and not changed after scoring any split.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from functools import lru_cache

from finnews.benchmark.systems._common import locate_words, need, trimmed

Tagged = list[tuple[str, str]]  # (word, tag) in text order

#: THULAC tag -> entity type. Tag meanings are THULAC's own (README of thulac: "np/人名 ns/地名
#: ni/机构名 nz/其它专名 ... j/简称略语").
THULAC_TYPES: dict[str, str] = {
    "np": "PER",  # 人名, person name
    "ns": "GPE",  # 地名, place name: in news mostly countries, provinces, cities (GPE); a tag
    # cannot tell a city from an industrial park (LOC), so the common case wins
    "ni": "ORG",  # 机构名, organisation name: companies are ni too, but the tag does not say
    # which organisations are businesses, so its literal meaning (ORG) is used
    "nz": "PRODUCT",  # 其它专名, other proper name: brands, products, titles; PRODUCT as in the
    # jieba-pos table (nz -> PRODUCT)
    # not mapped: j (简称略语, abbreviation of anything: 渝, 两会, 科创), n (common noun), and
    # every non-nominal tag
}

#: jiojio tag -> entity type. Tag meanings are jiojio's own (jiojio/pos/pos_types.yml, which gives
#: examples for each tag).
JIOJIO_TYPES: dict[str, str] = {
    "nr": "PER",  # 人名, person name (曹静静, 斯普拉克伦)
    "ns": "GPE",  # 地名, place name (荆州市, 西班牙, 大湾区): mostly GPE, as for thulac
    "nt": "ORG",  # 组织机构名, organisation name (救援队, 政法委)
    "nz": "PRODUCT",  # 专有名词, other proper noun (英特尔, 可口可乐, 骁龙): brands and products,
    # PRODUCT as in the jieba-pos table
    # not mapped: n, x (any Latin string), and every non-nominal tag
}


def tagged_entities(text: str, tagged: Tagged, table: dict[str, str], dropped: list[tuple[str, str]] | None = None) -> list[dict]:
    """Entity items {start, end, text, type} (sentence code points) of the words whose tag the table
    maps. A mapped word that cannot be found in the text as printed is left out and, when `dropped`
    is given, appended to it as (word, tag)."""
    out = []
    for (word, tag), span in zip(tagged, locate_words(text, [w for w, _ in tagged])):
        if tag not in table:
            continue
        if span is None:
            if dropped is not None:
                dropped.append((word, tag))
            continue
        start, end = trimmed(text, *span)
        if start == end:
            continue
        out.append({"start": start, "end": end, "text": text[start:end], "type": table[tag]})
    return out


def _quietly(load: Callable[[], object]) -> object:
    """Run a loader with its printing sent to stderr (thulac prints 'Model loaded succeed')."""
    with contextlib.redirect_stdout(sys.stderr):
        return load()


@lru_cache(maxsize=1)
def thulac_tagger() -> Callable[[str], Tagged]:
    """THULAC's joint segmenter and tagger (its default model, no user dictionary, no T2S)."""
    thulac = need("thulac", "thulac_entities")
    model = _quietly(lambda: thulac.thulac(seg_only=False))
    return lambda text: [(w, t) for w, t in model.cut(text, text=False)]


@lru_cache(maxsize=1)
def jiojio_tagger() -> Callable[[str], Tagged]:
    """jiojio's segmenter and part-of-speech tagger (its default models; loading takes ~20 s)."""
    jiojio = need("jiojio", "jiojio_entities")
    _quietly(lambda: jiojio.init(pos=True))
    return lambda text: [(w, t) for w, t in jiojio.cut(text)]


def thulac_entities(texts: list[str], dropped: list[tuple[str, str]] | None = None) -> list[list[dict]]:
    """THULAC proper-name words as entities (THULAC_TYPES), per sentence text."""
    tag = thulac_tagger()
    return [tagged_entities(text, tag(text), THULAC_TYPES, dropped) for text in texts]


def jiojio_entities(texts: list[str], dropped: list[tuple[str, str]] | None = None) -> list[list[dict]]:
    """jiojio proper-name words as entities (JIOJIO_TYPES), per sentence text."""
    tag = jiojio_tagger()
    return [tagged_entities(text, tag(text), JIOJIO_TYPES, dropped) for text in texts]
