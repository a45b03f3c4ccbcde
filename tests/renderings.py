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
