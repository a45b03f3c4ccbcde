"""The JSON API under ``/api/v1``: ask, the outline, one section, health.

Every route answers from one shared :class:`qa.retriever.Retriever` held by a
:class:`Service` (``None`` while the index loads: 503). Errors are JSON
``{"error": "...", "detail": ...}``: 422 for a request that cannot be used (saying what is
allowed), 404 for an unknown section, 413 for a body over 64 KB (:mod:`qa.web.limits`),
503 while loading; never a traceback.
"""

from __future__ import annotations

import threading
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from qa.config import MAX_K
from qa.question import MAX_CONTEXT_ITEMS
from qa.web.models import AnswerModel, AskRequest, ErrorModel, Health, SectionEntry, SectionModel
from qa.web.payload import answer_payload, error

_ERRORS = {
    422: {"model": ErrorModel, "description": "the request cannot be used; the message says what is allowed"},
    503: {"model": ErrorModel, "description": "the index is still loading"},
}


class Service:
    """The retriever the routes answer from, once it is loaded (thread-safe to swap in)."""

    def __init__(self, retriever=None) -> None:
        self._retriever = retriever
        self._lock = threading.Lock()

    @property
    def retriever(self):
        return self._retriever

    def ready(self, retriever) -> None:
        with self._lock:
            self._retriever = retriever


def _json(code: int, body: dict) -> JSONResponse:
    return JSONResponse(body, status_code=code)


def router(service: Service) -> APIRouter:
    """The ``/api/v1`` routes over ``service``."""
    api = APIRouter(prefix="/api/v1", tags=["qa"])

    @api.post("/ask", response_model=AnswerModel, responses=_ERRORS)
    def ask_post(request: AskRequest):
        """Answer a question: the cited passages, best first, with the answer's status."""
        return _json(*answer_payload(service.retriever, request.question, request.k, request.script, request.context))

    @api.get("/ask", response_model=AnswerModel, responses=_ERRORS)
    def ask_get(
        q: Annotated[str, Query(min_length=1, description="the question")],
        k: Annotated[int, Query(ge=1, le=MAX_K, description=f"passages, 1 to {MAX_K}")] = 5,
        script: Annotated[Literal["zh-Hans", "zh-Hant"] | None, Query(description="script of the passages")] = None,
        context: Annotated[
            list[str] | None, Query(max_length=MAX_CONTEXT_ITEMS, description="earlier questions, oldest first (repeat the key)")
        ] = None,
    ):
        """Answer a question given in the query string (``?q=...&k=5``; ``&context=...`` once per earlier question)."""
        return _json(*answer_payload(service.retriever, q, k, script, context))

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
