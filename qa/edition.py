"""English editions of documents: one English record per sentence of the cleaned text.

A document ``X.txt`` in ``corpus/`` may come with ``X.en.jsonl`` beside it: one JSON
object a line, ``{"section": "3.3.1", "key": "…", "zh": "<the Chinese sentence>", "en":
"<its English>"}``, where ``key`` is :func:`sentence_key` of the Chinese sentence as the
cleaned document writes it, so the edition stays aligned whatever the offsets. Sentences
are the product's own (:func:`qa.chunk.split_sentences` over each section's text).

:func:`check` says what is wrong with an edition: a sentence with no record, a record
no sentence has (the cleaning changed), an empty or duplicated one, and a record whose
numbers differ from its Chinese sentence's after unit conversion (``50億元`` = 5 billion
yuan = 5000000000, ``28萬`` = 280,000, ``1.2萬億美元`` = 1.2 trillion US dollars).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from qa.chunk import split_sentences
from qa.messages import shown
from qa.script import to_simplified
from qa.types import Document

SUFFIX = ".en.jsonl"
UNREADABLE = "〓"

_ZH_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万亿|亿|万|千)?")
_EN_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(trillion|billion|million|thousand)?", re.I)
_ZH_SCALE = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}
_EN_SCALE = {"trillion": 1e12, "billion": 1e9, "million": 1e6, "thousand": 1e3}


class EditionError(ValueError):
    """An edition file cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Record:
    section: str
    key: str
    zh: str
    en: str


def sentence_key(zh: str) -> str:
    """The alignment key of a Chinese sentence: a hash of its Simplified text without spaces."""
    plain = re.sub(r"\s+", "", to_simplified(zh))
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()[:16]


def edition_path(document_path: Path) -> Path:
    """``corpus/X.txt`` → ``corpus/X.en.jsonl``."""
    p = Path(document_path)
    return p.with_name(p.stem + SUFFIX)


def sentences(doc: Document) -> list[tuple[str, str]]:
    """(section id, sentence) of every sentence of the cleaned document, in order."""
    return [(s.id, s.text[a:b]) for s in doc.sections for a, b in split_sentences(s.text)]


def load(path: Path) -> dict[str, Record]:
    """The records of an edition file by key.

    Raises:
        EditionError: a line is not a JSON object with string section, key, zh and en.
    """
    path = Path(path)
    out: dict[str, Record] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise EditionError(f"{shown(path)}: cannot be read ({e})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise EditionError(f"{shown(path)}, line {n}: not JSON ({e})") from None
        if not isinstance(row, dict) or not all(isinstance(row.get(f), str) for f in ("section", "key", "zh", "en")):
            raise EditionError(f"{shown(path)}, line {n}: needs string fields section, key, zh and en")
        out[row["key"]] = Record(row["section"], row["key"], row["zh"], row["en"])
    return out


def numbers_zh(text: str) -> Counter:
    """The numeric values a Chinese sentence writes in digits, scaled by 万/亿/万亿/千."""
    out: Counter = Counter()
    for m in _ZH_NUMBER.finditer(to_simplified(text)):
        value = float(m.group(1).replace(",", "")) * _ZH_SCALE.get(m.group(2) or "", 1.0)
        out[_norm(value)] += 1
    return out


def numbers_en(text: str) -> Counter:
    """The numeric values an English sentence writes in digits, scaled by thousand … trillion."""
    out: Counter = Counter()
    for m in _EN_NUMBER.finditer(text):
        value = float(m.group(1).replace(",", "")) * _EN_SCALE.get((m.group(2) or "").lower(), 1.0)
        out[_norm(value)] += 1
    return out


def _norm(value: float) -> str:
    return f"{value:.6g}"


def numeric_mismatch(zh: str, en: str) -> str:
    """"" when both sentences hold the same set of numbers; else what differs."""
    a, b = set(numbers_zh(zh)), set(numbers_en(en))
    if a == b:
        return ""
    parts = []
    if a - b:
        parts.append("missing in English: " + ", ".join(sorted(a - b)))
    if b - a:
        parts.append("not in the Chinese: " + ", ".join(sorted(b - a)))
    return "; ".join(parts)


class Lookup:
    """The English of any sentence of one document's edition: by key, or, for a piece of a
    long sentence that the chunker cut at a comma, the record whose sentence holds it."""

    def __init__(self, records: dict[str, Record]) -> None:
        self.records = records
        self._plain = [(re.sub(r"\s+", "", to_simplified(r.zh)), r) for r in records.values()]

    def english(self, zh: str) -> str:
        r = self.records.get(sentence_key(zh))
        if r is not None:
            return r.en
        piece = re.sub(r"\s+", "", to_simplified(zh))
        if len(piece) < 6:
            return ""
        return next((r.en for plain, r in self._plain if piece in plain), "")


def check(doc: Document, records: dict[str, Record]) -> list[str]:
    """Every problem of an edition against its document (empty when it is complete and faithful)."""
    problems = []
    wanted = sentences(doc)
    keys = Counter(sentence_key(zh) for _sid, zh in wanted)
    for sid, zh in wanted:
        r = records.get(sentence_key(zh))
        if r is None:
            problems.append(f"§{sid}: no English for {zh[:40]!r}")
            continue
        if not r.en.strip():
            problems.append(f"§{sid}: empty English for {zh[:40]!r}")
            continue
        if UNREADABLE in zh and "unreadable" not in r.en.lower():
            problems.append(f"§{sid}: the Chinese has unreadable text (〓); the English must say so: {zh[:40]!r}")
        mismatch = numeric_mismatch(zh, r.en)
        if mismatch:
            problems.append(f"§{sid}: numbers differ ({mismatch}) in {zh[:40]!r}")
    for key, r in records.items():
        if key not in keys:
            problems.append(f"§{r.section}: orphaned record (no such sentence in the document): {r.zh[:40]!r}")
    return problems
