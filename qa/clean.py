"""Turn a scraped report into clean text: boilerplate, pinyin, mojibake and Unicode.

Every step is a pure function of a string, so each can be tested on its own and the
whole of :func:`clean_text` is idempotent (cleaning clean text changes nothing).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

from functools import lru_cache

from qa.script import is_common_han, to_simplified

# Tone-marked pinyin as the document site glues it after characters: 經(jīng)濟(jì).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_SYLLABLE = rf"[a-zü]*[{_TONED}][a-zü]*"
_PINYIN = re.compile(rf"\({_SYLLABLE}\)")
# A mojibake byte ate the opening parenthesis: 區塊鏈?zhǔn)袌 keeps only "?zhǔn)".
_ORPHAN_PINYIN = re.compile(rf"\?{_SYLLABLE}\)")
# HTML left over from the page; the "<" is sometimes eaten by mojibake ("?/p>").
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*\s*/?>|(?<=\?)/[a-z]{1,6}>")

# Lines of the document site around the report (人人文庫-style pages). A line that
# *starts* an end block cuts everything after it; a head line is dropped alone.
_HEAD_LINES = re.compile(r"^(版權說明|文檔簡介|文档简介|版权说明)")
_TAIL_START = re.compile(r"^(溫馨提示|温馨提示|最新文檔|最新文档|評論|评论|提交評論|提交评论)\s*$")
_TAIL_LINE = re.compile(r"^(-\s*\d+\.\s*(本站|未經|下載|人人文庫)|\d+/\d+\s*$)")

# What a mojibake run is replaced with when its bytes cannot be recovered:
# GETA MARK, the typographers' sign for "a character that could not be set".
UNREADABLE = "〓"
_ALONE_FREQ = 20_000
_FULLWIDTH = {";": "；", ",": "，", ":": "：", "!": "！"}
_HALFWIDTH = {v: k for k, v in _FULLWIDTH.items()}
_CJK_PUNCT = set("。、“”‘’「」《》—…，：；！（）")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def strip_boilerplate(text: str) -> str:
    """Drop the site's header lines and everything from its footer block on.

    A footer marker ("溫馨提示", "最新文檔", "評論") cuts the rest only when what follows
    it is the site's list ("- 1. 本站…", "- 某文檔") or nothing, so a report that
    quotes such a word in its body keeps its body.
    """
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _TAIL_START.match(line.strip()):
            # (Other footer markers after it are the footer too: 「溫馨提示」 twice is cut at the first.)
            following = [x.strip() for x in lines[i + 1 :]
                         if x.strip() and not _HEAD_LINES.match(x.strip()) and not _TAIL_START.match(x.strip())]
            if not following or following[0].startswith("-") or _TAIL_LINE.match(following[0]):
                lines = lines[:i]
                break
    return "\n".join(line for line in lines if not _is_site_line(line.strip()))


def _is_site_line(bare: str) -> bool:
    return bool(_HEAD_LINES.match(bare) or _TAIL_LINE.match(bare))


def strip_pinyin(text: str) -> str:
    """Remove pinyin glued after characters; real parentheses such as (IDC) stay."""
    text = _PINYIN.sub("", text)
    return _ORPHAN_PINYIN.sub("?", text)


def strip_html(text: str) -> str:
    """Remove HTML tags left in the scrape (``</p>``), including ones mojibake cut."""
    return _HTML_TAG.sub("", text)


@lru_cache(maxsize=1)
def _word_pairs() -> tuple[frozenset, frozenset]:
    """Character pairs that make (part of) a word in jieba's dictionary, and the
    characters common enough to stand alone (和, 的, 於 …); both in Simplified script.

    Read from the dictionary file only when a mojibake repair needs checking.
    """
    try:
        from importlib.resources import files

        lines = (files("jieba") / "dict.txt").read_text(encoding="utf-8").splitlines()
    except (ImportError, OSError):
        return frozenset(), frozenset()
    pairs: set[str] = set()
    alone: set[str] = set()
    for line in lines:
        parts = line.split(" ")
        if len(parts) < 2 or not parts[1].isdigit():
            continue
        word, freq = parts[0], int(parts[1])
        if len(word) == 1 and freq >= _ALONE_FREQ:
            alone.add(word)
        elif len(word) >= 2 and freq >= 3:
            pairs.add(word[:2])
            pairs.add(word[-2:])
    return frozenset(pairs), frozenset(alone)


def _reads_as_words(prev: str, reading: str, following: str, bigrams: Counter) -> bool:
    """Every Chinese character of ``reading`` pairs into a word with a neighbour (the text
    around it included), or stands alone; mojibake readings fail this, real text passes."""
    context = (prev or " ") + reading + (following or " ")
    simple = to_simplified(context)
    pairs, alone = _word_pairs()
    for i, ch in enumerate(simple[1:-1], start=1):
        if not _CJK.match(ch) or ch in alone:
            continue
        left, right = simple[i - 1 : i + 1], simple[i : i + 2]
        if left in pairs or right in pairs or bigrams[context[i - 1 : i + 1]] > 1 or bigrams[context[i : i + 2]] > 1:
            continue
        return False
    return True


def _char_stats(text: str) -> tuple[Counter, Counter]:
    clean = re.sub(r"\?.{0,12}", "", text)
    chars = Counter(clean)
    bigrams = Counter(a + b for a, b in zip(clean, clean[1:]))
    return chars, bigrams


def _decode_shifted(prev: str, garbage: str, chars: Counter, bigrams: Counter) -> tuple[float, str] | None:
    """Best reading of ``garbage`` as GBK decoded one byte late (the first byte lost).

    Tries every lost lead byte; a reading counts only when each character it yields
    occurs elsewhere in the document, and is scored by how common its characters are
    and how many of its bigrams (with the preceding character) the document uses.
    """
    if "?" in garbage or "\n" in garbage:
        return None
    try:
        data = "".join(_FULLWIDTH.get(c, c) for c in garbage).encode("gbk")
    except UnicodeEncodeError:
        return None
    best: tuple[float, str] | None = None
    for lead in range(0x81, 0xFF):
        try:
            reading = (bytes([lead]) + data).decode("gbk")
        except UnicodeDecodeError:
            continue
        reading = "".join(_HALFWIDTH.get(c, c) for c in reading)
        if not all(_plausible(c) for c in reading):
            continue
        score = sum(math.log1p(chars[c]) for c in reading)
        score += 8 * sum(bigrams[a + b] > 1 for a, b in zip(prev + reading, reading))
        if best is None or score > best[0]:
            best = (score, reading)
    return best


def _plausible(ch: str) -> bool:
    if ch.isascii():
        return ch.isprintable() and ch != "?"
    if ch in _CJK_PUNCT:
        return True
    return is_common_han(ch)


def repair_mojibake(text: str) -> str:
    """Repair runs like ``?;仡櫄v史`` (→ ``。回顧歷史``) or mark them unreadable.

    A run starts at an ASCII ``?`` between CJK text, where GBK bytes were decoded one
    byte out of step. The repair with the shortest garbage span whose reading stays
    stable when the span grows is taken; a run with no acceptable reading becomes
    :data:`UNREADABLE` together with the rare characters that follow it, so that no
    garbage is indexed or shown.
    """
    if "?" not in text:
        return text
    chars, bigrams = _char_stats(text)
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c != "?" or not _looks_like_mojibake(text, i):
            out.append(c)
            i += 1
            continue
        prev = out[-1] if out else ""
        fixed = _stable_repair(text, i, prev, chars, bigrams)
        if fixed is not None:
            reading, end = fixed
            out.append(reading)
            i = end
            continue
        end = i + 1
        # The garbage goes on until a character that pairs with its neighbour the way
        # the rest of the document does: that is where readable text resumes.
        pairs, _alone = _word_pairs()
        while end < len(text) - 1 and text[end] != "\n" and bigrams[text[end : end + 2]] < 2:
            two = text[end : end + 2]
            if all(_CJK.match(ch) and is_common_han(ch) for ch in two) and to_simplified(two) in pairs:
                break
            end += 1
        out.append(UNREADABLE)
        i = end
    return "".join(out)


def _looks_like_mojibake(text: str, i: int) -> bool:
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if not before:
        return False
    cjk_before = bool(_CJK.match(before)) or before in "”“、，。"
    return cjk_before and after not in ("", "\n", " ", "\t")


def _stable_repair(text: str, i: int, prev: str, chars: Counter, bigrams: Counter) -> tuple[str, int] | None:
    limit = min(len(text), i + 16)
    line_end = text.find("\n", i)
    if line_end != -1:
        limit = min(limit, line_end)
    for end in range(i + 2, limit):
        got = _decode_shifted(prev, text[i + 1 : end], chars, bigrams)
        if got is None:
            continue
        # Past the point where the byte stream realigns, a longer span reads as the
        # same repair plus the untouched text that follows: that marks the true end.
        tail = text[end : min(end + 3, limit)]
        stable = not tail
        if tail:
            longer = _decode_shifted(prev, text[i + 1 : end + len(tail)], chars, bigrams)
            stable = longer is not None and longer[1] == got[1] + tail
        if stable:
            following = text[end : end + 1]
            if _reads_as_words(prev, got[1], following, bigrams):
                return got[1], end
            return None
    return None


def strip_markdown_emphasis(text: str) -> str:
    """``-**全域感知網絡**:…`` → ``-全域感知網絡:…``: bold marks are emphasis, not words."""
    return re.sub(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", r"\1", text)


def normalize_unicode(text: str) -> str:
    """NFKC, which folds full-width Latin, digits and ,:;!()<> to ASCII; ``？`` stays.

    Chinese sentence marks that NFKC leaves alone (。、「」“”) stay as they are, so the
    sentence splitter still sees them; the report itself writes , and : in ASCII.
    """
    # Control characters other than newline and tab carry nothing readable. They go before NFKC:
    # one removed between two combining marks would leave the marks out of canonical order.
    text = re.sub(r"[\u200b-\u200f\u2028\u2029\ufeff]", "", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = "？".join(unicodedata.normalize("NFKC", part) for part in text.split("？"))
    text = re.sub(r"[ \t]+\n", "\n", text)
    return text


def _fixpoint(step, text: str, limit: int = 8) -> str:
    # Removing one tag or annotation can join the pieces of another: repeat until stable.
    for _ in range(limit):
        new = step(text)
        if new == text:
            break
        text = new
    return text


def clean_text(text: str) -> str:
    """The whole cleaning pipeline, in the order the defects were made undone.

    Unicode is normalised first, so full-width brackets around pinyin or HTML fold to
    the ASCII the later steps look for; the full-width ``？`` is kept, because an ASCII
    ``?`` between Chinese characters is the mojibake signature. Idempotent: cleaning
    clean text changes nothing.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = normalize_unicode(text)
    text = _fixpoint(strip_markdown_emphasis, text)
    text = _fixpoint(lambda t: strip_html(strip_pinyin(t)), text)
    text = strip_boilerplate(text)
    text = repair_mojibake(text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return text.strip("\n")
