"""PDF: the text layer, read with pypdf, laid back out as the document's lines.

- Lines come from the text pypdf extracts, each with where it sits on the page and the size
  of its type, so the rest can be decided from the layout:
- running headers and footers (a line in the page's top or bottom margin that recurs, numbers
  aside, on at least half of the pages) and bare page numbers are dropped;
- headings are the PDF's outline (bookmarks) when it has one, else the lines set in type larger
  than the body text (the biggest size the first level); they get Markdown hashes, and a first
  line in the biggest type of page 1 is the title;
- a line that runs to the right margin continues on the next one: the two are joined, with no
  space between Chinese characters, so the layout's line breaks never split a sentence.

A PDF without a text layer (a scan), an encrypted or a damaged one is a :class:`ReadError`.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from qa.messages import shown
from qa.parse import looks_like_heading
from qa.readers import ReadError, check_file

log = logging.getLogger(__name__)

# A header or footer sits within this share of the page's height from its top or bottom.
MARGIN = 0.08
_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:(?:第\s*)?\d+\s*(?:[頁页]|/\s*\d+)?|page\s+\d+(?:\s+of\s+\d+)?|\d+\s*of\s*\d+)[-–—\s]*$",
    re.IGNORECASE,
)
# What a browser prints in a page's margins (a date and time, the address, "3/15"): dropped even
# from a one-page PDF, where nothing recurs to tell a running header by.
_PRINTED_BY_BROWSER = re.compile(
    r"^(?:\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?:\s*[AP]M)?\b.*|(?:https?|file)://\S+(?:\s+\d+\s*/\s*\d+)?)$"
)
_BULLETS = tuple("-–—•·●○▪■□◆◇*")
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]) +| +(?=[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef])")
_LIGATURE = re.compile("[\ufb00-\ufb06]")
_CHINESE = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


@dataclass
class Line:
    """One line of a page as laid out: its text, the size of its type, where it is."""

    text: str = ""
    sizes: list[float] = field(default_factory=list)  # one per character drawn
    x0: float = math.inf
    x1: float = -math.inf
    y: float = 0.0
    page: int = 0

    @property
    def size(self) -> float:
        """The size most of its characters are set in."""
        if not self.sizes:
            return 0.0
        counts: dict[float, int] = {}
        for s in self.sizes:
            counts[s] = counts.get(s, 0) + 1
        return max(counts, key=counts.get)


def _width(text: str, size: float) -> float:
    """About the width ``text`` takes when set in ``size``: East Asian wide and ambiguous
    characters (Chinese, full-width and curly quotes in a Chinese font) are square, others half."""
    return sum(size if unicodedata.east_asian_width(ch) in "WFA" else size * 0.5 for ch in text)


def _page_lines(page, number: int) -> list[Line]:
    lines = [Line(page=number)]

    def visit(text, cm, tm, _font, font_size):
        if not text:
            return
        scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
        size = round(font_size * (scale or 1.0) * 2) / 2
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append(Line(page=number))
            if not part.strip():
                continue
            line = lines[-1]
            if not line.sizes:
                line.y = y
            line.text += part
            line.sizes.extend([size] * len(part.strip()))
            line.x0 = min(line.x0, x)
            line.x1 = max(line.x1, x + _width(part, size))

    page.extract_text(visitor_text=visit)
    out = []
    for line in lines:
        # Runs in another font (digits, Latin) are drawn apart; the extractor puts a space
        # between them that Chinese text does not have.
        line.text = _CJK_SPACE.sub("", " ".join(line.text.split()))
        line.text = _LIGATURE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), line.text)  # ﬁ → fi
        if line.text:
            out.append(line)
    return out


def _open(path: Path):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    name = shown(path.name)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about damage become our one message
    try:
        reader = PdfReader(path, strict=False)
        encrypted = reader.is_encrypted
        if encrypted and not reader.decrypt(""):
            raise ReadError(f"{name}: the PDF is encrypted (it needs a password); save a copy without protection and add that")
        reader.pages[0]  # a PDF without pages fails here, not later
    except ReadError:
        raise
    except (PyPdfError, ValueError, KeyError, IndexError, TypeError, AttributeError, OSError, RecursionError) as e:
        if "crypt" in str(e).lower() or "AES" in str(e):
            raise ReadError(f"{name}: the PDF is encrypted in a way qa cannot open ({e}); save a copy without protection") from None
        raise ReadError(f"{name}: not a readable PDF, damaged or cut short ({type(e).__name__}: {shown(e, 120)})") from None
    return reader


def _outline(reader) -> dict[str, int]:
    """The PDF's bookmarks: title without spaces → depth (1 = top)."""
    out: dict[str, int] = {}

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                title = "".join(str(getattr(item, "title", "") or "").split())
                if title and title not in out:
                    out[title] = depth

    try:
        walk(reader.outline, 1)
    except Exception as e:  # noqa: BLE001  (a broken outline is only a missing hint)
        log.info("ignoring the PDF outline: %s", e)
        return {}
    return out


def _running(pages: list[list[Line]], heights: list[float]) -> set[tuple[int, int]]:
    """(page, line index) of running headers, footers and page numbers."""
    def in_margin(line: Line, height: float) -> bool:
        return line.y > height * (1 - MARGIN) or line.y < height * MARGIN

    def key(line: Line) -> str:  # the line with its numbers (page, date) blanked out
        return re.sub(r"\d+", "#", line.text.replace(" ", ""))

    keys: dict[str, set[int]] = {}
    for p, lines in enumerate(pages):
        for line in lines:
            if in_margin(line, heights[p]):
                keys.setdefault(key(line), set()).add(p)
    recurring = {k for k, ps in keys.items() if len(pages) >= 2 and len(ps) >= max(2, len(pages) / 2)}
    drop = set()
    for p, lines in enumerate(pages):
        for i, line in enumerate(lines):
            if in_margin(line, heights[p]) and (
                key(line) in recurring or _PAGE_NUMBER.match(line.text)
                or _PRINTED_BY_BROWSER.match(line.text)
            ):
                drop.add((p, i))
    return drop


def _body_size(lines: list[Line]) -> float:
    counts: dict[float, int] = {}
    for line in lines:
        for s in line.sizes:
            counts[s] = counts.get(s, 0) + 1
    return max(counts, key=counts.get) if counts else 0.0


def _layout(lines: list[Line], body: float) -> dict:
    """The body text's left and right margins and line pitch (baseline to baseline)."""
    text = [line for line in lines if line.size == body] or lines
    ends = sorted(line.x1 for line in text)
    gaps: dict[float, int] = {}
    for a, b in itertools.pairwise(text):
        if a.page == b.page and 0 < a.y - b.y < 3 * body:
            gap = round(a.y - b.y, 1)
            gaps[gap] = gaps.get(gap, 0) + 1
    return {
        "left": min(line.x0 for line in text),
        "right": ends[int(0.95 * (len(ends) - 1))],
        "pitch": max(gaps, key=gaps.get) if gaps else 1.2 * body,
    }


def _joiner(a: str, b: str) -> str | None:
    """What goes between two pieces of one sentence split by the layout: nothing in Chinese text
    (2024- | 2025年, "三權分置" | (所有權 …), a space between English words, and a hyphenated
    English word is joined without its hyphen (None)."""
    if a.endswith("-") and b[:1].islower():
        return None
    if _HAN.match(a[-1]) or _HAN.match(b[0]) or a.endswith(("-", "/")):
        return ""
    chinese = len(_CHINESE.findall(a)) >= len(_LATIN.findall(a))
    return "" if chinese else " "


def read(path: Path) -> str:
    check_file(path)
    reader = _open(path)
    name = shown(path.name)
    pages: list[list[Line]] = []
    heights: list[float] = []
    try:
        for n, page in enumerate(reader.pages):
            pages.append(_page_lines(page, n))
            heights.append(float(page.mediabox.height) + float(page.mediabox.bottom))
    except ReadError:
        raise
    except Exception as e:  # noqa: BLE001  (pypdf raises many kinds on damaged content streams)
        raise ReadError(f"{name}: page {len(pages) + 1} cannot be read; the PDF is damaged ({type(e).__name__})") from None
    if not any(line.text.strip() for lines in pages for line in lines):
        raise ReadError(
            f"{name}: no text layer; OCR is not supported (is it a scan?). Add a PDF with a text layer, or the Word or text version"
        )
    drop = _running(pages, heights)
    lines = [line for p, ls in enumerate(pages) for i, line in enumerate(ls) if (p, i) not in drop]
    if not lines:
        raise ReadError(f"{name}: only page headers and numbers, no text")
    body = _body_size(lines)
    outline = _outline(reader)
    if not any(line.text.replace(" ", "") in outline for line in lines):
        outline = {}  # bookmarks that name no line (page labels, "Section 3"): type sizes tell instead
    bigger = sorted({line.size for line in lines if line.size >= body + 1}, reverse=True)
    first = lines[0]
    title = first.page == 0 and bigger and first.size == bigger[0] and len(first.text) <= 60
    if title and sum(1 for line in lines if line.size == bigger[0]) == 1:
        bigger = bigger[1:]  # the title's size is not a heading level
    layout = _layout(lines, body)

    def heading_level(line: Line) -> int:
        if outline:
            return outline.get(line.text.replace(" ", ""), 0)
        if line.size in bigger and len(line.text) <= 60:
            return bigger.index(line.size) + 1
        return 0

    out: list[str] = []
    previous: Line | None = None  # the body line ``out[-1]`` ends with, if it may run on
    for i, line in enumerate(lines):
        if i == 0 and title:
            out.append(line.text)
            continue
        level = heading_level(line)
        if level:
            out.append("#" * min(level, 6) + " " + line.text)
            previous = None
            continue
        if previous is not None and _runs_on(previous, line, layout):
            glue = _joiner(out[-1], line.text)
            out[-1] = out[-1][:-1] + line.text if glue is None else out[-1] + glue + line.text
        else:
            out.append(line.text)
        previous = line
    return "\n".join(out) + "\n"


def _runs_on(line: Line, following: Line, layout: dict) -> bool:
    """True when the layout broke ``line`` only because the next line's first word did not
    fit: its end plus that word reaches the right margin, and ``following`` starts neither a
    new paragraph (a wider gap above it, an indent, a bullet) nor a new page's heading."""
    if following.text.startswith(_BULLETS) or looks_like_heading(following.text):
        return False
    if following.page == line.page and line.y - following.y > 1.4 * layout["pitch"]:
        return False
    if following.x0 > layout["left"] + 1.5 * max(line.size, 1.0):
        return False
    first = re.match(r"[^\s\u3400-\u9fff]+|.", following.text)
    word = first.group(0) if first else ""
    return line.x1 + _width(word, line.size) >= layout["right"] - 2.5 * max(line.size, 1.0)  # widths are estimated
