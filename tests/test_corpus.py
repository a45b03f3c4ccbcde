"""qa.corpus: reading files safely, loading a folder, its hash, and the curated tables."""

from __future__ import annotations

import csv
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.corpus import CorpusError, corpus_hash, load_corpus
from qa.readers import ReadError
from qa.readers.text import read_text
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
    with pytest.raises(ReadError) as err:
        read_text(path)
    assert path.name in str(err.value)
    assert why in str(err.value)


def test_read_text_rejects_missing_file(tmp_path):
    path = tmp_path / "missing.txt"
    with pytest.raises(ReadError, match="missing.txt: no such file"):
        read_text(path)


def test_read_text_rejects_directory(tmp_path):
    with pytest.raises(ReadError, match="not a file"):
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


def test_corpus_error_is_a_read_error_and_a_value_error():
    assert issubclass(CorpusError, ReadError) and issubclass(ReadError, ValueError)


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


# --- hostile folders and files (issue: never read what is not ours) -------------------


def _folder(tmp_path, **files) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_link_out_of_the_folder_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("機密文件\n一、內容\n絕密的口令是 hunter2。\n", encoding="utf-8")
    folder = _folder(tmp_path)
    (folder / "leak.txt").symlink_to(secret)
    c = load_corpus(folder)
    assert [d.name for d in c.documents] == ["good"]
    assert any("leak.txt" in s and "outside" in s for s in c.skipped)
    assert all("hunter2" not in d.text for d in c.documents)


def test_a_link_inside_the_folder_is_read(tmp_path):
    folder = _folder(tmp_path)
    (folder / "alias.md").symlink_to(folder / "good.txt")
    assert sorted(d.name for d in load_corpus(folder).documents) == ["alias", "good"]


@pytest.mark.parametrize("path", ["../../x.txt", "/etc/hostname", "../secret.txt"])
def test_a_manifest_path_outside_the_folder_is_refused_naming_it(tmp_path, path):
    folder = _folder(tmp_path)
    (folder / "manifest.json").write_text(json.dumps({"documents": [{"file": path}]}), encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        load_corpus(folder)
    assert "manifest.json" in str(err.value) and path in str(err.value) and "inside" in str(err.value)


@pytest.mark.parametrize(
    ("manifest", "says"),
    [
        ("[1, 2]", "JSON object"),
        ('{"documents": "good.txt"}', "must be a list"),
        ('{"documents": [{"title": "x"}]}', "documents[0]"),
        ('{"documents": [{"file": 7}]}', "documents[0]"),
        ('{"documents": [{"file": "good.txt", "title": ["x"]}]}', '"title" must be a string'),
    ],
)
def test_a_manifest_of_the_wrong_shape_is_a_corpus_error_naming_it(tmp_path, manifest, says):
    folder = _folder(tmp_path, **{"manifest.json": manifest})
    with pytest.raises(CorpusError, match="manifest.json") as err:
        load_corpus(folder)
    assert says in str(err.value)


def test_a_huge_sparse_file_is_not_read_or_hashed(tmp_path):
    folder = _folder(tmp_path)
    with (folder / "huge.txt").open("wb") as f:
        f.truncate(2 * 1024**3)  # 2 GB of nothing, on disk as a hole
    start = time.perf_counter()
    h1 = corpus_hash(folder)
    c = load_corpus(folder)
    assert time.perf_counter() - start < 5, "a 2 GB file must be stat-ed, not read"
    assert [d.name for d in c.documents] == ["good"]
    message = next(s for s in c.skipped if "huge.txt" in s)
    assert "1,000,000" in message and "minutes" in message
    os.utime(folder / "huge.txt", ns=(1, 1))
    assert corpus_hash(folder) != h1, "the hash still notices the big file changing"


def test_an_oversized_document_is_refused_with_the_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("一、總論\n" + "數據" * 600_000, encoding="utf-8")
    with pytest.raises(ReadError, match="big.txt") as err:
        read_text(path)
    assert "1,000,000" in str(err.value)


def test_two_documents_with_one_name_are_refused_naming_both(tmp_path):
    folder = _folder(tmp_path, **{"dup.txt": GOOD, "dup.md": GOOD.replace("杭州", "上海")})
    c = load_corpus(folder)
    assert sorted(d.name for d in c.documents) == ["dup", "good"]
    message = next(s for s in c.skipped if "dup" in s)
    assert "dup.md" in message and "dup.txt" in message


@pytest.mark.parametrize(
    ("table", "text", "says"),
    [
        ("glossary.tsv", "english\tchinese\nhangzhou\t杭州\n", "line 1"),
        ("glossary.tsv", "en\tzh\tnote\nhangzhou\t杭州\t\nshanghai\t上海\tx\ty\tz\n", "line 3"),
        ("glossary.tsv", "en\tzh\tnote\nhangzhou\t\t\n", "line 2: empty zh"),
        ("glossary.tsv", "", "line 1"),
        ("section_titles_en.tsv", "id\ttitle_zh\ttitle_en\n1.1\t背景\tBackground\n2\n", "line 3"),
        ("glossary.tsv", b"en\tzh\n\xff\xfe\n", "UTF-8"),
    ],
)
def test_a_malformed_curated_table_names_the_file_and_line(tmp_path, table, text, says):
    folder = _folder(tmp_path)
    if table == "section_titles_en.tsv":
        (folder / "manifest.json").write_text(
            json.dumps({"documents": [{"file": "good.txt", "titles_en": table}]}), encoding="utf-8"
        )
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    (folder / table).write_bytes(data)
    with pytest.raises(CorpusError) as err:
        load_corpus(folder)
    assert table in str(err.value) and says in str(err.value)


def test_a_one_line_document_is_indexed_as_its_text(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "note.txt").write_text("杭州城市大腦每天處理100TB數據。", encoding="utf-8")
    c = load_corpus(folder)
    assert c.documents[0].sections[0].text == "杭州城市大腦每天處理100TB數據。"


def test_a_document_of_headings_only_is_skipped_saying_so(tmp_path):
    folder = _folder(tmp_path, **{"toc.txt": "一、總論\n二、措施\n"})
    c = load_corpus(folder)
    assert any("toc.txt" in s and "no text" in s for s in c.skipped)


def test_control_characters_in_file_names_are_escaped_in_messages(tmp_path):
    folder = _folder(tmp_path)
    (folder / "evil\x1b[31m.txt").write_bytes(b"")
    c = load_corpus(folder)
    message = next(s for s in c.skipped if "evil" in s)
    assert "\x1b" not in message and "\\x1b[31m" in message


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    table=st.sampled_from(["glossary.tsv", "manifest.json", "section_titles_en.tsv", "good.txt", "other.md"]),
    data=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda t: t.encode("utf-8"))),
)
def test_any_bytes_in_any_corpus_file_give_a_corpus_or_a_corpus_error_naming_it(tmp_path_factory, table, data):
    folder = tmp_path_factory.mktemp("fuzz") / "corpus"
    shutil.copytree(CORPUS, folder)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / table).write_bytes(data)
    try:
        c = load_corpus(folder)
    except CorpusError as e:
        assert table in str(e) or "manifest.json" in str(e) or "no readable document" in str(e)
    else:
        assert c.documents and all(d.sections for d in c.documents)
