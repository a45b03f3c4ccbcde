"""The corpus folder: which documents there are, reading them safely, and their hash.

``corpus/manifest.json`` names the documents with their title, language and source, and
the curated tables that go with them; any other ``*.txt`` or ``*.md`` dropped into the
folder is loaded the same way. A file that is empty, binary or not UTF-8 is skipped with
a warning that names it, so one bad file never takes the others down.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from qa.clean import clean_text
from qa.parse import parse
from qa.types import Document

log = logging.getLogger(__name__)

DOC_SUFFIXES = (".txt", ".md")
MAX_DOC_BYTES = 20_000_000
_NOT_DOCUMENTS = {"README.md"}


class CorpusError(ValueError):
    """A document cannot be read; the message says which file and why."""


@dataclass(frozen=True)
class Corpus:
    """The loaded documents and the curated bilingual tables of ``corpus/``."""

    root: Path
    documents: tuple[Document, ...]
    titles_en: dict  # (doc name, section id) -> English title
    glossary: tuple[tuple[str, str], ...]  # (english phrase, chinese term)
    sha256: str
    skipped: tuple[str, ...] = ()

    def section(self, section_id: str, doc: str | None = None):
        for d in self.documents:
            if doc is None or d.name == doc:
                try:
                    return d.section(section_id)
                except KeyError:
                    continue
        raise KeyError(f"no section {section_id!r}; `qa sections` lists them")


def read_text(path: Path) -> str:
    """Read one document as UTF-8 text, or raise :class:`CorpusError` saying what is wrong."""
    path = Path(path)
    if not path.exists():
        raise CorpusError(f"{path}: no such file")
    if not path.is_file():
        raise CorpusError(f"{path}: not a file")
    size = path.stat().st_size
    if size == 0:
        raise CorpusError(f"{path}: the file is empty")
    if size > MAX_DOC_BYTES:
        raise CorpusError(f"{path}: {size:,} bytes is more than the {MAX_DOC_BYTES:,} a document may have")
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise CorpusError(f"{path}: looks like a binary file (NUL bytes); save it as UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise CorpusError(
            f"{path}: not UTF-8 (byte {e.start}); convert it, e.g. `iconv -f GBK -t UTF-8`"
        ) from None
    if not text.strip():
        raise CorpusError(f"{path}: the file holds only white space")
    return text


def load_document(path: Path, name: str | None = None) -> Document:
    """Read, clean and parse one file into a :class:`Document`."""
    path = Path(path)
    raw = read_text(path)
    sha = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return parse(clean_text(raw), name=name or path.stem, sha256=sha)


def _manifest(root: Path) -> dict:
    p = root / "manifest.json"
    if not p.exists():
        return {"documents": []}
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise CorpusError(f"{p}: not valid JSON ({e}); fix or delete it") from None


def _read_tsv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def corpus_files(root: Path) -> list[Path]:
    """The document files of a corpus folder, in a stable order: the manifest's, then the rest."""
    root = Path(root)
    listed = [root / d["file"] for d in _manifest(root).get("documents", [])]
    others = sorted(
        p for p in root.iterdir()
        if p.suffix in DOC_SUFFIXES and p.name not in _NOT_DOCUMENTS and p not in listed
    ) if root.is_dir() else []
    return listed + others


def corpus_hash(root: Path) -> str:
    """A hash of every document file and curated table, so any change means a rebuild."""
    root = Path(root)
    h = hashlib.sha256()
    files = corpus_files(root) + sorted(root.glob("*.tsv")) + [root / "manifest.json"]
    for p in files:
        if p.is_file():
            h.update(p.name.encode())
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def load_corpus(root: Path) -> Corpus:
    """Load every readable document of ``root``; skip bad ones with a warning naming them.

    Raises:
        CorpusError: the folder is missing or no document in it could be read.
    """
    root = Path(root)
    if not root.is_dir():
        raise CorpusError(f"corpus folder {root} does not exist; pass --corpus or create it")
    manifest = _manifest(root)
    meta = {d["file"]: d for d in manifest.get("documents", [])}
    docs: list[Document] = []
    skipped: list[str] = []
    titles_en: dict = {}
    for path in corpus_files(root):
        try:
            doc = load_document(path, name=path.stem)
        except CorpusError as e:
            log.warning("skipping %s", e)
            skipped.append(str(e))
            continue
        info = meta.get(path.name, {})
        if info.get("title"):
            doc = Document(doc.name, info["title"], doc.text, doc.sections, doc.sha256)
        docs.append(doc)
        if info.get("titles_en") and (root / info["titles_en"]).exists():
            for row in _read_tsv(root / info["titles_en"]):
                titles_en[(doc.name, row["id"])] = row["title_en"]
    if not docs:
        raise CorpusError(f"no readable document in {root}: " + ("; ".join(skipped) or "the folder is empty"))
    glossary: list[tuple[str, str]] = []
    if (root / "glossary.tsv").exists():
        glossary = [(r["en"].strip().lower(), r["zh"].strip()) for r in _read_tsv(root / "glossary.tsv") if r.get("en")]
    return Corpus(root, tuple(docs), titles_en, tuple(glossary), corpus_hash(root), tuple(skipped))
