"""The JSON API under ``/api/v1``: ask, the shelf's reports, the outline, one section, health.

Every route answers from one shared :class:`qa.retriever.Retriever` held by a
:class:`Service` (``None`` while the index loads: 503). Errors are JSON
``{"error": "...", "detail": ...}``: 422 for a request that cannot be used (saying what is
allowed), 404 for an unknown section, 413 for a body over 64 KB (:mod:`qa.web.limits`),
503 while loading; never a traceback.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from qa.config import MAX_K
from qa.question import MAX_CONTEXT_ITEMS
from qa.web.models import (
    AnswerModel,
    AskRequest,
    DocEntry,
    ErrorModel,
    Health,
    SectionEntry,
    SectionModel,
)
from qa.web.payload import answer_payload, error

log = logging.getLogger("qa.web")

_ERRORS = {
    422: {"model": ErrorModel, "description": "the request cannot be used; the message says what is allowed"},
    503: {"model": ErrorModel, "description": "the index is still loading"},
}


# How often a following service looks at the index folder for a newer build (`qa add`).
CHECK_SECONDS = 2.0


def _stamp(retriever) -> int | None:
    try:
        return (Path(retriever.config.index_dir) / "manifest.json").stat().st_mtime_ns
    except OSError:
        return None


class Service:
    """The retriever the routes answer from, once it is loaded (thread-safe to swap in).

    ``follow``: every :data:`CHECK_SECONDS` at most, look whether the index was rebuilt (a
    report added or removed with ``qa add``/``qa remove`` while serving); if so, load the new
    one in the background and swap it in when it is ready. Until then, and whenever the new
    one cannot be loaded, the old one keeps answering.
    """

    def __init__(self, retriever=None, follow: bool = False) -> None:
        self._retriever = retriever
        self._lock = threading.Lock()
        self.follow = follow
        self._seen = _stamp(retriever) if retriever is not None else None
        self._checked = time.monotonic()
        self._reloading = False

    @property
    def retriever(self):
        r = self._retriever
        if self.follow and r is not None and time.monotonic() - self._checked > CHECK_SECONDS:
            self._check(r)
        return r

    def ready(self, retriever) -> None:
        with self._lock:
            self._retriever = retriever
            self._seen = _stamp(retriever)

    def _check(self, current) -> None:
        with self._lock:
            self._checked = time.monotonic()
            stamp = _stamp(current)
            if stamp is None or stamp == self._seen or self._reloading:
                return
            self._reloading = True
        threading.Thread(target=self._reload, args=(current, stamp), daemon=True).start()

    def _reload(self, current, stamp) -> None:
        from qa.retriever import Retriever

        try:
            fresh = Retriever.load(config=current.config, encoder=current.encoder, build=False, show_progress=False)
            fresh.warm()
        except Exception as e:  # noqa: BLE001  (mid-build, or damaged: keep answering from the old one)
            log.info("not swapping in the rebuilt index yet: %s", e)
            with self._lock:
                self._reloading = False
            return
        with self._lock:
            self._retriever, self._seen, self._reloading = fresh, stamp, False
        log.info("the shelf changed; now answering from %d report(s)", len(fresh.corpus.documents))


def _json(code: int, body: dict) -> JSONResponse:
    return JSONResponse(body, status_code=code)


def router(service: Service) -> APIRouter:
    """The ``/api/v1`` routes over ``service``."""
    api = APIRouter(prefix="/api/v1", tags=["qa"])

    @api.post("/ask", response_model=AnswerModel, responses=_ERRORS)
    def ask_post(request: AskRequest):
        """Answer a question: the cited passages, best first, with the answer's status."""
        return _json(*answer_payload(
            service.retriever, request.question, request.k, request.script, request.context, request.docs
        ))

    @api.get("/ask", response_model=AnswerModel, responses=_ERRORS)
    def ask_get(
        q: Annotated[str, Query(min_length=1, description="the question")],
        k: Annotated[int, Query(ge=1, le=MAX_K, description=f"passages, 1 to {MAX_K}")] = 5,
        script: Annotated[Literal["zh-Hans", "zh-Hant"] | None, Query(description="script of the passages")] = None,
        context: Annotated[
            list[str] | None, Query(max_length=MAX_CONTEXT_ITEMS, description="earlier questions, oldest first (repeat the key)")
        ] = None,
        doc: Annotated[list[str] | None, Query(max_length=1000, description="search only this report (repeat the key)")] = None,
    ):
        """Answer a question given in the query string (``?q=...&k=5``; ``&context=...`` once per earlier
        question; ``&doc=...`` once per report to search)."""
        return _json(*answer_payload(service.retriever, q, k, script, context, doc))

    @api.get("/docs", response_model=list[DocEntry], responses={503: _ERRORS[503]})
    def docs():
        """The reports on the shelf, in the order they are searched."""
        r = service.retriever
        if r is None:
            return _json(503, error("the index is loading; try again in a few seconds"))
        from qa.readers import kind

        return [
            {"name": d.name, "title": d.title, "type": kind(r.corpus.files.get(d.name, "")) or "text",
             "sections": len(d.sections), "characters": len(d.text)}
            for d in r.corpus.documents
        ]

    @api.get("/sections", response_model=list[SectionEntry], responses={503: _ERRORS[503]})
    def sections():
        """The outline: every heading in order, with its English title."""
        r = service.retriever
        if r is None:
            return _json(503, error("the index is loading; try again in a few seconds"))
        titles = r.corpus.titles_en
        return [
            {"id": s.id, "title": s.title, "title_en": titles.get((d.name, s.id), ""), "level": s.level,
             "path": list(s.path), "doc": d.name, "truncated": s.truncated}
            for d in r.corpus.documents for s in d.sections
        ]

    @api.get("/sections/{section_id}", response_model=SectionModel,
             responses={404: {"model": ErrorModel, "description": "no such section"}, 503: _ERRORS[503]})
    def section(section_id: str, doc: str | None = None):
        """One section: its text, title, English title, path and citation."""
        r = service.retriever
        if r is None:
            return _json(503, error("the index is loading; try again in a few seconds"))
        for d in r.corpus.documents:
            if doc is not None and d.name != doc:
                continue
            for s in d.sections:
                if s.id == section_id:
                    return {"id": s.id, "title": s.title, "title_en": r.corpus.titles_en.get((d.name, s.id), ""),
                            "level": s.level, "path": list(s.path), "doc": d.name, "truncated": s.truncated,
                            "text": s.text, "citation": f"§{s.id} {s.title}".strip()}
        return _json(404, error(f"no section {section_id[:40]!r}; GET /api/v1/sections lists them"))

    @api.get("/health", response_model=Health, responses={503: {"model": Health, "description": "loading"}})
    def health():
        """Ready or not; what the index was built from."""
        from qa import __version__

        r = service.retriever
        if r is None:
            return _json(503, {"ready": False, "version": __version__})
        m = r.index.manifest
        return {"ready": True, "version": __version__, "documents": [d["name"] for d in m.get("documents", [])],
                "sections": sum(len(d.sections) for d in r.corpus.documents),
                "encoder": (m.get("encoder") or {}).get("id", ""), "built_at": m.get("built_at", "")}

    return api
