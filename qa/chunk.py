"""Sections → chunks: the unit that is embedded and searched, never cutting a sentence.

A section is the unit of citation. A long section is split with
``langchain-text-splitters`` on sentence ends (。！？；, then clause marks), so every
chunk is whole sentences and keeps its section id, title path and offsets.
"""

from __future__ import annotations

import re

from qa.types import Chunk, Document

SENTENCE_ENDS = ["\n", "。", "！", "？", "!", "?", "；", ";"]
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*[”\"」』)]*|\n")


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
