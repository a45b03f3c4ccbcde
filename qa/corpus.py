"""The corpus folder: which documents there are, reading them safely, and their hash.

``corpus/manifest.json`` names the documents with their title, language and source, and
the curated tables that go with them; any other ``*.txt`` or ``*.md`` dropped into the
folder is loaded the same way. A file that is empty, binary, not UTF-8, too big to embed
in reasonable time, a link out of the folder, or a second file with the same name is
skipped with a warning that names it, so one bad file never takes the others down. A
malformed manifest or curated table is a :class:`CorpusError` naming the file and line.
Files are ``stat``-ed before they are read or hashed, so a huge file costs nothing.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from qa.clean import clean_text
from qa.messages import shown
from qa.parse import parse
from qa.readers import MAX_FILE_BYTES, SUFFIXES, ReadError, read
from qa.readers.text import MAX_DOC_BYTES
from qa.types import Document

log = logging.getLogger(__name__)

DOC_SUFFIXES = SUFFIXES
_NOT_DOCUMENTS = {"README.md"}


class CorpusError(ReadError):
    """A document, the manifest or a curated table cannot be read; the message says which
    file and why."""


@dataclass(frozen=True)
class Corpus:
    """The loaded documents and the curated bilingual tables of ``corpus/``."""

    root: Path
    documents: tuple[Document, ...]
    titles_en: dict  # (doc name, section id) -> English title
    glossary: tuple[tuple[str, str], ...]  # (english phrase, chinese term)
    sha256: str
    skipped: tuple[str, ...] = ()
    editions: dict = field(default_factory=dict)  # doc name -> {sentence key -> qa.edition.Record}
    files: dict = field(default_factory=dict)  # doc name -> its file's name ("report.pdf")

    def section(self, section_id: str, doc: str | None = None):
        for d in self.documents:
            if doc is None or d.name == doc:
                try:
                    return d.section(section_id)
                except KeyError:
                    continue
        raise KeyError(f"no section {section_id!r}; `qa sections` lists them")


def file_sha256(path: Path) -> str:
    """The hash of a file's bytes: what makes two files the same document."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_document(path: Path, name: str | None = None) -> Document:
    """Read (any type :mod:`qa.readers` knows), clean and parse one file into a :class:`Document`."""
    path = Path(path)
    try:
        raw = read(path)
    except ReadError as e:
        raise CorpusError(str(e)) from None
    doc = parse(clean_text(raw), name=name or path.stem, sha256=file_sha256(path))
    if not any(s.text.strip() for s in doc.sections):
        raise CorpusError(f"{shown(path)}: only headings, no text under them")
    return doc


def load_manifest(root: Path) -> dict:
    """``manifest.json`` checked for shape: {"documents": [{"file": "x.txt", ...}, ...]}."""
    p = root / "manifest.json"
    if not p.exists():
        return {"documents": []}
    name = shown(p)
    if not p.is_file() or p.stat().st_size > 1_000_000:
        raise CorpusError(f"{name}: not a manifest (not a file, or over 1 MB); fix or delete it")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise CorpusError(f"{name}: not valid JSON ({e}); fix or delete it") from None
    if not isinstance(data, dict):
        raise CorpusError(f"{name}: must be a JSON object with a \"documents\" list; fix or delete it")
    docs = data.get("documents", [])
    if not isinstance(docs, list):
        raise CorpusError(f"{name}: \"documents\" must be a list of {{\"file\": ...}} objects")
    for i, d in enumerate(docs):
        where = f"{name}, documents[{i}]"
        if not isinstance(d, dict) or not isinstance(d.get("file"), str) or not d["file"].strip():
            raise CorpusError(f"{where}: each document must be an object with a \"file\" name")
        for key in ("title", "title_en", "titles_en", "language", "source"):
            if key in d and not isinstance(d[key], str):
                raise CorpusError(f"{where}: \"{key}\" must be a string")
        for key in ("file", "titles_en"):
            if key in d and _inside(root, root / d[key]) is None:
                raise CorpusError(f"{where}: {shown(d[key])!s} is not a file inside {shown(root)}")
    return data


def _inside(root: Path, path: Path) -> Path | None:
    """``path`` resolved, when it stays inside ``root`` (links followed); else None."""
    try:
        real = path.resolve()
        base = root.resolve()
    except (OSError, RuntimeError):  # a link loop
        return None
    return real if real == base or base in real.parents else None


# The columns each curated table must have, and which must not be empty.
TABLE_COLUMNS = {"glossary": ("en", "zh"), "titles": ("id", "title_en")}


def _read_tsv(path: Path, kind: str = "") -> list[dict]:
    """Rows of a tab-separated table; a missing column, a short row or an empty required
    cell is a :class:`CorpusError` naming the file and line."""
    required = TABLE_COLUMNS.get(kind, ())
    name = shown(path)
    if path.stat().st_size > 5_000_000:
        raise CorpusError(f"{name}: over 5 MB; a curated table is a few hundred lines")
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader, None)
            if header is None:
                raise CorpusError(f"{name}, line 1: the table is empty; it needs a header row: {' / '.join(required)}")
            missing = [c for c in required if c not in header]
            if missing:
                raise CorpusError(f"{name}, line 1: no column {', '.join(missing)} in the header (tab-separated)")
            rows = []
            for line_no, cells in enumerate(reader, start=2):
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) < len(header) - 1 or len(cells) > len(header):
                    raise CorpusError(
                        f"{name}, line {line_no}: {len(cells)} tab-separated cells, the header has {len(header)}"
                    )
                row = dict(zip(header, cells + [""] * (len(header) - len(cells))))
                empty = [c for c in required if not row[c].strip()]
                if empty:
                    raise CorpusError(f"{name}, line {line_no}: empty {', '.join(empty)}")
                rows.append(row)
            return rows
    except UnicodeDecodeError as e:
        raise CorpusError(f"{name}: not UTF-8 (byte {e.start})") from None
    except csv.Error as e:
        raise CorpusError(f"{name}: cannot be read as a table ({e})") from None


def _candidates(root: Path) -> list[Path]:
    """Document files of a corpus folder, in a stable order: the manifest's, then the rest."""
    if not root.is_dir():
        return []
    listed = [root / d["file"] for d in load_manifest(root).get("documents", [])]
    others = sorted(
        p for p in root.iterdir()
        if p.suffix.lower() in DOC_SUFFIXES and p.name not in _NOT_DOCUMENTS and p not in listed
    )
    return listed + others


def _screen(root: Path) -> tuple[list[Path], list[str]]:
    """(files to read, why the others are skipped): links out of the folder and second
    files with a name already taken (``dup.txt`` beside ``dup.md``) are skipped."""
    keep: list[Path] = []
    skipped: list[str] = []
    by_name: dict[str, Path] = {}
    for p in _candidates(root):
        if _inside(root, p) is None:
            skipped.append(f"{shown(p)}: links outside {shown(root)}; only files inside the corpus folder are read")
            continue
        first = by_name.get(p.stem)
        if first is not None:
            skipped.append(
                f"{shown(p)}: the name {shown(p.stem)!s} is taken by {shown(first.name)}; rename one of them"
            )
            continue
        by_name[p.stem] = p
        keep.append(p)
    return keep, skipped


def corpus_files(root: Path) -> list[Path]:
    """The document files of a corpus folder that will be read (see :func:`_screen`)."""
    return _screen(Path(root))[0]


def corpus_hash(root: Path) -> str:
    """A hash of every document file and curated table, so any change means a rebuild.

    Each file is ``stat``-ed first: one too big to be a document is hashed by its size and
    time, not read (it is skipped at load anyway).
    """
    root = Path(root)
    h = hashlib.sha256()
    tables = sorted(p for pattern in ("*.tsv", "*.en.jsonl") for p in root.glob(pattern) if _inside(root, p))
    files = corpus_files(root) + tables + [root / "manifest.json"]
    for p in files:
        if not p.is_file():
            continue
        st = p.stat()
        h.update(p.name.encode("utf-8", "surrogateescape"))
        if st.st_size > MAX_FILE_BYTES:
            h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
            continue
        h.update(bytes.fromhex(file_sha256(p)))
    return h.hexdigest()


def load_corpus(root: Path) -> Corpus:
    """Load every readable document of ``root``; skip bad ones with a warning naming them.

    Raises:
        CorpusError: the folder is missing or no document in it could be read.
    """
    root = Path(root)
    if not root.is_dir():
        raise CorpusError(f"corpus folder {shown(root)} does not exist; pass --corpus or create it")
    manifest = load_manifest(root)
    meta = {d["file"]: d for d in manifest.get("documents", [])}
    docs: list[Document] = []
    paths, skipped = _screen(root)
    for s in skipped:
        log.warning("skipping %s", s)
    titles_en: dict = {}
    editions: dict = {}
    files: dict = {}
    for path in paths:
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
        files[doc.name] = path.name
        if info.get("title_en"):
            titles_en[(doc.name, "")] = info["title_en"].strip()  # the report's own English title
        table = root / info["titles_en"] if info.get("titles_en") else None
        if table is not None and table.is_file():
            for row in _read_tsv(table, "titles"):
                titles_en[(doc.name, row["id"].strip())] = row["title_en"].strip()
        records = _edition(root, path, skipped)
        if records:
            editions[doc.name] = records
    if not docs:
        raise CorpusError(f"no readable document in {shown(root)}: " + ("; ".join(skipped) or "the folder is empty"))
    glossary: list[tuple[str, str]] = []
    table = root / "glossary.tsv"
    if table.is_file() and _inside(root, table):
        glossary = [(r["en"].strip().lower(), r["zh"].strip()) for r in _read_tsv(table, "glossary")]
    return Corpus(root, tuple(docs), titles_en, tuple(glossary), corpus_hash(root), tuple(skipped), editions, files)


def _edition(root: Path, document: Path, skipped: list[str]) -> dict:
    """The English edition beside ``document`` (``X.en.jsonl``), or {} when there is none or it
    cannot be read (then the document is used without it, and the reason is kept in ``skipped``)."""
    from qa.edition import EditionError, edition_path, load

    path = edition_path(document)
    if not path.is_file() or _inside(root, path) is None:
        return {}
    if path.stat().st_size > 20 * MAX_DOC_BYTES:
        skipped.append(f"{shown(path)}: over {20 * MAX_DOC_BYTES:,} bytes; the English edition is not used")
        return {}
    try:
        return load(path)
    except EditionError as e:
        log.warning("not using an English edition: %s", e)
        skipped.append(f"{e}; the English edition is not used")
        return {}
