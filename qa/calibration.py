"""Whether the report answers: two logistic models over retrieval evidence, fitted on the dev set.

"covered" (one model per query group, zh and en): does the report discuss the subject?
Features of the top hit: passage cosine, best-sentence cosine, keyword coverage (the
idf-weighted share of the question's terms found in the cited section), the best share
one sentence holds, the fused score, and the share of the question's content words the
report never uses. Fitted with answerable and near-miss dev questions as positives and
off-topic ones as negatives.

"stated" (one model per query group, zh and en): given the subject is covered, does a sentence
state what was asked? Features from :func:`qa.decide.statement`: the keyword share of the
best sentence holding a span of the asked type, the same for a typed sentence that also
names the asked attribute, the gap to the best sentence of any kind, whether anything
typed was asked, year/place conflicts, whether no typed sentence names the attribute,
the question's cosine with the best typed and the best naming sentence, whether it asks
who, which body or where (the report seldom names who built or runs a thing), and the share
of the best sentence with span and attribute in one clause. Fitted with answerable questions
as positives and near misses as negatives, one model per query group, so that Chinese and
English askers alike keep :data:`KEEP_STATED` of their answers: English questions read the
report through a translation, score lower on every feature and weigh the features otherwise
(a pooled model with a threshold per group held back 0.660 of English near misses in
leave-one-file-out over the dev files, one model per group 0.728, with as many answered).

"outline" (one model per encoder): is the question about the report or one of its parts as
a whole (「报告分几部分？」, "walk me through chapter 3") rather than about a fact in it?
A logistic model over the question's dense vector, fitted with the dev outline questions as
positives and every other dev question (single questions and conversation turns) as
negatives. Its threshold is set by cross-validation: the lowest that mistakes at most
:data:`OUTLINE_FALSE_ALARMS` of the held-out other questions for outline ones.

A question that names a place, person or body the report never mentions (南京,
Chongqing) is refused before either model is asked, and is left out of the fits.
``qa calibrate`` writes the weights, with thresholds that keep >= 98% of the positives
covered and >= 96.5% of the answerable stated, to ``qa/calibration.json``. Nothing in the
code decides by a constant of its own.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

FEATURES = ("dense", "sentence", "coverage", "sentence_coverage", "margin", "unknown")
STATED_FEATURES = ("typed_share", "bound_share", "gap", "typed", "year_conflict", "place_conflict", "unbound", "typed_dense", "bound_dense",
                   "who_where", "clause_share", "counted", "uncounted")
# Operating points: the share of positives each model keeps (answered ≈ their product).
KEEP_COVERED = 0.98
KEEP_STATED = 0.965
# The stated model has few rows per feature and separable groups: lighter shrinkage
# (chosen by leave-one-file-out over the dev question files).
STATED_L2 = 0.01
OUTLINE_FALSE_ALARMS = 0.0025
CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


def features(**values: float) -> np.ndarray:
    return np.array([float(values[name]) for name in FEATURES], dtype=np.float64)


def stated_features(st, q) -> np.ndarray:
    """The "stated" features of a :class:`qa.decide.Statement` for query ``q``."""
    counting = q.asked == "count" and bool(q.counted)  # a "how many X" question, X known
    return np.array(
        [st.typed_share, st.bound_share, st.any_share - st.typed_share, float(q.typed),
         float(st.year_conflict), float(st.place_conflict), float(st.unbound), st.typed_dense, st.bound_dense,
         float(q.asked in ("org", "person", "place")), st.clause_share,
         float(counting and st.counted), float(counting and not st.counted)],
        dtype=np.float64,
    )


@dataclass(frozen=True)
class Model:
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    thresholds: dict = field(default_factory=dict)  # per query group, where fitted so ("zh", "en")

    def threshold_for(self, group: str) -> float:
        """The threshold of query group ``group``, or the pooled one where it has none of its own."""
        return self.thresholds.get(group, self.threshold)

    def probability(self, x: np.ndarray) -> float:
        z = (x - np.array(self.mean)) / np.array(self.scale)
        return float(1.0 / (1.0 + np.exp(-(z @ np.array(self.weights) + self.bias))))


@dataclass(frozen=True)
class Calibration:
    encoder_id: str
    models: dict  # "zh" | "en" | "en-plain" (covered) | "stated/zh" | "stated/en" | "outline" -> Model

    def probability(self, x: np.ndarray, group: str) -> float:
        """Probability that the report covers the subject (the "covered" model of ``group``)."""
        model = self.models.get(group)
        if model is None:
            # Uncalibrated: keyword coverage alone, the one feature that needs no fitting.
            return float(x[FEATURES.index("coverage")])
        return model.probability(x)

    def threshold(self, group: str) -> float:
        model = self.models.get(group)
        return model.threshold if model is not None else 0.5

    def _stated(self, group: str) -> Model | None:
        # A calibration file of an older qa holds one pooled "stated" model with a threshold per group.
        return self.models.get(f"stated/{group}") or self.models.get("stated")

    def stated_probability(self, x: np.ndarray, group: str = "zh") -> float:
        """Probability that a sentence states what was asked (the "stated" model of ``group``)."""
        model = self._stated(group)
        if model is None:
            # Uncalibrated: the typed sentence's keyword share alone.
            return float(x[STATED_FEATURES.index("typed_share")])
        return model.probability(x)

    def stated_threshold(self, group: str = "zh") -> float:
        model = self._stated(group)
        return model.threshold_for(group) if model is not None else 0.0

    def outline_intent(self, vector: np.ndarray) -> bool:
        """The "outline" model says the question asks about a part of the report as a whole
        (False without a model for this encoder: the rules of :mod:`qa.outline` alone decide)."""
        model = self.models.get("outline")
        return model is not None and len(model.mean) == len(vector) and model.probability(vector) >= model.threshold

    @classmethod
    def for_encoder(cls, encoder_id: str, path: Path = CALIBRATION_FILE) -> "Calibration":
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        entry = data.get(encoder_id)
        if entry is None:
            if data:
                log.warning("no calibration for encoder %s; run `qa calibrate --encoder %s`", encoder_id, encoder_id)
            return cls(encoder_id, {})
        models = {g: Model(**{k: tuple(v) if isinstance(v, list) else v for k, v in m.items()}) for g, m in entry.items()}
        # A model fitted on other features (by an older qa) cannot read today's: left out, said once.
        sizes = {"stated": len(STATED_FEATURES), "stated/zh": len(STATED_FEATURES), "stated/en": len(STATED_FEATURES),
                 "zh": len(FEATURES), "en": len(FEATURES), "en-plain": len(FEATURES)}
        stale = sorted(g for g, m in models.items() if g in sizes and len(m.mean) != sizes[g])
        if stale:
            log.warning("calibration of %s for encoder %s is out of date; run `qa calibrate`", ", ".join(stale), encoder_id)
        return cls(encoder_id, {g: m for g, m in models.items() if g not in stale})


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.1, steps: int = 3000) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Logistic regression by gradient descent on standardised features (small data: ~100 rows)."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / scale
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        w -= 0.1 * (z.T @ (p - y) / len(y) + l2 * w)
        b -= 0.1 * float(np.mean(p - y))
    return mean, scale, w, b


def fit_model(x: np.ndarray, y: np.ndarray, keep_answered: float = 0.95, groups: np.ndarray | None = None,
              l2: float = 0.1) -> Model:
    """Fit, then pick the highest threshold that still keeps ``keep_answered`` of the
    positives (and, given ``groups``, of each group's positives)."""
    mean, scale, w, b = fit(x, y, l2=l2)
    model = Model(tuple(mean), tuple(scale), tuple(w), b, 0.5)
    probs = np.array([model.probability(row) for row in x])

    def keep(rows: np.ndarray) -> float:
        return float(np.quantile(probs[rows], 1 - keep_answered)) if rows.any() else 0.5

    # A group without positives keeps the pooled threshold (no entry of its own).
    thresholds = {str(g): keep((y == 1) & (groups == g)) for g in sorted(set(groups)) if ((y == 1) & (groups == g)).any()} \
        if groups is not None else {}
    return Model(tuple(mean), tuple(scale), tuple(w), b, keep(y == 1), thresholds)


def fit_intent(x: np.ndarray, y: np.ndarray, false_alarms: float = OUTLINE_FALSE_ALARMS, folds: int = 5) -> Model:
    """The "outline" model: fitted on all of ``x``; its threshold the lowest at which the
    ``folds``-fold held-out predictions for the negatives exceed it at most ``false_alarms``
    of the time (the probabilities of rows a model was fitted on are too sure to set it)."""
    held_out = np.zeros(len(y))
    fold = np.arange(len(y)) % folds
    for f in range(folds):
        mean, scale, w, b = fit(x[fold != f], y[fold != f], steps=2000)
        model = Model(tuple(mean), tuple(scale), tuple(w), b, 0.5)
        held_out[fold == f] = [model.probability(row) for row in x[fold == f]]
    threshold = max(0.5, float(np.quantile(held_out[y == 0], 1 - false_alarms)) + 1e-6)
    mean, scale, w, b = fit(x, y, steps=2000)
    return Model(tuple(mean), tuple(scale), tuple(w), b, threshold)


def save(encoder_id: str, models: dict, path: Path = CALIBRATION_FILE) -> None:
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data[encoder_id] = {
        g: {"mean": list(m.mean), "scale": list(m.scale), "weights": list(m.weights), "bias": m.bias, "threshold": m.threshold}
        | ({"thresholds": m.thresholds} if m.thresholds else {})
        for g, m in models.items()
    }
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
