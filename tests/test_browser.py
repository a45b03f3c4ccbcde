"""The chat page in Debian's chromium: answers, citations, highlighting, escaping, the reader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("gradio")
sync_api = pytest.importorskip("playwright.sync_api")



pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
XSS = "<img src=x onerror=alert(1)>"
BOT = "#qa-chat [data-testid='bot']"
TIMEOUT_MS = 30_000

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def url(app_url):
    return app_url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture()
def page(browser, url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.goto(url)
    pg.wait_for_selector("#qa-question textarea", timeout=TIMEOUT_MS)
    yield pg
    context.close()


def ask(page, question: str):
    """Type ``question``, send it, and return the locator of the new bot message."""
    before = page.locator(BOT).count()
    page.fill("#qa-question textarea", question)
    page.click("#qa-ask")
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length > n", arg=[BOT, before], timeout=TIMEOUT_MS
    )
    return page.locator(BOT).nth(before)


def test_chat_cites_highlights_and_shows_question_as_text(page):
    zh = ask(page, "杭州城市大脑每天处理多少数据？")
    assert "§3.3.1 杭州城市大脑" in zh.inner_text()
    card = zh.locator(".qa-card")
    assert card.count() == 1 and "100TB" in card.inner_text(), "the reply opens with the answer card"
    page.wait_for_timeout(300)
    box, chat = card.bounding_box(), page.locator("#qa-chat").bounding_box()
    top, bottom = max(0, chat["y"]), min(page.viewport_size["height"], chat["y"] + chat["height"])
    assert top - 2 <= box["y"] < bottom - 40, f"the answer card's top must be in view, not at y={box['y']:.0f} ({top:.0f}-{bottom:.0f})"
    assert zh.locator("mark").count() >= 1
    assert "100TB" in zh.locator("mark").first.inner_text()
    sync_api.expect(page.locator("#qa-reader")).to_contain_text("3.3.1 杭州城市大脑", timeout=TIMEOUT_MS)
    sync_api.expect(page.locator("#qa-reader")).to_contain_text("100TB")
    sync_api.expect(page.locator("#qa-citations textarea")).to_have_value(re.compile("§3.3.1 杭州城市大脑"))

    en = ask(page, "How much data does Hangzhou's City Brain process each day?")
    text = en.inner_text()
    assert "§3.3.1 Hangzhou City Brain" in text
    assert "= data" in text  # matched terms with glosses
    assert en.locator("mark").count() >= 1

    evil = ask(page, XSS)
    evil.wait_for(timeout=TIMEOUT_MS)
    chat = page.locator("#qa-chat")
    assert chat.locator("img[src='x']").count() == 0
    assert chat.locator("script").count() == 0
    sync_api.expect(chat.get_by_text(XSS, exact=True)).to_be_visible()
    page.wait_for_timeout(500)  # an onerror handler would have fired by now
    assert page.dialogs == []

    ARTIFACTS.mkdir(exist_ok=True)
    en.locator(".qa-hit").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "ui.png"), full_page=True)
    assert (ARTIFACTS / "ui.png").stat().st_size > 10_000


def test_each_new_answer_card_comes_into_view_even_after_scrolling_up(page):
    ask(page, "杭州城市大脑每天处理多少数据？")
    ask(page, "How fast do ambulances arrive in Hangzhou?")
    page.evaluate("document.querySelectorAll('#qa-chat *').forEach(e => { if (e.scrollHeight > e.clientHeight) e.scrollTop = 0; })")
    reply = ask(page, "深圳公交调度精准度提升了多少？")
    card = reply.locator(".qa-card")
    page.wait_for_timeout(300)
    box, chat = card.bounding_box(), page.locator("#qa-chat").bounding_box()
    top, bottom = max(0, chat["y"]), min(page.viewport_size["height"], chat["y"] + chat["height"])
    assert top - 2 <= box["y"] < bottom - 40, f"the new answer card must be in view, not at y={box['y']:.0f} ({top:.0f}-{bottom:.0f})"


def test_a_citation_or_also_in_link_opens_that_section_in_the_reader(page):
    reply = ask(page, "杭州城市大脑接入的城市数据总量有多少？")
    links = reply.locator("a.qa-open")
    assert links.count() >= 2
    also = reply.locator(".qa-also a.qa-open").first
    from urllib.parse import unquote

    key = unquote(also.get_attribute("href").removeprefix("#open="))
    section = key.split("#", 1)[1]
    also.click()
    sync_api.expect(page.locator("#qa-reader")).to_contain_text(f"{section} ", timeout=TIMEOUT_MS)
    assert "§" + section in also.inner_text()


def test_an_example_asks_when_clicked(page):
    before = page.locator(BOT).count()
    page.get_by_text("How much faster do ambulances arrive in Hangzhou?", exact=True).click()
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n", arg=[BOT, before], timeout=TIMEOUT_MS)
    reply = page.locator(BOT).nth(before)
    assert "Hangzhou City Brain" in reply.inner_text() and "50%" in reply.locator(".qa-card").inner_text()


def test_overlong_question_is_refused_and_chat_goes_on(page):
    refused = ask(page, "城市" * 1500)
    assert "上限" in refused.inner_text() and "2000" in refused.inner_text()
    assert refused.locator(".qa-hit").count() == 0
    answered = ask(page, "杭州城市大腦每天處理多少數據？")
    assert "§3.3.1 杭州城市大腦" in answered.inner_text()  # Traditional question, Traditional answer


def test_off_topic_question_says_so_and_lists_nearest_sections(page):
    reply = ask(page, "今天北京天气怎么样？")
    text = reply.inner_text()
    assert "没有回答这个问题" in text
    assert "最接近的章节" in text
    assert reply.locator(".qa-hit").count() >= 1
    assert reply.locator("mark").count() == 0, "nothing in a refusal may read as an answer"
    hello = ask(page, "你好")
    assert "可以这样问" in hello.inner_text() and hello.locator(".qa-hit").count() == 0


def test_contents_opens_any_section_and_script_switch_converts_it(page):
    toc = page.locator("#qa-toc input")
    toc.click()
    toc.fill("5.2.1")
    page.keyboard.press("Enter")
    reader = page.locator("#qa-reader")
    sync_api.expect(reader).to_contain_text("5.2.1 新加坡", timeout=TIMEOUT_MS)
    sync_api.expect(reader).to_contain_text("全島感知網絡")
    page.locator("#qa-script").get_by_text("简体").click()
    sync_api.expect(reader).to_contain_text("全岛感知网络", timeout=TIMEOUT_MS)
    toc.click()
    toc.fill("对策")  # the Contents list is in the chosen script too
    sync_api.expect(page.get_by_role("option").filter(has_text="对策").first).to_be_visible(timeout=TIMEOUT_MS)
    page.keyboard.press("Escape")
    reply = ask(page, "数据共享率是多少？")
    assert "報告" not in reply.locator(".qa-status").first.inner_text()
    page.locator("#qa-script").get_by_text("繁體").click()
    reply = ask(page, "数据共享率是多少？")
    assert "報告中的回答" in reply.inner_text() or "報告未" in reply.inner_text(), "labels follow the script switch"


def test_on_a_phone_the_question_box_is_on_the_first_screen_and_nothing_overflows(browser, url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    try:
        pg.goto(url)
        pg.wait_for_selector("#qa-question textarea", timeout=TIMEOUT_MS)
        pg.wait_for_timeout(1000)  # the side panel folds itself on load
        for sel in ("#qa-question textarea", "#qa-ask"):
            box = pg.locator(sel).bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= 844, f"{sel} must be on the first screen: {box}"
        assert not pg.locator("#qa-toc").is_visible(), "settings, citations and contents start folded on a phone"
        reply = ask(pg, "杭州城市大脑每天处理多少数据？")
        assert "100TB" in reply.locator(".qa-card").inner_text()
        assert pg.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
        nested = pg.evaluate(
            "Array.from(document.querySelectorAll('#qa-chat *')).filter(e => { const s = getComputedStyle(e);"
            " return (s.overflowY === 'auto' || s.overflowY === 'scroll') && e.scrollHeight > e.clientHeight + 1; }).length"
        )
        assert nested == 0, "no scroll area inside the scrolling page"
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "phone.png"), full_page=True)
    finally:
        context.close()


ONE_OF_EACH = [
    # (question, the card's status class, a piece of the card's text, the Contents' script word)
    ("杭州城市大脑每天处理多少数据？", "qa-answered", "100TB", "对策"),
    ("How much data does Hangzhou's City Brain process each day?", "qa-answered", "100 TB", "對策"),
    ("今天北京天气怎么样？", "qa-not_covered", "", "对策"),
]


@pytest.mark.parametrize("viewport", [(1400, 1000), (390, 844)], ids=["desktop", "phone"])
def test_after_each_kind_of_question_the_card_is_in_view_and_copies_as_plain_text(browser, url, viewport):
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    pg = context.new_page()
    try:
        pg.goto(url)
        pg.wait_for_selector("#qa-question textarea", timeout=TIMEOUT_MS)
        pg.wait_for_timeout(1000)  # the side panel folds itself on load on a phone
        for sel in ("#qa-question textarea", "#qa-ask"):
            box = pg.locator(sel).bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= height, f"{sel} must be on the first screen: {box}"
        for question, status, fact, toc_word in ONE_OF_EACH:
            reply = ask(pg, question)
            pg.wait_for_timeout(300)
            card = reply.locator(".qa-card")
            box = card.bounding_box()
            assert 0 <= box["y"] < height - 40, f"the card of {question!r} must be in view, not at y={box['y']:.0f}"
            assert card.locator(f".qa-status.{status}").count() == 1, f"the card holds the status {status}"
            if status == "qa-answered":
                assert fact in card.inner_text() and "§3.3.1" in card.locator("code.qa-cite").inner_text()
            assert pg.evaluate("document.scrollingElement.scrollWidth <= innerWidth")

            pg.evaluate("navigator.clipboard.writeText('')")
            reply.locator("a.qa-copy").click()
            pg.wait_for_function("async () => (await navigator.clipboard.readText()).length > 0", timeout=TIMEOUT_MS)
            copied = pg.evaluate("navigator.clipboard.readText()")
            assert "<" not in copied and "class=" not in copied, copied[:200]
            assert card.locator(".qa-status").inner_text().strip() in copied
            if status == "qa-answered":
                assert fact in copied and "§3.3.1" in copied
            else:
                assert "§" in copied, "a refusal's copy lists the nearest sections' citations"

            # The Contents list follows the asker's script (English askers: the report's own script).
            options = pg.locator("#qa-toc input")
            if pg.locator("#qa-toc").is_visible():
                options.click()
                options.fill(toc_word)
                sync_api.expect(pg.get_by_role("option").filter(has_text=toc_word).first).to_be_visible(timeout=TIMEOUT_MS)
                pg.keyboard.press("Escape")

        pg.evaluate("navigator.clipboard.writeText('')")
        pg.click("#qa-copy-all")
        pg.wait_for_function("async () => (await navigator.clipboard.readText()).length > 0", timeout=TIMEOUT_MS)
        conversation = pg.evaluate("navigator.clipboard.readText()")
        assert "<" not in conversation
        assert all(f"Q: {q}" in conversation for q, *_ in ONE_OF_EACH)
        assert "100TB" in conversation and "100 TB" in conversation
    finally:
        context.close()


def test_the_script_switch_re_renders_earlier_answers_and_english_askers_get_english_labels(page):
    first = ask(page, "杭州城市大脑每天处理多少数据？")
    assert "杭州城市大脑" in first.inner_text() and "报告中的回答" in first.inner_text()
    sync_api.expect(page.locator("#qa-ask")).to_have_text("提问", timeout=TIMEOUT_MS)
    page.locator("#qa-script").get_by_text("繁體").click()
    earlier = page.locator(BOT).first
    sync_api.expect(earlier).to_contain_text("杭州城市大腦", timeout=TIMEOUT_MS)
    sync_api.expect(earlier).to_contain_text("報告中的回答")
    assert "杭州城市大脑" not in earlier.inner_text(), "the earlier answer is now wholly in Traditional script"
    sync_api.expect(page.locator("#qa-ask")).to_have_text("提問", timeout=TIMEOUT_MS)
    ask(page, "How much faster do ambulances arrive in Hangzhou?")
    sync_api.expect(page.locator("#qa-ask")).to_have_text("Ask", timeout=TIMEOUT_MS)
    sync_api.expect(page.locator("#qa-copy-all")).to_have_text("Copy conversation")
    assert "Contents" in page.locator("#qa-toc").inner_text()


def test_clearing_the_chat_forgets_the_conversation(page):
    ask(page, "杭州城市大脑每天处理多少数据？")
    page.locator("#qa-chat button[aria-label*='lear'], #qa-chat button[title*='lear']").first.click()
    sync_api.expect(page.locator(BOT)).to_have_count(0, timeout=TIMEOUT_MS)
    reply = ask(page, "How much faster do ambulances arrive in Hangzhou?")
    assert page.locator(BOT).count() == 1 and "50%" in reply.inner_text(), "the cleared turn does not come back"


def test_a_follow_up_shows_what_was_searched_and_new_topic_sets_the_conversation_aside(page):
    ask(page, "深圳的秒批系统平均办理时间是多少？")
    follow = ask(page, "它覆盖了多少高频事项？")
    sync_api.expect(follow.locator(".qa-card .qa-searched")).to_contain_text("深圳的秒批系统覆盖了多少高频事项")
    assert "95%" in follow.locator(".qa-card .qa-lead").inner_text()
    page.click("#qa-new-topic")
    sync_api.expect(page.locator(BOT).last).to_contain_text("新话题", timeout=TIMEOUT_MS)
    alone = ask(page, "它覆盖了多少高频事项？")
    assert alone.locator(".qa-searched").count() == 0, "after New topic the question is read on its own"


# --- a shelf: uploading a report from the page, then choosing it ----------------------------


@pytest.fixture()
def shelf_url(tmp_path):
    """A served shelf of the small report (hash encoder), uploads allowed."""
    from conftest import SMALL_DOC, HashEncoder, serve_in_thread
    from qa.config import Config
    from qa.index import build_index
    from qa.retriever import Retriever
    from qa.web.server import Settings, server_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "small.txt").write_text(SMALL_DOC, encoding="utf-8")
    config = Config(corpus_dir=corpus, index_dir=tmp_path / "index", encoder=HashEncoder.id)
    build_index(config, encoder=HashEncoder(), show_progress=False)
    r = Retriever.load(config=config, encoder=HashEncoder(), build=False, show_progress=False)
    url, server, thread = serve_in_thread(server_app(r, Settings(allow_upload=True)))
    try:
        yield url, corpus
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_report_uploaded_from_the_page_is_on_the_shelf_and_can_be_chosen(browser, shelf_url, tmp_path):
    url, corpus = shelf_url
    upload = tmp_path / "大城年度報告.html"
    upload.write_text(
        "<html><head><meta charset='utf-8'></head><body><nav>菜单</nav><h1>大城年度報告</h1><h2>一、交通</h2>"
        "<h3>1.1地鐵</h3><p>大城地鐵日均客流達到350萬人次。</p><h3>1.2公交</h3><p>大城新能源公交車占比達到95%。</p>"
        + "<h2>二、附錄</h2>" + "<p>附錄記載歷年統計資料,供查閱。</p>" * 2000  # ~100 KB: past the 64 KB a question may have
        + "</body></html>", encoding="utf-8",
    )
    assert upload.stat().st_size > 64 * 1024
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("#qa-question textarea", timeout=TIMEOUT_MS)
    assert not page.locator("#qa-docs").is_visible(), "one report: no report selector"
    page.click("#qa-upload button")  # open "Add reports"
    page.locator("#qa-upload-files input[type=file]").set_input_files(str(upload))
    page.locator("#qa-upload-status").filter(has_text="大城年度報告").wait_for(timeout=60_000)
    assert (corpus / "大城年度報告.html").is_file()
    page.wait_for_selector("#qa-docs", state="visible", timeout=TIMEOUT_MS)
    answer = ask(page, "大城地铁日均客流是多少？")
    text = answer.inner_text()
    assert "350万" in text and "《大城年度报告》" in text, "the answer cites the uploaded report by its title"
    bad = tmp_path / "notes.txt"
    bad.write_bytes(b"\x00\x01binary")
    page.locator("#qa-upload-files input[type=file]").set_input_files(str(bad))
    page.locator("#qa-upload-status").filter(has_text="notes.txt").wait_for(timeout=60_000)
    assert "Nothing was added" in page.inner_text("#qa-upload-status")
    assert not (corpus / "notes.txt").exists()
    page.screenshot(path=str(ARTIFACTS / "shelf-upload.png"), full_page=False)
    context.close()
