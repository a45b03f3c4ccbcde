"""Web pages (.html): the page's main content, headings h1–h6 kept, navigation dropped.

The content is the page's ``<main>`` (or its longest ``<article>``, else ``<body>``) without
scripts, styles, navigation, headers, footers, asides and forms. Block elements become lines;
``h1``–``h6`` become Markdown headings. A page with a single ``h1`` at the top has it as its
title, else the ``<title>`` is. The encoding is the page's own (its ``<meta charset>``), so a
GBK page reads as well as a UTF-8 one.
"""

from __future__ import annotations

from pathlib import Path

from qa.messages import shown
from qa.readers import ReadError, check_file, joined

_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg",
         "iframe", "button", "select", "input", "textarea", "menu", "dialog")
_DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar"}
_BLOCKS = {"p", "div", "li", "dt", "dd", "blockquote", "pre", "section", "article", "main", "table", "tr",
           "ul", "ol", "dl", "figure", "figcaption", "caption", "address", "td", "th", "br", "hr", "body"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}


def _lines(root) -> list[tuple[int, str]]:
    """(heading level or 0, text) of each block of ``root``, in document order."""
    from bs4 import NavigableString, Tag

    out: list[tuple[int, str]] = []
    buffer: list[str] = []

    def flush():
        text = " ".join("".join(buffer).split())
        buffer.clear()
        if text:
            out.append((0, text))

    def walk(node):
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction", "CData"):
                    continue
                buffer.append(str(child))
            elif isinstance(child, Tag):
                if child.name in _HEADINGS:
                    flush()
                    text = " ".join(child.get_text(" ").split())
                    if text:
                        out.append((_HEADINGS[child.name], text))
                elif child.name in _BLOCKS:
                    flush()
                    if child.name in ("td", "th"):
                        buffer.append(" ")
                    walk(child)
                    flush()
                else:
                    walk(child)

    walk(root)
    flush()
    return out


def read(path: Path) -> str:
    from bs4 import BeautifulSoup

    check_file(path)
    name = shown(path.name)
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(f"{name}: looks like a binary file, not a web page")
    try:
        soup = BeautifulSoup(data, "html.parser")
    except Exception as e:  # noqa: BLE001  (the parser is lenient; this is a last resort)
        raise ReadError(f"{name}: cannot be read as a web page ({type(e).__name__})") from None
    if soup.find() is None:
        raise ReadError(f"{name}: no HTML in it")
    page_title = " ".join(soup.title.get_text(" ").split()) if soup.title else ""
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": True}):
        if not tag.decomposed and str(tag.get("role", "")).lower() in _DROP_ROLES:
            tag.decompose()
    root = soup.find("main") or max(soup.find_all("article"), key=lambda a: len(a.get_text()), default=None)
    root = root or soup.body or soup
    blocks = _lines(root)
    h1 = [i for i, (level, _) in enumerate(blocks) if level == 1]
    first_heading = next((i for i, (level, _) in enumerate(blocks) if level), None)
    title = ""
    if len(h1) == 1 and h1[0] == first_heading:
        title = blocks.pop(h1[0])[1]
    elif page_title and not h1:
        title = page_title
    lines = ([title] if title else []) + [("#" * level + " " if level else "") + text for level, text in blocks]
    return joined(lines) + "\n"
