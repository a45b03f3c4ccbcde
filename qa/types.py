"""The values that cross module borders: frozen dataclasses, no ad-hoc dicts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Status(str, Enum):
    """What an answer is: one spelling for JSON, the CLI and the UI.

    ``answered``: a sentence of the report states what was asked; ``not_stated``: the
    report covers the subject but no sentence states the asked figure, year, name or
    place; ``not_covered``: the report does not discuss it (or it is not a question
    about the report); ``empty``: there is nothing to search.
    """

    ANSWERED = "answered"
    NOT_STATED = "not_stated"
    NOT_COVERED = "not_covered"
    EMPTY = "empty"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Section:
    """One heading of a report and the text under it (not its subsections' text).

    Attributes:
        id: the report's own number, "3.3.1"; chapters are "1" … "7"; a document
            without headings has one section with id "0".
        title: the heading's words without its number.
        level: 1 for a chapter, 2 for "1.1", 3 for "1.1.1" …
        path: titles from the chapter down to this section, this one included.
        text: the section's own cleaned text (may be empty for a heading that only
            introduces its subsections).
        start, end: character offsets of ``text`` in the cleaned document.
        truncated: the document ends inside this section (cut off mid-heading).
        doc: the document's name.
    """

    id: str
    title: str
    level: int
    path: tuple[str, ...]
    text: str
    start: int
    end: int
    truncated: bool = False
    doc: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        d["path"] = list(self.path)
        return d


@dataclass(frozen=True)
class Document:
    """A cleaned report: its title, its cleaned text and its sections in order."""

    name: str
    title: str
    text: str
    sections: tuple[Section, ...]
    sha256: str = ""

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(f"no section {section_id!r} in {self.name}; `qa sections` lists them")


@dataclass(frozen=True)
class Chunk:
    """A piece of one section, the unit that is embedded and searched."""

    id: int
    doc: str
    section_id: str
    section_title: str
    path: tuple[str, ...]
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    """One cited passage of an answer.

    Attributes:
        section_id: the report's section number, e.g. "3.3.1".
        section_title: its title in the asker's script.
        section_title_en: its English title (curated), or "" when none is known.
        section_path: chapter › section › subsection titles.
        text: the passage, in the asker's script (Chinese questions) or as written.
        answer: the one or two sentences of ``text`` that answer the question.
        score: fused relevance, higher is better (comparable within one answer only).
        also_in: other sections of the same document that state the same fact.
        matched_terms: (Chinese term, English gloss) pairs that matched an English question.
        doc: the document's name.
        start, end: offsets of the passage in the cleaned document.
        answer_en, text_en: the answer and the passage in English: from the document's
            English edition, or a word-by-word gloss of them where it has none.
        english: where the English comes from: "edition" (a translation made for this
            tool; the Chinese stays authoritative), "gloss" (word by word, not a
            translation) or "" (none).
        doc_title: the title of the document the passage is from.
        also_in_docs: (document, its title, section id) of sections of *other* documents on
            the shelf that state the same fact.
        shelf_size: how many documents the shelf held when this was answered; with more than
            one, the citation names the document.
    """

    section_id: str
    section_title: str
    section_title_en: str
    section_path: tuple[str, ...]
    text: str
    answer: str
    score: float
    also_in: tuple[str, ...] = ()
    matched_terms: tuple[tuple[str, str], ...] = ()
    doc: str = ""
    start: int = 0
    end: int = 0
    answer_en: str = ""
    text_en: str = ""
    english: str = ""
    doc_title: str = ""
    also_in_docs: tuple[tuple[str, str, str], ...] = ()
    shelf_size: int = 1

    @property
    def citation(self) -> str:
        """A copyable citation: "§3.3.1 杭州城市大腦", with the document when the shelf holds
        several: "《智能經濟+城市治理研究報告》§3.3.1 杭州城市大腦"."""
        own = f"§{self.section_id} {self.section_title}".strip()
        return f"《{self.doc_title}》{own}" if self.shelf_size > 1 and self.doc_title else own

    @property
    def also_cited(self) -> tuple[str, ...]:
        """Where else the same fact is stated, as short citations: "§4.1.1", "《其他報告》§2.3"."""
        return tuple(f"§{s}" for s in self.also_in) + tuple(f"《{t}》§{s}" for _d, t, s in self.also_in_docs)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["section_path"] = list(self.section_path)
        d["also_in"] = list(self.also_in)
        d["also_in_docs"] = [list(x) for x in self.also_in_docs]
        d["matched_terms"] = [list(t) for t in self.matched_terms]
        d["citation"] = self.citation
        return d


@dataclass(frozen=True)
class Answer:
    """What :meth:`qa.Retriever.ask` returns.

    Attributes:
        question: the question as it was searched (normalised, its length capped).
        status: :class:`Status`: answered, not_stated, not_covered or empty.
        query_language: "zh-Hans", "zh-Hant" or "en".
        hits: best first; unless answered they are the nearest sections.
        reason: why it is not answered, in the asker's language ("" when answered).
        confidence: calibrated probability that the top hit answers the question.
        kind: "passages" (the passages that answer, best first) or "outline" (a question about
            the report as a whole, a chapter or a section: the listed parts in the report's
            order, each with the sentence that opens it).
        conflicts: where the report disagrees with itself on the figure the answer states:
            (section id, value) pairs, one per section ("4.3.3", "提升至45%"), ("6.2.3", "不足25%");
            empty when it does not. Every such section is among the hits.
        interpreted_as: the question actually searched: a follow-up resolved against the
            conversation's earlier questions ("它覆盖了多少高频事项？" → "深圳的秒批系统覆盖了
            多少高频事项？"); equal to ``question`` when no context was used.
    """

    question: str
    status: Status
    query_language: str
    hits: tuple[Hit, ...] = field(default_factory=tuple)
    reason: str = ""
    confidence: float = 0.0
    interpreted_as: str = ""
    kind: str = "passages"
    conflicts: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not self.interpreted_as:
            object.__setattr__(self, "interpreted_as", self.question)

    @property
    def found(self) -> bool:
        """True exactly when the report answers the question (``status == "answered"``)."""
        return self.status == Status.ANSWERED

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "status": self.status.value,
            "found": self.found,
            "query_language": self.query_language,
            "reason": self.reason,
            "confidence": self.confidence,
            "interpreted_as": self.interpreted_as,
            "kind": self.kind,
            "conflicts": [list(c) for c in self.conflicts],
            "hits": [h.to_dict() for h in self.hits],
        }
