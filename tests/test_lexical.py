"""qa.lexical: the word cut that answer checks repeat on every question."""

from __future__ import annotations

import qa.lexical
from qa.lexical import Tokenizer


def test_a_remembered_cut_is_the_cut_and_cannot_be_spoiled_by_a_caller():
    tok = Tokenizer(["城市大脑"])
    text = "杭州城市大脑每天处理的数据量超过50PB，發展中國家也在跟进。"
    first = tok.words(text)
    assert first == Tokenizer(["城市大脑"]).words(text)  # what a fresh tokenizer cuts
    assert "城市大脑" in first and "发展中国家" in first  # Simplified, user words kept whole
    first.append("杭州")
    first[0] = "深圳"
    assert tok.words(text) == Tokenizer(["城市大脑"]).words(text)


def test_remembered_cuts_are_bounded(monkeypatch):
    monkeypatch.setattr(qa.lexical, "_WORDS_KEPT", 5)
    tok = Tokenizer()
    for i in range(23):
        assert tok.words(f"第{i}个城市") == Tokenizer().words(f"第{i}个城市")
        assert len(tok._words) <= 5
