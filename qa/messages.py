"""Every sentence the retriever says to a person, in zh-Hans, zh-Hant and English.

Retrieval code picks a key and named values; :func:`say` words it in the asker's
language. :func:`shown` makes any untrusted name (a file name, a word of the question)
safe to print: control characters escaped, length bounded.
"""

from __future__ import annotations

import unicodedata

LANGUAGES = ("zh-Hans", "zh-Hant", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "empty": {
        "zh-Hans": "问题是空的：没有可以检索的字词。",
        "zh-Hant": "問題是空的：沒有可以檢索的字詞。",
        "en": "The question is empty: it has no words to search for.",
    },
    "no_words": {
        "zh-Hans": "问题里只有数字、单个字母或符号，没有可以检索的字词；请用一句话提问。",
        "zh-Hant": "問題裡只有數字、單個字母或符號，沒有可以檢索的字詞；請用一句話提問。",
        "en": "The question holds only numbers, single letters or symbols, no words to search for; please ask in a sentence.",
    },
    "code": {
        "zh-Hans": "这看起来是代码或模板片段，不是关于报告的问题；报告中没有相关内容。",
        "zh-Hant": "這看起來是程式碼或模板片段，不是關於報告的問題；報告中沒有相關內容。",
        "en": "This looks like a fragment of code or a template, not a question about the report; the report has nothing on it.",
    },
    "not_a_question": {
        "zh-Hans": "「{words}」不是关于报告的问题；请问报告里的内容，例如：杭州城市大脑每天处理多少数据？",
        "zh-Hant": "「{words}」不是關於報告的問題；請問報告裡的內容，例如：杭州城市大腦每天處理多少數據？",
        "en": "\u201c{words}\u201d is not a question about the report; ask about its content, e.g. How much data does Hangzhou's City Brain process each day?",
    },
    "small_talk": {
        "zh-Hans": "你好！我回答关于这份报告的问题，给出报告原文并注明章节。可以这样问：杭州城市大脑每天处理多少数据？· 深圳的秒批系统平均办理时间是多少？· 新加坡智慧国建设的核心经验是什么？",
        "zh-Hant": "你好！我回答關於這份報告的問題，給出報告原文並註明章節。可以這樣問：杭州城市大腦每天處理多少數據？· 深圳的秒批系統平均辦理時間是多少？· 新加坡智慧國建設的核心經驗是什麼？",
        "en": "Hello! I answer questions about this report with its own passages, cited by section. Try: How much data does Hangzhou's City Brain process each day? · How fast do ambulances arrive in Hangzhou? · What is Singapore's Smart Nation plan?",
    },
    "not_mentioned": {
        "zh-Hans": "报告中没有提到「{names}」；以下是最接近的章节。",
        "zh-Hant": "報告中沒有提到「{names}」；以下是最接近的章節。",
        "en": "The report does not mention {names}; the nearest sections are shown.",
    },
    "procedure": {
        "zh-Hans": "这份报告是政策研究报告，不提供个人办事的流程、条件或材料清单；以下是最接近的章节。",
        "zh-Hant": "這份報告是政策研究報告，不提供個人辦事的流程、條件或材料清單；以下是最接近的章節。",
        "en": "The report is a policy study: it gives no procedures for individuals (how to apply, what to bring); the nearest sections are shown.",
    },
    "not_answered": {
        "zh-Hans": "报告中似乎没有回答这个问题的内容；以下是最接近的章节。",
        "zh-Hant": "報告中似乎沒有回答這個問題的內容；以下是最接近的章節。",
        "en": "The report does not seem to answer this question; the nearest sections are shown.",
    },
    "not_stated": {
        "zh-Hans": "报告讨论了{topic}（§{section}），但没有给出{what}。以下是最接近的段落。",
        "zh-Hant": "報告討論了{topic}（§{section}），但沒有給出{what}。以下是最接近的段落。",
        "en": "The report covers {topic} (§{section}) but does not give {what}; the nearest passages are shown.",
    },
    "not_stated_for": {
        "zh-Hans": "报告讨论了{topic}（§{section}），但没有给出「{missing}」的{what}。以下是最接近的段落。",
        "zh-Hant": "報告討論了{topic}（§{section}），但沒有給出「{missing}」的{what}。以下是最接近的段落。",
        "en": "The report covers {topic} (§{section}) but does not give {what} for \u201c{missing}\u201d; the nearest passages are shown.",
    },
    "only_other_year": {
        "zh-Hans": "报告只给出了{value}年的数据（§{section}：{sentence}），没有{asked}年的。",
        "zh-Hant": "報告只給出了{value}年的數據（§{section}：{sentence}），沒有{asked}年的。",
        "en": "The report gives this only for {value} (§{section}: {sentence}), not for {asked}.",
    },
    "only_other_place": {
        "zh-Hans": "报告只给出了{value}的数据（§{section}：{sentence}），没有{asked}的。",
        "zh-Hant": "報告只給出了{value}的數據（§{section}：{sentence}），沒有{asked}的。",
        "en": "The report gives this only for {value} (§{section}: {sentence}), not for {asked}.",
    },
    "asked_quantity": {"zh-Hans": "具体数字", "zh-Hant": "具體數字", "en": "a figure"},
    "asked_count": {"zh-Hans": "具体数量", "zh-Hant": "具體數量", "en": "a count"},
    "asked_money": {"zh-Hans": "金额（投资、预算或费用）", "zh-Hant": "金額（投資、預算或費用）", "en": "an amount of money (cost, budget or investment)"},
    "asked_share": {"zh-Hans": "比例或比率", "zh-Hant": "比例或比率", "en": "a share or rate"},
    "asked_year": {"zh-Hans": "年份", "zh-Hant": "年份", "en": "a year"},
    "asked_start": {"zh-Hans": "起始年份", "zh-Hant": "起始年份", "en": "the year it began"},
    "asked_time": {"zh-Hans": "时长", "zh-Hant": "時長", "en": "a duration"},
    "asked_org": {"zh-Hans": "机构或企业的名称", "zh-Hant": "機構或企業的名稱", "en": "the name of a body or company"},
    "asked_person": {"zh-Hans": "人名", "zh-Hant": "人名", "en": "a name"},
    "asked_place": {"zh-Hans": "地点", "zh-Hant": "地點", "en": "a place"},
    "asked_definition": {"zh-Hans": "定义", "zh-Hant": "定義", "en": "a definition"},
    "asked_name": {"zh-Hans": "名称", "zh-Hant": "名稱", "en": "a name"},
    "asked_answer": {"zh-Hans": "所问的内容", "zh-Hant": "所問的內容", "en": "what was asked"},
    # The chat page's own words.
    "best": {"en": "best match", "zh-Hans": "最佳匹配", "zh-Hant": "最佳匹配"},
    "strong": {"en": "strong", "zh-Hans": "高度相关", "zh-Hant": "高度相關"},
    "related": {"en": "related", "zh-Hans": "相关", "zh-Hant": "相關"},
    "nearest_label": {"en": "nearest", "zh-Hans": "最接近", "zh-Hant": "最接近"},
    "also_in": {"en": "also in", "zh-Hans": "另见", "zh-Hant": "另見"},
    "repeats": {"en": "repeats", "zh-Hans": "重复", "zh-Hant": "重複"},
    "terms": {"en": "matched terms", "zh-Hans": "匹配词语", "zh-Hant": "匹配詞語"},
    "cite": {"en": "cite", "zh-Hans": "引用", "zh-Hant": "引用"},
    "original": {"en": "Chinese original (authoritative)", "zh-Hans": "中文原文（以原文为准）", "zh-Hant": "中文原文（以原文為準）"},
    "english": {"en": "English", "zh-Hans": "英文译文", "zh-Hant": "英文譯文"},
    "edition_note": {
        "en": "The Chinese original is authoritative; the English is a translation made for this tool.",
        "zh-Hans": "以中文原文为准；英文是为本工具所作的译文。",
        "zh-Hant": "以中文原文為準；英文是為本工具所作的譯文。",
    },
    "gloss": {
        "en": "Word-by-word gloss, not a translation",
        "zh-Hans": "逐词英文释义（非翻译）",
        "zh-Hant": "逐詞英文釋義（非翻譯）",
    },
    "found": {
        "en": "The report answers this in {n} passage(s):",
        "zh-Hans": "报告中回答这个问题的段落（{n} 条）：",
        "zh-Hant": "報告中回答這個問題的段落（{n} 條）：",
    },
    "nearest": {"en": "Nearest sections", "zh-Hans": "最接近的章节", "zh-Hant": "最接近的章節"},
    "status_answered": {
        "en": "Answered by the report",
        "zh-Hans": "报告中的回答",
        "zh-Hant": "報告中的回答",
    },
    "more_sources": {
        "en": "{n} more source(s)",
        "zh-Hans": "另外 {n} 个来源",
        "zh-Hant": "另外 {n} 個來源",
    },
    "status_not_stated": {
        "en": "Not stated in the report · 报告未提及",
        "zh-Hans": "报告未提及 · Not stated in the report",
        "zh-Hant": "報告未提及 · Not stated in the report",
    },
    "status_not_covered": {
        "en": "Not covered by the report · 报告未涉及",
        "zh-Hans": "报告未涉及 · Not covered by the report",
        "zh-Hant": "報告未涉及 · Not covered by the report",
    },
    "not_found": {
        "en": "The report does not seem to answer this question.",
        "zh-Hans": "报告中似乎没有回答这个问题的内容。",
        "zh-Hant": "報告中似乎沒有回答這個問題的內容。",
    },
    "too_long": {
        "en": "Your question is {n:,} characters long; questions may have at most {cap:,}. Please shorten it and ask again.",
        "zh-Hans": "问题长度为 {n} 个字符，超过了 {cap} 个字符的上限。请缩短后再问。",
        "zh-Hant": "問題長度為 {n} 個字元，超過了 {cap} 個字元的上限。請縮短後再問。",
    },
    "failed": {
        "en": "Something went wrong while answering; please try again.",
        "zh-Hans": "回答时出了问题，请再试一次。",
        "zh-Hant": "回答時出了問題，請再試一次。",
    },
    "conflict": {
        "en": "The report gives different figures: {pairs}.",
        "zh-Hans": "报告中的数字不一致：{pairs}。",
        "zh-Hant": "報告中的數字不一致：{pairs}。",
    },
    "conflict_status": {"en": "The report disagrees with itself", "zh-Hans": "报告前后不一致", "zh-Hant": "報告前後不一致"},
    "outline_report": {"en": "The report's outline: {n} chapters", "zh-Hans": "报告的结构：共 {n} 章", "zh-Hant": "報告的結構：共 {n} 章"},
    "outline_part": {"en": "§{id} {title}: {n} parts", "zh-Hans": "§{id} {title}：共 {n} 部分", "zh-Hant": "§{id} {title}：共 {n} 部分"},
    "searched_as": {"en": "Searched as", "zh-Hans": "按此检索", "zh-Hant": "按此檢索"},
    "new_topic": {
        "en": "New topic: the next questions are read on their own, not against the ones above.",
        "zh-Hans": "新话题：接下来的问题单独理解，不再参考上面的对话。",
        "zh-Hant": "新話題：接下來的問題單獨理解，不再參考上面的對話。",
    },
    "ui_new_topic": {"en": "New topic", "zh-Hans": "新话题", "zh-Hant": "新話題"},
    "copy": {"en": "Copy answer", "zh-Hans": "复制回答", "zh-Hant": "複製回答"},
    # The page's own words: they follow the asker's language, or the script switch.
    "ui_chat": {"en": "Questions and answers", "zh-Hans": "问答", "zh-Hant": "問答"},
    "ui_placeholder": {
        "en": "Ask about the report, e.g. How much data does Hangzhou's City Brain process each day?",
        "zh-Hans": "请提问，例如：杭州城市大脑每天处理多少数据？",
        "zh-Hant": "請提問，例如：杭州城市大腦每天處理多少數據？",
    },
    "ui_ask": {"en": "Ask", "zh-Hans": "提问", "zh-Hant": "提問"},
    "ui_copy_all": {"en": "Copy conversation", "zh-Hans": "复制对话", "zh-Hant": "複製對話"},
    "ui_side": {"en": "Settings, citations, contents", "zh-Hans": "设置、引用、目录", "zh-Hant": "設定、引用、目錄"},
    "ui_k": {"en": "Passages (k)", "zh-Hans": "段落数", "zh-Hant": "段落數"},
    "ui_script": {"en": "Script of the Chinese text", "zh-Hans": "字体", "zh-Hant": "字體"},
    "ui_cited": {"en": "Open a cited section", "zh-Hans": "打开引用章节", "zh-Hant": "打開引用章節"},
    "ui_citations": {"en": "Citations (copy)", "zh-Hans": "引用（可复制）", "zh-Hant": "引用（可複製）"},
    "ui_docs": {"en": "Reports", "zh-Hans": "报告", "zh-Hant": "報告"},
    "ui_docs_all": {"en": "none chosen: search them all", "zh-Hans": "不选：检索全部", "zh-Hant": "不選：檢索全部"},
    "ui_upload": {"en": "Add reports", "zh-Hans": "添加报告", "zh-Hant": "添加報告"},
    "ui_upload_files": {"en": "PDF, Word, web page or text", "zh-Hans": "PDF、Word、网页或文本", "zh-Hant": "PDF、Word、網頁或文字"},
    "ui_contents": {"en": "Contents", "zh-Hans": "目录", "zh-Hant": "目錄"},
    "ui_examples": {"en": "Examples", "zh-Hans": "示例", "zh-Hant": "示例"},
    "lost_text": {
        "zh-Hans": "（这一节的正文缺失：报告原文到此中断。）",
        "zh-Hant": "（這一節的正文缺失：報告原文到此中斷。）",
        "en": "(This section's text is missing: the report's source breaks off here.)",
    },
    "cut": {
        "zh-Hans": "（问题超过 {cap} 个字符，只检索了前 {cap} 个。）",
        "zh-Hant": "（問題超過 {cap} 個字元，只檢索了前 {cap} 個。）",
        "en": "(The question was cut to {cap} characters.)",
    },
}

_MAX_NAMES = 5


def say(key: str, language: str, **values) -> str:
    """The sentence ``key`` in ``language`` ("zh-Hans", "zh-Hant" or "en"; others get English)."""
    words = MESSAGES[key]
    return words.get(language, words["en"]).format(**values)


def conflict_sentence(conflicts, language: str) -> str:
    """「报告中的数字不一致：提升至45%（§4.3.3）与不足25%（§3.4.2、§6.2.3）」 from (section, value) pairs."""
    from qa.conflicts import english_value
    from qa.script import to_script

    by_value: dict[str, list[str]] = {}
    for section_id, value in conflicts:
        by_value.setdefault(value, []).append(section_id)
    if language == "en":
        pairs = " and ".join(f"{english_value(v)} (" + ", ".join("§" + s for s in ids) + ")" for v, ids in by_value.items())
    else:
        pairs = "与".join(to_script(v, language) + "（" + "、".join("§" + s for s in ids) + "）" for v, ids in by_value.items())
        pairs = to_script(pairs, language)
    return say("conflict", language, pairs=pairs)


def shown(text: object, limit: int = 200) -> str:
    """``text`` safe to print in a message: control and format characters escaped as
    ``\\x1b`` / ``\\u200b``, and cut to ``limit`` characters with an ellipsis."""
    out = []
    for ch in str(text):
        if ch in "\t" or unicodedata.category(ch)[0] != "C":
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    s = "".join(out)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def name_list(names, limit: int = _MAX_NAMES) -> str:
    """Distinct names in first-seen order, at most ``limit`` (then "…"), joined for a message."""
    seen: list[str] = []
    for n in names:
        n = shown(n, 60)
        if n not in seen:
            seen.append(n)
    more = len(seen) > limit
    return ", ".join(seen[:limit]) + (", …" if more else "")
