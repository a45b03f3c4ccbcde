"""Questions about the report as a whole, a chapter or a section, answered from its outline."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from qa.evaluate import load_questions, question_files
from qa.question import check
from qa.retriever import Options, _near
from qa.types import Status

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("这份报告讲了什么？", ["1", "2", "3", "4", "5", "6", "7"]),
        ("What does the report cover?", ["1", "2", "3", "4", "5", "6", "7"]),
        ("目录", ["1", "2", "3", "4", "5", "6", "7"]),
        ("第五章讲什么？", ["5.1", "5.2", "5.3", "5.4"]),
        ("第5章講了哪些內容？", ["5.1", "5.2", "5.3", "5.4"]),
        ("What does chapter 2 cover?", ["2.1", "2.2", "2.3"]),
        ("What does section 3.3 cover?", ["3.3.1", "3.3.2", "3.3.3"]),
        ("报告提出了哪些政策建议？", ["7.1", "7.2"]),
        ("What are the main recommendations?", ["7.1", "7.2"]),
        ("Our city council is drafting a smart-governance strategy. What concrete policy proposals does this report put forward?",
         ["7.1", "7.2"]),  # the asker's "strategy" names no part (7.1 … Strategies)
        ("What challenges does the report identify?", ["6.1", "6.2", "6.3", "6.4"]),
        ("讲发展现状的那一章主要写了什么？", ["3.1", "3.2", "3.3", "3.4"]),
        # The part of the part described that the question names more (3.2 城市治理数字化进展).
        ("報告怎麼描述目前城市治理數位轉型的進展？分成哪幾方面來講？", ["3.2.1", "3.2.2", "3.2.3"]),
        # The part whose title names the kind of thing asked for (3.3 融合实践典型案例), though a sentence seems to answer.
        ("在描述发展现状时，报告挑了哪几个地方的案例来说明智能技术已经用到城市管理里了？", ["3.3.1", "3.3.2", "3.3.3"]),
        ("Which flagship case studies does the report profile in its assessment of the current situation?",
         ["3.3.1", "3.3.2", "3.3.3"]),
        # The recommendations on one facet (技术层面): the one part whose title says it (7.1 技术赋能策略).
        ("我们市正在编智慧城市规划，想参考一下报告在技术层面给出的对策，能列一下主要有哪几条吗？", ["7.1.1", "7.1.2", "7.1.3"]),
        ("报告在制度层面提出了哪些建议？", ["7.2.1", "7.2.2", "7.2.3"]),
        # How the report sees something, when the best passage opens a part with parts: those parts.
        ("How does the report assess the security and risk side of smart urban governance?", ["6.4.1", "6.4.2", "6.4.3"]),
        ("报告对今后融合模式往哪个方向演变有什么判断？", ["5.4.1", "5.4.2", "5.4.3"]),
    ],
)
def test_an_outline_question_lists_the_parts_in_order_each_with_its_opening_sentence(retriever, question, parts):
    a = retriever.ask(question, k=3)
    assert a.found and a.kind == "outline"
    assert [h.section_id for h in a.hits] == parts, "every part, in the report's order, whatever k is"
    for h in a.hits:
        assert h.answer and h.answer in h.text and h.citation.startswith("§" + h.section_id)


def test_english_askers_get_english_titles_and_the_parts_listed_in_english(retriever):
    a = retriever.ask("What does chapter 5 cover?")
    first = a.hits[0]
    assert first.section_title_en == "Practice Models of Leading Chinese Cities"
    assert first.text_en.splitlines()[0].startswith("5.1.1 ") and first.english == "edition"
    zh = retriever.ask("第五章讲什么？").hits[0]
    assert zh.text.splitlines()[0].startswith("5.1.1 技术引领型"), "the sub-parts' titles, in the asker's script"


@pytest.mark.parametrize(
    "question",
    ["杭州城市大脑面临哪些挑战？", "What challenges does Hangzhou's City Brain face?", "报告中说杭州城市大脑每天处理多少数据？",
     "How does the report describe Hangzhou's City Brain?", "报告怎么看数据孤岛的成因？",
     "Why are data silos such a problem for smart city governance?", "第五章提到的深圳秒批系统覆盖了多少事项？"],
)
def test_a_question_about_something_in_the_report_is_searched_not_outlined(retriever, question):
    assert retriever.ask(question).kind == "passages"


@pytest.mark.parametrize(
    ("question", "parts"),
    [("what ground does the opening chapter cover", ["1.1", "1.2", "1.3", "1.4"]),
     ("Give me the skeleton of this report.", ["1", "2", "3", "4", "5", "6", "7"]),
     ("報告涵蓋哪些主要部分？", ["1", "2", "3", "4", "5", "6", "7"])],
)
def test_the_outline_model_recognises_what_the_rules_do_not(retriever, question, parts):
    language = "en" if question.isascii() else "zh-Hant"
    assert retriever.outline.request(question, language) is None, "the rules alone miss it"
    assert retriever.calibration.outline_intent(retriever.question_vector(question))
    a = retriever.ask(question)
    assert a.kind == "outline" and [h.section_id for h in a.hits] == parts


def test_a_question_about_the_whole_naming_no_part_gets_the_report_s_outline_not_a_refusal(retriever):
    question = "作者主張政府接下來要從哪些方向著手？"  # no part named, no word the rules read
    assert retriever.outline.request(question, "zh-Hant", intent=True) is None
    assert retriever.calibration.outline_intent(retriever.question_vector(question))
    a = retriever.ask(question)
    assert a.found and a.kind == "outline" and [h.section_id for h in a.hits] == ["1", "2", "3", "4", "5", "6", "7"]


def test_no_question_of_the_eval_set_is_mistaken_for_an_outline_question(retriever):
    """None of the dev questions (the outline model is fitted against them); of dev and test
    together, no more than the model's held-out false-alarm rate allows."""
    from qa.calibration import OUTLINE_FALSE_ALARMS

    dev = [q for p in question_files(ROOT / "eval", "dev") for q in load_questions(p)]
    test = [q for p in question_files(ROOT / "eval", "test") for q in load_questions(p)]
    assert [q.id for q in dev if retriever.ask(q.question, k=1).kind == "outline"] == []
    mistaken = [q.id for q in test if retriever.ask(q.question, k=1).kind == "outline"]
    assert len(mistaken) <= OUTLINE_FALSE_ALARMS * (len(dev) + len(test)), mistaken


@pytest.mark.slow
def test_an_outline_question_behind_a_preamble_is_answered_by_its_sentence(retriever, monkeypatch):
    question = "我们街道的网格化项目推进得很慢，预算也紧张。报告归纳的主要瓶颈有哪几类？"
    a = retriever.ask(question)
    assert a.kind == "outline" and [h.section_id for h in a.hits] == ["6.1", "6.2", "6.3", "6.4"]
    # Read whole, the preamble hides it: refused (unless read as asking for several things the
    # report sets out, which finds the same part another way).
    monkeypatch.setattr(retriever, "_outline_in_a_sentence", lambda *args: None)
    monkeypatch.setattr(retriever.outline, "listed", lambda *args, **kwargs: None)
    assert retriever.ask(question).status == Status.NOT_COVERED
    # A refused question with a preamble but no outline question stays refused.
    monkeypatch.undo()
    assert retriever.ask("我在南京工作。南京有多少人口？").status == Status.NOT_COVERED
    # A place the report never mentions is said so, even beside an outline question.
    named = retriever.ask("可以简单介绍一下这份报告吗？南京的GDP是多少？")
    assert named.status == Status.NOT_COVERED and "南京" in named.reason


@pytest.mark.slow
def test_a_wall_of_sentences_costs_a_bounded_number_of_readings(retriever, monkeypatch):
    from qa.retriever import _OUTLINE_SENTENCES

    calls = []
    analyse = retriever.analyser.analyse
    monkeypatch.setattr(retriever.analyser, "analyse", lambda *a, **k: calls.append(1) or analyse(*a, **k))
    wall = "".join(f"我在第{i}个区工作。" for i in range(300)) + "南京有多少人口？"
    assert retriever.ask(wall).status == Status.NOT_COVERED
    assert len(calls) <= 1 + _OUTLINE_SENTENCES, len(calls)


def test_a_normalised_question_is_still_cut_into_its_sentences():
    from qa.analysis import question_sentences
    from qa.question import check

    text = check("可以簡單介紹一下這份報告嗎？我們局裡正在評估預算。", 2000).text  # ？ becomes ?
    assert question_sentences(text) == ["可以簡單介紹一下這份報告嗎?", "我們局裡正在評估預算。"]
    assert question_sentences("What is the 2.5 figure? It is a share.") == ["What is the 2.5 figure?", "It is a share."]
    assert question_sentences("比例是2.5%吗") == ["比例是2.5%吗"]


def test_outline_questions_in_the_eval_set_name_real_parts():
    import json

    from qa.corpus import load_corpus

    doc = load_corpus(ROOT / "corpus").documents[0]
    ids = {s.id for s in doc.sections}
    rows = [json.loads(line) for p in sorted(Path(ROOT / "eval").glob("outline_*.jsonl")) for line in p.open(encoding="utf-8")]
    assert len([r for r in rows if r["id"].startswith("odev")]) >= 20 and len([r for r in rows if r["id"].startswith("otest")]) >= 10
    assert {r["lang"] for r in rows} == {"zh-Hans", "zh-Hant", "en"}
    assert all(set(r["required"]) <= ids for r in rows)


@pytest.mark.parametrize(
    ("question", "chapter"),
    [("倒數第二章在講什麼？", "6"), ("倒数第一章讲了什么？", "7"), ("报告收尾的那一章讲了哪些内容？", "7"), ("第二章讲什么？", "2"),
     ("第三个章节讲了哪些东西？", "3"), ("第二個部分講了什麼？", "2")],
)
def test_chapters_counted_from_the_end(retriever, question, chapter):
    a = retriever.ask(question)
    assert a.kind == "outline"
    assert {h.section_id.split(".")[0] for h in a.hits} == {chapter}, "倒数第二章 is the second from the end, not chapter 2"


@pytest.mark.parametrize(
    ("question", "parent"),
    [
        ("ch 2?", "2"),  # a bare chapter reference asks what the chapter holds
        ("三点四那一小节，帮我摘一下要点。", "3.4"),  # a section number said in words
        ("請問4.2.2這一小節的重點為何？", "4.2.2"),  # 「重點為何」 asks what, not why
        ("第二章里讲城市治理理论框架的那部分，包括哪些方面？", "2.2"),  # a part of the chapter named by its title
        ("I'm writing a critical review of China's smart-city push. Which obstacles and risks does this report itself flag?", "6"),
        ("开篇总论那一章都交代了些什么？", "1"),  # the opening chapter, asked with a plain 什么
        ("第六章里专讲人才供给缺口的那一节，核心观点是啥？", "6.3"),  # a section of the chapter, by its title
        ("What does the concluding chapter cover?", "7"),
    ],
)
def test_parts_referred_to_in_other_ways(retriever, question, parent):
    a = retriever.ask(question)
    assert a.kind == "outline"
    listed = {h.section_id for h in a.hits}
    assert listed and all(s == parent or s.startswith(parent + ".") for s in listed), listed


@pytest.mark.parametrize("question", ["第五章提到了多少个城市？", "为何要建设城市大脑？", "chapter 5: how many cities?"])
def test_a_counted_or_why_question_naming_a_chapter_is_not_an_outline(retriever, question):
    assert retriever.ask(question).kind == "passages"


@pytest.mark.parametrize(
    ("question", "parent"),
    [
        ("领导让我明早汇报这份材料，我还没来得及看，能帮我从头到尾捋一遍这份报告吗？", ""),  # the make-up, asked in so many words
        ("Can you give me a chapter-by-chapter rundown of this report?", ""),
        ("依報告看，眼下有哪些短板與隱憂？", "6"),  # findings, with the report named and two words it never uses
        ("這份研究最後歸結出的主要問題有哪幾大類？", "6"),
    ],
)
def test_whole_report_questions_asked_with_words_of_their_own(retriever, question, parent):
    a = retriever.ask(question)
    assert a.kind == "outline"
    listed = {h.section_id for h in a.hits}
    assert all(s == parent or s.startswith(parent + ".") for s in listed) if parent else {"1", "7"} <= listed


@pytest.mark.parametrize("question", ["报告里说城市大脑的系统架构是什么？", "报告建议的数据“三权分置”具体指哪三权？"])
def test_a_word_the_report_uses_makes_it_a_question_about_that(retriever, question):
    assert retriever.ask(question).kind == "passages"


@pytest.mark.parametrize(
    ("question", "section"),
    [("針對偏遠鄉村地區，報告提出了哪些建議？", "7.1.3"),
     (("Looking across the city case studies, what does the report conclude about scenario-focused projects "
       "compared with general-purpose ones?"), "5.3.4")],
)
def test_recommendations_or_findings_about_a_subject_are_searched_not_outlined(retriever, question, section):
    # Even where the outline model reads them as asking for the recommendations or findings, the
    # subjects they name (乡村地区, scenario-focused projects) make them questions about something inside.
    language = "en" if question.isascii() else "zh-Hant"
    assert retriever.outline.request(question, language, intent=True) is None
    assert retriever.outline.request("報告提出了哪些建議？" if language != "en" else "What does the report conclude?",
                                     language, intent=True) is not None
    a = retriever.ask(question)
    assert a.kind == "passages"
    assert section in [h.section_id for h in a.hits[:3]]


def test_a_preamble_about_the_asker_is_not_read_even_when_it_opens_with_a_capital():
    from qa.outline import _FIRST_PERSON

    assert _FIRST_PERSON.search("Our city council is drafting a smart-governance strategy")
    assert _FIRST_PERSON.search("我们局在做预算") and not _FIRST_PERSON.search("What does chapter 6 cover")


@pytest.mark.parametrize(
    "question",
    [
        "我刚拿到这份报告还没看，它主要分哪几章？",
        "我们局刚收到这份报告，它主要分哪几章？",
        "My boss sent me this report and I haven't opened it yet. What are its chapters?",
    ],
)
def test_a_report_named_only_where_the_asker_says_who_they_are_still_makes_a_whole_report_question(retriever, question):
    """The clause that names the report says who asks (and was read as asking, so 拿到 or 收到 made
    the question one about a subject); the clause that asks wants the chapters."""
    a = retriever.ask(question)
    assert a.kind == "outline" and [h.section_id for h in a.hits] == ["1", "2", "3", "4", "5", "6", "7"]


@pytest.mark.parametrize("question", ["Does the report say anything about football?", "报告里有没有提到足球？"])
def test_a_question_about_the_report_on_a_subject_it_never_discusses_is_refused_not_outlined(retriever, question):
    a = retriever.ask(question)
    assert a.status == "not_covered" and a.kind == "passages"


@pytest.mark.parametrize(
    ("question", "parent"),
    [
        ("報告裡談找不到懂行的人的那一節有哪些內容？", "6.3"),  # 人才供给缺口突出: none of its title's words
        ("讲政府部门各自为政、配合不好的那一节讲了什么？", "6.2"),
        ("The section on keeping data and systems safe: what does it cover?", "6.4"),
    ],
)
def test_a_part_described_by_its_subject_is_found_by_what_its_titles_say(retriever, question, parent):
    language = "en" if question.isascii() else "zh-Hant"
    assert retriever.outline.request(question, language) is None, "no title word names it: the rules alone miss it"
    a = retriever.ask(question)
    assert a.kind == "outline" and {h.section_id.rsplit(".", 1)[0] for h in a.hits} == {parent}


@pytest.mark.parametrize(
    "question",
    [
        "讲杭州城市大脑的那一节提到救护车到达时间缩短了多少？",
        "Which section says how many scam calls Shenzhen blocked?",
        # The section is named by its title, but "robot density" is a subject of its own (dev25-034).
        "What industrial robot density does the report give in its section on the industrial ecosystem?",
    ],
)
def test_a_figure_asked_of_a_described_part_is_searched_not_outlined(retriever, question):
    assert retriever.ask(question).kind == "passages"


def test_a_section_without_parts_named_by_its_title_and_ranked_first_is_searched_not_outlined(retriever):
    """「社會公平」 names 4.3.3 (no parts of its own), whose passage ranks first; 深圳 alone would
    describe 3.3, whose parts the answer listed."""
    a = retriever.ask("社会公平那一节说，深圳的无障碍城市APP把哪些设施信息整合进去了？")
    assert a.kind == "passages" and a.found and a.hits[0].section_id == "4.3.3"


def test_a_described_part_is_looked_for_at_the_level_its_word_names(retriever):
    from qa.outline import _level

    assert (_level("那一章"), _level("the section"), _level("那一小节"), _level("那部分"), _level("which part")) == (1, 2, 3, None, None)
    doc = retriever.corpus.documents[0]
    vector = retriever.question_vector("讲人才短缺的那部分")
    assert retriever.outline._described(doc, vector, (), 1) in {s.id for s in doc.sections if s.level == 1}
    assert retriever.outline._described(doc, vector, (), 2).count(".") == 1
    # No level named: a chapter or a section with parts of its own, never a leaf.
    parents = {s.id.rsplit(".", 1)[0] for s in doc.sections if "." in s.id}
    assert retriever.outline._described(doc, vector, (), None) in parents
    # The passages the question finds tip the choice towards the part holding them.
    first = retriever.outline._described(doc, vector, (), 2)
    other = next(s.id for s in doc.sections if s.level == 2 and s.id != first)
    assert retriever.outline._described(doc, vector, (other + ".1",) * 5, 2) in (first, other)


@pytest.mark.parametrize(
    ("question", "parent"),
    [
        ("国内几座标杆城市的做法，报告归纳成了哪几种类型？", "5.1"),
        ("报告对融合模式今后的走向，分了几个趋势？", "5.4"),
    ],
)
def test_several_things_the_report_sets_out_that_no_sentence_states_are_listed_from_its_part(retriever, question, parent,
                                                                                          monkeypatch):
    assert retriever.outline.request(question, "zh-Hans") is None, "the rules alone miss it"
    a = retriever.ask(question)
    assert a.found and a.kind == "outline" and {h.section_id.rsplit(".", 1)[0] for h in a.hits} == {parent}
    # Without reading it as asking for the part's parts, no one sentence answers it: refused.
    monkeypatch.setattr(retriever.outline, "listed", lambda *args, **kwargs: None)
    assert not retriever.ask(question).found


@pytest.mark.parametrize(
    "question",
    [
        "报告提到杭州城市大脑模式复制到了50多个城市，具体是哪些城市？",  # about one part (3.3.1), not for 3.3's parts
        "杭州城市大脑模式复制到的那些城市具体是哪些？",  # names no report or part: a fact it may not give
        "Which companies does the report say run Beijing's robotaxis?",  # a body asked: a fact
    ],
)
def test_the_members_of_something_in_the_report_are_not_listed_from_a_part(retriever, question):
    a = retriever.ask(question)
    assert a.kind == "passages" and not a.found


@pytest.mark.parametrize(
    ("question", "parent"),
    [
        ("Which common elements does the report find across the models it compares?", "5.3"),
        ("報告梳理了城市治理數字化的哪些進展？", "3.2"),
    ],
)
def test_several_things_whose_part_opens_the_passages_are_listed_from_that_part(retriever, question, parent, monkeypatch):
    a = retriever.ask(question)
    assert a.found and a.kind == "outline" and {h.section_id.rsplit(".", 1)[0] for h in a.hits} == {parent}
    # Otherwise the part's opening passage alone answers it.
    monkeypatch.setattr(retriever.outline, "listed", lambda *args, **kwargs: None)
    plain = retriever.ask(question)
    assert plain.found and plain.kind == "passages" and plain.hits[0].section_id == parent


def test_a_part_and_a_part_of_it_named_alike_give_the_part(retriever):
    """"security" is in the titles of 6.4 and of 6.4.1; the question asks for 6.4's parts."""
    a = retriever.ask("What might go wrong on the security side? Which dangers does the report flag?")
    assert a.kind == "outline" and [h.section_id for h in a.hits] == ["6.4.1", "6.4.2", "6.4.3"]


def test_several_things_asked_where_a_chapter_s_opening_ranks_first_are_listed_from_its_part(retriever):
    """The chapter's opening names its sections, so a sentence there seems to answer; the
    part of the chapter that sets them out is listed instead."""
    question = "报告把国内城市的融合模式归纳成哪几种？"
    q = retriever.analyser.analyse(check(question, 2000))
    assert _near(retriever._rank(q, 8, Options(), ()), retriever.index)[0] == "5"
    a = retriever.ask(question)
    assert a.kind == "outline" and [h.section_id for h in a.hits] == ["5.1.1", "5.1.2", "5.1.3"]


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("技術落地不夠深入，具體表現在哪些方面？", ["6.1.1", "6.1.2", "6.1.3"]),  # chapter 6's opening ranks first
        ("國外有哪些經驗可以參考借鏡？", ["5.2.1", "5.2.2"]),
        ("問題挑戰裡，制度層面協同不夠具體表現在哪裡？", ["6.2.1", "6.2.2", "6.2.3"]),  # where it shows: the ways
    ],
)
def test_several_things_asked_without_naming_the_report_are_listed_where_a_part_s_opening_ranks_first(
        retriever, question, parts):
    a = retriever.ask(question)
    assert a.kind == "outline" and [h.section_id for h in a.hits] == parts


def test_several_things_asked_of_nothing_the_report_titles_are_not_listed(retriever):
    # Its best passage opens §2.1, but nothing of a part's title is said: refused, not outlined.
    a = retriever.ask("我想轉行當人工智慧工程師,應該先上哪些線上課程?")
    assert a.kind != "outline" and a.status == "not_covered"


def test_several_things_asked_are_listed_even_when_the_outline_model_reads_the_whole_report(retriever):
    question = "几种模式比较下来，报告总结出了哪些共性要素？"
    assert retriever.calibration.outline_intent(retriever.question_vector(question)), "the model reads it as about the report"
    a = retriever.ask(question)
    assert a.kind == "outline" and [h.section_id for h in a.hits] == ["5.3.1", "5.3.2", "5.3.3", "5.3.4"]


@pytest.mark.parametrize(
    ("question", "kind", "first"),
    [
        ("Which city case studies on integration are presented in section 3.3?", "outline", "3.3.1"),
        # The part is numbered, but a section in it answers: searched.
        ("第三章里杭州城市大脑的数据主要来自哪几类感知来源？", "passages", "3.3.1"),
    ],
)
def test_several_things_asked_of_a_numbered_part_are_listed_unless_a_section_in_it_answers(retriever, question, kind, first):
    a = retriever.ask(question)
    assert a.kind == kind and a.hits[0].section_id == first


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("技术赋能策略下面有哪几项具体措施？", ["7.1.1", "7.1.2", "7.1.3"]),
        ("Which measures fall under the technology empowerment strategy?", ["7.1.1", "7.1.2", "7.1.3"]),
    ],
)
def test_several_things_asked_of_a_part_named_by_its_whole_title_are_listed_from_it(retriever, question, parts):
    """No report or part word, and the best passage is elsewhere (the report's own overview): the
    whole title (7.1 技術賦能策略) names the part as a number would."""
    a = retriever.ask(question)
    assert a.kind == "outline" and [h.section_id for h in a.hits] == parts


def test_a_listed_part_whose_text_the_source_lost_is_listed_with_a_note_not_left_out(retriever):
    """The report breaks off in its title 7.2.3 「推進數字…」: a listing of 7.2 still shows it."""
    assert ("smart_economy_city_governance", "7.2.3") not in retriever.composer.chunks_of, "no text of its own"
    zh = retriever.ask("7.2 制度创新那块展开讲讲")
    assert zh.kind == "outline" and [h.section_id for h in zh.hits] == ["7.2.1", "7.2.2", "7.2.3"]
    lost = zh.hits[-1]
    assert lost.citation == "§7.2.3 推进数字" and "缺失" in lost.answer and lost.answer in lost.text
    en = retriever.ask("What does section 7.2 cover?").hits[-1]
    assert en.section_id == "7.2.3" and "missing" in en.answer_en and "缺失" in en.answer


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("安全风险防控薄弱这一块，报告列举了哪几类风险？", ["6.4.1", "6.4.2", "6.4.3"]),  # 6.4's title, said whole
        ("報告在制度創新方面提出了哪些具體建議？", ["7.2.1", "7.2.2", "7.2.3"]),  # 制度創新 of 制度創新路徑
        ("報告指出了哪些風險與不足之處？", ["6.1", "6.2", "6.3", "6.4"]),  # 風險 alone names no one section
        ("融合机理那一章里，多元协同治理是分哪几点讲的？", ["4.2.1", "4.2.2", "4.2.3"]),
        ("In the integration mechanisms chapter, how does the report break down the ways technology empowers governance?",
         ["4.1.1", "4.1.2", "4.1.3"]),  # (dev odev12-036)
        ("What does the integration mechanisms chapter cover?", ["4.1", "4.2", "4.3"]),  # its own title's words name no section
        # What the asker says of themselves names no section (智能经济…发展 is half of 3.1's title).
        ("我想了解我国智能经济和城市治理数字化目前发展到什么程度，报告里专门讲现状的那一章包括哪几部分？",
         ["3.1", "3.2", "3.3", "3.4"]),
        # A section and the chapter it is in, both named: 6.4 in 问题挑战, not 3.4 现存问题与挑战.
        ("Outline the section on security risks in the problems-and-challenges chapter.", ["6.4.1", "6.4.2", "6.4.3"]),
    ],
)
def test_a_part_asked_with_one_of_its_sections_named_lists_that_section(retriever, question, parts):
    a = retriever.ask(question)
    assert a.kind == "outline" and [h.section_id for h in a.hits] == parts


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("现状分析是从哪几个角度展开的？", ["3.1", "3.2", "3.3", "3.4"]),  # 现状 of 发展现状: no rule, the model's reading
        ("报告在理论上是怎么框定城市治理的？列一下相关的几个部分", ["2.2.1", "2.2.2", "2.2.3"]),  # 2.2 said more than chapter 2
        ("领导让我汇报这份报告的目录结构，从总论到对策它是怎么安排的？", ["1", "2", "3", "4", "5", "6", "7"]),  # its contents
        ("請簡要說明本報告從理論到對策的整體邏輯，各部分分別處理什麼問題。", ["1", "2", "3", "4", "5", "6", "7"]),
    ],
)
def test_a_question_read_as_about_the_whole_report_lists_the_part_whose_title_it_says(retriever, question, parts):
    a = retriever.ask(question)
    assert a.kind == "outline" and [h.section_id for h in a.hits] == parts


def test_titled_narrows_only_a_request_for_the_whole_report(retriever):
    from qa.outline import Request

    part = Request("chapter", "smart_economy_city_governance", "6")
    assert retriever.outline.titled(part, "发展现状分成哪几块？", "zh-Hans") is part
    whole = Request("report", "smart_economy_city_governance", "")
    assert retriever.outline.titled(whole, "发展现状分成哪几块？", "zh-Hans").parent == "3"
    assert retriever.outline.titled(whole, "这份报告分成哪几块？", "zh-Hans") is whole


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        # The outline asked for by name (提纲), by "break down", or by how many sections a described chapter has.
        ("能帮我把人才供给缺口那一节的提纲列出来吗?", ["6.3.1", "6.3.2", "6.3.3"]),
        ("Break down the chapter that compares city models like Shenzhen, Chengdu, Singapore and Barcelona.",
         ["5.1", "5.2", "5.3", "5.4"]),
        ("描述現狀、還舉了杭州城市大腦那些案例的那一章,分幾節?", ["3.1", "3.2", "3.3", "3.4"]),
    ],
)
def test_outline_words_and_counted_parts_make_an_outline_request(retriever, question, parts):
    a = retriever.ask(question)
    assert a.kind == "outline" and [h.section_id for h in a.hits] == parts


def test_a_word_ending_in_jie_is_no_section_word():
    from qa.outline import _PART_WORD, _SECTION_WORD

    # 薄弱环节 (weak links), 季节, 节点 (nodes), 节约 name no part of the report; 这一节, 章节 do.
    for text in ("主要存在哪些挑战和薄弱环节？", "什么季节", "算力枢纽节点分布在哪些省份？", "每年节约多少电？"):
        assert not _PART_WORD.search(text) and not _SECTION_WORD.search(text)
    for text in ("这一节讲什么？", "第六章第二节"):
        assert _PART_WORD.search(text) and _SECTION_WORD.search(text)


@pytest.mark.parametrize(
    "question",
    ["國內幾個標桿城市分別走的是什麼類型的路子？", "制度層面協同不夠具體表現在哪裡？",
     "What does the tech-enablement mechanism consist of?", "What is the strategy made up of?"],
)
def test_ways_of_asking_for_several_things(question):
    from qa.outline import _MANY_EN, _MANY_ZH
    from qa.script import to_simplified

    assert (_MANY_EN if question.isascii() else _MANY_ZH).search(question if question.isascii() else to_simplified(question))


def test_a_single_thing_asked_is_not_several():
    from qa.outline import _MANY_EN, _MANY_ZH

    assert not _MANY_ZH.search("这个平台是什么时候上线的？") and not _MANY_EN.search("When did the platform go live?")


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        # The introduction, by that name (导论, "the introduction"), or as what the report opens with.
        ("报告开头的导论部分讲了哪些内容？", ["1.1", "1.2", "1.3", "1.4"]),
        ("What does the introduction cover?", ["1.1", "1.2", "1.3", "1.4"]),
        # A chapter's numbered section, in words or digits.
        ("第3章的第2节讲什么", ["3.2.1", "3.2.2", "3.2.3"]),
        ("What's in section 1 of chapter 7?", ["7.1.1", "7.1.2", "7.1.3"]),
        # The report's own title, or a description of it by its theme, names the report, not a subject in it
        # (not 2.3 …融合的理论逻辑).
        ("What are the main parts of this report on the intelligent economy and urban governance?",
         ["1", "2", "3", "4", "5", "6", "7"]),
        ("这份智能经济与城市治理研究报告主要讲了什么？", ["1", "2", "3", "4", "5", "6", "7"]),
        ("请问这份关于智能经济与城市治理融合的研究报告由哪几大部分组成？", ["1", "2", "3", "4", "5", "6", "7"]),
        # "breakdown" asks how to answer; its first letters say no title (3.1.1 "…Breakthroughs").
        ("What is in this report? Chapter breakdown please.", ["1", "2", "3", "4", "5", "6", "7"]),
        # Recommendations or risks on one front (在制度上, "on the security front"), a problem or a
        # recommendation the report sets out in one part of its findings: the part whose title says it.
        ("在制度上，报告建议怎么做？", ["7.2.1", "7.2.2", "7.2.3"]),
        ("Which risks on the security front does the report flag?", ["6.4.1", "6.4.2", "6.4.3"]),
        ("Our staff keep leaving for tech firms. What does the report say about the talent problem?", ["6.3.1", "6.3.2", "6.3.3"]),
        ("在技术上，报告建议政府下一步怎么做？", ["7.1.1", "7.1.2", "7.1.3"]),
        # Problems asked of the chapter that takes stock (发展现状, whose 3.2 says 进展): its 3.4, not chapter 6.
        ("报告在讲发展现状时提到了哪些问题和挑战？", ["3.4.1", "3.4.2", "3.4.3"]),
        ("报告指出了哪些问题？", ["6.1", "6.2", "6.3", "6.4"]),
        ("What problems and challenges does the report see in bringing the intelligent economy into urban governance?",
         ["6.1", "6.2", "6.3", "6.4"]),  # the report's own title says no chapter
        # 案例 titles one part (3.3 融合实践典型案例), in the chapter 现状 names (发展现状): its parts.
        ("讲现状时报告举了哪些案例？", ["3.3.1", "3.3.2", "3.3.3"]),
        # "What does the report say about X", 「报告怎么说」, how it sums up or defines a part, where X's
        # part opens the passages.
        ("城市治理数字化转型现在进展如何？报告怎么说？", ["3.2.1", "3.2.2", "3.2.3"]),
        ("报告对城市治理是怎么从理论上界定的？", ["2.2.1", "2.2.2", "2.2.3"]),
        # The part whose sub-parts' titles say the question's words (4.3.3 社会公平…) is the one described, and
        # asked "from which sides the report tells it", its parts answer though one part is named more.
        ("智能化治理对节能降碳、社会公平这些长期目标有什么帮助？报告从哪几方面讲的？", ["4.3.1", "4.3.2", "4.3.3"]),
        ("报告怎么讲智能治理对资源优化和环境改善的作用？分哪几部分？", ["4.3.1", "4.3.2", "4.3.3"]),
        # A why inside what the parts explain.
        ("报告是用哪几根支柱来解释智能经济和城市治理为什么能融合的？", ["2.3.1", "2.3.2", "2.3.3"]),
    ],
)
def test_parts_named_numbered_or_described_in_other_ways_are_listed(retriever, question, parts):
    a = retriever.ask(question)
    assert a.kind == "outline" and [h.section_id for h in a.hits] == parts


@pytest.mark.parametrize(
    "question",
    ["導論裡說研究方法有哪些？", "报告开头部分提到的2022年全球人工智能市场规模是多少？",
     "What did the introduction of the City Brain achieve in Hangzhou?"],
)
def test_a_fact_asked_of_the_introduction_or_an_introduction_in_the_report_is_searched(retriever, question):
    assert retriever.ask(question).kind == "passages"


def test_part_titles_are_matched_by_stem():
    from qa.outline import _covered

    # "risks" says the "Risk" of "Weak Security Risk Prevention and Control" (two of its five words).
    assert _covered(["security", "risks"], "weak security risk prevention and control", zh=False) == pytest.approx(0.4)


def test_a_finding_of_no_one_part_is_not_narrowed_to_a_part_of_it(retriever):
    # "data" and "people" say no one part's title of chapter 6: not an outline of one of its parts.
    a = retriever.ask("What does the report say about data and people problems?")
    assert not (a.kind == "outline" and a.hits[0].section_id.startswith(("6.1.", "6.2.", "6.3.", "6.4.")))


def test_the_report_s_account_asked_by_how_it_is_divided():
    from qa.outline import _DIVIDED_EN, _DIVIDED_ZH

    assert _DIVIDED_ZH.search("报告从哪几方面讲的") and _DIVIDED_ZH.search("是从哪些角度来描述的")
    assert _DIVIDED_EN.search("from which angles does the report discuss it")
    assert not _DIVIDED_ZH.search("报告提到哪几个城市") and not _DIVIDED_EN.search("which cities does it discuss")


def test_why_is_still_a_reason_asked_when_nothing_is_listed(retriever):
    assert retriever.ask("报告怎么解释数据孤岛为什么难以打破？").kind == "passages"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "foreign"),
    [("报告对城市房价调控有什么建议？", True), ("What does the report recommend on minimum wages?", True),
     ("报告对人才培养有什么建议？", False), ("What are the key takeaways of the recommendations on the technology side?", False),
     ("报告对城市治理本身是怎么从理论上界定的？", False)],
)
def test_advice_asked_on_a_subject_the_report_never_names_is_no_outline_question(retriever, question, foreign):
    assert retriever.outline.foreign_subject(question, "en" if question.isascii() else "zh-Hans") is foreign
    a = retriever.ask(question)
    assert (a.kind != "outline" and a.status == Status.NOT_COVERED) if foreign else a.kind == "outline"
