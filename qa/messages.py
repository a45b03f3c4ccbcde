"""Every sentence the retriever says to a person, in zh-Hans, zh-Hant and English.

Retrieval code picks a key and named values; :func:`say` words it in the asker's
language. :func:`shown` makes any untrusted name (a file name, a word of the question)
safe to print: control characters escaped, length bounded.
"""

from __future__ import annotations

import unicodedata

LANGUAGES = ("zh-Hans", "zh-Hant", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "empty": {
        "zh-Hans": "问题是空的：没有可以检索的字词。",
        "zh-Hant": "問題是空的：沒有可以檢索的字詞。",
        "en": "The question is empty: it has no words to search for.",
    },
    "no_words": {
        "zh-Hans": "问题里只有数字、单个字母或符号，没有可以检索的字词；请用一句话提问。",
        "zh-Hant": "問題裡只有數字、單個字母或符號，沒有可以檢索的字詞；請用一句話提問。",
        "en": "The question holds only numbers, single letters or symbols, no words to search for; please ask in a sentence.",
    },
    "code": {
        "zh-Hans": "这看起来是代码或模板片段，不是关于报告的问题；报告中没有相关内容。",
        "zh-Hant": "這看起來是程式碼或模板片段，不是關於報告的問題；報告中沒有相關內容。",
        "en": "This looks like a fragment of code or a template, not a question about the report; the report has nothing on it.",
    },
    "not_a_question": {
        "zh-Hans": "「{words}」不是关于报告的问题；请问报告里的内容，例如：杭州城市大脑每天处理多少数据？",
        "zh-Hant": "「{words}」不是關於報告的問題；請問報告裡的內容，例如：杭州城市大腦每天處理多少數據？",
        "en": "\u201c{words}\u201d is not a question about the report; ask about its content, e.g. How much data does Hangzhou's City Brain process each day?",
    },
    "not_mentioned": {
        "zh-Hans": "报告中没有提到「{names}」；以下是最接近的章节。",
        "zh-Hant": "報告中沒有提到「{names}」；以下是最接近的章節。",
        "en": "The report does not mention {names}; the nearest sections are shown.",
    },
    "not_answered": {
        "zh-Hans": "报告中似乎没有回答这个问题的内容；以下是最接近的章节。",
        "zh-Hant": "報告中似乎沒有回答這個問題的內容；以下是最接近的章節。",
        "en": "The report does not seem to answer this question; the nearest sections are shown.",
    },
    "cut": {
        "zh-Hans": "（问题超过 {cap} 个字符，只检索了前 {cap} 个。）",
        "zh-Hant": "（問題超過 {cap} 個字元，只檢索了前 {cap} 個。）",
        "en": "(The question was cut to {cap} characters.)",
    },
}

_MAX_NAMES = 5


def say(key: str, language: str, **values) -> str:
    """The sentence ``key`` in ``language`` ("zh-Hans", "zh-Hant" or "en"; others get English)."""
    words = MESSAGES[key]
    return words.get(language, words["en"]).format(**values)


def shown(text: object, limit: int = 200) -> str:
    """``text`` safe to print in a message: control and format characters escaped as
    ``\\x1b`` / ``\\u200b``, and cut to ``limit`` characters with an ellipsis."""
    out = []
    for ch in str(text):
        if ch in "\t" or unicodedata.category(ch)[0] != "C":
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    s = "".join(out)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def name_list(names, limit: int = _MAX_NAMES) -> str:
    """Distinct names in first-seen order, at most ``limit`` (then "…"), joined for a message."""
    seen: list[str] = []
    for n in names:
        n = shown(n, 60)
        if n not in seen:
            seen.append(n)
    more = len(seen) > limit
    return ", ".join(seen[:limit]) + (", …" if more else "")
