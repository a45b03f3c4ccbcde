"""Readers: a document file of any supported type → text that cleaning and parsing share.

One function, :func:`read`, keyed by the file's type. Every reader gives back plain text
with the document's title (when it has one) on the first line and each heading on a line
of its own, marked with Markdown hashes by level where the file says which lines are
headings (a PDF's outline or font sizes, a Word heading style, an HTML ``h1``–``h6``);
:mod:`qa.clean` and :mod:`qa.parse` then treat every type alike.

Anything wrong with a file is a :class:`ReadError` whose message starts with the file's
name and says what to do; nothing is written anywhere.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from qa.messages import shown

# The text readers (module, human name) by file suffix.
READERS = {
    ".txt": ("qa.readers.text", "text"),
    ".md": ("qa.readers.text", "Markdown"),
    ".pdf": ("qa.readers.pdf", "PDF"),
    ".docx": ("qa.readers.word", "Word"),
    ".html": ("qa.readers.web", "web page"),
    ".htm": ("qa.readers.web", "web page"),
}
SUFFIXES = tuple(READERS)
# A file bigger than this is refused before it is opened.
MAX_FILE_BYTES = 50_000_000
# The most text one document may hold once read: ~4 minutes of embedding on 2 laptop cores.
MAX_TEXT_CHARS = 400_000


class ReadError(ValueError):
    """A document cannot be read; the message names the file and says why."""


def kind(path: Path) -> str:
    """The human name of a file's type ("PDF"), or "" when it is not a supported type."""
    return READERS.get(Path(path).suffix.lower(), ("", ""))[1]


def read(path: Path) -> str:
    """The text of the document at ``path`` (see the module docstring).

    Raises:
        ReadError: missing, not a file, empty, over :data:`MAX_FILE_BYTES`, an unsupported
            type, damaged, encrypted, without text, or more text than :data:`MAX_TEXT_CHARS`.
    """
    path = Path(path)
    name = shown(path.name)
    entry = READERS.get(path.suffix.lower())
    if entry is None:
        raise ReadError(
            f"{name}: {shown(path.suffix) or 'no extension'} is not a type qa reads; "
            f"it reads {', '.join(SUFFIXES)}"
        )
    text = importlib.import_module(entry[0]).read(path)  # each reader checks the file first (check_file)
    if not text.strip():
        raise ReadError(f"{name}: no text in it")
    if len(text) > MAX_TEXT_CHARS:
        raise ReadError(
            f"{name}: {len(text):,} characters of text is more than the {MAX_TEXT_CHARS:,} one document may have "
            "(embedding it would take minutes); split it into smaller documents"
        )
    return text


def check_file(path: Path, max_bytes: int = MAX_FILE_BYTES, too_big=None) -> int:
    """Refuse, before opening it, a file that is missing, not a file, empty or bigger than
    ``max_bytes`` (``too_big(name, size)`` words that refusal); its size otherwise."""
    name = shown(path.name)
    if not path.exists():
        raise ReadError(f"{name}: no such file")
    if not path.is_file():
        raise ReadError(f"{name}: not a file")
    size = path.stat().st_size
    if size == 0:
        raise ReadError(f"{name}: the file is empty")
    if size > max_bytes:
        raise ReadError(too_big(name, size) if too_big else f"{name}: {size:,} bytes is more than the {max_bytes:,} a file may have; split it")
    return size


def joined(lines: list[str]) -> str:
    """Lines of a document, one per line, white space inside each collapsed."""
    return "\n".join(" ".join(line.split()) for line in lines if line and line.strip())
