"""The Gradio app: the /search endpoint through gradio_client, and the HTML it renders."""

from __future__ import annotations

import threading

import pytest

gr = pytest.importorskip("gradio")
gradio_client = pytest.importorskip("gradio_client")

from qa import web  # noqa: E402
from qa.types import Answer, Hit, Status  # noqa: E402

pytestmark = pytest.mark.slow

HANGZHOU_ZH = "杭州城市大脑每天处理多少数据？"
HANGZHOU_EN = "How much data does Hangzhou's City Brain process each day?"


@pytest.fixture(scope="module")
def server(app_url):
    return app_url


@pytest.fixture(scope="module")
def client(server):
    return gradio_client.Client(server, verbose=False)


def test_search_chinese_question_cites_hangzhou_city_brain(client):
    result = client.predict(HANGZHOU_ZH, 5, api_name="/search")
    assert result["found"] is True
    assert result["query_language"] == "zh-Hans"
    assert result["hits"][0]["section_id"] == "3.3.1"
    top = result["hits"][0]
    assert top["answer"] in top["text"]
    assert "100TB" in top["answer"]
    assert top["citation"] == "§3.3.1 杭州城市大脑"
    assert {"section_title", "section_title_en", "score", "also_in"} <= top.keys()
    assert len(result["hits"]) <= 5


def test_search_english_question_has_english_titles(client):
    result = client.predict(HANGZHOU_EN, 3, api_name="/search")
    assert result["query_language"] == "en"
    ids = [h["section_id"] for h in result["hits"]]
    assert "3.3.1" in ids[:3]
    assert all(h["section_title_en"] for h in result["hits"])
    assert next(h for h in result["hits"] if h["section_id"] == "3.3.1")["section_title_en"] == "Hangzhou City Brain"


def test_search_off_topic_question_is_not_found(client):
    result = client.predict("今天北京天气怎么样？", 5, api_name="/search")
    assert result["found"] is False
    assert result["reason"]


@pytest.mark.parametrize("k", [0, 51, -3])
def test_search_bad_k_returns_error_object(client, k):
    result = client.predict(HANGZHOU_ZH, k, api_name="/search")
    assert set(result) == {"error", "detail"}
    assert "k" in result["error"]


def test_search_overlong_question_is_refused_and_server_keeps_serving(client, retriever):
    cap = retriever.config.max_question_chars
    result = client.predict("杭" * 5000, 5, api_name="/search")
    assert set(result) == {"error", "detail"}
    assert str(cap) in result["error"]
    again = client.predict(HANGZHOU_ZH, 2, api_name="/search")
    assert again["hits"][0]["section_id"] == "3.3.1"


def test_search_serves_concurrent_clients(server):
    results: list = []

    def ask() -> None:
        c = gradio_client.Client(server, verbose=False)
        results.append(c.predict(HANGZHOU_EN, 2, api_name="/search"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(results) == 8
    assert all(r["hits"][0]["section_id"] == "3.3.1" for r in results)


def test_app_queue_allows_eight_concurrent_requests(server, retriever):
    demo = web.build_app(retriever)
    assert demo._queue.default_concurrency_limit == 8
    assert demo._queue.max_size and demo._queue.max_size >= 8


# --- rendering, without a server ---------------------------------------------------------


def _hit(**kw) -> Hit:
    base = dict(
        section_id="3.3.1",
        section_title="杭州城市大腦",
        section_title_en="Hangzhou City Brain",
        section_path=("發展現狀", "融合實踐典型案例", "杭州城市大腦"),
        text="前文。日均處理數據量超100TB。後文。",
        answer="日均處理數據量超100TB。",
        score=9.0,
        also_in=("4.1.1",),
        matched_terms=(("數據", "data"), ("救護車", "ambulance")),
    )
    base.update(kw)
    return Hit(**base)


def test_render_escapes_script_everywhere():
    evil = "<script>alert(1)</script>"
    hit = _hit(
        section_title=f"標題{evil}",
        text=f"前文{evil}。日均<b>處理</b>。後文<img src=x onerror=alert(1)>",
        answer="日均<b>處理</b>。",
        matched_terms=((evil, evil),),
    )
    page = web.render_answer(Answer(evil, Status.ANSWERED, "zh-Hant", (hit,)))
    assert "<script" not in page
    assert "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark>日均&lt;b&gt;處理&lt;/b&gt;。</mark>" in page
    question = web.render_question("<img src=x onerror=alert(1)>")
    assert "<img" not in question
    assert "&lt;img src=x onerror=alert(1)&gt;" in question


def test_render_marks_answer_and_shows_citation_and_labels():
    hits = (_hit(), _hit(section_id="4.1.1", section_title="數據驅動精準治理", score=8.0, also_in=()), _hit(section_id="6.2", score=1.0, also_in=()))
    page = web.render_answer(Answer("q", Status.ANSWERED, "zh-Hant", hits))
    assert "<mark>日均處理數據量超100TB。</mark>" in page
    assert "§3.3.1 杭州城市大腦" in page
    assert "另見 <a class='qa-open' href='#open=%234.1.1'>§4.1.1</a>" in page
    assert page.index("最佳匹配") < page.index("高度相關") < page.index("相關</span>", page.index("高度相關") + 5)
    assert "\n" not in page  # one HTML block: a blank line would end it inside the chatbot's Markdown


def test_render_english_puts_english_title_first_and_glosses_terms():
    page = web.render_answer(Answer("q", Status.ANSWERED, "en", (_hit(),)))
    assert page.index("Hangzhou City Brain") < page.index("杭州城市大腦")
    assert "救護車 = ambulance" in page
    assert "best match" in page and "also in <a class='qa-open'" in page and "§4.1.1</a>" in page


def test_render_not_found_says_so_and_lists_nearest_sections():
    reason = "報告中似乎沒有回答這個問題的內容；以下是最接近的章節。"
    page = web.render_answer(Answer("q", Status.NOT_COVERED, "zh-Hant", (_hit(),), reason=reason))
    assert reason in page
    assert "最接近的章節" in page
    assert "最佳匹配" not in page
    en = web.render_answer(Answer("q", Status.NOT_COVERED, "en", (_hit(),), reason=""))
    assert "does not seem to answer" in en and "Nearest sections" in en


def test_highlight_falls_back_when_answer_is_not_in_text():
    out = web.highlight("abc <i>", "x<y")
    assert out.startswith("<mark>x&lt;y</mark>") and "&lt;i&gt;" in out


def test_relevance_labels_follow_rank_and_score():
    assert web.relevance(0, 10.0, 10.0, True) == "best"
    assert web.relevance(1, 8.0, 10.0, True) == "strong"
    assert web.relevance(2, 3.0, 10.0, True) == "related"
    assert web.relevance(0, 10.0, 10.0, False) == "nearest_label"


def test_overlong_question_notice_is_in_the_askers_language():
    assert "上限" in web._t("too_long", web.language_of("杭州" * 10), n=5000, cap=2000)
    assert "at most 2,000" in web._t("too_long", web.language_of("How much data"), n=5000, cap=2000)


def test_render_not_stated_shows_a_banner_and_no_best_match_badge():
    reason = "报告讨论了杭州城市大脑（§3.3.1），但没有给出「工作人员」的具体数字。以下是最接近的段落。"
    page = web.render_answer(Answer("q", Status.NOT_STATED, "zh-Hans", (_hit(),), reason=reason))
    assert "报告未提及" in page and reason in page and "data-status='not_stated'" in page
    assert "最佳匹配" not in page and "最接近" in page
    en = web.render_answer(Answer("q", Status.NOT_STATED, "en", (_hit(),), reason="The report covers X"))
    assert en.index("Not stated in the report") < en.index("The report covers X") and "best match" not in en


def test_english_askers_read_the_english_edition_with_the_chinese_original_one_click_away():
    hit = _hit(text_en="Before. It processes over 100 TB of data a day. After.", answer_en="It processes over 100 TB of data a day.",
               english="edition")
    page = web.render_answer(Answer("q", Status.ANSWERED, "en", (hit,)))
    assert "<mark>It processes over 100 TB of data a day.</mark>" in page
    assert page.index("<mark>It processes") < page.index("<details") < page.index("<mark>日均處理數據量超100TB。</mark>")
    assert "Chinese original (authoritative)" in page and "translation made for this tool" in page
    zh = web.render_answer(Answer("q", Status.ANSWERED, "zh-Hant", (hit,)))
    assert zh.index("<mark>日均處理數據量超100TB。</mark>") < zh.index("<details") and "英文譯文" in zh
    gloss = web.render_answer(Answer("q", Status.ANSWERED, "en", (_hit(answer_en="daily · process · data · 100TB", english="gloss"),)))
    assert "Word-by-word gloss, not a translation: daily · process · data · 100TB" in gloss
    assert "<mark>日均處理數據量超100TB。</mark>" in gloss


def test_an_answer_opens_with_its_card_and_folds_all_but_the_first_source():
    hits = (_hit(), _hit(section_id="4.1.1", section_title="數據驅動精準治理", score=8.0, also_in=()),
            _hit(section_id="6.2", score=1.0, also_in=()))
    page = web.render_answer(Answer("q", Status.ANSWERED, "zh-Hant", hits))
    card = page.index("qa-card")
    assert card < page.index("qa-hit") and page.index("日均處理數據量超100TB。") < page.index("qa-hit")
    assert page.index("§3.3.1 杭州城市大腦") < page.index("qa-hit")
    assert page.count("<details class='qa-more'>") == 1 and "另外 2 個來源" in page
    assert page.index("<details class='qa-more'>") < page.index("數據驅動精準治理")


def test_a_reply_that_is_not_an_answer_highlights_nothing_and_folds_the_nearest():
    reason = "報告中似乎沒有回答這個問題的內容；以下是最接近的章節。"
    page = web.render_answer(Answer("q", Status.NOT_COVERED, "zh-Hant", (_hit(), _hit(section_id="6.2")), reason=reason))
    assert "<mark>" not in page and "qa-refusal" in page
    assert page.index(reason) < page.index("<details") < page.index("qa-hit")
    assert "最接近的章節 (2)" in page


@pytest.mark.parametrize(("question", "says"), [("你好", "可以这样问"), ("謝謝", "可以這樣問"), ("hello", "Try:"), ("help", "Try:")])
def test_small_talk_gets_a_chat_reply_with_examples_not_a_search(retriever, question, says):
    a = retriever.ask(question)
    assert a.status == Status.NOT_COVERED and not a.hits and says in a.reason


def test_section_links_carry_only_a_quoted_key():
    link = web.section_link("x' onclick='alert(1)", "3.3.1", "§3.3.1")
    assert "onclick=" not in link.replace("%27%20onclick%3D%27", "") and "'" not in link.split("href=")[1][1:-len("'>§3.3.1</a>")]
    assert link.startswith("<a class='qa-open' href='#open=x%27%20onclick%3D%27alert%281%29%233.3.1'>")


def test_search_takes_the_conversation_as_context(client):
    result = client.predict("它覆盖了多少高频事项？", 3, ["深圳的秒批系统平均办理时间是多少？"], api_name="/search")
    assert "秒批" in result["interpreted_as"] and result["hits"][0]["section_id"] == "5.1.1"
    alone = client.predict("它覆盖了多少高频事项？", 3, api_name="/search")
    assert alone["interpreted_as"] == alone["question"]


def test_the_chat_reads_follow_ups_against_its_turns_until_a_new_topic(retriever):
    from qa.web.chat import Chat

    chat = Chat(retriever)
    turns = chat.respond("深圳的秒批系统平均办理时间是多少？", [], 3, "Auto", None)[-1]
    messages, _, _, _, _, turns = chat.respond("它覆盖了多少高频事项？", turns, 3, "Auto", None)
    assert "按此检索" in messages[-1]["content"] and "秒批系统覆盖了多少高频事项" in messages[-1]["content"]
    assert "95%" in messages[-1]["content"]
    messages, turns = chat.new_topic(turns, "zh-Hans", "Auto")
    assert messages[-1]["role"] == "assistant" and "新话题" in messages[-1]["content"]
    assert Chat.context_of(turns) == []
    messages, *_, turns = chat.respond("覆盖了多少高频事项？", turns, 3, "Auto", None)
    assert "按此检索" not in messages[-1]["content"], "after a new topic nothing is read against the old one"
    # the switch re-renders each turn with the context it was asked in
    again, _, _ = chat.rerender(turns, "繁體")
    assert "按此檢索" in again[3]["content"] and "秒批系统覆盖" in again[3]["content"], "the question searched stays as asked"
    assert "報告中的回答" in again[3]["content"]


def test_a_disputed_figure_is_flagged_in_the_card_and_both_passages_are_open(retriever):
    page = web.render_answer(retriever.ask("60岁以上群体智能政务服务使用率是多少？", k=5))
    card = page[: page.index("</div>") + 6]
    assert "qa-conflict" in card and "报告中的数字不一致" in card and "§4.3.3" in card
    folded = page[page.index("<details class='qa-more'>"):] if "<details class='qa-more'>" in page else ""
    assert "§4.3.3" not in folded.split("</summary>", 1)[-1].split("qa-cite")[0], "the disagreeing passage is not folded away"
    assert page.index("提升至45%") < (page.index("<details class='qa-more'>") if folded else len(page))


def test_an_outline_answer_lists_every_part_open_with_a_lead(retriever):
    page = web.render_answer(retriever.ask("What does chapter 5 cover?"))
    assert "data-kind='outline'" in page and "§5: 4 parts" in page
    assert "<details class='qa-more'>" not in page and "qa-badge" not in page
    assert page.count("class='qa-hit'") == 4
    assert "Practice Models of Leading Chinese Cities" in page


def test_a_question_asked_on_a_cleared_chat_starts_afresh_whatever_the_kept_turns_say(retriever):
    """The page's clear and the next question race; what the page shows (nothing) wins."""
    from qa.web.chat import Chat

    chat = Chat(retriever)
    messages, *_, turns = chat.respond("深圳的秒批系统平均办理时间是多少？", [], 3, "Auto", None)
    after, *_, kept = chat.respond("它覆盖了多少高频事项？", turns, 3, "Auto", None, None, [])
    assert len(after) == 2 and len(kept) == 1, "the cleared turn does not come back"
    assert "按此检索" not in after[-1]["content"], "nor is the new question read against it"
    again, *_ = chat.respond("它覆盖了多少高频事项？", turns, 3, "Auto", None, None, messages)
    assert len(again) == 4, "a chat on screen keeps its turns"
