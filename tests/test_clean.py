"""qa.clean: pinyin, boilerplate, mojibake, Unicode and Markdown clean-up of the scrape."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings, strategies as st

from qa.clean import UNREADABLE, clean_text, strip_boilerplate, strip_pinyin
from qa.corpus import load_corpus

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
REPORT = CORPUS / "smart_economy_city_governance.txt"
PINYIN = re.compile(r"\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")
QUESTION_MARK_THEN_CJK = re.compile(r"\?[\u3400-\u9fff\uf900-\ufaff]")


@pytest.fixture(scope="module")
def raw() -> str:
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cleaned(raw: str) -> str:
    return clean_text(raw)


@pytest.fixture(scope="module")
def doc():
    return load_corpus(CORPUS).documents[0]


# --- pinyin -------------------------------------------------------------------------

PINYIN_CASES = [
    # (raw snippet of the report, cleaned)
    ("智能經(jīng)濟(jì)+城市治理研究報(bào)告", "智能經濟+城市治理研究報告"),
    ("據(jù)國際數(shù)據(jù)公司(IDC)預(yù)測,到2025年", "據國際數據公司(IDC)預測,到2025年"),
    ("聯(lián)合國可持續(xù)發(fā)展目標(biāo)(SDGs),如清潔能源", "聯合國可持續發展目標(SDGs),如清潔能源"),
    ("“技術(shù)引領(lǐng)型”(如深圳)、“需求導(dǎo)向型”(如成都)", "“技術引領型”(如深圳)、“需求導向型”(如成都)"),
    ("政務(wù)服務(wù)智能化覆蓋率僅52%,遠(yuǎn)低于市級(89%)。", "政務服務智能化覆蓋率僅52%,遠低于市級(89%)。"),
    (
        "5G-A(第五代移動通信增強(qiáng)型技術(shù))實(shí)現(xiàn)商用突破",
        "5G-A(第五代移動通信增強型技術)實現商用突破",
    ),
    (
        '明確數(shù)據(jù)"三權(quán)分置"(所有權(quán)、使用權(quán)、收益權(quán)),上海浦東',
        '明確數據"三權分置"(所有權、使用權、收益權),上海浦東',
    ),
]


@pytest.mark.parametrize(("snippet", "expected"), PINYIN_CASES)
def test_pinyin_is_removed_and_real_parentheses_stay(snippet, expected):
    assert clean_text(snippet) == expected
    assert strip_pinyin(snippet) == expected


@pytest.mark.parametrize("kept", ["(IDC)", "(SDGs)", "(如深圳)", "(89%)", "(5G)", "(a)"])
def test_parentheses_without_tone_marks_are_not_pinyin(kept):
    assert strip_pinyin(f"報告{kept}指出") == f"報告{kept}指出"


def test_no_pinyin_annotation_or_site_text_left_in_any_section(doc):
    for s in doc.sections:
        assert not PINYIN.search(s.text), s.id
        assert not PINYIN.search(s.title), s.id
        for junk in ("溫馨提示", "版權說明", "人人文庫", "</p>", "/p>"):
            assert junk not in s.text, (s.id, junk)


def test_whole_cleaned_report_has_no_pinyin_html_or_bold(cleaned):
    assert not PINYIN.search(cleaned)
    assert "</p>" not in cleaned and "/p>" not in cleaned
    assert "**" not in cleaned


# --- boilerplate --------------------------------------------------------------------

HEAD = (
    "\n\n版權(quán)說明:本文檔由用戶提供并上傳,收益歸屬內(nèi)容提供方,若內(nèi)容存在侵權(quán),請進(jìn)行舉報(bào)或認(rèn)領(lǐng)\n"
    "文檔簡介\n"
)
BODY = "智能經(jīng)濟(jì)+城市治理研究報(bào)告\n一、總論\n1.1研究背景與意義\n智能經(jīng)濟(jì)已成為核心動力。"
BODY_CLEAN = "智能經濟+城市治理研究報告\n一、總論\n1.1研究背景與意義\n智能經濟已成為核心動力。"
TIPS = (
    "溫馨提示\n"
    "- 1. 本站所有資源如無特殊說明,都需要本地電腦安裝OFFICE2007和PDF閱讀器。\n"
    "- 2. 本站的文檔不包含任何第三方提供的附件圖紙等,如果需要附件,請聯(lián)系上傳者。\n"
    "- 5. 人人文庫網(wǎng)僅提供信息存儲空間,僅對用戶上傳內(nèi)容的表現(xiàn)方式做保護(hù)處理。\n"
)
LATEST = "最新文檔\n- 電價(jià)基本知識培訓(xùn)課件\n- 瓷磚產(chǎn)品培訓(xùn)知識\n"
COMMENTS = "評論\n0/150\n提交評論"


@pytest.mark.parametrize(
    "footer",
    [TIPS + LATEST + COMMENTS, TIPS, LATEST, COMMENTS, LATEST + COMMENTS, "評論\n"],
    ids=["full-footer", "tips", "latest-docs", "comments", "latest+comments", "bare-comment-marker"],
)
def test_site_header_and_footer_are_removed(footer):
    assert clean_text(HEAD + BODY + "\n" + footer) == BODY_CLEAN


def test_header_lines_alone_are_dropped_and_body_kept():
    out = strip_boilerplate("版權說明:本文檔由用戶提供\n文檔簡介\n報告標題\n正文。")
    assert out == "報告標題\n正文。"


@pytest.mark.parametrize(
    "body",
    [
        "第一段。\n溫馨提示\n暴雨期間請市民減少外出,注意出行安全。\n第二段。",
        "第一段。\n溫馨提示:暴雨期間請市民減少外出。\n第二段。",
        "第一段。\n最新文檔\n政府發布了新的數據開放政策。",
        "第一段。\n評論\n市民對平臺的評價總體積極。",
    ],
    ids=["tips-then-text", "tips-inline", "latest-then-text", "comment-then-text"],
)
def test_body_line_quoting_a_footer_marker_stays(body):
    assert clean_text(body) == body


def test_footer_markers_one_after_another_are_cut_at_the_first_so_cleaning_twice_changes_nothing():
    # Found by hypothesis: the second marker cut the rest first, leaving the first one to be cut
    # by a second cleaning.
    once = clean_text("報告\n溫馨提示\n溫馨提示")
    assert once == "報告" and clean_text(once) == once
    assert clean_text("報告\n最新文檔\n評論\n- 1. 本站文檔") == "報告"


def test_real_report_starts_with_title_and_ends_with_truncated_heading(cleaned):
    assert cleaned.startswith("智能經濟+城市治理研究報告\n一、總論\n1.1研究背景與意義")
    assert cleaned.endswith("####7.2.3推進數字")


# --- mojibake -----------------------------------------------------------------------


def test_full_report_repairs_the_documented_mojibake(raw, cleaned):
    assert "漸進(jìn)過程?;仡櫄v史,2000年代初" in raw
    assert "漸進過程。回顧歷史,2000年代初" in cleaned
    assert "上?!耙痪W(wǎng)統(tǒng)管" in raw
    assert "上海“一網統管”" in cleaned


@pytest.mark.parametrize(
    "repaired",
    [
        "漸進過程。回顧歷史,2000年代初",
        "新加坡“智慧國”、上海“一網統管”",
        "首先,區域分化加劇:北美和歐洲憑借技術優勢",
        "工作積極性受挫。基層治理人員缺乏數字技能",
    ],
)
def test_mojibake_runs_of_the_report_read_correctly(cleaned, repaired):
    assert repaired in cleaned


def test_no_question_mark_before_cjk_in_cleaned_report(cleaned):
    assert not QUESTION_MARK_THEN_CJK.search(cleaned)
    assert "?" not in cleaned


@pytest.mark.parametrize(
    "marked",
    [
        "智能經濟不是技術的狂歡,而是要素的交響樂" + UNREADABLE + "\n####2.1.2發展歷程",
        "2024年全球區塊鏈" + UNREADABLE + "模達2000億美元",
    ],
)
def test_unrepairable_runs_in_report_become_unreadable_marker(cleaned, marked):
    assert marked in cleaned


def test_unrepairable_run_alone_becomes_marker():
    # "。”</p>" lost two GBK bytes: no reading is possible, so it is marked, not guessed.
    text = "而是要素的交響樂?!?/p>\n####2.1.2發展歷程"
    assert clean_text(text) == "而是要素的交響樂" + UNREADABLE + "\n####2.1.2發展歷程"


def test_ascii_question_mark_in_latin_text_is_left_alone():
    assert clean_text("Is it the City Brain?Yes, it is.") == "Is it the City Brain?Yes, it is."
    assert clean_text("杭州城市大腦?") == "杭州城市大腦?"


@pytest.mark.parametrize("wrong", ["監控檢像頭", "。悔前文"], ids=["camera", "based-on"])
def test_mojibake_is_never_replaced_by_a_wrong_reading(cleaned, wrong):
    assert wrong not in cleaned


def test_leading_question_mark_is_not_mojibake():
    assert clean_text("?abc") == "?abc"


# --- Unicode and Markdown -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＡＩ１２３", "AI123"),
        ("全球ＡＩ市場規模達１２３億元。", "全球AI市場規模達123億元。"),
        ("數據，算法：算力；", "數據,算法:算力;"),
        ("城市治理。“一網統管”、「一網通辦」", "城市治理。“一網統管”、「一網通辦」"),
        ("智能\u200b經濟\ufeff", "智能經濟"),
        ("行末空白  \n下一行", "行末空白\n下一行"),
        ("Windows\r\n換行\r結束", "Windows\n換行\n結束"),
    ],
)
def test_unicode_normalisation(text, expected):
    assert clean_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-**全域感知網(wǎng)絡(luò)**:部署千萬級城市感知終端", "-全域感知網絡:部署千萬級城市感知終端"),
        ("-**區(qū)域協(xié)同治理**:在長三角", "-區域協同治理:在長三角"),
        ("乘法 2 ** 3 保留", "乘法 2 ** 3 保留"),
    ],
)
def test_markdown_bold_is_removed(text, expected):
    assert clean_text(text) == expected


# --- properties ---------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "經", "濟", "數", "據", "城", "市", "回", "史", "仡", "櫄", "v", ";", "!",
        "?", "?/p>", "</p>", "(jīng)", "(jì)", "?zhǔn)", "(IDC)",
        "\n", "\n\n", "。", "、", "“", "”", " ", "a", "-",
        "溫馨提示", "- 1. 本站", "版權說明", "最新文檔", "0/150",
    ]
)
_CJK_RUN = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=4)
SCRAPE_LIKE = st.lists(st.one_of(_PIECES, _CJK_RUN), max_size=50).map(lambda ps: "報告" + "".join(ps))


def _check_invariants(out: str) -> None:
    assert isinstance(out, str)
    assert "\r" not in out
    assert not out.startswith("\n") and not out.endswith("\n")
    assert not any(ch not in "\n\t" and unicodedata.category(ch)[0] == "C" for ch in out)
    assert not re.search(r"[ \t]+\n", out)


@settings(max_examples=200, deadline=None, database=None)
@given(st.text())
def test_clean_text_never_raises_on_arbitrary_text(text):
    _check_invariants(clean_text(text))


@settings(max_examples=200, deadline=None, database=None)
@given(SCRAPE_LIKE)
def test_clean_text_is_idempotent_on_scrape_like_text(text):
    once = clean_text(text)
    _check_invariants(once)
    assert not PINYIN.search(once)
    assert clean_text(once) == once


@settings(max_examples=200, deadline=None, database=None)
@given(st.text())
@example("城市大腦是什麼？它每天處理數據。")
@example("´\x1fᢩ")  # a control character between two combining marks
def test_clean_text_is_idempotent_on_arbitrary_text(text):
    once = clean_text(text)
    assert clean_text(once) == once


def test_cleaned_report_is_a_fixed_point(cleaned):
    assert clean_text(cleaned) == cleaned




@pytest.mark.parametrize(
    "text",
    [
        pytest.param("智能經(jīng)濟(jì)+城市治理", id="pinyin"),
        pytest.param("成熟的漸進(jìn)過程?;仡櫄v史,2000年代初", id="mojibake"),
        pytest.param("而是要素的交響樂?!?/p>\n####2.1.2發展歷程", id="unreadable"),
        pytest.param(
            "城市大腦是什麼？它每天處理數據。",
            id="fullwidth-question-mark"
        ),
        pytest.param(
            "經（jīng）濟",
            id="fullwidth-pinyin-parens"
        ),
        pytest.param(
            "報告＜/p＞",
            id="fullwidth-html"
        ),
        pytest.param(
            "**經**?zhǔn)經",
            id="bold-next-to-mojibake"
        ),
    ],
)
def test_clean_text_is_idempotent_on_known_inputs(text):
    once = clean_text(text)
    assert clean_text(once) == once
