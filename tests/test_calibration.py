"""The calibration models: logistic fits, their operating points, and how they are stored."""

from __future__ import annotations

import numpy as np

from qa import calibration
from qa.calibration import Calibration, fit_intent, fit_model


def _clusters(n_pos: int, n_neg: int, dim: int = 16, gap: float = 1.5, seed: int = 0):
    rng = np.random.default_rng(seed)
    pos = rng.normal(0.0, 1.0, (n_pos, dim)) + gap
    neg = rng.normal(0.0, 1.0, (n_neg, dim))
    return np.vstack([pos, neg]), np.array([1.0] * n_pos + [0.0] * n_neg)


def test_a_fitted_model_keeps_the_share_of_positives_it_is_asked_to():
    x, y = _clusters(200, 200, dim=4, gap=1.0)
    model = fit_model(x, y, keep_answered=0.9)
    kept = np.mean([model.probability(row) >= model.threshold for row in x[y == 1]])
    assert 0.88 <= kept <= 0.92
    assert np.mean([model.probability(row) for row in x[y == 1]]) > np.mean([model.probability(row) for row in x[y == 0]])


def test_each_group_keeps_its_share_of_positives_and_the_thresholds_survive_saving(tmp_path):
    # Group "en" scores lower on every feature, as English questions read through a translation do:
    # one threshold for both would keep nearly all "zh" positives and far fewer "en" ones.
    n = len(calibration.STATED_FEATURES)  # what a stored "stated" model must read
    zh, yz = _clusters(200, 100, dim=n, gap=1.0, seed=3)
    en, ye = _clusters(200, 100, dim=n, gap=1.0, seed=4)
    en = en - 1.0
    x, y = np.vstack([zh, en]), np.concatenate([yz, ye])
    groups = np.array(["zh"] * len(yz) + ["en"] * len(ye))
    model = fit_model(x, y, keep_answered=0.95, groups=groups)
    assert model.thresholds["en"] < model.thresholds["zh"]
    for g in ("zh", "en"):
        rows = x[(y == 1) & (groups == g)]
        kept = np.mean([model.probability(r) >= model.thresholds[g] for r in rows])
        assert 0.93 <= kept <= 0.97, (g, kept)
    calibration.save("enc", {"stated": model}, tmp_path / "c.json")
    loaded = Calibration.for_encoder("enc", tmp_path / "c.json")
    assert loaded.stated_threshold("en") == model.thresholds["en"] and loaded.stated_threshold("zh") == model.thresholds["zh"]


def test_the_intent_threshold_bounds_false_alarms_on_new_negatives():
    # Many dimensions, overlapping clusters: the rows a model was fitted on look surer than new
    # ones (a threshold set on them lets through about 3% of new negatives here).
    x, y = _clusters(300, 600, dim=128, gap=0.2)
    model = fit_intent(x, y, false_alarms=0.01)
    assert model.threshold > 0.5
    fresh_neg, _ = _clusters(0, 3000, dim=128, gap=0.2, seed=1)
    alarms = np.mean([model.probability(row) >= model.threshold for row in fresh_neg])
    assert alarms <= 0.02, alarms
    fresh_pos, _ = _clusters(600, 0, dim=128, gap=0.2, seed=2)
    assert np.mean([model.probability(row) >= model.threshold for row in fresh_pos]) > 0.3, "it still finds positives"


def test_outline_intent_needs_a_model_of_the_vector_s_size(tmp_path):
    x, y = _clusters(60, 240, dim=8, gap=3.0)
    model = fit_intent(x, y)
    path = tmp_path / "calibration.json"
    calibration.save("toy-encoder", {"outline": model}, path)
    loaded = Calibration.for_encoder("toy-encoder", path)
    assert loaded.outline_intent(np.full(8, 3.0))
    assert not loaded.outline_intent(np.zeros(8))
    assert not loaded.outline_intent(np.full(5, 3.0)), "another encoder's vectors are not read by this model"
    assert not Calibration.for_encoder("other-encoder", path).outline_intent(np.full(8, 3.0)), "no model: the rules alone"


def test_each_group_is_read_by_its_own_stated_model_and_an_older_pooled_one_still_serves(tmp_path):
    # English evidence is weaker on every feature and, here, turns on another feature than Chinese.
    n = len(calibration.STATED_FEATURES)
    rng = np.random.default_rng(5)
    x = rng.normal(size=(400, n))
    y = np.zeros(400)
    y[:200] = x[:200, 0] > 0  # zh: the first feature decides
    y[200:] = x[200:, 1] > 0  # en: the second one does
    zh = fit_model(x[:200], y[:200], keep_answered=0.95)
    en = fit_model(x[200:], y[200:], keep_answered=0.95)
    path = tmp_path / "c.json"
    calibration.save("enc", {"stated/zh": zh, "stated/en": en}, path)
    loaded = Calibration.for_encoder("enc", path)
    row = np.zeros(n)
    row[0], row[1] = 2.0, -2.0
    assert loaded.stated_probability(row, "zh") > 0.8 and loaded.stated_probability(row, "en") < 0.2
    assert loaded.stated_threshold("zh") == zh.threshold and loaded.stated_threshold("en") == en.threshold
    pooled = fit_model(x, y, keep_answered=0.95, groups=np.array(["zh"] * 200 + ["en"] * 200))
    calibration.save("old", {"stated": pooled}, path)
    old = Calibration.for_encoder("old", path)
    assert old.stated_probability(row, "en") == pooled.probability(row) and old.stated_threshold("en") == pooled.thresholds["en"]


def test_a_model_fitted_on_other_features_is_left_out_not_misread(tmp_path, caplog):
    from qa.calibration import STATED_FEATURES

    x, y = _clusters(50, 50, dim=len(STATED_FEATURES) - 1, gap=2.0)
    old = fit_model(x, y)
    path = tmp_path / "calibration.json"
    calibration.save("toy-encoder", {"stated": old}, path)
    with caplog.at_level("WARNING"):
        loaded = Calibration.for_encoder("toy-encoder", path)
    assert "stated" not in loaded.models and "qa calibrate" in caplog.text
    features = np.zeros(len(STATED_FEATURES))
    features[STATED_FEATURES.index("typed_share")] = 0.7
    assert loaded.stated_probability(features) == 0.7, "uncalibrated: the typed sentence's keyword share"
