"""Question analysis: what a question sets aside."""

import pytest

from qa.analysis import besides


@pytest.mark.parametrize(
    "question, language, aside",
    [
        ("这个课题除了查文献、分析案例、跑统计数据，还用了什么研究方法？", "zh-Hans", "查文献、分析案例、跑统计数据"),
        ("除杭州外，還有哪些城市建了城市大腦？", "zh-Hant", "杭州"),
        ("除了深圳，哪些城市开放了算法模型？", "zh-Hans", "深圳"),
        ("Besides literature review, case studies and data analysis, what is the fourth method?", "en",
         "literature review, case studies and data analysis"),
        ("What research method other than case studies does the study use?", "en", "case studies"),
        ("What data did the model draw on besides weather and crowd density?", "en", "weather and crowd density"),
        ("In addition to Hangzhou, which cities built a city brain?", "en", "Hangzhou"),
        # Nothing set aside: 除 in another word, "other" without "than".
        ("数据泄露事件增长了多少？排除了哪些风险？", "zh-Hans", ""),
        ("消除数字鸿沟，还需要做哪些事？", "zh-Hans", ""),  # the 除 of a verb
        ("排除干擾後，還有哪些風險？", "zh-Hant", ""),
        ("Which other cities built a city brain?", "en", ""),
    ],
)
def test_what_a_question_sets_aside(question, language, aside):
    assert besides(question, language) == aside


@pytest.mark.slow
def test_our_country_is_the_report_s_wo_guo_not_its_guo_jia(retriever):
    from qa.question import check

    q = retriever.analyser.analyse(check("咱们国家2022年数字经济的盘子到底有多大来着？", 2000))
    assert "我国" in q.tokens and "国家" not in q.tokens and "国家" not in q.bigrams
    # 国家 would match §3.2.3's 国家层面 (and its 数字经济基金) before §1.1.1's figure.
    assert retriever.ask("咱们国家2022年数字经济的盘子到底有多大来着？").hits[0].section_id == "1.1.1"


@pytest.mark.slow
def test_the_whole_world_is_the_report_s_quan_qiu(retriever):
    from qa.question import check

    q = retriever.analyser.analyse(check("2024年全世界的数据总量大约有多少？", 2000))
    assert "全球" in q.tokens and "世界" not in q.tokens  # 世界 is only in 世界银行, 世界经济论坛
    assert retriever.ask("2024年全世界的数据总量大约有多少？").hits[0].section_id == "2.1.1"


@pytest.mark.slow
def test_a_roman_numeral_is_a_number_in_a_name_not_a_foreign_name(retriever):
    assert retriever.analyser.foreign_names("Jiuzhang III photon count", "en") == []
    a = retriever.ask("Jiuzhang III photon count")
    assert a.status == "answered" and a.hits[0].section_id == "3.1.1" and "255" in a.hits[0].answer
    assert retriever.analyser.foreign_names("Chongqing Phase II", "en") == ["chongqing"]


def test_the_dense_reading_of_a_long_question_is_its_asking_end():
    from qa.analysis import dense_tail

    preamble = "I'm reviewing the methodology before citing this report in a briefing note. "
    ask = "For the quantitative part, which institutions' statistics did the authors draw on?"
    assert dense_tail(preamble + ask, 96) == ask  # the preamble would fill the encoder's 96 characters
    assert dense_tail("Short. Question?", 96) == "Short. Question?"  # what fits is read whole
    assert dense_tail("我们在写一份材料。" * 10 + "报告第三章分哪几节？", 40) == "我们在写一份材料。我们在写一份材料。我们在写一份材料。报告第三章分哪几节？"
    long_one = "which " * 30 + "parts?"
    assert dense_tail(long_one, 96) == long_one  # one sentence: its start, as before


@pytest.mark.slow
def test_a_preamble_does_not_make_a_question_an_outline_request(retriever):
    q = ("I'm reviewing the methodology before citing this report in a briefing note. "
         "For the quantitative part, which institutions' statistics did the authors draw on — any international ones?")
    a = retriever.ask(q)
    assert a.kind != "outline" and a.hits[0].section_id == "1.3.1"
    # An outline question behind a preamble is still one.
    a = retriever.ask("I'm briefing my director tomorrow on this report and haven't had time to read it. What are its chapters?")
    assert a.kind == "outline" and [h.section_id for h in a.hits][:3] == ["1", "2", "3"]



@pytest.mark.slow
def test_a_province_the_report_writes_only_in_a_run_of_short_names_is_no_foreign_name(retriever):
    # The report writes 滬蘇浙皖 (Shanghai, Jiangsu, Zhejiang, Anhui), never 江蘇 or 浙江.
    assert retriever.analyser.province_runs("江苏")[0] == "沪苏浙皖"
    assert retriever.analyser.province_runs("上海") == ()  # written by name: searched by it
    assert retriever.analyser.province_runs("湖北") == ()  # in no run: still a place the report never names
    question = "我們公司想從江蘇遷到浙江,長三角現在企業跨省搬遷要花幾天?"
    assert retriever.analyser.foreign_names(question, "zh-Hant") == []
    a = retriever.ask(question)
    assert a.status == "answered" and a.hits[0].section_id == "4.2.2" and "3天" in a.hits[0].answer
    assert retriever.ask("湖北的数据共享率是多少？").status == "not_covered"


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    ["報告舉了哪個歐洲城市的循環經濟項目,說要靠智能治理做到零廢棄?", "欧洲哪个城市搞了超级街区？"],
)
def test_a_region_that_bounds_the_place_asked_is_not_the_place_asked_about(retriever, question):
    # 阿姆斯特丹, 巴塞罗那 are the answers, not a figure "for another place than 欧洲".
    assert retriever.ask(question).status == "answered"
