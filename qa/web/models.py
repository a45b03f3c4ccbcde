"""The JSON schema of answers, derived from the dataclasses in :mod:`qa.types`, never
written twice: each pydantic model takes the dataclass's fields and types, plus the
computed keys ``to_dict`` adds (``found``, ``citation``). FastAPI shows them in OpenAPI."""

from __future__ import annotations

import dataclasses
import typing

from pydantic import BaseModel, Field, create_model

from qa.config import MAX_K
from qa.question import MAX_CONTEXT_ITEMS
from qa.types import Answer, Hit, Status


def _fields(cls, **overrides) -> dict:
    hints = typing.get_type_hints(cls)
    out = {}
    for f in dataclasses.fields(cls):
        kind = overrides.get(f.name, hints[f.name])
        default = f.default if f.default is not dataclasses.MISSING else ...
        out[f.name] = (kind, default if not isinstance(default, tuple) else list(default))
    return out


HitModel = create_model("Hit", **_fields(Hit), citation=(str, ...), __doc__=Hit.__doc__)
AnswerModel = create_model(
    "Answer", **_fields(Answer, hits=list[HitModel], status=Status), found=(bool, ...), __doc__=Answer.__doc__
)


class AskRequest(BaseModel):
    """A question for ``POST /api/v1/ask``."""

    question: str = Field(min_length=1, description="the question, in Simplified or Traditional Chinese or English")
    k: int = Field(5, ge=1, le=MAX_K, description=f"passages to return, 1 to {MAX_K}")
    script: typing.Literal["zh-Hans", "zh-Hant"] | None = Field(
        None, description="show passages in this script; default: the asker's own"
    )
    context: list[str] = Field(
        default_factory=list,
        max_length=MAX_CONTEXT_ITEMS,
        description="the conversation's earlier questions, oldest first: a follow-up (它/那上海呢？/what about its "
        "accuracy?) is read against them; the answer's interpreted_as is the question searched",
    )
    docs: list[str] = Field(
        default_factory=list, max_length=1000,
        description="search only these reports (names as GET /api/v1/docs lists them); default: every report",
    )


class ErrorModel(BaseModel):
    """Every error: what is wrong and, where it helps, details."""

    error: str
    detail: typing.Any = None


class SectionEntry(BaseModel):
    """One heading of the outline."""

    id: str
    title: str
    title_en: str
    level: int
    path: list[str]
    doc: str
    truncated: bool


class SectionModel(SectionEntry):
    """One section with its text and citation."""

    text: str
    citation: str


class DocEntry(BaseModel):
    """One report on the shelf."""

    name: str
    title: str
    type: str
    sections: int
    characters: int


class Health(BaseModel):
    """Whether the service can answer, and what it answers from."""

    ready: bool
    version: str
    documents: list[str] = []
    sections: int = 0
    encoder: str = ""
    built_at: str = ""
