"""qa.question: the one door every question passes: normalised like the report, bounded, sorted."""

from __future__ import annotations

import numpy as np
import pytest

from qa.question import (
    DENSE_CHARS, LATIN_FACTOR, LEXICAL_CHARS, QuestionError, check, check_k, check_script, normalise, reading_cap,
)
from qa.types import Status


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＣＩＴＹ　ＢＲＡＩＮ", "CITY BRAIN"),
        ("５Ｇ基站", "5G基站"),
        ("杭州\u200b城市\u200d大脑\ufeff", "杭州城市大脑"),
        ("杭州城市大脑每天处理多少数据？", "杭州城市大脑每天处理多少数据?"),
        ("a\u0301\u0301\u0301\u0301\u0301b", "\u00e1\u0301\u0301b"),  # composed, then at most two marks
        ("<b>数据</b>\n共享", "数据 共享"),
    ],
)
def test_questions_are_normalised_like_the_report(raw, expected):
    assert normalise(raw, 2000)[0] == expected


def test_length_is_capped_and_said():
    text, capped = normalise("数" * 5000, 2000)
    assert len(text) == 2000 and capped
    assert check("数据" * 30, 2000).lexical_text == ("数据" * 30)[:LEXICAL_CHARS]
    english = "word " * 95 + "Online?"  # 480 characters (English reads thrice Chinese's) end inside "Online"
    assert LEXICAL_CHARS * LATIN_FACTOR == 480
    assert check(english, 2000).lexical_text.rstrip().endswith("word"), "keyword search never reads half a word"


@pytest.mark.parametrize(
    ("question", "status", "why"),
    [
        ("", Status.EMPTY, "empty"),
        ("？！…", Status.EMPTY, "empty"),
        ("x", Status.NOT_COVERED, "no_words"),
        ("7", Status.NOT_COVERED, "no_words"),
        ("1+1", Status.NOT_COVERED, "no_words"),
        ("test", Status.NOT_COVERED, "not_a_question"),
        ("asdf", Status.NOT_COVERED, "not_a_question"),
        ("DROP TABLE", Status.NOT_COVERED, "code"),
        ("'; DROP TABLE sections; --", Status.NOT_COVERED, "code"),
        ("{{7*7}}", Status.NOT_COVERED, "code"),
        ("${7*7}", Status.NOT_COVERED, "code"),
        ("<script>alert(1)</script>", Status.NOT_COVERED, "code"),
        ("SELECT * FROM users", Status.NOT_COVERED, "code"),
        ("' OR 1=1", Status.NOT_COVERED, "code"),
    ],
)
def test_non_questions_are_sorted_out_before_retrieval(question, status, why):
    c = check(question, 2000)
    assert (c.status, c.why) == (status, why)


@pytest.mark.parametrize(
    "question",
    ["5G", "GDP", "city brain", "数据", "What is a test bed for smart cities?", "<script>alert(1)</script>杭州城市大脑每天处理多少数据",
     "How do tests of 5G work?", "杭州 1+1"],
)
def test_real_questions_go_through(question):
    assert check(question, 2000).status is None


def test_non_strings_and_bad_k_or_script_raise_saying_what_is_allowed():
    with pytest.raises(QuestionError, match="string"):
        check(b"bytes", 2000)
    for k in (0, 51, True, 2.5, "5"):
        with pytest.raises(QuestionError, match="1 to 50"):
            check_k(k)
    assert check_k(np.int64(3)) == 3
    with pytest.raises(QuestionError, match="zh-Hans"):
        check_script("latin")


@pytest.mark.slow
@pytest.mark.parametrize("question", ["x", "7", "test", "DROP TABLE", "{{7*7}}", "<script>alert(1)</script>", "1+1"])
def test_junk_is_never_answered(retriever, question):
    a = retriever.ask(question)
    assert a.status in (Status.NOT_COVERED, Status.EMPTY) and not a.found and a.reason and not a.hits


@pytest.mark.slow
@pytest.mark.parametrize(
    ("plain", "odd"),
    [("CITY BRAIN", "ＣＩＴＹ　ＢＲＡＩＮ"), ("5G", "５Ｇ"), ("杭州城市大脑", "杭州\u200b城市\u200b大脑")],
)
def test_full_width_and_zero_width_questions_are_answered_as_the_plain_ones(retriever, plain, odd):
    a, b = retriever.ask(plain).to_dict(), retriever.ask(odd).to_dict()
    assert a == b and a["status"] == "answered"


@pytest.mark.slow
def test_the_encoder_never_reads_more_than_the_bounded_prefix(retriever, monkeypatch):
    seen = []
    real = retriever.encoder.query

    def spy(texts):
        seen.extend(texts)
        return real(texts)

    monkeypatch.setattr(retriever.encoder, "query", spy)
    for q in ("杭州城市大脑" * 400, "How fast " * 250, "a" + "\u0301" * 5000, "数据共享"):
        retriever.ask(q)
    assert seen and max(len(t) for t in seen) <= DENSE_CHARS


def test_english_reads_more_characters_than_chinese_for_the_same_words():
    assert reading_cap("数据" * 200, 96) == 96
    assert reading_cap("How fast " * 100, 96) == 96 * LATIN_FACTOR
    assert reading_cap("深圳 Shenzhen 数据 data", 96) == 96 * LATIN_FACTOR  # mostly Latin letters
    assert reading_cap("深圳数据共享率 Shenzhen", 96) == 96  # mostly Han: a few letters don't count thrice
    # A long English question keeps what it asks after its preamble; Chinese is still cut at the cap.
    preamble = "I am drafting a briefing note for my minister on data sharing between local governments, and "
    question = preamble + "how many days does a company take to move between provinces in the Yangtze River Delta?"
    assert len(question) > LEXICAL_CHARS and check(question, 2000).lexical_text == question
    assert check("数据" * 200, 2000).lexical_text == ("数据" * 200)[:LEXICAL_CHARS]


@pytest.mark.slow
def test_a_name_repeated_many_times_is_named_once(retriever):
    a = retriever.ask("南京" * 500 + "的数据开放率是多少？")
    assert not a.found and a.reason.count("南京") == 1
    a = retriever.ask("What about Chongqing? " * 50)
    assert a.reason.count("Chongqing") == 1
