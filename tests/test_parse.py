"""qa.parse: cleaned text → numbered sections with titles, paths, offsets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.clean import clean_text
from qa.corpus import load_corpus
from qa.parse import chinese_numeral, parse

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def doc():
    return load_corpus(CORPUS).documents[0]


def _ids(document) -> list[str]:
    return [s.id for s in document.sections]


def _assert_offsets(document) -> None:
    for s in document.sections:
        assert document.text[s.start : s.end] == s.text, s.id


# --- the shipped report -------------------------------------------------------------


def test_report_has_100_sections_in_document_order(doc):
    ids = _ids(doc)
    assert len(ids) == 100
    assert len(set(ids)) == 100
    assert ids[:4] == ["1", "1.1", "1.1.1", "1.1.2"]
    assert ids[-3:] == ["7.2.1", "7.2.2", "7.2.3"]
    assert [s.id for s in doc.sections if s.level == 1] == [str(n) for n in range(1, 8)]
    starts = [s.start for s in doc.sections]
    assert starts == sorted(starts)


def test_report_ids_sort_like_an_outline(doc):
    keys = [tuple(int(p) for p in s.id.split(".")) for s in doc.sections]
    assert keys == sorted(keys)


def test_every_heading_continues_the_outline(doc):
    seen: set[str] = set()
    for s in doc.sections:
        if "." in s.id:
            assert s.id.rsplit(".", 1)[0] in seen, s.id
        assert s.level == s.id.count(".") + 1
        seen.add(s.id)


def test_only_the_cut_off_last_section_is_truncated(doc):
    last = doc.sections[-1]
    assert (last.id, last.title, last.truncated) == ("7.2.3", "推進數字", True)
    assert last.text == ""
    assert [s.id for s in doc.sections if s.truncated] == ["7.2.3"]


def test_section_331_title_level_and_path(doc):
    s = doc.section("3.3.1")
    assert s.title == "杭州城市大腦"
    assert s.level == 3
    assert s.path == ("發展現狀", "融合實踐典型案例", "杭州城市大腦")
    assert s.doc == doc.name


def test_paths_follow_the_parent_chain(doc):
    by_id = {s.id: s for s in doc.sections}
    for s in doc.sections:
        assert len(s.path) == s.level
        assert s.path[-1] == s.title
        if "." in s.id:
            assert s.path[:-1] == by_id[s.id.rsplit(".", 1)[0]].path


def test_chapter_2_has_its_own_intro_text(doc):
    s = doc.section("2")
    assert s.title == "理論基礎"
    assert s.text.startswith("智能經濟與城市治理的融合并非偶然")
    assert "####2.1" not in s.text and "2.1.1" not in s.text


def test_offsets_point_at_section_text(doc):
    _assert_offsets(doc)


def test_section_text_holds_no_heading_line(doc):
    for s in doc.sections:
        for line in s.text.split("\n"):
            assert not line.startswith("#"), (s.id, line)
            assert not any(line == x.id + x.title for x in doc.sections), (s.id, line)


def test_report_title_is_from_the_manifest(doc):
    assert doc.title == "智能經濟+城市治理研究報告"
    with pytest.raises(KeyError, match="9.9"):
        doc.section("9.9")


@pytest.mark.parametrize(
    ("line_start", "section_id"),
    [
        ("2024-2025年的實踐表明,融合模式正呈現三大演進趨勢", "5.4"),
        ('-"一網統管"升級:借鑒上海經驗', "7.2.2"),
        ("-公眾參與機制:開發\"城市議事廳\"平臺", "7.2.2"),
    ],
)
def test_numbered_or_bulleted_body_lines_stay_in_their_section(doc, line_start, section_id):
    s = doc.section(section_id)
    assert any(line.startswith(line_start) for line in s.text.split("\n"))
    assert not any(line_start.startswith(x.title) for x in doc.sections)


def test_quantity_inside_a_paragraph_is_not_a_heading(doc):
    s = doc.section("4.1.1")
    assert "1.2億市民移動終端,形成" in s.text
    assert not any(x.title.startswith("億") for x in doc.sections)


def test_every_bullet_line_is_inside_a_section(doc):
    pos = 0
    bullets = 0
    for line in doc.text.split("\n"):
        if line.startswith("-"):
            bullets += 1
            assert any(s.start <= pos and pos + len(line) <= s.end for s in doc.sections), line
        pos += len(line) + 1
    assert bullets >= 20


# --- synthetic documents ------------------------------------------------------------

SYNTHETIC = """測試報告
一、總論
總論的引言。
1.1背景
背景的內容。
###1.2目標
目標的內容。
二、分析
###2.1現狀分析
現狀。
####2.1.1杭州案例
杭州的內容。
1.2億市民移動終端接入平台,形成感知網絡。
2024-2025年的實踐表明,融合模式正在演進。
5G-A技術讓時延降到10毫秒。
-**全域感知**:部署終端。
"""


def test_four_heading_styles(tmp_path):
    path = tmp_path / "synthetic.txt"
    path.write_text(SYNTHETIC, encoding="utf-8")
    d = parse(clean_text(path.read_text(encoding="utf-8")), name="synthetic")
    got = [(s.id, s.level, s.title) for s in d.sections]
    assert got == [
        ("1", 1, "總論"),
        ("1.1", 2, "背景"),
        ("1.2", 2, "目標"),
        ("2", 1, "分析"),
        ("2.1", 2, "現狀分析"),
        ("2.1.1", 3, "杭州案例"),
    ]
    assert d.title == "測試報告"
    assert d.section("2.1.1").path == ("分析", "現狀分析", "杭州案例")
    assert d.section("1.2").path == ("總論", "目標")
    assert d.section("2").text == ""
    body = d.section("2.1.1").text.split("\n")
    assert body == [
        "杭州的內容。",
        "1.2億市民移動終端接入平台,形成感知網絡。",
        "2024-2025年的實踐表明,融合模式正在演進。",
        "5G-A技術讓時延降到10毫秒。",
        "-全域感知:部署終端。",
    ]
    assert not any(s.truncated for s in d.sections)
    _assert_offsets(d)


@pytest.mark.parametrize(
    ("heading", "sid", "title"),
    [
        ("第三章 發展現狀", "3", "發展現狀"),
        ("十二、附錄", "12", "附錄"),
        ("1.1.研究背景", "1.1", "研究背景"),
        ("## 1.1 研究背景", "1.1", "研究背景"),
    ],
)
def test_heading_variants(heading, sid, title):
    text = ("一、總論\n" if not heading.startswith(("第", "十")) else "") + heading + "\n內容。"
    d = parse(text)
    assert (d.sections[-1].id, d.sections[-1].title) == (sid, title)
    assert d.sections[-1].text == "內容。"


def test_sentence_with_number_is_not_a_heading():
    d = parse("一、總論\n1.1背景\n內容。\n1.2億市民移動終端,形成感知網絡。\n2.5倍增長,遠超預期。")
    assert _ids(d) == ["1", "1.1"]
    assert d.section("1.1").text.endswith("2.5倍增長,遠超預期。")


def test_repeated_number_is_not_a_second_heading():
    d = parse("一、總論\n1.1背景\n內容。\n1.1背景\n重複。")
    assert _ids(d) == ["1", "1.1"]
    assert d.section("1.1").text == "內容。\n1.1背景\n重複。"


def test_markdown_headings_are_numbered_by_position():
    d = parse("# A\ntext a\n## B\ntext b\n## C\ntext c\n# D\ntext d.", name="md")
    assert [(s.id, s.level, s.title, s.path, s.text) for s in d.sections] == [
        ("1", 1, "A", ("A",), "text a"),
        ("1.1", 2, "B", ("A", "B"), "text b"),
        ("1.2", 2, "C", ("A", "C"), "text c"),
        ("2", 1, "D", ("D",), "text d."),
    ]
    _assert_offsets(d)


@pytest.mark.parametrize(
    ("text", "title", "body"),
    [
        ("只是一段文字。\n沒有標題。", "plain", "只是一段文字。\n沒有標題。"),
        ("標題\n正文。", "標題", "正文。"),
        ("\n\n標題\n\n正文第一段。\n\n正文第二段。\n", "標題", "正文第一段。\n\n正文第二段。"),
    ],
)
def test_text_without_headings_is_one_section_0(text, title, body):
    d = parse(text, name="plain")
    assert len(d.sections) == 1
    s = d.sections[0]
    assert (s.id, s.title, s.level, s.text, s.truncated) == ("0", title, 1, body, False)
    assert d.title == title
    _assert_offsets(d)


def test_preamble_before_first_heading_is_section_0():
    d = parse("報告標題\n報告由三章組成。\n一、總論\n內容。", name="r")
    assert _ids(d) == ["0", "1"]
    assert d.section("0").text == "報告由三章組成。"
    _assert_offsets(d)


@pytest.mark.parametrize(
    "text",
    [
        "報告標題\n前言一。\n\n前言二。\n一、總論\n內容。",
        "智能經濟報告\n智能\n經濟。\n一、總論\n內容。",
    ],
    ids=["blank-line-in-preamble", "preamble-line-inside-title"],
)
def test_preamble_offsets_point_at_its_text(text):
    _assert_offsets(parse(text, name="r"))


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一", 1), ("三", 3), ("九", 9), ("十", 10), ("十一", 11), ("十二", 12), ("十九", 19), ("二十", 20), ("二十三", 23)],
)
def test_chinese_numeral(numeral, value):
    assert chinese_numeral(numeral) == value


_LINES = st.one_of(
    st.sampled_from(["一、總論", "1.1背景", "###2.1平臺", "####2.1.1數據", "# 標題", "## 小節", "正文。", "2024-2025年的實踐表明…", "", "  ", "5G-A技術"]),
    st.text(max_size=20),
)


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(_LINES, max_size=30).map("\n".join))
def test_parse_never_raises_and_offsets_hold_on_any_text(text):
    from qa.clean import clean_text

    cleaned = clean_text(text)
    doc = parse(cleaned, name="fuzz")
    assert doc.sections
    ids = [s.id for s in doc.sections]
    assert len(ids) == len(set(ids))
    for s in doc.sections:
        assert cleaned[s.start : s.end] == s.text


# --- government-document heading styles ----------------------------------------------

GOVERNMENT = """某市数字政府建设规划
第一章 总则
为推进数字政府建设，制定本规划。
第一节 指导思想
坚持以人民为中心。
一、基本原则
（一）统筹规划
全市一盘棋。
（二）需求导向
1. 以用户为中心
以群众满意为标准，包括：1. 简化流程；2. 减少材料。
2. 数据共享
（1）共享目录
编制目录。
第二节 发展目标
到2025年，建成一体化平台。
第二章 主要任务
第一节 夯实基础
建设政务云。
"""


def test_government_heading_styles_nest_wherever_they_appear():
    doc = parse(clean_text(GOVERNMENT))
    assert doc.title == "某市数字政府建设规划"
    assert [(s.id, s.title, s.level) for s in doc.sections] == [
        ("1", "总则", 1), ("1.1", "指导思想", 2), ("1.1.1", "基本原则", 3), ("1.1.1.1", "统筹规划", 4),
        ("1.1.1.2", "需求导向", 4), ("1.1.1.2.1", "以用户为中心", 5), ("1.1.1.2.2", "数据共享", 5),
        ("1.1.1.2.2.1", "共享目录", 6), ("1.2", "发展目标", 2), ("2", "主要任务", 1), ("2.1", "夯实基础", 2),
    ]
    assert doc.section("1.1.1.2").path == ("总则", "指导思想", "基本原则", "需求导向")
    _assert_offsets(doc)


@pytest.mark.parametrize(
    ("text", "kept_as_text"),
    [
        ("报告\n一、总论\n（一）背景\n正文。\n（三）跳号\n正文。\n", "（三）跳号"),  # does not count on
        ("报告\n一、总论\n正文：\n2. 第二项没有第一项\n", "2. 第二项没有第一项"),
        ("报告\n一、总论\n（一）这一行很长，带有句号。\n", "（一）这一行很长，带有句号。"),
    ],
    ids=["skipped-number", "starts-at-two", "a-sentence"],
)
def test_a_styled_line_that_is_not_a_heading_stays_text(text, kept_as_text):
    doc = parse(clean_text(text))
    assert clean_text(kept_as_text) in "\n".join(s.text for s in doc.sections)


def test_dotted_numbers_keep_the_report_style_even_with_styled_lines():
    doc = parse("报告\n一、总论\n1.1背景\n（一）这是正文里的列表\n正文。\n")
    assert [s.id for s in doc.sections] == ["1", "1.1"]
    assert "（一）这是正文里的列表" in doc.section("1.1").text


def test_a_title_equal_to_the_file_name_is_still_the_title_not_text():
    doc = parse("大城報告\n一、交通\n地鐵日均客流350萬人次。\n", name="大城報告")
    assert doc.title == "大城報告"
    assert [s.id for s in doc.sections] == ["1"]
