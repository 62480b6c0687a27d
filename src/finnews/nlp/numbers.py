"""Numeric-expression normaliser for Chinese financial news (annotations/GUIDELINES.md, section 3).

Two entry points:

- ``normalise(expression, context, year, after=..., month=...)`` reads one quantity span as
  annotated ("2634.41亿港元", "百分之三十五", "12月30日", "前50名", "1万-5万元") into a :class:`Quantity`;
- ``find_quantities(text, year)`` finds such spans in running text (a rule-based extractor).

What they read: Arabic, Chinese, capital (大写) and mixed numerals (2634.41亿, 二十五万三千二百,
肆佰叁拾萬, 3千万亿, 15k, 30w); money in the common currencies, the currency written after or before
the number (港币两千九百六十元), with 角/分 and 块/毛/钱; percent (%, 百分之, ‰, 个百分点, 基点, 成),
fractions (三分之一), counts, ratios (倍, 翻番), ranks (第7位, 前50名), dates (2024年12月30日, 12月中旬,
2024年第三季度, 98年4月, 30日), years and decades (上世纪90年代), durations (三个月, 两年半, 3周). Bounds
and approximations (约, 超过, 不超过, 多, 余, 出头, 以上, 以内, (含), 数十, 几十, 上百) set ``approx``; a
range (1万-5万元, 两到三万港元) is two spans in running text and one Quantity in ``normalise``
(``value`` its lower end, ``high`` its upper one).

Neither raises on text: an expression that cannot be read is a Quantity with ``value`` None and a
``reason`` (for the reviewer of a draft), never an exception.

How it is fast: one compiled scanner (``_SCANNER``) finds every candidate in C; it starts with a
look-ahead on the characters a quantity can start with, so text without a digit or numeral costs
one character-class test per character. Python then reads each distinct candidate text once
(``_read`` is memoised: the same "2024年" or "12%" recurs all over a collection; a new Arabic
number is a copy of the memoised reading of its unit) and looks at a character on each side of it
to decide whether any context rule (a bound word, a range, a name, a currency before it) applies;
most candidates need none. Every step is linear in the length of the text.

Arithmetic is exact (integers, or :class:`decimal.Decimal`): 2634.41亿 is 263441000000. Every word
list below is data: change a table, not the code, to change what a word means.
"""

from __future__ import annotations

import bisect
import calendar
import inspect
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["Quantity", "normalise", "find_quantities", "forget_readings"]

# ----------------------------------------------------------------------------------------------
# Tables: numerals

#: characters read as digits (Chinese, capital 大写, full-width and ASCII) -> ASCII digit
DIGITS: dict[str, str] = {
    **{c: "0" for c in "零〇○洞"},
    **{c: "1" for c in "一壹幺"},
    **{c: "2" for c in "二两兩贰貳"},
    **{c: "3" for c in "三叁參"},
    **{c: "4" for c in "四肆"},
    **{c: "5" for c in "五伍"},
    **{c: "6" for c in "六陆陸"},
    **{c: "7" for c in "七柒"},
    **{c: "8" for c in "八捌"},
    **{c: "9" for c in "九玖"},
    **{chr(0xFF10 + i): str(i) for i in range(10)},
}
#: numeral unit characters (capital and traditional forms included) -> their simplified form
UNIT_CHARS: dict[str, str] = {
    "十": "十",
    "拾": "十",
    "百": "百",
    "佰": "百",
    "千": "千",
    "仟": "千",
    "万": "万",
    "萬": "万",
    "亿": "亿",
    "億": "亿",
}
UNIT_VALUES: dict[str, int] = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}
#: letter scales after an Arabic number (15k, 30w); upper-case W is watts, so it is no scale
LETTER_SCALES: dict[str, int] = {"k": 1000, "K": 1000, "w": 10**4}
#: a scale character alone is a word, not a number (万元, 百家, 千年); 十年 is ten years
SCALE_WORDS = frozenset("百佰千仟万萬亿億")
#: characters that stand for two numeral characters
SHORTHANDS: dict[str, str] = {"廿": "2十", "卅": "3十"}

# ----------------------------------------------------------------------------------------------
# Tables: units. A unit word follows the number (scales are read separately: 亿元 is 亿 + 元).

#: currency word -> ISO 4217 code. Generic words (元, 块) give way to a currency written before the
#: number (港币两千九百六十元 is HKD).
CURRENCIES: dict[str, str] = {
    "元": "CNY",
    "圆": "CNY",
    "块": "CNY",
    "块钱": "CNY",
    "元钱": "CNY",
    "人民币": "CNY",
    "元人民币": "CNY",
    "港元": "HKD",
    "港币": "HKD",
    "港圆": "HKD",
    "美元": "USD",
    "美金": "USD",
    "欧元": "EUR",
    "日元": "JPY",
    "日圆": "JPY",
    "英镑": "GBP",
    "澳元": "AUD",
    "澳币": "AUD",
    "加元": "CAD",
    "加币": "CAD",
    "新台币": "TWD",
    "台币": "TWD",
    "韩元": "KRW",
    "泰铢": "THB",
    "卢布": "RUB",
    "瑞士法郎": "CHF",
    "瑞郎": "CHF",
    "新加坡元": "SGD",
    "新元": "SGD",
    "澳门元": "MOP",
    "澳门币": "MOP",
    "印度卢比": "INR",
    "卢比": "INR",
    "新西兰元": "NZD",
    "纽元": "NZD",
    "林吉特": "MYR",
    "越南盾": "VND",
    "雷亚尔": "BRL",
    "¥": "CNY",
    "￥": "CNY",
    "$": "USD",
    "US$": "USD",
    "HK$": "HKD",
    "€": "EUR",
    "£": "GBP",
}
#: currency words that only say "yuan": a currency named before the number wins over them
GENERIC_CURRENCY = frozenset({"元", "圆", "块", "块钱", "元钱"})
#: currency words that may stand before the number (人民币5000万元, 港币两千九百六十元, 美元100亿)
CURRENCIES_BEFORE = (
    "¥",
    "￥",
    "$",
    "US$",
    "HK$",
    "€",
    "£",
    "人民币",
    "港币",
    "港元",
    "美元",
    "美金",
    "欧元",
    "日元",
    "英镑",
    "澳元",
    "加元",
    "新台币",
    "台币",
    "韩元",
    "泰铢",
    "卢布",
    "新加坡元",
    "澳门元",
    "瑞士法郎",
)

#: unit word -> (unit, kind, factor). factor scales the value (两成 = 20%, 25个基点 = 0.25%).
UNIT_WORDS: dict[str, tuple[str, str, Decimal | None]] = {
    **{word: (code, "money", None) for word, code in CURRENCIES.items()},
    # 角 and 毛 only after Arabic digits (1角6分): 三角, 长三角 and 三角债 are no money
    "角": ("CNY", "money", Decimal("0.1")),
    "毛": ("CNY", "money", Decimal("0.1")),
    "点": ("item", "other", None),  # index points after Arabic digits (3,358.73点); 三点五 is a decimal
    "度": ("item", "other", None),  # after Arabic digits (53度, 1000度电); 一度 is "at one time"
    "强": ("rank", "rank", None),  # after Arabic digits (500强: the top 500; 两强 is two powers)
    "米": ("item", "other", None),  # after Arabic digits (4米); 大米, 玉米 need no numeral
    "方": ("item", "other", None),  # cubic metres, after Arabic digits (320万方); 三方 is three parties
    "仙": ("HKD", "money", Decimal("0.01")),  # a Hong Kong cent, after Arabic digits (每股港币8仙)
    "%": ("percent", "percent", None),
    "pct": ("percent", "percent", None),  # brokers' shorthand for percentage points (提升1.4pct)
    "％": ("percent", "percent", None),
    "‰": ("percent", "percent", Decimal("0.1")),
    "个百分点": ("percent", "percent", None),
    "百分点": ("percent", "percent", None),
    "个基点": ("percent", "percent", Decimal("0.01")),
    "基点": ("percent", "percent", Decimal("0.01")),
    "成": ("percent", "percent", Decimal(10)),
    **{"成" + digit: ("percent", "percent", Decimal(10)) for digit in "一二三四五六七八九"},  # 九成五 = 95%
    "倍": ("times", "ratio", None),
    "家": ("company", "count", None),
    "股": ("share", "count", None),
    "项": ("item", "count", None),
    "次": ("occurrence", "count", None),
    "人次": ("occurrence", "count", None),
    "架次": ("occurrence", "count", None),
    "组": ("group", "count", None),
    "个": ("item", "count", None),
    "大": ("item", "count", None),
    **{
        word: ("item", "count", None)
        for word in (
            "只",
            "手",
            "名",
            "位",
            "人",
            "台",
            "辆",
            "件",
            "款",
            "套",
            "笔",
            "户",
            "座",
            "条",
            "张",
            "份",
            "场",
            "批",
            "架",
            "艘",
            "宗",
            "例",
            "所",
            "轮",
            "票",
            "片",
            "头",
            "起",
            "班",
            "席",
            "瓶",
            "剂",
            "颗",
            "部",
            "部门",
        )
    },
    **{word: ("token", "count", None) for word in ("tokens", "Tokens", "TOKENS", "token", "Token")},
    "年": ("year", "duration", None),
    "年半": ("year", "duration", None),
    "周年": ("year", "duration", None),  # 四周年: four years since
    "个月": ("month", "duration", None),
    "个多月": ("month", "duration", None),
    "个半月": ("month", "duration", None),
    "天": ("day", "duration", None),
    "日": ("day", "duration", None),
    "周": ("week", "duration", None),
    "个星期": ("week", "duration", None),
    "星期": ("week", "duration", None),
    "个季度": ("quarter", "duration", None),
    "小时": ("hour", "duration", None),
    "个小时": ("hour", "duration", None),
    "个半小时": ("hour", "duration", None),
    "分钟": ("minute", "duration", None),
    "个交易日": ("day", "duration", None),
    "个工作日": ("day", "duration", None),
    "个自然日": ("day", "duration", None),
    # physical measures: no unit of the closed list, so kind other (tests/numbers/running/README.md)
    **{
        word: ("item", "other", None)
        for word in (
            "吨",
            "公斤",
            "千克",
            "斤",
            "平方米",
            "平米",
            "平方公里",
            "立方米",
            "公顷",
            "亩",
            "公里",
            "千米",
            "桶",
            "盎司",
            "毫升",
            "标箱",
            "载重吨",
            "克",
            "毫克",
            "厘米",
            "毫米",
        )
        + ("千瓦", "千瓦时", "吉瓦", "吉瓦时", "兆瓦", "兆瓦时", "TWh", "GWh", "MWh", "kWh", "GW", "MW", "kW")
        + ("TEU", "ml", "mL", "mg", "kg", "EFLOPS", "PFLOPS", "TFLOPS", "EB", "PB", "TB", "GB", "Nm³", "m³")
    },
}
#: unit words of a change in percentage points (not a level: 下调25个基点至4.75%)
POINT_WORDS = frozenset({"个百分点", "百分点", "个基点", "基点"})
#: unit words that add a half (一年半, 两个半月)
HALF_UNITS = frozenset({"年半", "个半月", "个半小时"})
#: unit words that carry a bound (两个多月 is more than two months)
UNIT_APPROX: dict[str, str] = {"个多月": "lower_bound", "强": "upper_bound"}
#: 日 is a unit (a duration: 5日内, 30日均线) only before these words; elsewhere 30日 is a day of the month
DAY_DURATION_BEFORE = ("以内", "内", "均", "线", "年化")
#: 成 is a unit (两成 = 20%) except before these characters (成为, 成立, 成本, 成分股: words with 成)
CHENG_NOT_BEFORE = "为立本交长功员果熟就型分份"

#: counters whose unit is the noun they count (looked up in COUNTER_NOUNS), else the default above
COUNTERS = frozenset({"个", "大", "项"})
#: noun after (or, failing that, before) a counter -> unit. The noun ending last wins (产业集群 -> cluster).
COUNTER_NOUNS: dict[str, str] = {
    "集群": "cluster",
    "产业": "industry",
    "行业": "industry",
    "企业": "company",
    "公司": "company",
    "技术": "technology",
    "产品": "item",
    "方向": "direction",
    "tokens": "token",
}
#: nouns in the clause of a number without a unit word (超过4万亿, of Tokens) -> unit (kind count)
BARE_NUMBER_HINTS: dict[str, str] = {"tokens": "token", "token": "token"}
#: unit and kind of a number without any unit word or hint
BARE_UNIT = ("item", "other")
#: what joins the numbers of a list whose last number's unit the others share (41.2亿、50.6亿和62.3亿元)
LIST_SEPARATORS = frozenset({"、", "和", "及", "与", "或"})
#: kinds of the last number of such a list whose unit is carried back
LIST_KINDS = frozenset({"money", "percent", "count"})

#: ISO 8601 duration designators per duration unit: (designator, whether it is in the time part after T)
DURATION_DESIGNATORS: dict[str, tuple[str, bool]] = {
    "year": ("Y", False),
    "month": ("M", False),
    "week": ("W", False),
    "day": ("D", False),
    "hour": ("H", True),
    "minute": ("M", True),
}

# ----------------------------------------------------------------------------------------------
# Tables: bounds and approximation

#: words right before a number -> approx. The longest match wins, so entries mapped to "exact"
#: shadow shorter ones (最近 is not 近, 签约 is not 约). Words that do not touch the number count only
#: through a link (LINKED_BOUNDS): 逼近“40亿港元”门槛 approaches a threshold, and the threshold is exact.
APPROX_PREFIXES: dict[str, str] = {
    "约": "approx",
    "大约": "approx",
    "约为": "approx",
    "约合": "approx",
    "约莫": "approx",
    "大概": "approx",
    "大致": "approx",
    "差不多": "approx",
    "近": "approx",
    "将近": "approx",
    "接近": "approx",
    "逼近": "approx",
    "几乎": "approx",
    "近乎": "approx",
    "最近": "exact",
    "附近": "exact",
    "临近": "exact",
    "靠近": "exact",
    **{word: "exact" for word in ("签约", "违约", "节约", "预约", "制约", "公约", "契约", "条约", "履约", "续约", "解约")},
    "打破": "exact",
    "超": "lower_bound",
    "超过": "lower_bound",
    "超出": "lower_bound",
    "逾": "lower_bound",
    "多于": "lower_bound",
    "高于": "lower_bound",
    "大于": "lower_bound",
    "不少于": "lower_bound",
    "不低于": "lower_bound",
    "不小于": "lower_bound",
    "至少": "lower_bound",
    "最少": "lower_bound",
    "最低": "lower_bound",
    "起码": "lower_bound",
    "至少为": "lower_bound",
    "最少为": "lower_bound",
    "最低为": "lower_bound",
    "突破": "lower_bound",
    "站上": "lower_bound",
    "站稳": "lower_bound",
    "冲破": "lower_bound",
    "破": "lower_bound",
    "跌破": "upper_bound",
    "不超过": "upper_bound",
    "未超过": "upper_bound",
    "不超": "upper_bound",
    "不到": "upper_bound",
    "不足": "upper_bound",
    "不及": "upper_bound",
    "未满": "upper_bound",
    "不满": "upper_bound",
    "低于": "upper_bound",
    "少于": "upper_bound",
    "小于": "upper_bound",
    "不高于": "upper_bound",
    "不多于": "upper_bound",
    "不大于": "upper_bound",
    "至多": "upper_bound",
    "至多为": "upper_bound",
    "最多为": "upper_bound",
    "最高为": "upper_bound",
    "最多": "upper_bound",
    "最高": "upper_bound",
    "最长": "upper_bound",
    "最短": "lower_bound",
}
#: bound words that also reach a number they do not touch, through a per-unit base (不高于每股9.8元,
#: 约每平方米7.02万元), a verb (最高可达12亿欧元, 大约在11倍) or, for a share, the whole it is a share
#: of (不低于营收的8%, 约为去年同月的三倍). Comparisons (高于, 超过, 接近) are left out: in 低于去年
#: 同期的3.5% the number is the other side of the comparison, not a bound.
LINKED_BOUNDS = (
    "约",
    "大约",
    "约为",
    "大致",
    "不低于",
    "不少于",
    "不高于",
    "不超过",
    "不到",
    "不足",
    "至少",
    "最少",
    "最低",
    "至多",
    "最多",
    "最高",
)
#: bound words whose last character ends many words before a number (增长3%, 加上3家): a number after
#: that character is looked at closely only in a text that holds one of them (_RARE_CONTEXT)
COMMON_ENDINGS = ("最长", "最短", "站上", "站稳")
#: verbs between a linked bound word and the number
BOUND_LINK_VERBS = ("可达", "可为", "或有", "可", "将", "在")  # not 达: 单日最高达 is the peak itself
#: per-unit bases between a linked bound word and the price (每股, 每平方米), and after a price before
#: a bound word (8万元/吨以上)
PER_UNIT_WORDS = (
    "股",
    "吨",
    "平方米",
    "平米",
    "斤",
    "公斤",
    "千克",
    "克",
    "桶",
    "盎司",
    "份",
    "人",
    "户",
    "辆",
    "台",
    "件",
    "手",
    "瓶",
    "箱",
)
#: kinds a bound word reaches through "the whole it is a share of" (…的8%)
SHARE_KINDS = frozenset({"percent", "ratio"})
#: words after a number that make it name a threshold or a line (升破7.20关口, 跌破30日均线): the
#: bound words before it say where the price went, and the number itself is exact
THRESHOLD_AFTER = ("关口", "大关", "门槛", "均线")
#: words before a date without a year -> the year it is in, from the publication year (去年四季度)
RELATIVE_YEARS: dict[str, int] = {"去年": -1, "上年": -1, "上一年": -1, "前年": -2, "今年": 0, "本年": 0, "明年": 1}
#: 近 before a time span followed by these is "the last" (创近三个月新高, 近1个月年化收益率), not "nearly"
RECENT_WORDS = frozenset({"近"})
RECENT_AFTER = ("新高", "新低", "以来", "来", "年化", "收益", "涨幅", "跌幅", "回报")
#: words right after a quantity (not part of the span) -> approx. 出头 ("a little over") is a
#: lower bound like 多 and 余 (decided in issue 16).
APPROX_SUFFIXES: dict[str, str] = {
    "左右": "approx",
    "上方": "lower_bound",  # 收于5,900点上方
    "下方": "upper_bound",
    "上下": "approx",
    "前后": "approx",
    "附近": "approx",
    "出头": "lower_bound",
    "开外": "lower_bound",
    "有余": "lower_bound",
    "以上": "lower_bound",
    "之上": "lower_bound",
    "及以上": "lower_bound",
    "或以上": "lower_bound",
    "起": "lower_bound",
    "级": "lower_bound",
    "以内": "upper_bound",
    "之内": "upper_bound",
    "内": "upper_bound",
    "以下": "upper_bound",
    "及以下": "upper_bound",
    "或以下": "upper_bound",
}
#: suffixes that apply only to some kinds (3年多, 1.5倍多, 5元多)
KIND_SUFFIXES: dict[str, tuple[str, frozenset[str]]] = {
    "多": ("lower_bound", frozenset({"duration", "ratio", "money", "percent"})),  # 一成多
    "余": ("lower_bound", frozenset({"duration", "ratio", "money", "percent"})),
}
#: words right after a date or year (12月初, 2024年底) -> approx
DATE_APPROX_SUFFIXES: dict[str, str] = {
    "初": "approx",
    "底": "approx",
    "末": "approx",
    "前后": "approx",
    "左右": "approx",
    "前": "upper_bound",
    "底前": "upper_bound",  # 2026年底前: by the end of 2026 at the latest
    "末前": "upper_bound",
}
#: markers inside the span: 20多年, 10余家 (more than), 十几家 (10 to 20), 十来年 (about)
IN_SPAN_APPROX: dict[str, str] = {"多": "lower_bound", "余": "lower_bound", "几": "lower_bound", "来": "approx"}
#: rank prefixes -> approx (前50名: the rank is at most 50)
RANK_PREFIXES: dict[str, str] = {"第": "exact", "前": "upper_bound"}
#: counters after 第N (第7位, 第三家); 前N takes only RANK_TOP_COUNTERS
RANK_COUNTERS = ("位", "名", "家", "大", "个", "强", "轮", "届", "期", "批", "季", "号", "次", "天", "周", "代")
#: characters after an ordinal word without counter that still make it a rank (第二高, 第三低)
RANK_COMPARATIVES = "高低多少"
RANK_TOP_COUNTERS = ("名", "位", "强", "家", "大")  # 销量前十家, 前五大品牌: the top ten, five

#: words with no numeral that stand for a quantity -> (value, unit, kind, approx); value None: vague
IMPLIED: dict[str, tuple[Decimal | int | None, str, str, str]] = {
    "倍增": (2, "times", "ratio", "exact"),
    "翻番": (2, "times", "ratio", "exact"),
    "翻一番": (2, "times", "ratio", "exact"),
    "翻了一番": (2, "times", "ratio", "exact"),
    "翻倍": (2, "times", "ratio", "exact"),
    "翻两番": (4, "times", "ratio", "exact"),
    "翻了两番": (4, "times", "ratio", "exact"),
    "数倍": (None, "times", "ratio", "approx"),
    "一半": (Decimal("0.5"), "times", "ratio", "exact"),
    "减半": (Decimal("0.5"), "times", "ratio", "exact"),
    "首位": (1, "rank", "rank", "exact"),  # 位居首位: first place (首次 is no quantity: GUIDELINES 3.1.3)
    "半年": (Decimal("0.5"), "year", "duration", "exact"),  # not 半年报, 半年度 (a report, a period)
    "半个月": (Decimal("0.5"), "month", "duration", "exact"),
}
#: per-X prefixes of a fraction (百分之三十五 is 35 percent, 千分之五 0.5 percent)
PER_PREFIXES: dict[str, Decimal] = {"百": Decimal(1), "千": Decimal("0.1"), "万": Decimal("0.01")}

#: century words before 90年代 (part of the span: 上世纪90年代) -> first year of the century
CENTURIES: dict[str, int] = {
    "上世纪": 1900,
    "上个世纪": 1900,
    "20世纪": 1900,
    "二十世纪": 1900,
    "本世纪": 2000,
    "21世纪": 2000,
    "二十一世纪": 2000,
}
DEFAULT_CENTURY = 1900
#: a numeral with more characters than this is a run of digits, not a quantity
MAX_DIGITS = 40
#: the year a two-digit year is placed near when no year is given
DEFAULT_REFERENCE_YEAR = 2025
#: 上旬, 中旬, 下旬 -> (first day, last day; None: the month's last)
TEN_DAYS: dict[str, tuple[int, int | None]] = {"上": (1, 10), "中": (11, 20), "下": (21, None)}

#: separators of a range (10亿港元至100亿港元): the first end is a lower bound, the second an upper one
RANGE_SEPARATORS = ("至", "到", "~", "～", "〜", "-", "－", "—", "——", "–", "--", "−")
#: kinds that take range bounds (dates and years in a range stay exact)
BOUNDED_KINDS = frozenset({"money", "percent", "count", "ratio", "duration", "other"})
#: signs before a number (同比-5.2%, 负百分之三); not right after a quantity (1万-5万元 is a range)
SIGNS = "-－−负"

#: Chinese-numeral spans that are words, not quantities (一个 = "a", 一股 = "a wave of", 一大批;
#: 第一次 = 首次, "for the first time", GUIDELINES 3.1.3)
CHINESE_STOP_SPANS = frozenset(
    {"一股", "一大", "第一次", "二套"}
    | {"一" + counter for counter in "个只名位人台辆件款套笔户座条张份场批架艘宗例所家轮票片头起班瓶剂颗部组"}
)
#: ...and words that start like a quantity (一次性 = disposable, 一成不变 = unchanging)
CHINESE_STOP_PREFIXES = ("一次性", "一成不变", "一年一度", "一天天", "一年年", "三天两头", "三年五载", "一年四季", "一席之地")
#: words after a bare number that make it no quantity (20世纪 is read with 90年代; 92号汽油 and 3号线
#: are labels; 24时 and 3点钟 are clock times; 螺纹钢2505合约 is a contract; 1类新药, 2型 are classes;
#: 3纳米制程, 12英寸晶圆, 8卡GPU, 13价疫苗 are specifications)
NOT_QUANTITY_BEFORE = ("世纪", "号", "时", "点钟", "合约", "类", "型", "纳米", "英寸", "卡", "价")
#: characters that make a following 一 part of a word (唯一, 统一, 逐一, 同一, 单一, 专一, 划一, 归一):
#: no Chinese numeral starts right after them (唯一一只 holds no quantity)
NUMERAL_WORD_STARTS = "唯统逐同单专划归"
#: words after which 一 is "a", not one: 另一 (another), 最后一 (the last); 另两宗 is two. (A lone 零
#: starts no numeral either: 零件, 零部件, 零售 are words.)
ONE_IS_A_AFTER = ("另", "最后")
#: characters right before a bare number that make it a name: 双11, 双12 (shopping festivals)
NAME_BEFORE = frozenset("双")
#: words before N点 that make it a clock time (晚8点, 下午3点), not index points
CLOCK_BEFORE = ("早上", "晚上", "上午", "下午", "中午", "凌晨", "傍晚", "晚间", "早", "晚")
#: names of stock indexes that a bare number completes (沪深300, 标普500, 北证50)
#: brackets around a bare number of 4 digits or more that make it a code or label: (603917), 〔2024〕
BRACKET_PAIRS = frozenset({"()", "（）", "〔〕", "[]", "【】"})
INDEX_NAMES = (
    "沪深",
    "中证",
    "上证",
    "深证",
    "科创",
    "北证",
    "创业板",
    "标普",
    "纳斯达克",
    "纳指",
    "日经",
    "富时",
    "道琼斯",
    "罗素",
)
#: characters right before a number that make it no quantity: 每10股 is a per-unit base
PER_UNIT_BEFORE = frozenset("每")

_CLAUSE_END = "，,。;；:：、!！?？\n()（）"

_OPENING_QUOTES = "“‘\"'「『"
_CLOSING_QUOTES = "”’\"'」』"
_LOOKAHEAD = 20  # characters searched for the noun after a counter
_LOOKBEHIND = 40  # characters of the clause before a number searched for hints

# ----------------------------------------------------------------------------------------------
# The scanner: one regular expression, one alternative per form (the order matters: dates first)


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_AD = "0-9０-９"  # Arabic digits
_CD = "".join(c for c in DIGITS if not c.isdigit()) + "".join(SHORTHANDS)  # Chinese digits
_CU = "".join(UNIT_CHARS)  # Chinese numeral units
_D = f"[{_AD}]"
_AR = rf"{_D}+(?:[,，]{_D}{{3}}(?!{_D}))*(?:[.．]{_D}+)?"  # 2634.41, 1,107, 82，225.00
_CN = rf"[{_CD}{_CU}]+(?:点[{_CD}]+)?"  # 二十五万三千二百, 三点五
_NUM = rf"(?:{_AR}|{_CN})"
_Y = rf"[12１２一二][{_AD}〇零○一二三四五六七八九]{{3}}"  # a four-digit year
_YY = rf"(?:{_Y}|[{_AD}〇零○一二三四五六七八九]{{2}})"  # ...or two digits (98年4月, 零七年八月) before a month
_MON = rf"(?:{_D}{{1,2}}|十[一二]?|[一二三四五六七八九])"
_DAY = rf"(?:{_D}{{1,2}}|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_QD = "[一二三四1-4１-４]"  # quarter digit
_SP = r"[ \u00a0]?"  # one optional space (新台币 177.1 亿元)
_SCALE = rf"(?:[{_CU}](?![瓦克米])|[{''.join(LETTER_SCALES)}](?![A-Za-z]))"  # 36.5亿千瓦: 千瓦 is the unit
_MONEY_TAIL = rf"(?:零?[{_CD}{_AD}][角毛](?:零?[{_CD}{_AD}]分)?|零?[{_CD}{_AD}]分)?(?:钱|整)?(?:人民币)?"
_UNIT = (
    rf"(?:(?:元|圆|块){_MONEY_TAIL}"
    rf"|日(?={_alternation(DAY_DURATION_BEFORE)})|成(?:[一二三四五六七八九](?![{_CU}成年月日])|(?![{CHENG_NOT_BEFORE}]))"
    rf"|{_alternation(w for w in UNIT_WORDS if w[0] != '成' and w not in ('元', '圆', '块', '日', '角', '毛', '点', '度', '仙', '米', '方', '强'))})"
)
#: unit words read after Arabic digits only (UNIT_WORDS): 1角6分, 5毛钱, 3,358.73点 (not 3点5, 3点钟), 53度
_ARABIC_ONLY_UNITS = rf"(?:[角毛](?:零?[{_AD}]分)?钱?|点(?![{_AD}钟半])|[度仙米方强])"
_SEP = _alternation(RANGE_SEPARATORS)
_RANGE_AHEAD = rf"(?=\s?(?:[(（]含[)）])?\s?(?:{_SEP})\s?[{_AD}{_CD}{_CU}])"
_MORE = f"[{''.join(IN_SPAN_APPROX)}]"

_IMPLIED_FIRST = "".join(sorted({word[0] for word in IMPLIED}))
_YEAR_START = rf"(?=[{_AD}〇零○一二三四五六七八九]{{2,4}}[年财\-/.QqHh])"
_MONTH_DAY_START = rf"(?=[{_AD}一二三四五六七八九十]{{1,3}}[月日])"

#: (name, pattern, guard) of each form, in the order they are tried at a position. The guard is a
#: look-ahead that every match of the form satisfies (so it changes nothing but speed): a
#: position that fails it skips the form without trying it.
_FORMS: list[tuple[str, str, str]] = [
    ("ymd", rf"{_YY}年{_MON}月{_DAY}[日号](?![元圆])", _YEAR_START),
    ("yn", rf"{_YY}年[前首]{_NUM}个?(?:月|季度)", _YEAR_START),
    ("yq", rf"{_YY}年第?{_QD}季度", _YEAR_START),
    ("yqq", rf"{_Y}年?[Qq][1-4](?![0-9A-Za-z])", _YEAR_START),
    ("yhalf", rf"(?:{_YY}年[上下]半年|{_Y}年?[Hh][12](?![0-9A-Za-z]))", _YEAR_START),
    ("ymxun", rf"{_YY}年{_MON}月[上中下]旬", _YEAR_START),
    ("ym", rf"{_YY}年{_MON}月份?", _YEAR_START),
    ("year", rf"{_Y}(?:年度|财年|年(?!代))", _YEAR_START),
    ("isodate", rf"[12]{_D}{{3}}[-/.]{_D}{{1,2}}[-/.]{_D}{{1,2}}(?!{_D})", _YEAR_START),
    ("mxun", rf"{_MON}月[上中下]旬", _MONTH_DAY_START),
    ("md", rf"{_MON}月{_DAY}[日号](?![元圆])", _MONTH_DAY_START),
    ("m", rf"{_MON}月份?", _MONTH_DAY_START),
    ("decade", rf"(?:{_D}{{2}}|{_D}{{4}}|[一二三四五六七八九]十)年代", rf"(?=[{_AD}一二三四五六七八九十]{{2,4}}年代)"),
    ("d", rf"(?<![前后次同当每]){_DAY}日(?!元|圆|{_alternation(DAY_DURATION_BEFORE)})", _MONTH_DAY_START),  # not 前一日
    ("q", rf"第?{_QD}季度", rf"(?=第?{_QD}季)"),
    ("qq", r"[Qq][1-4](?![0-9A-Za-z])", ""),
    ("qtop", r"前[一二三]季度", ""),
    ("nmonths", rf"[前首]{_NUM}个?(?:月|季度)", ""),
    ("half", r"(?:[上下]半年|[Hh][12](?![0-9A-Za-z]))", "(?=[上下]半|[Hh][12])"),  # H1: the first half
    ("per", rf"[百千万]分之(?:{_NUM}|点[{_CD}]+)", ""),
    ("frac", rf"(?<![{_AD}{_CD}{_CU}]){_NUM}分之{_NUM}", rf"(?=[{_AD}{_CD}{_CU}.．点,，]{{1,24}}分之)"),
    ("rank", rf"第{_NUM}(?:{_alternation(RANK_COUNTERS)})?", ""),
    # 前50名, 排名前10的, TOP100; 百强, 五十强 (the top N) without 前 (500强: 强 is a unit word)
    (
        "top",
        rf"(?:(?<=前){_NUM}(?:{_alternation(RANK_TOP_COUNTERS)})|(?<=前){_D}++(?=的)|(?<=TOP|Top|top){_D}++)",
        "(?:(?<=前)|(?<=TOP|Top|top))",
    ),
    ("strong", rf"(?<![{_CD}{_CU}])[一二三四五六七八九]?[十百千]强", "(?=[一二三四五六七八九]?[十百千]强)"),
    ("implied", rf"(?<!成)(?:{_alternation(IMPLIED)})(?![长报度])", f"(?=[{_IMPLIED_FIRST}])"),
    ("num", rf"{_AR}(?:{_MORE}?{_SP}{_SCALE}+)?[多余]?(?:{_SP}(?:{_UNIT}|{_ARABIC_ONLY_UNITS}))?", rf"(?=[{_AD}])"),
    (
        "cnum",
        rf"(?<![{_CD}{_CU}{NUMERAL_WORD_STARTS}])(?!(?:{'|'.join(f'(?<={w})' for w in ONE_IS_A_AFTER)})一)(?![零〇○](?![{_CD}{_CU}点]))(?:[数几][{_CU}]++|(?<!千)上[百千万亿]|[{_CD}{_CU}]++(?:点[{_CD}]++)?)(?:个(?=[亿億]))?"
        rf"{_MORE}?[{_CU}]*+[多余]?(?:{_UNIT}|(?<=[万亿萬億])|{_RANGE_AHEAD})",
        rf"(?=[{_CD}{_CU}数几上])",
    ),
]
_FORM_NAMES = [name for name, _, _ in _FORMS]
_FORM_INDEX = {name: i + 1 for i, name in enumerate(_FORM_NAMES)}  # Match.lastindex of each form
#: characters a quantity can start with
_START = f"{_AD}{_CD}{_CU}第前数几上下QqHh{_IMPLIED_FIRST}"


def _scanner() -> re.Pattern:
    """One pattern for all forms. Each form ends in an empty group, so Match.lastindex names the
    form (a capturing group around a form would hide its first character from the engine's quick
    checks; a non-capturing one costs nothing, and keeps the empty group after every alternative of
    a form that has several); consecutive forms with the same guard share one look-ahead."""
    groups: list[tuple[str, list[str]]] = []
    for _, pattern, guard in _FORMS:
        if groups and groups[-1][0] == guard and guard:
            groups[-1][1].append(pattern)
        else:
            groups.append((guard, [pattern]))
    alternatives = [guard + "(?:" + "|".join(f"{p}()" for p in patterns) + ")" for guard, patterns in groups]
    return re.compile(f"(?=[{_START}])(?:" + "|".join(alternatives) + ")")


_SCANNER = _scanner()
_ANY_START = re.compile(f"[{_START}]")

_FULLWIDTH = str.maketrans("０１２３４５６７８９％．，", "0123456789%.,")
_TO_ASCII = str.maketrans({**DIGITS, **UNIT_CHARS, **SHORTHANDS, "点": ".", "．": ".", "，": "", ",": ""})
_NUMERAL_TOKEN = re.compile(r"\d*\.\d+|\d+\.?|[十百千万亿]")
_TITLE = re.compile(r"《[^《》]*》")
_RANGE_GAP = re.compile(rf"\s?(?:[(（]含[)）])?\s?(?:{_SEP})\s?")
#: a bound word before the number, maybe with a currency between (约为港币680亿元)
_PREFIX_APPROX = re.compile(
    rf"(?P<word>{_alternation(APPROX_PREFIXES)})[ \u00a0]?(?:(?:{_alternation(CURRENCIES_BEFORE)})[ \u00a0]?)?$"
)
_PREFIX_WINDOW = max(map(len, APPROX_PREFIXES)) + max(map(len, CURRENCIES_BEFORE)) + 2


def _unshadowed(word: str) -> str:
    """A pattern for a bound word that is not the end of a word mapped to exact (约 but not 签约); the
    word comes first, so that the engine passes other positions on one comparison."""
    shadows = [w for w, approx in APPROX_PREFIXES.items() if approx == "exact" and w.endswith(word) and w != word]
    return re.escape(word) + "".join(f"(?<!{re.escape(shadow)})" for shadow in shadows)


_LINKED_WORD = "(?P<word>" + "|".join(_unshadowed(w) for w in sorted(LINKED_BOUNDS, key=len, reverse=True)) + ")"
_THEN_CURRENCY = rf"[ \u00a0]?(?:(?:{_alternation(CURRENCIES_BEFORE)})[ \u00a0]?)?$"
#: a linked bound word (LINKED_BOUNDS) and a per-unit base or a verb, before the number
_LINKED_APPROX = re.compile(
    rf"{_LINKED_WORD}(?:每(?:{_alternation(PER_UNIT_WORDS)})|{_alternation(BOUND_LINK_VERBS)}){_THEN_CURRENCY}"
)
_LINKED_WINDOW = max(map(len, LINKED_BOUNDS)) + 1 + max(map(len, (*PER_UNIT_WORDS, *BOUND_LINK_VERBS))) + _PREFIX_WINDOW
#: ...and the whole a share is of: it starts with no numeral (约100家公司的20%: 约 is the bound of
#: 100家) and holds no percent sign
_SHARE_APPROX = re.compile(
    rf"{_LINKED_WORD}(?![{_AD}{_CD}{_CU}])[^{re.escape(_CLAUSE_END)}{_OPENING_QUOTES}{_CLOSING_QUOTES}%％]{{1,30}}?的$"
)
_SHARE_WINDOW = max(map(len, LINKED_BOUNDS)) + 31
#: 分别不低于15%、32%、52%: a bound word after 分别 reaches every number of the list
_LIST_APPROX = re.compile(
    rf"分别(?P<word>{_alternation(APPROX_PREFIXES)})[^{re.escape(_CLAUSE_END.replace('、', ''))}]{{1,24}}、$"
)
_RELATIVE_YEAR = re.compile(f"(?:{_alternation(RELATIVE_YEARS)})$")
#: last characters of a bare number (a digit or a scale), not of a measure word (3吨 is no bare number)
_BARE_LAST = frozenset("0123456789０１２３４５６７８９" + _CU + "".join(LETTER_SCALES))
#: last characters of what a bound word before a number may end with: the word, a currency, a space
_PREFIX_LAST = frozenset(w[-1] for w in (*APPROX_PREFIXES, *CURRENCIES_BEFORE) if w not in COMMON_ENDINGS) | {" ", "\u00a0"}
#: ...and, in a text with a word of _RARE_CONTEXT, a link, 的 of a share, 、 of a list, or the end
#: of a bound word that ends like common words (最长 like 增长)
_PREFIX_LAST_LINKED = _PREFIX_LAST | {w[-1] for w in (*BOUND_LINK_VERBS, *PER_UNIT_WORDS, *COMMON_ENDINGS)} | {"的", "、"}
#: words that the rarer context rules start from (linked bounds, 分别, 去年, 晚8点): a text without any
#: is read with the smaller sets of characters (_find looks for them once, when a candidate follows a
#: character only those rules look at)
_RARE_CONTEXT = re.compile(_alternation({*LINKED_BOUNDS, "分别", *RELATIVE_YEARS, *CLOCK_BEFORE, *COMMON_ENDINGS}))
#: a bound word after the number, maybe after a per-unit tail (8万元/吨以上) or, for a tenor, 期 (5年期以上)
_SUFFIX_APPROX = re.compile(
    rf"(?P<link>/(?:{_alternation(PER_UNIT_WORDS)})|期)?[{_CLOSING_QUOTES}]?(?:[(（]含[)）])?(?P<word>{_alternation(APPROX_SUFFIXES)})"
)
_DATE_SUFFIX = re.compile(rf"[{_CLOSING_QUOTES}]?(?:{_alternation(DATE_APPROX_SUFFIXES)})")
_SUFFIX_FIRST = frozenset(_CLOSING_QUOTES + "(（/期") | {w[0] for w in (*APPROX_SUFFIXES, *DATE_APPROX_SUFFIXES, *KIND_SUFFIXES)}
_GAP_FIRST = frozenset(" \u00a0(（") | {w[0] for w in RANGE_SEPARATORS}
_CURRENCY_BEFORE = re.compile(rf"(?:{_alternation(CURRENCIES_BEFORE)})[ \u00a0]?$")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_ALNUM = _ASCII_LETTERS | frozenset("0123456789")
_GAP_LAST = frozenset(" \u00a0)）") | {w[-1] for w in RANGE_SEPARATORS}
#: characters around a candidate that send it to the second pass: names (V3, GPT-4o), signs, 每,
#: a currency before it, ranges; approximation words alone do not
_BEFORE_CHARS = (
    frozenset("-_" + SIGNS + "".join(PER_UNIT_BEFORE) + "".join(w[-1] for w in CURRENCIES_BEFORE)) | _ASCII_LETTERS | _GAP_LAST
)
_BEFORE_CHARS_RARE = _BEFORE_CHARS | {w[-1] for w in (*CLOCK_BEFORE, *RELATIVE_YEARS)}
_AFTER_CHARS = _GAP_FIRST
#: ...and those any rule looks at, approximation words included: a simple reading with none of these
#: around it is final as it is
_ANY_RULE_BEFORE = _BEFORE_CHARS | _PREFIX_LAST
_ANY_RULE_BEFORE_RARE = _BEFORE_CHARS_RARE | _PREFIX_LAST_LINKED
#: characters where the rarer sets differ from the common ones, in any of the three
_RARE_TRIGGER = (_BEFORE_CHARS_RARE - _BEFORE_CHARS) | (_PREFIX_LAST_LINKED - _PREFIX_LAST)
_ANY_RULE_AFTER = _AFTER_CHARS | _SUFFIX_FIRST
_BARE_BEFORE = (
    _BEFORE_CHARS
    | frozenset(_OPENING_QUOTES)
    | _ASCII_ALNUM
    | frozenset(":：时")
    | {pair[0] for pair in BRACKET_PAIRS}
    | {w[-1] for w in INDEX_NAMES}
    | NAME_BEFORE
)
_BARE_AFTER = (
    _AFTER_CHARS
    | frozenset(_CLOSING_QUOTES)
    | _ASCII_ALNUM
    | frozenset("级-_.:：分")
    | {pair[1] for pair in BRACKET_PAIRS}
    | {w[0] for w in NOT_QUANTITY_BEFORE}
)
_HINTS = re.compile(_alternation(BARE_NUMBER_HINTS), re.IGNORECASE)
_COUNTER_NOUNS = re.compile(_alternation(COUNTER_NOUNS), re.IGNORECASE)
_NOUN_UNITS = {noun.lower(): unit for noun, unit in (*COUNTER_NOUNS.items(), *BARE_NUMBER_HINTS.items())}
_CLAUSE_MARK = re.compile(f"[{re.escape(_CLAUSE_END)}]")
_CLAUSE_TAIL = re.compile(f"(?<=[{re.escape(_CLAUSE_END)}])[^{re.escape(_CLAUSE_END)}]*$")
_CENTURY_BEFORE = re.compile(
    rf"(?:{_alternation(CENTURIES)}|(?P<n>{_D}{{1,2}}|二?十[一二三四五六七八九]?|[一二三四五六七八九])世纪)$"
)


# ----------------------------------------------------------------------------------------------
# Public API


@dataclass(frozen=True)
class Quantity:
    """A normalised quantity (annotations/GUIDELINES.md, section 3)."""

    value: float | int | None  # plain number (亿 = 1e8); None for calendar dates and unreadable text
    unit: str  # CNY, HKD, USD, EUR, percent, company, share, ... (defs.schema.json#/$defs/unit)
    kind: str  # money | percent | count | ratio | rank | date | year | duration | other
    approx: str  # exact | approx | lower_bound | upper_bound
    iso: str | None  # ISO 8601 for dates, years and durations, else None
    high: float | int | None = None  # upper end when one expression is a range (1万-5万元, 八九亿, 数十亿)
    reason: str | None = None  # why the value is empty or doubtful (for the reviewer of a draft)


def normalise(
    expression: str, context: str = "", year: int | None = None, *, after: str = "", month: int | None = None
) -> Quantity:
    """Read one numeric expression (an annotated quantity span) as a :class:`Quantity`.

    ``context`` is the text right before the span and ``after`` the text right after it: bound
    words there (约, 超, 不少于; 左右, 以上, 出头) set ``approx``, as do such words inside
    ``expression`` (20多年, 约1亿美元). A range (1万-5万元, 从8500到3万港元) is one Quantity: ``value``
    its lower end, ``high`` its upper one. ``year`` (and ``month``) complete dates that give none.
    Never raises: text that is no numeric expression gives ``value`` None and a ``reason``.
    """
    core = expression.strip().strip(_OPENING_QUOTES + _CLOSING_QUOTES)
    text = context + expression + after
    lo, hi = len(context), len(context) + len(expression)
    found = [item for item in _find(text, year, month, keep_bare=True) if item[0] < hi and item[1] > lo]
    if _PURE_NUMERAL.fullmatch(core) and not (len(found) == 1 and found[0][1] - found[0][0] >= len(core)):
        # 一百一十一, 三万二: a numeral the scanner cuts (it wants a unit after a Chinese numeral)
        quantity = _bare_numeral(core.lstrip(SIGNS))
        if quantity.value is not None:
            return _negated(quantity) if core[0] in SIGNS else quantity
    if not found:
        return _bare_numeral(core)
    if len(found) == 2 and _RANGE_GAP.fullmatch(text, found[0][1], found[1][0]):
        (_, _, low), (_, _, high) = found
        if low.kind in _DATE_KINDS and high.kind == low.kind:  # 2017年8月至11月: one ISO interval
            iso = f"{low.iso}/{high.iso}" if low.iso and high.iso else None
            return Quantity(low.value, high.unit, low.kind, "exact", iso, high.value, low.reason or high.reason)
        approx = "lower_bound" if low.approx in ("exact", "lower_bound") else low.approx
        return Quantity(low.value, high.unit, high.kind, approx, low.iso, high.value, low.reason or high.reason)
    start, end, quantity = found[0]
    if len(found) > 1:
        spans = ", ".join(_shown(text[s:e]) for s, e, _ in found[:3]) + (", …" if len(found) > 3 else "")
        return _with_reason(quantity, f"several quantities in {_shown(expression.strip())}: {spans}")
    return quantity


def find_quantities(text: str, year: int | None = None, *, month: int | None = None) -> list[tuple[int, int, Quantity]]:
    """Find numeric expressions in running text: ``(start, end, Quantity)``, code-point offsets.

    Spans exclude approximation words (超2634亿港元 -> 2634亿港元, lower_bound). Numbers that are
    names (GPT-4o, DeepSeek-V3, Claude-3.5-Sonnet, GPT4, "33618"), per-unit bases (每10股) and
    anything inside 《》 are skipped. A range A至B makes A a lower and B an upper bound; a bare A
    takes B's unit and, where that keeps A <= B, B's scale (10至100亿港元, 两到三万港元, 8500到3万港元).
    """
    if _ANY_START.search(text) is None:
        return []  # no digit or numeral character: nothing to read (one scan in C)
    return _find(text, year, month, keep_bare=False)


_PURE_NUMERAL = re.compile(rf"[{SIGNS}]?(?:{_AR}|点[{_CD}]+|[{_CD}{_CU}]+(?:点[{_CD}]+)?)")


def _negated(q: Quantity) -> Quantity:
    return Quantity(-q.value, q.unit, q.kind, q.approx, q.iso, None if q.high is None else -q.high, q.reason)


def _shown(text: str) -> str:
    """An expression as a reason quotes it: at most 30 characters."""
    return repr(text if len(text) <= 30 else text[:30] + "…")


def _bare_numeral(text: str) -> Quantity:
    """A numeral with nothing around it (一百一十一, 三百): the scanner wants a unit after a Chinese
    numeral, normalise does not. Anything else is unreadable: value None and the reason."""
    reading = _read("num" if text[:1].isdigit() else "cnum", text, None, None) if _NUM_PARTS.fullmatch(text) else None
    if reading is not None and reading.value is not None:
        return reading.quantity(reading.approx or "exact")
    why = (
        f"cannot read {_shown(text)} as a numeric expression"
        if any(c in _START or c.isdigit() for c in text)
        else f"no number in {_shown(text)}"
    )
    return Quantity(None, BARE_UNIT[0], BARE_UNIT[1], "exact", None, reason=why)


# ----------------------------------------------------------------------------------------------
# Readings: what a candidate's text says on its own (memoised per text)


class _Reading:
    """The reading of one candidate text, before its context is looked at."""

    def __init__(
        self,
        value,
        unit,
        kind,
        *,
        high=None,
        iso=None,
        approx=None,
        tail="",
        word="",
        bare=False,
        chinese=False,
        counter=False,
        reason=None,
        needs_end=False,
        scale_only=False,
        form="",
    ):
        self.value: Decimal | None = value
        self.high: Decimal | None = high
        self.unit: str = unit
        self.kind: str = kind
        self.iso: str | None = iso
        self.approx: str | None = approx  # from inside the span (多, 余, 前N名)
        self.tail = tail  # scale characters the numeral ends with (carried in ranges: 10至100亿)
        self.word = word  # unit word (carried in ranges)
        self.bare = bare  # no unit word
        self.chinese = chinese
        self.counter = counter  # unit from the noun counted (个, 大, 项)
        self.reason = reason
        self.needs_end = needs_end  # 第一 is a rank only before punctuation (not 第一发明者)
        self.scale_only = scale_only  # 百万, 万亿: a scale with no digit
        self.form = form
        self.simple = False  # no context rule but the approximation words can change it (set by _read)
        self.plain_bare = False  # an Arabic number alone: only the characters next to it matter
        self.stop = False  # a stop word (一个, 一批): no quantity in running text
        self.stop_after: tuple[str, ...] = ()  # ...or the start of one (一次 of 一次性)
        self.halts = False  # stop or stop_after
        self.needs_prefix = False  # 百家 is a quantity only after a bound word (近百家, 逾千家)
        self.exact = Quantity(_plain(value), unit, kind, approx or "exact", iso, _plain(high), reason)
        self._made: dict[str, Quantity] | None = None  # the Quantity per other approx, made when asked
        self._variants: dict[tuple, _Reading] | None = None

    def variant(self, **changes) -> _Reading:
        """replace(), remembered: the same context change of the same reading is made once."""
        key = tuple(sorted(changes.items()))
        if self._variants is None:
            self._variants = {}
        made = self._variants.get(key)
        if made is None:
            made = self._variants[key] = self.replace(**changes)
            made.stop, made.stop_after, made.halts, made.needs_prefix = self.stop, self.stop_after, self.halts, self.needs_prefix
        return made

    def replace(self, **changes) -> _Reading:
        fields = {name: getattr(self, name) for name in _READING_FIELDS}
        fields.update(changes)
        return _Reading(**fields)

    def with_value(self, value, iso: str | None) -> _Reading:
        """This reading with another value (and ISO duration), everything else shared: 7391.58亿港元
        read as a copy of 1亿港元."""
        made = object.__new__(_Reading)
        made.__dict__ = self.__dict__.copy()  # one copy of every field (no __slots__, for this)
        made.value, made.iso, made._made, made._variants = value, iso, None, None
        made.exact = Quantity(_plain(value), self.unit, self.kind, self.exact.approx, iso, None, self.reason)
        return made

    def quantity(self, approx: str) -> Quantity:
        if approx == self.exact.approx:
            return self.exact
        if self._made is None:
            self._made = {}
        made = self._made.get(approx)
        if made is None:
            made = self._made[approx] = Quantity(
                _plain(self.value), self.unit, self.kind, approx, self.iso, _plain(self.high), self.reason
            )
        return made


#: what _Reading() takes and replace() carries over: the parameters of its __init__, listed there once
#: (a dataclass would list them once too, but measured 7% slower on new numbers; with slots, 19%)
_READING_FIELDS = tuple(inspect.signature(_Reading.__init__).parameters)[1:]
_MEMO_LIMIT = 100_000  # readings kept (measured: 0.7 KB each with their keys, ~70 MB); emptied when full
_memo_size = 0
_UNREAD = object()


def _read(form: str, text: str, year: int | None, month: int | None) -> _Reading | None:
    """The memoised reading of ``text`` as ``form``; None when it is no quantity. The memo is one
    dict per form (keyed by the text, and by year and month for dates that need them), so that the
    hot loop of _find looks a candidate up without building a key."""
    memo = _MEMOS[_FORM_INDEX[form]]
    key = (text, year, month) if form in _DATED_FORMS else text
    reading = memo.get(key, _UNREAD)
    if reading is not _UNREAD:
        return reading
    global _memo_size
    if _memo_size >= _MEMO_LIMIT:
        forget_readings()
    reading = _READERS[form](text, year, month, form)
    if reading is not None and not reading.form:  # (a copy of a template has its flags already)
        _derive_flags(reading, form, text)
    if reading is not None and reading.plain_bare and _looks_like_code(text):
        reading.plain_bare = False  # 0508, 508066: _is_name tells
    memo[key] = reading
    _memo_size += 1
    return reading


def forget_readings() -> None:
    """Empty the memo of readings (it also empties itself when it holds _MEMO_LIMIT of them)."""
    global _memo_size
    for memo in _MEMOS:
        memo.clear()
    _memo_size = 0


def _derive_flags(reading: _Reading, form: str, text: str) -> None:
    """What the hot loop of _find asks of a reading, worked out once."""
    reading.form = form
    reading.stop = reading.chinese and text in CHINESE_STOP_SPANS
    reading.stop_after = tuple(w[len(text) :] for w in CHINESE_STOP_PREFIXES if w.startswith(text)) if reading.chinese else ()
    reading.halts = bool(reading.stop or reading.stop_after)
    reading.simple = not (
        reading.bare or reading.counter or reading.needs_end or reading.needs_prefix or form == "decade" or reading.halts
    )
    reading.plain_bare = reading.bare and form == "num" and not reading.tail


def _plain(value: Decimal | int | None) -> int | float | None:
    if value is None or type(value) is int:
        return value
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _decimal_text(value: Decimal | int) -> str:
    return str(int(value)) if value == int(value) else format(value.normalize(), "f")


def _with_reason(quantity: Quantity, reason: str) -> Quantity:
    return Quantity(quantity.value, quantity.unit, quantity.kind, quantity.approx, quantity.iso, quantity.high, reason)


# ---------------------------------------------------------------- numerals


def _numeral(text: str) -> Decimal | None:
    """The value of an Arabic, Chinese, capital or mixed numeral: 2634.41亿, 六十四万零一百四十三,
    肆佰叁拾萬, 二〇二四 (digit by digit), 四千三 (= 4300), 3千万亿. None when it is no numeral."""
    if len(text) > MAX_DIGITS:
        return None
    ascii_text = text.translate(_TO_ASCII)
    try:
        if not any(c in UNIT_VALUES for c in ascii_text):
            return Decimal(ascii_text)
        return _with_units(ascii_text)
    except (InvalidOperation, ValueError):
        return None


def _with_units(text: str) -> Decimal:
    total = section = Decimal(0)
    number: Decimal | None = None
    token = ""
    last_unit = last_big = None
    for token in _NUMERAL_TOKEN.findall(text):
        unit = UNIT_VALUES.get(token)
        if unit is None:
            if number is not None:
                raise ValueError("two numbers in a row")
            number = Decimal(token)
            zero_led = token[0] == "0" and len(token) > 1
            continue
        if unit < 10**4:
            section += (1 if number is None else number) * unit
        else:
            section += number or 0
            if section == 0 and total == 0:
                section = Decimal(1)  # 万亿, 亿: a scale alone is one of it
            total = (total + section) * unit if last_big is not None and unit > last_big else total + section * unit
            section = Decimal(0)
            last_big = unit
        number, last_unit = None, unit
    if number is not None:
        # 四千三 = 4300, 三万二 = 32000: a last digit right after a unit counts in the next lower place
        if last_unit and not zero_led and "." not in token and number < 10 and last_unit >= 100:
            number *= last_unit // 10
        section += number
    return total + section


def _consecutive(text: str) -> tuple[Decimal, Decimal] | None:
    """两三, 八九亿, 四五千, 三五百: two adjacent Chinese digits are a range (8亿 to 9亿)."""
    ascii_text = text.translate(_TO_ASCII)
    if len(ascii_text) < 2 or not (ascii_text[0].isdigit() and ascii_text[1].isdigit()) or text[0].isdigit():
        return None
    first, second, rest = int(ascii_text[0]), int(ascii_text[1]), ascii_text[2:]
    if not 0 < second - first <= 2 or any(c.isdigit() or c == "." for c in rest):
        return None
    scale = _with_units("1" + rest) if rest else Decimal(1)
    return first * scale, second * scale


def _trailing_scale(numeral: str) -> str:
    """The scale characters a numeral ends with: 三万 -> 万, 九百亿 -> 百亿, 一百五十万 -> 十万."""
    i = len(numeral)
    while i and numeral[i - 1] in UNIT_CHARS:
        i -= 1
    return numeral[i:]


# ---------------------------------------------------------------- readers, one per form


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    value = _numeral(text)
    return int(value) if value is not None and value == value.to_integral_value() else None


def _date(year: int | None, month: int | None, day: int | None, unit: str) -> _Reading:
    """A calendar date (day None: a month); the ISO value needs the year."""
    if month is None or not 1 <= month <= 12:
        return _Reading(None, unit, "date", reason=f"no month {month}")
    if day is not None:
        last = calendar.monthrange(year or 2000, month)[1]  # 2000: a leap year, 2月29日 is possible
        if not 1 <= day <= last:
            return _Reading(None, unit, "date", reason=f"no day {day} in month {month}")
    if year is None:
        return _Reading(None, unit, "date")
    iso = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day is not None else "")
    return _Reading(None, unit, "date", iso=iso)


def _months(year: int | None, first: int, last: int) -> _Reading:
    """A run of whole months (2024-07/2024-09)."""
    iso = None if year is None else f"{year:04d}-{first:02d}/{year:04d}-{last:02d}"
    return _Reading(None, "month", "date", iso=iso)


_PARTS = re.compile(rf"(?P<y>{_YY})?年?(?P<rest>.*)")
_MD = re.compile(rf"(?P<m>{_MON})月(?:(?P<d>{_DAY})[日号])?")


def _read_ymd(text, year, month, form):
    y, rest = _split_year(text, year)
    md = _MD.match(rest)
    return _date(y, _int(md["m"]), _int(md["d"]), "day" if md["d"] else "month")


def _split_year(text: str, year: int | None = None) -> tuple[int | None, str]:
    """(year, rest) of a date that starts with a year; a two-digit year takes the century that
    puts it at most 20 years after ``year`` (98年 in a 1997 article is 1998, 03年 in 2021 is 2003)."""
    parts = _PARTS.fullmatch(text)
    y = _int(parts["y"])
    if y is not None and len(parts["y"]) == 2:
        y += 2000 if 2000 + y <= (year or DEFAULT_REFERENCE_YEAR) + 20 else 1900
    return y, parts["rest"]


def _read_md(text, year, month, form):
    md = _MD.match(text)
    return _date(year, _int(md["m"]), _int(md["d"]), "day" if md["d"] else "month")


def _read_d(text, year, month, form):
    day = _int(text[:-1])
    if year is None or month is None:
        return _Reading(None, "day", "date") if day and 1 <= day <= 31 else _Reading(None, "day", "date", reason=f"no day {day}")
    return _date(year, month, day, "day")


def _read_mxun(text, year, month, form):
    m = _int(text[: text.index("月")])
    reading = _date(year, m, None, "day")
    if reading.reason or year is None:
        return reading
    first, last = TEN_DAYS[text[-2]]
    last = last or calendar.monthrange(year, m)[1]
    return _Reading(None, "day", "date", iso=f"{year:04d}-{m:02d}-{first:02d}/{year:04d}-{m:02d}-{last:02d}")


def _read_ymxun(text, year, month, form):
    y, rest = _split_year(text, year)
    return _read_mxun(rest, y, month, form)


def _quarter(text: str) -> int:
    return int(next(c for c in text.translate(_TO_ASCII) if c in "1234"))


def _read_quarter(text, year, month, form):
    y, rest = _split_year(text, year) if form in ("yq", "yqq") else (None, text)
    q = _quarter(rest)
    return _months(y or year, 3 * q - 2, 3 * q)


def _read_qtop(text, year, month, form):
    return _months(year, 1, 3 * _quarter(text[1:]))


def _read_yhalf(text, year, month, form):
    y, rest = _split_year(text, year)
    y = year if y is None else y  # 上半年 alone: the article's year
    return _months(y, 1, 6) if rest[:1] == "上" or rest[1:2] == "1" else _months(y, 7, 12)  # 上半年, H1


def _read_yn(text, year, month, form):
    y, rest = _split_year(text, year)
    y = year if y is None else y  # 前7个月 alone: the article's year
    quarters = rest.endswith("季度")
    count = rest[1:].removesuffix("季度").removesuffix("月").removesuffix("个")
    n = _int(count)
    if n is not None and quarters:
        n *= 3
    if n is None or not 1 <= n <= 12:
        return _Reading(None, "month", "date", reason=f"no run of {count} {'quarters' if quarters else 'months'}")
    return _months(y, 1, n)


def _read_year(text, year, month, form):
    y = _int(text[:4])
    return _Reading(Decimal(y), "year", "year", iso=f"{y:04d}", word=text[4:])


def _read_isodate(text, year, month, form):
    y, m, d = (int(p) for p in re.split(r"[-/.]", text.translate(_FULLWIDTH)))
    return _date(y, m, d, "day")


def _read_decade(text, year, month, form):
    n = _int(text[:-2])
    if n is None or n % 10:
        return None
    if n >= 100:
        return _Reading(Decimal(n), "decade", "year", iso=str(n)[:3])
    return _Reading(Decimal(DEFAULT_CENTURY + n), "decade", "year", iso=str(DEFAULT_CENTURY + n)[:3], tail=str(n))


def _read_per(text, year, month, form):
    value = _numeral(text[3:])
    if value is None:
        return _Reading(None, "percent", "percent", reason=f"cannot read the numeral of {_shown(text)}")
    return _Reading(value * PER_PREFIXES[UNIT_CHARS[text[0]]], "percent", "percent")


def _read_frac(text, year, month, form):
    denominator, numerator = text.split("分之")
    d, n = _numeral(denominator), _numeral(numerator)
    if not d or n is None:
        return None
    return _Reading(n / d, "times", "ratio")


def _read_rank(text, year, month, form):
    body = text[1:] if form == "rank" else text
    counter = next((c for c in sorted(RANK_COUNTERS, key=len, reverse=True) if body.endswith(c)), "")
    numeral = body[: len(body) - len(counter)]
    value = _numeral(numeral)
    if value is None:
        return None
    approx = RANK_PREFIXES["第" if form == "rank" else "前"]
    needs_end = not counter and not numeral[0].isdigit()  # 第一发明者: an ordinal word, not a rank
    return _Reading(value, "rank", "rank", approx=approx, needs_end=needs_end, chinese=not numeral[0].isdigit())


def _read_implied(text, year, month, form):
    value, unit, kind, approx = IMPLIED[text]
    value = None if value is None else Decimal(value)
    iso = _duration_iso(value, unit) if kind == "duration" and value is not None else None
    return _Reading(value, unit, kind, approx=approx, iso=iso)


_NUM_PARTS = re.compile(
    rf"(?P<vague>[数几]|(?<!千)上(?=[百千万亿]))?(?P<numeral>{_AR}|点[{_CD}]+|[{_CD}{_CU}]+(?:点[{_CD}]+)?)(?:个(?=[亿億]))?"
    rf"(?P<more>{_MORE})?{_SP}(?P<scale>{_SCALE}*)(?P<more2>[多余])?{_SP}(?P<unit>.*)"
)


def _read_number(text, year, month, form):
    """Arabic-led and Chinese-led numbers with scales, bound markers and a unit word."""
    if form == "num":  # an Arabic number before text read already (亿元, %): no need to parse it whole
        numeral = _ARABIC_LEAD.match(text).group()
        if text[len(numeral) :] in _TEMPLATES:
            return _read_arabic(numeral, text[len(numeral) :])
    parts = _NUM_PARTS.fullmatch(text)
    if parts is None:
        return None
    numeral, scale, word = parts["numeral"], parts["scale"], parts["unit"]
    if len(numeral) > MAX_DIGITS:
        return None  # a run of numeral characters, not an amount
    if word and word not in UNIT_WORDS and _money_word(word) not in UNIT_WORDS:
        return None  # 一方面: what follows is no unit
    if form == "num" and not parts["more"]:
        return _read_arabic(numeral, text[len(numeral) :])
    chinese = not numeral[0].isdigit() and numeral[0] not in "０１２３４５６７８９"
    has_digit = any(c in DIGITS or c.isdigit() for c in numeral)
    lone_scale = numeral in SCALE_WORDS and not scale and not parts["vague"]  # 百家: a word, but 近百家 is ~100
    approx = IN_SPAN_APPROX.get(parts["more"] or parts["more2"] or "")
    pair = _consecutive(numeral) if chinese else None
    if pair is not None:
        (low, high), approx = pair, "lower_bound"
    else:
        low, high = _numeral(numeral), None
    if low is None:
        return _Reading(None, *_unit_kind(word), reason=f"cannot read the numeral {_shown(numeral)}")
    factor = _scale(scale)
    if parts["vague"]:  # 数十亿, 几百万: between one and ten of the scale; 上百: at least a hundred
        approx = "lower_bound"
        high = None if parts["vague"] == "上" else low * 10
    elif parts["more"] == "几":  # 十几 is 10 to 20, 二十几万 200000 to 300000
        high = low + _place(numeral)
    low *= factor
    high = None if high is None else high * factor
    tail = _trailing_scale(numeral) + scale if chinese else scale
    if not word:
        if lone_scale:
            return None  # 万, 亿 alone
        return _Reading(
            low,
            *BARE_UNIT,
            high=high,
            approx=approx,
            tail=tail,
            bare=True,
            chinese=chinese,
            scale_only=chinese and not has_digit and not parts["vague"],
        )
    reading = _with_unit(low, high, word, approx, tail, chinese)
    reading.needs_prefix = lone_scale
    return reading


_TEMPLATES: dict[str, tuple] = {}
_ARABIC_LEAD = re.compile(_AR)  # the numeral _NUM_PARTS finds first in a "num" candidate


def _read_arabic(numeral: str, rest: str) -> _Reading | None:
    """An Arabic number with what follows it (亿港元, %, 余家, " K tokens"): the common case, read
    fast. What follows is read once, as a line value = number * mult + add (元一角 adds 0.1, 成
    multiplies by 10), with the reading of 1 as the template of everything else. ``rest`` is the
    text after the numeral as written, spaces included (128K tokens is not 128Ktokens)."""
    template = _TEMPLATES.get(rest)
    if template is None:
        one, zero = (_read_number(f"{n}{rest}", None, None, "") for n in (1, 0))
        _derive_flags(one, "num", "1")
        mult, add = one.value - zero.value, zero.value
        mult, add = (int(mult) if mult == int(mult) else mult), (int(add) if add == int(add) else add)
        template = _TEMPLATES[rest] = (one, mult, add)
    one, mult, add = template
    if len(numeral) > MAX_DIGITS:
        return None  # a run of digits, not an amount (and beyond what int() may parse)
    value = _times(numeral, mult)
    if value is None:
        return _Reading(None, one.unit, one.kind, reason=f"cannot read the numeral {_shown(numeral)}")
    value += add
    return one.with_value(value, _duration_iso(value, one.unit) if one.kind == "duration" else None)


def _times(numeral: str, mult: int | Decimal) -> int | Decimal | None:
    """numeral * mult, exactly, in integers where it can be (7391.58 * 10**8 = 739158 * 10**6)."""
    if not numeral.isascii():
        numeral = numeral.translate(_TO_ASCII)
    whole, _, fraction = numeral.replace(",", "").partition(".")
    if not (whole.isdigit() and (fraction.isdigit() or not fraction)):
        return None
    if type(mult) is int:
        shift = 10 ** len(fraction)
        if mult % shift == 0:
            return int(whole + fraction) * (mult // shift)
    return Decimal(f"{whole}.{fraction or 0}") * mult


def _scale(chars: str) -> int:
    factor = 1
    for char in chars:
        factor *= LETTER_SCALES.get(char) or UNIT_VALUES[UNIT_CHARS[char]]
    return factor


def _place(numeral: str) -> int:
    """The place value of a numeral's last unit (十 -> 10): 十几 adds up to one of it."""
    units = [UNIT_VALUES[UNIT_CHARS[c]] for c in numeral if c in UNIT_CHARS]
    return min(units) if units else 1


def _unit_kind(word: str) -> tuple[str, str]:
    entry = UNIT_WORDS.get(_money_word(word)) if word else None
    return (entry[0], entry[1]) if entry else BARE_UNIT


_MONEY_WORD = re.compile(
    rf"(?P<word>元|圆|块|角|毛)(?P<jiao>零?[{_CD}{_AD}][角毛])?零?(?P<fen>[{_CD}{_AD}]分)?(?P<end>钱|整)?(?P<rmb>人民币)?"
)


def _money_word(word: str) -> str:
    parts = _MONEY_WORD.fullmatch(word)
    if parts is None:
        return word
    return parts["word"] + ("钱" if parts["end"] == "钱" and parts["word"] == "块" else "")


def _with_unit(low: Decimal, high: Decimal | None, word: str, approx: str | None, tail: str, chinese: bool) -> _Reading:
    base = _money_word(word)
    unit, kind, factor = UNIT_WORDS[base]
    if factor is not None:
        low *= factor
        high = None if high is None else high * factor
    cents = _cents(word)
    if cents:
        low += cents  # after the factor: 1角6分 is 1 x 0.1 + 0.06
    if word in HALF_UNITS:
        low += Decimal("0.5")
    elif word[:1] == "成" and len(word) == 2:
        low += int(DIGITS[word[1]])  # 九成五: 90 + 5
    approx = approx or UNIT_APPROX.get(word)
    iso = _duration_iso(low, unit) if kind == "duration" else None
    return _Reading(
        low, unit, kind, high=high, iso=iso, approx=approx, tail=tail, word=word, chinese=chinese, counter=word in COUNTERS
    )


def _cents(word: str) -> Decimal:
    """元一角七分 -> 0.17: the 角/毛 and 分 after a money unit."""
    parts = _MONEY_WORD.fullmatch(word)
    if parts is None:
        return Decimal(0)
    cents = Decimal(0)
    if parts["jiao"]:
        cents += Decimal(_int(parts["jiao"][-2])) / 10  # 零角 is no 角: the digit before 角/毛
    if parts["fen"]:
        cents += Decimal(_int(parts["fen"][0])) / 100
    return cents


def _duration_iso(value: Decimal, unit: str) -> str:
    """ISO 8601 duration: 3年 -> P3Y, 1.5年 -> P1Y6M, 3个季度 -> P9M, 24小时 -> PT24H."""
    if unit == "quarter":
        value, unit = value * 3, "month"
    if unit == "year" and value != int(value) and (value * 12) == int(value * 12):
        years, months = divmod(int(value * 12), 12)
        return f"P{years}Y{months}M" if years else f"P{months}M"
    designator, time_part = DURATION_DESIGNATORS[unit]
    return f"P{'T' if time_part else ''}{_decimal_text(value)}{designator}"


_READERS = {
    "ymd": _read_ymd,
    "yn": _read_yn,
    "yq": _read_quarter,
    "yqq": _read_quarter,
    "yhalf": _read_yhalf,
    "ym": _read_ymd,
    "year": _read_year,
    "isodate": _read_isodate,
    "mxun": _read_mxun,
    "ymxun": _read_ymxun,
    "md": _read_md,
    "m": _read_md,
    "decade": _read_decade,
    "d": _read_d,
    "q": _read_quarter,
    "qq": _read_quarter,
    "qtop": _read_qtop,
    "nmonths": _read_yn,
    "half": _read_yhalf,
    "per": _read_per,
    "frac": _read_frac,
    "rank": _read_rank,
    "top": _read_rank,
    "strong": _read_rank,
    "implied": _read_implied,
    "num": _read_number,
    "cnum": _read_number,
}
#: forms whose reading depends on the year (and month) given
_DATED_FORMS = frozenset(
    {"md", "m", "mxun", "d", "q", "qq", "qtop", "nmonths", "half", "ymd", "ym", "ymxun", "yq", "yn", "yhalf"}
)
_DATE_KINDS = frozenset({"date", "year"})
_DATED_INDEXES = frozenset(_FORM_INDEX[form] for form in _DATED_FORMS)
_MEMOS: list[dict] = [{} for _ in range(len(_FORMS) + 1)]  # per Match.lastindex (index 0 unused)
#: date forms that take their year (and the bare day its month) from elsewhere
_YEARLESS_FORMS = frozenset({"md", "m", "mxun", "d", "nmonths", "half"})
#: date forms in the publication year that a word before them moves to another year (去年四季度)
_RELATIVE_YEAR_FORMS = frozenset({"md", "m", "mxun", "q", "qq", "qtop", "nmonths", "half"})


# ----------------------------------------------------------------------------------------------
# Context: what the characters around a candidate change


def _find(text: str, year: int | None, month: int | None, keep_bare: bool) -> list[tuple[int, int, Quantity]]:
    """Candidates of the scanner, read and placed in their context; keep_bare: normalise's mode
    (the text is known to be a quantity, so bare numerals and stop words are read too).

    One pass: a candidate with no character around it that any context rule looks at gets its
    Quantity at once (the common case); the others are finished by a second pass over just them.
    """
    found: list = []
    pending: list[int] = []  # indexes into found of (start, end, _Reading) in a range, finished last
    memos, dated = _MEMOS, _DATED_INDEXES
    context_after, gap_last, gap_first = _AFTER_CHARS, _GAP_LAST, _GAP_FIRST
    bare_before, bare_after, suffix_first, quiet_after = _BARE_BEFORE, _BARE_AFTER, _SUFFIX_FIRST, _ANY_RULE_AFTER
    context_before, prefix_last, quiet_before = _BEFORE_CHARS, _PREFIX_LAST, _ANY_RULE_BEFORE
    rare_trigger = _RARE_TRIGGER  # which rules apply is looked up when first needed (then it is empty)
    listed = False  # whether a bare number is followed by a list separator (41.2亿、50.6亿和62.3亿元)
    size = len(text)
    for match in _SCANNER.finditer(text):
        index = match.lastindex
        start, end = match.span()
        span = text[start:end]
        reading = memos[index].get((span, year, month) if index in dated else span, _UNREAD)
        if reading is _UNREAD:
            reading = _read(_FORM_NAMES[index - 1], span, year, month)
        if reading is None:
            continue
        before = text[start - 1] if start else ""
        after = text[end] if end < size else ""
        if before in rare_trigger:
            rare_trigger, context_before, prefix_last, quiet_before = _context_sets(text)
        if reading.simple and before not in quiet_before and after not in quiet_after and not keep_bare:
            found.append((start, end, reading.exact))  # the common case: no rule looks at this one
            continue
        if rare_trigger:  # the first candidate off the fast path: which rules apply is looked up now
            rare_trigger, context_before, prefix_last, quiet_before = _context_sets(text)
        if reading.bare and after in LIST_SEPARATORS:
            listed = True
        if reading.halts and not keep_bare and (reading.stop or text.startswith(reading.stop_after, end)):
            continue  # 一个, 一批, 一次性: words, not quantities
        if keep_bare or not (
            reading.simple
            and before not in context_before
            and after not in context_after
            or reading.plain_bare
            and before not in bare_before
            and after not in bare_after
            and not _HINTS.search(text, max(0, start - _LOOKBEHIND), end + _LOOKAHEAD)
        ):
            # a quantity ending right before a sign makes the sign a range separator (1万-5万)
            placed = _place_in_context(text, start, end, reading, keep_bare, found[-1][1] if found else -1)
            if placed is None:
                continue
            start, end, reading = placed
            before = text[start - 1] if start else ""
            if keep_bare or before in gap_last or after in gap_first or reading.bare and reading.chinese and not reading.tail:
                pending.append(len(found))  # a range, or maybe one: finished when its neighbours are known
                found.append(placed)
                continue
        if before in prefix_last or after in suffix_first:
            found.append((start, end, _quantity_here(text, start, end, reading, before, after, prefix_last)))
        else:
            found.append((start, end, reading.exact))
    if pending:
        _finish(text, found, pending, keep_bare)
        found = [item for item in found if item is not None]
    if listed and len(found) > 1:
        found = _with_list_units(text, found)
    if "《" in text and found:
        found = _outside_titles(text, found)
    return found


def _context_sets(text: str) -> tuple[frozenset, frozenset, frozenset, frozenset]:
    """The characters the context rules look at in this text (before a number; last characters of
    a bound word; both): the rarer rules' too only if it holds a word of _RARE_CONTEXT. The first
    item, empty, tells _find that this is decided."""
    if _RARE_CONTEXT.search(text) is None:
        return frozenset(), _BEFORE_CHARS, _PREFIX_LAST, _ANY_RULE_BEFORE
    return frozenset(), _BEFORE_CHARS_RARE, _PREFIX_LAST_LINKED, _ANY_RULE_BEFORE_RARE


def _with_list_units(text: str, found: list) -> list:
    """41.2亿、50.6亿和62.3亿元: a bare number joined to the next quantity by a list separator alone
    takes its unit and kind (from the last of the list back to the first)."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        start, end, q = out[i]
        next_start, _, next_q = out[i + 1]
        if (
            q.kind == BARE_UNIT[1]
            and q.unit == BARE_UNIT[0]
            and q.value is not None
            and next_q.kind in LIST_KINDS
            and text[end - 1] in _BARE_LAST
            and text[end:next_start] in LIST_SEPARATORS
        ):
            out[i] = (start, end, Quantity(q.value, next_q.unit, next_q.kind, q.approx, None, q.high, q.reason))
    return out


def _quantity_here(text: str, start: int, end: int, r: _Reading, before: str, after: str, prefix_last: frozenset) -> Quantity:
    """The Quantity of a reading that is no end of a range: approximation words decide its approx
    (prefix_last: the characters a bound word before it may end with in this text)."""
    word_before = _prefix_approx(text, start, end, r.kind, prefix_last is _PREFIX_LAST_LINKED) if before in prefix_last else None
    word_after = _suffix_approx(text, end, r.kind) if after and after in _SUFFIX_FIRST else None
    if word_before is None and word_after is None:
        return r.exact
    return r.quantity(_first_bound(word_before, word_after, r.approx))


def _finish(text: str, found: list, pending: list[int], keep_bare: bool) -> None:
    """Ranges and bounds of the pending candidates, in place (None: not a quantity after all)."""
    items = _ranges(text, [found[i] for i in pending])
    for i, result in zip(pending, _bounds(text, items, keep_bare)):
        found[i] = result


def _outside_titles(text: str, found: list) -> list:
    """Drop what lies inside a title 《…》 (the title is a DOC entity, not a source of quantities)."""
    titles = [m.span() for m in _TITLE.finditer(text)]
    starts = [s for s, _ in titles]
    out = []
    for item in found:
        i = bisect.bisect_right(starts, item[0]) - 1
        if i < 0 or item[0] >= titles[i][1]:
            out.append(item)
    return out


def _place_in_context(text: str, start: int, end: int, r: _Reading, keep_bare: bool, last_end: int = -1):
    """(start, end, reading) once the characters around the candidate are looked at; None: no quantity."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if _rejected(text, start, end, r, before, after, keep_bare):
        return None
    if r.bare and after == "级" and r.value is not None:
        r = _scale_label(r)  # 万亿级, 五千亿级 (GUIDELINES 3.2 amendment 2)
    r = _unit_from_context(text, start, end, r, before)
    if before == "年" and r.form in _RELATIVE_YEAR_FORMS and r.iso:
        r = _in_relative_year(text, start, end, r)
    if r.form == "decade" and r.tail:
        start, r = _with_century(text, start, r)
    if before and before in SIGNS and r.value is not None and r.kind in BOUNDED_KINDS and last_end != start - 1:
        prior = text[start - 2] if start >= 2 else ""
        if not prior or not (
            prior.isalnum() and prior.isascii() or prior in DIGITS or prior in UNIT_CHARS or prior in _GAP_LAST or prior in SIGNS
        ):
            r = r.variant(value=-r.value, high=None if r.high is None else -r.high)
            start -= 1  # 同比-5.2%, 负百分之三: the sign is part of the number
    return start, end, r


def _rejected(text: str, start: int, end: int, r: _Reading, before: str, after: str, keep_bare: bool) -> bool:
    """Whether the context says the candidate is no quantity (normalise's text always is one)."""
    if r.form == "num" and _is_name(text, start, end, r):
        return True
    if r.bare and text.startswith(NOT_QUANTITY_BEFORE, end):
        return True  # 20世纪 is read with 90年代
    if keep_bare:
        return False
    if before in PER_UNIT_BEFORE and r.form in ("num", "cnum", "implied"):
        return True  # 每10股派2元, 每半年付息: 10股 and 半年 are the base of a rate
    if r.needs_end and after and after not in _CLAUSE_END and after not in RANK_COMPARATIVES:
        return True  # 第一发明者 (but 第二高 is a rank)
    if r.needs_prefix and not (before in _PREFIX_LAST_LINKED and _prefix_approx(text, start, end, r.kind)):
        return True  # 百家 without 近 or 逾
    # 千万 (by all means) and 百万 alone; “33618”: a number in quotes without a unit is a name
    return r.bare and after != "级" and (r.scale_only or (before and before in _OPENING_QUOTES and after in _CLOSING_QUOTES))


def _unit_from_context(text: str, start: int, end: int, r: _Reading, before: str) -> _Reading:
    """The unit that words around the number give: a noun after a bare number (4万亿 of Tokens), the
    noun a counter counts (三大 产业集群), a currency written before the number (港币2960元)."""
    if r.bare and r.kind == BARE_UNIT[1] and _HINTS.search(text, max(0, start - _LOOKBEHIND), end + _LOOKAHEAD):
        hint = _noun_unit(text, _HINTS, end, _clause_after(text, end)) or _noun_unit(
            text, _HINTS, _clause_before(text, start), start
        )
        if hint:
            r = r.variant(unit=hint, kind="count")
    if r.counter:
        noun = _noun_unit(text, _COUNTER_NOUNS, end, _clause_after(text, end)) or _noun_unit(
            text, _COUNTER_NOUNS, _clause_before(text, start), start
        )
        if noun and noun != r.unit:
            r = r.variant(unit=noun)
    if before and r.kind in ("money", "other") and (r.bare or _money_word(r.word) in GENERIC_CURRENCY):
        currency = _CURRENCY_BEFORE.search(text, max(0, start - 6), start)
        if currency is not None:
            code = CURRENCIES[currency.group().rstrip()]
            if code != r.unit or r.kind != "money":
                r = r.variant(unit=code, kind="money")
    return r


def _in_relative_year(text: str, start: int, end: int, r: _Reading) -> _Reading:
    """去年四季度, 明年3月: the date read again in the year the word before it names."""
    word = _RELATIVE_YEAR.search(text, max(0, start - 3), start)
    shift = RELATIVE_YEARS[word.group()] if word else 0
    year = int(r.iso[:4]) + shift if r.iso[:4].isdigit() else 0
    if not shift or not 1 <= year <= 9999:
        return r  # (a year that ISO 8601 does not write in four digits stays the publication year's)
    return _read(r.form, text[start:end], year, None) or r


def _with_century(text: str, start: int, r: _Reading) -> tuple[int, _Reading]:
    """上世纪90年代, 十九世纪七十年代: the century before a two-digit decade is part of its span."""
    century = _CENTURY_BEFORE.search(text, max(0, start - 5), start)
    if century is None:
        return start, r
    number = _int(century["n"]) if century["n"] else None
    first = (CENTURIES[century.group()] if number is None else (number - 1) * 100) + int(r.tail)
    return century.start(), r.variant(value=Decimal(first), iso=str(first)[:3])


def _scale_label(r: _Reading) -> _Reading:
    """万亿级: a scale label is a lower bound in yuan when it reaches 亿, else a bare lower bound."""
    money = r.value >= 10**8
    return r.variant(
        unit="CNY" if money else r.unit, kind="money" if money else r.kind, bare=False, scale_only=False, approx="lower_bound"
    )


def _is_name(text: str, start: int, end: int, r: _Reading) -> bool:
    """Digits that belong to a name or a code: GPT-4o, DeepSeek-V3, Claude-3.5-Sonnet, GPT4, 5G,
    iPhone 17, 沪深300, 600519.SH, 16:30, 0755."""
    if r.bare and not r.tail:
        after = text[end : end + 2]
        if after[:1].isascii() and after[:1].isalnum():
            return True  # 4o, 5G
        if after[:1] in "-_." and after[1:2].isascii() and after[1:2].isalpha():
            return True  # 3.5-Sonnet, 600519.SH
        if _looks_like_code(text[start:end]) or _next_to_code(text, start, end):
            return True  # 0755, 047, 508066; 2681 of 0755-2681, 2025 of 2025-018: a code, not a number
        around = text[start - 1 : start] + text[end : end + 1]
        if around in BRACKET_PAIRS and end - start >= 4 and text[start:end].isdigit():
            return True  # (603917), (2025), 〔2024〕: a code or a label in brackets
        if around == "时分" or text[start - 1 : start] in NAME_BEFORE:
            return True  # 17时30分: a clock time; 双11
        if after[:1] in ":：" and after[1:2].isdigit() or start >= 2 and text[start - 1] in ":：" and text[start - 2].isdigit():
            return True  # 16:30
        if text.endswith(INDEX_NAMES, max(0, start - 4), start) or (
            start >= 2 and text[start - 1] == " " and text[start - 2].isascii() and text[start - 2].isalpha()
        ):
            return True  # 沪深300, iPhone 17
    if r.word == "点" and text.endswith(CLOCK_BEFORE, max(0, start - 2), start):
        return True  # 晚8点: a clock time
    before = text[start - 1] if start else ""
    if before == "-" and _LETTER_CODE_BEFORE.search(text, max(0, start - 12), start):
        return True  # 1108 of ZB-2025-1108: the last part of a code that starts with letters
    if before in _OPENING_QUOTES and r.bare and _NAME_IN_QUOTES.match(text, start):
        return True  # “20华辰01”: a bond's short name (year, issuer, series)
    if before in "-_" and start >= 2 and text[start - 2].isascii() and text[start - 2].isalpha():
        # GPT-4o, Claude-3.5; but in 30k-50k the k is the scale of a number
        return not (text[start - 2] in LETTER_SCALES and start >= 3 and text[start - 3].isdigit())
    if before.isascii() and before.isalpha():
        # V3, GPT4 are names; tokens0.5元 (a price right after a word) is not
        return r.kind not in ("money", "percent")
    return False


def _looks_like_code(span: str) -> bool:
    """A bare number with a leading zero (0755) or of six digits or more with no separator (508066, a
    fund code; 20263120456): news writes amounts that large with 万, 亿 or commas."""
    return span[:1] == "0" and span[1:2].isdigit() or len(span) >= 6 and span.isdigit()


def _next_to_code(text: str, start: int, end: int) -> bool:
    """Whether the number in text[start:end] is joined by a hyphen to a code with a leading zero
    (2681 of 0755-2681, 2025 of 2025-018) or is one of three groups of digits or more joined by
    hyphens (400-820-6655, a phone number)."""
    if text[end : end + 1] == "-" and text[end + 1 : end + 2] == "0" and text[end + 2 : end + 3].isdigit():
        return True
    if "-" in text[start - 1 : start] + text[end : end + 1] and _HYPHENATED_DIGITS.fullmatch(
        text, _DIGIT_RUN_START.search(text, max(0, start - _CODE_WINDOW), start).start(), _DIGIT_RUN_END.match(text, end).end()
    ):
        return True
    if start < 3 or text[start - 1] != "-":
        return False
    first = start - 1
    while first > 0 and text[first - 1].isdigit():
        first -= 1
    return first < start - 2 and text[first] == "0"


_LETTER_CODE_BEFORE = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]+-[0-9]+-$")
_NAME_IN_QUOTES = re.compile(rf"[0-9]{{2}}[\u4e00-\u9fff]{{1,6}}[0-9A-Za-z]{{1,4}}[{_CLOSING_QUOTES}]")
_HYPHENATED_DIGITS = re.compile(r"[0-9]+(?:-[0-9]+){2,}")
_DIGIT_RUN_START = re.compile(r"[0-9-]*$")
_CODE_WINDOW = 32  # characters looked back for the start of a hyphenated code (a bound: linear time)
_DIGIT_RUN_END = re.compile(r"[0-9-]*")


def _noun_unit(text: str, nouns: re.Pattern, start: int, end: int) -> str | None:
    """The unit of the noun in text[start:end] that ends last (the head of 主导产业集群 is 集群)."""
    best = None
    for match in nouns.finditer(text, start, end):
        if best is None or match.end() >= best.end():
            best = match
    return None if best is None else _NOUN_UNITS[best.group().lower()]


def _clause_before(text: str, start: int) -> int:
    """Where the clause before offset ``start`` begins (at most _LOOKBEHIND characters back)."""
    window = max(0, start - _LOOKBEHIND)
    found = _CLAUSE_TAIL.search(text, window, start)
    return found.start() if found else window


def _clause_after(text: str, end: int) -> int:
    """Where the clause after offset ``end`` ends (at most _LOOKAHEAD characters on)."""
    found = _CLAUSE_MARK.search(text, end, end + _LOOKAHEAD)
    return found.start() if found else min(len(text), end + _LOOKAHEAD)


def _ranges(text: str, found: list) -> list:
    """Give the bare first end of a range the unit and, where that keeps it at most the second
    end, the scale of the second: 10至100亿港元 -> 10亿港元, 一百二十到一百五十万元 -> 120万元,
    从8500到3万港元 -> 8500港元, 1万(含)-5万元 -> 1万元, 2023—2027年 -> 2023年, 1-6月 -> 1月."""
    out = list(found)
    for i in range(len(out) - 1):
        start, end, first = out[i]
        next_start, next_end, second = out[i + 1]
        if (
            first.kind == "date"
            and second.kind == "date"
            and first.iso
            and second.form in _YEARLESS_FORMS
            and _is_range_gap(text, end, next_start)
        ):
            # 2017年8月至11月: the second end is in the year (and month) of the first
            y, m = int(first.iso[:4]), int(first.iso[5:7]) if len(first.iso) >= 7 else None
            reading = _read(second.form, text[next_start:next_end], y, m)
            if reading is not None:
                out[i + 1] = (next_start, next_end, reading)
            continue
        if first.bare and second.form == "m" and _is_month_number(first.value) and _is_range_gap(text, end, next_start):
            # 1-6月, 1至8月: the bare first end is a month, in the year of the second
            reading = _read("m", f"{int(first.value)}月", int(second.iso[:4]) if second.iso else None, None)
            if reading is not None:
                out[i] = (start, end, reading)
            continue
        if (
            not first.bare
            or second.bare
            or first.value is None
            or second.value is None
            or not _is_range_gap(text, end, next_start)
        ):
            continue
        if second.kind == "year":
            reading = _read("year", f"{_plain(first.value)}{second.word}", None, None) if 1000 <= first.value < 3000 else None
        else:
            reading = next(
                (
                    r
                    for r in (_carried(first, tail, second) for tail in _tails(first, second.tail))
                    if abs(r.value) <= abs(second.value)
                ),
                None,
            )
        if reading is not None:
            out[i] = (start, end, reading)
    return out


def _is_month_number(value: Decimal | None) -> bool:
    return value is not None and value == int(value) and 1 <= value <= 12


def _tails(first: _Reading, tail: str) -> list[str]:
    """Scales a bare first end may take from the second, largest first (九千亿 -> 千亿, 亿, none)."""
    if any(c in "万萬亿億" or c in LETTER_SCALES for c in first.tail) or first.tail and not first.chinese:
        return [""]  # 1万-5万元: the first end has its own scale (一百二十's 十 is no scale)
    return [tail[i:] for i in range(len(tail))] + [""]


def _carried(first: _Reading, tail: str, second: _Reading) -> _Reading:
    value = first.value * _scale(tail)
    high = None if first.high is None else first.high * _scale(tail)
    if second.kind == "duration" or not second.word:
        return second.replace(
            value=value,
            high=high,
            iso=_duration_iso(value, second.unit) if second.iso else None,
            approx=first.approx,
            tail=first.tail + tail,
        )
    return _with_unit(value, high, second.word, first.approx, first.tail + tail, first.chinese)


def _bounds(text: str, found: list, keep_bare: bool) -> list[tuple[int, int, Quantity] | None]:
    """The approx of every quantity: words before and after it, markers inside it, range ends;
    None for a candidate that is no quantity after all."""
    results = []
    last = len(found) - 1
    size = len(text)
    for i, (start, end, r) in enumerate(found):
        to_next = i < last and _is_range_gap(text, end, found[i + 1][0])
        if r.bare and r.chinese and not r.tail and not to_next and not keep_bare:
            results.append(None)  # a bare Chinese numeral is a quantity only as the first end of a range (两到三万港元)
            continue
        range_bound = None
        if r.kind in BOUNDED_KINDS:
            if to_next and _range_ends(r, found[i + 1][2]):
                range_bound = "lower_bound"
            elif i and _range_ends(found[i - 1][2], r) and _is_range_gap(text, found[i - 1][1], start):
                range_bound = "upper_bound"
        before = _prefix_approx(text, start, end, r.kind) if start and text[start - 1] in _PREFIX_LAST_LINKED else None
        after = _suffix_approx(text, end, r.kind) if end < size and text[end] in _SUFFIX_FIRST else None
        approx = before or after or r.approx or range_bound
        results.append((start, end, r.quantity(_first_bound(range_bound, before, after, r.approx) if approx else "exact")))
    return results


def _range_ends(first: _Reading, second: _Reading) -> bool:
    """Whether two readings around a range separator are the ends of one range: the same kind, and
    not a change in points followed by a level (下调25个基点至4.75%: by 0.25 points, to 4.75%)."""
    return first.kind == second.kind and (first.word in POINT_WORDS) == (second.word in POINT_WORDS)


def _is_range_gap(text: str, end: int, next_start: int) -> bool:
    return next_start - end <= 7 and text[end] in _GAP_FIRST and _RANGE_GAP.fullmatch(text, end, next_start) is not None


def _prefix_approx(text: str, start: int, end: int, kind: str, rare: bool = True) -> str | None:
    """The approx a bound word before text[start:end] gives: touching it, linked to it, or at the
    head of a list it is in (None: no bound word). rare=False: the text holds no word of
    _RARE_CONTEXT, so no linked or list bound can be found."""
    if text.startswith(THRESHOLD_AFTER, end + (text[end : end + 1] in _CLOSING_QUOTES)):
        return None
    found = _PREFIX_APPROX.search(text, max(0, start - _PREFIX_WINDOW), start)
    if found is not None:
        if found["word"] in RECENT_WORDS and text.startswith(RECENT_AFTER, end):
            return None  # 创近五个月新高: the last five months, not nearly five
        return APPROX_PREFIXES[found["word"]]
    if not rare:
        return None
    before = text[start - 1]
    if before == "、":
        found = _LIST_APPROX.search(text, max(0, start - 30), start)
    elif before == "的":
        found = _SHARE_APPROX.search(text, max(0, start - _SHARE_WINDOW), start) if kind in SHARE_KINDS else None
    else:
        found = _LINKED_APPROX.search(text, max(0, start - _LINKED_WINDOW), start)
    return APPROX_PREFIXES[found["word"]] if found else None


def _suffix_approx(text: str, end: int, kind: str) -> str | None:
    if kind in _DATE_KINDS:
        found = _DATE_SUFFIX.match(text, end)
        return DATE_APPROX_SUFFIXES[found.group().lstrip(_CLOSING_QUOTES)] if found else None
    found = _SUFFIX_APPROX.match(text, end)
    if found and (found["link"] != "期" or kind == "duration"):
        return APPROX_SUFFIXES[found["word"]]
    bound = KIND_SUFFIXES.get(text[end])
    return bound[0] if bound and kind in bound[1] else None


def _first_bound(*candidates: str | None) -> str:
    """The first approximation that says something (exact says nothing)."""
    return next((c for c in candidates if c and c != "exact"), "exact")
