"""qa.decide and qa.spans: answered, not stated, not covered, with reasons that name what is missing."""

from __future__ import annotations

import re

import pytest

from qa.analysis import asked_attribute, asked_type
from qa.lexical import Tokenizer
from qa.spans import holds, years
from qa.types import Status


@pytest.mark.parametrize(
    ("question", "language", "kind"),
    [
        ("杭州城市大脑的建设总投资是多少？", "zh-Hans", "money"),
        ("2023年全國智慧城市市場的總體量約為多少萬億元？", "zh-Hant", "money"),
        ("巴塞罗那的超级街区项目是哪一年开始实施的？", "zh-Hans", "start"),
        ("深圳“秒批”平均办理时间缩短到多久？", "zh-Hans", "time"),
        ("上海一网统管平台是由哪家企业承建的？", "zh-Hans", "org"),
        ("政务数据共享率是多少？", "zh-Hans", "share"),
        ("东部城市人均智能经济投入是西部城市的多少倍？", "zh-Hans", "quantity"),
        ("这套系统每年帮忙省下多少钱？", "zh-Hans", "money"),  # 下多少 is no fall when money follows
        ("成本下降了多少？", "zh-Hans", "quantity"),
        ("新加坡在全島部署了多少個物聯網感測器？", "zh-Hant", "count"),
        ("What is the annual operating budget of Singapore's LifeSG platform?", "en", "money"),
        ("Who developed Singapore's LifeSG platform?", "en", "org"),
        ("In what year did Singapore launch its Smart Nation plan?", "en", "start"),  # the year it began
        ("What year did China's digital economy reach 50 trillion yuan?", "en", "year"),
        ("When a first-tier city recruited in 2024, what was the competition ratio?", "en", ""),  # "when" joins, it does not ask
        ("杭州「民呼我為」平台是哪一年上線的？", "zh-Hant", "start"),
        ("Which government agency runs Singapore's LifeSG app?", "en", "org"),  # a word before the kind
        ("Which first-tier city drew 50 applicants per post?", "en", "place"),
        ("因4G訊號覆蓋不足的那個西部山區縣，是哪一個縣？", "zh-Hant", "place"),
        ("What is the average annual salary of an AI engineer in Beijing?", "en", "money"),
        ("新加坡依據市民畫像主動推送服務的平台叫什麼名字？", "zh-Hant", "name"),  # any name will do
        ("报告里引用的那位经济学家叫什么名字？", "zh-Hans", "person"),  # a person's
        ("预测准确率连六成都不到，报告认为是什么原因？", "zh-Hans", ""),  # a reason, not a definition
        ("某城市AI交通調度系統預測不準，原因出在哪裡？", "zh-Hant", ""),  # where a cause lies: no place
        ("说“智能经济不是技术的狂欢”的是哪位经济学家？", "zh-Hans", "person"),
        ("这个问题在哪一年解决的？", "zh-Hans", "year"),
        ("研究範圍這一節裡,報告的時間範圍聚焦在哪幾年?", "zh-Hant", "year"),  # years, not 在哪 a place
        ("Which years does the study's time frame span?", "en", "year"),
        ("杭州垃圾智慧分類系統目前覆蓋了多少個社區？", "zh-Hant", "count"),  # a count, which 92% does not give
        ("How many residents took part in the Decidim platform?", "en", "count"),
        ("How many times faster is it?", "en", "quantity"),
        ("上海「一網統管」平台是哪一家廠商承建的？", "zh-Hant", "org"),
        ("九章三號是由哪一所大學或研究機構研發的？", "zh-Hant", "org"),
        ("平臺化治理架構能使重複建設成本降低多少?", "zh-Hant", "quantity"),  # a fall in cost, not an amount of money
        ("What share of investment in smart transport comes from the private sector?", "en", "share"),
        ("How many sensors feed data into the Hangzhou City Brain?", "en", "count"),
        ("Why are data silos such a problem?", "en", ""),
        ("How accurate are Chengdu's rainstorm warnings?", "en", "share"),  # an accuracy is a share
        # The place or body asked for named after the question word (the report often writes 某省会城市).
        ("数据互访率不到30%的那个省会城市是哪个？", "zh-Hans", "place"),
        ("這個城市到底是哪一個？", "zh-Hant", "place"),
        ("上海那3个专业分中心具体是哪几个？", "zh-Hans", "org"),
        ("Which agencies run the three sub-centres?", "en", "org"),
        # What "which" asks for comes before a measure the question mentions.
        ("Which county had terminals offline because of poor 4G coverage?", "en", "place"),
        # How much a thing changed, asked with any auxiliary ("spend" and "price" name no sum asked).
        ("How much have smart clinics cut the time patients spend waiting?", "en", "quantity"),
        ("How much has the peak/off-peak price gap narrowed?", "en", "quantity"),
        ("How much did the project cost?", "en", "money"),
        # A relative "where" asks no place; a "where" that asks does.
        ("In one megacity where computing is stretched, what is the response-delay rate?", "en", "share"),
        ("Where did Hangzhou first pilot it?", "en", "place"),
        # "built by 2025" is a date, not a builder.
        ("How many demonstration zones is China projected to have built by 2025?", "en", "count"),
        ("Which platform was built by Alibaba Cloud?", "en", "org"),
        # Where a difficulty shows, or where things stand, is a way or a state, not a place.
        ("智能經濟和城市治理融合，現在卡在哪些地方？", "zh-Hant", ""),
        ("制度層面協同不夠，具體表現在哪裡？", "zh-Hant", ""),
        ("Where does the intelligent economy stand today?", "en", ""),
        ("杭州城市大脑的数据中心建在哪里？", "zh-Hans", "place"),
        # 老是 is "always", not the 是 of 「覆盖率是多少」; 为啥 asks why, as 为什么 does.
        ("为啥乡镇一级政务服务智能化覆盖率老是上不去？主要卡在哪儿？", "zh-Hans", ""),
        ("为啥杭州要建城市大脑？", "zh-Hans", ""),
        ("乡镇一级政务服务智能化覆盖率是多少？", "zh-Hans", "share"),
        # 存在哪些 asks what there is; 在哪个平台 / 技术生态 in what thing; 速率 is a speed, no ratio.
        ("数据确权方面主要存在哪些问题?", "zh-Hans", ""),
        ("巴塞罗那居民是在哪个平台上在线投票决定社区事务的?", "zh-Hans", ""),
        ("深圳城市級算力平台是建立在哪個技術生態上？", "zh-Hant", ""),
        ("北京在哪个区试点的？", "zh-Hans", "place"),
        ("5G-A到2025年的峰值速率能達到多少?", "zh-Hant", "quantity"),
        # "who" of a relative clause asks no one; opening the question or a clause of it, it does.
        ("How large is the shortage of people who combine technical and management skills?", "en", "quantity"),
        ("In Hangzhou, who runs the City Brain?", "en", "org"),
        ("Does the report say who operates the platform?", "en", "org"),
        # a figure asked by its kind (score, ROI) or by a request for it
        ("Scenario-based projects beat generic ones on returns, but what is their actual average ROI?", "en", "quantity"),
        ("For a comparison table I need Chengdu's satisfaction score for 2022. What was it?", "en", "quantity"),
        ("What is the main figure in chapter 3?", "en", ""),
        # a number of calls, incidents, deals: measure words of a count
        ("北京12345熱線一年接到多少通市民來電?", "zh-Hant", "count"),
        ("2024年一共发生了多少起数据泄露事件？", "zh-Hans", "count"),
        # a number of tonnes or kilometres is a measure, not a count of things; a long name before "volume"
        ("How many tonnes of CO2 does Hangzhou's City Brain avoid each year?", "en", "quantity"),
        ("What was the Shanghai Data Exchange's transaction volume in 2024?", "en", "quantity"),  # "figure" alone may be a diagram
    ],
)
def test_what_a_question_asks_for(question, language, kind):
    assert asked_type(question, language) == kind


@pytest.mark.parametrize(
    ("question", "language", "kind"),
    [
        ("A company in Beijing wants to know which subsidies it qualifies for. How much time does the Jingtong app save?", "en", "time"),
        ("Beijing and Shanghai pilot AI brains. How much shorter does the policy cycle become?", "en", "quantity"),
        ("关于投入多少，我们另外再查。深圳秒批系统覆盖了多少个高频事项？", "zh-Hans", "count"),  # not the money of the preamble
        ("How much did Shenzhen invest in its platform?", "en", "money"),  # one sentence: read whole
    ],
)
def test_what_is_asked_is_read_from_the_sentence_that_asks(question, language, kind):
    from qa.analysis import asking_part

    assert asked_type(asking_part(question, language), language) == kind


@pytest.mark.parametrize(
    ("question", "language", "attribute"),
    [
        ("北京“京通”APP现在有多少注册用户？", "zh-Hans", ("注册", "用户")),  # after the question word
        ("城市灾害预测算法的预测准确率大概是多少？", "zh-Hans", ("准确率",)),  # else the word before it
        ("成都天府新区部署那500个边缘计算节点，总共花了多少钱？", "zh-Hans", ("节点",)),  # not 钱: the type says it
        ("长三角地区现在开办一家企业最快需要多久？", "zh-Hans", ("开办",)),  # hedges and counts are no attribute
        ("上海一网统管平台是由哪家企业承建的？", "zh-Hans", ("承建",)),  # the answer names a body, not 企业
        ("网格员里有多少人能自己操作智慧终端？", "zh-Hans", ("操作",)),  # a lone character says little beside a word
        ("这份研究覆盖的时间段是从哪一年到哪一年？", "zh-Hans", ("时间段",)),
        ("這份研究報告涵蓋的時間範圍是哪幾年？", "zh-Hant", ("研究",)),  # not 涵蓋: a verb of scope names nothing asked
        ("咱们国家2022年数字经济的盘子到底有多大来着？", "zh-Hans", ("经济",)),  # 盘子 is the size, spoken
        ("How many residents took part in Barcelona's Decidim platform?", "en", ("residents",)),
        ("How many government data items can be called up?", "en", ("items",)),
        ("What is the rate of government data openness in advanced countries?", "en", ("openness",)),
        ("Who developed Singapore's LifeSG platform?", "en", ("developed",)),
        ("Which company built the Hangzhou City Brain?", "en", ("built",)),  # the verb, not the kind or the subject
        ("Which cities have copied the model?", "en", ("copied",)),
        ("Which government body issued the Overall Layout Plan for Digital China?", "en", ("issued",)),  # a word before the kind
        ("By how much could intelligent transport systems relieve congestion?", "en", ()),
        ("Which company co-developed Hangzhou's dispatch system?", "en", ("co-developed",)),  # not "co"
        # How the question reports or aims is not what it asks: the verb after it is.
        ("Which European city is said to have become zero-waste?", "en", ("zero-waste",)),
        ("Which city is cited for aiming to cut waste?", "en", ("cut",)),
        # The report as the subject: its verb is how it reports ("hold up as"), not what is asked.
        ("Which European city does the report hold up as having become zero-waste?", "en", ("zero-waste",)),
        ("How much data existed in 2024?", "en", ("data",)),  # "existed" is the question's verb
        ("2024年国内智能经济核心产业值多少钱？", "zh-Hans", ("产业",)),  # 值 is "worth": the money type says it
        ("这项研究的统计数据主要来自哪些机构？", "zh-Hans", ("统计数据",)),  # 来自 relates, it names nothing asked
        ("Which vendor's technology ecosystem underpins the platform?", "en", ("technology",)),  # not the possessive's "s"
        ("How much funding did Hangzhou's City Brain get?", "en", ()),  # the money type says it, as 钱 does
    ],
)
def test_the_attribute_a_question_asks_for(question, language, attribute):
    words = Tokenizer().words
    assert asked_attribute(question, language, words) == attribute


@pytest.mark.parametrize(
    ("question", "attribute"),
    [
        # An adjective reaching the figure says how far it goes, not what the figure is of.
        ("这套系统的响应速度能快到几秒？", ("响应速度",)),
        ("这套系统的识别准确率高达多少？", ("准确率",)),
        # A comparison's adjective is the gap asked for (said 低65个百分点).
        ("60岁以上的人的使用比例比年轻人低多少？", ("低",)),
    ],
)
def test_the_attribute_of_a_figure_question_skips_how_far_it_reaches(question, attribute):
    assert asked_attribute(question, "zh-Hans", Tokenizer().words, measure=True) == attribute


@pytest.mark.parametrize(
    ("question", "verb"),
    [("深圳秒批平均几分钟办完？", "办完"), ("成都社区养老服务中心现在多久能回应？", "回应")],
)
def test_the_verb_after_a_duration_s_question_word_is_the_event_timed(question, verb):
    words = Tokenizer().words
    assert verb not in asked_attribute(question, "zh-Hans", words, measure=True, duration=True)
    assert verb in asked_attribute(question, "zh-Hans", words, measure=True)  # what it was without


def test_the_verb_after_a_count_s_question_word_stays_the_attribute():
    # 「有多少技术人员在维护」: the report's 技术人员 of another job would not answer it.
    assert asked_attribute("深圳有多少技术人员在维护？", "zh-Hans", Tokenizer().words) == ("技术人员", "维护")


@pytest.mark.parametrize(
    ("question", "language", "attribute"),
    [
        ("某市遭受網路攻擊時，智慧交通系統停擺了多久？", "zh-Hant", ()),  # the verb names the event measured
        ("國際數據公司預計到2025年，全球智能經濟體量能做到多大？", "zh-Hant", ()),
        ("多个部门系统互不兼容的话，应急时信息传递会耽误多久？", "zh-Hans", ()),
        ("截至2024年，全球数据总量累计到了多大的量级？", "zh-Hans", ()),  # a size word, then a verb with its result (累计到)
        ("全国的算力规模已经累积到多大？", "zh-Hans", ()),
        ("城市灾害预测算法的预测准确率大概是多少？", "zh-Hans", ("准确率",)),  # a noun before it still counts
        ("北京「京通」APP有多少實名註冊用戶？", "zh-Hant", ("实名", "注册")),  # words after it too, verbs or not
    ],
)
def test_a_verb_before_the_question_word_of_a_figure_names_no_attribute(question, language, attribute):
    words = Tokenizer().words
    assert asked_attribute(question, language, words, measure=True) == attribute
    if not attribute:  # a question asking no figure (which year, who) keeps its verb: 「哪一年提出的」 asks of 提出
        assert asked_attribute(question, language, words) != ()


@pytest.mark.parametrize(
    ("question", "procedure"),
    [
        ("How do I renew my Chinese passport if I'm living in Shanghai?", True),
        ("My kid starts school in Shenzhen - what documents do I need for enrolment?", True),
        ("在上海怎么办理护照？需要带哪些材料？", True),
        ("怎麼辦理結婚登記？需要準備哪些文件？", True),
        ("非京籍孩子在北京上公立小学需要准备哪些材料？", True),
        # How a city, system or plan does something is what the report is about.
        ("How does Hangzhou's City Brain route complaints to the right department?", False),
        ("How can cities close the digital divide, according to the report?", False),
        ("深圳的“秒批”是怎么办理企业登记的？", False),
        ("报告建议如何推进数据要素市场化？", False),
    ],
)
def test_a_procedure_the_asker_wants_to_follow_is_told_apart_from_how_a_city_does_something(question, procedure):
    from qa.analysis import PROCEDURE

    assert bool(PROCEDURE.search(question)) is procedure


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("How do I exchange my foreign driving licence for a Chinese one in Beijing?", "no procedures"),
        ("上海新能源汽车专用牌照怎么申请？需要什么条件？", "不提供个人办事"),
        ("如何申請新加坡的就業準證？", "不提供個人辦事"),
    ],
)
def test_a_personal_procedure_is_not_covered_and_says_why(retriever, question, words):
    a = retriever.ask(question)
    assert a.status == Status.NOT_COVERED and words in a.reason
    assert a.hits, "the nearest sections are still shown"


@pytest.mark.parametrize(
    ("kind", "sentence", "expected"),
    [
        ("money", "项目总投资50亿元", True),
        ("money", "日均处理数据量超100TB", False),
        ("share", "共享率达到95%", True),
        ("share", "日均处理数据量超100TB", False),
        ("year", "2024年成都已实现暴雨预警提前48小时", True),
        ("start", "2024年其超级街区项目覆盖全市60%区域", False),  # a year, but of a figure, not of a start
        ("start", "该平台于2019年正式上线", True),
        ("start", "作为全球首个城市级智能中枢,杭州城市大脑2024年接入数据50PB", False),  # the first of its kind: no launch
        ("count", "该模式已被复制至全国50余个城市", True),
        ("count", "使分类准确率从65%提升至92%,回收利用率提高35%", False),  # shares count nothing
        ("count", "交通效率提升3倍", False),
        ("count", "贵州数据中心机架规模年均增长超30%", False),  # 数 of 数据 is no numeral
        ("count", "建成数十个示范区", True),
        ("time", "长三角区域企业开办时间压缩至0.5个工作日", True),
        ("time", "暴雨预警提前48小时", True),
        ("time", "2024年全面覆盖", False),
        ("quantity", "接入50余个城市", True),
        ("quantity", "2024年全面覆盖", False),
        ("org", "由国家统计局发布", True),
        ("org", "城市治理水平明显提升", False),
        ("org", "杭州城市大脑接入城市数据总量达50PB,日均处理数据量超100TB", False),  # units name no body
        ("org", "城市管理领域AI人才占比不足5%", False),  # nor a common abbreviation
        ("org", "基于市民画像的LifeSG平台", True),
        ("place", "杭州的经验", True),
        ("", "任何句子", True),
    ],
)
def test_spans_of_an_asked_type(kind, sentence, expected):
    assert holds(kind, sentence, places=frozenset({"杭州"}), bodies=frozenset({"国家统计局"})) is expected


def test_years_are_read_as_four_digits():
    assert years("2024年成都、2025年全国，较2019年提升3倍") == {"2019", "2024", "2025"}


@pytest.mark.slow
def test_a_year_the_report_does_not_give_is_not_stated_and_the_given_year_is_named(retriever):
    a = retriever.ask("成都2023年暴雨预警能提前多少小时？")
    assert a.status == Status.NOT_STATED and not a.found
    assert "2024" in a.reason and "2023" in a.reason and "§7.1.2" in a.reason
    assert a.hits[0].section_id == "7.1.2"
    b = retriever.ask("成都2024年暴雨预警能提前多少小时？")
    assert b.status == Status.ANSWERED and "48" in b.hits[0].answer


@pytest.mark.slow
def test_the_year_asked_is_the_asking_sentence_s_not_a_year_its_preamble_gives(retriever):
    a = retriever.ask("China's digital economy reached 50.2 trillion yuan in 2022. What was its size in 2021?")
    assert a.status == Status.NOT_STATED and not a.found
    b = retriever.ask("I read about 2021 figures elsewhere. How big was China's digital economy in 2022?")
    assert b.status == Status.ANSWERED and "50.2" in b.hits[0].answer


def test_a_five_year_plan_is_a_period_with_its_years():
    from qa.analysis import plan_periods

    assert plan_periods("「十三五」期間") == ["十三五", "2016", "2017", "2018", "2019", "2020"]
    assert plan_periods("China's 14th Five-Year Plan")[:2] == ["十四五", "2021"]
    assert plan_periods("五年来，十分重要") == [] and plan_periods("the 10th Five-Year Plan") == []


@pytest.mark.slow
def test_a_five_year_plan_the_report_gives_no_figure_for_is_not_stated(retriever):
    a = retriever.ask("“十三五”期间国家在智慧城市方面一共投入了多少资金？")
    assert a.status == Status.NOT_STATED and a.hits[0].section_id == "2.2.3"
    b = retriever.ask("“十四五”规划在智慧城市上投入了多少资金？")
    assert b.status == Status.ANSWERED and "2万亿元" in b.hits[0].answer


@pytest.mark.slow
def test_a_place_the_report_does_not_give_it_for_is_not_stated(retriever):
    a = retriever.ask("What was the Decidim adoption rate in Barcelona in 2023?")
    assert a.status == Status.NOT_STATED and a.query_language == "en"
    assert "2023" in a.reason and "§" in a.reason
    assert not re.search(r"[\u4e00-\u9fff]", a.reason), "an English reader reads the report's sentence in English"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "status"),
    [
        ("杭州城市大脑每天处理多少数据？", Status.ANSWERED),
        ("南京市的政务数据开放率是多少？", Status.NOT_COVERED),
        ("红烧肉怎么做才好吃？", Status.NOT_COVERED),
        ("？？？", Status.EMPTY),
    ],
)
def test_statuses_and_found_agree(retriever, question, status):
    a = retriever.ask(question)
    assert a.status == status and a.found == (status == Status.ANSWERED)
    assert a.to_dict()["status"] == status.value and a.to_dict()["found"] == a.found
    assert (a.reason == "") == (status == Status.ANSWERED)


@pytest.mark.slow
def test_not_stated_reason_is_in_the_askers_script(retriever):
    hans = retriever.ask("成都2023年暴雨预警能提前多少小时？")
    hant = retriever.ask("成都2023年暴雨預警能提前多少小時？")
    assert hans.status == hant.status == Status.NOT_STATED
    assert hans.reason.startswith("报告只给出了") and hant.reason.startswith("報告只給出了")
    assert "預警" in hant.reason and "预警" in hans.reason


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("北京“京通”APP现在有多少注册用户？", "注册用户"),
        ("How many staff work at the Hangzhou City Brain?", "staff"),
    ],
)
def test_a_figure_of_something_else_is_not_bound_to_an_attribute_the_topic_never_names(retriever, question, missing):
    """The topic's sections give figures (京通's 15 minutes and 92%, the City Brain's 50PB), but not of
    what was asked: no typed sentence names it, and a not-stated reason says which."""
    from qa.decide import not_stated_reason, statement

    q = retriever._analyse(question)
    ranking = retriever._rank(q, 3)
    st = statement(q, ranking, retriever.keywords, retriever.composer.chunks_of)
    assert st.unbound and st.bound_share == 0.0 and st.typed_share > 0.0
    assert st.missing == missing
    top = retriever.index.chunks[ranking.top]
    assert missing in not_stated_reason(q, st, top.section_id, top.section_title, retriever.keywords)


@pytest.mark.slow
def test_a_sentence_naming_the_attribute_with_a_figure_is_bound_and_answers(retriever):
    from qa.decide import statement

    question = "杭州城市大脑的AI视频识别比人工巡查效率高出几倍？"
    q = retriever._analyse(question)
    st = statement(q, retriever._rank(q, 3), retriever.keywords, retriever.composer.chunks_of)
    assert not st.unbound and st.bound_share > 0.0
    a = retriever.ask(question)
    assert a.status == Status.ANSWERED and "20倍" in a.hits[0].answer
    # The report says 瘫痪8小时 for what the asker calls 停擺: the duration with the question's subject answers.
    a = retriever.ask("某市遭到網路攻擊後，智慧交通系統停擺了多長時間？")
    assert a.status == Status.ANSWERED and "8小時" in a.hits[0].answer


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "status"),
    [
        # The edition says "450,000 residents participated"; the sentence says 参与市民达45万人.
        ("How many people took part on Barcelona's Decidim platform in 2024?", Status.ANSWERED),
        # The report gives no head count for the centre: a number of people elsewhere does not answer.
        ("How many people staff Shanghai's city operations centre?", Status.NOT_STATED),
    ],
)
def test_how_many_people_is_named_by_a_number_of_people(retriever, question, status):
    assert retriever.ask(question).status == status


def test_a_who_question_the_topic_does_not_answer_gets_the_plain_reason_in_english(retriever):
    a = retriever.ask("Who developed Singapore's LifeSG platform?")
    assert a.status == Status.NOT_STATED and "§5.2.1" in a.reason
    assert not re.search(r"[\u4e00-\u9fff]", a.reason)


def test_a_nationwide_figure_is_china_s_figure():
    from qa.analysis import Query
    from qa.decide import _place_ok

    q = Query(text="", language="en", tokens={}, bigrams={}, unknown=0.0, foreign=(), pairs=(), vector=None, places=("中国",))
    assert _place_ok(q, "2025年全国开设智慧城市专业的高校仅89所", "")
    assert not _place_ok(q, "2025年上海开设智慧城市专业的高校仅9所", ""), "another place's figure is not China's"


def test_a_sentence_on_another_place_states_no_figure_of_the_asked_one_even_in_its_section():
    from qa.analysis import Query
    from qa.decide import _place_ok

    q = Query(text="", language="zh-Hans", tokens={}, bigrams={}, unknown=0.0, foreign=(), pairs=(), vector=None, places=("深圳",))
    places = frozenset({"深圳", "成都", "天府新区"})
    section = "深圳与成都的边缘计算"
    assert not _place_ok(q, "成都天府新区部署了500个边缘计算节点", section, places)
    assert _place_ok(q, "该市部署了500个边缘计算节点", section, places), "a sentence naming no place takes its section's"
    assert _place_ok(q, "深圳部署了500个节点，成都300个", section, places)


def test_a_figure_the_question_quotes_is_no_answer_and_span_and_attribute_share_a_clause():
    from qa.analysis import Query
    from qa.decide import _clause_bound, _without, quoted_figures
    from qa.spans import holds

    q = Query(text="全国337个地级市一共建了多少个空气质量微站？", language="zh-Hans", tokens={}, bigrams={}, unknown=0.0,
              foreign=(), pairs=(), vector=None, asked="count", attribute=("微站",))
    sentence = "环境监测方面,全国337个地级市建成空气质量微站网络。"
    assert holds("count", sentence) and not holds("count", _without(quoted_figures(q), sentence))
    assert "2024" in _without(quoted_figures(q), "2024年全国337个地级市"), "a year is not a quoted figure"

    class Index:
        places, bodies = frozenset(), frozenset()

    users = Query(text="", language="zh-Hans", tokens={}, bigrams={}, unknown=0.0, foreign=(), pairs=(), vector=None,
                  asked="count", attribute=("用户",))
    assert _clause_bound(users, "2024年,平台接入企业超过200万家,市民实名用户突破5000万", Index())
    assert not _clause_bound(users, "平台注册用户持续增长,接入企业超过200万家", Index()), "the figure counts companies"


def test_a_quoted_figure_is_blanked_with_its_unit_only():
    from qa.analysis import Query
    from qa.decide import _without, quoted_figures

    q = Query(text="5G-A峰值速率达10Gbps，较5G提升多少倍？", language="zh-Hans", tokens={}, bigrams={}, unknown=0.0,
              foreign=(), pairs=(), vector=None)
    assert quoted_figures(q) == ("10Gbps",), "5G is a name, not a figure"
    assert "10倍" in _without(quoted_figures(q), "5G-A峰值速率达10Gbps,较5G提升10倍"), "the answer's 10 is not the quoted 10Gbps"


def test_a_place_inside_a_word_is_no_other_place():
    from qa.analysis import Query
    from qa.decide import _place_ok

    q = Query(text="", language="zh-Hans", tokens={}, bigrams={}, unknown=0.0, foreign=(), pairs=(), vector=None, places=("杭州",))
    places, words = frozenset({"中国", "大城", "杭州", "成都"}), Tokenizer().words
    assert _place_ok(q, "该市在发展中国家中领先,平均办事耗时2天。", "杭州城市大脑", places, words)
    assert _place_ok(q, "该市是超大城市,日均处理数据超100TB。", "杭州城市大脑", places, words)
    assert not _place_ok(q, "成都日均处理数据超100TB。", "杭州城市大脑", places, words)


def test_adverbs_and_pronouns_name_no_attribute_an_english_verb_yields_to_a_noun():
    words = Tokenizer().words
    assert asked_attribute("報告說2024年中國智慧經濟核心產業規模到底多少？", "zh-Hant", words) == ("产业",)
    assert "怎么样" not in asked_attribute("数据脱敏系统部署得怎么样，多少城市上了？", "zh-Hans", words)
    noun = {"gdp": False, "came": False, "economy": True}.get
    assert asked_attribute("What share of the digital economy came from Shenzhen?", "en", words, noun) == ("economy",)
    assert asked_attribute("What share of China's GDP came from it?", "en", words, noun) == ("gdp",), "an acronym names a thing"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "section"),
    [("深圳公安哪一年建成了智慧警务云？", "3.3.3"), ("京通APP的AI政策匹配系统是哪一年上线的？", "4.1.2"),
     ("When did Beijing's Jingtong app launch its AI policy-matching system?", "4.1.2"),
     ("When was the Overall Layout Plan for Digital China released?", "3.2.3")],
)
def test_a_start_year_the_report_states_is_answered(retriever, question, section):
    """The dev split's start-year questions are all near misses; the model must not learn that
    every "when did X launch" is one."""
    a = retriever.ask(question)
    assert a.status == Status.ANSWERED and a.hits[0].section_id == section and "2024" in a.hits[0].answer


def test_cheng_of_jicheng_is_the_unit_of_a_share_not_what_is_asked():
    attribute = asked_attribute("2022年我国数字经济在GDP里大概占到几成？", "zh-Hans", Tokenizer().words)
    assert "成" not in attribute


@pytest.mark.slow
def test_a_noun_jieba_also_tags_as_a_verb_is_what_is_asked(retriever):
    q = retriever._analyse("What percentage of city revenue does data trading bring in?")
    assert q.attribute_en == "revenue", "收入 is tagged v, but revenue is what is asked"


def test_what_is_asked_is_read_past_a_long_preamble(retriever):
    long = ("I'm writing about the gap between urban governance goals and outcomes. According to the UN-Habitat report "
            "the authors cite, what proportion of city governance projects globally manage to meet all four goals at once?")
    q = retriever._analyse(long)
    assert q.asked == "share" and q.attribute_en == "manage", "not cut to 'what p' where keyword search stops reading"


@pytest.mark.parametrize(
    ("question", "language", "not_it"),
    [("How much faster are business subsidies now paid out to companies?", "en", "out"),
     ("新加坡主動推送服務的平台叫什麼名字？", "zh-Hant", "名字"),
     ("2024年全球区块链市场规模多少来着？", "zh-Hans", "来")],  # 来着: "what was it again"
)
def test_particles_and_name_words_are_not_what_is_asked(question, language, not_it):
    assert not_it not in asked_attribute(question, language, Tokenizer().words)


def test_a_question_asking_no_type_is_answered_by_the_passage_that_covers_it(retriever):
    """"Not stated" is about a figure, year, body or place; a "why" has none to miss."""
    a = retriever.ask("某城市AI交通调度系统预测准确率连六成都不到，报告认为是什么原因？")
    assert a.status == Status.ANSWERED and a.hits[0].section_id == "6.1.1"


def test_the_answering_sentence_holds_a_span_of_the_asked_type(retriever):
    # §2.2.2 describes the traditional model in one sentence and gives its duration in another.
    a = retriever.ask("传统的层级化官僚化治理模式下，发展中国家办一件事平均要几天？")
    assert a.hits[0].section_id == "2.2.2" and "15天" in a.hits[0].answer


def test_a_sentence_sharing_only_the_asked_attribute_binds_nothing(retriever):
    from qa.decide import _shares_more
    from qa.question import check

    q = retriever.analyser.analyse(check("Who developed Singapore's LifeSG platform?", 2000))
    kw = retriever.keywords
    rows = {kw.simplified(r): r for r in range(len(retriever.index.sentences))}
    method = next(r for t, r in rows.items() if "世界银行" in t and "发展" in t)  # names 发展 ("developed") only
    lifesg = next(r for t, r in rows.items() if "LifeSG" in t)
    assert not _shares_more(q, kw.sentence_tokens(method), method, kw)
    assert _shares_more(q, kw.sentence_tokens(lifesg), lifesg, kw)


def test_a_count_of_four_digits_is_no_year():
    sentence = "2025年,广州通过AI翻译技术,为2000余名外籍人士提供了政务服务"
    assert holds("count", sentence) and years(sentence) == {"2025"}
    assert holds("count", "整合全市2000多个应用场景") and not holds("year", "整合全市2000多个应用场景")
    assert not holds("count", "2025年上线") and years("2024年和2025年") == {"2024", "2025"}


def test_the_name_a_who_question_asks_about_is_not_its_answer(retriever):
    from qa.decide import _without_own_names
    from qa.question import check

    q = retriever.analyser.analyse(check("Who developed Singapore's LifeSG platform?", 2000))
    sentence = '-精准服务推送:基于市民画像的"LifeSG"平台,主动推送个性化服务。'
    assert holds("org", sentence) and not holds("org", _without_own_names(q, sentence, retriever.index))
    other = retriever.analyser.analyse(check("Which company co-developed Hangzhou's city-event dispatch system?", 2000))
    assert "杭州" in other.places
    assert _without_own_names(other, "阿里云与杭州合作开发的系统", retriever.index) == "阿里云与 合作开发的系统"


def test_a_how_many_question_is_stated_only_where_its_thing_is_counted(retriever):
    from qa.calibration import STATED_FEATURES, stated_features
    from qa.decide import statement
    from qa.question import check
    from qa.retriever import Options

    def features(text):
        q = retriever.analyser.analyse(check(text, 2000))
        st = statement(q, retriever._rank(q, 3, Options()), retriever.keywords, retriever.composer.chunks_of)
        x = stated_features(st, q)
        return x[STATED_FEATURES.index("counted")], x[STATED_FEATURES.index("uncounted")]

    assert features("How many foreign nationals has Guangzhou served through its bilingual instant approval service?") == (1.0, 0.0)
    assert features("How many staff work at Shanghai's municipal city operations center?") == (0.0, 1.0)  # 1个市级城运中心
    assert features("上海一网统管的风险预警模型准确率是多少？") == (0.0, 0.0)  # not a count
    a = retriever.ask("How many users does Beijing's Jingtong app have?")
    assert a.status == Status.NOT_STATED and "users" in a.reason


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("巴塞罗那那个平台有多少人参与过？", ()),  # people, not 人参 (ginseng), as jieba cuts 多少人参与
        ("杭州城市大脑复制到了多少个城市？", ("城市",)),
        ("这个城市有多少人口？", ("人口",)),
    ],
)
def test_the_thing_a_chinese_how_many_question_counts(retriever, question, counted):
    from qa.question import check

    assert retriever.analyser.analyse(check(question, 2000)).counted == counted


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("現在全國到底有幾所大學開了智慧城市這個專業？", "所"),
        ("杭州民呼我为平台一共收集了多少条市民建议？", "条"),
        ("杭州城市大脑复制到了多少个城市？", ""),  # 个 fits any thing
        ("智慧城市专业的高校是哪一年开设的？", ""),  # not a count
    ],
)
def test_the_measure_word_a_chinese_count_question_counts_by(retriever, question, unit):
    from qa.question import check

    assert retriever.analyser.analyse(check(question, 2000)).unit == unit


def test_a_number_by_the_asked_measure_word_names_the_counted_thing(retriever):
    """The report says 高校 (89所) where the asker says 大学, and 收集建议超10万条 where the asker
    counts 市民建议: the measure word binds the count."""
    from qa.compose import counts_by

    assert counts_by("全国开设智慧城市专业的高校仅89所", "所") and counts_by("平台收集建议超10万条", "条")
    assert not counts_by("全国开设智慧城市专业的高校很少", "所") and not counts_by("89所", "")
    assert not counts_by("2024年开通3所", "条")
    for question, section, figure in (("現在全國到底有幾所大學開了智慧城市這個專業？", "6.3.2", "89所"),
                                      ("杭州「民呼我為」平臺一共收集了多少條市民建議？", "7.2.2", "10萬條")):
        a = retriever.ask(question)
        assert a.status == Status.ANSWERED and a.hits[0].section_id == section and figure in a.hits[0].answer


def test_a_firm_the_dictionary_names_answers_a_which_company_question(retriever):
    """jieba tags no firm in 「依托华为鲲鹏生态」; CC-CEDICT knows 华为 as a brand."""
    assert "华为" in retriever.index.bodies
    a = retriever.ask("深圳那個城市智能體，算力平臺是靠哪家的生態搭起來的？")
    assert a.status == Status.ANSWERED and a.hits[0].section_id == "5.1.1" and "華為" in a.hits[0].answer


def test_a_place_the_report_leaves_unnamed_is_not_stated(retriever):
    # The report writes 「某省会城市」: the figures are there, the city is not.
    a = retriever.ask("政務數據開放率只有38%的那個省會城市是哪一個？")
    assert a.status == "not_stated" and a.hits[0].section_id == "6.1.1"
    assert "省會城市" in a.reason


def test_a_word_the_sentence_lost_one_character_of_to_mojibake_is_still_named():
    from qa.decide import _holds_word

    assert _holds_word("规模", "2024年全球区块链〓模达2000亿美元")
    assert not _holds_word("规模", "2024年全球区块链达2000亿美元")
    assert not _holds_word("规模", "〓〓达2000亿美元"), "one lost character, not the whole word"


def test_a_sentence_on_the_asked_place_is_not_outweighed_by_a_longer_one_on_another(retriever, monkeypatch):
    """"Chengdu rainstorm warning lead time": 7.1.2 says 成都已实现暴雨预警提前48小时; Shanghai's
    sentence on the same warnings (4.1.1) shares more words but is about another city."""
    a = retriever.ask("Chengdu rainstorm warning lead time")
    assert a.found and a.hits[0].section_id == "7.1.2" and "48" in a.hits[0].answer
    monkeypatch.setattr("qa.decide.OTHER_PLACE_SHARE", 1.01)  # any better-sharing sentence elsewhere
    a = retriever.ask("Chengdu rainstorm warning lead time")
    assert a.status == "not_stated" and "上海" in a.reason


def test_a_decade_or_a_count_of_two_thousand_is_no_year():
    from qa.spans import periods

    assert years("2020年代,AI技术的爆发式增长标志着智能经济的正式登场。") == set()
    assert years("2000余个场景，较2020年增长近一倍") == {"2020"}
    assert periods("十四五期间，到2025年") == {"十四五", "2025"}


def test_ai_reads_as_the_report_writes_it_and_in_english_as_its_phrase_too(retriever):
    """The report writes AI and 人工智能: an English question's "AI" searches both; a Chinese
    question's AI is the report's own word, searched as it is."""
    from qa.question import check

    en = retriever.analyser.analyse(check("How large was China's AI industry in 2020?", 2000))
    assert en.tokens.get("ai") == 1.0 and 0 < en.tokens.get("人工智能", 0) < 1.0
    zh = retriever.analyser.analyse(check("北京京通APP的AI政策匹配让申报时间缩短了多少？", 2000))
    assert "ai" in zh.tokens and "人工智能" not in zh.tokens


def test_a_word_for_years_is_what_a_year_question_asks_not_an_attribute_of_it(retriever):
    """「覆盖哪些年份」 asks for years; 年份 is no word the answering sentence must hold."""
    from qa.question import check

    q = retriever.analyser.analyse(check("这份研究的时间范围涵盖哪些年份？", 2000))
    assert q.asked == "year" and "年份" not in q.attribute
    a = retriever.ask("報告研究覆蓋哪些年份？")
    assert a.status == Status.ANSWERED and a.hits[0].section_id == "1.2.2" and "2020-2035" in a.hits[0].answer


@pytest.mark.slow
def test_a_national_count_is_stated_by_its_clause_when_cities_are_named_in_another(retriever):
    # 「地方层面,28个省份出台智慧城市专项规划,深圳、上海等城市设立百亿级数字经济基金」
    a = retriever.ask("How many provinces in China have put out their own dedicated smart city plans?")
    assert a.status == Status.ANSWERED and "28" in a.hits[0].answer
    # A city's figure is still not stated by a clause on another city's (only China is read by clause).
    b = retriever.ask("How many registered users does Beijing's Jingtong government-services app have?")
    assert b.status != Status.ANSWERED


@pytest.mark.slow
def test_a_unit_after_its_figure_is_no_body_that_answers_who(retriever):
    # 「…数据总量达50PB」 names no company: the report does not say who built the City Brain.
    a = retriever.ask("Which company developed Hangzhou's City Brain?")
    assert a.status == Status.NOT_STATED and a.hits[0].section_id == "3.3.1"


@pytest.mark.slow
@pytest.mark.parametrize("question", ["珠三角地区开办一家企业要几个工作日？", "How long does it take to open a business in the Pearl River Delta?"])
def test_a_figure_given_for_one_city_cluster_is_not_stated_for_another(retriever, question):
    # The report gives 0.5 working days for 长三角 only.
    a = retriever.ask(question)
    assert a.status == Status.NOT_STATED
    assert retriever.ask("长三角企业开办要多久？").status == Status.ANSWERED


def test_a_figure_in_a_clause_on_another_place_is_that_places():
    from qa.analysis import Query
    from qa.decide import _figure_place_ok

    class Index:
        places, bodies = frozenset({"北美", "欧洲", "上海"}), frozenset()

        class tokenizer:
            @staticmethod
            def words(text):
                return [p for p in ("北美", "欧洲", "上海") if p in text]

    europe = Query(text="", language="en", tokens={}, bigrams={}, unknown=0.0, foreign=(), pairs=(), vector=None,
                   places=("欧洲",), asked="share")
    assert not _figure_place_ok(europe, "北美和欧洲凭借技术优势,主导高端市场,2024年北美智能经济份额达40%", Index())
    assert _figure_place_ok(europe, "北美和欧洲的份额分别达40%和25%", Index()), "both places in the figure's clause"
    assert _figure_place_ok(europe, "欧洲凭借技术优势,份额达25%", Index()), "a clause naming no place is the sentence's"


def test_a_traditional_question_quotes_its_figures_in_the_reports_simplified_reading():
    from qa.analysis import Query
    from qa.decide import _without, quoted_figures

    q = Query(text="報告說複合型人才缺口約300萬，東部和中西部地區各缺多少？", language="zh-Hant", tokens={}, bigrams={},
              unknown=0.0, foreign=(), pairs=(), vector=None)
    assert quoted_figures(q) == ("300万",)
    assert not holds("quantity", _without(quoted_figures(q), "复合型人才缺口达300万。"))


@pytest.mark.parametrize(
    ("sentence", "dated"),
    [("2024年,北京京通APP上线AI政策匹配系统", True), ("从2015年互联网+战略到2024年东数西算工程,智能经济从小规模试点扩展", True),
     ("区域协同治理:在长三角等区域建立智慧城市群联盟,2025年实现300项政务服务跨省通办", False),
     ("2025年,全国数据共享率达到60%", False)],
)
def test_a_start_year_is_dated_by_a_start_in_its_own_clause(sentence, dated):
    assert holds("start", sentence) is dated


@pytest.mark.slow
def test_another_regions_share_in_the_same_sentence_is_not_stated(retriever):
    a = retriever.ask("What share of the global intelligent economy does Europe account for?")
    assert a.status == Status.NOT_STATED and a.hits[0].section_id == "2.1.3"
    b = retriever.ask("2024年北美智能经济份额是多少？")
    assert b.status == Status.ANSWERED and "40%" in b.hits[0].answer


@pytest.mark.parametrize(
    ("sentence", "national"),
    [("2024年,全国300余个城市部署了智能电网系统,年节约用电超200亿度。", True),
     ("环境监测方面,全国337个地级市建成空气质量微站网络,PM2.5预测准确率达85%", True),
     ("该模式已被复制至全国50余个城市,带动相关产业规模超2000亿元。", False),  # Hangzhou's model, counted nationwide
     ("2024年,该标准被纳入国家标准体系,覆盖全国30余个城市。", False)],
)
def test_a_sentence_opening_on_the_nation_gives_no_citys_figure(sentence, national):
    from qa.analysis import Query
    from qa.decide import _national_subject, _place_ok

    assert _national_subject(sentence) is national
    shanghai = Query(text="", language="en", tokens={}, bigrams={}, unknown=0.0, foreign=(), pairs=(), vector=None, places=("上海",))
    assert _place_ok(shanghai, sentence, "上海的做法") is not national
    china = Query(text="", language="en", tokens={}, bigrams={}, unknown=0.0, foreign=(), pairs=(), vector=None, places=("中国",))
    assert _place_ok(china, sentence, "")


@pytest.mark.parametrize(
    ("kind", "sentence", "stated"),
    [("quantity", "PM2.5预测系统覆盖全市", False), ("quantity", "5G基站覆盖全市", False), ("quantity", "L4级自动驾驶出租车上路", False),
     ("quantity", "峰值速率达10Gbps", True), ("share", "PM2.5预测准确率达85%", True), ("count", "部署5G基站3万个", True),
     ("count", "北京亦庄自动驾驶测试100万公里", False), ("count", "全国50余个城市", True),
     ("duration", "交通领域实现秒级响应", False), ("duration", "企业开办时间压缩至0.5个工作日", True), ("time", "交通领域实现秒级响应", True)],
)
def test_digits_of_a_name_state_no_figure_and_a_duration_asked_in_units_is_a_number(kind, sentence, stated):
    assert holds(kind, sentence) is stated


@pytest.mark.slow
def test_minutes_asked_are_not_stated_by_a_seconds_level_response(retriever):
    a = retriever.ask("杭州城市大腦上線後，救護車到達現場平均只需要幾分鐘？")
    assert a.status == Status.NOT_STATED and a.hits[0].section_id == "3.3.1"


@pytest.mark.slow
def test_a_city_cc_cedict_knows_and_the_report_never_names_is_not_covered(retriever):
    a = retriever.ask("報告如何評價首爾的智慧城市經驗？")
    assert a.status == Status.NOT_COVERED and "首" in a.reason
