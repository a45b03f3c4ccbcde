"""Follow-up questions read against the conversation: 「那上海呢？」, "what about its accuracy?".

No language model runs here, so a follow-up is resolved by its form, with the report's own
names as the vocabulary of subjects:

- a question's **terms** are the places, bodies and specific names it uses (the report's
  glossary terms and short titles that few sections mention; 城市大脑, 秒批, Smart Rongcheng),
  names the report never writes (南京, Chongqing), and years;
- a question **leans on the context** when it has a pronoun or demonstrative (它, 其, 该系统,
  这个平台, it, its, they, this platform), is elliptical (「那X呢？」, "what about X?", "and in
  2025?"), or names no subject at all (「覆盖了多少高频事项？」);
- it is then **resolved** against the most recent earlier question (itself resolved) that
  had a subject: the pronoun is replaced by that subject, a bare question gets it in front,
  and an ellipsis repeats the earlier question with the newly named place, year or thing in
  place of the old one. Across languages, terms are carried over through the glossary
  (上海 ↔ Shanghai).

A question that names its own subject or place and leans on nothing is searched as it is, with
nothing of the conversation: a new topic is never mixed with the old one. A question that names
nothing of its own but is not rewritten either (「居民线上投票平台有多少人参与？」) gets the last
question's other words as background at a low weight; they never choose the answering sentence.
:class:`FollowUps` is read-only and thread-safe.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.lexical import STOPWORDS
from qa.script import detect_language, to_script, to_simplified
from qa.translate import EN_STOPWORDS, english_words

# Only this many earlier questions are read: a conversation's subject is recent.
MAX_CONTEXT = 6
# A glossary term or title names a subject (not a theme) when at most this many sections use it:
# 秒批 (5), 城市大脑 (9) name things; 数据共享 (15), 算法 (19), 城市治理 (45) are themes.
SPECIFIC_SECTIONS = 9
_SUBJECT_CHARS = 60
# Where a Chinese question's predicate starts, after its subject: a modal, copula, time word or result verb.
_PREDICATE_ZH = re.compile(
    r"能|可以|可|会|将|已经|已|让|使|把|被|对|为|是|有|达到|达|实现|提升|提高|降低|减少|增加|增长|缩短|覆盖|处理|接入|融合"
    r"|识别|带动|培育|建成|建设|推出|开放|节省|拦截|挽回|一共|共|累计|每天|每年|每月|一年|全年|今年|去年|明年|同年|当年|年均"
    r"|平均|目前|如今|现在|在|从|通过"
    r"|多少|几|什么|哪|如何|怎么|怎样|为什么|是否|吗"
)
_ASK_ZH = re.compile(r"多少|几|什么|哪|如何|怎么|怎样|为什么|是否|多大|多久|多高|多长|多快|吗")
_TAIL_CHARS = 10
# Where a figure holds, said without a place's name: 「全球呢？」 after a question on 我国 asks the same of
# the world. (Chinese questions only: in an English one, "global" and "international" mostly qualify a thing.)
_SCOPES = {"全球": "global", "全世界": "worldwide", "世界": "world", "国际": "international", "全国": "nationwide",
           "我国": "China", "国内": "China", "海外": "overseas"}  # with the English a subject is carried in
_CLOSES = {"」": "「", "』": "『", "”": "“", "》": "《", "）": "（", ")": "("}  # a closing mark -> its opening one
_MARK_ZH = re.compile(r"[「」『』“”\"《》，,。；;：:？?！!、（）()]")
# Words that open a clause after a subject (上海“一网统管”把…, 该系统让…).
_CLAUSE_ZH = frozenset("把 被 让 使 将 给".split())
_PAIRS = ("“”", "「」", "『』", "《》", "（）", "()")


def _balanced(phrase: str) -> str:
    """``phrase`` without the quote marks or brackets of a pair it does not hold whole
    (杭州“城市大脑 → 杭州城市大脑)."""
    for opening, closing in _PAIRS:
        if phrase.count(opening) != phrase.count(closing):
            phrase = phrase.replace(opening, "").replace(closing, "")
    if phrase.count('"') % 2:
        phrase = phrase.replace('"', "")
    return phrase


_PLURAL = re.compile(r"它们|他们|她们|这些|那些|they|them|their|these|those", re.IGNORECASE)
# What may stand between two names of one English subject: "Chengdu's Smart Rongcheng", "City Brain of Hangzhou".
_VERBS_EN = frozenset(
    "is are was were be been do does did has have had can could will would reduce reduced cut cuts raise raised increase "
    "increased improve improved lower lowered reach reached achieve achieved save saved cover covered handle handled "
    "process processed use used build built connect connected integrate integrated open opened launch launched make made "
    "take took bring brought drive drove boost boosted shorten shortened grow grew help helped".split()
)
_NAME_GAP_EN = re.compile(r"(?:'s|s'|\s|,|of|the|and|in|[A-Z][\w-]*)*")
# A question with no subject and at most this many content words leans on the conversation.
# (Chinese, English): a subject-less English follow-up nearly always has a pronoun or an "and"
# as well, so one of four or more content words stands alone more often than not.
BARE_WORDS = (4, 3)
# A question that opens with a lead word (那, and) and has at least this many content words (Chinese: of
# two characters or more) says what it is about (「那平台化架构能让重复建设成本降低多少？」). (Chinese, English)
LONG_WORDS = (6, 6)
_HAN = re.compile(r"[\u3400-\u9fff]")
_QUESTION_ZH = frozenset("多少 几 什么 哪 哪些 哪个 如何 怎么 怎样 为什么 是否 吗 呢 多大 多久 多高 多长 多快 几成 几倍 几个 有 是 能 要 了 的".split())
# A number and its measure word (一张, 几个) or an adverb of degree says nothing of what is asked about.
_MEASURE = re.compile(r"^(?:[一二两三四五六七八九十几多每]+[个张项条份种类家座套批件位名次年]?|还要|还会|还能|还有|都|也)$")
_QUESTION_EN = frozenset("what which who whom how many much when where why does do did is are was were has have had can could will would".split())

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)(?:\s*年)?")  # the space after an English year is not its own
_PRONOUN_ZH = re.compile(
    r"(?!(?:该|这[个项一份]|那[个项份]|本)(?:报告|研究|文件))"  # the report itself is not the conversation's subject
    r"(?:它们|它|他们|她们|(?<![尤极与])其(?![他它中余实次])|(?<!应)该(?=[\u4e00-\u9fff])"
    r"|这[个项一些种套家座]|那[个项些种套家座]|上述|此[项举])"
)
_PRONOUN_EN = re.compile(
    r"\b(?:(its|their)|(it|they|them|(?:this|that)(?=\s*[?.!,;]|\s*$))|(?:this|that|these|those)\s+(?!is\b|was\b|are\b|were\b|year\b|the\b|a\b|kinds?\b|types?\b|sorts?\b|report|research|study|document|paper"
    r"|can\b|could\b|will\b|would\b|should\b|may\b|might\b|must\b|do\b|does\b|did\b|has\b|have\b|had\b|be\b|been\b)([a-z]+)"
    r"|the\s+(system|platform|programme|program|project|city|model|scheme|plan|initiative|app|company|government|hub|network)(?!\s+of\b))\b",
    re.IGNORECASE,
)
_ELLIPSIS_ZH = re.compile(r"^(?:那么|那麼|那|还有|還有|换成|換成)?\s*(.{1,16}?)(?:的情况|的情況|的)?\s*呢$")
_ELLIPSIS_EN = re.compile(
    r"^(?:and|so|ok|okay|but)?[,\s]*(?:what|how)\s+about\s+(.{1,60}?)$"
    r"|^and\s+(?:what about\s+)?((?:in|for|at)\s+.{1,40}?|\S+(?:\s+\S+){0,3}?)$",
    re.IGNORECASE,
)
# A question that opens like this goes on from the last one: "And …", "What about …", 「那…」「还有…」.
# "The same question, about X": another subject, place or year for the last question.
_SAME_ZH = re.compile(r"^(?:同样|同樣|一样|一樣|相同|同一个|同一個)的?(?:问题|問題)[，,:：\s]*(?:换成|換成|改成|问|問|看看|那)?\s*")
_SAME_EN = re.compile(r"^(?:(?:the\s+)?same\s+(?:question|thing|for)|ditto)\b[,:\s]*(?:but\s+)?(?:for|about|with|in)?\s*", re.IGNORECASE)
_LEAD_EN = re.compile(r"^(?:and|also|so|then|plus|what about|how about)\b", re.IGNORECASE)
_LEAD_ZH = re.compile(r"^(?:那|那么|那麼|还有|還有|另外|此外|那个|那個|再问|再問|这样|這樣|这么|這麼|如此)")
_POINTING = re.compile(r"^(?:这样|这么|如此)")
# A question that opens like this turns to another topic: 「另外，…」「顺便问一下…」 "Separately, …".
_ASIDE_ZH = re.compile(r"^(?:另外|此外|顺便|换个问题|换个话题|再问个别的)(?:想|再)?(?:问|了解|请教)?(?:一下|下)?[，,:：\s]*")
_ASIDE_EN = re.compile(
    r"^(?:separately|on (?:a|another) (?:different|separate|unrelated)? ?(?:note|topic)|(?:a |one )?(?:different|another|new|separate|unrelated) (?:question|topic)"
    r"|switching (?:topics|gears|subjects)|changing (?:the )?(?:subject|topic)|unrelated(?: question)?)\b[,:;\s]*",
    re.IGNORECASE,
)
_LEAD_WORD = re.compile(
    r"^(?:(?:and|also|so|then|plus)\b[,\s]*|(?:那么|那麼|那|还有|還有|另外|此外|这样|這樣|这么|這麼|如此)[,，\s]*)", re.IGNORECASE
)
_FILLER = re.compile(r"\b(?:the|in|for|at|of|on|city|year|and|what|about|how)\b|[\s的市年呢那么麼,，?？'’s]")
# A question about the document itself: its scope, method, chapters.
_ABOUT_REPORT = re.compile(r"报告|本研究|该研究|这项研究|\b(?:this|the)\s+(?:research\s+)?(?:report|study|paper|document)\b", re.IGNORECASE)
_END = re.compile(r"[\s?？!！。.,，、~～]+$")
# Words that finish a subject's name: 深圳的秒批 + 系统, Smart Rongcheng + platform.
_HEADS_ZH = ("系统", "平台", "模式", "项目", "计划", "工程", "中心", "网络", "体系", "机制", "新区", "集团", "系統", "平臺", "項目", "計劃", "網絡", "體系", "機制", "集團")
_HEADS_EN = ("system", "platform", "programme", "program", "project", "model", "plan", "initiative", "app", "hub", "network",
             "centre", "center", "district", "scheme", "portal", "service")


@dataclass(frozen=True)
class Term:
    """A subject-like word of a question: ``zh`` in Simplified Chinese (the report's word
    for it), ``surface`` as the question writes it, at ``start`` … ``end`` of the question."""

    zh: str
    surface: str
    kind: str  # "place", "name" or "year"
    start: int
    end: int


@dataclass(frozen=True)
class Reading:
    """What a question is about, as far as follow-ups need to know."""

    text: str
    language: str
    terms: tuple[Term, ...]

    @property
    def subjects(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.kind != "year")


@dataclass(frozen=True)
class Resolution:
    """A question as it is searched: ``text`` (the question itself when it is not a follow-up)
    and ``background``: the conversation's last question, whose other words may help a little
    (historical query expansion) but never choose the sentence; "" for a question that names
    its own subject, which is read with nothing of the conversation."""

    text: str
    background: str = ""


class FollowUps:
    """Resolves a question against the earlier questions of its conversation.

    Args:
        tokenizer: the index's :class:`qa.lexical.Tokenizer` (its dictionary holds the
            report's names, so 城市大脑 stays one word).
        translator: the index's English → Chinese :class:`qa.translate.Translator`.
        places, bodies: names of places and organisations the report writes (Simplified).
        names: the report's specific names (Simplified): glossary terms and titles few sections use.
        foreign: names the report never writes (南京); a follow-up may still ask about one.
        english: Simplified term → English, from the glossary (for carrying a subject across languages).
    """

    def __init__(self, tokenizer, translator, places, bodies, names, foreign, english: dict[str, str]) -> None:
        self.tokenizer = tokenizer
        self.translator = translator
        self.places = frozenset(places)
        self.bodies = frozenset(bodies)
        self.names = frozenset(names)
        self.foreign = frozenset(foreign)
        self.english = english
        self._latin = {n.lower() for n in names if n.isascii()}

    @classmethod
    def of(cls, index, corpus, translator) -> FollowUps:
        """Built from a loaded index, its corpus and the index's translator."""
        section_texts = [to_simplified(f"{s.title}\n{s.text}") for d in corpus.documents for s in d.sections]
        names = set()
        for word in index.tokenizer.user_words:
            w = to_simplified(word.strip()).lower() if word.isascii() else to_simplified(word.strip())
            if len(w) < 2 or w in index.places:
                continue
            used = sum(1 for text in section_texts if w in text)
            if 0 < used <= SPECIFIC_SECTIONS:
                names.add(w)
        english: dict[str, str] = {}
        for en, zh in corpus.glossary:
            english.setdefault(to_simplified(zh), en)
        for scope, en in _SCOPES.items():
            english.setdefault(scope, en)
        for place in index.places:  # a place the glossary does not list (中国): the dictionary's English
            if place in index.gloss:
                english.setdefault(place, index.gloss[place])
        return cls(index.tokenizer, translator, index.places, index.bodies, names, index.foreign_names, english)

    # -- reading one question -------------------------------------------------------------

    def read(self, text: str) -> Reading:
        language = detect_language(text)
        terms = self._terms_en(text) if language == "en" else self._terms_zh(text)
        years = [Term(m.group(1), m.group(0).strip(), "year", m.start(), m.end()) for m in _YEAR.finditer(text)]
        return Reading(text, language, tuple(sorted((*terms, *years), key=lambda t: t.start)))

    def _terms_zh(self, text: str) -> list[Term]:
        simplified = to_simplified(text)
        aligned = len(simplified) == len(text)
        out: list[Term] = []
        at = 0
        for word in self.tokenizer.words(simplified):  # jieba's precise cut: every character, in order
            at = simplified.find(word, at)
            if at < 0:
                break
            end = at + len(word)
            zh = word.lower() if word.isascii() else word
            kind = self._kind(zh) or ("place" if zh in _SCOPES else "")
            if kind:
                out.append(Term(zh, text[at:end] if aligned else word, kind, at, end))
                if kind == "name":  # 杭州城市大脑 also names a place: 杭州
                    out.extend(self._places_in(zh, text[at:end] if aligned else word, at))
            at = end
        return out

    def _places_in(self, zh: str, surface: str, offset: int) -> list[Term]:
        out = []
        for place in self.places:
            if len(place) < len(zh):
                i = zh.find(place)
                if i >= 0 and to_simplified(surface[i : i + len(place)]) == place:
                    out.append(Term(place, surface[i : i + len(place)], "place", offset + i, offset + i + len(place)))
        return out

    def _terms_en(self, text: str) -> list[Term]:
        out: list[Term] = []
        cursor = 0
        for zh, phrase in self.translator.translate(text).pairs:
            kind = self._kind(zh)
            # "hangzhou city brain" is written "Hangzhou's City Brain"
            pattern = r"\b" + r"(?:'s|s')?\W+".join(re.escape(w) for w in phrase.split()) + r"\b"
            m = re.compile(pattern, re.IGNORECASE).search(text, cursor)
            if not kind or not m:
                continue
            out.append(Term(zh, m.group(), kind, m.start(), m.end()))
            cursor = m.end()
            if kind == "name":  # Hangzhou City Brain also names a place: Hangzhou
                for place in self.places:
                    en = self.english.get(place)
                    if en and place in zh:
                        sub = re.search(rf"\b{re.escape(en)}\b", m.group(), re.IGNORECASE)
                        if sub:
                            out.append(Term(place, sub.group(), "place", m.start() + sub.start(), m.start() + sub.end()))
        # Capitalised names the lexicon does not translate: LifeSG, Decidim, Chongqing.
        for m in re.finditer(r"\b[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)*\b(?![\d.+-])", text):
            words = m.group().split()
            while words and words[0].lower() in _COMMON_CAPITALISED:  # "Which Chinese city": no name
                words.pop(0)
            if not words or m.start() == 0 and len(words) == len(m.group().split()):
                continue
            start = m.end() - len(" ".join(words))
            if any(t.start <= start < t.end for t in out) or all(w.lower() in _COMMON_CAPITALISED for w in words):
                continue
            word = " ".join(words)
            kind = "name" if word.lower() in self._latin else "foreign"
            out.append(Term(word.lower(), word, kind, start, m.end()))
        return sorted(out, key=lambda t: t.start)

    def _kind(self, zh: str) -> str:
        if zh in self.places:
            return "place"
        if zh in self.bodies or zh in self.names or zh in self._latin:
            return "name"
        if zh in self.foreign:
            return "foreign"
        return ""

    # -- resolving ------------------------------------------------------------------------

    def resolve(self, question: str, context: Sequence[str]) -> Resolution:
        """``question`` as it should be searched, given the earlier ``context`` (oldest first)."""
        earlier: list[Reading] = []
        for asked in list(context)[-MAX_CONTEXT:]:
            earlier.append(self.read(self._resolve(asked, earlier)))
        question = _same_question(question)
        reading = self.read(question)
        if self._aside(question, reading):  # 「另外，“十四五”规划投了多少？」: a new topic, read alone
            return Resolution(question)
        text = self._resolve(question, earlier, reading)
        if not earlier or text == question and self._stands_alone(reading) and not self._leans(question, reading):
            return Resolution(question)
        # Rewritten, or about no subject of its own, or leaning on the last question while naming a
        # place of its own (「那上海被归到哪一类？」): the last question lends its other words, with
        # that place in place of its own.
        background = earlier[-1].text
        if text == question:
            places = [t for t in reading.terms if t.kind in ("place", "foreign")]
            if places:
                background = self._ellipsis(" ".join(t.surface for t in places), reading, earlier) or background
        return Resolution(text, background)

    def _leans(self, question: str, reading: Reading) -> bool:
        """Opens with 那/还有/and/what about, or has a pronoun: it goes on from the last question."""
        if reading.language == "en":
            return bool(_LEAD_EN.match(question) or _PRONOUN_EN.search(question))
        plain = to_simplified(question)
        return bool(_LEAD_ZH.match(plain) or _PRONOUN_ZH.search(plain))

    def _aside(self, question: str, reading: Reading) -> bool:
        """Opens by turning to another topic (另外, "Separately,") and then neither points back
        (「另外，它的准确率呢？」) nor only names a place or year for the last question
        (「另外上海呢？」)."""
        plain = question if reading.language == "en" else to_simplified(question)
        m = (_ASIDE_EN if reading.language == "en" else _ASIDE_ZH).match(plain)
        if not m or self._pronoun(question, reading.language):
            return False
        rest = _END.sub("", plain[m.end():])
        return not (_ELLIPSIS_EN if reading.language == "en" else _ELLIPSIS_ZH).match(rest)

    def _stands_alone(self, reading: Reading) -> bool:
        """Names its own subject or place, or asks about the report itself: a new topic, read
        with nothing of the conversation."""
        if any(self._proper(t) for t in reading.terms):
            return True
        return bool(_ABOUT_REPORT.search(to_simplified(reading.text)))

    def _resolve(self, question: str, earlier: list[Reading], reading: Reading | None = None) -> str:
        if not earlier:
            return question
        reading = reading or self.read(question)
        language = reading.language
        core = _END.sub("", question)
        if language == "en":
            m = _ELLIPSIS_EN.match(core)
            new = (m.group(1) or m.group(2)) if m else None
            leaning = bool(_LEAD_EN.match(core))
        else:
            m = _ELLIPSIS_ZH.match(to_simplified(core))
            new = core[m.start(1) : m.end(1)] if m else None
            leaning = bool(_LEAD_ZH.match(to_simplified(core)))
        pronoun = self._pronoun(question, language)
        if new and not pronoun:
            named = self.read(new)
            slots = [t for t in named.terms if t.kind != "name" or self._proper(t)]
            if slots and self._only_terms(new, named):  # 「那上海呢？」 "and in 2025?" (not 「碳排放呢？」: an attribute)
                resolved = self._ellipsis(new, reading, earlier)
                if resolved:
                    return resolved
            elif not named.terms:  # 「全球平均呢？」: the last question, about this
                return self._append(earlier[-1].text, new, earlier[-1].language)
            leaning = True
        if any(self._proper(t) and t.kind == "name" for t in reading.terms):
            return question  # names its own subject (Singapore's Smart Nation, 杭州城市大脑): a new topic
        if not pronoun and _ABOUT_REPORT.search(to_simplified(question)):
            return question  # 「这份报告的研究时间范围是什么？」 asks about the document itself
        last = earlier[-1]  # itself resolved: a follow-up of a follow-up carries the subject on
        # (全球 alone is where, not what: a question naming only it has no subject to carry.)
        subject = next((r for r in reversed(earlier) if any(t.zh not in _SCOPES for t in r.subjects)), None)
        own_places = any(t.kind in ("place", "foreign") for t in reading.terms)
        # A short question that names nothing asks about the last subject (「原本要多久？」);
        # a longer one says enough to stand alone ("How many provinces have issued smart city plans?").
        bare = not any(t.kind == "name" for t in reading.terms) and (
            self._content_words(question, language) <= BARE_WORDS[language == "en"]
        )
        if leaning and not (new or pronoun or _POINTING.match(to_simplified(core))) and self._long(question, language):
            # 「那平台化架构能让重复建设成本降低多少？」 "And how many times higher was … in eastern cities?":
            # a lead word, then a question that says what it is about; the last one is background.
            # (「这样升级以后…」 points back like a pronoun.)
            return question
        if own_places and not (pronoun or leaning):
            if self._only_place(question, reading):
                # 「中国占多少？」 after "How many smart sensors were shipped worldwide?": the last
                # question again for that place, with the asker's own words.
                places = " ".join(t.surface for t in reading.terms if t.kind in ("place", "foreign"))
                resolved = self._ellipsis(places, reading, earlier)
                if resolved:
                    rest = _END.sub("", _strip_terms(question, reading)).strip(" ，,的")
                    return self._append(resolved, rest, earlier[-1].language) if rest else resolved
            # 「深圳的破案率提升了多少？」「今天北京天气怎么样？」 name their own place: searched as asked.
            return question
        if pronoun or leaning or bare:
            named = subject is not None and any(t.kind == "name" for t in self._subject_terms(subject))
            plural = pronoun is not None and _PLURAL.fullmatch(pronoun.group().split()[0])
            if subject is None or plural and not named:
                # The last question named no thing: it is the subject, as a whole. So is it when a
                # plural pronoun cannot mean the place it named: "how many cities have adopted them?"
                # after 「上海订了几项地方标准？」 asks about the standards, not about Shanghai.
                return self._append(question, _core(last.text), language)
            if own_places:  # 它在上海的覆盖率: the old subject, without its old place
                names = [t for t in subject.subjects if t.kind == "name" and not self._inside(t, subject.subjects)]
                if not names:
                    return question
                phrase = self._carry(names, language)
            else:
                phrase = self._phrase(subject, language)
            if pronoun:
                return self._replace_pronoun(question, reading, phrase)
            return self._prefix(question, reading, phrase)
        return question  # names its own subject: a new topic, searched as it is

    def _words(self, text: str, language: str) -> list[str]:
        if language == "en":
            return [w for w in english_words(text) if w not in EN_STOPWORDS and w not in _QUESTION_EN]
        words = self.tokenizer.words(to_simplified(text))
        return [w for w in words if _HAN.search(w) and w not in STOPWORDS and w not in _QUESTION_ZH and not _MEASURE.match(w)]

    def _content_words(self, text: str, language: str) -> int:
        return len(self._words(text, language))

    def _long(self, text: str, language: str) -> bool:
        words = [w for w in self._words(text, language) if language == "en" or len(w) > 1]
        return len(words) >= LONG_WORDS[language == "en"]

    def _proper(self, t: Term) -> bool:
        """A named subject rather than a theme: a place, a body, a name with a place in it,
        a capitalised English name (Smart Nation, not carbon emissions)."""
        if t.kind in ("place", "foreign") or t.zh in self.bodies:
            return True
        if t.surface.isascii():
            return any(c.isupper() for c in t.surface)
        return any(p in t.zh for p in self.places)

    @staticmethod
    def _inside(t: Term, terms: Sequence[Term]) -> bool:
        return any(u is not t and u.start <= t.start and t.end <= u.end for u in terms)

    def _only_place(self, question: str, reading: Reading) -> bool:
        """Besides its places and years, ``question`` says nothing but a question word and a
        character or two (「中国占多少？」), and names no subject of its own (「上海随申办…」 does)."""
        if any(t.kind == "name" for t in reading.terms):
            return False
        words = self._words(_strip_terms(question, reading), reading.language)
        return not any(len(w) > 1 or reading.language == "en" for w in words)

    @staticmethod
    def _only_terms(text: str, reading: Reading) -> bool:
        """``text`` is nothing but its terms and filler words: 「上海」「2025年」, "Shanghai", "in 2025"."""
        rest = text
        for t in sorted(reading.terms, key=lambda t: -(t.end - t.start)):
            rest = rest.replace(t.surface, " ")
        return not _FILLER.sub("", rest.lower()).strip()

    @staticmethod
    def _append(question: str, extra: str, language: str) -> str:
        core = _core(question)
        return f"{core} ({extra})?" if language == "en" else f"{core}（{extra}）？"

    def _pronoun(self, question: str, language: str):
        if language == "en":
            return _PRONOUN_EN.search(question)
        return _PRONOUN_ZH.search(to_simplified(question))

    @staticmethod
    def _subject_terms(source: Reading) -> list[Term]:
        """The terms that say what ``source`` is about: in Chinese, those before its question
        word (「…整合了多少个应用场景」 asks about 应用场景, it is not about them)."""
        subjects = sorted(source.subjects, key=lambda t: t.start)
        if source.language != "en":
            m = _ASK_ZH.search(to_simplified(source.text))
            if m:
                subjects = [t for t in subjects if t.start < m.start()] or subjects
            return subjects
        # English: the first run of names ("Barcelona's superblocks"); a verb between two
        # names ends it ("… superblocks reduce carbon emissions" asks about emissions).
        run = subjects[:1]
        for t in subjects[1:]:
            gap = source.text[max(u.end for u in run) : t.start]
            words = re.findall(r"[A-Za-z]+", gap)
            if t.start < max(u.end for u in run) or _NAME_GAP_EN.fullmatch(gap) or (
                len(words) <= 2 and not any(w.lower() in _VERBS_EN for w in words)
            ):
                run.append(t)
            else:
                break
        return run

    def _phrase(self, source: Reading, language: str) -> str:
        """The subject of ``source`` written for a question in ``language``: its words from
        the first subject term to the last, and on to where the predicate starts
        (杭州城市大脑的AI视频分析 | 能自动识别…; 深圳的秒批系统 | 平均办理时间…)."""
        subjects = self._subject_terms(source)
        same = (source.language == "en") == (language == "en")
        if same:
            start, end = subjects[0].start, max(t.end for t in subjects)
            if language != "en":  # 「上海“一网统管”把应急响应…」: the subject ends where 把 starts a clause
                end = subjects[0].end + self._clause_at(source.text[subjects[0].end:end], end - subjects[0].end)
            rest = source.text[end:]
            if language != "en":
                stop = self._predicate_at(to_simplified(rest))
                mark = _MARK_ZH.search(rest)  # a subject never runs past a quote's end or a comma
                if mark and _CLOSES.get(mark.group()) and _CLOSES[mark.group()] in source.text[start:end]:
                    mark = _MARK_ZH.search(rest, mark.end())  # …but closes one it opened: 深圳的「秒批」系统
                ends = [i for i in (stop, mark.start() if mark else None) if i is not None and i <= _TAIL_CHARS]
                if ends:
                    end += min(ends)
            else:
                possessed = _possessed_en(rest)
                if possessed:  # "China's AI industry in 2024": the subject is what China has
                    end += possessed
                else:
                    for head in _HEADS_EN:
                        stripped = rest.lstrip()
                        if stripped.lower().startswith(head):
                            end += len(rest) - len(stripped) + len(head)
                            break
            phrase = _balanced(source.text[start:end].rstrip("的 ,，、").strip("「」『』“”\"'《》"))
            if len(phrase) <= _SUBJECT_CHARS:
                return phrase if language == "en" else to_script(phrase, language)
        return self._carry(subjects, language)  # across languages: term by term

    def _words_at(self, text: str) -> list[tuple[int, str]]:
        """The words jieba cuts the Simplified ``text`` into, each with where it starts (-1 for one
        the text does not hold as cut)."""
        out, pos = [], 0
        for word in self.tokenizer.words(text):
            at = text.find(word, pos)
            out.append((at, word))
            if at >= 0:
                pos = at + len(word)
        return out

    def _clause_at(self, text: str, default: int) -> int:
        """Where, in ``text`` between two subject terms, a word that opens a clause (把, 被, 让,
        使, 将, 给) stands; ``default`` when none does."""
        return next((at for at, word in self._words_at(to_simplified(text)) if at >= 0 and word in _CLAUSE_ZH), default)

    def _predicate_at(self, text: str) -> int | None:
        """Where the predicate of the Simplified ``text`` starts: at the first word jieba cuts that
        is a predicate word, alone or with its particle (提升了); 能 inside 智能, 会 inside 社会 are none."""
        words = self._words_at(text)
        for i, (at, word) in enumerate(words):
            if at < 0:
                continue
            if _PREDICATE_ZH.fullmatch(word) or len(word) > 1 and word[-1] in "了着过的" and _PREDICATE_ZH.fullmatch(word[:-1]):
                return at
            # A word an aspect particle follows is a verb, whatever jieba tags it (部署了, 上线了).
            if i + 1 < len(words) and words[i + 1][1] in ("了", "着", "过") and _HAN.search(word):
                return at
        return None

    def _carry(self, terms: Sequence[Term], language: str) -> str:
        """Terms written in ``language``: through the glossary across languages (a term
        inside another, 杭州 in 杭州城市大脑, is carried by the outer one)."""
        terms = [t for t in terms if not any(u is not t and u.start <= t.start and t.end <= u.end for u in terms)]
        if language == "en":
            words = []
            for t in terms:
                if t.surface.isascii():
                    words.append(t.surface)
                else:
                    en = self.english.get(t.zh)
                    words.append(en.title() if en and t.kind == "place" else en or t.surface)
            return " ".join(words)
        return "".join(to_script(t.zh, language) if not t.zh.isascii() else t.surface for t in terms)

    def _replace_pronoun(self, question: str, reading: Reading, subject: str) -> str:
        language = reading.language
        if language == "en":
            m = _PRONOUN_EN.search(question)
            if m.group(1):
                new = subject + "'s"
            elif m.group(2):
                new = subject
            else:
                noun = m.group(3) or m.group(4)
                new = subject if subject.lower().endswith(noun.lower()) else f"{subject} {noun}"
            return question[: m.start()] + new + question[m.end() :]
        m = _PRONOUN_ZH.search(to_simplified(question))
        word = m.group()
        after = question[m.end() :]
        new = subject + "的" if word == "其" else subject
        if word in ("该", "上述") or len(word) == 2 and word[0] in "这那此":
            # 该系统 → 深圳秒批系统 (not 深圳秒批系统系统)
            for head in _HEADS_ZH:
                if after.startswith(head) and to_simplified(subject).endswith(to_simplified(head)):
                    after = after[len(head) :]
                    break
        return question[: m.start()] + new + after

    def _prefix(self, question: str, reading: Reading, subject: str) -> str:
        question = _LEAD_WORD.sub("", question) or question  # 「那超大城市呢」 → 「城镇化率 超大城市…」, not 「城镇化率那…」
        if reading.language == "en":
            return f"{subject}: {question}"
        return subject + question

    def _ellipsis(self, new: str, reading: Reading, earlier: list[Reading]) -> str | None:
        """「那上海呢？」: the last question again, with the place, year or thing named now."""
        previous = earlier[-1]
        named = self.read(new)
        if not named.terms:
            return None  # "what about its accuracy?": an attribute, resolved as a pronoun question
        text = previous.text
        language = previous.language
        replaced = False
        for kind in ("year", "place", "foreign", "name"):
            mine = [t for t in named.terms if t.kind == kind]
            if not mine:
                continue
            # A name the report never writes (南京, Chongqing) stands in for a place, or comes first.
            theirs = [t for t in previous.terms if t.kind == ("place" if kind == "foreign" else kind)]
            if kind == "year":
                value = mine[0].zh
                words = value if language == "en" else value + "年"
            else:
                words = self._carry(mine, language) if named.language != language or language != "en" else " ".join(t.surface for t in mine)
                if named.language == language and language != "en":
                    words = to_script("".join(t.surface for t in mine), language)
            if theirs:
                start, end = theirs[0].start, theirs[-1].end
                if kind in ("place", "foreign") and language != "en":
                    # 「那杭州呢？」 after 「深圳智慧路网让…」: the old place's own named thing goes with it.
                    end = _owned_end(text, previous.terms, start, end)
                if kind == "year" and language != "en" and text[end : end + 1] == "年":
                    end += 1
                text = text[:start] + words + text[end:]
            elif kind == "year":
                text = f"{_END.sub('', text)} in {words}?" if language == "en" else words + text
            elif language == "en":
                text = f"{_END.sub('', text)} in {words}?" if kind in ("place", "foreign") else f"{words}: {text}"
            else:
                text = words + text
            replaced = True
            previous = self.read(text)  # offsets moved: read again before the next kind
        return text if replaced else None


_WHERE_WHEN = ("place", "foreign", "year")


# What ends the noun an English possessive names ("China's AI industry | in 2024"): a
# preposition, a conjunction, a verb.
_POSSESSED_STOP_EN = _VERBS_EN | {
    "in", "of", "for", "by", "on", "at", "to", "from", "with", "during", "since", "over", "under", "between", "after",
    "before", "than", "as", "and", "or", "that", "which", "who", "came", "come", "went", "go", "got", "rose", "fell",
    "dropped", "stood", "stand",
}


_WORD_EN = re.compile(r"[A-Za-z0-9][\w-]*")


def _possessed_en(rest: str) -> int:
    """How far the noun after a possessive ('s) runs in ``rest`` (at most three words, up to a head
    noun such as "system"); 0 when ``rest`` does not start with one."""
    m = re.match(r"(?:'s|s'|’s)(?=\s)", rest)
    if not m:
        return 0
    end = m.end()
    for i, w in enumerate(_WORD_EN.finditer(rest, m.end())):
        word = w.group().lower()
        if i == 3 or word in _POSSESSED_STOP_EN or rest[end : w.start()].strip():  # punctuation ends it too
            break
        end = w.end()
        if word in _HEADS_EN:
            break
    return end if end > m.end() else 0


def _strip_terms(text: str, reading: Reading, kinds: tuple[str, ...] = _WHERE_WHEN) -> str:
    """``text`` without its terms of these ``kinds`` (by default its places and years)."""
    for t in sorted((t for t in reading.terms if t.kind in kinds), key=lambda t: -(t.end - t.start)):
        text = text.replace(t.surface, " ")
    return text


def _same_question(question: str) -> str:
    """「同样的问题，换成杭州呢？」, "Same question for Shenzhen": said as 「那杭州呢？」, "What about Shenzhen?"."""
    m = _SAME_ZH.match(question) or _SAME_EN.match(question)
    rest = _END.sub("", question[m.end() :]) if m else ""
    if not rest:
        return question
    if m.re is _SAME_EN:
        return f"What about {rest}?"
    rest = re.sub(r"(?:的情况|的情況)?呢$", "", rest)
    return f"那{rest}呢？"


def _owned_end(text: str, terms, start: int, end: int) -> int:
    """Where a place's own named thing ends: 杭州城市大脑, 深圳智慧路网, 深圳的秒批系统."""
    inside = [u for u in terms if u.kind == "name" and u.start <= start < u.end]
    end = max([end, *(u.end for u in inside)])
    at = end + 1 if text[end : end + 1] == "的" else end
    named = next((u for u in terms if u.kind == "name" and u.start == at), None)
    if named is None:
        return end
    end = named.end
    head = next((h for h in _HEADS_ZH if to_simplified(text[end:]).startswith(to_simplified(h))), "")
    return end + len(head)


def _core(question: str) -> str:
    """A question without its end punctuation and without a context it was given in brackets."""
    core = _END.sub("", question)
    return re.sub(r"\s*[(（][^()（）]*[)）]$", "", core) or core


# Capitalised words that start no name (besides the first word of the question).
_COMMON_CAPITALISED = frozenset(
    "i what how which who when where why does do did is are was were can could will would should the a an and or in on of for "
    "to with by about from ai gdp app apps china chinese english report any is there are was were has have had "
    "does do did please tell give list".split()
)
