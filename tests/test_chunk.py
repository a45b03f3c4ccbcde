"""qa.chunk: sections → chunks that keep offsets, respect the size and end on sentences."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa.chunk import (
    CLAUSE_CHARS,
    CLAUSE_WORDS,
    chunk_documents,
    split_clauses,
    split_sentences,
)
from qa.clean import clean_text
from qa.corpus import load_corpus, load_document
from qa.parse import parse

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SENTENCE_END = tuple("。！？!?；;\n")
SIZES = [320, 80]


@pytest.fixture(scope="module")
def doc():
    return load_corpus(CORPUS).documents[0]


@pytest.fixture(scope="module")
def chunks_by_size(doc):
    return {n: chunk_documents([doc], chunk_chars=n) for n in SIZES}


def _squash(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.mark.parametrize("chunk_chars", SIZES)
def test_chunk_text_is_its_slice_of_the_document(doc, chunks_by_size, chunk_chars):
    chunks = chunks_by_size[chunk_chars]
    assert chunks
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text, c.id
        assert c.text == c.text.strip() and c.text


@pytest.mark.parametrize("chunk_chars", SIZES)
def test_no_chunk_is_longer_than_chunk_chars(chunks_by_size, chunk_chars):
    chunks = chunks_by_size[chunk_chars]
    assert max(len(c.text) for c in chunks) <= chunk_chars


def test_smaller_chunk_size_gives_more_chunks(chunks_by_size):
    assert len(chunks_by_size[80]) > len(chunks_by_size[320]) > 0


@pytest.mark.parametrize("chunk_chars", SIZES)
def test_chunks_carry_their_section(doc, chunks_by_size, chunk_chars):
    by_id = {s.id: s for s in doc.sections}
    chunks = chunks_by_size[chunk_chars]
    assert [c.id for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        s = by_id[c.section_id]
        assert (c.doc, c.section_title, c.path) == (doc.name, s.title, s.path)
        assert s.start <= c.start < c.end <= s.end
    starts = [c.start for c in chunks]
    assert starts == sorted(starts)


@pytest.mark.parametrize("chunk_chars", SIZES)
def test_every_section_with_text_is_covered_by_its_chunks(doc, chunks_by_size, chunk_chars):
    chunks = chunks_by_size[chunk_chars]
    for s in doc.sections:
        mine = [c for c in chunks if c.section_id == s.id]
        if not s.text.strip():
            assert mine == [], s.id  # e.g. chapter "1" and the truncated "7.2.3"
            continue
        assert _squash("".join(c.text for c in mine)) == _squash(s.text), s.id


@pytest.mark.parametrize("chunk_chars", SIZES)
def test_chunks_end_on_a_sentence_unless_the_sentence_is_too_long(doc, chunks_by_size, chunk_chars):
    by_id = {s.id: s for s in doc.sections}
    cut_long = 0
    for c in chunks_by_size[chunk_chars]:
        s = by_id[c.section_id]
        if c.text.endswith(SENTENCE_END) or c.end == s.end:
            continue
        rel = c.end - s.start
        spans = split_sentences(s.text)
        if any(e == rel for _, e in spans):  # ends after a closing quote: still a sentence end
            continue
        containing = [(a, e) for a, e in spans if a < rel < e]
        assert containing, (c.id, c.text[-20:])
        a, e = containing[0]
        assert e - a > chunk_chars, (c.id, s.text[a:e])
        cut_long += 1
    if chunk_chars == 320:
        assert cut_long == 0


def test_short_section_is_one_chunk(doc, chunks_by_size):
    mine = [c for c in chunks_by_size[320] if c.section_id == "1.1.1"]
    sec = doc.section("1.1.1")
    assert len(sec.text) <= 320
    assert [(c.text, c.start, c.end) for c in mine] == [(sec.text, sec.start, sec.end)]


def test_long_sentence_is_cut_only_where_it_must(tmp_path):
    long_sentence = "很長的句子" * 30 + "。"
    path = tmp_path / "r.txt"
    path.write_text("一、總論\n" + "短句。" * 5 + "\n" + long_sentence + "\n", encoding="utf-8")
    d = load_document(path)
    chunks = chunk_documents([d], chunk_chars=40)
    assert chunks[0].text == "短句。" * 5
    assert all(len(c.text) <= 40 for c in chunks)
    assert "".join(c.text for c in chunks[1:]) == long_sentence
    for c in chunks:
        assert d.text[c.start : c.end] == c.text


def test_chunks_of_several_documents_are_numbered_together(tmp_path):
    a = parse(clean_text("一、總論\n第一份報告。"), name="a")
    b = parse(clean_text("一、總論\n第二份報告。"), name="b")
    chunks = chunk_documents([a, b])
    assert [(c.id, c.doc, c.text) for c in chunks] == [(0, "a", "第一份報告。"), (1, "b", "第二份報告。")]


PARAGRAPH = (
    "專家指出:“協同是智能時代治理的命脈。”據測算,智能交通系統可緩解擁堵15%-30%;"
    "城市大腦如何運作?答案是數據！\n  新的段落沒有句號"
)


def test_split_sentences_on_a_sample_paragraph():
    spans = split_sentences(PARAGRAPH)
    assert [PARAGRAPH[a:b] for a, b in spans] == [
        "專家指出:“協同是智能時代治理的命脈。”",
        "據測算,智能交通系統可緩解擁堵15%-30%;",
        "城市大腦如何運作?",
        "答案是數據！",
        "新的段落沒有句號",
    ]


@pytest.mark.parametrize("text", ["", "\n", "  \n\t\n "])
def test_split_sentences_ignores_white_space(text):
    assert split_sentences(text) == []


def test_split_sentences_on_report_section_covers_its_text(doc):
    text = doc.section("3.3.1").text
    spans = split_sentences(text)
    assert len(spans) > 3
    assert all(text[a:b] == text[a:b].strip() and b > a for a, b in spans)
    assert _squash("".join(text[a:b] for a, b in spans)) == _squash(text)


# --- clauses -------------------------------------------------------------------------------

LONG = (
    "傳統城市治理模式面臨“城市病”凸顯、應急響應滯后等突出問題:交通擁堵導致年均經濟損失超千億元,"
    "城市空氣質量達標城市占比僅為62.5%,政務數據共享率不足40%,協同低下。"
)


def test_split_clauses_cuts_a_sentence_of_several_facts_after_commas_and_colons():
    spans = split_clauses(LONG)
    assert [LONG[a:b] for a, b in spans] == [
        "傳統城市治理模式面臨“城市病”凸顯、應急響應滯后等突出問題:",
        "交通擁堵導致年均經濟損失超千億元,",
        "城市空氣質量達標城市占比僅為62.5%,",
        "政務數據共享率不足40%,協同低下。",  # a short last piece joins the clause before
    ]


def test_split_clauses_keeps_a_number_whole_and_a_short_sentence_as_it_is():
    text = "企業數量達1,200家,較上年同期增長了二十個百分點,其中高新技術企業占比已經超過了半數。"
    assert [text[a:b] for a, b in split_clauses(text)] == [
        "企業數量達1,200家,較上年同期增長了二十個百分點,", "其中高新技術企業占比已經超過了半數。"
    ]
    assert split_clauses("短句,只有一個。") == []
    assert split_clauses("") == []


def test_split_clauses_in_english_counts_words():
    text = ("traffic congestion causes average annual economic losses of more than a hundred billion yuan, "
            "cities meeting air-quality standards account for only 62.5% of cities, and so on.")
    spans = split_clauses(text, english=True)
    assert [text[a:b] for a, b in spans] == [
        "traffic congestion causes average annual economic losses of more than a hundred billion yuan,",
        "cities meeting air-quality standards account for only 62.5% of cities, and so on.",
    ]
    assert split_clauses("1,200 cities, 30 provinces.", english=True) == []


@given(st.text(alphabet="城市數據治理,，:：、 1%abc", max_size=120), st.booleans())
def test_split_clauses_tile_the_sentence_in_long_enough_pieces(text, english):
    spans = split_clauses(text, english=english)
    if not spans:
        return
    assert len(spans) >= 2 and spans[-1][1] == len(text)
    assert text[: spans[0][0]].strip() == ""
    for (a, b), (c, _d) in itertools.pairwise(spans):
        assert text[b:c].strip() == "" and a < b <= c
    for a, b in spans:
        piece = text[a:b]
        assert len(piece.split()) >= CLAUSE_WORDS if english else len(piece.strip()) >= CLAUSE_CHARS
