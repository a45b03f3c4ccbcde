"""Keyword side: jieba tokens of Simplified text, scored with BM25 (``bm25s``).

Each :class:`Tokenizer` owns its ``jieba.Tokenizer()`` (never the global one) with the
corpus's domain terms as a user dictionary, so two retrievers never share state.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from qa.script import to_simplified

# Question words and function words: they say how a question is asked, not what about.
STOPWORDS = frozenset(
    """的 了 是 在 和 与 及 或 有 吗 呢 吧 啊 呀 么 嘛 哪 哪些 哪个 哪里 什么 多少 几 怎么 怎样 如何 为什么 为何
    是否 是不是 能否 可以 请问 请 一下 告诉 我 我们 你 你们 他 她 它 他们 这 那 这个 那个 这些 那些 其 之
    被 把 将 对 对于 关于 从 到 于 以 为 由 向 给 也 都 就 还 又 并 而 但 及其 以及 等 个 项 种 中 上 下 里
    报告 文中 提到 提及 说 讲 指出 显示 根据 按照 通过 哪方面 方面 情况 具体 主要 目前 现在 会 要 能 让 使
    有没有 有何 何 啥 咋 多 少 呢 年 ？ ? 、""".split()
)
_ALNUM = re.compile(r"[A-Za-z0-9]+(?:[.\-+/][A-Za-z0-9]+)*%?")
_HAN = re.compile(r"[\u3400-\u9fff]")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
# How many texts' word cuts a tokenizer remembers: the report has about 3,000 sentences.
_WORDS_KEPT = 20_000


class Tokenizer:
    """jieba over Simplified text, plus Latin/number tokens kept whole (50PB, PM2.5, 5G-A).

    Args:
        user_words: domain terms (any script) added to this tokenizer's dictionary, so
            "城市大脑" or "一网统管" stay one token as well as being cut for search.
    """

    def __init__(self, user_words: list[str] | tuple[str, ...] = ()) -> None:
        import jieba

        logging.getLogger("jieba").setLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        total = self._jieba.total
        for w in user_words:
            w = to_simplified(w.strip())
            if len(w) >= 2 and _HAN.search(w):
                self._jieba.add_word(w, freq=20000)
        # The dictionary's total frequency stays as it was, so how a text is cut depends only on
        # the words that occur in it, not on every term added (see qa.derive).
        self._jieba.total = total
        self.user_words = tuple(user_words)
        self._lock = threading.Lock()
        self._words: dict[str, tuple[str, ...]] = {}

    def tokens(self, text: str) -> list[str]:
        """Search tokens of ``text``: lower-cased, Simplified, stop words dropped."""
        text = to_simplified(text).lower()
        out: list[str] = []
        for m in _ALNUM.finditer(text):
            tok = m.group()
            out.append(tok)
            # "65.22%" also matches "65.22"; "5g-a" also "5g".
            if tok.endswith("%"):
                out.append(tok[:-1])
        han_only = _ALNUM.sub(" ", text)
        with self._lock:
            words = list(self._jieba.cut_for_search(han_only, HMM=False))
        for w in words:
            w = w.strip()
            if w and _HAN.search(w) and w not in STOPWORDS:
                out.append(w)
        return out


    def words(self, text: str) -> list[str]:
        """The words of ``text`` in order (jieba's precise cut, Simplified), punctuation kept:
        what a word-by-word gloss walks through. The report's sentences are cut again on every
        question that reaches them, so cuts are remembered (up to ``_WORDS_KEPT`` texts)."""
        with self._lock:
            cut = self._words.get(text)
            if cut is None:
                cut = tuple(w for w in self._jieba.cut(to_simplified(text), HMM=False) if w.strip())
                if len(self._words) >= _WORDS_KEPT:
                    self._words.clear()
                self._words[text] = cut
        return list(cut)


def han_bigrams(text: str) -> list[str]:
    """Overlapping character pairs of the Chinese runs of ``text`` (Simplified), plus Latin
    and number tokens: a second keyword view that does not depend on word segmentation,
    so "超大城市" still meets "超大、特大城市"."""
    text = to_simplified(text).lower()
    out = [m.group() for m in _ALNUM.finditer(text)]
    for run in _HAN_RUN.findall(text):
        out.extend(run[i : i + 2] for i in range(len(run) - 1)) if len(run) > 1 else out.append(run)
    return out


# jieba's dictionary tags a few question phrases as names (多少钱 is "nr").
_QUESTION_WORDS = ("多少", "什么", "怎么", "哪", "几", "谁")
_NAME_TAGS = ("ns", "nr", "nt")  # places, people, bodies; "nz" (other) is too loose
_ADMIN_SUFFIX = "市省区县州"


@lru_cache(maxsize=1)
def _tagged_words() -> tuple[tuple[str, str], ...]:
    """(word, part-of-speech tag) of every entry of jieba's dictionary, read once a process:
    a build asks for foreign and written names from the same ~350,000 lines."""
    from importlib.resources import files

    out = []
    for line in (files("jieba") / "dict.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3:
            out.append((parts[0], parts[2]))
    return tuple(out)


def bare_name(word: str) -> str:
    """"杭州市" → "杭州": an administrative suffix does not make a new name."""
    return word[:-1] if len(word) > 2 and word[-1] in _ADMIN_SUFFIX else word


def _is_name(word: str, tag: str) -> bool:
    return tag in _NAME_TAGS and len(word) >= 2 and not any(q in word for q in _QUESTION_WORDS)


def name_candidates() -> set[str]:
    """Every string whose presence in a text :func:`foreign_names` and :func:`written_names`
    ask about: names without their administrative suffix, places and bodies as written."""
    out = set()
    for word, tag in _tagged_words():
        if _is_name(word, tag):
            out.add(bare_name(word))
        if tag in ("ns", "nt") and len(word) >= 2:
            out.add(word)
    return out


def foreign_names(written: set[str]) -> list[str]:
    """Place, person and organisation names of jieba's dictionary that the corpus never
    writes (南京, 重庆 for this report), Simplified and sorted. Stored in the index, so a
    question's names are checked by set membership, without a tagger at query time.

    ``written``: which of :func:`name_candidates` the corpus writes (Simplified). "杭州市" is
    not foreign when the corpus writes "杭州": an administrative suffix does not make a new name.
    """
    return sorted(word for word, tag in _tagged_words() if _is_name(word, tag) and bare_name(word) not in written)


# China's city clusters and economic regions: places, though jieba and CC-CEDICT tag few of them so
# (珠三角 nz, 京津冀 n), which a question can name and a sentence can be about instead of another.
REGIONS = ("长三角", "珠三角", "京津冀", "粤港澳", "粤港澳大湾区", "大湾区", "成渝", "长江经济带", "长株潭", "北部湾", "关中平原")


def written_regions(texts) -> list[str]:
    """The :data:`REGIONS` that ``texts`` (Simplified) write."""
    texts = list(texts)
    return [r for r in REGIONS if any(r in t for t in texts)]


def written_names(written: set[str], tag: str, proper: set[str] | frozenset = frozenset()) -> list[str]:
    """Names of jieba's dictionary with ``tag`` ("ns" places, "nt" bodies) that the corpus
    writes (``written``: which of :func:`name_candidates` it writes), Simplified and sorted:
    the places a question can name, the bodies an answer can.

    ``proper``: words a dictionary marks as proper nouns (CC-CEDICT's capitalised pinyin);
    when given, only those count, because jieba's tags also call 深度 and 入口 places.
    """
    out = [
        word for word, t in _tagged_words()
        if t == tag and len(word) >= 2 and word in written and (not proper or word in proper)
    ]
    return sorted(set(out))


class LexicalIndex:
    """BM25 over token lists; scores every document for a weighted bag of query tokens."""

    def __init__(self, bm25) -> None:
        self._bm25 = bm25
        self.vocab = bm25.vocab_dict

    @classmethod
    def build(cls, token_lists: list[list[str]]) -> "LexicalIndex":
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import
        bm25 = bm25s.BM25(k1=1.2, b=0.75)
        # (an empty list is indexed as one empty document: bm25s needs one; it is never scored)
        bm25.index([toks or ["<empty>"] for toks in token_lists or [[]]], show_progress=False)
        return cls(bm25)

    def scores(self, weighted: dict[str, float], n_docs: int) -> np.ndarray:
        """Σ weight × BM25(token) per document; tokens unknown to the index add nothing."""
        total = np.zeros(n_docs, dtype=np.float32)
        if not n_docs:
            return total
        for tok, w in weighted.items():
            tid = self.vocab.get(tok)
            if tid is None or w == 0:
                continue
            total += w * np.asarray(self._bm25.get_scores_from_ids([tid]), dtype=np.float32)
        return total

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        import bm25s

        return cls(bm25s.BM25.load(str(folder), allow_pickle=False, show_progress=False))


def idf(token_lists: list[list[str]]) -> dict[str, float]:
    """Inverse document frequency of every token, for weighting query terms and sentences."""
    n = len(token_lists)
    df: dict[str, int] = {}
    for toks in token_lists:
        for t in set(toks):
            df[t] = df.get(t, 0) + 1
    return {t: float(np.log(1 + (n - c + 0.5) / (c + 0.5))) for t, c in df.items()}
