"""qa.script: Traditional ↔ Simplified conversion, query language detection, common Han."""

from __future__ import annotations

import pytest

from qa.script import detect_language, is_common_han, to_script, to_simplified, to_traditional


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [("經濟", "经济"), ("數據", "数据"), ("杭州城市大腦", "杭州城市大脑"), ("一網統管", "一网统管")],
)
def test_conversion_round_trip(traditional, simplified):
    assert to_simplified(traditional) == simplified
    assert to_traditional(simplified) == traditional
    assert to_traditional(to_simplified(traditional)) == traditional
    assert to_simplified(to_traditional(simplified)) == simplified


@pytest.mark.parametrize("text", ["", "City Brain 5G PM2.5", "杭州", "2024年"])
def test_conversion_leaves_script_neutral_text_alone(text):
    assert to_simplified(text) == text
    assert to_traditional(text) == text


@pytest.mark.parametrize(
    ("script", "expected"),
    [("zh-Hans", "经济数据"), ("zh-Hant", "經濟數據")],
)
def test_to_script(script, expected):
    assert to_script("經濟数据", script) == expected


@pytest.mark.parametrize("script", ["en", "zh-TW", "zh_Hant", "", "traditional"])
def test_to_script_rejects_unknown_script(script):
    with pytest.raises(ValueError, match="zh-Hans"):
        to_script("經濟", script)


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("杭州城市大脑每天处理多少数据？", "zh-Hans"),
        ("杭州城市大腦每天處理多少數據？", "zh-Hant"),
        ("How much data does the City Brain handle?", "en"),
        ("City Brain 每天处理多少 data?", "zh-Hans"),
        ("City Brain 每天處理多少 data?", "zh-Hant"),
        ("What does the report say about 杭州 and its City Brain?", "en"),
        ("城市大腦", "zh-Hant"),
        ("", "en"),
        ("2024", "en"),
    ],
)
def test_detect_language(question, language):
    assert detect_language(question) == language


@pytest.mark.parametrize(
    ("ch", "common"),
    [("經", True), ("经", True), ("回", True), ("數", True), ("櫄", False), ("仡", False), ("a", False), ("。", False)],
)
def test_is_common_han(ch, common):
    assert is_common_han(ch) is common


def test_to_mainland_rewrites_taiwan_wording():
    from qa.script import to_mainland

    assert to_mainland("資料 人工智慧 網路") == "数据 人工智能 网络"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("新加坡的LifeSG平台目前有多少用戶？", "zh-Hant"),  # 戶 is Traditional; 平台 is written so in Traditional too
        ("深圳城市級算力平台的算力密度有多少？", "zh-Hant"),
        ("平台有多少用户？", "zh-Hans"),
        ("台湾的数据开放率是多少？", "zh-Hans"),
    ],
)
def test_a_traditional_character_decides_a_tie(text, language):
    assert detect_language(text) == language
