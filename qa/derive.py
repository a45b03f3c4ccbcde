"""What a build derives from each document's text, once per document.

The tokens of its passages and sentences, its words, and which dictionary names and
CC-CEDICT words it writes: the slow part of a build after embedding, and all of it a
function of the document alone. The tokenizer's segmentation of a text depends only on its
dictionary words that occur in that text (:class:`qa.lexical.Tokenizer` keeps jieba's total
frequency fixed), so a document's derivation is keyed by its cleaned text, the chunk size
and the user words it contains. A build keeps them (``index/derived.json``) and the next
build reuses every one whose key is unchanged: adding a report derives that report only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from qa.chunk import split_clauses
from qa.lexical import Tokenizer, name_candidates
from qa.script import to_simplified

VERSION = 2


@dataclass(frozen=True)
class Derived:
    """One document's share of the index, before the corpus-wide tables are made of them.

    Attributes:
        chunk_tokens: search tokens of each of its chunks (title and text), in order.
        sentence_tokens: search tokens of each of its sentences, in order.
        clause_tokens: search tokens of each clause of its long sentences
            (:func:`qa.chunk.split_clauses`), sentence by sentence, in order.
        text_tokens: the distinct search tokens of its whole text.
        words: its distinct words (jieba's precise cut), for word-by-word glosses.
        names: the dictionary's place, person and organisation names it writes (or writes
            without an administrative suffix: 杭州 for 杭州市).
        cedict: the CC-CEDICT words of two to four characters it writes.
    """

    chunk_tokens: list
    sentence_tokens: list
    clause_tokens: list
    text_tokens: list
    words: list
    names: list
    cedict: list


class Matcher:
    """Which of many strings occur in a text, in one pass over the text (indexed by their
    first two characters), not one search per string."""

    def __init__(self, strings: Iterable[str]) -> None:
        self.by_start: dict[str, list[str]] = {}
        for s in set(strings):
            if len(s) >= 2:
                self.by_start.setdefault(s[:2], []).append(s)

    def found(self, text: str) -> set[str]:
        out: set[str] = set()
        get = self.by_start.get
        for i in range(len(text) - 1):
            candidates = get(text[i : i + 2])
            if candidates:
                for s in candidates:
                    if text.startswith(s, i):
                        out.add(s)
        return out


@lru_cache(maxsize=1)
def _name_matcher() -> Matcher:
    return Matcher(name_candidates())


def cedict_matcher(entries: list[dict]) -> Matcher:
    """The matcher of CC-CEDICT's words of two to four characters (one per build: the
    dictionary is not kept in memory between builds)."""
    return Matcher(e["simplified"] for e in entries if 2 <= len(e["simplified"]) <= 4)


def key(text: str, chunk_chars: int, user_words: Iterable[str]) -> str:
    """What a document's derivation depends on, hashed."""
    simplified = to_simplified(text)
    present = sorted({w for w in (to_simplified(u) for u in user_words) if w and w in simplified})
    payload = json.dumps([VERSION, chunk_chars, present], ensure_ascii=False)
    return hashlib.sha256((payload + "\n" + text).encode("utf-8")).hexdigest()


def derive(text: str, chunks: list, sentences: list[tuple[int, int, int]], tokenizer: Tokenizer, cedict: Matcher) -> Derived:
    """Derive one document: ``chunks`` are its chunks, ``sentences`` (chunk, start, end) its
    sentences with ``chunk`` indexing ``chunks``; ``cedict``: :func:`cedict_matcher`."""
    simplified = to_simplified(text)
    return Derived(
        chunk_tokens=[tokenizer.tokens(c.section_title + " " + c.text) for c in chunks],
        sentence_tokens=[tokenizer.tokens(chunks[c].text[s:e]) for c, s, e in sentences],
        clause_tokens=[
            tokenizer.tokens(chunks[c].text[s:e][a:b]) for c, s, e in sentences for a, b in split_clauses(chunks[c].text[s:e])
        ],
        text_tokens=sorted(set(tokenizer.tokens(text))),
        words=sorted(set(tokenizer.words(text))),
        names=sorted(_name_matcher().found(simplified)),
        cedict=sorted(cedict.found(simplified)),
    )


def dump(derived: dict[str, Derived]) -> str:
    # vars(), not asdict(): the fields are plain lists already, and asdict deep-copies millions of tokens
    return json.dumps({"version": VERSION, "documents": {k: vars(d) for k, d in derived.items()}}, ensure_ascii=False)


def load(raw: str) -> dict[str, Derived]:
    """The derivations of an earlier build ({} when they are of another version or malformed)."""
    try:
        data = json.loads(raw)
        if data.get("version") != VERSION:
            return {}
        return {k: Derived(**d) for k, d in data["documents"].items()}
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}
