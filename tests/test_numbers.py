"""Tests for finnews.nlp.numbers: the numeric-expression normaliser and the rule-based finder."""
from __future__ import annotations

import pytest

from finnews.nlp.numbers import Quantity, find_quantities, normalise

Q = Quantity


# ---------------------------------------------------------------- normalise: one case per rule

@pytest.mark.parametrize(
    "expression, expected",
    [
        # money: scales times currency, exact decimal arithmetic
        ("2634.41亿港元", Q(263441000000, "HKD", "money", "exact", None)),
        ("1.2万亿元", Q(1200000000000, "CNY", "money", "exact", None)),
        ("557.6万美元", Q(5576000, "USD", "money", "exact", None)),
        ("0.5元", Q(0.5, "CNY", "money", "exact", None)),
        ("34.7亿元", Q(3470000000, "CNY", "money", "exact", None)),
        ("204.46亿港元", Q(20446000000, "HKD", "money", "exact", None)),
        ("百亿港元", Q(10000000000, "HKD", "money", "exact", None)),
        ("1,107亿港元", Q(110700000000, "HKD", "money", "exact", None)),
        # percent
        ("108%", Q(108, "percent", "percent", "exact", None)),
        ("7.29%", Q(7.29, "percent", "percent", "exact", None)),
        ("百分之三十五", Q(35, "percent", "percent", "exact", None)),
        ("百分之3.5", Q(3.5, "percent", "percent", "exact", None)),
        ("１２％", Q(12, "percent", "percent", "exact", None)),
        # counts
        ("3.04亿股", Q(304000000, "share", "count", "exact", None)),
        ("78家", Q(78, "company", "count", "exact", None)),
        ("三家", Q(3, "company", "count", "exact", None)),
        ("311项", Q(311, "technology", "count", "exact", None)),
        ("67次", Q(67, "occurrence", "count", "exact", None)),
        ("3个方向", Q(3, "direction", "count", "exact", None)),
        ("两组", Q(2, "group", "count", "exact", None)),
        ("4万亿Tokens", Q(4000000000000, "token", "count", "exact", None)),
        # ratios
        ("两倍", Q(2, "times", "ratio", "exact", None)),
        ("33倍", Q(33, "times", "ratio", "exact", None)),
        ("倍增", Q(2, "times", "ratio", "exact", None)),
        # ranks
        ("第7位", Q(7, "rank", "rank", "exact", None)),
        ("第三家", Q(3, "rank", "rank", "exact", None)),
        ("前50名", Q(50, "rank", "rank", "upper_bound", None)),
        # years and decades
        ("2024年", Q(2024, "year", "year", "exact", "2024")),
        ("二〇二四年", Q(2024, "year", "year", "exact", "2024")),
        ("90年代", Q(1990, "decade", "year", "exact", "199")),
        # durations
        ("三年", Q(3, "year", "duration", "exact", "P3Y")),
        ("20多年", Q(20, "year", "duration", "lower_bound", "P20Y")),
        ("7个月", Q(7, "month", "duration", "exact", "P7M")),
        ("1.5年", Q(1.5, "year", "duration", "exact", "P1Y6M")),
        ("30天", Q(30, "day", "duration", "exact", "P30D")),
        # in-span approximation
        ("十余家", Q(10, "company", "count", "lower_bound", None)),
        ("2000多万元", Q(20000000, "CNY", "money", "lower_bound", None)),
        ("2亿港元出头", Q(200000000, "HKD", "money", "approx", None)),
        ("约1亿美元", Q(100000000, "USD", "money", "approx", None)),
        # a bare number with no unit word and no hint
        ("4万亿", Q(4000000000000, "item", "other", "exact", None)),
    ],
)
def test_normalise(expression, expected):
    assert normalise(expression) == expected


def test_values_are_exact_ints_when_integral():
    value = normalise("2634.41亿港元").value
    assert type(value) is int and value == 263441000000
    assert type(normalise("557.6万美元").value) is int
    assert type(normalise("0.5元").value) is float


@pytest.mark.parametrize(
    "expression, year, expected",
    [
        ("12月30日", 2024, Q(None, "day", "date", "exact", "2024-12-30")),
        ("12月30日", None, Q(None, "day", "date", "exact", None)),
        ("10月份", 2024, Q(None, "month", "date", "exact", "2024-10")),
        ("十二月三十日", 2023, Q(None, "day", "date", "exact", "2023-12-30")),
        ("2024年11月份", 2020, Q(None, "month", "date", "exact", "2024-11")),  # the text's year wins
        ("2023年6月11日", None, Q(None, "day", "date", "exact", "2023-06-11")),
        ("2024年前10个月", None, Q(None, "month", "date", "exact", "2024-01/2024-10")),
    ],
)
def test_normalise_dates(expression, year, expected):
    assert normalise(expression, year=year) == expected


@pytest.mark.parametrize(
    "context, expression, approx",
    [
        ("超", "2634亿港元", "lower_bound"),
        ("年内回购金额超过", "1亿港元", "lower_bound"),
        ("均超", "百亿港元", "lower_bound"),
        ("南向资金已累计流入近", "6300亿港元", "approx"),
        ("约", "417亿港元", "approx"),
        ("回购金额已接近", "17亿港元", "approx"),
        ("不少于", "50家", "lower_bound"),
        ("逾", "30家", "lower_bound"),
        ("不超过", "5%", "upper_bound"),
        ("最近", "3年", "exact"),  # 最近 is not 近
        ("仅为", "557.6万美元", "exact"),
        ("有12家公司回购金额在10亿港元至", "100亿港元", "upper_bound"),  # second end of a range
        ("截至", "12月30日", "exact"),  # 截至 is no range
    ],
)
def test_normalise_context_sets_approx(context, expression, approx):
    assert normalise(expression, context, year=2024).approx == approx


def test_normalise_uses_context_for_units():
    assert normalise("4万亿", "豆包通用模型的日均Tokens使用量已超过") == Q(
        4000000000000, "token", "count", "lower_bound", None
    )
    assert normalise("12项", "公司今年推出新产品").unit == "item"
    assert normalise("12项", "布局了").unit == "technology"
    assert normalise("10年代", "本世纪") == Q(2010, "decade", "year", "exact", "201")
    assert normalise("90年代", "上世纪").iso == "199"


@pytest.mark.parametrize("text", ["首次", "", "   ", "DeepSeek", "关键技术"])
def test_normalise_rejects_text_without_number(text):
    with pytest.raises(ValueError, match="no number"):
        normalise(text)


@pytest.mark.parametrize("text", ["GPT-4o", "13月", "12月32日", "2月30日号码"])
def test_normalise_rejects_text_that_is_no_expression(text):
    with pytest.raises(ValueError):
        normalise(text, year=2024)


def test_normalise_rejects_impossible_date():
    with pytest.raises(ValueError, match="not a valid"):
        normalise("2月30日", year=2024)


# ---------------------------------------------------------------- find_quantities

def spans(text, year=2024):
    return [(text[s:e], q) for s, e, q in find_quantities(text, year)]


def test_find_buyback_sentence():
    text = (
        "Wind数据显示,截至12月30日记者发稿,年内共有280家港股上市公司实施回购,同比增长35%;"
        "回购金额合计达2634.41亿港元,同比大幅增长108%。"
    )
    found = find_quantities(text, 2024)
    assert [text[s:e] for s, e, _ in found] == ["12月30日", "280家", "35%", "2634.41亿港元", "108%"]
    for s, e, _ in found:
        assert 0 <= s < e <= len(text)
    start = text.index("2634.41")
    assert found[3] == (start, start + len("2634.41亿港元"), Q(263441000000, "HKD", "money", "exact", None))
    assert found[0][2] == Q(None, "day", "date", "exact", "2024-12-30")
    assert found[1][2] == Q(280, "company", "count", "exact", None)
    assert found[2][2] == Q(35, "percent", "percent", "exact", None)
    assert found[4][2] == Q(108, "percent", "percent", "exact", None)


def test_find_skips_model_names():
    text = "DeepSeek-V3模型的总训练成本仅为557.6万美元,远低于GPT-4o等模型约1亿美元的训练成本。"
    found = find_quantities(text)
    start = text.index("557.6")
    one = text.index("1亿美元")
    assert found == [
        (start, start + len("557.6万美元"), Q(5576000, "USD", "money", "exact", None)),
        (one, one + len("1亿美元"), Q(100000000, "USD", "money", "approx", None)),  # 约 is outside the span
    ]


def test_find_skips_digits_in_names():
    text = "性能上已逼近GPT-4o及Claude-3.5-Sonnet,DeepSeek模型相比GPT4模型,DeepSeek-V3数学能力更强,5G手机"
    assert find_quantities(text) == []


def test_find_keeps_a_price_after_an_english_word():
    text = "DeepSeek-V3的定价为每百万输入tokens0.5元(缓存命中)/2元(缓存未命中),每百万输出tokens8元。"
    assert [(t, q.value, q.unit, q.kind) for t, q in spans(text)] == [
        ("0.5元", 0.5, "CNY", "money"),
        ("2元", 2, "CNY", "money"),
        ("8元", 8, "CNY", "money"),
    ]


def test_find_tokens_sentence():
    text = "截至12月中旬,豆包通用模型的日均Tokens使用量已超过4万亿,较7个月前发布时增长了33倍。"
    assert spans(text) == [
        ("12月", Q(None, "month", "date", "approx", "2024-12")),
        ("4万亿", Q(4000000000000, "token", "count", "lower_bound", None)),
        ("7个月", Q(7, "month", "duration", "exact", "P7M")),
        ("33倍", Q(33, "times", "ratio", "exact", None)),
    ]


def test_find_bounds_and_range():
    text = "回购金额均超百亿港元,有12家公司回购金额在10亿港元至100亿港元区间,石药集团仅2亿港元出头,逼近“40亿港元”门槛"
    assert [(t, q.value, q.approx) for t, q in spans(text)] == [
        ("百亿港元", 10000000000, "lower_bound"),
        ("12家", 12, "exact"),
        ("10亿港元", 1000000000, "lower_bound"),
        ("100亿港元", 10000000000, "upper_bound"),
        ("2亿港元", 200000000, "approx"),
        ("40亿港元", 4000000000, "approx"),
    ]


def test_find_range_carries_scale_and_unit():
    text = "有3至5家公司,规模10至100亿港元"
    assert [(t, q.value, q.unit, q.approx) for t, q in spans(text)] == [
        ("3", 3, "company", "lower_bound"),
        ("5家", 5, "company", "upper_bound"),
        ("10", 1000000000, "HKD", "lower_bound"),
        ("100亿港元", 10000000000, "HKD", "upper_bound"),
    ]


def test_find_chinese_numerals_and_counters():
    text = (
        "有两组数据引起了记者的关注,历经20多年发展,已连续三年成为回购王,实现三年“倍增”,"
        "打造三大“万亿级”主导产业集群,升级打造三大“五千亿级”支柱产业,培育壮大18个“新星”产业集群,可关注3个方向。"
    )
    assert [(t, q.value, q.unit, q.kind, q.approx) for t, q in spans(text)] == [
        ("两组", 2, "group", "count", "exact"),
        ("20多年", 20, "year", "duration", "lower_bound"),
        ("三年", 3, "year", "duration", "exact"),
        ("三年", 3, "year", "duration", "exact"),
        ("倍增", 2, "times", "ratio", "exact"),
        ("三大", 3, "cluster", "count", "exact"),
        ("三大", 3, "industry", "count", "exact"),
        ("18个", 18, "cluster", "count", "exact"),
        ("3个方向", 3, "direction", "count", "exact"),
    ]


def test_find_dates_years_ranks():
    text = (
        "2024年重庆综合科技创新水平居全国第7位,首次进入全球前50名。截至2024年11月份,"
        "今年10月份上市,上世纪90年代,2024年前10个月南向资金,6月11日正式生效,成为第三家。"
    )
    assert [(t, q.value, q.kind, q.approx, q.iso) for t, q in spans(text)] == [
        ("2024年", 2024, "year", "exact", "2024"),
        ("第7位", 7, "rank", "exact", None),
        ("前50名", 50, "rank", "upper_bound", None),
        ("2024年11月份", None, "date", "exact", "2024-11"),
        ("10月份", None, "date", "exact", "2024-10"),
        ("90年代", 1990, "year", "exact", "199"),
        ("2024年前10个月", None, "date", "exact", "2024-01/2024-10"),
        ("6月11日", None, "date", "exact", "2024-06-11"),
        ("第三家", 3, "rank", "exact", None),
    ]


def test_find_skips_words_titles_and_plan_names():
    text = (
        "《重庆市上市公司发展报告(2024)》显示,打造“33618”现代制造业集群体系,提出“416”科技创新战略布局,"
        "一是要不停地探索,二是不能闭门造车,一方面存在短板,首次进入,第一次尝试,一次性使用,数十亿元,“万亿级”产业。"
    )
    assert find_quantities(text) == []


def test_find_offsets_are_code_points():
    text = "“渝”跃潮头,增长１２％"
    [(s, e, q)] = find_quantities(text)
    assert text[s:e] == "１２％" and q.value == 12


def test_find_agrees_with_normalise():
    text = "募资34.7亿元,回购3.04亿股,累计回购67次,有78家,布局了311项“关键技术”"
    for s, e, q in find_quantities(text):
        assert normalise(text[s:e], text[:s]) == q
