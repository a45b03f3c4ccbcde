"""Cleaned report text → :class:`Document` of numbered sections.

Generic for reports with numbered headings: chapters "一、總論", numbered headings with
or without Markdown hashes ("1.1研究背景", "###2.1…", "####2.1.1…"), and plain Markdown
"# Title" headings (numbered by position). A numbered line counts as a heading only when
it continues the outline (its parent exists, it was not seen before) and reads like a
title, so "2024-2025年的實踐表明…" or "1.2億市民…" stay text.

A document without dotted numbers ("1.1") is read in the styles of Chinese government
documents instead: 第一章 › 第一节 › 一、 › （一） › 1. › （1）, each style nested in the one
above it wherever it appears, so "第二章 … （三）…" is section "2.3". A styled line is a
heading only when it reads like a title and counts on from its previous sibling (1, then
2 …), so a numbered list inside a paragraph stays text.
"""

from __future__ import annotations

import re

from qa.types import Document, Section

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CHAPTER = re.compile(r"^#{0,6}\s*(?:第)?([一二三四五六七八九十]{1,3})(?:、|章\s*)\s*(\S.*)$")
_NUMBERED = re.compile(r"^#{0,6}\s*(\d{1,2}(?:\.\d{1,2}){1,4})\.?\s*(\S.*)$")
_MARKDOWN = re.compile(r"^(#{1,6})\s*(\S.*)$")
_NUMERAL = r"[一二三四五六七八九十]{1,3}"
# Government-document heading styles, outermost first: (pattern, rank).
_STYLES = (
    (re.compile(rf"^第\s*({_NUMERAL}|\d{{1,2}})\s*章\s*(\S.*)$"), 0),
    (re.compile(rf"^第\s*({_NUMERAL}|\d{{1,2}})\s*[節节]\s*(\S.*)$"), 1),
    (re.compile(rf"^({_NUMERAL})\s*、\s*(\S.*)$"), 2),
    (re.compile(rf"^[（(]\s*({_NUMERAL})\s*[）)]\s*(\S.*)$"), 3),
    (re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*(\S.*)$"), 4),
    (re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*(\S.*)$"), 5),
)
_SENTENCE_MARKS = re.compile(r"[。,，;；:：!！?？]")
_MAX_TITLE = 40
_TERMINAL = ("。", "!", "?", "”", '"', "」", ")", "…", ".", "！", "？")


def chinese_numeral(s: str) -> int:
    """"三" → 3, "十二" → 12, "二十" → 20 (chapters go no higher)."""
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[s]


def _looks_like_title(title: str) -> bool:
    return 0 < len(title) <= _MAX_TITLE and not _SENTENCE_MARKS.search(title)


def looks_like_heading(line: str) -> bool:
    """True when ``line`` alone could be a heading in one of the styles this module reads
    (whether it is one depends on the outline around it)."""
    bare = line.strip().lstrip("#").strip()
    for pattern in (_CHAPTER, _NUMBERED, *(p for p, _ in _STYLES)):
        m = pattern.match(bare)
        if m and _looks_like_title(m.group(2).strip()):
            return True
    return False


def parse(text: str, name: str = "document", sha256: str = "") -> Document:
    """Split cleaned text into sections; see the module docstring for what is a heading.

    A document without any heading becomes one section "0" holding all its text.
    The first line before any heading is taken as the document's title.
    """
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1

    headings = _outline_headings(lines)
    if not any("." in sid and not by_position for _, sid, _, _, by_position in headings):
        styled = _styled_headings(lines)  # no dotted numbers: government-document styles
        if any(not by_position for *_, by_position in styled):
            headings = styled
    headings = [h[:4] for h in headings]

    first_heading = headings[0][0] if headings else len(lines)
    preamble = [ln.strip() for ln in lines[:first_heading] if ln.strip()]
    has_title = bool(preamble) and _looks_like_title(preamble[0])  # (a title may equal the file's name)
    title = preamble[0] if has_title else name
    sections: list[Section] = []

    def body(start_line: int, end_line: int) -> tuple[str, int, int]:
        chunk_lines = lines[start_line:end_line]
        joined = "\n".join(chunk_lines)
        stripped = joined.strip()
        if not stripped:
            start = offsets[start_line] if start_line < len(offsets) else pos
            return "", start, start
        lead = len(joined) - len(joined.lstrip())
        start = (offsets[start_line] if start_line < len(offsets) else pos) + lead
        return stripped, start, start + len(stripped)

    if not headings:
        skip = 1 if has_title else 0
        content_start = next((i for i, ln in enumerate(lines) if ln.strip()), 0) + skip
        t, s, e = body(content_start, len(lines))
        if not t:  # a one-line document: its only line is its text, not just its title
            t, s, e = body(0, len(lines))
        sections.append(Section("0", title, 1, (title,), t, s, e, truncated=False, doc=name))
        return Document(name=name, title=title, text=text, sections=tuple(sections), sha256=sha256)

    title_line = next((i for i, ln in enumerate(lines[:first_heading]) if ln.strip()), 0)
    t, s, e = body(title_line + 1 if has_title else 0, first_heading)
    if t:
        sections.append(Section("0", title, 1, (title,), t, s, e, doc=name))

    stack: list[tuple[int, str]] = []  # (level, title) along the current path
    for n, (line_no, sid, stitle, level) in enumerate(headings):
        next_line = headings[n + 1][0] if n + 1 < len(headings) else len(lines)
        t, s, e = body(line_no + 1, next_line)
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, stitle))
        sections.append(
            Section(sid, stitle, level, tuple(x[1] for x in stack), t, s, e, truncated=False, doc=name)
        )

    last = sections[-1]
    if not last.text or not last.text.rstrip().endswith(_TERMINAL):
        sections[-1] = Section(**{**last.__dict__, "truncated": True})
    return Document(name=name, title=title, text=text, sections=tuple(sections), sha256=sha256)



def _markdown_id(depth: int, counters: list[int], seen: set[str]) -> tuple[str, list[int]]:
    """The next position-based id of a Markdown heading of ``depth`` hashes."""
    counters = (counters + [0] * depth)[:depth]
    counters[depth - 1] += 1
    sid = ".".join(str(max(c, 1)) for c in counters)
    while sid in seen:
        counters[depth - 1] += 1
        sid = ".".join(str(max(c, 1)) for c in counters)
    return sid, counters


def _outline_headings(lines: list[str]) -> list[tuple[int, str, str, int, bool]]:
    """(line index, id, title, level, numbered by position) of each heading in the report's
    style: chapters 一、 or 第一章, dotted numbers, Markdown hashes."""
    headings: list[tuple[int, str, str, int, bool]] = []
    seen: set[str] = set()
    chapter_ids: set[str] = set()
    md_counters: list[int] = []
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        m = _CHAPTER.match(line)
        if m and _looks_like_title(m.group(2)):
            sid = str(chinese_numeral(m.group(1)))
            if sid not in seen:
                headings.append((i, sid, m.group(2).strip(), 1, False))
                seen.add(sid)
                chapter_ids.add(sid)
                continue
        m = _NUMBERED.match(line)
        if m and _looks_like_title(m.group(2)):
            sid = m.group(1)
            parent = sid.rsplit(".", 1)[0]
            top = sid.split(".", 1)[0]
            continues = parent in seen or (top in seen) or (not chapter_ids and sid.count(".") == 1)
            if sid not in seen and continues:
                headings.append((i, sid, m.group(2).strip(), sid.count(".") + 1, False))
                seen.add(sid)
                continue
        m = _MARKDOWN.match(line)
        if m and _looks_like_title(m.group(2)) and not _NUMBERED.match(line):
            depth = len(m.group(1))
            sid, md_counters = _markdown_id(depth, md_counters, seen)
            headings.append((i, sid, m.group(2).strip(), depth, True))
            seen.add(sid)
    return headings


def _number(s: str) -> int:
    return int(s) if s.isdigit() else chinese_numeral(s)


def _styled_headings(lines: list[str]) -> list[tuple[int, str, str, int, bool]]:
    """(line index, id, title, level, numbered by position) of each heading in the styles of
    government documents (see the module docstring); Markdown lines in none of the styles are
    numbered by position."""
    headings: list[tuple[int, str, str, int, bool]] = []
    seen: set[str] = set()
    open_: list[tuple[int, str]] = []  # (style rank, id) from the outermost heading down
    last: dict[tuple[str, int], int] = {}  # (parent id, style rank) -> number of the last child
    md_counters: list[int] = []
    for i, raw in enumerate(lines):
        line = raw.strip()
        bare = line.lstrip("#").strip()
        if not bare:
            continue
        for pattern, rank in _STYLES:
            m = pattern.match(bare)
            if not (m and _looks_like_title(m.group(2).strip())):
                continue
            n = _number(m.group(1))
            stack = [x for x in open_ if x[0] < rank]
            parent = stack[-1][1] if stack else ""
            if n != last.get((parent, rank), 0) + 1:
                break  # does not count on from its sibling: a list item, not a heading
            sid = f"{parent}.{n}" if parent else str(n)
            if sid in seen:
                break
            last[(parent, rank)] = n
            open_ = stack + [(rank, sid)]
            headings.append((i, sid, m.group(2).strip(), len(open_), False))
            seen.add(sid)
            break
        else:
            m = _MARKDOWN.match(line)
            if m and _looks_like_title(m.group(2)):
                depth = len(m.group(1))
                sid, md_counters = _markdown_id(depth, md_counters, seen)
                headings.append((i, sid, m.group(2).strip(), depth, True))
                seen.add(sid)
    return headings
