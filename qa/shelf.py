"""The shelf: the reports in ``corpus/``, listed, added and removed with the index kept in step.

``add`` reads every file first (any type :mod:`qa.readers` knows) and refuses the lot, changing
nothing, when one of them is unreadable, has a name that is not a plain file name, is already
on the shelf (same name, or the same bytes under another name). Then it copies the files in,
records them in ``corpus/manifest.json`` and builds the index, which reuses the vectors of
everything already there (only the new text is embedded) and swaps in atomically, so until it
is complete the old index keeps answering. If the build fails, the copies and the manifest
entry are taken back out: the shelf and the index are exactly as they were.

``remove`` moves the document (and its English edition, if any) into ``corpus/.removed/``,
never deletes it, and rebuilds the same way. Adds and removes take turns (a file lock).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import shutil
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from qa.config import Config
from qa.corpus import (
    CorpusError,
    corpus_files,
    file_sha256,
    load_corpus,
    load_document,
    load_manifest,
)
from qa.messages import shown
from qa.readers import SUFFIXES, kind

REMOVED = ".removed"
MAX_NAME_CHARS = 120


class ShelfError(ValueError):
    """A document cannot be added or removed; the message names it and says why. Nothing changed."""


@dataclass(frozen=True)
class Entry:
    """One document on the shelf, as ``qa docs`` lists it."""

    name: str
    title: str
    type: str
    file: str
    sections: int
    characters: int
    added_at: str
    sha256: str

    def to_dict(self) -> dict:
        return asdict(self)


@contextlib.contextmanager
def _shelf_lock(corpus_dir: Path):
    corpus_dir.parent.mkdir(parents=True, exist_ok=True)
    with (corpus_dir.parent / f".{corpus_dir.name}.shelf.lock").open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _manifest_path(corpus_dir: Path) -> Path:
    return corpus_dir / "manifest.json"


def _read_manifest(corpus_dir: Path) -> tuple[dict, bytes | None]:
    """The manifest, checked as every load checks it, and its bytes as they are (None: no
    manifest yet), to put back if a change fails."""
    path = _manifest_path(corpus_dir)
    raw = path.read_bytes() if path.exists() else None
    data = load_manifest(corpus_dir)
    data.setdefault("documents", [])
    return data, raw


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _write_manifest(corpus_dir: Path, data: dict) -> None:
    _write_atomically(_manifest_path(corpus_dir), (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def _restore_manifest(corpus_dir: Path, raw: bytes | None) -> None:
    if raw is None:
        _manifest_path(corpus_dir).unlink(missing_ok=True)
    else:
        _write_atomically(_manifest_path(corpus_dir), raw)


def check_name(file_name: str) -> str:
    """The shelf name of a file (its name without the extension), or :class:`ShelfError` when the
    name has path separators or control characters, is hidden, empty or too long."""
    shown_name = shown(file_name, 80)
    if not file_name or "/" in file_name or "\\" in file_name or file_name in (".", ".."):
        raise ShelfError(f"{shown_name}: a file name may not hold path separators; give the file a plain name")
    if any(unicodedata.category(ch)[0] == "C" for ch in file_name):
        raise ShelfError(f"{shown_name}: the file name holds control characters; rename the file")
    stem, suffix = os.path.splitext(file_name)
    if file_name.startswith(".") or not stem.strip():
        raise ShelfError(f"{shown_name}: a hidden or empty file name; rename the file")
    if suffix.lower() not in SUFFIXES:
        raise ShelfError(f"{shown_name}: {shown(suffix) or 'no extension'} is not a type qa reads; it reads {', '.join(SUFFIXES)}")
    if len(stem) > MAX_NAME_CHARS:
        raise ShelfError(f"{shown_name}: a name of more than {MAX_NAME_CHARS} characters; rename the file")
    if stem.endswith(".en"):
        raise ShelfError(f"{shown_name}: names ending in .en are kept for English editions; rename the file")
    return stem


def entries(config: Config) -> list[Entry]:
    """The documents on the shelf, in the order they are searched."""
    corpus_dir = Path(config.corpus_dir)
    if not corpus_dir.is_dir():
        return []
    try:
        corpus = load_corpus(corpus_dir)
    except CorpusError as e:
        if "no readable document" in str(e):
            return []
        raise
    manifest, _ = _read_manifest(corpus_dir)
    info = {d.get("file"): d for d in manifest["documents"] if isinstance(d, dict)}
    out = []
    for doc in corpus.documents:
        path = corpus_dir / corpus.files[doc.name]
        meta = info.get(path.name, {})
        added = meta.get("added_at") or time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(path.stat().st_mtime))
        out.append(_entry(doc, path, added))
    return out


def _build(config: Config, encoder, show_progress: bool) -> None:
    from qa.index import build_index

    build_index(config, encoder=encoder, show_progress=show_progress)


def add(config: Config, paths: Iterable[str | Path], *, encoder=None, show_progress: bool = True) -> list[Entry]:
    """Put the files at ``paths`` on the shelf and rebuild the index; all of them or none.

    Raises:
        ShelfError, CorpusError: a file cannot be added (the message names it); nothing changed.
    """
    corpus_dir = Path(config.corpus_dir)
    paths = [Path(p) for p in paths]
    if not paths:
        raise ShelfError("no file given; `qa add FILE...`")
    with _shelf_lock(corpus_dir):
        corpus_dir.mkdir(parents=True, exist_ok=True)
        manifest, raw_manifest = _read_manifest(corpus_dir)
        on_shelf = {p.stem: p for p in corpus_files(corpus_dir)}
        hashes = {file_sha256(p): p.stem for p in on_shelf.values() if p.is_file()}
        staged: list[tuple[Path, str, object]] = []
        for path in paths:
            name = check_name(path.name)
            if name in on_shelf or any(name == n for _, n, _ in staged):
                raise ShelfError(
                    f"{shown(path.name)}: a document named {shown(name)!s} is already on the shelf; "
                    f"`qa remove {shown(name)}` first, or rename the file"
                )
            doc = load_document(path, name=name)  # CorpusError naming the file when it cannot be read
            if doc.sha256 in hashes:
                raise ShelfError(f"{shown(path.name)}: the same document is already on the shelf as {shown(hashes[doc.sha256])!s}")
            hashes[doc.sha256] = name
            staged.append((path, name, doc))
        listed = {d.get("file") for d in manifest["documents"] if isinstance(d, dict)}
        for p in on_shelf.values():  # documents dropped into the folder keep their place before the new ones
            if p.name not in listed:
                manifest["documents"].append({"file": p.name})
        copied: list[Path] = []
        try:
            now = time.strftime("%Y-%m-%dT%H:%M:%S%z")
            for path, name, doc in staged:
                target = corpus_dir / (name + path.suffix.lower())
                tmp = corpus_dir / f".{target.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
                shutil.copyfile(path, tmp)
                os.replace(tmp, target)
                copied.append(target)
                manifest["documents"].append(
                    {"file": target.name, "title": doc.title, "type": kind(path), "added_at": now, "sha256": doc.sha256}
                )
            _write_manifest(corpus_dir, manifest)
            _build(config, encoder, show_progress)
        except BaseException:
            for target in copied:
                target.unlink(missing_ok=True)
            _restore_manifest(corpus_dir, raw_manifest)
            raise
    return [_entry(doc, corpus_dir / (name + path.suffix.lower()), now) for path, name, doc in staged]


def _entry(doc, path: Path, added_at: str) -> Entry:
    return Entry(doc.name, doc.title, kind(path), path.name, sum(1 for s in doc.sections if s.id != "0") or 1,
                 len(doc.text), added_at, doc.sha256)


def remove(config: Config, name: str, *, encoder=None, show_progress: bool = True) -> tuple[Entry, Path]:
    """Take the document ``name`` off the shelf (moved into ``corpus/.removed/``, not deleted) and
    rebuild the index. Returns its entry and where the file now is.

    Raises:
        ShelfError: no such document, or it is the only one; nothing changed.
    """
    corpus_dir = Path(config.corpus_dir)
    with _shelf_lock(corpus_dir):
        shelf = entries(config)
        entry = next((e for e in shelf if e.name == name), None)
        if entry is None:
            names = ", ".join(e.name for e in shelf) or "none"
            raise ShelfError(f"no document named {shown(name, 80)!r} on the shelf (on it: {names}); `qa docs` lists them")
        if len(shelf) == 1:
            raise ShelfError(f"{entry.name} is the only document on the shelf; add another before removing it")
        manifest, raw_manifest = _read_manifest(corpus_dir)
        bin_ = corpus_dir / REMOVED
        bin_.mkdir(exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        moves = []
        for source in (corpus_dir / entry.file, corpus_dir / f"{entry.name}.en.jsonl"):
            if source.is_file():
                moves.append((source, bin_ / f"{source.stem}-{stamp}{source.suffix}" if source.suffix != ".jsonl"
                              else bin_ / f"{entry.name}-{stamp}.en.jsonl"))
        done = []
        try:
            for source, target in moves:
                os.replace(source, target)
                done.append((source, target))
            manifest["documents"] = [d for d in manifest["documents"] if not (isinstance(d, dict) and d.get("file") == entry.file)]
            _write_manifest(corpus_dir, manifest)
            _build(config, encoder, show_progress)
        except BaseException:
            for source, target in reversed(done):
                os.replace(target, source)
            _restore_manifest(corpus_dir, raw_manifest)
            raise
    return entry, moves[0][1]
