"""The answer's status and its reason: does the report answer what was asked?

Three outcomes past the question check:

- ``not_covered``: the question names a place, person or body the report never mentions,
  or the "covered" model (retrieval evidence of the top hit) says the report does not
  discuss the subject;
- ``not_stated``: the subject is there, but the "stated" model says no sentence of the
  topic's sections states what was asked: a span of the asked type (a quantity, an
  amount of money, a share, a year, a duration, a body, a place; :mod:`qa.spans`) in a
  sentence that also holds the question's keywords, names the asked attribute (注册用户
  in 「京通有多少注册用户？」, "staff" in "how many staff …": a figure of something else
  beside the subject is a near miss), best in the same clause, and agrees with the year
  and the place the question names (a figure the question itself quotes is no answer);
- ``answered``: otherwise.

Both models are logistic regressions fitted on the dev split by ``qa calibrate``
(:mod:`qa.calibration`); no threshold here is set by hand. The reason of a
``not_stated`` answer names the topic found (the top section) and what is missing (the
asked attribute where the topic never names it), and says when the report gives the
figure for another year or another place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from qa.analysis import Query
from qa.calibration import Calibration, features, stated_features
from qa.clean import UNREADABLE
from qa.compose import Keywords, counts, counts_by
from qa.evidence import Ranking
from qa.messages import name_list, say
from qa.script import to_script, to_simplified, to_traditional
from qa.spans import CLAUSES, holds, periods, years
from qa.translate import stem
from qa.types import Status

# Sections whose sentences may state the answer: the top few of the ranking.
TOPIC_SECTIONS = 3


@dataclass(frozen=True)
class Decision:
    status: Status
    reason: str
    confidence: float


@dataclass(frozen=True)
class Statement:
    """How well the topic's sentences state what was asked (inputs of the "stated" model).

    Attributes:
        typed_share: the best keyword share among sentences that hold a span of the
            asked type and agree with the question's year and place.
        any_share: the best keyword share among all the topic's sentences.
        bound_share: the best keyword share among the typed sentences that also name the
            asked attribute (:attr:`qa.analysis.Query.attribute`); ``typed_share`` when the
            question names none.
        year_conflict: the question names a year; the sentences on its subject give others only.
        place_conflict: the question names a place; the sentences on its subject name others only.
        other: (section id, sentence row, the other year or place) behind a conflict.
        missing: what the topic does not name: the asked attribute where ``unbound``, else
            the question's most telling keyword that no topic sentence holds.
        unbound: the question asks for a typed span of an attribute, and no sentence of the
            topic states a span of that type together with the attribute.
        typed_dense, bound_dense: the best cosine between the question and a typed sentence,
            and a typed sentence naming the attribute.
        clause_share: the best keyword share among typed sentences with one clause holding
            both the span and the attribute (:func:`_clause_bound`).
        counted: a typed sentence counts what a "how many X" question counts (「2000余名外籍人士」
            for "how many foreign nationals"; :attr:`qa.analysis.Query.counted`).
    """

    typed_share: float
    any_share: float
    bound_share: float
    year_conflict: bool
    place_conflict: bool
    other: tuple[str, int, str] | None = None
    missing: str = ""
    unbound: bool = False
    typed_dense: float = 0.0
    bound_dense: float = 0.0
    clause_share: float = 0.0
    counted: bool = False


def evidence_features(q: Query, ranking: Ranking, keywords: Keywords) -> np.ndarray:
    """The "covered" features of the top hit (see :data:`qa.calibration.FEATURES`)."""
    top = ranking.top
    return features(
        dense=float(ranking.channels[0, top]),
        sentence=float(ranking.channels[1, top]),
        coverage=keywords.coverage(q, top),
        sentence_coverage=keywords.sentence_coverage(q, top),
        margin=float(ranking.fused[top]),
        unknown=q.unknown,
    )


# "Only for another place" needs the best sentence on the asked place to share fewer than this part
# of the question's words that the one on the other place shares (「成都已实现暴雨预警提前48小时」
# beside Shanghai's longer sentence on the same warnings). Dev: 0.6 to 0.4 answer one English
# question more than 1.0 (never a near miss more or less); 0.3 one more again.
OTHER_PLACE_SHARE = 0.5


def statement(q: Query, ranking: Ranking, keywords: Keywords, chunks_of: dict) -> Statement:
    """Look through the sentences of the top sections for one that states what ``q`` asks."""
    index = keywords.index
    typed_share = any_share = bound_share = typed_dense = bound_dense = clause_share = place_share = 0.0
    counted = False
    best_any: tuple[float, int, str] | None = None
    present: set[str] = set()
    given = quoted_figures(q)
    # 「几分钟能赶到」 asks a number of minutes: 「秒级响应」 or a time cut by half does not give it.
    kind = "duration" if q.asked == "time" and _IN_UNITS.search(to_simplified(q.text)) else q.asked
    for cid in ranking.best[:TOPIC_SECTIONS]:
        c = index.chunks[cid]
        context = keywords.section_context(cid)
        context_periods = periods(context) if q.years else set()  # read once per section, not per sentence
        titles = keywords.section_titles(cid)
        for chunk in chunks_of[(c.doc, c.section_id)]:
            for row in keywords.sentences_of.get(chunk, []):
                tokens = keywords.sentence_tokens(row)
                present |= tokens
                share = keywords.share(q, tokens)
                if q.english_tokens:  # an English question reads the English edition too
                    share = max(share, keywords.english_share(q, row))
                text = keywords.simplified(row)
                any_share = max(any_share, share)
                if best_any is None or share > best_any[0]:
                    best_any = (share, row, c.section_id)
                if q.places and any(_names_place(p, text) for p in q.places):
                    place_share = max(place_share, share)
                spans = _without(given, text) if given else text
                if q.asked in _WHO_WHERE:
                    spans = _without_own_names(q, spans, index)
                if not holds(kind, spans, index.places, index.bodies):
                    continue
                if not _figure_place_ok(q, spans, index):
                    continue  # 「北美和欧洲…,2024年北美智能经济份额达40%」: North America's share, not Europe's
                if not (_year_ok(q, text, context_periods) and (
                    _place_ok(q, text, context, index.places, index.tokenizer.words)
                    or _clause_place_ok(q, spans, context, index)
                )):
                    continue
                counted = counted or bool(q.counted) and (counts(spans, q.counted) or counts_by(spans, q.unit))
                if q.attribute and _clause_bound(q, spans, index):
                    clause_share = max(clause_share, share)
                typed_share = max(typed_share, share)
                dense = float(index.sentence_vectors[row] @ q.vector)
                typed_dense = max(typed_dense, dense)
                # The section's title may name what its sentences give (a section on 交易额).
                if _names_attribute(q, row, text + " " + titles, keywords) and _shares_more(q, tokens, row, keywords):
                    bound_share = max(bound_share, share)
                    bound_dense = max(bound_dense, dense)
    year_conflict = place_conflict = False
    other = None
    if best_any is not None and (q.years or q.places):
        best_share, row, sid = best_any
        text = keywords.simplified(row)
        given = years(text) - set(q.years)
        if any(y.isdigit() for y in q.years) and not set(q.years) & periods(text) and given:
            year_conflict, other = True, (sid, row, min(given))
        elsewhere = [p for p in index.places if p in text and p not in q.places and not any(p in x or x in p for x in q.places)]
        if q.places and not any(_names_place(p, text) for p in q.places) and elsewhere and place_share < OTHER_PLACE_SHARE * best_share:
            place_conflict, other = True, (sid, row, elsewhere[0])
    missing = max(
        (t for t in q.tokens if t not in present and len(t) > 1 and not t.isdigit()),
        key=lambda t: keywords.weight(t, q.tokens[t]),
        default="",
    )
    unbound = q.typed and bool(q.attribute or q.attribute_en) and bound_share == 0.0
    if unbound:
        # What the question asks for is what the topic never names (a "who" question's attribute
        # is its verb, which names no figure: the generic reason says it better).
        missing = "" if q.asked in ("org", "person") else q.attribute_en or "".join(q.attribute)
    if not (q.attribute or q.attribute_en):  # nothing to bind: the typed sentence is the bound one
        bound_share, bound_dense = typed_share, typed_dense
    if not q.attribute:  # no Chinese word to find in a clause ("employees", which the report never renders)
        clause_share = bound_share
    return Statement(
        typed_share, any_share, bound_share, year_conflict, place_conflict, other, missing, unbound, typed_dense, bound_dense,
        clause_share, counted,
    )


# An English count of "people" (its stems) and a number of people in the Chinese sentence (45万人;
# not 人民, 人工, 人才, 人口 or 人均, words that begin with 人).
_PEOPLE = frozenset({"peopl", "people", "person"})
_PERSONS = re.compile(r"\d+(?:\.\d+)?\s*[万亿]?\s*(?:余|多)?\s*人(?!民|工|才|口|均)")


def _names_attribute(q: Query, row: int, sentence: str, keywords: Keywords) -> bool:
    """Does the sentence name what ``q`` asks for? Every attribute word in the (Simplified)
    sentence (:func:`_holds_word`); for an English question, the asked noun in the
    sentence's English edition or one of its Chinese renderings in the Chinese sentence."""
    sentence = sentence.lower()
    if q.attribute_en:
        asked = stem(q.attribute_en.lower())
        english = (keywords.english_stems(row) if q.english_tokens else None) or ()  # no edition read: none
        # "efficient" is named by "efficiency": the same first six letters will do.
        if any(w == asked or (len(w) >= 6 and len(asked) >= 6 and w[:6] == asked[:6]) for w in english):
            return True
        # "How many people …" is named by a number of people (45万人), whatever the edition calls them.
        if asked in _PEOPLE and _PERSONS.search(sentence):
            return True
        return any(t in sentence for t in q.attribute)
    if counts_by(sentence, q.unit):  # 「89所」 answers 「几所大学」 where the report says 高校
        return True
    return bool(q.attribute) and all(_holds_word(word, sentence) for word in q.attribute)


def _shares_more(q: Query, tokens: frozenset, row: int, keywords: Keywords) -> bool:
    """Does the sentence share a word of the question besides the asked attribute's? One that
    shares nothing else names the attribute by chance (「…智能经济发展水平…」 for "Who
    developed Singapore's LifeSG platform?", in a section on method)."""
    attribute = set(q.attribute)
    if any(t in tokens for t in q.tokens if t not in attribute):
        return True
    english = keywords.english_stems(row) if q.english_tokens else None
    asked = stem(q.attribute_en.lower()) if q.attribute_en else ""
    return bool(english) and any(t in english for t in q.english_tokens if t != asked)


def _holds_word(word: str, sentence: str) -> bool:
    """The word, or for a longer word its first or last two characters (投资总额 by 投资); where
    the sentence lost a character to mojibake (〓), the word with that one character lost (「〓模」
    for 规模)."""
    if word in sentence or len(word) > 2 and (word[:2] in sentence or word[-2:] in sentence):
        return True
    return UNREADABLE in sentence and len(word) > 1 and any(
        word[:i] + UNREADABLE + word[i + 1:] in sentence for i in range(len(word))
    )


def _year_ok(q: Query, sentence: str, context_periods: set[str]) -> bool:
    if not q.years:
        return True
    own = periods(sentence)
    if set(q.years) & own:
        return True
    # A sentence without a year of its own may take it from its section.
    return not own and bool(set(q.years) & context_periods)


# A Chinese report's "nationwide" is China's: 全国 and 我国 state China's figure.
_NATIONAL = ("全国", "我国", "国内")


def _names_place(place: str, text: str) -> bool:
    return place in text or place == "中国" and any(n in text for n in _NATIONAL)


def _place_ok(q: Query, sentence: str, context: str, places=(), words=None) -> bool:
    """The sentence agrees with the place ``q`` names: it names it, or it names no other of
    ``places`` (the corpus's) and its section does (「该市」 in a section on 杭州); a sentence
    on 成都 in a section that also speaks of 深圳 states no figure of 深圳's. ``words`` cuts the
    sentence into words, so that 中国 in 发展中国家 or 大城 in 超大城市 names no other place."""
    if not q.places:
        return True
    if any(_names_place(p, sentence) for p in q.places):
        return True
    named = set(words(sentence)) & set(places) if words is not None else {p for p in places if p in sentence}
    if any(not any(p in x or x in p for x in q.places) for p in named):
        return False
    if "中国" not in q.places and _national_subject(sentence):
        return False  # 「2024年,全国300余个城市部署了…」 gives the nation's figure, no one city's
    return any(p in context for p in q.places)


_NATIONAL_OPENING = re.compile(r"^[\s\-—·]*(?:在|截至)?(?:全国|我国|国内|中国)")


def _national_subject(sentence: str) -> bool:
    """The sentence is about the whole nation: its opening clause (after a date, or a short lead-in
    such as 「环境监测方面」) begins with 全国 / 我国."""
    clauses = [c for c in CLAUSES.split(sentence) if c.strip() and not re.fullmatch(r"[\s\-]*(?:截至)?\s*(?:19|20)\d\d\s*年[底末初]?(?:以来)?\s*", c)]
    for clause in clauses[:2]:
        if _NATIONAL_OPENING.match(clause):
            return True
        if re.search(r"\d", clause):
            return False
    return False


# A figure with its unit (337个, 10Gbps, 28%): a bare number the question quotes (5G) blanks nothing.
_GIVEN = re.compile(r"\d+(?:[.,]\d+)*\s*(?:[%％]|[A-Za-z]+|[万萬亿億千百]*[\u4e00-\u9fff])")


def quoted_figures(q: Query) -> tuple[str, ...]:
    """The figures the question itself gives (not years), longest first: 「全国337个地级市建了多少个
    微站？」 is not answered by the 337 it quotes."""
    given = {m for m in _GIVEN.findall(to_simplified(q.text)) if not re.match(r"(?:19|20)\d\d\s*年", m) and not re.fullmatch(r"\d+[A-Za-z]", m)}
    return tuple(sorted(given, key=len, reverse=True))


def _without(given: tuple[str, ...], sentence: str) -> str:
    """The sentence with the figures ``given`` (each with its unit) blanked out: 「提升10倍」 stays
    when the question quotes 10Gbps."""
    for g in given:
        sentence = re.sub(rf"(?<![\d.,]){re.escape(g)}", " ", sentence)
    return sentence


_WHO_WHERE = ("org", "person", "place")
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]+")


def _without_own_names(q: Query, sentence: str, index) -> str:
    """The sentence without the places, bodies and Latin-script names the question names itself:
    "Who developed Singapore's LifeSG platform?" is not answered by the LifeSG it asks about."""
    plain = q.text.lower()
    own = [p for p in q.places if p in sentence]
    own += [t for t in q.tokens if t in index.bodies and t in sentence]
    own += [m for m in _LATIN_NAME.findall(sentence) if m.lower() in plain and m[0].isupper()]
    for name in sorted(set(own), key=len, reverse=True):
        sentence = sentence.replace(name, " ")
    return sentence


_IN_UNITS = re.compile(r"(?:几|多少)个?(?:毫秒|秒|秒钟|分钟|小时|天|周|个月|工作日)|\bhow many (?:seconds|minutes|hours|days|weeks|months|working days)\b",
                       re.IGNORECASE)


def _figure_place_ok(q: Query, sentence: str, index) -> bool:
    """A clause that holds a span of the asked type names the question's place, or no other place:
    a figure in a clause on another place is that place's, though the sentence names both."""
    typed = [c for c in CLAUSES.split(sentence) if holds(q.asked, c, index.places, index.bodies)] if q.places else []
    if not typed or q.asked == "place":  # the span's clauses cannot be told (or the place is what is asked)
        return True
    for clause in typed:
        if any(_names_place(p, clause) for p in q.places):
            return True
        named = set(index.tokenizer.words(clause)) & set(index.places)
        if not any(not any(p in x or x in p for x in q.places) for p in named):
            return True
    return False


def _clause_place_ok(q: Query, sentence: str, context: str, index) -> bool:
    """For a question on China as a whole: a clause of the sentence that holds a span of the asked
    type agrees with it (:func:`_place_ok`), where the sentence's cities are in other clauses
    (「地方层面,28个省份出台…,深圳、上海等城市设立…」 for "how many provinces in China")."""
    return q.places == ("中国",) and any(
        holds(q.asked, c, index.places, index.bodies) and _place_ok(q, c, context, index.places, index.tokenizer.words)
        for c in CLAUSES.split(sentence)
    )


def _clause_bound(q: Query, sentence: str, index) -> bool:
    """One clause of the sentence holds both a span of the asked type and the asked attribute
    (「市民实名用户突破5000万」)."""
    return any(holds(q.asked, c, index.places, index.bodies) and any(_holds_word(a, c) for a in q.attribute)
               for c in CLAUSES.split(sentence))


def decide(q: Query, ranking: Ranking, keywords: Keywords, calibration: Calibration, chunks_of: dict, section_title: str) -> Decision:
    """The status of the answer to ``q``, with a reason in the asker's language.

    ``section_title``: the top section's title as the asker reads it, for the reason.
    """
    covered = calibration.probability(evidence_features(q, ranking, keywords), ranking.group)
    if q.foreign:
        return Decision(Status.NOT_COVERED, not_mentioned(q.language, q.foreign), round(covered, 4))
    if q.procedure:
        return Decision(Status.NOT_COVERED, say("procedure", q.language), round(covered, 4))
    if covered < calibration.threshold(ranking.group):
        return Decision(Status.NOT_COVERED, say("not_answered", q.language), round(covered, 4))
    st = statement(q, ranking, keywords, chunks_of)
    stated = calibration.stated_probability(stated_features(st, q), q.group)
    confidence = round(covered * stated, 4)
    conflict = st.year_conflict or st.place_conflict
    # "Not stated" is about a span of the asked type (a figure, a year, a body, a place): a question
    # that asks for none (why, how, what does X do) is answered by the passage that covers it.
    if not conflict and (stated >= calibration.stated_threshold(q.group) or not q.typed):
        return Decision(Status.ANSWERED, "", confidence)
    top = keywords.index.chunks[ranking.top]
    return Decision(Status.NOT_STATED, not_stated_reason(q, st, top.section_id, section_title, keywords), confidence)


def not_stated_reason(q: Query, st: Statement, section_id: str, title: str, keywords: Keywords) -> str:
    """"The report covers <topic> (§id) but gives no <asked> for <missing>", and, where it
    gives the figure for another year or place, which and where (the sentence in English for
    an English asker where the document has an English edition)."""
    language = q.language
    script = language if language != "en" else "zh-Hant"
    if st.other is not None:
        sid, row, value = st.other
        sentence = keywords.sentence_text(row)
        if language == "en" and keywords.index.english and keywords.index.english[row]:
            sentence = keywords.index.english[row]
        asked = (next(y for y in q.years if y.isdigit()) if st.year_conflict else q.places[0]) if (q.years or q.places) else ""
        key = "only_other_year" if st.year_conflict else "only_other_place"
        if language == "en":
            value_shown, asked_shown = value, asked
        else:
            value_shown, asked_shown = to_script(value, script), to_script(asked, script)
        return say(key, language, value=value_shown, asked=asked_shown, section=sid,
                   sentence=to_script(sentence, script) if language != "en" else sentence)
    what = say("asked_" + (q.asked or "answer"), language)
    missing = st.missing
    if missing and language == "en":
        # The asked attribute is the asker's own English word; another missing keyword is
        # named by the English it was translated from.
        missing = missing if st.unbound else next((en for zh, en in q.pairs if zh == missing), "")
    elif missing:
        missing = to_script(missing, script)
    key = "not_stated_for" if missing else "not_stated"
    return say(key, language, topic=title, section=section_id, what=what, missing=missing)


def not_mentioned(language: str, foreign: tuple[str, ...]) -> str:
    """"The report does not mention X", the names de-duplicated and in the asker's script."""
    names = name_list(foreign)
    if language == "en":
        names = names.title()
    elif language == "zh-Hant":
        names = to_traditional(names)
    return say("not_mentioned", language, names=names)
