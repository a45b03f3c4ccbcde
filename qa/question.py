"""A question at the door: type-checked, normalised like the report, capped, sorted from non-questions.

Every surface (Python, CLI, Gradio) goes through :func:`check`, so a question is
normalised once, with the report's own normalisation (:func:`qa.clean.normalize_unicode`:
NFKC, zero-width and control characters removed) before anything else looks at it;
full-width ``ＣＩＴＹ　ＢＲＡＩＮ`` and ``５Ｇ`` become ``CITY BRAIN`` and ``5G``. Cost is
bounded here too: the text is cut to ``cap`` characters, runs of combining marks to two,
and what the dense encoder sees to :data:`DENSE_CHARS` (its time grows with length, and
the start of a question says what it is about). The keyword cap counts characters of
Chinese; an English question reads :data:`LATIN_FACTOR` times as many (:func:`reading_cap`).

Non-questions never reach retrieval: nothing but symbols is ``empty``; only numbers or
single letters (``7``, ``x``, ``1+1``), code or template fragments with no other words
(``{{7*7}}``, ``DROP TABLE``, ``alert(1)``), test words (``test``, ``asdf``) and small
talk (你好, 谢谢, hello, help: the reply says what can be asked) are ``not_covered``. Each comes with the key of the sentence that says why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from qa.clean import normalize_unicode
from qa.config import MAX_K
from qa.types import Status

# What the dense encoder reads of a question; ~3x a typical question's length, so a long
# one costs at most a few typical ones (time grows with tokens), and 2,000-character
# questions from many users cannot stall the others.
DENSE_CHARS = 96
# Keyword search reads this many characters at most (jieba, BM25 and the answer-sentence
# weights grow with the number of distinct words); longer questions repeat or ramble.
LEXICAL_CHARS = 160
# English takes about this many times the characters Chinese takes to say the same: the mean dev
# English question is 3.8x the mean Chinese one (88 and 23 characters), and a long one cut at 160
# lost what it asked after its preamble. (The dense encoder's cap stays one for both: read thrice as
# far, an English question's vector is no better on dev, and the outline model was fitted on it.)
LATIN_FACTOR = 3

_HTML = re.compile(r"<[^>]{0,200}>")
_HAS_CONTENT = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
# A "word" for the non-question test: two or more letters/digits with at least one letter (5G, GDP, city).
_WORD = re.compile(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*")
_COMBINING_RUN = re.compile(r"([\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]{2})[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_CODE = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\$\{.*?\}|<%.*?%>"  # template expressions
    r"|\b(?:select\b.{0,200}?\bfrom|insert\s+into|drop\s+(?:table|database|schema)|delete\s+from"
    r"|update\s+\w+\s+set|union\s+(?:all\s+)?select|truncate\s+table|alter\s+table|create\s+table)\b"  # SQL
    r"|'\s*or\s+'?\d+'?\s*=\s*'?\d+"  # SQL injection
    r"|\b(?:alert|prompt|confirm|eval|exec|system)\s*\([^)]{0,200}\)|javascript:|\bon(?:error|load|click)\s*="
    r"|\b(?:document|window)\.\w+|\$\(\s*\w+\s*\)|\brm\s+-rf\b|\.\./",  # script and shell
    re.IGNORECASE,
)
# Greetings, thanks and calls for help: answered as a chat would, never searched.
_SMALL_TALK = re.compile(
    r"^\s*(?:你好|您好|嗨|哈囉|哈喽|早上好|晚上好|谢谢|謝謝|多谢|多謝|感谢|感謝|谢了|謝了|帮助|幫助|帮忙|幫忙|怎么用|怎麼用|使用说明|使用說明"
    r"|hi|hello|hey|thanks|thank you|thx|cheers|help|how do i use this|what can you do)"
    r"(?:\s*(?:啊|呀|哦|了|你|您|a lot|very much|there))?[\s!！。.?？~～,，]*$",
    re.IGNORECASE,
)
# Words people type to try a box, not to ask it anything.
_TEST_WORDS = frozenset(
    "test testing tests asdf asd qwerty foo bar baz foobar lorem ipsum dolor null undefined none nan "
    "true false xxx aaa abc hello world".split()
)


class QuestionError(ValueError):
    """The question, ``k`` or ``script`` cannot be used; the message says what is allowed."""


@dataclass(frozen=True)
class Checked:
    """A question ready for retrieval, or the reason it does not need any.

    Attributes:
        text: the normalised question, cut to the cap: what is searched and echoed.
        capped: the question was longer than the cap.
        status: ``None`` when it should be searched; ``Status.EMPTY`` or
            ``Status.NOT_COVERED`` when it is not a question about the report.
        why: key of the message (:mod:`qa.messages`) that says why, when ``status`` is set.
        words: the non-question words, for that message.
    """

    text: str
    capped: bool
    status: Status | None = None
    why: str = ""
    words: str = ""

    @property
    def lexical_text(self) -> str:
        """What keyword search reads: a bounded prefix, not ending inside a Latin word ("Qinqing
        Onli" of "Qinqing Online" would be a name the report never mentions)."""
        cap = reading_cap(self.text, LEXICAL_CHARS)
        cut = self.text[:cap]
        if len(self.text) > cap and self.text[cap].isascii() and self.text[cap].isalnum():
            cut = re.sub(r"[A-Za-z0-9]+$", "", cut)
        return cut


def reading_cap(text: str, cap: int) -> int:
    """``cap`` (characters of Chinese) for ``text``: :data:`LATIN_FACTOR` times as many when its
    start is mostly Latin letters (an English question), else ``cap``."""
    start = text[: cap * LATIN_FACTOR]
    return cap * LATIN_FACTOR if len(_LATIN.findall(start)) > 2 * len(_HAN.findall(start)) else cap


def check_k(k) -> int:
    if isinstance(k, bool) or not isinstance(k, int) and not _is_numpy_int(k) or not 1 <= int(k) <= MAX_K:
        raise QuestionError(f"k must be an integer from 1 to {MAX_K}, not {k!r}")
    return int(k)


def _is_numpy_int(k) -> bool:
    return type(k).__module__ == "numpy" and hasattr(k, "dtype") and k.dtype.kind in "iu"


def check_script(script) -> str | None:
    if script not in (None, "zh-Hans", "zh-Hant"):
        raise QuestionError(f"script must be 'zh-Hans', 'zh-Hant' or None, not {script!r}")
    return script


def check_docs(docs, names: tuple[str, ...]) -> tuple[str, ...]:
    """The documents a question is limited to: names from ``names`` (the shelf), or () for all."""
    if docs is None:
        return ()
    if isinstance(docs, str) or not isinstance(docs, (list, tuple, set, frozenset)):
        raise QuestionError(f"docs must be a list of document names, not {type(docs).__name__}")
    out = []
    for d in docs:
        if not isinstance(d, str) or d not in names:
            raise QuestionError(
                f"no document named {str(d)[:80]!r} on the shelf; on it: {', '.join(names[:20])}"
                + (" …" if len(names) > 20 else "")
            )
        if d not in out:
            out.append(d)
    return tuple(out)


MAX_CONTEXT_ITEMS = 20


def check_context(context) -> list[str]:
    """The earlier questions of a conversation: a list or tuple of texts, the last
    :data:`MAX_CONTEXT_ITEMS` kept (older ones cannot change what a follow-up means)."""
    if context is None:
        return []
    if isinstance(context, str) or not isinstance(context, (list, tuple)):
        raise QuestionError(f"context must be a list of earlier questions, not {type(context).__name__}")
    for item in context:
        if not isinstance(item, str):
            raise QuestionError(f"context must hold only texts, not {type(item).__name__}")
    return list(context)[-MAX_CONTEXT_ITEMS:]


def normalise(question: str, cap: int) -> tuple[str, bool]:
    """The report's normalisation, markup removed, white space collapsed, cut to ``cap``."""
    text = question[: cap * 4]  # cheap pre-cut before regex work on a huge input
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = normalize_unicode(text.replace("\r", " ").replace("\n", " ").replace("\t", " "))
    text = _COMBINING_RUN.sub(r"\1", text)
    text = unicodedata.normalize("NFKC", text)  # ？ too: a question mark is a question mark here
    text = _HTML.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    capped = len(text) > cap or len(question) > cap * 4
    return text[:cap], capped


def check(question, cap: int) -> Checked:
    """Normalise ``question`` and decide whether it needs a search at all.

    Raises:
        QuestionError: ``question`` is not a string.
    """
    if not isinstance(question, str):
        raise QuestionError(f"question must be a string, not {type(question).__name__}")
    text, capped = normalise(question, cap)
    if not _HAS_CONTENT.search(text):
        return Checked(text, capped, Status.EMPTY, "empty")
    if _SMALL_TALK.match(text):
        return Checked(text, capped, Status.NOT_COVERED, "small_talk")
    code = bool(_CODE.search(text))
    rest = _CODE.sub(" ", text) if code else text
    words = [w for w in _WORD.findall(rest) if len(w) >= 2]
    if not _HAN.search(rest) and not words:
        return Checked(text, capped, Status.NOT_COVERED, "code" if code else "no_words")
    if code and len(_HAN.findall(rest)) < 2 and len(words) < 2:
        return Checked(text, capped, Status.NOT_COVERED, "code")
    if not _HAN.search(rest) and all(w.lower() in _TEST_WORDS for w in words):
        return Checked(text, capped, Status.NOT_COVERED, "not_a_question", " ".join(words))
    return Checked(text, capped)
