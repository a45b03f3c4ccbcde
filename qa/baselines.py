"""What a developer would assemble in an afternoon, to measure the product against.

- ``bm25``: jieba tokens (Simplified) of whole sections, BM25; no translation.
- ``dense``: the same encoder over whole sections, FAISS flat inner product.
- ``naive``: the tutorial recipe: fixed 500-character windows over the *uncleaned* text,
  the same encoder, FAISS; a window is cited by the section its middle falls in.

Each returns section ids best first, one per section.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.corpus import Corpus
from qa.readers import SUFFIXES, read
from qa.index import make_faiss_index
from qa.lexical import LexicalIndex, Tokenizer
from qa.script import to_simplified


def embed_cached(encoder, texts: list[str], cache_dir: Path | None) -> np.ndarray:
    """Passage vectors of ``texts``, kept in ``cache_dir`` under a hash of the encoder and texts,
    so repeated `qa eval` runs embed the baselines' passages once."""
    if cache_dir is None:
        return encoder.passage(texts)
    key = hashlib.sha256(("\x00".join([encoder.id, *texts])).encode("utf-8")).hexdigest()[:24]
    path = Path(cache_dir) / f"{key}.npy"
    if path.exists():
        try:
            vectors = np.load(path, allow_pickle=False)
            if vectors.shape == (len(texts), encoder.dim):
                return vectors
        except (OSError, ValueError):
            pass
    vectors = encoder.passage(texts)
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, vectors, allow_pickle=False)
    tmp.replace(path)
    return vectors


def _unique(ids) -> list[str]:
    seen: list[str] = []
    for i in ids:
        if i not in seen:
            seen.append(i)
    return seen


def _sections(corpus: Corpus):
    return [s for d in corpus.documents for s in d.sections if s.text.strip()]


@dataclass
class BM25Sections:
    corpus: Corpus
    tokenizer: Tokenizer

    def __post_init__(self):
        self.secs = _sections(self.corpus)
        self.index = LexicalIndex.build([self.tokenizer.tokens(s.title + " " + s.text) for s in self.secs])

    def rank(self, question: str, k: int = 10) -> list[str]:
        toks = {t: 1.0 for t in self.tokenizer.tokens(question)}
        scores = self.index.scores(toks, len(self.secs))
        return _unique(self.secs[i].id for i in np.argsort(-scores)[:k])


@dataclass
class DenseSections:
    corpus: Corpus
    encoder: object
    cache_dir: Path | None = None

    def __post_init__(self):
        self.secs = _sections(self.corpus)
        vectors = embed_cached(self.encoder, [to_simplified(s.title + "\n" + s.text) for s in self.secs], self.cache_dir)
        self.index = make_faiss_index(vectors)

    def rank(self, question: str, k: int = 10) -> list[str]:
        q = self.encoder.query([to_simplified(question)])
        _scores, ids = self.index.search(q.astype(np.float32), min(k, len(self.secs)))
        return _unique(self.secs[i].id for i in ids[0] if i >= 0)


@dataclass
class NaiveWindows:
    """500-character windows of the raw scrape (pinyin, boilerplate and all)."""

    corpus: Corpus
    encoder: object
    cache_dir: Path | None = None
    window: int = 500

    def __post_init__(self):
        self.windows: list[tuple[str, str]] = []
        for doc in self.corpus.documents:
            path = next(
                (p for p in self.corpus.root.iterdir() if p.stem == doc.name and p.suffix.lower() in SUFFIXES), None
            )
            if path is None:
                continue
            raw = read(path)  # the file as it is, before cleaning: what a naive system would index
            marks = self._heading_positions(raw, doc)
            for start in range(0, len(raw), self.window):
                piece = raw[start : start + self.window]
                middle = start + len(piece) // 2
                sid = "0"
                for pos, s in marks:
                    if pos <= middle:
                        sid = s
                self.windows.append((sid, piece))
        vectors = embed_cached(self.encoder, [w for _, w in self.windows], self.cache_dir)
        self.index = make_faiss_index(vectors)

    @staticmethod
    def _heading_positions(raw: str, doc) -> list[tuple[int, str]]:
        marks = []
        cursor = 0
        for s in doc.sections:
            if "." in s.id:
                m = re.compile(rf"^#*\s*{re.escape(s.id)}(?!\.\d)", re.M).search(raw, cursor)
            else:
                m = re.compile(r"^[一二三四五六七八九十]+、", re.M).search(raw, cursor)
            if m:
                marks.append((m.start(), s.id))
                cursor = m.end()
        return marks

    def rank(self, question: str, k: int = 10) -> list[str]:
        q = self.encoder.query([question])
        _scores, ids = self.index.search(q.astype(np.float32), min(k * 3, len(self.windows)))
        return _unique(self.windows[i][0] for i in ids[0] if i >= 0)[:k]
