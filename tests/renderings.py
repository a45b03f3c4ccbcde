"""The report rendered as a user would receive it: a web page, a Word file and a PDF.

Made from the cleaned document's sections (heading "一、總論" / "3.3.1杭州城市大腦" and the
section's paragraphs), so a reader that works gives back the same sections and text.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

from qa.types import Document

_NUMERALS = "一二三四五六七八九十"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def heading(section) -> str:
    if section.level == 1:
        return f"{_NUMERALS[int(section.id) - 1]}、{section.title}"
    return f"{section.id}{section.title}"


def paragraphs(section) -> list[str]:
    return [p for p in section.text.split("\n") if p.strip()]


def to_html(doc: Document, path: Path, site_chrome: bool = True) -> Path:
    """A page as a site would serve it: navigation, a header and a footer around <main>."""
    out = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{html.escape(doc.title)} - 文库</title>",
        "<style>body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:12pt}</style></head><body>",
    ]
    if site_chrome:
        out.append("<header><a href='/'>首页</a> 文库 登录</header><nav><ul><li>热门文档</li><li>最新上传</li></ul></nav>")
    out.append(f"<main><h1>{html.escape(doc.title)}</h1>")
    for s in doc.sections:
        if s.id != "0":
            out.append(f"<h{s.level + 1}>{html.escape(heading(s))}</h{s.level + 1}>")
        out.extend(f"<p>{html.escape(p)}</p>" for p in paragraphs(s))
    out.append("</main>")
    if site_chrome:
        out.append("<footer>版权所有 © 文库 · 联系我们</footer><script>var x = '<p>不是正文</p>';</script>")
    out.append("</body></html>")
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def to_docx(doc: Document, path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading(doc.title, 0)  # the "Title" style
    for s in doc.sections:
        if s.id != "0":
            d.add_heading(heading(s), s.level)
        for p in paragraphs(s):
            d.add_paragraph(p)
    d.save(str(path))
    return path


# A Chinese book's layout: paragraphs indented two characters and justified, headings in bold
# at the body's size (no size to tell them by), wider margins; the PDF gets bookmarks.
BOOK_CSS = "p{text-indent:2em;text-align:justify;margin:0} h2,h3,h4{font-size:12pt;font-weight:bold} @page{margin:2cm 2.5cm}"


def to_pdf(doc: Document, path: Path, style: str = "plain") -> Path:
    """Printed by Debian's chromium, with its running header (date, title) and footer (page
    numbers) on every page, and the layout's own line breaks; ``style="book"``: :data:`BOOK_CSS`
    and the PDF's outline (bookmarks)."""
    page = to_html(doc, path.with_suffix(".print.html"), site_chrome=False)
    extra = []
    if style == "book":
        page.write_text(page.read_text(encoding="utf-8").replace("</style>", BOOK_CSS + "</style>"), encoding="utf-8")
        extra = ["--generate-pdf-document-outline"]
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", *extra, f"--print-to-pdf={path}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    page.unlink()
    return path


SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
PLAN_TITLE = "某市智慧城市建设三年行动计划"
PLAN = [
    ("第一章 总体要求", [("第一节 指导思想", "坚持以人民为中心，推动城市治理体系和治理能力现代化。"),
                      ("第二节 发展目标", "到2026年，全市政务数据共享率达到95%，城市运行事件平均处置时间缩短至1.5小时。")]),
    ("第二章 重点任务", [("第一节 建设城市数据底座", "建设全市统一的城市数据中台，汇聚40个部门的数据，日均交换数据量超过2亿条。"),
                      ("第二节 推进智慧交通", "在主城区120个路口部署智能信号灯，高峰时段通行效率提升18%。")]),
    ("第三章 保障措施", [("第一节 资金保障", "市财政三年安排专项资金12亿元，重点支持数据底座和应用场景建设。")]),
]
PLAN_FILLER = "各区、各部门要结合实际，细化工作方案，明确责任分工和时间节点，确保各项任务落到实处，并定期报送工作进展情况。"


def government_pdf(folder: Path) -> Path:
    """A plan as a government office writes it in Word (a running header, "第 N 页" footers,
    第一章/第一节 heading styles, indented paragraphs), exported to PDF by LibreOffice."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = "WenQuanYi Micro Hei"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "WenQuanYi Micro Hei")
    section = d.sections[0]
    section.header.paragraphs[0].text = "某市人民政府办公厅文件"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    field = footer.add_run()
    for kind, text in (("begin", None), ("instr", " PAGE "), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        field._r.append(el)
    footer.add_run(" 页")
    title = d.add_paragraph(PLAN_TITLE)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.runs[0].font.size = Pt(22)
    for chapter, parts in PLAN:
        d.add_heading(chapter, 1)
        for heading_text, text in parts:
            d.add_heading(heading_text, 2)
            for i in range(7):
                p = d.add_paragraph(text if i == 0 else PLAN_FILLER)
                p.paragraph_format.first_line_indent = Cm(0.85)
    source = folder / "行动计划.docx"
    d.save(str(source))
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=180)
    source.unlink()
    return folder / "行动计划.pdf"
