"""qa.readers: PDF, Word, web pages and text read into the same sections as the report."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from renderings import (
    CHROMIUM,
    PLAN_FILLER,
    PLAN_TITLE,
    SOFFICE,
    government_pdf,
    to_docx,
    to_html,
    to_pdf,
)

from qa.clean import clean_text
from qa.corpus import load_corpus, load_document
from qa.readers import MAX_FILE_BYTES, ReadError, read

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def report():
    return load_corpus(CORPUS).documents[0]


@pytest.fixture(scope="module")
def renderings(report, tmp_path_factory):
    folder = tmp_path_factory.mktemp("renderings")
    out = {"html": to_html(report, folder / "report.html"), "docx": to_docx(report, folder / "report.docx")}
    if Path(CHROMIUM).exists():
        out["pdf"] = to_pdf(report, folder / "report.pdf")
        out["pdf-book"] = to_pdf(report, folder / "report-book.pdf", style="book")
    return out


@pytest.mark.parametrize("kind", ["pdf", "pdf-book", "docx", "html"])
def test_each_rendering_reads_to_the_reports_100_sections_and_text(report, renderings, kind):
    if kind not in renderings:
        pytest.skip("Debian's chromium is not installed")
    doc = load_document(renderings[kind])
    assert doc.title == report.title
    assert [s.id for s in doc.sections] == [s.id for s in report.sections]
    assert len(doc.sections) == 100
    assert [s.title for s in doc.sections] == [s.title for s in report.sections]
    assert [s.level for s in doc.sections] == [s.level for s in report.sections]
    differ = [s.id for s, t in zip(doc.sections, report.sections) if s.text != t.text]
    assert differ == [], f"section text differs from the text version in {differ[:5]}"


@needs_chromium
def test_a_pdf_loses_its_running_header_footer_and_page_numbers_and_keeps_sentences_whole(renderings):
    text = read(renderings["pdf"])
    pages = len(__import__("pypdf").PdfReader(renderings["pdf"]).pages)
    assert pages > 5
    assert "file://" not in text and "report.print.html" not in text
    assert f"1/{pages}" not in text and f"{pages}/{pages}" not in text
    # chromium wraps lines at the page edge; a wrapped sentence is one line again
    assert "2022年全球人工智能市場規模達1.3萬億美元,年均復合增長率超過37%" in text
    assert "智能交通系統可緩解擁堵15%-30%" in text


def test_a_web_page_keeps_main_content_and_drops_the_sites_chrome(renderings):
    text = read(renderings["html"])
    for chrome in ("首页", "热门文档", "版权所有", "不是正文", "文库"):
        assert chrome not in text
    assert text.splitlines()[0] == "智能經濟+城市治理研究報告"
    assert "## 一、總論" in text


def test_a_web_page_in_its_own_encoding_reads(tmp_path):
    page = tmp_path / "gbk.html"
    page.write_bytes(
        '<html><head><meta charset="gbk"><title>页</title></head><body><h1>杭州报告</h1><h2>一、总论</h2>'
        "<p>杭州城市大脑每天处理数据。</p></body></html>".encode("gbk")
    )
    doc = load_document(page)
    assert doc.title == "杭州报告"
    assert [(s.id, s.title) for s in doc.sections] == [("1", "总论")]
    assert "杭州城市大脑每天处理数据" in doc.sections[0].text


GOVERNMENT = """某市数字政府建设规划（2024—2026年）
第一章 总则
为推进数字政府建设，提升治理能力，制定本规划。
第一节 指导思想
坚持以人民为中心的发展思想，以数据赋能为主线。
第二节 基本原则
一、统筹规划
全市一盘棋，统一标准，统一平台。
二、需求导向
（一）以用户为中心
以群众满意为标准，包括：1. 简化流程；2. 减少材料。
（二）数据共享
打破数据壁垒，政务数据共享率2026年达到90%以上。
第二章 主要任务
第一节 夯实数字底座
建设全市统一的政务云平台，算力规模达到500PFlops。
第二节 提升服务效能
1. 一网通办
政务服务事项网上可办率达到98%。
2. 一网统管
城市运行事件平均处置时间缩短至2小时以内。
"""


def _government_page(path: Path, headings_marked: bool) -> Path:
    lines = GOVERNMENT.strip().split("\n")
    body = [f"<p style='text-align:center;font-size:16pt'>{lines[0]}</p>"]
    for line in lines[1:]:
        is_heading = line.startswith(("第", "一、", "二、", "（", "1. ", "2. "))
        if is_heading and headings_marked:
            body.append(f"<h3>{line}</h3>")
        elif is_heading:
            body.append(f"<p><b>{line}</b></p>")
        else:
            body.append(f"<p>{line}</p>")
    path.write_text("<html><head><meta charset='utf-8'></head><body>" + "".join(body) + "</body></html>", encoding="utf-8")
    return path


EXPECTED = [
    ("1", "总则"), ("1.1", "指导思想"), ("1.2", "基本原则"), ("1.2.1", "统筹规划"), ("1.2.2", "需求导向"),
    ("1.2.2.1", "以用户为中心"), ("1.2.2.2", "数据共享"), ("2", "主要任务"), ("2.1", "夯实数字底座"),
    ("2.2", "提升服务效能"), ("2.2.1", "一网通办"), ("2.2.2", "一网统管"),
]


@needs_chromium
@pytest.mark.parametrize("headings_marked", [True, False], ids=["h-tags", "bold-body-text"])
def test_a_government_pdf_with_chinese_heading_styles_parses(tmp_path, headings_marked):
    page = _government_page(tmp_path / "plan.html", headings_marked)
    pdf = tmp_path / "plan.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={pdf}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    doc = load_document(pdf)
    assert doc.title == clean_text("某市数字政府建设规划（2024—2026年）")  # as the text version reads
    got = [(s.id, s.title) for s in doc.sections if s.id != "0"]
    assert got == EXPECTED
    assert "1.简化流程" in doc.section("1.2.2.1").text  # a list inside a sentence is text
    assert "2小时以内" in doc.section("2.2.2").text


@needs_chromium
def test_english_lines_broken_by_the_layout_are_joined_with_a_space(tmp_path):
    words = " ".join(f"word{i}" for i in range(400))
    page = tmp_path / "en.html"
    page.write_text(f"<html><body><h1>An English Report</h1><h2>1. Scope</h2><p>{words} and a well-known end.</p>"
                    "</body></html>", encoding="utf-8")
    pdf = tmp_path / "en.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={pdf}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    doc = load_document(pdf)
    assert doc.title == "An English Report"
    assert doc.sections[-1].text == words + " and a well-known end."


# --- bad files: a message naming the file ------------------------------------------


def _encrypted(tmp_path, source):
    from pypdf import PdfWriter

    w = PdfWriter(clone_from=str(source))
    w.encrypt(user_password="secret", owner_password="owner")
    out = tmp_path / "locked.pdf"
    w.write(out)
    return out


def _scanned(tmp_path, _source):
    page = tmp_path / "scan.html"
    page.write_text("<html><body><div style='width:500px;height:700px;background:#777'></div></body></html>")
    out = tmp_path / "scan.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={out}", page.as_uri()], check=True, capture_output=True, timeout=120)
    return out


def _truncated(tmp_path, source):
    out = tmp_path / "cut.pdf"
    out.write_bytes(Path(source).read_bytes()[: Path(source).stat().st_size // 3])
    return out


def _zip_bomb(tmp_path, _source):
    out = tmp_path / "bomb.docx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document/>")
        with z.open("word/media/image1.bin", "w", force_zip64=True) as f:
            block = b"\0" * (1 << 20)
            for _ in range(201):
                f.write(block)
    assert out.stat().st_size < 2_000_000
    return out


def _not_a_zip(tmp_path, _source):
    out = tmp_path / "broken.docx"
    out.write_bytes(b"PK\x03\x04 cut short")
    return out


def _huge(tmp_path, _source):
    out = tmp_path / "huge.pdf"
    with out.open("wb") as f:  # sparse: costs no disk
        f.seek(MAX_FILE_BYTES + 10)
        f.write(b"\0")
    return out


def _unsupported(tmp_path, _source):
    out = tmp_path / "budget.xlsx"
    out.write_bytes(b"PK\x03\x04")
    return out


BAD = {
    "encrypted": (_encrypted, "encrypted"),
    "scanned": (_scanned, "no text layer; OCR is not supported"),
    "truncated": (_truncated, "damaged or cut short"),
    "zip-bomb": (_zip_bomb, "unpacks to"),
    "not-a-zip": (_not_a_zip, "not a readable Word file"),
    "over-50-MB": (_huge, "50,000,000"),
    "unsupported": (_unsupported, "not a type qa reads"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_file_is_a_read_error_naming_it(tmp_path, renderings, case):
    make, why = BAD[case]
    if "pdf" not in renderings and case in ("encrypted", "scanned", "truncated"):
        pytest.skip("Debian's chromium is not installed")
    path = make(tmp_path, renderings.get("pdf"))
    with pytest.raises(ReadError) as err:
        read(path)
    message = str(err.value)
    assert message.startswith(path.name + ":")
    assert why in message
    assert "Traceback" not in message


def test_a_renamed_file_of_another_type_is_refused_not_misread(tmp_path, renderings):
    fake = tmp_path / "report.pdf"
    shutil.copy(renderings["docx"], fake)
    with pytest.raises(ReadError, match="report.pdf: not a readable PDF"):
        read(fake)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["pdf", "docx", "html"])
def test_each_rendering_on_the_shelf_gives_the_same_top_hits_as_the_text(renderings, real_index, retriever, tmp_path, kind):
    import json

    from qa.evaluate import load_questions
    from qa.retriever import Retriever

    if kind not in renderings:
        pytest.skip("Debian's chromium is not installed")
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "smart_economy_city_governance.txt").unlink()
    shutil.copy(renderings[kind], corpus / f"smart_economy_city_governance.{kind}")
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    manifest["documents"][0]["file"] = f"smart_economy_city_governance.{kind}"
    (corpus / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    index = tmp_path / "index"
    shutil.copytree(real_index, index)  # the text version's vectors: only changed text is embedded
    r = Retriever.load(index, corpus_dir=corpus, show_progress=False)
    questions = [q for q in load_questions(CORPUS.parent / "eval" / "questions_dev.jsonl") if q.gold][::4]
    assert len(questions) >= 20
    for q in questions:
        mine, text = r.ask(q.question), retriever.ask(q.question)
        assert mine.status == text.status, q.question
        assert [h.section_id for h in mine.hits[:3]] == [h.section_id for h in text.hits[:3]], q.question
        assert mine.hits[0].answer == text.hits[0].answer, q.question


@pytest.mark.skipif(not Path(SOFFICE).exists(), reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
def test_a_word_plan_exported_to_pdf_by_libreoffice_reads_with_its_chapters(tmp_path):
    import pypdf

    pdf = government_pdf(tmp_path)
    assert len(pypdf.PdfReader(pdf).pages) >= 3
    doc = load_document(pdf)
    assert doc.title == PLAN_TITLE
    assert [(s.id, s.title) for s in doc.sections] == [
        ("1", "总体要求"), ("1.1", "指导思想"), ("1.2", "发展目标"), ("2", "重点任务"), ("2.1", "建设城市数据底座"),
        ("2.2", "推进智慧交通"), ("3", "保障措施"), ("3.1", "资金保障"),
    ]
    text = "\n".join(s.text for s in doc.sections)
    assert "办公厅文件" not in text and not re.search(r"第\s*\d+\s*页", text), "running header and page footers dropped"
    assert clean_text(PLAN_FILLER) in doc.section("2.2").text.split("\n")  # each paragraph whole, on its own line
    assert "日均交换数据量超过2亿条" in doc.section("2.1").text
