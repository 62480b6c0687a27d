"""Numeric-expression normaliser for Chinese financial news (annotations/GUIDELINES.md, section 3).

Two entry points:

- ``normalise(expression, context, year)`` reads one quantity span as annotated
  ("2634.41亿港元", "百分之三十五", "12月30日", "前50名") into a :class:`Quantity`;
- ``find_quantities(text, year)`` finds such spans in running text (a rule-based baseline).

Chinese numeral arithmetic is cn2an's; this module adds scales, units, bounds and kinds, and does
its arithmetic in :class:`decimal.Decimal` so that 2634.41亿 is exactly 263441000000.
Every word list below is data: change a table, not the code, to change what a word means.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

__all__ = ["Quantity", "normalise", "find_quantities"]

# ----------------------------------------------------------------------------------------------
# Tables

#: unit word after a number -> (unit, kind). Scales (万, 亿...) are read separately, so 亿元 is 亿 + 元.
UNIT_WORDS: dict[str, tuple[str, str]] = {
    "元": ("CNY", "money"),
    "人民币": ("CNY", "money"),
    "港元": ("HKD", "money"),
    "港币": ("HKD", "money"),
    "美元": ("USD", "money"),
    "%": ("percent", "percent"),
    "个百分点": ("percent", "percent"),
    "家": ("company", "count"),
    "股": ("share", "count"),
    "项": ("technology", "count"),
    "次": ("occurrence", "count"),
    "倍": ("times", "ratio"),
    "个方向": ("direction", "count"),
    "组": ("group", "count"),
    "个": ("item", "count"),
    "大": ("item", "count"),  # 三大产业集群: the unit comes from the noun that follows
    "tokens": ("token", "count"),
    "Tokens": ("token", "count"),
    "TOKENS": ("token", "count"),
    "token": ("token", "count"),
    "Token": ("token", "count"),
    "年": ("year", "duration"),
    "个月": ("month", "duration"),
    "天": ("day", "duration"),
}

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

#: ISO 8601 duration designator per duration unit
DURATION_DESIGNATORS: dict[str, str] = {"year": "Y", "month": "M", "day": "D"}

#: words right before a number -> approx. The longest match wins, so entries mapped to "exact"
#: shadow shorter ones (最近 is not 近).
APPROX_PREFIXES: dict[str, str] = {
    "约": "approx",
    "大约": "approx",
    "约为": "approx",
    "约合": "approx",
    "大概": "approx",
    "近": "approx",
    "将近": "approx",
    "接近": "approx",
    "逼近": "approx",
    "几乎": "approx",
    "最近": "exact",
    "附近": "exact",
    "临近": "exact",
    "超": "lower_bound",
    "超过": "lower_bound",
    "超出": "lower_bound",
    "逾": "lower_bound",
    "多于": "lower_bound",
    "高于": "lower_bound",
    "不少于": "lower_bound",
    "不低于": "lower_bound",
    "至少": "lower_bound",
    "最少": "lower_bound",
    "不超过": "upper_bound",
    "未超过": "upper_bound",
    "不到": "upper_bound",
    "不足": "upper_bound",
    "低于": "upper_bound",
    "少于": "upper_bound",
    "至多": "upper_bound",
    "最多": "upper_bound",
}

#: words right after a quantity (not part of the span) -> approx
APPROX_SUFFIXES: dict[str, str] = {
    "出头": "approx",
    "左右": "approx",
    "上下": "approx",
    "以上": "lower_bound",
    "之上": "lower_bound",
    "以内": "upper_bound",
    "之内": "upper_bound",
    "以下": "upper_bound",
}

#: words right after a date or year (12月中旬, 2024年底) -> approx
DATE_APPROX_SUFFIXES: dict[str, str] = {
    "上旬": "approx",
    "中旬": "approx",
    "下旬": "approx",
    "初": "approx",
    "底": "approx",
    "末": "approx",
    "前后": "approx",
    "左右": "approx",
}

#: markers inside the span (20多年, 10余家) -> approx
IN_SPAN_APPROX: dict[str, str] = {"多": "lower_bound", "余": "lower_bound"}

#: rank prefixes -> approx (前50名: the rank is at most 50)
RANK_PREFIXES: dict[str, str] = {"第": "exact", "前": "upper_bound"}

#: counters after 第N (第7位, 第三家); 前N takes only RANK_TOP_COUNTERS
RANK_COUNTERS = ("位", "名", "家", "大", "个", "强")
RANK_TOP_COUNTERS = ("名", "位", "强")

#: words with no numeral that stand for a quantity -> (value, unit, kind)
IMPLIED: dict[str, tuple[int, str, str]] = {
    "倍增": (2, "times", "ratio"),
    "翻番": (2, "times", "ratio"),
    "翻一番": (2, "times", "ratio"),
    "翻两番": (4, "times", "ratio"),
}

#: century words before 90年代 -> first year of the century
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

#: separators of a range (10亿港元至100亿港元): the first end is a lower bound, the second an upper one
RANGE_SEPARATORS = ("至", "到", "~", "～", "-", "－", "—", "–")

#: kinds that take range bounds (dates and years in a range stay exact)
BOUNDED_KINDS = frozenset({"money", "percent", "count", "ratio", "duration", "other"})

#: Chinese-numeral spans that are words, not quantities (一个 = "a", 一股 = "a wave of", 一大批)
CHINESE_STOP_SPANS = frozenset({"一个", "一股", "一大"})
#: ...and words that start like a quantity (一次性 = disposable)
CHINESE_STOP_PREFIXES = ("一次性",)

#: words after a bare number that make it no quantity (20世纪 is read with 90年代)
NOT_QUANTITY_BEFORE = ("世纪",)

#: characters right before a numeral that make it no quantity (第一次 = 首次; 数十亿, 几十家 are vague)
BLOCKING_PREFIXES = frozenset("第几数若")

SCALES: dict[str, int] = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}

_FULLWIDTH = str.maketrans("０１２３４５６７８９％．，", "0123456789%.,")
_CLAUSE_END = "，,。;；:：、!！?？\n()（）"
_OPENING_QUOTES = "“‘\"'「『"
_CLOSING_QUOTES = "”’\"'」』"
_LOOKAHEAD = 20  # characters searched for the noun after a counter
_LOOKBEHIND = 40  # characters of the clause before a number searched for hints

# ----------------------------------------------------------------------------------------------
# The expression grammar (one regular expression; the order of the alternatives matters)

_CN_DIGIT = "零〇一二两三四五六七八九"
_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN = rf"[{_CN_DIGIT}十百千万亿]+(?:点[{_CN_DIGIT}]+)?"
_NUM = rf"(?:{_AR}|{_CN})"
_YEAR4 = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
_MON = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
_SCALE = "[十百千万亿]*"
_MORE = f"[{''.join(IN_SPAN_APPROX)}]?"


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_UNIT = _alternation(UNIT_WORDS)

_QUANTITY = re.compile(
    "|".join(
        [
            rf"(?P<iv_y>{_YEAR4})年前(?P<iv_n>{_NUM})个月",  # 2024年前10个月
            rf"(?P<ymd_y>{_YEAR4})年(?P<ymd_m>{_MON})月(?P<ymd_d>{_DAY})[日号]",  # 2024年12月30日
            rf"(?P<ym_y>{_YEAR4})年(?P<ym_m>{_MON})月份?",  # 2023年6月份
            rf"(?P<md_m>{_MON})月(?P<md_d>{_DAY})[日号]",  # 12月30日
            rf"(?P<m_m>{_MON})月份?",  # 10月份, 12月
            rf"(?P<dec_n>\d{{2}}|\d{{4}}|[一二三四五六七八九]十)年代",  # 90年代
            rf"(?P<y_y>{_YEAR4})年",  # 2024年
            rf"百分之(?P<pc_n>{_NUM})",  # 百分之三十五
            rf"(?P<rk_p>第)(?P<rk_n>{_NUM})(?P<rk_u>{_alternation(RANK_COUNTERS)})?",  # 第7位
            rf"(?P<tp_p>前)(?P<tp_n>{_NUM})(?P<tp_u>{_alternation(RANK_TOP_COUNTERS)})",  # 前50名
            rf"(?<!成)(?P<imp>{_alternation(IMPLIED)})(?!长)",  # 倍增 (not 成倍增长)
            rf"(?P<ar>{_AR})(?P<ar_m1>{_MORE})(?P<ar_sc>{_SCALE})(?P<ar_m2>{_MORE})(?P<ar_u>{_UNIT})?",
            rf"(?P<cn>{_CN})(?P<cn_m>{_MORE})(?P<cn_sc>{_SCALE})(?P<cn_u>{_UNIT})?",
        ]
    )
)

_HAS_NUMBER = re.compile(rf"[0-9{_CN_DIGIT}十百千万亿]|{_alternation(IMPLIED)}")
_TITLE = re.compile(r"《[^《》]*》")


# ----------------------------------------------------------------------------------------------
# Public API


@dataclass(frozen=True)
class Quantity:
    """A normalised quantity (annotations/GUIDELINES.md, section 3)."""

    value: float | int | None  # plain number (亿 = 1e8); None for calendar dates
    unit: str  # CNY, HKD, USD, percent, company, share, ... (defs.schema.json#/$defs/unit)
    kind: str  # money | percent | count | ratio | rank | date | year | duration | other
    approx: str  # exact | approx | lower_bound | upper_bound
    iso: str | None  # ISO 8601 for dates, years and durations, else None


def normalise(expression: str, context: str = "", year: int | None = None) -> Quantity:
    """Read one numeric expression (an annotated quantity span) as a :class:`Quantity`.

    ``context`` is the text right before the span: approximation words at its end (约, 超, 不少于...)
    set ``approx``, as do such words inside ``expression`` (20多年, 2亿港元出头). ``year`` dates
    month-day and month expressions that give no year. Raises ValueError for text with no number
    or text that is not one numeric expression.
    """
    text = expression.translate(_FULLWIDTH).strip()
    if not _HAS_NUMBER.search(text):
        raise ValueError(f"no number in {expression!r}")
    context = context.translate(_FULLWIDTH)
    # approximation and bound words inside the expression are read, then removed
    core = text.strip(_OPENING_QUOTES + _CLOSING_QUOTES)
    prefix_approx = _longest_suffix(core, APPROX_PREFIXES, whole_prefix=True)
    if prefix_approx:
        word, _ = prefix_approx
        core = core[len(word):].lstrip(_OPENING_QUOTES)
    suffix_word = _trailing_approx_word(core)
    if suffix_word:
        core = core[: -len(suffix_word)].rstrip(_CLOSING_QUOTES)
    match = _QUANTITY.fullmatch(core)
    if match is None:
        raise ValueError(f"cannot read {expression!r} as one numeric expression")
    clause = _last_clause(context)
    parsed = _interpret(match, year, before=clause + (prefix_approx[0] if prefix_approx else ""), after="")
    if parsed is None:
        raise ValueError(f"{expression!r} is not a valid numeric expression")
    approx = _first_bound(
        prefix_approx[1] if prefix_approx else None,
        _prefix_approx(context),
        _suffix_approx(suffix_word or "", parsed.kind),
        parsed.approx,
        "upper_bound" if _ends_with_range_start(context) and parsed.kind in BOUNDED_KINDS else None,
    )
    return parsed.quantity(approx)


def find_quantities(text: str, year: int | None = None) -> list[tuple[int, int, Quantity]]:
    """Find numeric expressions in running text: ``(start, end, Quantity)``, code-point offsets.

    Spans exclude approximation words (超2634亿港元 -> 2634亿港元, lower_bound). Numbers that are
    names (GPT-4o, DeepSeek-V3, Claude-3.5-Sonnet, GPT4, "33618") and anything inside 《》 are skipped.
    A range A至B makes A a lower and B an upper bound; a bare A takes B's scale and unit (10至100亿港元).
    """
    norm = text.translate(_FULLWIDTH)
    titles = [(m.start(), m.end()) for m in _TITLE.finditer(norm)]
    found: list[tuple[int, int, _Parsed]] = []
    for match in _QUANTITY.finditer(norm):
        start, end = match.span()
        if any(a <= start < b for a, b in titles) or _is_name(norm, match):
            continue
        if match.group("cn") is not None and (
            match.group() in CHINESE_STOP_SPANS or norm.startswith(CHINESE_STOP_PREFIXES, start)
        ):
            continue
        if (match.group("cn") or match.group("ar")) and start and norm[start - 1] in BLOCKING_PREFIXES:
            continue
        parsed = _interpret(match, year, before=_before(norm, start), after=_first_clause(norm[end:]))
        if parsed is None:
            continue
        if parsed.bare and (
            norm.startswith(NOT_QUANTITY_BEFORE, end)
            or (start and norm[start - 1] in _OPENING_QUOTES and norm[end:end + 1] in tuple(_CLOSING_QUOTES))
        ):
            continue  # “33618”: a number in quotes without a unit is a name
        found.append((start, end, parsed))

    found = _resolve_ranges(norm, found, year)
    results = []
    for i, (start, end, parsed) in enumerate(found):
        if parsed.chinese and parsed.bare:
            continue  # a bare Chinese numeral (一是, 一方面) is no quantity
        range_bound = None
        if parsed.kind in BOUNDED_KINDS:
            if i + 1 < len(found) and norm[end:found[i + 1][0]] in RANGE_SEPARATORS:
                range_bound = "lower_bound"
            elif i and norm[found[i - 1][1]:start] in RANGE_SEPARATORS:
                range_bound = "upper_bound"
        approx = _first_bound(
            _prefix_approx(norm[max(0, start - _LOOKBEHIND):start]),
            _suffix_approx(norm[end:], parsed.kind),
            parsed.approx,
            range_bound,
        )
        results.append((start, end, parsed.quantity(approx)))
    return results


# ----------------------------------------------------------------------------------------------
# Internals


@dataclass(frozen=True)
class _Parsed:
    value: Decimal | None
    unit: str
    kind: str
    iso: str | None
    approx: str | None  # from inside the span (多, 余, 前N名)
    suffix: str  # scale and unit word after the numeral, carried over in ranges
    bare: bool  # no scale and no unit word
    chinese: bool

    def quantity(self, approx: str) -> Quantity:
        return Quantity(_plain(self.value), self.unit, self.kind, approx, self.iso)


def _plain(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _decimal_text(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")


def _number(text: str) -> Decimal | None:
    """The value of an Arabic or Chinese numeral (scale characters inside it included)."""
    if text[0].isdigit():
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation:
            return None
    if text[0] in "百千万亿":
        text = "一" + text  # 百亿 = 一百亿
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return Decimal(str(value))


def _scale(chars: str) -> int:
    factor = 1
    for char in chars:
        factor *= SCALES[char]
    return factor


def _int(text: str) -> int | None:
    value = _number(text)
    return int(value) if value is not None and value == value.to_integral_value() else None


def _month_day(year: int | None, month: int | None, day: int | None) -> str | None:
    """ISO date (or year-month when day is None); None when the year is unknown."""
    if month is None or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        raise ValueError("no such date")
    if year is None:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    return datetime.date(year, month, day).isoformat()


def _interpret(match: re.Match, year: int | None, before: str, after: str) -> _Parsed | None:
    """The quantity a grammar match stands for; None when it is no valid quantity."""
    g = match.groupdict()
    try:
        if g["iv_y"] is not None:
            y, n = _int(g["iv_y"]), _int(g["iv_n"])
            if y is None or n is None or not 1 <= n <= 12:
                return None
            return _Parsed(None, "month", "date", f"{y:04d}-01/{y:04d}-{n:02d}", None, "", False, False)
        if g["ymd_y"] is not None:
            y = _int(g["ymd_y"])
            iso = _month_day(y, _int(g["ymd_m"]), _int(g["ymd_d"]))
            return _Parsed(None, "day", "date", iso, None, "", False, False)
        if g["ym_y"] is not None:
            iso = _month_day(_int(g["ym_y"]), _int(g["ym_m"]), None)
            return _Parsed(None, "month", "date", iso, None, "", False, False)
        if g["md_m"] is not None:
            iso = _month_day(year, _int(g["md_m"]), _int(g["md_d"]))
            return _Parsed(None, "day", "date", iso, None, "", False, False)
        if g["m_m"] is not None:
            iso = _month_day(year, _int(g["m_m"]), None)
            return _Parsed(None, "month", "date", iso, None, "", False, False)
    except ValueError:
        return None
    if g["dec_n"] is not None:
        n = _int(g["dec_n"])
        if n is None or n % 10:
            return None
        if n < 100:
            n += next((v for w, v in CENTURIES.items() if before.endswith(w)), DEFAULT_CENTURY)
        return _Parsed(Decimal(n), "decade", "year", str(n)[:3], None, "", False, False)
    if g["y_y"] is not None:
        y = _int(g["y_y"])
        return None if y is None else _Parsed(Decimal(y), "year", "year", f"{y:04d}", None, "年", False, False)
    if g["pc_n"] is not None:
        value = _number(g["pc_n"])
        return None if value is None else _Parsed(value, "percent", "percent", None, None, "", False, False)
    for p, n, u in (("rk_p", "rk_n", "rk_u"), ("tp_p", "tp_n", "tp_u")):
        if g[p] is not None:
            value = _number(g[n])
            if value is None or (g[u] is None and not g[n][0].isdigit()):
                return None  # 第一发明者: an ordinal word, not a rank
            return _Parsed(value, "rank", "rank", None, RANK_PREFIXES[g[p]], "", False, False)
    if g["imp"] is not None:
        value, unit, kind = IMPLIED[g["imp"]]
        return _Parsed(Decimal(value), unit, kind, None, None, "", False, False)

    chinese = g["cn"] is not None
    numeral = g["cn"] if chinese else g["ar"]
    scale = (g["cn_sc"] if chinese else g["ar_sc"]) or ""
    more = (g["cn_m"] if chinese else (g["ar_m1"] or g["ar_m2"])) or ""
    word = g["cn_u"] if chinese else g["ar_u"]
    if chinese and numeral[0] in "百千万亿" and word is None:
        return None  # 万亿级, 百万: a scale alone is a quantity only with a unit (百亿港元)
    if chinese and numeral in ("百", "千", "万", "亿"):
        return None  # 万元, 百家: a single scale character is a word, not a number
    value = _number(numeral)
    if value is None:
        return None
    value *= _scale(scale)
    approx = IN_SPAN_APPROX.get(more)
    if word is None:
        hint = _noun_unit(before.lower() + " " + after.lower(), BARE_NUMBER_HINTS)
        unit, kind = (hint, "count") if hint else BARE_UNIT
        return _Parsed(value, unit, kind, None, approx, scale, not scale, chinese)
    unit, kind = UNIT_WORDS[word]
    if word in COUNTERS:
        unit = _noun_unit(after, COUNTER_NOUNS) or _noun_unit(before, COUNTER_NOUNS) or unit
    iso = _duration_iso(value, unit) if kind == "duration" else None
    return _Parsed(value, unit, kind, iso, approx, scale + word, False, chinese)


def _duration_iso(value: Decimal, unit: str) -> str:
    """ISO 8601 duration: 3年 -> P3Y, 1.5年 -> P1Y6M (1.5 years is 18 months), 0.5天 -> P0.5D."""
    if unit == "year" and value != value.to_integral_value() and (value * 12) == (value * 12).to_integral_value():
        years, months = divmod(int(value * 12), 12)
        return f"P{years}Y{months}M" if years else f"P{months}M"
    return f"P{_decimal_text(value)}{DURATION_DESIGNATORS[unit]}"


def _noun_unit(text: str, nouns: dict[str, str]) -> str | None:
    """The unit of the noun in ``text`` that ends last (the head of 主导产业集群 is 集群)."""
    best: tuple[int, int, str] | None = None
    for noun, unit in nouns.items():
        pos = text.rfind(noun)
        if pos >= 0:
            key = (pos + len(noun), len(noun), unit)
            if best is None or key[:2] > best[:2]:
                best = key
    return best[2] if best else None


def _before(text: str, start: int) -> str:
    """The clause before offset ``start`` (at most _LOOKBEHIND characters)."""
    return _last_clause(text[max(0, start - _LOOKBEHIND):start])


def _last_clause(text: str) -> str:
    cut = max(text.rfind(c) for c in _CLAUSE_END)
    return text[cut + 1:]


def _first_clause(text: str) -> str:
    text = text[:_LOOKAHEAD]
    cuts = [p for p in (text.find(c) for c in _CLAUSE_END) if p >= 0]
    return text[: min(cuts)] if cuts else text


def _longest_suffix(text: str, table: dict[str, str], whole_prefix: bool = False) -> tuple[str, str] | None:
    """The longest table word that ends ``text`` (or, with whole_prefix, starts it)."""
    for word in sorted(table, key=len, reverse=True):
        if (text.startswith(word) if whole_prefix else text.endswith(word)):
            return word, table[word]
    return None


def _trailing_approx_word(text: str) -> str | None:
    """The approximation word that ends an expression (2亿港元出头 -> 出头)."""
    words = {**APPROX_SUFFIXES, **DATE_APPROX_SUFFIXES}
    for word in sorted(words, key=len, reverse=True):
        if text.endswith(word) and len(text) > len(word):
            return word
    return None


def _prefix_approx(before: str) -> str | None:
    found = _longest_suffix(before.rstrip().rstrip(_OPENING_QUOTES), APPROX_PREFIXES)
    return found[1] if found else None


def _suffix_approx(after: str, kind: str) -> str | None:
    table = DATE_APPROX_SUFFIXES if kind in ("date", "year") else APPROX_SUFFIXES
    after = after.lstrip(_CLOSING_QUOTES)
    for word in sorted(table, key=len, reverse=True):
        if after.startswith(word):
            return table[word]
    return None


def _first_bound(*candidates: str | None) -> str:
    """The first approximation that says something (exact says nothing)."""
    return next((c for c in candidates if c and c != "exact"), "exact")


def _is_name(text: str, match: re.Match) -> bool:
    """Digits that belong to a name: GPT-4o, DeepSeek-V3, Claude-3.5-Sonnet, GPT4."""
    start = match.start()
    if not text[start].isdigit():
        return False
    digits = re.match(r"\d+(?:\.\d+)*", text[start:]).end()
    before = text[start - 1] if start else ""
    after = text[start + digits: start + digits + 2]
    if after[:1].isascii() and after[:1].isalpha():
        return True  # 4o, 5G
    if after[:1] in "-_" and after[1:2].isascii() and after[1:2].isalpha():
        return True  # 3.5-Sonnet
    if before in "-_" and start >= 2 and text[start - 2].isascii() and text[start - 2].isalpha():
        return True  # GPT-4o, Claude-3.5
    if before.isascii() and before.isalpha():
        # V3, GPT4 are names; tokens0.5元 (a price right after a word) is not
        word = match.group("ar_u")
        return word is None or UNIT_WORDS[word][1] not in ("money", "percent")
    return False


def _ends_with_range_start(context: str) -> bool:
    """Whether ``context`` ends with a quantity and a range separator (10亿港元至)."""
    context = context.rstrip()
    for sep in RANGE_SEPARATORS:
        if context.endswith(sep):
            head = context[: -len(sep)]
            found = find_quantities(head)
            return bool(found) and found[-1][1] == len(head) and found[-1][2].kind in BOUNDED_KINDS
    return False


def _resolve_ranges(text: str, found: list[tuple[int, int, _Parsed]], year: int | None):
    """Give the bare first end of a range the scale and unit of the second (10至100亿港元)."""
    out = list(found)
    for i in range(len(out) - 1):
        start, end, first = out[i]
        second = out[i + 1][2]
        if first.bare and second.suffix and text[end:out[i + 1][0]] in RANGE_SEPARATORS:
            match = _QUANTITY.fullmatch(text[start:end] + second.suffix)
            if match is not None:
                parsed = _interpret(match, year, before=_before(text, start),
                                    after=_first_clause(text[out[i + 1][1]:]))
                if parsed is not None:
                    out[i] = (start, end, parsed)
    return out
