"""qa.shelf and `qa add / remove / docs`: reports of any type on one shelf, the index in step,
nothing lost when a file is bad or a build fails; answers that say which report they cite."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from conftest import SMALL_DOC, HashEncoder

from qa.config import Config
from qa.question import QuestionError
from qa.retriever import Retriever
from qa.shelf import ShelfError, add, check_name, entries, remove

OTHER_DOC = """大城年度報告
一、交通
1.1地鐵
大城地鐵日均客流達到350萬人次,線網總長480公里。
1.2公交
大城新能源公交車占比達到95%。
二、政務
2.1一網通辦
大城政務服務事項網上可辦率達到98%。
"""


class CountingEncoder(HashEncoder):
    """The hash encoder, counting the passages it is asked to embed."""

    def __init__(self):
        self.embedded = 0

    def passage(self, texts):
        self.embedded += len(texts)
        return super().passage(texts)


def _snapshot(folder: Path) -> dict:
    """Every file under ``folder`` (the build lock aside) → the hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def shelf(small_corpus, tmp_path):
    """A shelf of one small report with its index built by the hash encoder."""
    config = Config(corpus_dir=small_corpus, index_dir=tmp_path / "index", encoder=HashEncoder.id)
    from qa.index import build_index

    build_index(config, encoder=HashEncoder(), show_progress=False)
    return config


def _docx(path: Path, text: str) -> Path:
    import docx

    lines = [x for x in text.strip().split("\n") if x]
    d = docx.Document()
    d.add_heading(lines[0], 0)
    for line in lines[1:]:
        if line[0] in "一二三四五" or line[:3].replace(".", "").isdigit():
            d.add_heading(line, 1 if "、" in line else 2)
        else:
            d.add_paragraph(line)
    d.save(str(path))
    return path


def _retriever(config) -> Retriever:
    return Retriever.load(config=config, encoder=HashEncoder(), build=False, show_progress=False)


def test_a_word_file_is_added_listed_and_answered_citing_its_report(shelf, tmp_path):
    added = add(shelf, [_docx(tmp_path / "dacheng.docx", OTHER_DOC)], encoder=HashEncoder(), show_progress=False)
    assert [(e.name, e.title, e.type, e.sections) for e in added] == [("dacheng", "大城年度報告", "Word", 5)]
    assert [e.name for e in entries(shelf)] == ["small", "dacheng"]
    assert (shelf.corpus_dir / "dacheng.docx").is_file()
    r = _retriever(shelf)
    a = r.ask("大城地铁日均客流是多少？")
    top = a.hits[0]
    assert (top.doc, top.section_id) == ("dacheng", "1.1")
    assert top.doc_title == "大城年度报告"
    assert top.citation == "《大城年度报告》§1.1 地铁"
    assert a.to_dict()["hits"][0]["doc_title"] == "大城年度报告"


def test_one_report_on_the_shelf_is_cited_without_its_title(shelf):
    a = _retriever(shelf).ask("救護車平均到達時間是多少？")
    assert a.hits[0].citation.startswith("§")


def test_a_question_can_be_limited_to_some_reports(shelf, tmp_path):
    add(shelf, [_docx(tmp_path / "dacheng.docx", OTHER_DOC)], encoder=HashEncoder(), show_progress=False)
    r = _retriever(shelf)
    assert {h.doc for h in r.ask("公交", k=5, docs=["small"]).hits} == {"small"}
    assert {h.doc for h in r.ask("公交", k=5, docs=["dacheng"]).hits} == {"dacheng"}
    assert {h.doc for h in r.ask("公交", k=8).hits} == {"small", "dacheng"}
    with pytest.raises(QuestionError, match="no document named 'nope' on the shelf; on it: small, dacheng"):
        r.ask("公交", docs=["nope"])


def test_the_same_fact_in_two_reports_folds_into_one_hit_naming_the_other(shelf, tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_text(SMALL_DOC.replace("小城報告", "小城報告(轉載)"), encoding="utf-8")
    add(shelf, [copy], encoder=HashEncoder(), show_progress=False)
    a = _retriever(shelf).ask("救護車平均到達時間縮短至幾分鐘？", k=3)
    top = a.hits[0]
    assert top.section_id == "2.1.1"
    other = "copy" if top.doc == "small" else "small"
    assert [(d, s) for d, _t, s in top.also_in_docs] == [(other, "2.1.1")]
    assert top.also_cited[0].startswith("《") and top.also_cited[0].endswith("§2.1.1")
    assert sum(h.section_id == "2.1.1" for h in a.hits) == 1


def test_adding_embeds_only_the_new_report(shelf, tmp_path):
    counting = CountingEncoder()
    new = _docx(tmp_path / "dacheng.docx", OTHER_DOC)
    add(shelf, [new], encoder=counting, show_progress=False)
    r = _retriever(shelf)
    new_chunks = [c for c in r.index.chunks if c.doc == "dacheng"]
    new_sentences = [row for row in r.index.sentences if r.index.chunks[row[0]].doc == "dacheng"]
    assert counting.embedded == len(new_chunks) + len(new_sentences)
    assert counting.embedded < len(r.index.chunks) + len(r.index.sentences)


def _bad_files(tmp_path: Path, shelf) -> dict:
    corrupt = tmp_path / "corrupt.docx"
    corrupt.write_bytes(b"PK\x03\x04 not really")
    same_bytes = tmp_path / "again.txt"
    same_bytes.write_bytes((shelf.corpus_dir / "small.txt").read_bytes())
    same_name = tmp_path / "small.html"
    same_name.write_text("<h1>另一份</h1><h2>一、總論</h2><p>正文。</p>", encoding="utf-8")
    control = tmp_path / "bad\x1bname.txt"
    control.write_text(OTHER_DOC, encoding="utf-8")
    backslash = tmp_path / "a\\b.txt"
    backslash.write_text(OTHER_DOC, encoding="utf-8")
    unsupported = tmp_path / "sheet.xlsx"
    unsupported.write_bytes(b"PK\x03\x04")
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav>菜单</nav></body></html>", encoding="utf-8")
    return {
        "corrupt": (corrupt, "not a readable Word file"),
        "same-bytes": (same_bytes, "the same document is already on the shelf as small"),
        "same-name": (same_name, "a document named small is already on the shelf"),
        "control-characters": (control, "control characters"),
        "path-separator": (backslash, "path separators"),
        "unsupported": (unsupported, "not a type qa reads"),
        "no-text": (empty, "no text"),
    }


@pytest.mark.parametrize(
    "case", ["corrupt", "same-bytes", "same-name", "control-characters", "path-separator", "unsupported", "no-text"]
)
def test_qa_add_refuses_a_bad_file_with_exit_code_1_and_changes_nothing(shelf, tmp_path, capsys, monkeypatch, case):
    from qa import cli

    path, why = _bad_files(tmp_path, shelf)[case]
    good = _docx(tmp_path / "dacheng.docx", OTHER_DOC)
    before = (_snapshot(shelf.corpus_dir), _snapshot(shelf.index_dir))
    monkeypatch.setattr("qa.encoders.load_encoder", lambda _name: HashEncoder())
    code = cli.main(["add", str(good), str(path), "--corpus", str(shelf.corpus_dir), "--index", str(shelf.index_dir),
                     "--encoder", HashEncoder.id])
    err = capsys.readouterr().err
    assert code == 1
    assert why in err
    assert "nothing was added" in err
    assert (_snapshot(shelf.corpus_dir), _snapshot(shelf.index_dir)) == before


def test_a_build_that_fails_midway_takes_the_added_file_back_out(shelf, tmp_path, monkeypatch):
    before = (_snapshot(shelf.corpus_dir), _snapshot(shelf.index_dir))

    def broken(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr("qa.shelf._build", broken)
    with pytest.raises(OSError, match="disk full"):
        add(shelf, [_docx(tmp_path / "dacheng.docx", OTHER_DOC)], encoder=HashEncoder(), show_progress=False)
    assert (_snapshot(shelf.corpus_dir), _snapshot(shelf.index_dir)) == before
    assert [e.name for e in entries(shelf)] == ["small"]


def test_remove_keeps_the_file_and_updates_the_index(shelf, tmp_path):
    add(shelf, [_docx(tmp_path / "dacheng.docx", OTHER_DOC)], encoder=HashEncoder(), show_progress=False)
    entry, kept = remove(shelf, "dacheng", encoder=HashEncoder(), show_progress=False)
    assert entry.name == "dacheng"
    assert kept.parent == shelf.corpus_dir / ".removed" and kept.is_file()
    assert kept.read_bytes() == (tmp_path / "dacheng.docx").read_bytes()
    assert [e.name for e in entries(shelf)] == ["small"]
    manifest = json.loads((shelf.index_dir / "manifest.json").read_text(encoding="utf-8"))
    assert [d["name"] for d in manifest["documents"]] == ["small"]
    assert {h.doc for h in _retriever(shelf).ask("地鐵客流").hits} == {"small"}


def test_remove_refuses_an_unknown_name_and_the_last_report(shelf):
    with pytest.raises(ShelfError, match="no document named 'nope' on the shelf"):
        remove(shelf, "nope", encoder=HashEncoder(), show_progress=False)
    with pytest.raises(ShelfError, match="only document"):
        remove(shelf, "small", encoder=HashEncoder(), show_progress=False)
    assert (shelf.corpus_dir / "small.txt").is_file()


def test_qa_docs_lists_name_title_type_sections_characters_and_date(shelf, tmp_path, capsys):
    from qa import cli

    add(shelf, [_docx(tmp_path / "dacheng.docx", OTHER_DOC)], encoder=HashEncoder(), show_progress=False)
    assert cli.main(["docs", "--json", "--corpus", str(shelf.corpus_dir)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["title"], r["type"], r["sections"]) for r in rows] == [
        ("small", "小城報告", "text", 6), ("dacheng", "大城年度報告", "Word", 5)
    ]
    assert all(r["characters"] > 50 and r["added_at"][:2] == "20" for r in rows)
    assert cli.main(["docs", "--corpus", str(shelf.corpus_dir)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["NAME", "TITLE", "TYPE", "SECTIONS", "CHARACTERS", "ADDED", "AT"]
    assert table[2].startswith("dacheng") and "Word" in table[2]


@pytest.mark.parametrize(
    ("name", "ok"),
    [("報告.pdf", True), ("a b.docx", True), ("../x.pdf", False), ("a\\b.pdf", False), ("a\nb.pdf", False),
     (".hidden.pdf", False), ("x.exe", False), ("x.en.txt", False), ("a" * 121 + ".pdf", False)],
)
def test_file_names_that_are_not_plain_names_are_refused(name, ok):
    if ok:
        assert check_name(name) == name.rsplit(".", 1)[0]
    else:
        with pytest.raises(ShelfError):
            check_name(name)


def test_an_empty_shelf_lists_nothing_and_a_first_add_builds_it(tmp_path):
    config = Config(corpus_dir=tmp_path / "home" / "corpus", index_dir=tmp_path / "home" / "index", encoder=HashEncoder.id)
    assert entries(config) == []
    doc = tmp_path / "dacheng.txt"
    doc.write_text(OTHER_DOC, encoding="utf-8")
    add(config, [doc], encoder=HashEncoder(), show_progress=False)
    r = _retriever(config)
    assert r.ask("新能源公交车占比").hits[0].section_id == "1.2"
    assert r.ask("新能源公交车占比").hits[0].citation == "§1.2 公交"  # one report: no title in the citation


def test_vectors_of_the_shelf_stay_aligned_after_add_and_remove(shelf, tmp_path):
    add(shelf, [_docx(tmp_path / "dacheng.docx", OTHER_DOC)], encoder=HashEncoder(), show_progress=False)
    remove(shelf, "dacheng", encoder=HashEncoder(), show_progress=False)
    r = _retriever(shelf)
    enc = HashEncoder()
    for cid, c in enumerate(r.index.chunks):
        v = r.index.faiss_index.reconstruct(cid)
        from qa.index import passage_text

        assert np.allclose(v, enc.passage([passage_text(c)])[0], atol=1e-5)


# --- the served shelf: uploads from the page, `qa add` while serving ---------------------


def test_an_upload_from_the_page_is_added_and_answered_without_a_restart(shelf, tmp_path):
    from qa.web.api import Service
    from qa.web.chat import Chat, Uploads

    service = Service(_retriever(shelf), follow=True)
    chat = Chat(service, Uploads(shelf, key="sesame"))
    upload = _docx(tmp_path / "dacheng.docx", OTHER_DOC)
    refused, *_, emptied = chat.add_files([str(upload)], "wrong", [], progress=lambda *a, **k: None)
    assert emptied is None  # the upload box is emptied for the next files
    assert "API key" in refused and [e.name for e in entries(shelf)] == ["small"]
    status, selector, _contents, _ = chat.add_files([str(upload)], "sesame", [], progress=lambda *a, **k: None)
    assert "大城年度報告" in status
    assert selector["visible"] is True and [n for _t, n in selector["choices"]] == ["small", "dacheng"]
    assert chat.retriever.doc_names == ("small", "dacheng")
    assert service.retriever is chat.retriever  # the JSON API answers from the new shelf too
    assert chat.search("大城地铁日均客流是多少？", 1, None, ["dacheng"])["hits"][0]["doc"] == "dacheng"
    bad = tmp_path / "notes.xlsx"
    bad.write_bytes(b"PK")
    status, *_ = chat.add_files([str(bad)], "sesame", [], progress=lambda *a, **k: None)
    assert "notes.xlsx" in status and "Nothing was added" in status


def test_a_serving_process_swaps_in_the_index_qa_add_rebuilt(shelf, tmp_path, monkeypatch):
    import time

    from qa.web import api

    monkeypatch.setattr(api, "CHECK_SECONDS", 0.0)
    service = api.Service(_retriever(shelf), follow=True)
    old = service.retriever
    add(shelf, [_docx(tmp_path / "dacheng.docx", OTHER_DOC)], encoder=HashEncoder(), show_progress=False)
    deadline = time.time() + 30
    while service.retriever is old and time.time() < deadline:
        time.sleep(0.1)
    assert service.retriever is not old, "the service kept the old shelf"
    assert service.retriever.doc_names == ("small", "dacheng")
