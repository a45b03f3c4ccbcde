"""Word (.docx): paragraphs in order, headings from their style, tables row by row.

A paragraph is a heading when its style is a heading style ("Heading 2", "标题 2", …) or it
carries an outline level; the level becomes Markdown hashes. A "Title" paragraph is the
title. Numbers Word adds itself (automatic numbering) are not in the text, so such headings
are numbered by their position. The package is checked before it is opened: a .docx that
unpacks to more than :data:`MAX_UNPACKED` bytes is refused (a zip bomb).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from qa.messages import shown
from qa.readers import ReadError, check_file, joined

MAX_UNPACKED = 200_000_000
_HEADING_STYLE = re.compile(r"^(?:heading|标题|標題|überschrift|titre)\s*(\d)$", re.IGNORECASE)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_package(path: Path) -> None:
    name = shown(path.name)
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            unpacked = sum(i.file_size for i in infos)
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise ReadError(f"{name}: not a readable Word file, damaged or cut short ({shown(e, 120)})") from None
    if unpacked > MAX_UNPACKED:
        raise ReadError(
            f"{name}: unpacks to {unpacked:,} bytes, more than the {MAX_UNPACKED:,} a Word file may; "
            "it is refused (a zip bomb, or mostly pictures: save the text alone)"
        )
    if "word/document.xml" not in names:
        raise ReadError(f"{name}: not a Word document (no word/document.xml inside); is it another kind of zip?")


def _level(paragraph) -> int:
    """The heading level of a paragraph (1 …), 0 for body text, -1 for the title."""
    style = paragraph.style
    while style is not None:
        style_name = (style.name or "").strip()
        if style_name.lower() in ("title", "标题", "標題"):
            return -1
        m = _HEADING_STYLE.match(style_name)
        if m:
            return max(int(m.group(1)), 1)
        outline = style.element.find(f"{_W}pPr/{_W}outlineLvl")
        if outline is not None and outline.get(f"{_W}val", "9").isdigit() and int(outline.get(f"{_W}val")) < 9:
            return int(outline.get(f"{_W}val")) + 1
        style = style.base_style
    own = paragraph._p.find(f"{_W}pPr/{_W}outlineLvl")
    if own is not None and own.get(f"{_W}val", "9").isdigit() and int(own.get(f"{_W}val")) < 9:
        return int(own.get(f"{_W}val")) + 1
    return 0


def read(path: Path) -> str:
    check_file(path)
    _check_package(path)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    name = shown(path.name)
    try:
        document = docx.Document(str(path))
        lines: list[str] = []
        title = ""
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                text = block.text.strip()
                if not text:
                    continue
                level = _level(block)
                if level == -1 and not title and not lines:
                    title = text
                elif level > 0:
                    lines.append("#" * min(level, 6) + " " + text)
                else:
                    lines.append(text)
            elif isinstance(block, Table):
                for row in block.rows:
                    cells = []
                    for cell in row.cells:
                        t = " ".join(cell.text.split())
                        if t and (not cells or cells[-1] != t):  # merged cells repeat their text
                            cells.append(t)
                    if cells:
                        lines.append("；".join(cells))
    except ReadError:
        raise
    except Exception as e:  # noqa: BLE001  (python-docx raises many kinds on a damaged package)
        raise ReadError(f"{name}: not a readable Word file ({type(e).__name__}: {shown(e, 120)})") from None
    return joined(([title] if title else []) + lines) + "\n"
