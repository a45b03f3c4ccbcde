"""Chinese script and query language: Traditional ↔ Simplified with OpenCC, and detection.

The report is matched in Simplified script (jieba's dictionary and CC-CEDICT's simplified
column agree on it) and shown in the asker's script.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Literal

Language = Literal["zh-Hans", "zh-Hant", "en"]
Script = Literal["zh-Hans", "zh-Hant"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_lock = threading.Lock()


@lru_cache(maxsize=4)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional → Simplified (OpenCC ``t2s``); Simplified text passes unchanged."""
    if not text:
        return text
    with _lock:
        return _converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    """Simplified → Traditional (OpenCC ``s2t``), for showing passages to a Traditional reader."""
    if not text:
        return text
    with _lock:
        return _converter("s2t").convert(text)


def to_mainland(text: str) -> str:
    """Traditional with Taiwan wording → Simplified with mainland wording (OpenCC ``tw2sp``):
    資料 → 数据, 人工智慧 → 人工智能, 網路 → 网络. It also turns 智慧 into 智能, which this
    report keeps apart (智慧城市), so it only adds search terms beside :func:`to_simplified`."""
    if not text:
        return text
    with _lock:
        return _converter("tw2sp").convert(text)


def to_script(text: str, script: str) -> str:
    """``text`` in ``script`` ("zh-Hans" or "zh-Hant"); the report's own script is Traditional."""
    if script == "zh-Hans":
        return to_simplified(text)
    if script == "zh-Hant":
        return to_traditional(text)
    raise ValueError(f"script must be 'zh-Hans' or 'zh-Hant', not {script!r}")


def detect_language(text: str) -> Language:
    """The asker's language and script: "en", "zh-Hans" or "zh-Hant".

    Chinese wins as soon as the question holds Chinese characters and they outweigh the
    English words (so "City Brain 每天处理多少 data?" is Chinese). The script is the one
    the text is already in: converting it to Simplified changes Traditional text only.
    """
    hans = _HAN.findall(text)
    words = _LATIN_WORD.findall(text)
    if not hans or len(words) > 2 * len(hans):
        return "en"
    han_text = "".join(hans)
    simplified = to_simplified(han_text)
    traditional = to_traditional(han_text)
    changed_by_t2s = sum(a != b for a, b in zip(han_text, simplified))
    changed_by_s2t = sum(a != b for a, b in zip(han_text, traditional))
    # A tie with any Traditional-only character is Traditional: Simplified text hardly ever holds
    # one, while converting to Traditional also changes characters Traditional text shares
    # (平台 → 平臺), so 「…平台…用戶」 is Traditional.
    if changed_by_t2s and changed_by_t2s >= changed_by_s2t:
        return "zh-Hant"
    return "zh-Hans"


def is_common_han(ch: str) -> bool:
    """True for a character among the ~3,755 most common (GB2312 level 1, by its Simplified form).

    Used to tell a repaired reading from garbage: mojibake yields rare characters.
    """
    simple = to_simplified(ch)
    try:
        code = simple.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xB0A1 <= int.from_bytes(code, "big") <= 0xD7F9
