"""Tests for finnews.nlp.numbers: the numeric-expression normaliser and the rule-based finder.

Hand-written cases per rule, the held-out suite (tests/numbers/heldout: cases not written from our
page, with their sources), the page's gold facts, and the promise that nothing raises.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from finnews.data.corpus import article_text, load_articles
from finnews.data.jsonl import read_jsonl
from finnews.data.paths import annotations_dir
from finnews.nlp.numbers import Quantity, find_quantities, normalise

Q = Quantity
HELDOUT = Path(__file__).parent / "numbers" / "heldout"
BLIND = Path(__file__).parent / "numbers" / "blind" / "cases.jsonl"
RUNNING = Path(__file__).parent / "numbers" / "running" / "cases.jsonl"


# ---------------------------------------------------------------- normalise: one case per rule


@pytest.mark.parametrize(
    "expression, expected",
    [
        # money: scales times currency, exact decimal arithmetic
        ("2634.41亿港元", Q(263441000000, "HKD", "money", "exact", None)),
        ("1.2万亿元", Q(1200000000000, "CNY", "money", "exact", None)),
        ("557.6万美元", Q(5576000, "USD", "money", "exact", None)),
        ("0.5元", Q(0.5, "CNY", "money", "exact", None)),
        ("百亿港元", Q(10000000000, "HKD", "money", "exact", None)),
        ("1,107亿港元", Q(110700000000, "HKD", "money", "exact", None)),
        ("3千万亿日元", Q(3000000000000000, "JPY", "money", "exact", None)),  # 千万亿 = 1e15
        ("5亿欧元", Q(500000000, "EUR", "money", "exact", None)),
        ("二十五万三千二百泰铢", Q(253200, "THB", "money", "exact", None)),
        ("两个亿卢布", Q(200000000, "RUB", "money", "exact", None)),
        # capital numerals, 角/分, 块/毛/钱
        ("肆佰叁拾萬圆整", Q(4300000, "CNY", "money", "exact", None)),
        ("六十四万零一百四十三元一角七分", Q(640143.17, "CNY", "money", "exact", None)),
        ("十块三毛", Q(10.3, "CNY", "money", "exact", None)),
        ("一百三十五块六角七分钱", Q(135.67, "CNY", "money", "exact", None)),
        # a currency before the number wins over a generic 元
        ("港币两千九百六十元", Q(2960, "HKD", "money", "exact", None)),
        ("新台币 177.1 亿元", Q(17710000000, "TWD", "money", "exact", None)),
        ("美元100亿", Q(10000000000, "USD", "money", "exact", None)),
        # letter scales; a bare amount is kind other
        ("15k", Q(15000, "item", "other", "exact", None)),
        ("30w上下", Q(300000, "item", "other", "approx", None)),
        # percent, permille, basis points, 成
        ("108%", Q(108, "percent", "percent", "exact", None)),
        ("百分之三十五", Q(35, "percent", "percent", "exact", None)),
        ("百分之3.5", Q(3.5, "percent", "percent", "exact", None)),
        ("１２％", Q(12, "percent", "percent", "exact", None)),
        ("千分之五", Q(0.5, "percent", "percent", "exact", None)),
        ("5‰", Q(0.5, "percent", "percent", "exact", None)),
        ("25个基点", Q(0.25, "percent", "percent", "exact", None)),
        ("两成", Q(20, "percent", "percent", "exact", None)),
        ("负百分之三", Q(-3, "percent", "percent", "exact", None)),
        # counts
        ("3.04亿股", Q(304000000, "share", "count", "exact", None)),
        ("78家", Q(78, "company", "count", "exact", None)),
        ("三家", Q(3, "company", "count", "exact", None)),
        ("311项", Q(311, "item", "count", "exact", None)),  # 项 counts what follows: see the context test
        ("67次", Q(67, "occurrence", "count", "exact", None)),
        ("3个方向", Q(3, "direction", "count", "exact", None)),
        ("两组", Q(2, "group", "count", "exact", None)),
        ("4万亿Tokens", Q(4000000000000, "token", "count", "exact", None)),
        # ratios and fractions
        ("两倍", Q(2, "times", "ratio", "exact", None)),
        ("倍增", Q(2, "times", "ratio", "exact", None)),
        ("翻两番", Q(4, "times", "ratio", "exact", None)),
        ("数倍", Q(None, "times", "ratio", "approx", None)),  # GUIDELINES 3.2 amendment 6
        ("四分之三", Q(0.75, "times", "ratio", "exact", None)),
        # ranks
        ("第7位", Q(7, "rank", "rank", "exact", None)),
        ("第三家", Q(3, "rank", "rank", "exact", None)),
        ("前50名", Q(50, "rank", "rank", "upper_bound", None)),
        # years and decades
        ("2024年", Q(2024, "year", "year", "exact", "2024")),
        ("二〇二四年", Q(2024, "year", "year", "exact", "2024")),
        ("2024年度", Q(2024, "year", "year", "exact", "2024")),
        ("90年代", Q(1990, "decade", "year", "exact", "199")),
        ("上世纪90年代", Q(1990, "decade", "year", "exact", "199")),
        ("十九世纪七十年代", Q(1870, "decade", "year", "exact", "187")),
        ("2000年代", Q(2000, "decade", "year", "exact", "200")),
        # durations
        ("三年", Q(3, "year", "duration", "exact", "P3Y")),
        ("20多年", Q(20, "year", "duration", "lower_bound", "P20Y")),
        ("7个月", Q(7, "month", "duration", "exact", "P7M")),
        ("1.5年", Q(1.5, "year", "duration", "exact", "P1Y6M")),
        ("两年半", Q(2.5, "year", "duration", "exact", "P2Y6M")),
        ("30天", Q(30, "day", "duration", "exact", "P30D")),
        ("3周", Q(3, "week", "duration", "exact", "P3W")),
        ("3个季度", Q(3, "quarter", "duration", "exact", "P9M")),
        ("两个多月", Q(2, "month", "duration", "lower_bound", "P2M")),
        # bounds inside the expression
        ("十余家", Q(10, "company", "count", "lower_bound", None)),
        ("2000多万元", Q(20000000, "CNY", "money", "lower_bound", None)),
        ("2亿港元出头", Q(200000000, "HKD", "money", "lower_bound", None)),  # 出头 is a lower bound (issue 16)
        ("约1亿美元", Q(100000000, "USD", "money", "approx", None)),
        ("至少九千块钱以上", Q(9000, "CNY", "money", "lower_bound", None)),
        ("50万元（含）以上", Q(500000, "CNY", "money", "lower_bound", None)),
        ("不到1.9万台币", Q(19000, "TWD", "money", "upper_bound", None)),
        # vague amounts: the lower end, and the upper one where the words give it
        ("人民币数十亿元", Q(1000000000, "CNY", "money", "lower_bound", None, high=10000000000)),
        ("十几块钱", Q(10, "CNY", "money", "lower_bound", None, high=20)),
        ("上千万元", Q(10000000, "CNY", "money", "lower_bound", None)),
        ("3000多欧元", Q(3000, "EUR", "money", "lower_bound", None)),
        ("八九亿韩元", Q(800000000, "KRW", "money", "lower_bound", None, high=900000000)),
        # ranges: one Quantity, value the lower end and high the upper one
        ("1万-5万元", Q(10000, "CNY", "money", "lower_bound", None, high=50000)),
        ("1万(含)-5万元", Q(10000, "CNY", "money", "lower_bound", None, high=50000)),
        ("两到三万港元", Q(20000, "HKD", "money", "lower_bound", None, high=30000)),
        ("从8500到3万港元", Q(8500, "HKD", "money", "lower_bound", None, high=30000)),
        ("一百二十到一百五十万元", Q(1200000, "CNY", "money", "lower_bound", None, high=1500000)),
        ("10~15k元", Q(10000, "CNY", "money", "lower_bound", None, high=15000)),
        ("5%-8%", Q(5, "percent", "percent", "lower_bound", None, high=8)),
        # bare numerals: Chinese, capital, digit by digit
        ("一百一十一", Q(111, "item", "other", "exact", None)),
        ("壹拾壹亿壹仟壹佰壹拾壹万壹仟壹佰壹拾壹", Q(1111111111, "item", "other", "exact", None)),
        ("十亿零一万零一", Q(1000010001, "item", "other", "exact", None)),
        ("四千三", Q(4300, "item", "other", "exact", None)),
        ("三万二", Q(32000, "item", "other", "exact", None)),
        ("一七二零点一", Q(1720.1, "item", "other", "exact", None)),
        ("4万亿", Q(4000000000000, "item", "other", "exact", None)),
        ("百万", Q(1000000, "item", "other", "exact", None)),
    ],
)
def test_normalise(expression, expected):
    assert normalise(expression) == expected


def test_values_are_exact_ints_when_integral():
    value = normalise("2634.41亿港元").value
    assert type(value) is int and value == 263441000000
    assert type(normalise("557.6万美元").value) is int
    assert type(normalise("0.5元").value) is float
    assert normalise("233,333，333,434.344元").value == 233333333434.344


@pytest.mark.parametrize(
    "expression, year, month, expected",
    [
        ("12月30日", 2024, None, Q(None, "day", "date", "exact", "2024-12-30")),
        ("12月30日", None, None, Q(None, "day", "date", "exact", None)),
        ("10月份", 2024, None, Q(None, "month", "date", "exact", "2024-10")),
        ("十二月三十日", 2023, None, Q(None, "day", "date", "exact", "2023-12-30")),
        ("2024年11月份", 2020, None, Q(None, "month", "date", "exact", "2024-11")),  # the text's year wins
        ("2023年6月11日", None, None, Q(None, "day", "date", "exact", "2023-06-11")),
        ("2024年前10个月", None, None, Q(None, "month", "date", "exact", "2024-01/2024-10")),
        ("12月中旬", 2024, None, Q(None, "day", "date", "exact", "2024-12-11/2024-12-20")),
        ("2月下旬", 2024, None, Q(None, "day", "date", "exact", "2024-02-21/2024-02-29")),
        ("2025年第二季度", None, None, Q(None, "month", "date", "exact", "2025-04/2025-06")),
        ("三季度", 2024, None, Q(None, "month", "date", "exact", "2024-07/2024-09")),
        ("2024年Q4", None, None, Q(None, "month", "date", "exact", "2024-10/2024-12")),
        ("前三季度", 2023, None, Q(None, "month", "date", "exact", "2023-01/2023-09")),
        ("2023年上半年", None, None, Q(None, "month", "date", "exact", "2023-01/2023-06")),
        ("2023-11-08", None, None, Q(None, "day", "date", "exact", "2023-11-08")),
        ("30日", 2024, 6, Q(None, "day", "date", "exact", "2024-06-30")),  # a bare day needs the month
        ("30日", 2024, None, Q(None, "day", "date", "exact", None)),
        ("98年4月", 1997, None, Q(None, "month", "date", "exact", "1998-04")),  # two-digit years near the year given
        ("03年2月28日", 2021, None, Q(None, "day", "date", "exact", "2003-02-28")),
        ("2017年8月至11月", None, None, Q(None, "month", "date", "exact", "2017-08/2017-11")),
    ],
)
def test_normalise_dates(expression, year, month, expected):
    assert normalise(expression, year=year, month=month) == expected


@pytest.mark.parametrize(
    "context, expression, after, approx",
    [
        ("超", "2634亿港元", "", "lower_bound"),
        ("年内回购金额超过", "1亿港元", "", "lower_bound"),
        ("均超", "百亿港元", "", "lower_bound"),
        ("南向资金已累计流入近", "6300亿港元", "", "approx"),
        ("约", "417亿港元", "", "approx"),
        ("不少于", "50家", "", "lower_bound"),
        ("逾", "30家", "", "lower_bound"),
        ("不超过", "5%", "", "upper_bound"),
        ("最近", "3年", "", "exact"),  # 最近 is not 近
        ("仅为", "557.6万美元", "", "exact"),
        ("有12家公司回购金额在10亿港元至", "100亿港元", "区间", "upper_bound"),  # second end of a range
        ("回购金额在", "10亿港元", "至100亿港元区间", "lower_bound"),  # first end
        ("截至", "12月30日", "", "exact"),  # 截至 is no range
        ("石药集团仅", "2亿港元", "出头", "lower_bound"),
        ("", "5天", "内完成", "upper_bound"),
        ("", "1.2亿元", "左右", "approx"),
        ("逼近“", "40亿港元", "”门槛", "exact"),  # the threshold is exact; 逼近 is about reaching it
        ("打造三大“", "万亿", "级”主导产业集群", "lower_bound"),  # GUIDELINES 3.2 amendment 2
    ],
)
def test_normalise_context_sets_approx(context, expression, after, approx):
    assert normalise(expression, context, year=2024, after=after).approx == approx


def test_normalise_uses_context_for_units():
    assert normalise("4万亿", "豆包通用模型的日均Tokens使用量已超过") == Q(4000000000000, "token", "count", "lower_bound", None)
    assert normalise("12项", "公司今年推出新产品").unit == "item"
    assert normalise("311项", "布局了", after="“关键技术”").unit == "technology"
    assert normalise("三大", "新材料", after="“万亿级”主导产业集群").unit == "cluster"
    assert normalise("万亿", "三大“", after="级”主导产业集群") == Q(1000000000000, "CNY", "money", "lower_bound", None)
    assert normalise("10年代", "本世纪") == Q(2010, "decade", "year", "exact", "201")
    assert normalise("90年代", "上世纪").iso == "199"
    assert normalise("-2.1%", "同比").value == -2.1


@pytest.mark.parametrize("text", ["首次", "", "   ", "DeepSeek", "关键技术", "一方面", "GPT-4o", "零点点"])
def test_text_without_a_quantity_reads_as_nothing_with_a_reason(text):
    q = normalise(text)
    assert q.value is None and q.iso is None and q.reason


@pytest.mark.parametrize(
    "text, reason",
    [("13月", "no month 13"), ("12月32日", "no day 32"), ("2月30日", "no day 30 in month 2"), ("2023年2月29日", "no day 29")],
)
def test_impossible_dates_are_empty_with_a_reason(text, reason):
    q = normalise(text, year=2024)
    assert q.kind == "date" and q.iso is None and reason in q.reason


@pytest.mark.parametrize(
    "text, span, expected",
    [
        ("上下文窗口达128K tokens。", (6, 17), Q(128000, "token", "count", "exact", None)),
        ("4w token", (0, 8), Q(40000, "token", "count", "exact", None)),
        ("3K tokens", (0, 9), Q(3000, "token", "count", "exact", None)),
    ],
)
def test_find_letter_scale_then_a_space_and_an_ascii_unit(text, span, expected):
    """The space between a letter scale and its unit is kept (128K tokens is not 128Ktokens, which
    read as nothing and raised)."""
    assert find_quantities(text) == [(*span, expected)]
    assert normalise(text[span[0] : span[1]]) == expected


@pytest.mark.parametrize(
    "text, value", [("5元零角", 5), ("1块零角", 1), ("5元零角3分", 5.03), ("5元零角零分", 5), ("三块零毛", 3)]
)
def test_zero_jiao_adds_nothing(text, value):
    """零角 / 零毛 is no 角: the amount is the 元 (it raised a TypeError)."""
    assert normalise(text) == Q(value, "CNY", "money", "exact", None)


def test_nothing_raises_on_odd_text():
    """normalise and find_quantities take any string: fragments of numerals, units, separators and
    punctuation in random order (fixed seed) must read as something or as nothing, never raise."""
    pieces = list(
        "0123456789一二两三十百千万亿零〇壹贰佰仟萬億点.,，%％-－~至到第前约超多余几数上元块角分毛港币美年月日号季度Qk w(含)（）“”《》每负成倍分之"
    ) + [
        "个百分点",
        "基点",
        "个月",
        "世纪",
        "年代",
        "出头",
        "以上",
        "级",
        "人民币",
        "新台币",
        "一次性",
        " tokens",
        "K",
        "零角",
        "零毛",
    ]
    rng = random.Random(17)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        q = normalise(text, year=rng.choice([None, 2024]), month=rng.choice([None, 3]))
        assert isinstance(q, Quantity)
        for start, end, found in find_quantities(text, year=2024):
            assert 0 <= start < end <= len(text) and isinstance(found, Quantity)


@pytest.mark.parametrize(
    "text", ["一" * 20000, "三十" * 10000, "万" * 20000, "9" * 8000, "１" * 5000, "一分之" * 5000, "两到" * 5000, "5-" * 5000]
)
def test_long_runs_of_numeral_characters_are_read_in_linear_time_and_never_raise(text):
    """Garbage input finishes: no match is tried inside a run of Chinese numerals (that was
    quadratic), and a run of more than MAX_DIGITS digits is no quantity (int() refuses 4300+ digits)."""
    found = find_quantities(text)
    assert all(e - s <= 80 for s, e, _ in found)
    q = normalise(text)
    assert q.reason is None or len(q.reason) < 200


# ---------------------------------------------------------------- held-out cases and the page's gold


def heldout_cases(paths=None) -> list[dict]:
    cases = []
    for path in paths or sorted(HELDOUT.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                cases.append(json.loads(line))
    return cases


#: held-out cases the normaliser reads wrongly today; a fix makes the strict xfail fail: move it out
KNOWN_MISSES = {
    "零点零大": "read as 0 followed by the counter 大 (cn2an's test expects no numeral)",
    "2019年4月12-19日": "a bare day after a year-month (12-19日) is not carried into one date range",
}


#: blind cases (tests/numbers/blind: written after the normaliser was frozen) it reads wrongly. At
#: their first evaluation it read one wrongly (7个交易日, 个交易日 taken for the counter 个): 66/66
#: values, 65/66 all fields, the blind figure; 个交易日 was read as days after the running-text
#: passages (tests/numbers/running) showed it again, so the set is no longer blind.
BLIND_MISSES: dict[str, str] = {}


def read_case(case: dict) -> tuple[Quantity, bool]:
    q = normalise(case["text"], case.get("context", ""), case.get("year"), after=case.get("after", ""), month=case.get("month"))
    right = (q.value, q.high, q.unit, q.kind, q.approx, q.iso) == pytest.approx(
        (case["value"], case["high"], case["unit"], case["kind"], case["approx"], case["iso"])
    )
    return q, right


@pytest.mark.parametrize("case", heldout_cases([BLIND]), ids=lambda c: c["text"])
def test_blind_case(case):
    q, right = read_case(case)
    if case["text"] in BLIND_MISSES:
        assert not right, "read right now: take it out of BLIND_MISSES (and say the set is no longer blind)"
        pytest.xfail(BLIND_MISSES[case["text"]])
    assert right, q


@pytest.mark.parametrize("case", heldout_cases(), ids=lambda c: c["text"])
def test_heldout_case(case):
    """Held-out cases (tests/numbers/heldout/README.md): every field as labelled."""
    q, right = read_case(case)
    if case["text"] in KNOWN_MISSES:
        assert not right, "read right now: take it out of KNOWN_MISSES"
        pytest.xfail(KNOWN_MISSES[case["text"]])
    assert right, q


def test_heldout_cases_say_where_they_come_from():
    cases = heldout_cases()
    assert len(cases) >= 250
    for case in cases:
        assert case["source"] and (
            "Apache-2.0" in case["source"] or "MIT" in case["source"] or "written for this suite" in case["source"]
        ), case


#: passages of tests/numbers/running that find_quantities does not read exactly as annotated, with
#: what it gets wrong; a fix makes the strict xfail fail. The README there has each round's blind
#: figures; rounds 1-3 were fixed after them, round 4 (run-121 …) was not: its entries are as found.
RUNNING_MISSES = {
    "run-006": "差不多降了一半: a bound word with a verb between (降了) is not read",
    "run-010": "过百亿 (过 as a bound, no unit word) is not read",
    "run-019": "50升: 升 (litre) is no unit word (it is also 'to rise': 5升至6)",
    "run-020": "三方面: 方面 is no counter (一方面 is a fixed word)",
    "run-024": "2025财年第四财季 (a fiscal quarter) and 两位数 (double digits) are not read",
    "run-026": "不低于营收15%: a bound word with a noun between it and the number, without 的, is not read",
    "run-027": "一手中签率: 一手 (the one-lot rate) is read as a count",
    "run-038": "两期: 期 is no counter (十四五期间 would read as 145期)",
    "run-041": "四季度 in a January report on the year before takes the publication year",
    "run-043": "三期: 期 is no counter",
    "run-048": "四季度 in a January report on the year before takes the publication year",
    "run-053": "位列第一 before a noun (第一 needs punctuation after it) is not read",
    "run-058": "3月第1周 (a week of a month) is read as a month and a rank",
    "run-062": "the last group of a phone number after a space (0755-2681 3920) is read as a number",
    "run-066": "12月 in a January report on the year before takes the publication year",
    "run-072": "迈上1.4万亿斤台阶: 迈上…台阶 (reaching a level) is no bound word",
    "run-074": "10期: 期 is no counter",
    "run-091": "两点理由: 点 is no counter after a Chinese numeral (三点五 is a decimal)",
    "run-099": "2026 of the plan name 春风行动2026 is read",
    "run-112": "数小时 (a vague number of hours) is not read",
    "run-116": "处于…20%分位以下: 以下 after 分位 (a word between) is not read",
    "run-119": "中旬 after 1月上旬至 (its month carried from the first end) is not read",
    "run-120": "至少可为投资者节省交易成本18亿元: a bound word with a whole clause between it and the number is not read",
    "run-125": "跌32元至3,210元 is read as a range (it is a change, then a level)",
    "run-130": "伍仟万元 repeating a floor in brackets is not bounded, 截至28日 in a passage of 1 July (June), a phone number (…-4321)",
    "run-134": "the lot numbers 第1、3标包 are read",
    "run-137": "2025/2026年 (a year before a slash), 18x and 15x are not read",
    "run-154": "初四 (a day of the lunar new year) is not read",
    "run-155": "24点 (a clock time as the second end of 晚8点至24点) is read; 亿元 alone (an implied 1亿元) is not",
    "run-159": "第二财季, 第三财季 (fiscal quarters) are not read; 大致持平于22.8万人: 持平于 is no link of a bound word",
    "run-169": "2025/26年 (a sugar season) is not read as two years",
    "run-176": "五晚 (five nights): 晚 is no counter",
    "run-191": "11日16:00前: 前 after a clock time after the date is not read",
    "run-202": "好几番 (a vague number of doublings) is not read",
    "run-211": "过半 (more than half) is not read",
    "run-218": "一箭十八星 (星 counted in a launch) is not read",
    "run-223": "万亿 alone (万亿参数) is not read",
    "run-232": "5万美元或4万英镑以下: 以下 does not reach the first amount of the pair",
    "run-233": "最多享受三次: a bound word with a verb between is not read",
    "run-248": "上一年度: 一年 of 上一年度 (the previous year) is read as a duration",
    "run-253": "约21倍、19倍和18倍: 约 before a list does not reach its later items",
    "run-254": "最快3分钟: 最快 (at the fastest) is no bound word",
    "run-255": "95 of 95后 (people born after 1995) is read",
    "run-258": "第一财季 (a fiscal quarter) is not read; 便士 (pence) is no unit word",
    "run-259": "第三财季 is not read; $50亿股票回购: 股 after a currency amount is read as shares",
    "run-260": "1,200万块 (watches) is read as money (块 = yuan)",
    "run-261": "里亚尔 (a currency outside the enum) is no unit word",
    "run-262": "2024/25年度 (a season) is not read as two years; 袋 is no counter",
    "run-263": "单 is no counter",
    "run-264": "逼近1万美元关口: the threshold rule keeps 逼近 (approx) from applying",
    "run-265": "跌破每桶100美元: a bound word before a per-unit base other than the linked bounds is not read",
    "run-266": "行业前三 (a rank without a counter at the end of a clause) is not read",
    "run-267": "三班倒 (three shifts, a fixed word) is read as a count",
    "run-268": "7月第二周 (a week of a month) is read as a month and a rank",
    "run-269": "过半 is not read; 三季度末前后: 末 then 前后 is read as 前 (upper bound)",
    "run-272": "省, 粒 are no counters; 0.3g: g is no unit word",
    "run-273": "HK$28亿至HK$30亿: a currency sign between the ends breaks the range",
    "run-275": "本月中旬 and 10月第三周 are not read; 三元 of 外三元 (a pig breed) and 二次育肥 are read",
    "run-277": "半天 is not read",
    "run-278": "城 is no counter; 二手 (second-hand) is read as a count",
}


def running_passages() -> list[dict]:
    return [json.loads(line) for line in RUNNING.read_text(encoding="utf-8").splitlines() if line.strip()]


def _fields(start: int, end: int, kind, value, high, unit, approx, iso) -> tuple:
    number = lambda v: None if v is None else float(f"{float(v):.12g}")  # noqa: E731  (1e9 == 1000000000.0)
    return (start, end, kind, number(value), number(high), unit, approx, iso)


@pytest.mark.parametrize("passage", running_passages(), ids=lambda p: p["id"])
def test_running_passage(passage):
    """Every quantity of a passage not from our page, found with its span and every field, and
    nothing else (tests/numbers/running/README.md)."""
    expected = [
        _fields(q["start"], q["end"], q["kind"], q["value"], q["high"], q["unit"], q["approx"], q["iso"])
        for q in passage["quantities"]
    ]
    got = [
        _fields(s, e, q.kind, q.value, q.high, q.unit, q.approx, q.iso)
        for s, e, q in find_quantities(passage["text"], passage["year"], month=passage["month"])
    ]
    if passage["id"] in RUNNING_MISSES:
        assert got != expected, "read right now: take it out of RUNNING_MISSES"
        pytest.xfail(RUNNING_MISSES[passage["id"]])
    assert got == expected, {"missed": sorted(set(expected) - set(got)), "extra": sorted(set(got) - set(expected))}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("长三角和珠三角的三角债问题", []),  # 角 is money only after Arabic digits
        ("中证1000和科创50指数,iPhone 16销量,代码000001.SZ,9:30开盘", []),
        ("第一次尝试,3号线", []),
        ("每斤涨了3毛钱", [("3毛钱", 0.3, "CNY", "money", "exact")]),
        ("年薪20w-30w", [("20w", 200000, "item", "other", "lower_bound"), ("30w", 300000, "item", "other", "upper_bound")]),
        (
            "美联储加息50个基点至5.5%",
            [("50个基点", 0.5, "percent", "percent", "exact"), ("5.5%", 5.5, "percent", "percent", "exact")],
        ),
        ("约3%至5%", [("3%", 3, "percent", "percent", "lower_bound"), ("5%", 5, "percent", "percent", "upper_bound")]),
        ("折合约US$120万", [("120万", 1200000, "USD", "money", "approx")]),
        ("第三次会议,运量达1.2万吨", [("第三次", 3, "rank", "rank", "exact"), ("1.2万吨", 12000, "item", "other", "exact")]),
        # a power rating is a measure (10kW电机 was taken for a name before the second running round)
        (
            "10kW电机,装机36.5亿千瓦",
            [("10kW", 10, "item", "other", "exact"), ("36.5亿千瓦", 3650000000, "item", "other", "exact")],
        ),
        (
            "上证指数收于3,358.73点,三点五,3点钟",
            [("3,358.73点", 3358.73, "item", "other", "exact")],
        ),
        ("新一轮融资,一家券商,第48轮,热线0755-2681", [("第48轮", 48, "rank", "rank", "exact")]),
        (
            "上半年营收增长,前两个月销量",
            [("上半年", None, "month", "date", "exact"), ("前两个月", None, "month", "date", "exact")],
        ),
        ("3个工作日内", [("3个工作日", 3, "day", "duration", "upper_bound")]),
        (
            "1-5月累计,贵州茅台(600519)公告2024-031,10时15分",
            [("1", None, "month", "date", "exact"), ("5月", None, "month", "date", "exact")],
        ),
        ("七日年化收益率,近一年收益率", [("七日", 7, "day", "duration", "exact"), ("一年", 1, "year", "duration", "exact")]),
        # after the fourth round: bound words linked to the number they do not touch
        (
            "分红不超过可分配利润的40%,约为同行的两倍,低于上年同期的6.5%",
            [
                ("40%", 40, "percent", "percent", "upper_bound"),
                ("两倍", 2, "times", "ratio", "approx"),
                ("6.5%", 6.5, "percent", "percent", "exact"),  # a comparison: last year's figure
            ],
        ),
        (
            "回购价格不超过每股22元,赔偿最高可达3000万美元,营收约100亿元中的20%",
            [
                ("22元", 22, "CNY", "money", "upper_bound"),
                ("3000万美元", 30000000, "USD", "money", "upper_bound"),
                ("100亿元", 10000000000, "CNY", "money", "approx"),
                ("20%", 20, "percent", "percent", "exact"),  # 约 is the bound of 100亿元
            ],
        ),
        (
            "毛利率分别不低于20%、25%、30%;新签约80亿元,违约5亿元",
            [
                ("20%", 20, "percent", "percent", "lower_bound"),
                ("25%", 25, "percent", "percent", "lower_bound"),
                ("30%", 30, "percent", "percent", "lower_bound"),
                ("80亿元", 8000000000, "CNY", "money", "exact"),  # 签约 and 违约 are no 约
                ("5亿元", 500000000, "CNY", "money", "exact"),
            ],
        ),
        (
            "金价跌破600元/克,月销量破10万辆,恒指站上2万点上方,升破3,000点大关,跌破60日均线",
            [
                ("600元", 600, "CNY", "money", "upper_bound"),
                ("10万辆", 100000, "item", "count", "lower_bound"),
                ("2万点", 20000, "item", "other", "lower_bound"),
                ("3,000点", 3000, "item", "other", "exact"),  # a threshold is exact
                ("60日", 60, "day", "duration", "exact"),
            ],
        ),
        (
            "玉米报价2,300元/吨左右,3年期以上贷款",
            [("2,300元", 2300, "CNY", "money", "approx"), ("3年", 3, "year", "duration", "lower_bound")],
        ),
        # units and counters, and digits that are names
        (
            "存栏5万头,出货2亿片,投票8票,发生4起事故,吞吐量300万TEU,容量750ml,用电20度,估值提升2pct",
            [
                ("5万头", 50000, "item", "count", "exact"),
                ("2亿片", 200000000, "item", "count", "exact"),
                ("8票", 8, "item", "count", "exact"),
                ("4起", 4, "item", "count", "exact"),
                ("300万TEU", 3000000, "item", "other", "exact"),
                ("750ml", 750, "item", "other", "exact"),
                ("20度", 20, "item", "other", "exact"),
                ("2pct", 2, "percent", "percent", "exact"),
            ],
        ),
        ("一起推进,一片向好,一度下跌,另一家公司,二套房", []),
        ("客服热线95588-123-456,(2023)京01民终88号,双12期间,晚上9点收盘,铜2507合约,3类资产,1型", []),
        (
            "去年四季度,上年12月,明年一季度,今年3月",
            [
                ("四季度", None, "month", "date", "exact"),
                ("12月", None, "month", "date", "exact"),
                ("一季度", None, "month", "date", "exact"),
                ("3月", None, "month", "date", "exact"),
            ],
        ),
        # after the fifth round
        (
            "另三家银行,最后一个工作日,前两个月,首9个月营收,六成五的受访者,三成多",
            [
                ("三家", 3, "company", "count", "exact"),
                ("前两个月", None, "month", "date", "exact"),
                ("首9个月", None, "month", "date", "exact"),
                ("六成五", 65, "percent", "percent", "exact"),
                ("三成", 30, "percent", "percent", "lower_bound"),
            ],
        ),
        (
            "入围全球五十强,位列中国企业500强,发布第二代产品,开业第五天,连续第三周",
            [
                ("五十强", 50, "rank", "rank", "upper_bound"),
                ("500强", 500, "rank", "rank", "upper_bound"),
                ("第二代", 2, "rank", "rank", "exact"),
                ("第五天", 5, "rank", "rank", "exact"),
                ("第三周", 3, "rank", "rank", "exact"),
            ],
        ),
        (
            "装机12.3吉瓦,交付3艘30万载重吨油轮,每片含药5毫克,算力达50PFLOPS,每股派港币12仙,成立十周年",
            [
                ("12.3吉瓦", 12.3, "item", "other", "exact"),
                ("3艘", 3, "item", "count", "exact"),
                ("30万载重吨", 300000, "item", "other", "exact"),
                ("5毫克", 5, "item", "other", "exact"),
                ("50PFLOPS", 50, "item", "other", "exact"),
                ("12仙", 0.12, "HKD", "money", "exact"),
                ("十周年", 10, "year", "duration", "exact"),
            ],
        ),
        (
            "铜价站稳10万元/吨,当日最高达3,520点,最高可达5倍",
            [
                ("10万元", 100000, "CNY", "money", "lower_bound"),
                ("3,520点", 3520, "item", "other", "exact"),  # the day's high itself
                ("5倍", 5, "times", "ratio", "upper_bound"),
            ],
        ),
        ("证券代码688001,登记编号2024110356,沪深300成分股,成份股调整", []),
        # the misses of earlier rounds, worked on before the sixth
        (
            "三家分别募资8.5亿、12亿及20亿港元,两地仓容3万吨、5亿元",
            [
                ("三家", 3, "company", "count", "exact"),
                ("8.5亿", 850000000, "HKD", "money", "exact"),
                ("12亿", 1200000000, "HKD", "money", "exact"),
                ("20亿港元", 2000000000, "HKD", "money", "exact"),
                ("3万吨", 30000, "item", "other", "exact"),  # a measure takes no unit from the list
                ("5亿元", 500000000, "CNY", "money", "exact"),
            ],
        ),
        (
            "2025H1营收,H2展望,入选TOP50,市占率前五家,7纳米工艺,6.1英寸屏幕,4卡服务器,H20芯片",
            [
                ("2025H1", None, "month", "date", "exact"),
                ("H2", None, "month", "date", "exact"),
                ("50", 50, "rank", "rank", "upper_bound"),
                ("五家", 5, "rank", "rank", "upper_bound"),
            ],
        ),
        # after the sixth round
        (
            "获得三席,销售80万瓶,接种500万剂,发射12颗卫星,出货1.2亿部,五部门印发,一部分,一组照片",
            [
                ("三席", 3, "item", "count", "exact"),
                ("80万瓶", 800000, "item", "count", "exact"),
                ("500万剂", 5000000, "item", "count", "exact"),
                ("12颗", 12, "item", "count", "exact"),
                ("1.2亿部", 120000000, "item", "count", "exact"),
                ("五部门", 5, "item", "count", "exact"),
            ],
        ),
        (
            "存储达20PB,日处理500Nm³,堆场150万方,桥长30米,起降900架次,工期半个月,贷款最长十年,2027年底前",
            [
                ("20PB", 20, "item", "other", "exact"),
                ("500Nm³", 500, "item", "other", "exact"),
                ("150万方", 1500000, "item", "other", "exact"),
                ("30米", 30, "item", "other", "exact"),
                ("900架次", 900, "occurrence", "count", "exact"),
                ("半个月", 0.5, "month", "duration", "exact"),
                ("十年", 10, "year", "duration", "upper_bound"),
                ("2027年", 2027, "year", "year", "upper_bound"),
            ],
        ),
        (
            "营收排名前20的企业,前三大客户,9价疫苗,项目编号GX-2024-0815,“22城投03”,汽车零部件,零件",
            [("20", 20, "rank", "rank", "upper_bound"), ("三大", 3, "rank", "rank", "upper_bound")],
        ),
        (
            "半年之内,每半年付息一次,发布半年报,2025年半年度",
            [
                ("半年", 0.5, "year", "duration", "upper_bound"),
                ("一次", 1, "occurrence", "count", "exact"),
                ("2025年", 2025, "year", "year", "exact"),
            ],
        ),
    ],
)
def test_find_rules_learnt_from_the_running_passages_hold_on_other_text(text, expected):
    assert [(text[s:e], q.value, q.unit, q.kind, q.approx) for s, e, q in find_quantities(text, 2025)] == expected


def test_find_a_word_naming_another_year_moves_a_date_without_one():
    text = "去年四季度,上年12月,明年一季度,今年3月"
    assert [q.iso for _, _, q in find_quantities(text, 2025)] == ["2024-10/2024-12", "2024-12", "2026-01/2026-03", "2025-03"]
    # ...but never to a year that ISO 8601 writes in other than four digits
    assert [q.iso for _, _, q in find_quantities("明年3月,去年四季度", 9999)] == ["9999-03", "9998-10/9998-12"]
    assert [q.iso for _, _, q in find_quantities("前年12月1日", 1)] == ["0001-12-01"]


def test_running_passages_are_well_formed():
    units = set(
        json.loads((Path(__file__).parents[1] / "annotations/schema/defs.schema.json").read_text("utf-8"))["$defs"]["unit"][
            "enum"
        ]
    )
    passages = running_passages()
    assert [p["id"] for p in passages] == [f"run-{i:03d}" for i in range(1, len(passages) + 1)]
    for p in passages:
        for q in p["quantities"]:
            assert p["text"][q["start"] : q["end"]] == q["text"] and q["unit"] in units, (p["id"], q)


def test_every_gold_fact_of_the_page_normalises_to_its_gold_value():
    """The 95 gold numeric facts read back with the text around them: value, unit, kind, iso and
    approx as annotated (出头 is a lower bound whatever the gold on this branch says: issue 16)."""
    texts = {a["id"]: article_text(a) for a in load_articles()}
    dates = {a["id"]: a.get("date") for a in load_articles()}
    records = list(read_jsonl(annotations_dir() / "numeric_facts.jsonl"))
    assert len(records) >= 95
    for r in records:
        text = texts[r["article"]]
        year = int(dates[r["article"]][:4]) if dates[r["article"]] else None
        q = normalise(r["text"], text[max(0, r["start"] - 20) : r["start"]], year, after=text[r["end"] : r["end"] + 20])
        assert (q.value, q.unit, q.kind, q.iso) == (r["value"], r["unit"], r["kind"], r["iso"]), r["id"]
        expected = "lower_bound" if text.startswith("出头", r["end"]) else r["approx"]
        assert q.approx == expected, r["id"]


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
    start = text.index("2634.41")
    assert found[3] == (start, start + len("2634.41亿港元"), Q(263441000000, "HKD", "money", "exact", None))
    assert found[0][2] == Q(None, "day", "date", "exact", "2024-12-30")
    assert found[1][2] == Q(280, "company", "count", "exact", None)


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


def test_find_keeps_a_price_after_an_english_word_and_skips_per_unit_bases():
    text = "DeepSeek-V3的定价为每百万输入tokens0.5元(缓存命中)/2元(缓存未命中),每10股派发现金红利8元。"
    assert [(t, q.value, q.unit, q.kind) for t, q in spans(text)] == [
        ("0.5元", 0.5, "CNY", "money"),
        ("2元", 2, "CNY", "money"),
        ("8元", 8, "CNY", "money"),
    ]


def test_find_tokens_sentence():
    text = "截至12月中旬,豆包通用模型的日均Tokens使用量已超过4万亿,较7个月前发布时增长了33倍。"
    assert spans(text) == [
        ("12月中旬", Q(None, "day", "date", "exact", "2024-12-11/2024-12-20")),  # GUIDELINES 3.2 amendment 5
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
        ("2亿港元", 200000000, "lower_bound"),  # 出头 (issue 16)
        ("40亿港元", 4000000000, "exact"),  # the gold: a threshold that is approached is exact
    ]


def test_find_range_carries_scale_and_unit():
    text = "有3至5家公司,规模10至100亿港元,报价两到三万港元,从8500到3万港元,一百二十到一百五十万元,1万(含)-5万元"
    assert [(t, q.value, q.unit, q.approx) for t, q in spans(text)] == [
        ("3", 3, "company", "lower_bound"),
        ("5家", 5, "company", "upper_bound"),
        ("10", 1000000000, "HKD", "lower_bound"),
        ("100亿港元", 10000000000, "HKD", "upper_bound"),
        ("两", 20000, "HKD", "lower_bound"),
        ("三万港元", 30000, "HKD", "upper_bound"),
        ("8500", 8500, "HKD", "lower_bound"),  # 8500万 would exceed 3万: the unit only
        ("3万港元", 30000, "HKD", "upper_bound"),
        ("一百二十", 1200000, "CNY", "lower_bound"),
        ("一百五十万元", 1500000, "CNY", "upper_bound"),
        ("1万", 10000, "CNY", "lower_bound"),
        ("5万元", 50000, "CNY", "upper_bound"),
    ]


def test_find_dates_in_a_range_share_the_year_of_the_first():
    text = "活动于2017年8月11日至8月22日举行。"
    assert [(t, q.iso) for t, q in spans(text, year=2024)] == [("2017年8月11日", "2017-08-11"), ("8月22日", "2017-08-22")]


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
        ("万亿", 1000000000000, "CNY", "money", "lower_bound"),  # GUIDELINES 3.2 amendment 2
        ("三大", 3, "industry", "count", "exact"),
        ("五千亿", 500000000000, "CNY", "money", "lower_bound"),
        ("18个", 18, "cluster", "count", "exact"),
        ("3个", 3, "direction", "count", "exact"),  # the gold span: 3个, its noun 方向 after it
    ]


def test_find_dates_years_ranks():
    text = (
        "2024年重庆综合科技创新水平居全国第7位,首次进入全球前50名。截至2024年11月份,"
        "今年10月份上市,上世纪90年代,2024年前10个月南向资金,6月11日正式生效,成为第三家。"
    )
    assert [(t, q.value, q.kind, q.approx, q.iso) for t, q in spans(text)] == [
        ("2024年", 2024, "year", "exact", "2024"),
        ("第7位", 7, "rank", "exact", None),
        ("50名", 50, "rank", "upper_bound", None),  # GUIDELINES 3.2 amendment 3: 前 is outside the span
        ("2024年11月份", None, "date", "exact", "2024-11"),
        ("10月份", None, "date", "exact", "2024-10"),
        ("上世纪90年代", 1990, "year", "exact", "199"),  # amendment 4: one span with its century
        ("2024年前10个月", None, "date", "exact", "2024-01/2024-10"),
        ("6月11日", None, "date", "exact", "2024-06-11"),
        ("第三家", 3, "rank", "exact", None),
    ]


def test_find_skips_words_titles_and_plan_names():
    text = (
        "《重庆市上市公司发展报告(2024)》显示,打造“33618”现代制造业集群体系,提出“416”科技创新战略布局,"
        "一是要不停地探索,二是不能闭门造车,一方面存在短板,首次进入,第一次尝试,一次性使用,一个平台,一批企业,"
        "千万不要,成千上万,十万火急,百家争鸣,一成不变,第一发明者。"
    )
    assert find_quantities(text) == []


def test_find_vague_amounts_and_signs():
    text = "数十亿元投资,近百家机构,上千万元,同比-3.5%,七八成的公司,降息25个基点"
    assert [(t, q.value, q.high, q.unit, q.approx) for t, q in spans(text)] == [
        ("数十亿元", 1000000000, 10000000000, "CNY", "lower_bound"),
        ("百家", 100, None, "company", "approx"),
        ("上千万元", 10000000, None, "CNY", "lower_bound"),
        ("-3.5%", -3.5, None, "percent", "exact"),
        ("七八成", 70, 80, "percent", "lower_bound"),
        ("25个基点", 0.25, None, "percent", "exact"),
    ]


def test_find_days_of_the_month_and_durations_in_days():
    text = "公司30日晚间公告,5日内完成,跌破30日均线"
    assert [(t, q.kind, q.approx, q.iso) for t, q in spans(text, year=2024)] == [
        ("30日", "date", "exact", None),  # a day of a month the text does not give
        ("5日", "duration", "upper_bound", "P5D"),
        ("30日", "duration", "exact", "P30D"),
    ]


def test_find_offsets_are_code_points():
    text = "“渝”跃潮头,增长１２％,𠀀增长3%"
    found = find_quantities(text)
    assert [(text[s:e], q.value) for s, e, q in found] == [("１２％", 12), ("3%", 3)]


def test_find_is_deterministic_and_independent_of_what_came_before():
    """The reading memo makes no difference: the same text, the same result, in any order."""
    texts = ["募资34.7亿元,回购3.04亿股", "12月30日,约3亿元", "两到三万港元", "公司30日公告"]
    first = [find_quantities(t, 2024) for t in texts]
    assert [find_quantities(t, 2024) for t in reversed(texts)] == list(reversed(first))
    assert find_quantities("12月30日", 2023) != find_quantities("12月30日", 2024)


def test_the_memo_of_readings_is_bounded_and_changes_nothing(monkeypatch):
    """A worker reads millions of articles: the memo empties itself at its limit, and results
    are the same whether a reading comes from it or is made anew."""
    from finnews.nlp import numbers

    texts = [f"第{i}季度营收{i}.5亿元,同比增长{i % 40}%,较{i % 12 + 1}月{i % 28 + 1}日" for i in range(300)]
    numbers.forget_readings()
    expected = [find_quantities(t, 2024) for t in texts]
    monkeypatch.setattr(numbers, "_MEMO_LIMIT", 25)
    numbers.forget_readings()
    for text, result in zip(texts, expected):
        assert find_quantities(text, 2024) == result
        assert sum(map(len, numbers._MEMOS)) <= 25


def test_find_agrees_with_normalise():
    text = "募资34.7亿元,回购3.04亿股,累计回购67次,有78家,布局了311项“关键技术”,超过2亿港元出头,近百家"
    for s, e, q in find_quantities(text):
        assert normalise(text[s:e], text[:s], after=text[e:]) == q
