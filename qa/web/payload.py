"""One payload for every surface: the JSON API, Gradio's ``/search`` and ``qa ask --json``
answer through :func:`answer_payload`; only the transport differs."""

from __future__ import annotations

import logging

from qa.config import MAX_K
from qa.question import QuestionError

log = logging.getLogger(__name__)


def error(message: str, detail=None) -> dict:
    """The error body every surface sends: ``{"error": "...", "detail": ...}``."""
    return {"error": message, "detail": detail}


def coerce_k(k) -> int:
    """``k`` as sent over HTTP ("5", 5.0) made an int; anything else is left for the check."""
    if isinstance(k, bool):
        raise QuestionError(f"k must be an integer from 1 to {MAX_K}, not {k!r}")
    if isinstance(k, float) and k.is_integer():
        return int(k)
    if isinstance(k, str) and k.strip().lstrip("-").isdigit():
        return int(k.strip())
    return k


def answer_payload(retriever, question, k=5, script=None, context=None, docs=None) -> tuple[int, dict]:
    """(HTTP status, JSON body) of answering ``question``: 200 and ``Answer.to_dict()``;
    422 for a question, ``k``, ``script`` or ``context`` that cannot be used (the body says
    what is allowed); 503 while the index is loading; 500 only for a fault of ours, logged.

    ``context``: the conversation's earlier questions, oldest first; ``docs``: the reports to
    search, by name, default all (see ``Retriever.ask``)."""
    if retriever is None:
        return 503, error("the index is loading; try again in a few seconds")
    if not isinstance(question, str) or not question.strip():
        return 422, error("question must be a non-empty string", {"field": "question"})
    cap = retriever.config.max_question_chars
    if len(question) > cap:
        return 422, error(f"the question has {len(question)} characters; the limit is {cap}", {"limit": cap})
    try:
        if context is not None and isinstance(context, (list, tuple)):
            over = [i for i, c in enumerate(context) if isinstance(c, str) and len(c) > cap]
            if over:
                return 422, error(f"context question {over[0]} is over {cap} characters", {"limit": cap})
        return 200, retriever.ask(question, k=coerce_k(k), script=script, context=context or (), docs=docs or None).to_dict()
    except QuestionError as e:
        return 422, error(str(e))
    except Exception:
        log.exception("answering failed")
        return 500, error("internal error while answering; please try again")
