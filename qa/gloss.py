"""A word-by-word English gloss of a Chinese sentence, for documents without an English edition.

Offline and crude by design, and always labelled so ("word-by-word gloss, not a
translation"): each word is looked up in the curated glossary first, then in CC-CEDICT's
first plain sense (built once per index, for the words the corpus uses); numbers and
Latin words are kept as they are; particles are dropped; a word with no entry stays in
Chinese.
"""

from __future__ import annotations

import re

from qa.script import to_simplified

# Particles and function words that carry nothing a gloss can show.
PARTICLES = frozenset("的 了 着 过 地 得 之 其 而 并 也 都 就 又 还 等 等等 及 与 和 或 把 被 将 对 于 以 为 所 者 呢 吗 吧 啊".split())
_LATIN = re.compile(r"^[A-Za-z0-9.%+\-/:]+$")
_PUNCT = re.compile(r"^[\W_]+$")


_SKIP = ("cl:", "variant of", "old variant", "surname", "see ", "used in", "abbr", "also written", "japanese", "korean")


def build_gloss(words, entries, glossary) -> dict[str, str]:
    """Simplified word → its English for a gloss: the glossary's, else the first plain sense
    CC-CEDICT gives (parentheses and classifiers dropped, first of ";"-separated senses)."""
    wanted = {to_simplified(w) for w in words}
    out: dict[str, str] = {}
    for entry in entries:
        zh = entry["simplified"]
        if zh not in wanted or zh in out:
            continue
        for definition in entry["definitions"]:
            sense = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", definition).split(";")[0].strip()
            sense = re.sub(r"^(to|sth|sb)\s+", "", re.sub(r"\s+", " ", sense))
            if sense and not sense.lower().startswith(_SKIP) and len(sense) <= 40:
                out[zh] = sense
                break
    for en, zh in glossary:  # the curated names win
        out[to_simplified(zh)] = en
    return out


class Glosser:
    """Glosses Chinese text word by word.

    Args:
        table: Simplified word → English (:func:`build_gloss`, stored in the index).
        words: a function that cuts text into words in order (``Tokenizer.words``).
    """

    def __init__(self, table: dict, words) -> None:
        self._words = words
        self._english = table

    def gloss(self, text: str) -> str:
        """``text`` glossed word by word ("city brain · daily · process · data · 100TB")."""
        out: list[str] = []
        for word in self._words(text):
            if _PUNCT.match(word):
                continue
            if _LATIN.match(word):
                out.append(word)
            elif word in PARTICLES:
                continue
            else:
                out.append(self._english.get(to_simplified(word), word))
        return " · ".join(out)
