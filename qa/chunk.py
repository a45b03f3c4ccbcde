"""Sections → chunks: the unit that is embedded and searched, never cutting a sentence.

A section is the unit of citation. A long section is split with
``langchain-text-splitters`` on sentence ends (。！？；, then clause marks), so every
chunk is whole sentences and keeps its section id, title path and offsets.

A long sentence is also read clause by clause (:func:`split_clauses`): the report packs
several facts into one sentence (「交通擁堵導致年均經濟損失超千億元,城市空氣質量達標城市占比
僅為62.5%,政務數據共享率不足40%」), and a question about one of them matches its clause
better than the whole sentence.
"""

from __future__ import annotations

import re

from qa.types import Chunk, Document

SENTENCE_ENDS = ["\n", "。", "！", "？", "!", "?", "；", ";"]
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*[”\"」』)]*|\n")
# Where a clause ends: a Chinese comma or colon, or an ASCII one that is not inside a number
# (1,200); in English, a comma, colon or semicolon before a space.
_CLAUSE_END_ZH = re.compile(r"[，：]|(?<!\d)[,:]|[,:](?!\d)")
_CLAUSE_END_EN = re.compile(r"[,;:](?=\s)")
# A clause is at least this long (shorter pieces join the next): a subject and a figure.
CLAUSE_CHARS = 16
CLAUSE_WORDS = 8


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``; white space is not a sentence."""
    spans = []
    for m in _SENTENCE.finditer(text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


def split_clauses(text: str, english: bool = False) -> list[tuple[int, int]]:
    """(start, end) offsets of the clauses of a sentence, split after commas and colons, each
    at least :data:`CLAUSE_CHARS` characters (:data:`CLAUSE_WORDS` words in English; a shorter
    piece joins the next, a short last one the clause before). [] for a sentence of one clause."""
    ends = (_CLAUSE_END_EN if english else _CLAUSE_END_ZH).finditer(text)
    long_enough = (lambda t: len(t.split()) >= CLAUSE_WORDS) if english else (lambda t: len(t.strip()) >= CLAUSE_CHARS)
    spans: list[tuple[int, int]] = []
    start = 0
    for m in ends:
        if long_enough(text[start : m.end()]):
            spans.append((start, m.end()))
            start = m.end()
    if spans and not long_enough(text[start:]):
        spans[-1] = (spans[-1][0], len(text))
    elif spans:
        spans.append((start, len(text)))
    spans = [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans]
    return spans if len(spans) > 1 else []


def _splitter(chunk_chars: int):
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        separators=SENTENCE_ENDS + ["，", ",", ""],
        keep_separator="end",
        chunk_size=chunk_chars,
        chunk_overlap=0,
        length_function=len,
        strip_whitespace=True,
    )


def chunk_documents(docs: list[Document] | tuple[Document, ...], chunk_chars: int = 320) -> list[Chunk]:
    """All chunks of all documents, numbered from 0 in document order.

    Sections without text of their own (a chapter heading followed directly by its
    first subsection) give no chunk; they are still listed by ``qa sections``.
    """
    splitter = _splitter(chunk_chars)
    chunks: list[Chunk] = []
    for doc in docs:
        for sec in doc.sections:
            if not sec.text.strip():
                continue
            pieces = [sec.text] if len(sec.text) <= chunk_chars else splitter.split_text(sec.text)
            cursor = 0
            for piece in pieces:
                found = sec.text.find(piece, cursor)
                start = found if found >= 0 else cursor
                cursor = start + len(piece)
                chunks.append(
                    Chunk(
                        id=len(chunks),
                        doc=doc.name,
                        section_id=sec.id,
                        section_title=sec.title,
                        path=sec.path,
                        text=piece,
                        start=sec.start + start,
                        end=sec.start + start + len(piece),
                    )
                )
    return chunks
