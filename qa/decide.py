"""The answer's status and its reason: does the report answer what was asked?

A question naming a place, person or body the report never mentions is ``not_covered``
outright. Otherwise a calibrated logistic model over the top hit's evidence
(:mod:`qa.calibration`, fitted on the dev split by ``qa calibrate``) decides; no
threshold here is set by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa.analysis import Query
from qa.calibration import Calibration, features
from qa.compose import Keywords
from qa.evidence import Ranking
from qa.messages import name_list, say
from qa.script import to_traditional
from qa.types import Status


@dataclass(frozen=True)
class Decision:
    status: Status
    reason: str
    confidence: float


def evidence_features(q: Query, ranking: Ranking, keywords: Keywords) -> np.ndarray:
    """The calibration features of the top hit (see :data:`qa.calibration.FEATURES`)."""
    top = ranking.top
    return features(
        dense=float(ranking.channels[0, top]),
        sentence=float(ranking.channels[1, top]),
        coverage=keywords.coverage(q, top),
        sentence_coverage=keywords.sentence_coverage(q, top),
        margin=float(ranking.fused[top]),
        unknown=q.unknown,
    )


def decide(q: Query, ranking: Ranking, keywords: Keywords, calibration: Calibration) -> Decision:
    """The status of the answer to ``q``, with a reason in the asker's language."""
    p = calibration.probability(evidence_features(q, ranking, keywords), q.group)
    confidence = round(float(p), 4)
    if q.foreign:
        return Decision(Status.NOT_COVERED, not_mentioned(q.language, q.foreign), confidence)
    if p >= calibration.threshold(q.group):
        return Decision(Status.ANSWERED, "", confidence)
    return Decision(Status.NOT_COVERED, say("not_answered", q.language), confidence)


def not_mentioned(language: str, foreign: tuple[str, ...]) -> str:
    """"The report does not mention X", the names de-duplicated and in the asker's script."""
    names = name_list(foreign)
    if language == "en":
        names = names.title()
    elif language == "zh-Hant":
        names = to_traditional(names)
    return say("not_mentioned", language, names=names)
