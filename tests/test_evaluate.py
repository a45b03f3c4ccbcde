"""The question set is sound, and the metrics count what they say."""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import CORPUS, ROOT
from qa.corpus import load_corpus
from qa.evaluate import KINDS, Question, Result, confusion, load_questions, question_files, score
from qa.script import to_simplified


@pytest.fixture(scope="module")
def questions():
    return {split: [q for p in question_files(ROOT / "eval", split) for q in load_questions(p)] for split in ("dev", "test")}


def test_question_set_size_and_spread(questions):
    allq = questions["dev"] + questions["test"]
    assert len(allq) >= 120
    langs = Counter(q.lang for q in allq)
    assert {"zh-Hans", "zh-Hant", "en", "mixed"} <= set(langs)
    assert sum(1 for q in allq if not q.gold) >= 15
    chapters = {g.split(".")[0] for q in allq for g in q.gold}
    assert chapters == {"1", "2", "3", "4", "5", "6", "7"}
    assert len({q.id for q in allq}) == len(allq)


def test_every_gold_id_exists_and_every_fact_is_in_a_gold_section(questions):
    corpus = load_corpus(CORPUS)
    doc = corpus.documents[0]
    for q in questions["dev"] + questions["test"]:
        for g in (*q.gold, *q.topic):
            doc.section(g)  # raises KeyError for an unknown id
        if q.fact:
            texts = [to_simplified(doc.section(g).text) for g in q.gold]
            assert any(to_simplified(q.fact) in t for t in texts), q.id


def test_dev_and_test_do_not_share_questions(questions):
    dev = {q.question for q in questions["dev"]}
    assert not dev & {q.question for q in questions["test"]}


@pytest.mark.parametrize(("split", "least"), [("dev", 60), ("test", 30)])
def test_near_misses_are_many_in_all_three_kinds_of_question_and_name_their_topic(questions, split, least):
    near = [q for q in questions[split] if q.kind == "near_miss"]
    assert len(near) >= least
    assert {"zh-Hans", "zh-Hant", "en"} <= {q.lang for q in near}
    assert all(q.topic and not q.gold for q in near)
    assert all(q.kind in KINDS for q in questions[split])
    assert all(not q.gold and not q.topic for q in questions[split] if q.kind == "off_topic")


def test_metrics_count_ranks_statuses_and_facts():
    q1 = Question("a", "zh-Hans", "?", ("1.1",), "21個")
    q2 = Question("b", "en", "?", ("2.1",), None)
    q3 = Question("c", "en", "?", (), None, "off_topic")
    q4 = Question("d", "zh-Hant", "?", (), None, "near_miss", ("3.3.1",))
    q5 = Question("e", "en", "?", (), None, "near_miss", ("4.1",))
    results = [
        Result(q1, (("1.1",), ("2.1",)), "answered", "共21个城市"),
        Result(q2, (("3.1",), ("4.1", "2.1")), "not_stated", "x"),
        Result(q3, (("3.1",),), "not_covered", "x"),
        Result(q4, (("3.3.1",),), "not_stated", "x"),
        Result(q5, (("5.1",),), "answered", "x"),
    ]
    m = score(results)
    assert m["zh"]["R@1"] == 1.0 and m["zh"]["fact"] == 1.0 and m["zh"]["answered"] == 1.0
    assert m["en"]["R@1"] == 0.0 and m["en"]["R@5"] == 1.0 and m["en"]["MRR@10"] == 0.5 and m["en"]["answered"] == 0.0
    assert m["off"]["not_covered"] == 1.0
    assert m["near"]["not answered"] == 0.5 and m["near"]["not_stated"] == 0.5 and m["near"]["topic@1"] == 0.5
    table = confusion(results)
    assert table["answerable"]["answered"] == 1 and table["answerable"]["not_stated"] == 1
    assert table["near_miss"] == {"answered": 1, "not_stated": 1, "not_covered": 0, "empty": 0}


def test_conversations_are_many_in_every_kind_and_their_facts_are_in_gold_sections():
    from qa.evaluate import conversation_files, load_conversations

    corpus = load_corpus(CORPUS)
    doc = corpus.documents[0]
    for split, least, switches in (("dev", 60, 10), ("test", 30, 5)):
        files = conversation_files(ROOT / "eval", split)
        turns = [t for p in files for t in load_conversations(p)]
        conversations = {t.question.id.split("/")[0] for t in turns}
        assert len(conversations) >= least
        assert sum(t.kind == "switch" for t in turns) >= switches
        assert {t.question.lang for t in turns} == {"zh-Hans", "zh-Hant", "en"}
        for t in turns:
            assert t.context, "a later turn has earlier questions"
            texts = [to_simplified(doc.section(g).text) for g in t.question.gold]
            assert any(to_simplified(t.question.fact) in x for x in texts), t.question.id


def test_turn_scores_put_with_and_without_context_side_by_side():
    from qa.evaluate import Turn, score_turns

    q = Question("c/2", "zh-Hans", "它呢？", ("5.1.1",), "95%")
    s = Question("c/3", "en", "x", ("2.1",), "20")
    turns = [Turn(q, ("a",), "follow_up"), Turn(s, ("a", "b"), "switch")]
    with_context = [Result(q, (("5.1.1",),), "answered", "覆盖95%"), Result(s, (("3.1",),), "answered", "x")]
    without = [Result(q, (("4.1",), ("5.1.1",)), "answered", "x"), Result(s, (("2.1",),), "answered", "20 x")]
    table = score_turns(turns, with_context, without)
    assert table["follow_up"] == {"n": 1, "R@1 with context": 1.0, "fact with context": 1.0, "R@1 without": 0.0, "fact without": 0.0}
    assert table["switch"]["R@1 with context"] == 0.0 and table["switch"]["R@1 without"] == 1.0
