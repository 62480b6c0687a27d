"""finnews.benchmark.systems on hand-made sentences: offsets are code points and quotes match, the
mapping tables produce only closed-set values, numeric items pass the predictions schema, the CRF is
deterministic and learns a toy pattern, the real taggers run offline and print nothing to stdout.

jiojio takes 20 s or more to load its model: its real-model test is marked slow (`pytest -m "not
slow"` leaves it out on a developer's machine; CI runs every test).
"""

from __future__ import annotations

import json

import pytest

from finnews.benchmark.predictions import read_predictions
from finnews.benchmark.systems import (
    CRF_FEATURES,
    CRF_PARAMS,
    JIOJIO_TYPES,
    THULAC_TYPES,
    crf_entities,
    jiojio_entities,
    jionlp_numeric_facts,
    thulac_entities,
    train_crf_ner,
)
from finnews.benchmark.systems._common import locate_words, need
from finnews.benchmark.systems.crf import bio_tags, char_features, entities_from_tags
from finnews.benchmark.systems.jionlp_numeric import BOUND_WORDS, COUNTERS, CURRENCIES, DEFINITIONS, DELTA_UNITS
from finnews.benchmark.systems.taggers import tagged_entities
from finnews.data.schema import closed_set
from finnews.errors import UsageError

#: hand-made sentences; the first holds a character outside the Basic Multilingual Plane (two UTF-16
#: code units, one code point) before its names, so UTF-16 or byte offsets would be off
TAGGER_SENTENCES = ["𠮷记者李明在北京采访了清华大学的王教授。", "国务院发展研究中心发布报告。"]


def assert_items_quote(texts: list[str], items: list[list[dict]]) -> None:
    assert len(items) == len(texts)
    for text, sentence_items in zip(texts, items):
        for item in sentence_items:
            assert 0 <= item["start"] < item["end"] <= len(text)
            assert text[item["start"] : item["end"]] == item["text"]
            assert item["text"] == item["text"].strip()


# ------------------------------------------------------------------------------------------------
# shared pieces


def test_locate_words_finds_code_points_and_survives_a_normalised_word():
    text = "𠮷ＡＢ公司 在上海"
    # a tokeniser that turned the full-width ＡＢ into AB: that word is not in the text, the rest is
    assert locate_words(text, ["𠮷", "AB", "公司", " ", "在", "上海"]) == [(0, 1), None, (3, 5), (5, 6), (6, 7), (7, 9)]
    assert locate_words("abc", ["", "abc"]) == [None, (0, 3)]


def test_missing_library_names_the_extra():
    with pytest.raises(UsageError, match=r"finnews-zh\[baselines\]"):
        need("finnews_no_such_library", "some_system")


# ------------------------------------------------------------------------------------------------
# taggers


@pytest.mark.parametrize("table", [THULAC_TYPES, JIOJIO_TYPES], ids=["thulac", "jiojio"])
def test_tag_tables_give_only_entity_types(table):
    assert table and set(table.values()) <= set(closed_set("entity_type"))


def test_tagged_entities_maps_tags_trims_space_and_counts_drops():
    text = "𠮷野家 在上海,张伟表示"
    tagged = [("𠮷野家 ", "nz"), ("在", "p"), ("上海", "ns"), ("，", "w"), ("张伟", "np"), ("表示", "v")]
    dropped: list = []
    items = tagged_entities(text, tagged, THULAC_TYPES, dropped)
    assert items == [
        {"start": 0, "end": 3, "text": "𠮷野家", "type": "PRODUCT"},
        {"start": 5, "end": 7, "text": "上海", "type": "GPE"},
        {"start": 8, "end": 10, "text": "张伟", "type": "PER"},
    ]
    assert dropped == []  # the normalised comma is not an entity: nothing to drop
    tagged[2] = ("上 海", "ns")  # a mapped word the text does not hold
    assert tagged_entities(text, tagged, THULAC_TYPES, dropped) == [items[0], items[2]]
    assert dropped == [("上 海", "ns")]


def check_tagger(entities, table: dict[str, str], capsys) -> None:
    items = entities(TAGGER_SENTENCES)
    assert capsys.readouterr().out == ""  # the library's banners went to stderr: stdout holds predictions
    assert_items_quote(TAGGER_SENTENCES, items)
    assert {"start": 3, "end": 5, "text": "李明", "type": "PER"} in items[0]
    assert {"start": 6, "end": 8, "text": "北京", "type": "GPE"} in items[0]
    assert {"start": 0, "end": 3, "text": "国务院", "type": "ORG"} in items[1]
    assert all(i["type"] in table.values() for sentence in items for i in sentence)
    assert entities(TAGGER_SENTENCES) == items


def test_thulac_real_model(capsys):
    check_tagger(thulac_entities, THULAC_TYPES, capsys)


@pytest.mark.slow
def test_jiojio_real_model(capsys):
    check_tagger(jiojio_entities, JIOJIO_TYPES, capsys)


# ------------------------------------------------------------------------------------------------
# jionlp + cn2an numeric facts

NUMERIC_SENTENCES = [
    "𠮷公司去年营收约35.6亿元,同比增长12.5%,位列行业第3位,有员工1200名。",
    "三家公司回购超过1亿港元,市场份额达百分之三十五,已连续三年回购3.04亿股,增长了33倍,跻身前50名。",
    "2024年以来,历经20多年发展,上世纪90年代起步,12月30日公告,另有不到5亿元计划。",
    "公司持有1000万日元现金。",
]


def facts(text: str, dropped: list | None = None) -> dict[str, tuple]:
    items = jionlp_numeric_facts([text], 2024, dropped)[0]
    return {i["text"]: (i["start"], i["value"], i["unit"], i["kind"], i["approx"]) for i in items}


def test_numeric_tables_give_only_closed_set_values():
    units, kinds, approx = (set(closed_set(name)) for name in ("unit", "numeric_kind", "approx"))
    assert set(CURRENCIES.values()) <= units and set(DELTA_UNITS.values()) <= units
    assert {u for u, _ in COUNTERS.values()} <= units and {k for _, k in COUNTERS.values()} <= kinds
    assert set(DEFINITIONS.values()) <= approx and set(BOUND_WORDS.values()) <= approx


def test_jionlp_numeric_facts_read_values_units_and_bounds():
    assert facts(NUMERIC_SENTENCES[0]) == {
        "35.6亿元": (8, 3560000000, "CNY", "money", "approx"),  # 约: bound word out of the span
        "12.5%": (19, 12.5, "percent", "percent", "exact"),
        "第3位": (29, 3, "rank", "rank", "exact"),
        # 1200名 counts people: no unit in the closed set, not output
    }
    assert facts(NUMERIC_SENTENCES[1]) == {
        "三家": (0, 3, "company", "count", "exact"),  # cn2an reads 三
        "1亿港元": (8, 100000000, "HKD", "money", "lower_bound"),
        "百分之三十五": (18, 35, "percent", "percent", "exact"),
        "三年": (28, 3, "year", "duration", "exact"),
        "3.04亿股": (32, 304000000, "share", "count", "exact"),
        "33倍": (42, 33, "times", "ratio", "exact"),
        "50名": (49, 50, "rank", "rank", "upper_bound"),  # 前50名: top fifty
    }
    assert facts(NUMERIC_SENTENCES[2]) == {
        "2024年": (0, 2024, "year", "year", "exact"),  # 以来 trimmed, then parsed again
        "20多年": (10, 20, "year", "duration", "lower_bound"),
        "上世纪90年代": (17, 1990, "decade", "year", "exact"),
        "12月30日": (27, None, "day", "date", "exact"),
        "5亿元": (40, 500000000, "CNY", "money", "upper_bound"),
    }


def test_jionlp_currency_outside_the_closed_set_is_dropped_and_counted():
    dropped: list = []
    assert facts(NUMERIC_SENTENCES[3], dropped) == {}  # neither 10000000 JPY nor "1000万日" as days
    assert "1000万日元" in dropped


def test_jionlp_numeric_items_pass_the_predictions_schema(tmp_path):
    texts = {f"hand-s{i:03d}": text for i, text in enumerate(NUMERIC_SENTENCES)}
    for year in (2024, None):
        items = jionlp_numeric_facts(NUMERIC_SENTENCES, year)
        assert_items_quote(NUMERIC_SENTENCES, items)
        path = tmp_path / f"{year}.jsonl"
        lines = [{"sentence": sid, "numeric_facts": sentence_items} for sid, sentence_items in zip(texts, items)]
        path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
        assert list(read_predictions("numeric_facts", path, texts)) == list(texts)  # DataError on any schema or span problem
        assert items == jionlp_numeric_facts(NUMERIC_SENTENCES, year)  # deterministic
    assert sum(map(len, items)) == 15


# ------------------------------------------------------------------------------------------------
# the character CRF

NAMES = ["甲乙", "丙丁", "戊己", "庚辛", "壬癸", "子丑", "寅卯", "辰巳"]
CONTEXTS = ["{}公司发布公告。", "今天{}公司宣布回购。", "据悉,{}公司业绩增长。"]


def toy_examples() -> list[tuple[str, list[dict]]]:
    """Two-character names before 公司 are companies, in three contexts; one sentence without any."""
    out = []
    for i, name in enumerate(NAMES):
        text = CONTEXTS[i % 3].format(name)
        start = text.index(name)
        out.append((text, [{"start": start, "end": start + 4, "text": name + "公司", "type": "COMPANY"}]))
    return out + [("市场今天平稳。", [])]


def test_crf_learns_a_toy_pattern_deterministically():
    texts = ["午未公司发布公告。", "今天申酉公司宣布回购。", "市场平稳。", "", "𠮷据悉,戌亥公司业绩增长。"]
    model = train_crf_ner(toy_examples())
    predicted = crf_entities(model, texts)
    assert predicted == [
        [{"start": 0, "end": 4, "text": "午未公司", "type": "COMPANY"}],
        [{"start": 2, "end": 6, "text": "申酉公司", "type": "COMPANY"}],
        [],
        [],
        [{"start": 4, "end": 8, "text": "戌亥公司", "type": "COMPANY"}],
    ]
    again = train_crf_ner(toy_examples())
    assert crf_entities(again, texts) == predicted
    assert again.state_features_ == model.state_features_ and again.transition_features_ == model.transition_features_
    assert_items_quote(texts, predicted)
    assert crf_entities(model, []) == []


def test_crf_settings_and_features_are_data():
    assert CRF_PARAMS["algorithm"] == "lbfgs" and "seed" not in CRF_PARAMS
    features = char_features("北京", 0)
    assert features["c[0]"] == "北" and features["c[-1]"] == "<s>" and features["c[1,2]"] == "京</s>"
    assert features["class[0]"] == "han" and features["class[-1]"] == "<s>"
    assert len(features) == 1 + sum(len(offsets) for offsets in CRF_FEATURES.values())


def test_bio_round_trip_and_errors():
    text = "在 北京的甲乙公司"
    entities = [
        {"start": 2, "end": 4, "text": "北京", "type": "GPE"},
        {"start": 5, "end": 9, "text": "甲乙公司", "type": "COMPANY"},
    ]
    tags = bio_tags(text, entities)
    assert tags == ["O", "O", "B-GPE", "I-GPE", "O", "B-COMPANY", "I-COMPANY", "I-COMPANY", "I-COMPANY"]
    assert entities_from_tags(text, tags) == entities
    # an I- after O or after another type starts an entity; white space at its ends is dropped
    assert entities_from_tags(text, ["O", "I-GPE", "I-GPE", "I-GPE", "I-ORG", "O", "O", "O", "O"]) == [
        {"start": 2, "end": 4, "text": "北京", "type": "GPE"},
        {"start": 4, "end": 5, "text": "的", "type": "ORG"},
    ]
    with pytest.raises(ValueError, match="overlaps"):
        bio_tags(text, [*entities, {"start": 3, "end": 5, "text": "京的", "type": "LOC"}])
    with pytest.raises(ValueError, match="quote"):
        bio_tags(text, [{"start": 0, "end": 2, "text": "北京", "type": "GPE"}])
    with pytest.raises(ValueError, match="at least one"):
        train_crf_ner([])
