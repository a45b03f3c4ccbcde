"""Spans of an asked type in a sentence: does it state a quantity, an amount of money, a
share, a year, a duration, a body, a place?

The checks read Simplified text. They are deliberately plain patterns over the report's
own way of writing figures (``100TB``, ``50億元``, ``95%``, ``提前48小時``, ``2024年``),
so what counts as "the sentence states it" can be read and tested.
"""

from __future__ import annotations

import re

_NUMBER = r"\d+(?:[.,]\d+)*"
_CN_NUMBER = r"[一二两三四五六七八九十百千万亿半几数]+"
_CLASSIFIER = r"[个项家名座类条种位所台辆部次倍件户人元篇套批处路通宗起笔张]"
# A year, not a count that looks like one (2000余名外籍人士, 2000多个, 1999项).
_YEAR = re.compile(rf"(?<!\d)(?:19|20)\d\d(?!\d)(?!\s*(?:余|多)|\s*{_CLASSIFIER})(?:\s*年)?")
# What a "start" year dates: a launch, an opening, a founding, a first issue.
STARTS = re.compile(r"启动|开始|推出|上线|建立|成立|开通|实施|发布|印发|建成|创建|启用|投用|投入使用|投入运行|出台|设立|开展|试点|首次|率先|正式")
# Digits that belong to a name: after Latin letters (PM2.5, L4, H5) or a mobile generation (5G, 5G-A).
_DIGITS_IN_NAMES = re.compile(r"(?<=[A-Za-z])\d+(?:\.\d+)?|(?<![\d.])[2-6]G(?![A-Za-z])")
# 「从2015年"互联网+"战略到…」: the year a thing is counted from dates its start.
_FROM_YEAR = re.compile(r"从\s*(?:19|20)\d\d\s*年")
# Where a sentence's clauses end.
CLAUSES = re.compile(r"[，,；;：:。！？!?]")
_MONEY = re.compile(
    rf"{_NUMBER}\s*(?:万亿|亿|万|千|百)?\s*(?:元|美元|美金|欧元|英镑|日元|港元|人民币)|[$¥￥€£]\s*\d|"
    rf"{_CN_NUMBER}(?:万亿|亿|万)?(?:元|美元)"
)
_SHARE = re.compile(rf"{_NUMBER}\s*%|百分之|{_NUMBER}\s*个百分点|[一二三四五六七八九十]成(?![为功本果立])|过半|半数|[一二三四五六七八九十]分之[一二三四五六七八九十]")
# A time in numbers (15分钟, 半个工作日, 3年); a duration may also be said without one (秒级, 实时).
_TIME_IN_NUMBERS = (
    rf"(?:{_NUMBER}|{_CN_NUMBER})\s*(?:毫秒|秒|分钟|分鐘|小时|个小时|天|日|周|个月|月|个?工作日)(?!份)|"
    rf"(?<!\d)\d{{1,2}}\s*年(?!代|前|底|初|末|度)"
)
_NUMERIC_DURATION = re.compile(_TIME_IN_NUMBERS)
_DURATION = re.compile(_TIME_IN_NUMBERS + "|秒级|分钟级|实时|即时")
_QUANTITY = re.compile(rf"\d|{_CN_NUMBER}{_CLASSIFIER}|翻番|翻一番")
# Units of measure: a number in them is a distance, a weight, a duration or a sum, no count of things.
_MEASURE = r"(?:公里|千米|平方|公顷|吨|千瓦|兆瓦|瓦|小时|分钟|秒|天|元|美元|欧元)"
# A count of things (50余个城市, 1.2亿次, 200余家企业): a number with a measure word or a noun after
# it, not a share (28%), a multiple (3倍), an amount of data (100TB) or a measure (10万公里).
_COUNT = re.compile(
    rf"{_NUMBER}(?!\s*(?:万亿|亿|万|千|百)?\s*(?:余|多)?\s*{_MEASURE})\s*(?:万亿|亿|万|千|百)?\s*(?:余|多)?\s*(?![倍成%])(?!个百分点)[\u4e00-\u9fff]"
    rf"|{_CN_NUMBER}(?:余|多)?{_CLASSIFIER}(?<!倍)"  # 数十个, 两家 (not 数据: a numeral word needs its measure word)
)
_BODY = re.compile(
    r"[\u4e00-\u9fffA-Za-z]{2,}(?:公司|集团|研究院|研究所|研究中心|大学|学院|委员会|管理局|办公室|实验室|银行|协会|联盟|"
    r"交易所|基金会|科技|信息|通信|部|局|厅|署|办|院)|[A-Z][a-zA-Z]+(?:\s[A-Z][a-zA-Z]+)*"
)


# Latin-script words that name no body: units (50PB, 100TB) and common abbreviations (AI, GDP, APP).
_NOT_A_BODY = frozenset("ai app gdp gnp pm it iot kpi sdg sdgs pb tb zb eb gb mb kb gbps mbps pflops tflops flops cpu gpu ict".split())


def _is_body(m: re.Match, sentence: str) -> bool:
    """``m`` (a :data:`_BODY` match in ``sentence``) names a body: not a unit after its figure, nor
    a common abbreviation (「杭州城市大脑…达50PB」 names no one who built it)."""
    word = m.group()
    if not word[0].isascii():
        return True
    return not (m.start() > 0 and sentence[m.start() - 1].isdigit()) and word.lower() not in _NOT_A_BODY


def years(sentence: str) -> set[str]:
    """The four-digit years a sentence names (not a decade: 2020年代 is the 2020s, no year)."""
    return {m.group()[:4] for m in _YEAR.finditer(sentence) if not sentence.startswith("代", m.end())}


# A five-year plan as Chinese writes it: 十一五 … 十六五 (the 11th to the 16th).
PLAN = re.compile(r"十([一二三四五六])五")


def periods(sentence: str) -> set[str]:
    """The years and the five-year plans (十四五) the Simplified ``sentence`` names."""
    return years(sentence) | {m.group() for m in PLAN.finditer(sentence)}


def _dated_clauses(sentence: str) -> list[str]:
    """The sentence's clauses, a clause that only dates (「2024年,」「截至2024年底,」) joined to the next."""
    out: list[str] = []
    lead = ""
    for clause in CLAUSES.split(sentence):
        if _YEAR.search(clause) and len(clause.strip()) <= 10 and not STARTS.search(clause):
            lead += clause + " "
            continue
        out.append(lead + clause)
        lead = ""
    return out + ([lead] if lead else [])


def holds(kind: str, sentence: str, places: frozenset = frozenset(), bodies: frozenset = frozenset()) -> bool:
    """True when the Simplified ``sentence`` states something of ``kind``.

    Kinds: "quantity" (any figure but a bare year), "count" (a number of things), "money", "share", "year", "start" (a year
    and a start it dates), "time", "duration" (a time in numbers: 15分钟, not 秒级),
    "org" (a named body), "place" (a place the corpus writes), "" or "definition"
    (nothing typed is required: always True).
    """
    if kind in ("", "definition", "name"):
        return True
    sentence = _DIGITS_IN_NAMES.sub(" ", sentence)  # PM2.5, L4, 5G name things; they state no figure
    if kind == "year":
        return bool(_YEAR.search(sentence))
    if kind == "start":  # a year, and in its clause a start for it to date (2024年启动, 于2019年上线, 从2015年…)
        return any(_YEAR.search(c) and (STARTS.search(c) or _FROM_YEAR.search(c)) for c in _dated_clauses(sentence))
    if kind == "money":
        return bool(_MONEY.search(sentence))
    if kind == "share":
        return bool(_SHARE.search(sentence))
    if kind == "time":
        return bool(_DURATION.search(sentence))
    if kind == "duration":  # a number of minutes, hours, days (not 秒级 or 实时)
        return bool(_NUMERIC_DURATION.search(sentence))
    if kind in ("org", "person"):
        return any(_is_body(m, sentence) for m in _BODY.finditer(sentence)) or any(b in sentence for b in bodies)
    if kind == "place":
        return any(p in sentence for p in places)
    if kind == "quantity":
        return bool(_QUANTITY.search(_YEAR.sub(" ", sentence)))
    if kind == "count":
        return bool(_COUNT.search(_YEAR.sub(" ", sentence)))
    raise ValueError(f"unknown kind {kind!r}")
