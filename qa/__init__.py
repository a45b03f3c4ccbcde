"""Bilingual extractive question answering over a Chinese policy report.

>>> from qa import Retriever
>>> r = Retriever.load()            # builds index/ on first use, with a progress bar
>>> a = r.ask("杭州城市大脑每天处理多少数据？", k=5)
>>> a.found, a.hits[0].section_id, a.hits[0].answer

Importing this package loads no model, no jieba dictionary, no torch and no gradio:
everything heavy happens on first use.
"""

from __future__ import annotations

import threading
from importlib import metadata

from qa.types import Answer, Hit, Section

try:
    __version__ = metadata.version("qa")
except metadata.PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["Retriever", "Answer", "Hit", "Section", "ask", "search", "__version__"]

_shared = None
_shared_lock = threading.Lock()


def __getattr__(name: str):
    # Retriever pulls numpy, faiss and the encoders: import it only when asked for.
    if name == "Retriever":
        from qa.retriever import Retriever

        return Retriever
    raise AttributeError(f"module 'qa' has no attribute {name!r}")


def _retriever():
    global _shared
    with _shared_lock:
        if _shared is None:
            from qa.retriever import Retriever

            _shared = Retriever.load()
        return _shared


def ask(question: str, k: int = 5) -> Answer:
    """Answer with a process-wide :class:`Retriever` (loaded, or built, on first call)."""
    return _retriever().ask(question, k)


def search(question: str, k: int = 5) -> list[Hit]:
    """The cited passages for ``question``, best first: ``ask(question, k).hits``."""
    return _retriever().search(question, k)
