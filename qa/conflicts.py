"""Where the report disagrees with itself: one measure, different figures in different sections.

A *statement* is a figure with its unit in a clause of a sentence ("2024年60岁以上群体智能政务
服务使用率不足25%"), with the words just before the figure as its *measure* (使用率) and the
years its sentence names. Two statements are of the same measure when they end in the same
measure words, name the same years (or none), and their clauses say mostly the same thing
(character trigrams); they *disagree* when, so matched, their numbers differ. "不足25%" and
"25%" agree (the same number); "提升至45%" and "不足25%" do not.

Used twice: an answer does not fold two passages into "also in" when their figures for the
same measure disagree, and says so (``Answer.conflicts``); and ``qa conflicts`` lists every
disagreement in the corpus, for a report's editors.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from qa.script import to_simplified

# A figure: a number, maybe a scale, and a unit (percent, money, people, time, things).
_FIGURE = re.compile(
    r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>%|个百分点|[万亿千百]*(?:元|美元|人|个|项|家|次|条|件|座|台|辆|小时|分钟|天|年|倍|吨|公里|平方公里|PB|TB|ZB|GB)|[万亿]+)"
)
# Words that qualify a level without changing what is measured.
_QUALIFIER = re.compile(r"(?:不足|超过|超|达到|达|约|近|仅|为|提升至|提高到|提高至|增至|降至|下降至|缩短至|已达|高达|突破|逾|以上|左右)+$")
_CLAUSE = re.compile(r"[^,，;；。!！?？]+")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=年)")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Measures must end in this many identical characters to be the same (服务使用率, not 使用率 alone).
MEASURE_CHARS = 4
# Clauses of one measure say mostly the same thing: trigram overlap (Jaccard) at least this.
SAME_CLAUSE = 0.3
MIN_CONTEXT = 1


@dataclass(frozen=True)
class Statement:
    """A figure stated in one sentence of one section."""

    doc: str
    section_id: str
    value: str  # as written, qualifier included: "不足25%"
    number: float
    unit: str
    measure: str  # the words before the figure, Simplified: "智能政务服务使用率"
    years: frozenset
    clause: str  # the clause as written
    context: str = ""  # the clause's words before the measure, Simplified: whose measure it is
    row: int = -1  # the sentence's row in the index, when known

    def same_measure(self, other: Statement) -> bool:
        if self.unit != other.unit or self.years != other.years:
            return False
        n = MEASURE_CHARS
        if len(self.measure) < n or len(other.measure) < n or self.measure[-n:] != other.measure[-n:]:
            return False
        # Whose measure: 60岁以上群体 in both, not 治理 against 处置 (a clause with no subject tells nothing).
        ga, gb = _grams(self.context), _grams(other.context)
        if len(ga) < MIN_CONTEXT or len(gb) < MIN_CONTEXT:
            return False
        return len(ga & gb) / len(ga | gb) >= SAME_CLAUSE

    def disagrees(self, other: Statement) -> bool:
        """Same measure, another section, another number."""
        return (self.doc, self.section_id) != (other.doc, other.section_id) and self.number != other.number and self.same_measure(other)


@dataclass(frozen=True)
class Conflict:
    """One measure the corpus states with different figures; every statement of it, in order."""

    measure: str
    statements: tuple[Statement, ...]

    @property
    def label(self) -> str:
        """What is measured, as the first statement writes it: its clause up to the figure."""
        first = self.statements[0]
        at = first.clause.find(first.value)
        return (first.clause[:at] if at > 0 else first.clause).strip(" ,，:：-")

    @property
    def years(self) -> tuple[str, ...]:
        return tuple(sorted(self.statements[0].years))

    def to_dict(self) -> dict:
        return {
            "measure": self.label,
            "years": list(self.years),
            "statements": [{"doc": s.doc, "section": s.section_id, "value": s.value, "clause": s.clause} for s in self.statements],
        }

    @property
    def values(self) -> tuple[tuple[str, str], ...]:
        """(section id, value) pairs, one per section."""
        seen, out = set(), []
        for s in self.statements:
            if s.section_id not in seen:
                seen.add(s.section_id)
                out.append((s.section_id, s.value))
        return tuple(out)


def statements(sentence: str, doc: str = "", section_id: str = "", row: int = -1) -> list[Statement]:
    """The figures of ``sentence`` with their measures (years are not figures)."""
    plain = to_simplified(sentence)
    out = []
    for clause in _CLAUSE.finditer(plain):
        text = clause.group()
        # The clause's year, else the last one the sentence named before it ("2024年,全国…提升至45%").
        named = _YEAR.findall(text) or _YEAR.findall(plain[: clause.start()])[-1:]
        years = frozenset(named)
        for m in _FIGURE.finditer(text):
            if m.group("unit") == "年":
                continue
            before = text[: m.start()]
            qualifier = _QUALIFIER.search(before)
            head = before[: qualifier.start()] if qualifier else before
            measure = "".join(_HAN.findall(head))[-10:]
            value = (qualifier.group() if qualifier else "") + m.group().replace(" ", "")
            # the value as the sentence writes it (Traditional stays Traditional)
            start = clause.start() + (qualifier.start() if qualifier else m.start())
            written = sentence[start : clause.start() + m.end()].strip() or value
            # What the clause says besides the measure and the figure: whose measure it is.
            context = "".join(_HAN.findall(head))[: -MEASURE_CHARS] if len(measure) >= MEASURE_CHARS else ""
            out.append(Statement(doc, section_id, written, float(m.group("number")), m.group("unit"), measure, years,
                                 sentence[clause.start() : clause.end()].strip(), context, row))
    return out


def find(sentences: Iterable[tuple]) -> list[Conflict]:
    """Every measure a document states with different figures in different sections.

    ``sentences``: (doc, section id, sentence) or (doc, section id, sentence, row), in document order.
    """
    all_statements = [s for doc, sid, text, *row in sentences for s in statements(text, doc, sid, row[0] if row else -1)]
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, s in enumerate(all_statements):
        if len(s.measure) >= MEASURE_CHARS:  # a report disagrees with itself, not with another report
            groups[(s.doc, s.unit, s.measure[-MEASURE_CHARS:], s.years)].append(i)
    parent = list(range(len(all_statements)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for members in groups.values():
        for a_i, a in enumerate(members):
            for b in members[a_i + 1 :]:
                if all_statements[a].same_measure(all_statements[b]):
                    parent[root(a)] = root(b)
    clusters: dict[int, list[Statement]] = defaultdict(list)
    for i, s in enumerate(all_statements):
        clusters[root(i)].append(s)
    out = []
    for members in clusters.values():
        if len({s.number for s in members}) > 1 and any(a.disagrees(b) for a in members for b in members):
            out.append(Conflict(members[0].measure, tuple(members)))
    return out


def _grams(text: str) -> set[str]:
    t = "".join(_HAN.findall(to_simplified(text)))
    return {t[i : i + 3] for i in range(len(t) - 2)}


def disagree(a: str, b: str) -> bool:
    """Two sentences state different figures for one measure (whatever their sections)."""
    return any(x.number != y.number and x.same_measure(y) for x in statements(a) for y in statements(b))


def touching(conflicts: Iterable[Conflict], doc: str, section_id: str, sentence: str) -> Conflict | None:
    """The conflict that a sentence of a section takes part in, if any."""
    mine = statements(sentence, doc, section_id)
    for c in conflicts:
        for s in c.statements:
            if (s.doc, s.section_id) == (doc, section_id) and any(
                m.number == s.number and m.unit == s.unit and m.measure == s.measure for m in mine
            ):
                return c
    return None


_QUALIFIERS_EN = (("不足", "under "), ("超过", "over "), ("超", "over "), ("提升至", "rose to "), ("提高到", "rose to "),
                  ("达到", ""), ("达", ""), ("约", "about "), ("近", "nearly "), ("仅", "only "), ("为", ""), ("降至", "down to "))


def english_value(value: str) -> str:
    """「不足25%」 → "under 25%": a figure's qualifier in English (the figure itself stays as written)."""
    plain = to_simplified(value)
    for zh, en in _QUALIFIERS_EN:
        if plain.startswith(zh):
            return en + plain[len(zh):].replace("个百分点", " percentage points")
    return plain.replace("个百分点", " percentage points")
