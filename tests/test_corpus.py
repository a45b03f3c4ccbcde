"""qa.corpus: reading files safely, loading a folder, its hash, and the curated tables."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from qa.corpus import CorpusError, corpus_hash, load_corpus, read_text
from qa.script import to_simplified, to_traditional

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

GOOD = "智能經濟報告\n一、總論\n1.1研究背景\n杭州城市大腦每天處理大量數據。\n"

BAD_FILES = {
    "empty": (b"", "empty"),
    "whitespace": (" \n\t\n  \n".encode(), "white space"),
    "binary": (b"PK\x03\x04\x00\x00\x00binary\x00data", "binary"),
    "gbk": ("智能經濟與城市治理研究報告,杭州城市大腦。".encode("gbk"), "UTF-8"),
}


def _tsv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(CORPUS)


# --- read_text ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_read_text_rejects_bad_file_naming_it(tmp_path, kind):
    data, why = BAD_FILES[kind]
    path = tmp_path / f"bad_{kind}.txt"
    path.write_bytes(data)
    with pytest.raises(CorpusError) as err:
        read_text(path)
    assert path.name in str(err.value)
    assert why in str(err.value)


def test_read_text_rejects_missing_file(tmp_path):
    path = tmp_path / "missing.txt"
    with pytest.raises(CorpusError, match="missing.txt: no such file"):
        read_text(path)


def test_read_text_rejects_directory(tmp_path):
    with pytest.raises(CorpusError, match="not a file"):
        read_text(tmp_path)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (GOOD.encode("utf-8"), GOOD),
        (b"\xef\xbb\xbf" + GOOD.encode("utf-8"), GOOD),  # a BOM is dropped
        ("報告\r\n正文。".encode("utf-8"), "報告\r\n正文。"),
    ],
    ids=["utf8", "utf8-bom", "crlf"],
)
def test_read_text_returns_utf8_text(tmp_path, data, expected):
    path = tmp_path / "good.txt"
    path.write_bytes(data)
    assert read_text(path) == expected


def test_corpus_error_is_a_value_error():
    assert issubclass(CorpusError, ValueError)


# --- load_corpus --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["empty", "binary", "gbk", "whitespace"])
def test_load_corpus_skips_a_bad_file_and_loads_the_good_one(tmp_path, kind):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / f"bad_{kind}.txt").write_bytes(BAD_FILES[kind][0])
    c = load_corpus(tmp_path)
    assert [d.name for d in c.documents] == ["good"]
    assert c.documents[0].section("1.1").text == "杭州城市大腦每天處理大量數據。"
    assert len(c.skipped) == 1
    assert f"bad_{kind}.txt" in c.skipped[0]
    assert c.glossary == ()
    assert c.titles_en == {}


def test_load_corpus_reads_markdown_documents_and_ignores_readme(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.md").write_text("# 標題\n內容。\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# About this folder\n", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x,y\n", encoding="utf-8")
    c = load_corpus(tmp_path)
    assert [d.name for d in c.documents] == ["a", "b"]
    assert c.skipped == ()


def test_load_corpus_with_only_bad_files_raises(tmp_path):
    for kind, (data, _) in BAD_FILES.items():
        (tmp_path / f"bad_{kind}.txt").write_bytes(data)
    with pytest.raises(CorpusError) as err:
        load_corpus(tmp_path)
    for kind in BAD_FILES:
        assert f"bad_{kind}.txt" in str(err.value)


def test_load_corpus_on_empty_or_missing_folder_raises(tmp_path):
    with pytest.raises(CorpusError, match="empty"):
        load_corpus(tmp_path)
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope")


def test_load_corpus_skips_a_manifest_entry_whose_file_is_missing(tmp_path):
    (tmp_path / "manifest.json").write_text(
        '{"documents": [{"file": "gone.txt", "title": "不見了"}, {"file": "good.txt", "title": "好報告"}]}',
        encoding="utf-8",
    )
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    c = load_corpus(tmp_path)
    assert [(d.name, d.title) for d in c.documents] == [("good", "好報告")]
    assert len(c.skipped) == 1 and "gone.txt" in c.skipped[0]


def test_broken_manifest_raises_naming_it(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CorpusError, match="manifest.json"):
        load_corpus(tmp_path)


# --- corpus_hash --------------------------------------------------------------------


def test_corpus_hash_tracks_documents(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    first = corpus_hash(tmp_path)
    assert corpus_hash(tmp_path) == first
    assert len(first) == 64

    (tmp_path / "a.txt").write_text(GOOD + "新的一句。\n", encoding="utf-8")
    changed = corpus_hash(tmp_path)
    assert changed != first

    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    assert corpus_hash(tmp_path) == first  # back to the same content, same hash

    (tmp_path / "b.txt").write_text("另一份報告。\n", encoding="utf-8")
    added = corpus_hash(tmp_path)
    assert added not in (first, changed)

    (tmp_path / "notes.log").write_text("not a document", encoding="utf-8")
    assert corpus_hash(tmp_path) == added


def test_corpus_hash_tracks_curated_tables(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "glossary.tsv").write_text("en\tzh\tnote\ncity brain\t城市大腦\t\n", encoding="utf-8")
    before = corpus_hash(tmp_path)
    (tmp_path / "glossary.tsv").write_text("en\tzh\tnote\ncity brain\t城市大腦\t\nhangzhou\t杭州\t\n", encoding="utf-8")
    assert corpus_hash(tmp_path) != before


def test_corpus_hash_is_independent_of_folder_location(tmp_path):
    src = tmp_path / "one"
    src.mkdir()
    (src / "a.txt").write_text(GOOD, encoding="utf-8")
    dst = tmp_path / "two"
    shutil.copytree(src, dst)
    assert corpus_hash(src) == corpus_hash(dst)


def test_loaded_corpus_carries_its_hash(corpus):
    assert corpus.sha256 == corpus_hash(CORPUS)
    assert corpus.skipped == ()


# --- the real corpus and its curated tables -----------------------------------------


def test_real_corpus_has_one_document_with_manifest_title(corpus):
    assert [d.name for d in corpus.documents] == ["smart_economy_city_governance"]
    assert corpus.documents[0].title == "智能經濟+城市治理研究報告"
    assert len(corpus.documents[0].sha256) == 64


def test_glossary_has_more_than_100_entries(corpus):
    assert len(corpus.glossary) > 100
    for en, zh in corpus.glossary:
        assert en and en == en.lower() and en == en.strip()
        assert zh and zh == zh.strip()


def test_every_glossary_term_occurs_in_the_report(corpus):
    text = corpus.documents[0].text
    simplified = to_simplified(text)
    rows = _tsv(CORPUS / "glossary.tsv")
    assert len(rows) > 100
    missing = [
        r["zh"]
        for r in rows
        if r["zh"] not in text and to_simplified(r["zh"]) not in simplified and to_traditional(r["zh"]) not in text
    ]
    assert missing == []


def test_every_section_has_an_english_title(corpus):
    doc = corpus.documents[0]
    rows = _tsv(CORPUS / "section_titles_en.tsv")
    assert [r["id"] for r in rows] == [s.id for s in doc.sections]
    assert len(rows) == 100
    for r, s in zip(rows, doc.sections):
        assert r["title_en"].strip(), r["id"]
        assert r["title_zh"] == s.title, r["id"]
        assert corpus.titles_en[(doc.name, s.id)] == r["title_en"]


def test_corpus_section_lookup(corpus):
    assert corpus.section("3.3.1").title == "杭州城市大腦"
    assert corpus.section("3.3.1", doc="smart_economy_city_governance").level == 3
    with pytest.raises(KeyError):
        corpus.section("3.3.1", doc="other")
