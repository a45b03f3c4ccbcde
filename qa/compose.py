"""Answer composition: the answering sentence of each cited section, folded repeats, the hits.

For each of the best sections (from :mod:`qa.evidence`) the sentence that answers is
chosen across the section's chunks (dense cosine plus the share of the question's
keywords it holds, each keyword weighted by how rare it is in the corpus *and* inside the
section), a section stating the same figure as a better one is folded into it
("also in"), and the hits are shown in the asker's script.
"""

from __future__ import annotations

import re

import numpy as np

from qa.analysis import Query
from qa.gloss import Glosser
from qa.conflicts import disagree
from qa.script import to_script, to_simplified, to_traditional
from qa.spans import holds
from qa.translate import english_tokens
from qa.types import Hit

# Answer-sentence scoring: cosine + weight × keyword share, + a bonus where a number
# counts what a "how many X" question asks about; chosen on the dev questions.
SENTENCE_LEXICAL_WEIGHT = 1.0
SENTENCE_COUNT_BONUS = 0.3
SENTENCE_INHERITED = 0.0
# Asked types a span states (a year, a share, a sum, a duration, a number of things): a sentence holding
# one is likelier the answer ("How many residents …?" is answered by 参与市民达45万人, not by a sentence
# that names residents and no number).
_SPANNED = frozenset({"year", "start", "time", "share", "money", "count"})
# idf given to a query token the corpus never uses (rarer than most words it does use).
UNSEEN_IDF = 3.0
_FACT = re.compile(r"\d+(?:\.\d+)?\s*(?:%|[萬億千百]*[A-Za-z\u4e00-\u9fff]{1,2})")
_YEAR = re.compile(r"^(?:19|20)\d\d年?$")
_NUMBER = r"\d+(?:\.\d+)?\s*[余多万萬亿億千百十]*"  # 50余, 10万, 1.2亿
_COUNT_PREFIX = _NUMBER + r"[个個项項家名座类類条條种種位所台辆輛部]?\s*"


def facts(sentence: str) -> set[str]:
    """The figures a sentence states ("100TB", "50%"), years left out."""
    return {f for f in (m.group().replace(" ", "") for m in _FACT.finditer(sentence)) if not _YEAR.match(f)}


def _trigrams(text: str) -> set[str]:
    t = re.sub(r"\s+", "", text)
    return {t[i : i + 3] for i in range(len(t) - 2)}


def counts(sentence: str, things: tuple[str, ...]) -> bool:
    """A number followed closely by one of ``things``: "50余个城市" counts 城市."""
    return any(re.search(_COUNT_PREFIX + re.escape(t), sentence) for t in things if len(t) > 1)


def counts_by(sentence: str, unit: str) -> bool:
    """A number in the measure word ``unit`` (「收集建议超10万条」 for 条); False for no unit."""
    return bool(unit) and re.search(_NUMBER + re.escape(unit), sentence) is not None


class Keywords:
    """Which of a question's keywords a sentence or a section holds, weighted by rarity.

    Token sets of sentences and sections are cut on first use and kept (a race between
    threads only recomputes the same value).
    """

    def __init__(self, index, sections: dict) -> None:
        self.index = index
        self.sections = sections  # (doc, section id) -> Section
        self.sentences_of: dict[int, list[int]] = {}
        for row, (cid, _s, _e) in enumerate(index.sentences):
            self.sentences_of.setdefault(cid, []).append(row)
        self.chunks_of: dict[tuple[str, str], list[int]] = {}  # (doc, section id) -> its chunks
        for c in index.chunks:
            self.chunks_of.setdefault((c.doc, c.section_id), []).append(c.id)
        self._cache: dict = {}

    def weight(self, t: str, w: float) -> float:
        """A query token's weight times its idf (a word the corpus lacks counts as rare)."""
        return w * self.index.idf.get(t, UNSEEN_IDF)

    def share(self, q: Query, present: frozenset) -> float:
        """Share of the question's idf-weighted keywords that ``present`` holds."""
        total = sum(self.weight(t, w) for t, w in q.tokens.items())
        got = sum(self.weight(t, w) for t, w in q.tokens.items() if t in present)
        return got / total if total else 0.0

    def sentence_text(self, row: int) -> str:
        cid, s, e = self.index.sentences[row]
        return self.index.chunks[cid].text[s:e]

    def sentence_tokens(self, row: int) -> frozenset:
        return self._tokens(("sentence", row), self.sentence_text(row))

    def simplified(self, row: int) -> str:
        """The sentence in Simplified script (what spans and counts are read from), kept."""
        key = ("simplified", row)
        got = self._cache.get(key)
        if got is None:
            got = self._cache[key] = to_simplified(self.sentence_text(row))
        return got

    def english_stems(self, row: int) -> frozenset | None:
        """The stemmed words of the sentence's English edition, kept; None without one."""
        english = self.index.english
        if not english or not english[row]:
            return None
        key = ("english", row)
        got = self._cache.get(key)
        if got is None:
            got = self._cache[key] = frozenset(english_tokens(english[row]))
        return got

    def english_share(self, q: Query, row: int) -> float:
        """Share of an English question's words that the sentence's English edition holds (0 without one)."""
        english = self.english_stems(row)
        if not english or not q.english_tokens:
            return 0.0
        return sum(1 for t in q.english_tokens if t in english) / len(q.english_tokens)

    def section_context(self, cid: int) -> str:
        """The title path and text of the section of ``cid``, in Simplified script, kept: where a
        sentence without a year or place of its own takes them from."""
        c = self.index.chunks[cid]
        key = ("context", c.doc, c.section_id)
        got = self._cache.get(key)
        if got is None:
            section = self.sections.get((c.doc, c.section_id))
            got = self._cache[key] = to_simplified(" ".join(c.path) + " " + (section.text if section else c.text))
        return got

    def section_titles(self, cid: int) -> str:
        """The title path of the section of ``cid``, in Simplified script, kept."""
        c = self.index.chunks[cid]
        key = ("titles", c.doc, c.section_id)
        got = self._cache.get(key)
        if got is None:
            got = self._cache[key] = to_simplified(" ".join(c.path))
        return got

    def section_tokens(self, cid: int) -> frozenset:
        c = self.index.chunks[cid]
        sec = self.sections.get((c.doc, c.section_id))
        return self._tokens(("section", c.doc, c.section_id), (sec.title + " " + sec.text) if sec else c.text)

    def coverage(self, q: Query, cid: int) -> float:
        """Share of the question's keyword weight found in the section of ``cid`` (for an English
        question, or the share of its words in the section's English edition, whichever is more)."""
        share = self.share(q, self.section_tokens(cid))
        if q.english_tokens:
            share = max(share, self._english_section_share(q, cid))
        return share

    def sentence_coverage(self, q: Query, cid: int) -> float:
        """The best share of the question's keyword weight that one sentence of ``cid`` holds:
        an answer states the asked things together, a near miss scatters them."""
        rows = self.sentences_of.get(cid, [])
        best = max((self.share(q, self.sentence_tokens(row)) for row in rows), default=0.0)
        if q.english_tokens:
            best = max([best, *(self.english_share(q, row) for row in rows)])
        return best

    def _english_section_share(self, q: Query, cid: int) -> float:
        c = self.index.chunks[cid]
        key = ("english_section", c.doc, c.section_id)
        words = self._cache.get(key)
        if words is None:
            rows = [row for chunk in self.chunks_of[(c.doc, c.section_id)] for row in self.sentences_of.get(chunk, [])]
            words = self._cache[key] = frozenset().union(*(self.english_stems(row) or frozenset() for row in rows))
        if not words:
            return 0.0
        return sum(1 for t in q.english_tokens if t in words) / len(q.english_tokens)

    def _tokens(self, key, text: str) -> frozenset:
        got = self._cache.get(key)
        if got is None:
            got = self._cache[key] = frozenset(self.index.tokenizer.tokens(text))
        return got


class Composer:
    """Builds the hits of an answer from a ranking."""

    def __init__(self, index, corpus, keywords: Keywords) -> None:
        self.index = index
        self.corpus = corpus
        self.keywords = keywords
        self.chunks_of = keywords.chunks_of
        self.glosser = Glosser(index.gloss, index.tokenizer.words)
        self.doc_titles = {d.name: d.title for d in corpus.documents}

    def doc_title(self, doc: str, display: str | None) -> str:
        """The title of the document ``doc``, in the ``display`` script when given."""
        title = self.doc_titles.get(doc, doc)
        return to_script(title, display) if display else title

    def hits(self, q: Query, best: tuple[int, ...], fused: np.ndarray, k: int, display: str | None, group: bool = True) -> tuple[Hit, ...]:
        """Up to ``k`` hits from the best chunks of the best sections, repeats folded (``also_in``)."""
        chunks = self.index.chunks
        hits: list[Hit] = []
        answers: list[tuple[set[str], set[str]]] = []
        sentences: list[str] = []  # each hit's answer as the report writes it
        for cid in best:
            sid = chunks[cid].section_id
            section_chunks = self.chunks_of[(chunks[cid].doc, sid)] if group else [cid]
            # The passage shown is the section's chunk that holds the answering sentence.
            shown, row = self.answer_sentence(q, section_chunks)
            answer = self.keywords.sentence_text(row) if row is not None else chunks[shown].text
            found_facts, grams = facts(answer), _trigrams(answer)
            # The same fact repeated folds into "also in"; the same measure with another figure does not.
            dup = next(
                (i for i, (f, g) in enumerate(answers)
                 if f & found_facts and len(g & grams) / max(1, len(g | grams)) >= 0.2 and not disagree(sentences[i], answer)),
                None,
            ) if group else None
            if dup is not None:
                h = hits[dup]
                doc = chunks[cid].doc
                if doc == h.doc:
                    hits[dup] = Hit(**{**h.__dict__, "also_in": h.also_in + (sid,)})
                else:  # the same fact in another report on the shelf
                    other = (doc, self.doc_title(doc, display), sid)
                    hits[dup] = Hit(**{**h.__dict__, "also_in_docs": h.also_in_docs + (other,)})
                continue
            if len(hits) >= k:
                continue
            answers.append((found_facts, grams))
            sentences.append(answer)
            hits.append(self.hit(chunks[shown], answer, row, float(fused[cid]), q, display))
        return tuple(hits)

    def answer_sentence(self, q: Query, cids: list[int]) -> tuple[int, int | None]:
        """The chunk and sentence row, among the chunks ``cids`` of one section, that best
        answer ``q`` (row None: the chunk has no sentence of its own).

        Query terms count by how rare they are in the corpus *and* inside this section:
        a name every sentence shares (the section's subject) says little about which
        sentence answers, the one term only one sentence has says a lot. For English
        questions the English edition's sentence counts too, where there is one.
        """
        kw = self.keywords
        rows = [row for cid in cids for row in kw.sentences_of.get(cid, [])]
        if not rows:
            return cids[0], None
        sets = {row: kw.sentence_tokens(row) for row in rows}
        n = len(rows)
        weight = {}
        # A follow-up's sentence is chosen by what the asker asked now, not by the subject it
        # inherited (which every sentence of the section shares anyway).
        tokens = {t: (w if t in q.own else w * SENTENCE_INHERITED) for t, w in q.tokens.items()} if q.own else q.tokens
        # A place and the character pairs it was also searched by (巴塞罗那: 巴塞, 塞罗, 罗那) count once.
        tokens = {t: w for t, w in tokens.items() if not any(t != p and t in p for p in q.places)}
        for t, w in tokens.items():
            df = sum(t in toks for toks in sets.values())
            weight[t] = kw.weight(t, w) * float(np.log((n + 1) / (df + 0.5)))
        # What the question sets aside finds the section; it does not pick the sentence.
        aside = frozenset().union(*q.besides)
        weight = {t: v for t, v in weight.items() if t not in aside}
        total = sum(weight.values()) or 1.0
        english = bool(q.english_tokens) and any(self.index.english[row] for row in rows)
        english_weight = {t: v for t, v in (self._english_weights(q, rows) if english else {}).items() if t not in aside}
        english_total = sum(english_weight.values()) or 1.0
        best, best_score = rows[0], (False, -1e9)
        similarity = self.index.sentence_vectors[rows] @ q.vector
        if english:  # the English edition's sentence counts where there is one
            has_english = np.array([bool(self.index.english[row]) for row in rows])
            similarity = np.where(has_english, np.maximum(similarity, self.index.english_vectors[rows] @ q.vector), similarity)
        for i, row in enumerate(rows):
            text = kw.simplified(row)
            lex = sum(v for t, v in weight.items() if t in sets[row]) / total
            dense = float(similarity[i])
            if english and self.index.english[row]:
                stems = kw.english_stems(row) or frozenset()
                lex = max(lex, sum(v for t, v in english_weight.items() if t in stems) / english_total)
            counted = bool(q.counted) and counts(text, q.counted)
            typed = q.asked in _SPANNED and holds(q.asked, text, self.index.places, self.index.bodies)
            score = dense + SENTENCE_LEXICAL_WEIGHT * lex + (SENTENCE_COUNT_BONUS if counted or typed else 0.0)
            # A question that sets aside several things (「除了查文献、分析案例、跑统计数据，还用了什么方法」)
            # names members of a list it knows: a sentence naming some of them, wherever (文献 in 文献研究法),
            # is not the member asked for while one naming none is. A sentence naming all of them is the
            # list, which holds the answer too ("besides weather and crowd density", "besides Singapore").
            named = sum(self._names_any(item, text, row, english) for item in q.besides)
            set_aside = 0 < named < len(q.besides)
            if (not set_aside, score) > best_score:
                best, best_score = row, (not set_aside, score)
        return self.index.sentences[best][0], best

    def _names_any(self, words: frozenset, text: str, row: int, english: bool) -> bool:
        """Does the sentence (Simplified ``text``, row ``row``) name the thing ``words`` say: more than
        half of its Chinese words of two or more characters anywhere in it, or more than half of its
        English stems in its English edition? (「文献研究」 is not named by the 比较研究 of 二是案例分析法.)"""
        chinese = [t for t in words if len(t) > 1 and not t.isascii()]
        if english:  # an English item's Chinese words are its renderings, one of which may be the report's
            if any(t in text for t in chinese):
                return True
        elif chinese and 2 * sum(t in text for t in chinese) > len(chinese):
            return True
        stems = [t for t in words if t.isascii()]
        if not (english and stems and self.index.english[row]):
            return False
        return 2 * len(set(stems) & (self.keywords.english_stems(row) or frozenset())) > len(stems)

    def _english_weights(self, q: Query, rows: list[int]) -> dict[str, float]:
        """An English question's words weighted, like the Chinese ones, by how few of the
        section's English sentences hold them ("ambulance" picks a sentence, "Hangzhou" does not)."""
        sets = [self.keywords.english_stems(row) or frozenset() for row in rows]
        n = len(sets)
        return {t: float(np.log((n + 1) / (sum(t in s for s in sets) + 0.5))) for t in set(q.english_tokens)}

    def english(self, chunk_id: int, row: int | None, answer: str, text: str) -> tuple[str, str, str]:
        """(answer_en, text_en, "edition" | "gloss") of a passage: the edition's English where
        every sentence has one, else a word-by-word gloss."""
        rows = self.keywords.sentences_of.get(chunk_id, [])
        english = self.index.english
        if row is not None and english[row] and rows and all(english[r] for r in rows):
            return english[row], " ".join(english[r] for r in rows), "edition"
        return self.glosser.gloss(answer), self.glosser.gloss(text), "gloss"

    def hit(self, chunk, answer: str, row: int | None, score: float, q: Query, display: str | None) -> Hit:
        sec = self.keywords.sections.get((chunk.doc, chunk.section_id))
        answer_en, text_en, source = self.english(chunk.id, row, answer, chunk.text)
        title = chunk.section_title
        path = chunk.path
        text = chunk.text
        if display:
            text, answer, title = (to_script(x, display) for x in (text, answer, title))
            path = tuple(to_script(p, display) for p in path)
        pairs: tuple = ()
        if q.pairs:
            plain = to_simplified(chunk.text)
            pairs = tuple((to_traditional(zh), en) for zh, en in q.pairs if zh in plain)
        return Hit(
            section_id=chunk.section_id,
            section_title=title,
            section_title_en=self.corpus.titles_en.get((chunk.doc, chunk.section_id), ""),
            section_path=path,
            text=text,
            answer=answer,
            score=round(score, 4),
            matched_terms=pairs,
            doc=chunk.doc,
            start=sec.start if sec and chunk.start < sec.start else chunk.start,
            end=chunk.end,
            answer_en=answer_en,
            text_en=text_en,
            english=source,
            doc_title=self.doc_title(chunk.doc, display),
            shelf_size=len(self.doc_titles),
        )
