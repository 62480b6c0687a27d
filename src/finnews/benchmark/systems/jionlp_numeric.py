"""jionlp + cn2an as a numeric-fact extractor.

Three sources of candidate quantities, in order of precedence (a later candidate that overlaps an
earlier one is dropped):

1. jionlp's money extractor (``jionlp.ner.extract_money``): span, value, currency;
2. jionlp's time extractor (``jionlp.ner.extract_time``): dates, years, decades, durations;
3. a counter pattern (COUNTERS): an Arabic or Chinese numeral (read by cn2an) with an optional scale
   before a measure word or a percent sign; jionlp has no extractor for these.

jionlp's spans include modifier words (超, 约, 近, 达, 以来...) that annotations/GUIDELINES.md §3.1
keeps out of the quantity span: they are trimmed (LEADING, TRAILING) and, where they are bound or
approximation words, decide `approx`. Every item quotes the text at its offsets; an item whose text
is not found in the sentence, or whose currency or unit has no value in our closed sets, is dropped
(counted in `dropped` when given). measured_entity and measured_property are always null.

What the system saw: jionlp and cn2an know nothing of this corpus. The tables of this module were
written by someone who had read GUIDELINES.md and the gold numeric facts of every split (test
included): the unit and bound words are those of the guidelines and of general Chinese usage, but
this is not a held-out estimate. No table was changed after scoring a split.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from finnews.benchmark.systems._common import need, trimmed

#: jionlp currency (its `case` field) -> ISO 4217 code in our closed set; others are dropped
CURRENCIES: dict[str, str] = {
    "元": "CNY",
    "块": "CNY",
    "块钱": "CNY",
    "人民币": "CNY",
    "元人民币": "CNY",
    "港元": "HKD",
    "港币": "HKD",
    "元港币": "HKD",
    "美元": "USD",
    "美金": "USD",
}

#: jionlp's precision of a money amount (its `definition`) -> approx, used when no word of
#: BOUND_WORDS is at the amount: blur+ "more than" (超, 逾), blur- "just under / at most" (不到, 以下),
#: blur "about" (约, 左右), blur+span "and more" (多, 余: 20多万), blur++span "several" (数十万).
DEFINITIONS: dict[str, str] = {
    "accurate": "exact",
    "blur": "approx",
    "blur+": "lower_bound",
    "blur-": "upper_bound",
    "blur+span": "lower_bound",
    "blur++span": "approx",
}

#: bound and approximation words (GUIDELINES §3: 约, 近, 接近, 左右, 出头 approx; 超, 超过, 逾, 不少于,
#: 以上, 至少 lower bound; 不超过, 以内, 低于 upper bound; plus their common synonyms)
BOUND_WORDS: dict[str, str] = {
    "约": "approx",
    "大约": "approx",
    "大概": "approx",
    "近": "approx",
    "将近": "approx",
    "接近": "approx",
    "左右": "approx",
    "上下": "approx",
    "出头": "approx",
    "超": "lower_bound",
    "超过": "lower_bound",
    "逾": "lower_bound",
    "不少于": "lower_bound",
    "至少": "lower_bound",
    "以上": "lower_bound",
    "多于": "lower_bound",
    "高于": "lower_bound",
    "不超过": "upper_bound",
    "以内": "upper_bound",
    "以下": "upper_bound",
    "低于": "upper_bound",
    "不到": "upper_bound",
    "不足": "upper_bound",
    "少于": "upper_bound",
}

#: words jionlp may include at the start of a span that are not part of a quantity: the bound words,
#: verbs of amounting (达, 为), focus words (仅, 共), and relative times that carry no number (今年)
LEADING = tuple(
    sorted(
        {
            *BOUND_WORDS,
            "达",
            "达到",
            "高达",
            "仅",
            "只有",
            "共",
            "共计",
            "合计",
            "累计",
            "为",
            "今年",
            "去年",
            "明年",
            "前年",
            "本年",
            "当年",
            "同年",
            "截至",
            "截止",
            "自",
            "从",
            "于",
            "在",
        },
        key=len,
        reverse=True,
    )
)

#: words jionlp may include at the end of a span: bound words, and time words after a date
#: (以来 "since", 前 "ago", 晚间 "evening")
TRAILING = tuple(
    sorted(
        {
            *BOUND_WORDS,
            "以来",
            "以后",
            "之后",
            "以前",
            "之前",
            "前",
            "后",
            "起",
            "晚间",
            "早间",
            "上午",
            "下午",
            "晚上",
            "凌晨",
            "中午",
            "傍晚",
        },
        key=len,
        reverse=True,
    )
)

#: measure word after a number -> (unit, kind): the common classifiers of financial news, read with
#: their ordinary meaning; a classifier whose unit is not in our closed set (名 and 位 count people)
#: counts only as a rank (第7位, 前50名). Longest first.
COUNTERS: dict[str, tuple[str, str]] = {
    "个百分点": ("percent", "percent"),
    "%": ("percent", "percent"),
    "％": ("percent", "percent"),
    "个月": ("month", "duration"),
    "家": ("company", "count"),
    "股": ("share", "count"),
    "项": ("item", "count"),
    "个": ("item", "count"),
    "次": ("occurrence", "count"),
    "组": ("group", "count"),
    "倍": ("times", "ratio"),
}
RANK_ONLY = ("名", "位")

#: scale characters between a number and its measure word (3.04亿股)
SCALES: dict[str, int] = {"万亿": 10**12, "亿": 10**8, "万": 10**4, "千": 10**3, "百": 10**2}

CHINESE_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
NUMERAL_CHARS = set("0123456789０１２３４５６７８９" + CHINESE_NUMERAL)

_NUMBER = r"(?P<number>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_SCALE = "(?P<scale>" + "|".join(sorted(SCALES, key=len, reverse=True)) + ")?"
_COUNTER = "(?P<counter>" + "|".join(re.escape(c) for c in sorted([*COUNTERS, *RANK_ONLY], key=len, reverse=True)) + ")"
COUNTER_PATTERN = re.compile(r"(?P<ordinal>第)?" + _NUMBER + _SCALE + r"(?P<more>多|余)?" + _COUNTER)
PERCENT_WORDS = re.compile(r"百分之(?P<number>[零〇一二两三四五六七八九十百点]+)")

#: words a quantity span may start with before its number (GUIDELINES §3.1: 第7位, 上世纪90年代)
SPAN_PREFIXES = ("第", "上世纪", "本世纪", "世纪")

#: the unit of a candidate that claims its span but is not output (a currency outside our closed set)
BLOCKED = "-"

#: what the time base is when no year is given: jionlp resolves relative expressions against it;
#: no output value depends on it (dates carry no value, years are read from the text)
PLACEHOLDER_YEAR = 2000


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    value: int | float | None
    unit: str  # BLOCKED for a span claimed but not output
    kind: str
    approx: str


def _plain(number: Decimal) -> int | float:
    """A Decimal as JSON would like it: an int when integral (2634.41亿 -> 263441000000)."""
    return int(number) if number == number.to_integral_value() else float(number)


def _numeral(text: str) -> Decimal | None:
    """An Arabic or Chinese numeral (cn2an reads the Chinese ones: 三, 两, 二十, 三十五点五)."""
    try:
        return Decimal(text)
    except InvalidOperation:
        pass
    cn2an = need("cn2an", "jionlp_numeric_facts")
    try:
        return Decimal(str(cn2an.cn2an(text, "normal")))
    except (ValueError, KeyError, IndexError):
        return None


def _bound_at(text: str, start: int, end: int) -> str | None:
    """approx signalled by a bound word right before or right after a span (longest word wins)."""
    for word in sorted(BOUND_WORDS, key=len, reverse=True):
        if text.startswith(word, end) or text[:start].endswith(word):
            return BOUND_WORDS[word]
    return None


def _strip_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without LEADING words at its start and TRAILING words at its end (repeatedly), nor
    white space; a span reduced to nothing is returned empty."""
    start, end = trimmed(text, start, end)
    changed = True
    while changed and start < end:
        changed = False
        for word in LEADING:
            if text.startswith(word, start) and start + len(word) < end:
                start, changed = start + len(word), True
                break
        for word in TRAILING:
            if text[start:end].endswith(word) and end - len(word) > start:
                end, changed = end - len(word), True
                break
        start, end = trimmed(text, start, end)
    return start, end


def _has_numeral(text: str) -> bool:
    return any(c in NUMERAL_CHARS for c in text)


def _starts_as_quantity(text: str, start: int, end: int) -> bool:
    """A quantity span starts with its number, or with an ordinal or era word before it (第7位,
    上世纪90年代)."""
    return start < end and (text[start] in NUMERAL_CHARS or text.startswith(SPAN_PREFIXES, start))


# ------------------------------------------------------------------------------------------------
# jionlp's money


def _money_value(num: str | list[str]) -> Decimal | None:
    """jionlp's amount: a number string, or for a range ("20多万元": 200000 to 300000) a list whose
    first end is the amount as printed."""
    try:
        return Decimal(num[0] if isinstance(num, list) else num)
    except (InvalidOperation, IndexError, TypeError):
        return None


def money_candidates(text: str, dropped: list[str] | None = None) -> list[Candidate]:
    """jionlp's amounts of money. An amount in a currency outside our closed set (日元, 欧元) is not
    output but still claims its span (a BLOCKED candidate), so that no other reading of the same
    words (1000万日 as a duration) is output instead."""
    jio = need("jionlp", "jionlp_numeric_facts")
    out = []
    for item in jio.ner.extract_money(text, with_parsing=True):
        span = _located(text, item)
        value = _money_value(item["detail"]["num"])
        start, end = _strip_words(text, *span) if span else (0, 0)
        if value is None or not _starts_as_quantity(text, start, end):
            # jionlp sometimes takes the currency word before a number for that number's currency
            # (港元,1000万日元 -> 10000000 HKD): a reading that does not start with a number is dropped
            _drop(dropped, item["text"])
            continue
        currency = CURRENCIES.get(item["detail"].get("case"))
        if currency is None:
            _drop(dropped, item["text"])
            out.append(Candidate(start, end, None, BLOCKED, "money", "exact"))
            continue
        approx = _bound_at(text, start, end) or DEFINITIONS.get(item["detail"].get("definition"), "exact")
        out.append(Candidate(start, end, _plain(value), currency, "money", approx))
    return out


# ------------------------------------------------------------------------------------------------
# jionlp's times


def _time_base(year: int | None) -> dict[str, int]:
    return {"year": year or PLACEHOLDER_YEAR, "month": 1, "day": 1}


def _calendar(detail: dict) -> tuple[str, int | None] | None:
    """(unit, value) of a parsed time point or span, by the stretch of time it covers: a whole decade
    (decade, its first year), a whole year (year, the year), several whole years (year, no single
    value), whole months (month), otherwise days (day); None when it has no end (2024年以来)."""
    start, end = detail["time"]
    if "inf" in (start, end):
        return None
    (y0, m0, d0), (y1, m1, d1) = (tuple(map(int, t[:10].split("-"))) for t in (start, end))
    whole_years = (m0, d0, m1, d1) == (1, 1, 12, 31)
    if whole_years and y0 % 10 == 0 and y1 == y0 + 9:
        return "decade", y0
    if whole_years:
        return "year", y0 if y0 == y1 else None
    month_ends = d1 >= 28 and (m1 == 12 or _days_in_month(y1, m1) == d1)
    return ("month" if d0 == 1 and month_ends else "day"), None


def _days_in_month(year: int, month: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]


#: jionlp time_delta keys -> our units (hours and finer have no unit in the closed set)
DELTA_UNITS = {"year": "year", "month": "month", "day": "day"}


def _time_candidate(text: str, start: int, end: int, parsed: dict) -> Candidate | None:
    if parsed["type"] == "time_delta":
        units = {k: v for k, v in parsed["time"].items() if v}
        if len(units) != 1 or next(iter(units)) not in DELTA_UNITS:
            return None
        ((key, value),) = units.items()
        more = "多" in text[start:end] or "余" in text[start:end]
        approx = "lower_bound" if more else (_bound_at(text, start, end) or "exact")
        return Candidate(start, end, _plain(Decimal(str(value))), DELTA_UNITS[key], "duration", approx)
    if parsed["type"] in ("time_point", "time_span"):
        calendar = _calendar(parsed)
        if calendar is None:
            return None
        unit, value = calendar
        kind = "year" if unit in ("year", "decade") else "date"
        return Candidate(start, end, value, unit, kind, _bound_at(text, start, end) or "exact")
    return None  # time_period (每年): a frequency, not a quantity


def time_candidates(text: str, year: int | None, dropped: list[str] | None = None) -> list[Candidate]:
    """jionlp's time expressions, trimmed of words outside the quantity span and parsed again, so
    that the kind is that of what is left (7个月前 -> 7个月, a duration; 2024年以来 -> 2024年); where
    jionlp cannot parse what is left alone (10月份 of 今年10月份), its parse of the whole is kept."""
    jio = need("jionlp", "jionlp_numeric_facts")
    base = _time_base(year)
    out = []
    for item in jio.ner.extract_time(text, time_base=base, with_parsing=True):
        span = _located(text, item)
        if span is None:
            _drop(dropped, item["text"])
            continue
        start, end = _strip_words(text, *span)
        if start == end or not _has_numeral(text[start:end]):
            continue  # 今年, 去年, 每年: no number, a period of other records
        if not _starts_as_quantity(text, start, end):
            _drop(dropped, item["text"])
            continue
        parsed = item["detail"] if (start, end) == span else _parse_time(jio, text[start:end], base) or item["detail"]
        candidate = _time_candidate(text, start, end, parsed)
        if candidate is None:
            _drop(dropped, text[start:end])
            continue
        out.append(candidate)
    return out


def _parse_time(jio, string: str, base: dict) -> dict | None:
    try:
        return jio.parse_time(string, time_base=base)
    except (ValueError, KeyError, TypeError, IndexError):
        return None


# ------------------------------------------------------------------------------------------------
# counters and percents (cn2an)


def counter_candidates(text: str) -> list[Candidate]:
    out = []
    for m in COUNTER_PATTERN.finditer(text):
        ordinal, counter, number = m.group("ordinal"), m.group("counter"), m.group("number")
        rank_before = text[: m.start()].endswith("前")  # 前50名: top fifty, a rank with an upper bound
        if counter in RANK_ONLY and not (ordinal or rank_before):
            continue  # 50名员工: a count of people, no unit in our closed set
        if number == "一" and not ordinal:
            continue  # 一家公司 is "a company": the indefinite article, not a count
        value = _numeral(number)
        if value is None:
            continue
        value *= SCALES.get(m.group("scale") or "", 1)
        if ordinal or counter in RANK_ONLY:
            out.append(
                Candidate(
                    m.start(), m.end(), _plain(value), "rank", "rank", "upper_bound" if rank_before and not ordinal else "exact"
                )
            )
            continue
        unit, kind = COUNTERS[counter]
        approx = "lower_bound" if m.group("more") else (_bound_at(text, m.start(), m.end()) or "exact")
        out.append(Candidate(m.start(), m.end(), _plain(value), unit, kind, approx))
    for m in PERCENT_WORDS.finditer(text):
        value = _numeral(m.group("number"))
        if value is not None:
            out.append(
                Candidate(m.start(), m.end(), _plain(value), "percent", "percent", _bound_at(text, m.start(), m.end()) or "exact")
            )
    return out


# ------------------------------------------------------------------------------------------------


def _located(text: str, item: dict) -> tuple[int, int] | None:
    """jionlp's span in our text: its offsets when they quote its text, else the text's first
    occurrence (jionlp may clean its input); None when the text is not in the sentence."""
    start, end = item["offset"]
    if text[start:end] == item["text"]:
        return start, end
    found = text.find(item["text"])
    return (found, found + len(item["text"])) if found >= 0 else None


def _drop(dropped: list[str] | None, quote: str) -> None:
    if dropped is not None:
        dropped.append(quote)


def _without_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates in order of precedence, each kept unless it overlaps one kept before."""
    kept: list[Candidate] = []
    for c in candidates:
        if c.start < c.end and all(c.end <= k.start or k.end <= c.start for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: (c.start, c.end))


@contextlib.contextmanager
def _jionlp_quiet():
    """jionlp logs a traceback (logging.ERROR) for each candidate its time parser gives up on."""
    previous = logging.root.manager.disable
    logging.disable(logging.ERROR)
    try:
        yield
    finally:
        logging.disable(previous)


def numeric_facts(text: str, year: int | None, dropped: list[str] | None = None) -> list[dict]:
    """Numeric fact items of one sentence (predictions format, sentence code points)."""
    with _jionlp_quiet():
        candidates = [*money_candidates(text, dropped), *time_candidates(text, year, dropped), *counter_candidates(text)]
    return [
        {
            "start": c.start,
            "end": c.end,
            "text": text[c.start : c.end],
            "value": c.value,
            "unit": c.unit,
            "kind": c.kind,
            "approx": c.approx,
            "measured_entity": None,
            "measured_property": None,
        }
        for c in _without_overlaps(candidates)
        if c.unit != BLOCKED
    ]


def jionlp_numeric_facts(texts: list[str], year: int | None, dropped: list[str] | None = None) -> list[list[dict]]:
    """Numeric fact items per sentence text; `year` (the article's) is jionlp's time base."""
    return [numeric_facts(text, year, dropped) for text in texts]
