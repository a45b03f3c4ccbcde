"""Shared fixtures: the real report's retriever (built once per session) and small corpora."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


class HashEncoder:
    """A deterministic stand-in encoder: character-bigram hashing, no model, instant."""

    id = "test:hash-bigrams"
    dim = 64

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for a, b in zip(text, text[1:]):
            v[int(hashlib.md5((a + b).encode()).hexdigest(), 16) % self.dim] += 1
        n = np.linalg.norm(v)
        return v / n if n else v

    def passage(self, texts):
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def query(self, texts):
        return self.passage(texts)


@pytest.fixture(scope="session")
def real_index(tmp_path_factory) -> Path:
    """The real report's index, built once into a temp folder (not the checkout's index/)."""
    from qa.config import Config
    from qa.index import build_index

    folder = tmp_path_factory.mktemp("real") / "index"
    build_index(Config(corpus_dir=CORPUS, index_dir=folder), show_progress=False)
    return folder


@pytest.fixture(scope="session")
def retriever(real_index):
    from qa.retriever import Retriever

    return Retriever.load(real_index, corpus_dir=CORPUS, build=False, show_progress=False)


SMALL_DOC = """小城報告
一、總論
1.1背景
小城的公交系統每天運送乘客12萬人次,比2023年增長8%。
1.2目標
到2026年實現全市路燈智能化改造,節約用電30%。
二、措施
###2.1數據平臺
小城建設了統一的數據平臺,接入18個部門的數據。
####2.1.1救護車調度
智能調度使救護車平均到達時間縮短至9分鐘。
"""


def serve_in_thread(app):
    """Run an ASGI app under uvicorn on a free loopback port; returns (url, server, thread)."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    if not server.started:
        raise RuntimeError("the test server did not start")
    return f"http://127.0.0.1:{port}/", server, thread


@pytest.fixture(scope="session")
def app_url(retriever):
    """The served app (chat page, /search, body limit) on a free loopback port, over the shared retriever."""
    from qa import web

    url, server, thread = serve_in_thread(web.server_app(retriever))
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "small.txt").write_text(SMALL_DOC, encoding="utf-8")
    (folder / "glossary.tsv").write_text("en\tzh\tnote\nambulance dispatch\t救護車調度\t\n", encoding="utf-8")
    return folder


@pytest.fixture
def copy_corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder
