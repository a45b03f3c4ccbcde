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


def test_city_clusters_a_text_writes_are_places():
    from qa.lexical import written_regions

    # jieba tags 珠三角 nz and 京津冀 n: the regions are read from the text itself.
    assert written_regions(["长三角、珠三角、京津冀三大城市群", "粤港澳智慧城市群"]) == ["长三角", "珠三角", "京津冀", "粤港澳"]
    assert written_regions(iter(["成渝地区"])) == ["成渝"]  # any iterable, read once
    assert written_regions(["没有区域"]) == []
