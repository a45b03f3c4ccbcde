"""Follow-up questions read against the conversation (qa.followup through Retriever.ask)."""

from __future__ import annotations

import pytest

from qa.question import QuestionError

pytestmark = pytest.mark.slow

MIAOPI = "深圳的秒批系统平均办理时间是多少？"
RONGCHENG = "What does Chengdu's Smart Rongcheng platform do?"
HANGZHOU_EN = "How much data does Hangzhou's City Brain process each day?"


def test_a_pronoun_takes_the_subject_of_the_last_question(retriever):
    alone = retriever.ask("它覆盖了多少高频事项？", k=3)
    assert alone.interpreted_as == alone.question
    a = retriever.ask("它覆盖了多少高频事项？", k=3, context=[MIAOPI])
    assert "秒批" in a.interpreted_as and "它" not in a.interpreted_as
    assert a.question == alone.question, "the question asked is kept as asked"
    assert a.hits[0].section_id == "5.1.1" and "95%" in a.hits[0].answer


def test_english_pronouns_and_possessives(retriever):
    a = retriever.ask("How many requests has it handled?", k=3, context=[RONGCHENG])
    assert "Smart Rongcheng" in a.interpreted_as and " it " not in a.interpreted_as
    assert a.hits[0].section_id == "5.1.2" and "1200" in a.hits[0].answer
    b = retriever.ask("What about its accuracy?", k=3, context=[RONGCHENG, "How many requests has it handled?"])
    assert "Smart Rongcheng platform's accuracy" in b.interpreted_as


def test_an_ellipsis_repeats_the_last_question_with_the_new_place_or_year(retriever):
    a = retriever.ask("那上海呢？", k=3, context=[HANGZHOU_EN])
    assert "Shanghai" in a.interpreted_as and "Hangzhou" not in a.interpreted_as and "City Brain" in a.interpreted_as
    b = retriever.ask("2025年呢？", k=3, context=["成都2024年暴雨预警能提前多少小时？"])
    assert "2025" in b.interpreted_as and "2024" not in b.interpreted_as and "成都" in b.interpreted_as
    assert b.status.value == "not_stated", "the report gives 2024 only"
    c = retriever.ask("And in 2025?", k=3, context=[HANGZHOU_EN, "那上海呢？"])
    assert "Shanghai" in c.interpreted_as and "2025" in c.interpreted_as, "a follow-up of a follow-up keeps both"


def test_a_place_the_report_never_names_is_not_covered_after_a_follow_up(retriever):
    a = retriever.ask("那南京呢？", k=3, context=["杭州城市大脑的救护车到达时间缩短了多少？"])
    assert "南京" in a.interpreted_as and a.status.value == "not_covered"


def test_a_question_with_its_own_subject_ignores_the_context(retriever):
    question = "新加坡智慧國建設的核心經驗是什麼？"
    alone = retriever.ask(question, k=5)
    switched = retriever.ask(question, k=5, context=[MIAOPI, "它覆盖了多少高频事项？"])
    assert switched.interpreted_as == switched.question
    assert [h.section_id for h in switched.hits] == [h.section_id for h in alone.hits]
    assert switched.hits[0].answer == alone.hits[0].answer
    report = retriever.ask("这份报告的研究时间范围是什么？", k=3, context=[MIAOPI])
    assert report.interpreted_as == report.question, "'this report' is the document, not the conversation's subject"


def test_a_chinese_follow_up_after_an_english_question_carries_the_subject_in_chinese(retriever):
    a = retriever.ask("该模式减少了多少车流量？", k=3, context=["What is Barcelona's superblock model?"])
    assert "巴塞罗那" in a.interpreted_as and a.hits[0].section_id == "5.2.2"


def test_a_bare_question_after_a_question_with_no_named_subject_reads_it_whole(retriever):
    first = "2022年全球人工智能市场规模有多大？"
    a = retriever.ask("年均复合增长率呢？", k=3, context=[first])
    assert first.rstrip("？") in a.interpreted_as.replace("?", "？")
    assert a.hits[0].section_id == "1.1.1" and "37%" in a.hits[0].answer


def test_context_must_be_a_list_of_texts_and_junk_in_it_is_ignored(retriever):
    with pytest.raises(QuestionError, match="list of earlier questions"):
        retriever.ask("它覆盖了多少高频事项？", context="深圳的秒批系统")
    with pytest.raises(QuestionError, match="only texts"):
        retriever.ask("它覆盖了多少高频事项？", context=[MIAOPI, 7])
    a = retriever.ask("它覆盖了多少高频事项？", k=3, context=[MIAOPI, "", "{{7*7}}", "   "])
    assert "秒批" in a.interpreted_as
    many = retriever.ask("它覆盖了多少高频事项？", k=3, context=["无关的问题"] * 500 + [MIAOPI])
    assert "秒批" in many.interpreted_as


def test_the_retriever_stays_stateless(retriever):
    before = retriever.ask("覆盖了多少高频事项？", k=3).to_dict()
    retriever.ask("它覆盖了多少高频事项？", k=3, context=[MIAOPI])
    assert retriever.ask("覆盖了多少高频事项？", k=3).to_dict() == before


def test_words_from_the_context_weigh_less_than_the_askers_own(retriever):
    q = retriever._analyse("深圳的秒批系统覆盖了多少高频事项？")
    from qa.question import check

    checked = check("深圳的秒批系统覆盖了多少高频事项？", 2000)
    resolved = retriever.analyser.analyse(checked, own="它覆盖了多少高频事项？")
    assert q.tokens["秒批"] == 1.0 and resolved.tokens["秒批"] < 1.0
    assert resolved.tokens["覆盖"] == q.tokens["覆盖"]
    assert "覆盖" in resolved.own and "秒批" not in resolved.own and not q.own, "the asker's own words choose the sentence"


def test_a_question_naming_its_own_place_is_not_rewritten_with_the_old_subject(retriever):
    earlier = ["杭州城市大脑每天处理多少数据？"]
    for question in ("深圳的破案率提升了多少？", "今天北京天气怎么样？", "成都2023年暴雨预警能提前多少小时？"):
        a = retriever.ask(question, k=3, context=earlier)
        assert a.interpreted_as == a.question, question
        assert a.status == retriever.ask(question, k=3).status, "the conversation does not change whether it is answered"
    assert "杭州城市大脑" in retriever.ask("它在上海的覆盖率是多少？", context=earlier).interpreted_as
