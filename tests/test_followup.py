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


def test_a_question_opening_with_zheyang_goes_on_from_the_last_subject(retriever):
    f = retriever.followups
    first = "报告希望到2025年，省一级的「一网统管」做到什么程度？"
    second = f.resolve("这样升级以后，共享效率预计能提高多少？", [first])
    assert second.text.startswith("一网统管升级以后"), "the subject, without its quote mark or its predicate"
    third = f.resolve("配套还要建一张什么清单？", [first, "这样升级以后，共享效率预计能提高多少？"])
    assert "一网统管" in third.text, "a number and its measure word do not make a question stand alone"


def test_a_leaning_question_with_its_own_place_gets_the_last_question_as_background(retriever):
    r = retriever.followups.resolve("那上海被歸到哪一類？", ["這份報告把成都的做法歸類成哪一種模式？"])
    assert r.text == "那上海被歸到哪一類？", "searched as asked: it names its own place"
    assert r.background == "這份報告把上海的做法歸類成哪一種模式？", "the last question, with the new place in it"
    plain = retriever.followups.resolve("深圳的破案率提升了多少？", ["杭州城市大脑每天处理多少数据？"])
    assert plain.background == "", "a new topic that does not lean on the last question borrows nothing"


@pytest.mark.parametrize(
    "question",
    ["另外，“十四五”规划给智慧城市投了多少钱？", "顺便问一下，全国建成了几个国家级算力枢纽节点？",
     "Separately, what share of Chinese cities met air quality standards?"],
)
def test_a_question_turning_to_another_topic_is_read_alone(retriever, question):
    r = retriever.followups.resolve(question, ["杭州“城市大脑”让拥堵减少了多少？"])
    assert r.text == question and r.background == ""


def test_an_aside_that_points_back_is_still_a_follow_up(retriever):
    r = retriever.followups.resolve("另外，它的准确率呢？", ["杭州垃圾智能分类系统覆盖了多少个社区？"])
    assert "垃圾" in r.text and "准确率" in r.text


def test_a_carried_subject_stops_at_a_clause_and_keeps_no_half_quote(retriever):
    f = retriever.followups
    r = f.resolve("它的风险预警模型准确率有多高？", ["上海“一网统管”把应急响应时间缩短到了多少分钟？"])
    assert r.text.startswith("上海“一网统管”的风险") or r.text.startswith("上海一网统管的风险"), r.text
    r = f.resolve("那它的准确率呢？", ["同一段里杭州“城市大脑”让拥堵减少了多少？"])
    assert "杭州城市大脑" in r.text and "“" not in r.text, r.text


def test_english_this_and_that_as_pronouns_but_not_relative_that(retriever):
    f = retriever.followups
    ctx = ["How many requests has Chengdu's Smart Rongcheng platform handled?"]
    assert "Smart Rongcheng" in f.resolve("Why does this matter?", ctx).text
    assert "Smart Rongcheng" in f.resolve("Can you give an example of data that can't be combined because of this?", ctx).text
    kept = f.resolve("Which data that can be shared does it hold?", ctx).text
    assert "data that can be shared" in kept, "a relative 'that' is not replaced"


def test_a_follow_up_that_sounds_like_an_outline_question_is_searched_as_a_follow_up(retriever):
    a = retriever.ask("What does the report recommend doing about it by 2025?", k=3,
                      context=["60岁以上人群用智能政务的比例，和年轻人差了多少个百分点？"])
    assert a.kind == "passages" and a.interpreted_as != a.question
    assert retriever.ask("这份报告讲了什么？", context=["杭州城市大脑每天处理多少数据？"]).kind == "outline"


def test_a_long_question_after_a_lead_word_says_what_it_is_about(retriever):
    f = retriever.followups
    earlier = ["根据全球智慧城市调研，数据整合度每提升10%，治理效率平均提升多少？"]
    r = f.resolve("那平台化架构能让重复建设成本降低多少？", earlier)
    assert r.text == "那平台化架构能让重复建设成本降低多少？", "not the last question glued on"
    assert r.background == earlier[0], "the last question is still its background"
    english = ["What share of the national intelligent economy do the three big city clusters hold?"]
    long_one = "And how many times higher was per-capita spending in eastern cities than in western ones in 2025?"
    assert f.resolve(long_one, english).text == long_one
    short = f.resolve("And the total amount invested that year?", ["What portion of worldwide smart city investment in 2024 came from China?"])
    assert short.text != "And the total amount invested that year?", "a short one still leans on the last question"


def test_this_kind_of_names_a_kind_not_the_last_subject(retriever):
    earlier = ["How much did Barcelona's superblocks reduce carbon emissions in 2024 through collaborative governance?"]
    r = retriever.followups.resolve("In that kind of collaborative model, how high did public participation climb in 2024?", earlier)
    assert "superblocks kind" not in r.text and "that kind of" in r.text
    assert "Barcelona" in retriever.followups.resolve("How many residents took part in that scheme?", earlier).text


@pytest.mark.parametrize(
    ("earlier", "question", "searched"),
    [
        ("深圳智慧路网让主干道通行效率提升了多少？", "那杭州呢？", "杭州让主干道通行效率提升了多少？"),
        ("杭州城市大脑每天处理多少数据？", "那上海呢？", "上海每天处理多少数据？"),
        ("深圳的秒批系统平均办理时间是多少？", "那上海呢？", "上海平均办理时间是多少？"),
        ("這份報告把成都的做法歸類成哪一種模式？", "那上海呢？", "這份報告把上海的做法歸類成哪一種模式？"),  # 做法 is no name
    ],
)
def test_the_old_place_takes_its_own_named_thing_with_it(retriever, earlier, question, searched):
    resolved = retriever.followups.resolve(question, [earlier])
    assert searched in (resolved.text, resolved.background)


@pytest.mark.parametrize(
    ("earlier", "question", "searched", "section"),
    [
        (["深圳实际的智慧路网让主干道通行效率提高了多少？"], "同样的问题，换成杭州城市大脑呢？", "杭州城市大脑", "3.2.2"),
        (["深圳的秒批系统平均办理时间是多少？"], "同樣的問題，上海呢？", "上海", None),
        (["What share of Barcelona do the superblocks cover?"], "Same question for Singapore", "Singapore", None),
    ],
)
def test_the_same_question_about_another_subject_is_the_last_question_with_it(retriever, earlier, question, searched, section):
    a = retriever.ask(question, context=earlier)
    assert searched in a.interpreted_as and a.interpreted_as != question
    assert "同样" not in a.interpreted_as and "same question" not in a.interpreted_as.lower()
    if section:
        assert a.hits[0].section_id == section


def test_a_place_and_a_question_word_alone_ask_the_last_question_for_that_place(retriever):
    a = retriever.ask("中国占多少？", context=["How many smart sensors were shipped worldwide in 2024?"])
    assert "China" in a.interpreted_as and "sensors" in a.interpreted_as and a.hits[0].section_id == "3.1.2"
    b = retriever.ask("上海有多少人口？", context=["深圳的秒批系统平均办理时间是多少？"])
    assert b.interpreted_as.startswith("上海有多少人口") and "秒批" not in b.interpreted_as, "a place with a subject of its own"
    c = retriever.ask("上海随申办 covers 多少政务服务？", context=["How far in advance can Shanghai warn of urban waterlogging?"])
    assert c.interpreted_as.startswith("上海随申办") and "waterlogging" not in c.interpreted_as, "a place and a named thing"


def test_a_follow_up_of_a_follow_up_carries_the_subject_without_its_time_words(retriever):
    a = retriever.ask("这个领域的人才流失率多少？", context=["搞智能治理的复合型人才，缺口到底有多大？", "一年能培养出多少人？"])
    assert "一年" not in a.interpreted_as and "复合型人才" in a.interpreted_as


def test_an_english_year_swapped_keeps_the_space_after_it(retriever):
    a = retriever.ask("And in 2025?", context=["By how much did Barcelona's superblocks cut carbon emissions in 2024 through collaborative governance?"])
    assert "in 2025 through" in a.interpreted_as, a.interpreted_as


def test_a_predicate_word_inside_a_word_does_not_cut_the_subject(retriever):
    # 能 of 智能 is no predicate: the subject is not cut to 「杭州的垃圾智」.
    resolved = retriever.followups.resolve("它每天处理多少数据？", ["杭州的垃圾智能分类系统准确率是多少？"]).text
    assert resolved.startswith("杭州") and not resolved.startswith("杭州的垃圾智每"), resolved


def test_a_subject_with_a_quoted_name_keeps_the_quote_closed(retriever):
    resolved = retriever.followups.resolve("平均辦一件事要多久？", ["深圳的「秒批」系統讓多少比例的業務可以「零跑動」？"]).text
    assert resolved.startswith("深圳的「秒批」系統"), resolved


def test_a_verb_with_its_aspect_particle_ends_the_subject(retriever):
    # jieba tags 部署 a noun; 了 after it says it is the predicate: the subject is 成都天府新区 alone.
    resolved = retriever.followups.resolve("那他們的社區養老服務呢？", ["成都天府新區部署了多少個邊緣計算節點？"]).text
    assert "部署" not in resolved and "成都天府新區" in resolved, resolved


@pytest.mark.parametrize(
    ("earlier", "question", "old", "new"),
    [("报告提到我国政务数据共享率是什么水平？", "全球呢？", "我国", "全球"), ("全球政务数据共享率是什么水平？", "那全国呢？", "全球", "全国")],
)
def test_a_scope_word_takes_the_place_of_the_last_question_s(retriever, earlier, question, old, new):
    resolved = retriever.followups.resolve(question, [earlier]).text
    assert new in resolved and old not in resolved and "数据共享率" in resolved, resolved


def test_a_scope_word_alone_is_no_subject_to_carry(retriever):
    a = retriever.ask("And by how much did efficiency improve?", context=["2024年全球智能经济与城市治理融合项目的投资额是多少？"])
    assert not a.interpreted_as.lower().startswith("global"), a.interpreted_as


def test_an_english_possessive_carries_the_thing_possessed_not_only_its_owner():
    from qa.followup import _possessed_en

    assert _possessed_en("'s AI industry in 2024?") == len("'s AI industry")  # up to a preposition
    assert _possessed_en("'s superblocks cut carbon emissions") == len("'s superblocks")  # up to a verb
    assert _possessed_en("'s anti-fraud system block calls?") == len("'s anti-fraud system")  # up to a head noun
    assert _possessed_en(" city brain") == 0, "no possessive, nothing possessed"


def test_its_after_a_possessive_subject_is_the_thing_possessed(retriever):
    a = retriever.ask("What was its growth rate?", context=["How big was Singapore's LifeSG platform user base in 2024?"])
    assert "Singapore's LifeSG platform" in a.interpreted_as
    b = retriever.ask("What was its year-on-year growth?", context=["How big was China's AI industry in 2024?"])
    assert "China's AI industry" in b.interpreted_as
