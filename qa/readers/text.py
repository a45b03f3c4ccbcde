"""Plain text and Markdown: read as UTF-8, checked for what is not text."""

from __future__ import annotations

from pathlib import Path

from qa.messages import shown
from qa.readers import ReadError, check_file

# A build embeds ~4 KB of Chinese text a second on 2 laptop cores (the 68 KB report: ~15 s),
# so 1 MB is ~4 minutes: the most one document may cost before anyone can ask.
MAX_DOC_BYTES = 1_000_000
EMBED_BYTES_PER_SECOND = 4_000


def _too_big(name: str, size: int) -> str:
    minutes = size / EMBED_BYTES_PER_SECOND / 60
    return (
        f"{name}: {size:,} bytes is more than the {MAX_DOC_BYTES:,} a document may have "
        f"(embedding it would take ~{minutes:,.0f} minutes on a laptop CPU); split it into smaller documents"
    )


def read_text(path: Path) -> str:
    """Read one document as UTF-8 text, or raise :class:`ReadError` saying what is wrong."""
    path = Path(path)
    name = shown(path.name)
    check_file(path, MAX_DOC_BYTES, _too_big)
    with path.open("rb") as f:
        data = f.read(MAX_DOC_BYTES + 1)  # the file may have grown since the stat
    if len(data) > MAX_DOC_BYTES:
        raise ReadError(f"{name}: more than the {MAX_DOC_BYTES:,} bytes a document may have")
    if b"\x00" in data[:8192]:
        raise ReadError(f"{name}: looks like a binary file (NUL bytes); save it as UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ReadError(
            f"{name}: not UTF-8 (byte {e.start}); convert it, e.g. `iconv -f GBK -t UTF-8`"
        ) from None
    if not text.strip():
        raise ReadError(f"{name}: the file holds only white space")
    return text


read = read_text
