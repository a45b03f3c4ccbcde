"""Questions about the report as a whole, answered from its own outline.

「这份报告讲了什么？」, "What does section 3.3 cover?", 「第五章讲什么？」, "What are the main
recommendations?": no one passage answers these; the report's structure does. A request
names the part whose sub-parts are listed (the report itself: its chapters), and each
listed part is cited with the sentence that opens it (its point, in a report written like
this one), its sub-parts' titles, and its English title. Nothing is written that the report
does not say.

Recognising such a question is by form, not by passage search: it refers to the report,
a chapter or a section by number, or to the report's findings or recommendations, and it
names nothing else (「杭州城市大脑面临哪些挑战？」 is a question about Hangzhou, searched
as usual). Where these rules miss, a logistic model over the question's vector (fitted by
``qa calibrate``) may still read it as an outline question; the part is then found by
:meth:`Outline._inferred`.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass

import numpy as np

from qa.analysis import asked_type
from qa.lexical import STOPWORDS
from qa.messages import say
from qa.script import to_mainland, to_script, to_simplified, to_traditional
from qa.translate import EN_STOPWORDS, english_words, stem
from qa.types import Hit, Section

MAX_PARTS = 20
# The least of a part's title a question must say to be narrowed to it when no other part's is said.
NARROWED_SHARE = 0.3
# The least of a part's title a question read as about the whole report must say to be narrowed to
# that part (:meth:`Outline.titled`).
TITLED_SHARE = 0.5
# A part described by its subject (「讲各地做法的那部分」, "the part about the people problem") is
# the one whose title and its sub-parts' titles are nearest the question, plus this much per
# passage of the question's best five the part holds, weighted 1, 1/2, … 1/5 (fitted on dev).
EVIDENCE_WEIGHT = 0.01
NEAR_PASSAGES = 5
TITLE_WEIGHT = 0.02
# A word with an idf at most this is used by about a third of the report's passages or more.
GENERIC_IDF = 1.2

_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
             "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9, "拾": 10}
_EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
               "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "last": -1, "final": -1,
               "opening": 1, "introductory": 1, "concluding": -1, "closing": -1}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}

_CHAPTER_ZH = re.compile(
    r"(倒数|倒數)?第\s*([0-9]+|[一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾]+)\s*[个個]?\s*[章篇部]|最后一章|最後一章|收尾的?那?一?章|结尾的?那?一?章|結尾的?那?一?章"
    r"|(开篇|開篇|首|开头|開頭)的?那?一?章|(?:开头|開頭)的?[\u4e00-\u9fff]{0,3}?部分|(?:导论|導論|绪论|緒論|导言|導言)(?:部分|那?一?章)"
)
_CHAPTER_EN = re.compile(r"\b(?:chapter|part|ch\.?)\s*([0-9]+|[ivx]+\b|one|two|three|four|five|six|seven|eight|nine|ten)\b"
                         r"|\b(first|second|third|fourth|fifth|sixth|seventh|last|final|opening|introductory|concluding|closing)\s+chapter\b"
                         r"|\b(?:the|its|report'?s) (introduction|intro)\b(?!\s+(?:of|to)\b)",
                         re.IGNORECASE)
_SECTION = re.compile(
    r"(?:第\s*|§\s*|\bsection\s+|\bsec\.?\s*)?(?<![\d.])(\d{1,2}(?:\.\d{1,2}){1,3})(?![\d.]*\d)(?!\s*[%万萬亿億倍元个個年])\s*(?:节|節|部分)?",
    re.IGNORECASE,
)
# 「第七章第一节」, "chapter 7, section 1", "section 1 of chapter 7": section 7.1.
_CHAPTER_SECTION_ZH = re.compile(r"第\s*([0-9]+|[一二三四五六七八九十]+)\s*章\s*的?\s*第\s*([0-9]+|[一二三四五六七八九十]+)\s*[节節]")
_CHAPTER_SECTION_EN = re.compile(r"\bchapter\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten),?\s+section\s+(\d+|one|two|three|four|five|six|seven|eight|nine)\b"
                                 r"|\bsection\s+(\d+|one|two|three|four|five|six|seven|eight|nine)\s+of\s+chapter\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b",
                                 re.IGNORECASE)
# 「这份关于…的研究报告」: the report described by what it is about.
_ABOUT_REPORT_ZH = re.compile(r"(?:关于|有关)([^，。？?、]{2,30}?)的(?:研究)?报告")
# 「三点四那一小节」: a section number said in words.
_SECTION_SPOKEN = re.compile(r"([一二三四五六七八九])[点點]([一二三四五六七八九十])(?:[点點]([一二三四五六七八九十]))?")
# 节 as a part of the report, not inside a word that holds it (环节, 季节, 节点, 节约).
_JIE = r"(?<![环環季细細关關调調情礼禮])[节節](?![点點约約省能日奏假目制])"
_PART_WORD = re.compile(rf"小节|小節|章|{_JIE}|那段|這段|这段|那部分|那块|那塊|\bsubsection\b|\bchapter\b|\bsection\b|\bpart\b|\bpassage\b", re.IGNORECASE)
_CHAPTER_WORD = re.compile(r"章|chapter|part", re.IGNORECASE)
_SECTION_WORD = re.compile(rf"{_JIE}|章节|部分|§|\bsection\b|\bsec\b", re.IGNORECASE)
# Words that ask what a part says, as opposed to a fact inside it.
_COVER_ZH = re.compile(r"讲|說|说|写|寫|谈|談|介绍|介紹|包括|包含|涵盖|涵蓋|关于|關於|内容|內容|主题|主題|结构|結構|框架|目录|目錄"
                       r"|章节|章節|大纲|大綱|提纲|提綱|概要|摘要|概述|总结|總結|分为|分成|分為|几章|幾章|哪几|哪幾|哪些部分|讨论|討論|研究了|主旨|重点|重點")
_COVER_EN = re.compile(r"\b(?:about|cover|covers|covered|contain|contains|content|contents|structure|outline|overview|summary"
                       r"|summari[sz]e|organi[sz]ed|discuss|discusses|deal|deals|say|says|chapters|sections|parts|topics|in it"
                       r"|what'?s in|what is in|walk me through|go through|goes through|set out|sets out|lay out|lays out|break down|breakdown)\b",
                       re.IGNORECASE)
# What asks about the whole report, not about a fact in it (「报告中说XX是多少」 is about XX).
_WHOLE_ZH = re.compile(
    r"[讲说写谈介绍讨论][了的些]?(?:是)?(?:什么|啥)|主要内容|内容是什么|结构|框架|架构|目录|章节|大纲|概要|摘要|概述|总结|概括|"
    r"几章|几个部分|哪几个部分|哪几部分|哪些部分|分为|分成|关于什么|主题|重点|主旨|核心观点|核心讯息|主要观点|安排"
    r"|从头到尾|全文|全篇|捋一遍|过一遍|几大块|哪几块|几大部分|骨架|骨干|谋篇布局|来龙去脉|在讲什么|讲的什么|由哪(?:几|些)[^，。？?]{0,4}组成"
)
_WHOLE_EN = re.compile(
    r"\b(?:what(?:'s| is) (?:it|this|(?:the|this) \w+) about|about what|cover|covers|outline|structure|summary|summari[sz]e|overview"
    r"|chapters|sections|parts|contents|organi[sz]ed|main points|key points|gist|takeaways?|main messages?"
    r"|start to finish|big blocks|building blocks|bones|break (?:it|this \w+) down|table of contents)\b|\babout\W*$",
    re.IGNORECASE,
)
# 「为何要…」 asks why; 「重点为何？」 at the end asks what (X 为何 = what is X).
# Where a question's clauses part, and the words with which an asker speaks of themselves.
_CLAUSE = re.compile(r"[，,。；;：:！!？?—\n]+|(?<=[a-z])\.\s+|\s+-\s+", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"我|咱|本人|\b(?:I|I'm|I've|I'd|I'll|my|we|we're|we've|our)\b", re.IGNORECASE)  # "Our city council …"
# Words that ask how the whole is made up (not what one part says); the last few need no "report".
_STRUCTURE_ZH = re.compile(r"目录|提纲|大纲|章节|架构|结构|脉络|全貌|从头到尾|几大块|哪几块|分几部分|几个部分|哪几部分|谋篇布局|骨架|骨干|按章|每一?章|各章|逐章")
_STRUCTURE_EN = re.compile(r"\btable of contents\b|\boutline\b|\bstructured?\b|\borgani[sz]ed\b|\bchapter[- ]by[- ]chapter\b|\brundown\b|\bbreakdown\b"
                           r"|\bstart to finish\b|\boverview\b|\bbig picture\b|\bbroadly\b|\bgist\b|\blaid out\b|\blayout\b", re.IGNORECASE)
_STRUCTURE_ALONE = re.compile(r"目录|目錄|全文脉络|全文脈絡|\btable of contents\b|\bchapter[- ]by[- ]chapter\b|\bstart to finish\b"
                              r"|\bchapter (?:breakdown|list|rundown|overview|summaries)\b|\bbreakdown by chapter\b", re.IGNORECASE)
# 「各部分分别讲什么」, "what each part covers": how the whole is divided.
_EACH_PART = re.compile(r"各部分|每个部分|每一部分|各个部分|\beach (?:part|chapter|section)\b", re.IGNORECASE)
# What an outline question never asks for (its "what", "where" and "how many parts" read as
# definitions, places and quantities).
_FACT_TYPES = frozenset({"money", "share", "year", "start", "time", "person", "name"})
# A part of the text with no level: 「总论部分」, "the bit on methods".
_VAGUE_PART = re.compile(r"部分|\bbit\b", re.IGNORECASE)
_WHAT = re.compile(r"什么|啥|哪些|\bwhat\b", re.IGNORECASE)
# A question asking for several things of a kind: 「哪些」「哪几种」「分几个」, "which models", "what are the …".
# (read in Simplified; 「走的是什么类型的路子」 asks for the types, 「具体表现在哪里」 for the ways it shows)
_MANY_ZH = re.compile(r"哪些|哪几(?![年天])|几(?:种|类|个|大|方面|点|条|项|座)|什么(?:类型|种类)|(?:表现|体现)在哪")
_MANY_EN = re.compile(r"\b(?:which|what)\s+(?:[a-z-]+\s+){0,2}?(?!(?:does|is|was|has|this|its|us|across|always)\b)[a-z-]{2,}[^s\W]s\b"
                      r"|\bwhat are\b|\bwhat (?:kinds?|types?|sorts?)\b|\b(?:consists?|consisting) of\b|\bmade up of\b", re.IGNORECASE)
# How many parts, points or aspects a part has: what an outline lists, not a figure inside it.
_PARTS_COUNTED = re.compile(r"[几幾](?:个|個)?(?:部分|点|點|块|塊|方面|类|類|节|節|章)|分(?:为|成|了)?[几幾]|\bhow many (?:parts|sections|chapters|points|aspects|areas)\b",
                            re.IGNORECASE)
# The report's account of something asked by how it is divided (「报告从哪几方面讲的」「从哪些角度来描述」
# 「分成哪几块来解释」, "from which angles does the report discuss it"): its parts answer, even where one
# sentence seems to.
_DIVIDED_ZH = re.compile(r"(?:从|分成?|分为|按)(?:哪些|哪几|几)[个]?(?:方面|角度|块|部分|层面|维度)[^，。？?]{0,6}?"
                         r"(?:讲|谈|说|写|描述|解释|说明|阐述|分析|展开|论述|介绍|铺陈)")
_DIVIDED_EN = re.compile(r"\b(?:from|in|along|under) (?:which|what|how many) (?:angles|aspects|dimensions|perspectives|respects|parts|headings)\b"
                         r"[^?.]{0,40}?\b(?:discuss|describe|explain|cover|analy[sz]e|treat|present|set out|lay out|break)", re.IGNORECASE)
# One part, pointed at by what it is about: 「讲各地做法的那部分」「是哪部分讲的」, "the part about the
# people problem", "Which chapter takes stock of …", "Is there a part that …" (not 「各部分」, "its main parts";
# not 「X这一块」, which says "as for X": 「专家咨询这一块，主要邀请了哪些领域的专家」).
_ONE_PART = re.compile(r"[那这這]一?[个個]?(?:部分|章|小?[节節])|那一?[个個]?(?:块|塊)|哪一?[个個]?(?:部分|章|小?[节節]|块|塊)"
                       r"|\b(?:the|a|which|what) (?:part|chapter|section|subsection|bit)\s+(?:on|about|that|where|which|of the report (?:on|about|that))\b"
                       r"|\b(?:which|what) (?:part|chapter|section|subsection)\b|\bis there a (?:part|chapter|section)\b", re.IGNORECASE)
# How the report sees or sets out something: asked of a part, its parts answer.
_OVERVIEW_ZH = re.compile(r"(?:报告|作者|本文|研究)[^。？?]{0,12}?(?:怎么|如何|怎样)(?:[^，。？?]{0,6}?[上面])?(?:看待?|描述|评价|评估|分析|解释|阐述|说明|论述|判断|讲|谈|研判|铺陈|说|归纳|概括|总结|梳理|界定)"
                          r"|(?:报告|作者)[^，。？?]{0,20}?有(?:什么|哪些|何)(?:判断|看法|分析|研判|评价)")
_OVERVIEW_EN = re.compile(r"\bhow (?:does|do|did) (?:the|this) (?:report|study|paper|document|authors?)\b[^?.]{0,20}?\b"
                          r"(?:describe|assess|see|view|characteri[sz]e|explain|analy[sz]e|treat|discuss|judge|evaluate|frame|portray|lay out|set out|approach)\b"
                          r"|\bwhere does the (?:report|study) (?:think|see|expect)\b"
                          r"|\bwhat does (?:the|this) (?:report|study|paper|document) (?:say|have to say) (?:about|on)\b", re.IGNORECASE)
# A facet the question asks the part about: 「技术层面的对策」, "the technology-side advice".
_FACET_ZH = re.compile(r"([\u4e00-\u9fff]{2})(?:层面|方面|维度|角度)|(?<![\u4e00-\u9fff])在([\u4e00-\u9fff]{2})上")
_FACET_EN = re.compile(r"\b([a-z]{4,})(?:-side\b|\s+side\b|\s+front\b)")
# The kinds of things a report's parts are: what a question asking for several of them asks for.
_KINDS_ZH = re.compile(r"案例|个案|模式|类型|路径|措施|举措|对策|建议|方面|支柱|维度|趋势|要素|策略|机制|问题|挑战|短板|经验|做法")
_KINDS_EN = re.compile(r"\b(?:cases?|case studies|examples|models|types|kinds|pathways|paths|measures|steps|recommendations|aspects"
                       r"|pillars|dimensions|trends|elements|strategies|mechanisms|challenges|problems|shortcomings|lessons|approaches)\b")
_WHY = re.compile(r"^\s*why\b|为什么|為什麼|[为為]何(?!\s*[?？。.!！]*\s*$)", re.IGNORECASE)
# A why inside what is explained: 「用哪几根支柱来解释…为什么能融合」 asks for the pillars, not why.
_EXPLAINED_WHY = re.compile(r"(?:解释|说明|阐释|阐述)[^，。？?]{0,20}?(?:为什么|为何)")
_REPORT_ZH = re.compile(r"报告|報告|本文|全文|文件|材料|这篇|這篇|本研究|该研究|該研究|这项研究|這項研究|这份研究|這份研究")
_REPORT_EN = re.compile(r"\b(?:report|document|study|paper)\b", re.IGNORECASE)
_TABLE_OF_CONTENTS = re.compile(
    r"^\s*(?:目录|目錄|大纲|大綱|重点|重點|要点|要點|摘要|概要|总结|總結|table of contents|contents|outline|summary|overview|toc"
    r"|key points|main points|takeaways|key takeaways|tl;?dr)\s*(?:pls|please|请|請)?\s*[?？.。!！]*\s*$",
    re.IGNORECASE,
)
# The report's findings and its recommendations, by what such a question asks for.
# At most this many words of its own (:meth:`Outline._residual`) in a question the outline model
# reads as asking for the findings or recommendations: more ask about something inside them.
TOPIC_RESIDUAL = 3
_TOPICS = {
    "recommendations": (
        re.compile(r"建议|建議|建言|对策|對策|措施|举措|舉措|怎么办|怎麼辦|推进路径|推進路徑|应该怎么做|應該怎麼做|该怎么做|該怎麼做"
                   r"|药方|藥方|方子|下一步|出路"),
        re.compile(r"\brecommend|\bsuggest|\bpropos|\bpolicy advice|\bwhat should\b|\bmeasures\b|\bcountermeasure|\bway forward\b"
                   r"|\bnext steps\b|\baction plan\b|\bthe cure\b|\bprescription\b|\bwhat to do\b|\bhave policymakers do\b", re.IGNORECASE),
        ("建议", "对策", "recommend"),
    ),
    "findings": (
        re.compile(r"问题|問題|挑战|挑戰|困难|困難|不足|短板|瓶颈|瓶頸|发现|發現|结论|結論|风险|風險|薄弱|弱点|弱點|软肋|軟肋|病灶|症结|癥結|卡在"),
        re.compile(r"\bchalleng|\bproblem|\bissues\b|\bfinding|\bconclu|\bobstacle|\bweakness|\bbottleneck|\bshortcoming|\bweak spots?\b"
                   r"|\bwhat'?s broken\b|\bwhat is broken\b|\bputs? its finger on\b|\brisks?\b", re.IGNORECASE),
        ("问题", "挑战", "challenge", "problem"),
    ),
}
_FILLER_ZH = frozenset(
    "报告 这份 这个 这篇 本 该 主要 都 了 的 是 有 什么 哪些 哪几 几 个 章 节 部分 讲 说 写 谈 介绍 包括 包含 涵盖 关于 内容 一下 请 "
    "提出 给出 提到 列出 列举 简单 简要 概括 总结 大概 一共 共 分为 分成 怎么 如何 里 中 呢 吗 吧 啊 问题 挑战 建议 对策 主题 结构 "
    "框架 目录 章节 大纲 概要 摘要 概述 讨论 研究 发现 结论 措施 举措 政策 面临 存在 哪 第 最后 全文 本文 文件 重点 主旨 核心 观点 "
    "部分 篇 告诉 我 你 能 可以 想 知道 了解 帮 帮我 梳理 整体 各 各章 每章 每一章 分别 大致 一下 看看 说说 讲讲 "
    "政府 城市 决策者 官员 部门 管理者 给 对 对策建议 政策建议 主要问题 主要内容 主要挑战 整篇 全篇 啥 就好 简单 看法 "
    "观点 架构 组织 安排 小节 案例 那个 这个 应该 应当 该 做 怎么做 指出 认为 提及 谈到 好 就 行 分 提 依 按 根据 据 "
    "准备 简报 汇报 材料 麻烦 最大 过程 了解 想 讯息 信息 核心 要点 结论 主要观点 具体 界定 那段 段 目前 为何 哪里 "
    "地方 推进 路径 领导 明早 还 没来得及 看 到底 从头到尾 捋 遍 过 一句 一句话 不清 的话 全文 来龙去脉 长话短说 截稿 记者 "
    "跑 财经 线 只剩 十分钟 块 大块 拢共 各管 事 骨架 骨干 长 样 样子 谋篇布局 布局 病灶 软肋 方子 药方 开出 下一步 走 "
    "说到底 卡 哪儿 点出 辩论赛 反方 抽到 承认 自己 找 病因 找到 开出 部门 交代 底子 打 后面 分析 专门 展开 说说 涵盖 面向 "
    "东西 里头 里面 里边 那块 那块儿 角度 切 进去 铺陈 研判 未来 往 哪里 摘 摘一下 一步 接下来 尽快 赶紧 马上 组成".split()
)
_FILLER_EN = frozenset(
    "report document study paper chapter chapters section sections part parts about cover covers covered contain contains "
    "content contents structure outline overview summary summarise summarize organised organized discuss discusses deal "
    "deals say says topic topics main key major recommendation recommendations recommend suggest suggestions proposals "
    "propose policy challenges challenge problems problem issues findings finding conclusions conclusion obstacles "
    "identify identified identifies give list tell brief briefly please overall whole what which how does do is are the "
    "this its it there can you me i want know first second third fourth fifth sixth seventh last final one two three "
    "four five six seven eight nine ten table quick short high level walk through overall broadly roughly "
    "policymakers policy-makers governments government cities officials decision makers should points point make "
    "makes actually according interested go goes through case quickly quick key preparing prepare briefing brief "
    "takeaways takeaway pls plz set sets out forward next steps way main messages message toc ch whats thing start "
    "finish gist bones blocks big built lay layout plain english shaky cover european think tank tech cure alright tells "
    "tell us do broken finger put puts wrong turn action plan authors prepping minister note column spots weak "
    "itself themselves yourself myself ourselves breakdown".split()
)


@dataclass(frozen=True)
class Request:
    """An outline question: list the parts under ``parent`` ("" for the whole report)."""

    kind: str  # "report", "chapter", "section", "findings" or "recommendations"
    doc: str
    parent: str  # a section id, or "" for the report's chapters


class Outline:
    """Recognises outline questions and answers them from the corpus' sections."""

    def __init__(self, corpus, composer, keywords, tokenizer, translator=None, vocab=frozenset(), idf=None,
                 encoder=None) -> None:
        self.idf = idf or {}
        self.encoder = encoder  # reads the parts' titles for questions that describe a part (:meth:`_described`)
        self._profiles: dict[str, tuple[list[str], np.ndarray]] = {}
        self._profiles_lock = threading.Lock()
        self._titles: dict[str, list] = {}  # document -> its parts' titles (:meth:`_part_titles`)
        self._families: dict[tuple[str, str], str] = {}  # (document, part) -> :meth:`_family`
        self.corpus = corpus
        self.composer = composer
        self.keywords = keywords
        self.tokenizer = tokenizer
        self.translator = translator
        self.vocab = vocab  # the report's words: a question word it never uses names no subject of it

    # -- recognising -------------------------------------------------------------------------

    def request(self, text: str, language: str, docs: tuple[str, ...] = (), *, intent: bool = False,
                near: tuple[str, ...] = (), vector: np.ndarray | None = None) -> Request | None:
        """What ``text`` asks to be listed, or None when it is not an outline question; about the
        first document of ``docs`` (default: of the shelf).

        ``intent``: the "outline" model (:meth:`qa.calibration.Calibration.outline_intent`) reads
        the question as one about a part of the report as a whole; then a question the rules
        below do not recognise is answered by the part it names in other ways (:meth:`_inferred`).
        ``near``: the section ids of the question's passage ranking, best first; ``vector``: the
        question's dense vector (with ``near``, they find a part the question describes). A question
        asking advice on a subject the report never names (:meth:`foreign_subject`) is the caller's
        to turn away before asking."""
        doc = self._document(docs)
        if doc is None:
            return None
        found = self._by_rules(doc, text, language, near, vector)
        found = self._inferred(doc, text, language, near, vector) if found is None and intent else found
        return self._narrowed(doc, found, text, language) if found is not None and found.parent else found

    def _narrowed(self, doc, request: Request, text: str, language: str) -> Request:
        """``request``, or the one of its parts (with parts of its own) whose title the question
        says at least half of, besides the words naming the part asked (「多方協同治理要怎麼推進？
        融合機理那章是分哪幾點說明的？」 asks for 4.2's parts, not chapter 4's)."""
        zh = language != "en"
        plain = to_simplified(text) if zh else text
        own = self._title(doc, request.parent)
        # Not by what the asker says of themselves (「我想了解…发展到什么程度，报告里讲现状的那一章包括哪几部分？」
        # asks for chapter 3's parts, though 智能经济…发展 says half of 3.1's title): the asked part only.
        read = self._read(plain, zh, doc)
        words = [w for w in self._words(read, zh) if not self._in_title(w, own, zh)]
        level = request.parent.count(".") + 2
        parts = [s.id for s in doc.sections
                 if s.level == level and s.id.startswith(request.parent + ".") and _has_parts(doc, s.id)]
        for sid in parts:
            if _covered(words, self._heading(doc, sid, zh), zh) >= 0.5:
                return Request("section", doc.name, sid)
        # 「报告在技术层面给出的对策」, "the report's technology-side advice": one part's title, and only
        # its, says a word of the question (技术赋能策略, "Technology Empowerment Strategies").
        # (Not by a word most of the report uses, "governance", nor by the asker's own clause: "Our
        # council is drafting a strategy".)
        facets = [m.group(1) or m.group(2) for m in (_FACET_ZH if zh else _FACET_EN).finditer(read if zh else read.lower())]
        asked = [w for w in self._words(read, zh) if not self._in_title(w, own, zh)
                 and (not self._generic(w, zh) or any(w in f or f in w for f in facets))]
        said = {sid: _covered(asked, self._heading(doc, sid, zh), zh) for sid in parts}
        named = [sid for sid, share in said.items() if share > 0]
        if len(named) == 1 and said[named[0]] >= NARROWED_SHARE:
            return Request("section", doc.name, named[0])
        return request

    def whole(self, docs: tuple[str, ...] = ()) -> Request | None:
        """The whole report's outline: its chapters (the first document of ``docs``, default of the shelf)."""
        doc = self._document(docs)
        return Request("report", doc.name, "") if doc is not None else None

    def titled(self, request: Request, text: str, language: str) -> Request:
        """``request`` for the whole report, or the part with parts whose title the question says at
        least half of (:func:`_covered`), by at least one word the report does not use throughout:
        「现状分析是从哪几个角度展开的？」 asks for the parts of 发展现状, 「报告在理论上是怎么框定城市治理
        的？」 for those of 城市治理的理论框架. Where the titles of two parts apart are said, the whole
        report; between a part and a part of it, the one said more (the higher on a tie). Any other
        request is returned as it is."""
        if request.kind != "report":
            return request
        doc = self._document((request.doc,))
        zh = language != "en"
        whole = to_simplified(text) if zh else text
        if _STRUCTURE_ALONE.search(whole) or _EACH_PART.search(whole):  # its table of contents, each part
            return request
        plain = self._read(whole, zh, doc)
        words = self._words(plain, zh)
        telling = [w for w in words if not self._generic(w, zh)]
        said = {}
        for s in doc.sections:
            if s.level <= 2 and _has_parts(doc, s.id):
                heading = self._heading(doc, s.id, zh)
                share = _covered(words, heading, zh) if _covered(telling, heading, zh) else 0.0
                if share >= TITLED_SHARE:
                    said[s.id] = share
        # 「从总论到对策它是怎么安排的」 says two chapters' titles: the whole report (parts of one line, a
        # chapter and a section of it, are one answer, the one said more).
        if not said or any(not (a.startswith(b + ".") or b.startswith(a + ".")) for a in said for b in said if a != b):
            return request
        best = max(said, key=lambda sid: (said[sid], -sid.count(".")))
        return Request("chapter" if "." not in best else "section", doc.name, best)

    def _document(self, docs: tuple[str, ...]):
        return next((d for d in self.corpus.documents if not docs or d.name in docs), None)

    def _read(self, whole: str, zh: bool, doc=None) -> str:
        """The part of ``whole`` (Simplified) that asks, with spoken section numbers (三点四) and a
        chapter's numbered section (第七章第一节, "chapter 7, section 1") as digits (7.1); with ``doc``,
        without a description of the report by its own theme (「这份关于智能经济与城市治理融合的研究
        报告」 names the report, not its part 2.3 …融合的理论逻辑)."""
        plain = self._asked_part(whole, zh)
        if zh:
            plain = _SECTION_SPOKEN.sub(lambda m: ".".join(str(_chinese_number(g)) for g in m.groups() if g), plain)
            plain = _CHAPTER_SECTION_ZH.sub(lambda m: f"{_number(m.group(1))}.{_number(m.group(2))}节", plain)
        else:
            plain = _CHAPTER_SECTION_EN.sub(lambda m: f"section {_number(m.group(1) or m.group(4))}.{_number(m.group(2) or m.group(3))}", plain)
        if doc is not None and zh:
            plain = _ABOUT_REPORT_ZH.sub(
                lambda m: m.group() if [w for w in self._words(m.group(1), zh)
                                        if not self._in_report_title(doc, w, zh) and not self._generic(w, zh)] else "报告", plain)
        return plain

    def _by_rules(self, doc, text: str, language: str, near: tuple[str, ...] = (), vector=None) -> Request | None:
        zh = language != "en"
        plain = to_simplified(text) if zh else text
        if _TABLE_OF_CONTENTS.match(plain):
            return Request("report", doc.name, "")
        if _WHY.search(plain):  # "why are data silos a problem?" asks for a reason inside a passage
            return None
        # The report may be named only where the asker says who they are ("…haven't read this report yet. What are its main chapters?").
        report = (_REPORT_ZH if zh else _REPORT_EN).search(plain) or _REPORT_EN.search(plain)
        plain = self._read(plain, zh, doc)
        covers = (_COVER_ZH if zh else _COVER_EN).search(plain) or _COVER_EN.search(plain)
        chapter = self._chapter(plain, doc)
        # 「第五章讲什么？」 (a word that asks what it covers, and at most one other), "ch 2?" (nothing
        # else; 「第五章提到了多少个城市？」 asks a count). 「第二章里讲城市治理理论框架的那部分」,
        # 「第六章里专讲人才供给缺口的那一节」: a part of the chapter named by its title.
        if chapter and (covers or not asked_type(plain, language)):
            inner = self._named_part(doc, plain, zh, 2, within=chapter)
            inner = inner if inner is not None and self._named(doc, plain, zh, inner) > self._named(doc, plain, zh, chapter) else None
            title = self._title(doc, chapter) + (" " + self._title(doc, inner) if inner else "")
            if self._residual(plain, zh, title) <= (1 if covers else 0):
                return Request("section", doc.name, inner) if inner else Request("chapter", doc.name, chapter)
        m = _SECTION.search(plain)
        if m and (covers or _SECTION_WORD.search(plain) or m.start() == 0) and self._section(doc, m.group(1)) is not None:
            if self._residual(plain.replace(m.group(0), " "), zh, self._title(doc, m.group(1))) <= 1:
                return Request("section", doc.name, m.group(1))
        # (「这份智能经济与城市治理研究报告讲了什么」, "this study on the intelligent economy and urban
        # governance": the report's own title names the report, not a subject in it.)
        whole = _WHOLE_ZH if zh else _WHOLE_EN
        if report and whole.search(plain) \
                and not [w for w in self._words(whole.sub(" ", plain), zh) if not self._in_report_title(doc, w, zh)]:
            return Request("report", doc.name, "")
        # Asked for the report's make-up in so many words (its table of contents, how it is laid
        # out, chapter by chapter): two words the report never uses besides (a "rundown", 「捋一遍」)
        # do not make it a question about something in it; one it uses does (「城市大脑的系统架构」).
        if (report or _STRUCTURE_ALONE.search(plain)) and (_STRUCTURE_ZH if zh else _STRUCTURE_EN).search(plain) \
                and self._residual(plain, zh, unknown=2) == 0:
            return Request("report", doc.name, "")
        # "the chapter on integration mechanisms", 「讲发展现状的那一章」: a part named by its title.
        part_word = _PART_WORD.search(plain)
        # (「总论那一章都交代了些什么？」: what it holds, asked with a plain "what" and no typed fact.)
        asks_what = _WHAT.search(plain) and not asked_type(plain, language)
        if part_word and (covers or asks_what) and not chapter and not m:
            word = part_word.group().lower()
            level = 1 if _CHAPTER_WORD.search(word) else 3 if word in ("小节", "subsection") else 2
            named = self._named_part(doc, plain, zh, level)
            if named is not None and self._residual(plain, zh, self._title(doc, named)) <= 1:
                return Request("chapter" if "." not in named else "section", doc.name, named)
        for kind, (pattern_zh, pattern_en, words) in _TOPICS.items():
            # 「报告提出了哪些建议？」; with the report named, two words it never uses besides (「眼下有哪些短板与隐忧」),
            # but none it does (「报告建议的数据“三权分置”具体指哪三权？」 asks about 三权分置).
            part = self._part_about(doc, words, plain, zh) if (pattern_zh if zh else pattern_en).search(plain) else None
            if part is not None and (found := self._topic(doc, kind, part, plain, zh, unknown=2 if report else 1, most=0)):
                return found
        if len(plain) <= 24 and (_WHOLE_ZH if zh else _WHOLE_EN).search(plain) and not self._words(plain, zh):
            return Request("report", doc.name, "")  # 「讲了什么？」 in a word or two: the report itself
        # 「讲各地做法的那部分，都介绍了哪些？」, "Which chapter takes stock of where things stand?": a part
        # asked about by what it is about, in words its title does not use.
        one_part = _ONE_PART.search(plain)
        # (「…的那一章，分几节？」 asks what it holds by how many parts.)
        if one_part and (covers or asks_what or _PARTS_COUNTED.search(plain)) and not chapter and not m \
                and self._asks_no_fact(plain, language):
            described = self._described(doc, vector, near, _level(one_part.group()), self._words(plain, zh), zh)
            if described is not None and not self._names_a_leaf(doc, plain, zh, described, near):
                return Request("chapter" if "." not in described else "section", doc.name, described)
        return None

    def _names_a_leaf(self, doc, text: str, zh: bool, part: str, near: tuple[str, ...]) -> bool:
        """The best passage's section has no parts of its own and is named by two or more of
        ``text``'s words, more than ``part`` is (「社會公平那一節提到,深圳…整合了哪些設施資訊?」
        asks about 4.3.3's text, not for the parts of the section 深圳 leads to)."""
        if not near or _has_parts(doc, near[0]):
            return False
        if _PARTS_COUNTED.search(text):  # 「…那一节，分了哪几块？」 asks for parts
            return False
        words = [w for w in self._words(text, zh) if not self._generic(w, zh)]
        leaf = self._named(doc, text, zh, near[0], words)
        return leaf >= 2 and leaf > self._named(doc, text, zh, part, words)

    def listed(self, text: str, language: str, docs: tuple[str, ...] = (), near: tuple[str, ...] = (),
               vector: np.ndarray | None = None, *, answered: bool = False) -> Request | None:
        """The part whose parts answer a question asking for several things of a kind
        (「报告归纳成了哪几种类型？」, "Which overseas models does it look at?"): the part the
        question numbers or says the whole title of, else the part nearest what it describes, when
        a passage of its best three lies in it or above it. ``answered``: one sentence states an
        answer; then only when the best passage opens the part or a part above it, or lies outside
        a part the question numbers or titles. None for a question asking a figure, a year, a
        name, a body or a reason, or naming neither the report nor a part of it."""
        doc = self._document(docs)
        if doc is None or vector is None:
            return None
        zh = language != "en"
        plain = to_simplified(text) if zh else text
        many = [*(_MANY_ZH if zh else _MANY_EN).finditer(plain)]
        if _WHY.search(plain) and not (zh and _EXPLAINED_WHY.search(plain)) or not many:
            return None
        # About what the report sets out (「报告归纳了哪几种」, "the chapter profiles which …"), not about
        # the members of something in it (「那50多个城市具体是哪些」 asks names the report may not give).
        titled = self._titled(doc, plain, zh)
        # Nor naming either, when the best passage opens a part with parts (「技术落地不够深入，具体表现在
        # 哪些方面？」 finds chapter 6's opening): about that part, if its title or the listed one's shares a word.
        about = (_REPORT_ZH if zh else _REPORT_EN).search(plain) or _PART_WORD.search(plain) or titled
        if not (about or near and _has_parts(doc, near[0])):
            return None
        # What the clause that asks "which ones" asks for (「几种模式比较下来，报告归纳出哪些要素？」: not a count).
        asking = _clause_at(plain, many[-1].start())  # the asking clause comes last
        if not self._asks_no_fact(asking, language) or asked_type(asking, language) == "org":
            return None
        # "…in section 3.3?", 「制度创新路径下有哪些举措」: the part named by its number or its whole title, wherever its passages rank
        numbered = self._numbered(doc, self._read(plain, zh, doc)) or titled
        if numbered and _has_parts(doc, numbered):
            part = numbered
        else:
            part = self._described(doc, vector, near, None, self._words(plain, zh), zh)
            if part is None or not any(n == part or n.startswith(part + ".") or part.startswith(n + ".") for n in near[:3]):
                return None
        # 「…今后的演变方向…分几个趋势？」: the section of the part whose title names more of it.
        inner = self._named_part(doc, plain, zh, part.count(".") + 2, within=part)
        if inner is not None and self._named(doc, plain, zh, inner) > self._named(doc, plain, zh, part) \
                and _has_parts(doc, inner):
            part = inner
        # 「报告提到杭州城市大脑模式复制到了50多个城市，具体是哪些？」 asks about one of its parts (3.3.1), not for them.
        # 「报告怎么描述城市治理数位转型的进展？分成哪几方面？」 asks for the parts of the part of it named
        # more (3.2), when that part has parts and no other is named as much.
        named = self._named(doc, plain, zh, part)
        inside = [(self._named(doc, plain, zh, s.id), s.id) for s in doc.sections if s.id.startswith(part + ".")]
        most = max(inside, default=(0, ""))
        divided = (_DIVIDED_ZH if zh else _DIVIDED_EN).search(asking)  # (asked for the parts in so many words)
        if most[0] > named:
            # A tie between a part and parts of it ("security" says 6.4 and 6.4.1 alike) is the part's.
            tied = sorted((sid for n, sid in inside if n == most[0]), key=lambda sid: sid.count("."))
            if _has_parts(doc, tied[0]) and all(sid.startswith(tied[0] + ".") for sid in tied[1:]):
                part = tied[0]
            elif not divided:  # (「…社会公平…报告从哪几方面讲的？」 asks for the parts all the same)
                return None
        # 「发展现状那章挑了哪几个地方的案例？」, "Which flagship case studies does it profile in its
        # assessment of the current situation?": the one part of the part found whose title names the
        # kind of thing asked for (3.3 …典型案例, "Representative Cases …"), unless the part's own title
        # does ("the mechanisms chapter"). Its parts answer, even when a sentence seems to, if one of
        # the best three passages lies in the part found or above it.
        kind = (_KINDS_ZH if zh else _KINDS_EN).search(plain[many[-1].start():] if zh else plain[many[-1].start():].lower())
        if kind is not None:
            word = kind.group() if zh else kind.group()[:4]
            inner = [c.id for c in doc.sections if c.id.startswith(part + ".") and c.level == part.count(".") + 2
                     and _has_parts(doc, c.id) and word in self._heading(doc, c.id, zh)]
            if len(inner) == 1 and word not in self._heading(doc, part, zh):
                supported = any(n == part or n.startswith(part + ".") or part.startswith(n + ".") for n in near[:3])
                part, answered = inner[0], answered and not supported
            elif not inner and word not in self._heading(doc, part, zh):
                # 「报告在梳理现状的时候，拿了哪几个城市的做法当样板案例？」: the one part titled with a kind
                # asked for (3.3 …典型案例) in a chapter the question's other words name (发展现状).
                tail = plain[many[-1].start():] if zh else plain[many[-1].start():].lower()
                for word in (k.group() if zh else k.group()[:4] for k in (_KINDS_ZH if zh else _KINDS_EN).finditer(tail)):
                    asked = [w for w in self._words(plain, zh) if not self._generic(w, zh)
                             and not self._in_report_title(doc, w, zh) and word not in w]
                    titled_kind = [s.id for s in doc.sections if s.level <= 2 and _has_parts(doc, s.id)
                                   and word in self._heading(doc, s.id, zh) and not s.id.startswith(part.split(".")[0] + ".")
                                   and any(self._in_title(w, self._title(doc, s.id.split(".")[0]), zh) for w in asked)]
                    if len(titled_kind) == 1:
                        part, answered = titled_kind[0], False
                        break
        # A sentence answers it: still the part's parts when the best passage is the part's own opening
        # or one above it (a chapter's opening names its sections), or, for a part the question numbers,
        # when that passage lies outside it ("…in section 3.3?" is not answered from chapter 1).
        top = near[0] if near else ""
        if answered and not divided and not (top == part or part.startswith(top + ".") or numbered == part and not top.startswith(part + ".")):
            return None
        if not about and not self._named(doc, plain, zh, part):
            return None  # 「我想转行当人工智能工程师，应该先上哪些线上课程？」 is about no part of the report
        return Request("chapter" if "." not in part else "section", doc.name, part)

    def overview(self, text: str, language: str, docs: tuple[str, ...] = (), near: tuple[str, ...] = ()) -> Request | None:
        """The part whose opening passage ranks first, for a question asking how the report sees
        or sets out something (「报告怎么看…」, "How does the report assess the security side?"), when
        that part has parts of its own: its parts, each with its point, are the report's answer.
        None for a question asking why, or a figure, a year or a name."""
        doc = self._document(docs)
        if doc is None or not near or not _has_parts(doc, near[0]):
            return None
        zh = language != "en"
        plain = to_simplified(text) if zh else text
        if not (_OVERVIEW_ZH if zh else _OVERVIEW_EN).search(plain) or _WHY.search(plain):
            return None
        if asked_type(plain, language) in _FACT_TYPES:
            return None
        return Request("chapter" if "." not in near[0] else "section", doc.name, near[0])

    def _titled(self, doc, text: str, zh: bool) -> str:
        """A part with parts of its own whose whole title ``text`` says (「制度创新路径下有哪些举措」), or ""."""
        said = set() if zh else {w[:5] for w in english_words(text)}
        for section_id, title, words in self._part_titles(doc):
            if zh and len(title) >= 4 and title in text or not zh and len(words) >= 2 and words <= said:
                return section_id
        return ""

    def _part_titles(self, doc) -> list[tuple[str, str, frozenset]]:
        """(id, Simplified title, first five letters of its English title's content words) of each
        part with parts of its own: read once per document (a race only reads it twice)."""
        got = self._titles.get(doc.name)
        if got is None:
            got = self._titles[doc.name] = [
                (s.id, to_simplified(s.title),
                 frozenset(w[:5] for w in english_words(self.corpus.titles_en.get((doc.name, s.id), "")) if w not in EN_STOPWORDS))
                for s in doc.sections if _has_parts(doc, s.id)
            ]
        return got

    def _numbered(self, doc, text: str) -> str:
        """The chapter or section ``text`` names by its number, or ""."""
        m = _SECTION.search(text)
        if m and self._section(doc, m.group(1)) is not None:
            return m.group(1)
        return self._chapter(text, doc)

    @staticmethod
    def _asks_no_fact(text: str, language: str) -> bool:
        """``text`` asks for no figure, year or name: for what a part holds (「借鉴了哪些城市」 are its
        parts), or for how many parts it has (「分了哪几点」)."""
        typed = asked_type(text, language)
        if typed in ("count", "quantity"):
            return bool(_PARTS_COUNTED.search(text))
        return typed not in _FACT_TYPES

    def _inferred(self, doc, text: str, language: str, near: tuple[str, ...], vector=None) -> Request | None:
        """The part a question the outline model recognised asks about, when the rules did not:
        the chapter or section it numbers; the whole report when it asks how the whole is made
        up; the part a part word (「那一章」, "the section on …") points to, named by its title's
        words or else by where its passages are; the findings or recommendations; else the
        whole report if the question names it and nothing the report speaks of besides."""
        zh = language != "en"
        whole = to_simplified(text) if zh else text
        if asked_type(whole, language) in _FACT_TYPES:  # a sum, a share, a year, a name: a fact inside a part
            return None
        plain = self._read(whole, zh, doc)
        chapter = self._chapter(plain, doc)
        if chapter:
            return Request("chapter", doc.name, chapter)
        m = _SECTION.search(plain)
        if m and self._section(doc, m.group(1)) is not None:
            return Request("section", doc.name, m.group(1))
        if _STRUCTURE_ALONE.search(whole) or (_STRUCTURE_ZH if zh else _STRUCTURE_EN).search(whole) or _EACH_PART.search(whole):
            return Request("report", doc.name, "")  # (「先给我个全貌」 says so in the asker's own clause)
        part_word = _PART_WORD.search(plain) or _VAGUE_PART.search(plain)
        if part_word:
            word = part_word.group().lower()
            # 章 and 节 say which level; 部分, "part", 那段 do not (their tie goes to a chapter).
            vague = bool(_VAGUE_PART.fullmatch(word)) or word in ("那部分", "part", "那段", "这段", "這段", "passage", "那块", "那塊")
            level = 1 if vague or _CHAPTER_WORD.search(word) else 3 if word in ("小节", "小節", "subsection") else 2
            # The model has read it as a question about a part: one title word names the part.
            # A vague part named by no title (「报告的建议部分」, 「主要部分」) is asked about below.
            named = self._named_part(doc, plain, zh, level, share=0.0, exact=not vague)
            named = named or (None if vague else self._described(doc, vector, near, level, self._words(plain, zh), zh))
            if named is not None:
                return Request("chapter" if "." not in named else "section", doc.name, named)
        # The findings or recommendations, unless the question names more of what the report speaks
        # of than a way of asking does (「针对偏远乡村地区，报告提出了哪些建议？」 asks about 乡村).
        for kind, (pattern_zh, pattern_en, words) in _TOPICS.items():
            part = self._part_about(doc, words, plain, zh) if (pattern_zh if zh else pattern_en).search(plain) else None
            if part is not None and (found := self._topic(doc, kind, part, plain, zh, unknown=2, most=TOPIC_RESIDUAL)):
                return found
        report = (_REPORT_ZH if zh else _REPORT_EN).search(plain) or _REPORT_EN.search(plain)
        if report and self._residual(plain, zh, unknown=2) == 0:
            return Request("report", doc.name, "")
        return None

    def _described(self, doc, vector, near: tuple[str, ...], level: int | None, words: list[str] = (),
                   zh: bool = True) -> str | None:
        """The part at ``level`` (None: any chapter or section that has parts) a question describes
        by its subject: the one whose titles (its own and its sub-parts', Chinese and English) are
        nearest ``vector``, plus :data:`EVIDENCE_WEIGHT` per passage of ``near`` it holds (by rank),
        plus :data:`TITLE_WEIGHT` per word of ``words`` (the question's, not the report's theme) those
        titles say (「…绿色低碳、社会公平…报告从哪几方面讲的？」: 4.3, whose part 4.3.3 says 社会公平)."""
        if vector is None or self.encoder is None or not doc.sections:
            return None
        ids, profiles = self._part_profiles(doc)
        telling = [w for w in words if not self._generic(w, zh)]
        parents = {sid.rsplit(".", 1)[0] for sid in ids if "." in sid}
        similarity = profiles @ (vector / (np.linalg.norm(vector) or 1.0))
        best, score = None, -np.inf
        for i, sid in enumerate(ids):
            depth = sid.count(".") + 1
            if level is not None and depth != level or level is None and (depth > 2 or sid not in parents):
                continue
            got = similarity[i] + EVIDENCE_WEIGHT * sum(
                1 / (rank + 1) for rank, n in enumerate(near[:NEAR_PASSAGES]) if n == sid or n.startswith(sid + ".")
            )
            if telling:
                family = self._family(doc, sid)
                got += TITLE_WEIGHT * sum(1 for w in telling if self._in_title(w, family, zh))
            if got > score:
                best, score = sid, got
        return best

    def _part_profiles(self, doc) -> tuple[list[str], np.ndarray]:
        """(section ids, unit vectors of each section's titles with its sub-parts' titles): encoded
        once per document, the first time a question describes a part."""
        with self._profiles_lock:
            if doc.name not in self._profiles:
                titles_en = self.corpus.titles_en
                texts = []
                for s in doc.sections:
                    children = [c for c in doc.sections if c.id.startswith(s.id + ".") and c.level == s.level + 1]
                    english = titles_en.get((doc.name, s.id), "")
                    texts.append(
                        to_simplified(s.title) + "：" + "、".join(to_simplified(c.title) for c in children)
                        + (" " + english + ": " + ", ".join(titles_en.get((doc.name, c.id), "") for c in children)
                           if english else "")
                    )
                vectors = self.encoder.passage(texts)
                norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                self._profiles[doc.name] = ([s.id for s in doc.sections], vectors / np.where(norms == 0, 1.0, norms))
            return self._profiles[doc.name]

    def _asked_part(self, text: str, zh: bool) -> str:
        """``text`` without the clauses in which the asker speaks of themselves (「我要给领导写个简报」,
        "I'm prepping a briefing note for the minister") when another clause asks the question:
        they say why it is asked, not what about."""
        clauses = [c for c in _CLAUSE.split(text) if c.strip()]
        if len(clauses) < 2:
            return text
        # ("I … haven't read this report yet" names the report, but says who asks, not what.)
        asking = [c for c in clauses if self._cue(c, zh, report=not _FIRST_PERSON.search(c))]
        kept = [c for c in clauses if c in asking or not _FIRST_PERSON.search(c)]
        return "，".join(kept) if asking and len(kept) < len(clauses) else text

    @staticmethod
    def _cue(clause: str, zh: bool, report: bool = True) -> bool:
        """``clause`` asks about the report or its parts (``report``: naming the report is enough)."""
        patterns = [_WHOLE_ZH if zh else _WHOLE_EN, _COVER_ZH if zh else _COVER_EN, _PART_WORD, _CHAPTER_ZH, _CHAPTER_EN, _SECTION]
        patterns += [_REPORT_ZH if zh else _REPORT_EN] if report else []
        patterns += [z if zh else e for z, e, _ in _TOPICS.values()]
        return any(p.search(clause) for p in patterns)

    def _words(self, text: str, zh: bool) -> list[str]:
        """Content words of ``text`` that are not about the report's parts: a question about
        a fact or a subject has some; "第五章讲什么？" has none."""
        if zh:
            # A single character (装, 些, 讲) names no subject of the report; its subjects are words.
            words = [w for w in self.tokenizer.words(to_simplified(text)) if re.search(r"[\u4e00-\u9fff]", w) and len(w) > 1]
            # (jieba keeps 在技术上 one word: its subject is 技术.)
            words = [w[1:-1] if len(w) > 3 and w[0] == "在" and w[-1] in "上中里" else w for w in words]
            return [w for w in words if w not in STOPWORDS and w not in _FILLER_ZH and not _WHOLE_ZH.fullmatch(w)
                    and not re.fullmatch(r"[第一二两三四五六七八九十章节那几各每个哪]+", w)]
        words = [w for w in english_words(text) if len(w) > 1 and not w.isdigit() and not re.fullmatch(r"[ivx]+|\d+(?:\.\d+)*", w)]
        return [w for w in words if w not in EN_STOPWORDS and w not in _FILLER_EN]

    def _residual(self, text: str, zh: bool, title: str = "", unknown: int = 1) -> int:
        """How many content words ``text`` has besides the words of ``title`` (the part it names)
        that the report itself uses: 梳理, gist, 要点 say how to answer, 杭州 and 交通 what about."""
        words = [w for w in self._words(text, zh) if not self._in_title(w, title, zh) and not self._generic(w, zh)
                 and not any((z if zh else e).search(w) for z, e, _ in _TOPICS.values())]
        used = sum(1 for w in words if self._used(w, zh))
        # One word the report never uses is a way of asking (gist, 梳理); more are a question of their own.
        return used + max(0, len(words) - used - unknown)

    def _topic(self, doc, kind: str, part: str, plain: str, zh: bool, unknown: int, most: int) -> Request | None:
        """The findings or recommendations (``part``) when ``plain`` has at most ``most`` words of its
        own (:meth:`_residual`); else the one part of them, with parts, whose title says the words it
        has besides (「在技术上，报告建议…怎么做？」 asks for 7.1 技术赋能策略, "the talent problem" for 6.3)."""
        if self._residual(plain, zh, unknown=unknown) <= most:
            return Request(kind, doc.name, part)
        children = [s.id for s in doc.sections
                    if s.id.startswith(part + ".") and s.level == part.count(".") + 2 and _has_parts(doc, s.id)]
        family = " ".join(self._title(doc, sid) for sid in [part, *children])
        if self._residual(plain, zh, family, unknown=unknown) > most:
            return None
        own = self._title(doc, part)
        words = [w for w in self._words(plain, zh) if not self._in_title(w, own, zh) and not self._generic(w, zh)]
        named = [sid for sid in children if any(self._in_title(w, self._title(doc, sid), zh) for w in words)]
        return Request("section", doc.name, named[0]) if len(named) == 1 else None

    def foreign_subject(self, text: str, language: str) -> bool:
        """The subject ``text`` asks the report's findings or advice on (「报告对X有什么建议」,
        "recommend on X") is mostly words the report never uses (at least half of those that name
        something): the report does not speak of it (房价调控, minimum wages), however it is asked,
        and no part of its outline answers."""
        zh = language != "en"
        m = (_SUBJECT_ZH if zh else _SUBJECT_EN).search(to_simplified(text) if zh else text)
        words = [w for w in self._words(m.group(1), zh) if w not in _NO_SUBJECT and not self._generic(w, zh)] if m else []
        return bool(words) and 2 * sum(not self._used(w, zh) for w in words) >= len(words)

    def _family(self, doc, section_id: str) -> str:
        """The titles (:meth:`_title`) of ``section_id`` and of its own parts: read once per part
        (a race only reads it twice)."""
        key = (doc.name, section_id)
        got = self._families.get(key)
        if got is None:
            level = section_id.count(".") + 2
            got = self._families[key] = " ".join(
                self._title(doc, s.id) for s in doc.sections
                if s.id == section_id or s.id.startswith(section_id + ".") and s.level == level)
        return got

    def _in_report_title(self, doc, word: str, zh: bool) -> bool:
        """``word`` is a word of the report's own title (智能经济, 城市治理; "urban", "economy")."""
        title = to_simplified(doc.title)
        if zh:
            return len(word) > 1 and word in title
        if self._in_title(word, self.corpus.titles_en.get((doc.name, ""), "").lower(), zh):
            return True
        terms = list(self.translator.translate(word).terms) if self.translator else []
        return any(t in title for t in terms)

    def _generic(self, word: str, zh: bool) -> bool:
        """A word most of the report uses (智能经济, 城市治理, 融合, data): its theme, not a subject in it."""
        if not self.idf:
            return False
        terms = [word] if zh else list(self.translator.translate(word).terms) if self.translator else []
        return bool(terms) and all(self.idf.get(t, 99.0) <= GENERIC_IDF for t in terms)

    def _used(self, word: str, zh: bool) -> bool:
        if not self.vocab:
            return True
        if zh:  # a Taiwan word (資料, 人工智慧) stands for the mainland one the report uses (数据)
            return word in self.vocab or any(
                t in self.vocab for t in self.tokenizer.tokens(to_mainland(to_traditional(word)))
            )
        if self.translator is None:
            return True
        return any(t in self.vocab for t in self.translator.translate(word).terms)

    @staticmethod
    def _in_title(word: str, title: str, zh: bool) -> bool:
        """``word`` names ``title``: as a part of it (Chinese), or as a word or its first five letters (theory ~ theoretical)."""
        if not title:
            return False
        if zh:
            return len(word) > 1 and word in title
        return len(word) > 1 and any(t == word or len(word) > 4 and t[:5] == word[:5] for t in re.findall(r"[a-z]+", title))

    def _heading(self, doc, section_id: str, zh: bool) -> str:
        """The title of ``section_id`` in the asker's language: Simplified Chinese, or English lower-cased."""
        if zh:
            s = self._section(doc, section_id)
            return to_simplified(s.title) if s is not None else ""
        return self.corpus.titles_en.get((doc.name, section_id), "").lower()

    def _title(self, doc, section_id: str) -> str:
        s = self._section(doc, section_id)
        if s is None:
            return ""
        return to_simplified(s.title) + " " + self.corpus.titles_en.get((doc.name, section_id), "").lower()

    def _named(self, doc, text: str, zh: bool, section_id: str, words: list[str] | None = None) -> int:
        """How many of the question's words (``words`` when given) the title of ``section_id`` holds."""
        title = self._title(doc, section_id)
        return sum(1 for w in (self._words(text, zh) if words is None else words) if self._in_title(w, title, zh))

    def _named_part(self, doc, text: str, zh: bool, level: int, within: str = "", share: float = 0.5,
                    exact: bool = False) -> str | None:
        """The part at ``level`` whose title holds most of the question's words (at least one, and
        at least ``share`` of them); ``within``: only among the parts of that section; ``exact``:
        only parts at ``level`` (else another level's part may win by more words)."""
        words = self._words(text, zh)
        best, score = None, 0.0
        for s in doc.sections:
            if within and not s.id.startswith(within + ".") or exact and s.level != level:
                continue
            title = self._title(doc, s.id)
            got = sum(1 for w in words if self._in_title(w, title, zh))
            got += 0.5 if got and s.level == level else 0.0  # the level the question names wins a tie
            # "the section on security risks in the problems-and-challenges chapter": a part whose
            # chapter's title says the question's other words wins a tie (6.4, not 3.4 现存问题与挑战).
            if got and s.level > 1:
                chapter = self._title(doc, s.id.split(".")[0])
                got += 0.25 if any(self._in_title(w, chapter, zh) for w in words if not self._in_title(w, title, zh)) else 0.0
            if got > score:
                best, score = s.id, got
        return best if score and score >= len(words) * share else None

    def _chapter(self, text: str, doc) -> str:
        chapters = [s for s in doc.sections if s.level == 1]
        number = None
        m = _CHAPTER_ZH.search(text)
        if m:
            raw = m.group(2)
            if m.group(3) or m.group(2) is None and not m.group().startswith(("最", "收", "结", "結")):  # 开篇那一章, 首章, 导论, 开头的部分
                number = 1
            elif raw is None:  # 最后一章, 收尾的那一章
                number = -1
            else:
                number = int(raw) if raw.isdigit() else _chinese_number(raw)
                if m.group(1) and number and chapters:  # 倒数第二章: the second from the end
                    number = int(chapters[-1].id) - number + 1 if chapters[-1].id.isdigit() else None
        else:
            m = _CHAPTER_EN.search(text)
            if m:
                raw = "introductory" if m.group(3) else (m.group(1) or m.group(2)).lower()
                number = int(raw) if raw.isdigit() else _EN_NUMBERS.get(raw) or _ROMAN.get(raw)
        if not number:
            return ""
        if number == -1:
            return chapters[-1].id if chapters else ""
        return next((s.id for s in chapters if s.id == str(number)), "")

    @staticmethod
    def _section(doc, section_id: str) -> Section | None:
        return next((s for s in doc.sections if s.id == section_id), None)

    def _part_about(self, doc, words: tuple[str, ...], plain: str = "", zh: bool = True) -> str | None:
        """The chapter (else section) whose title, Chinese or English, names one of ``words``; of
        several such parts, the one in the chapter whose titles say more of ``plain``'s other words
        (「報告在盤點當前進展時，順帶指出了哪些短板？」: 3.4 现存问题与挑战, in 发展现状 with 3.2 …进展,
        not chapter 6 问题挑战)."""
        titles = self.corpus.titles_en
        found = [s.id for level in (1, 2) for s in doc.sections if s.level == level
                 and any(w in to_simplified(s.title) + " " + titles.get((doc.name, s.id), "").lower() for w in words)]
        if len(found) < 2 or not plain:
            return found[0] if found else None
        asked = [w for w in self._words(plain, zh) if not self._generic(w, zh) and not self._in_report_title(doc, w, zh)
                 and not any((z if zh else e).search(w) for z, e, _ in _TOPICS.values())]

        def said(sid: str) -> int:
            family = self._family(doc, sid.split(".")[0])  # its chapter's
            return sum(1 for w in asked if self._in_title(w, family, zh))

        best = max(found, key=said)  # (the first, a chapter, on a tie)
        return best if said(best) > said(found[0]) else found[0]

    # -- answering ---------------------------------------------------------------------------

    def parts(self, request: Request) -> list[Section]:
        doc = next(d for d in self.corpus.documents if d.name == request.doc)
        if not request.parent:
            return [s for s in doc.sections if s.level == 1][:MAX_PARTS]
        parent = self._section(doc, request.parent)
        children = [s for s in doc.sections if s.id.startswith(parent.id + ".") and s.level == parent.level + 1]
        return (children or [parent])[:MAX_PARTS]

    def hits(self, request: Request, q, display: str | None) -> tuple[Hit, ...]:
        """One hit per listed part, in the report's order: its opening sentence, its sub-parts' titles."""
        doc = next(d for d in self.corpus.documents if d.name == request.doc)
        out = []
        for part in self.parts(request):
            hit = self._hit(doc, part, q, display)
            if hit is not None:
                out.append(hit)
        return tuple(out)

    def _hit(self, doc, part: Section, q, display: str | None) -> Hit | None:
        sections = [s for s in doc.sections if s.id == part.id or s.id.startswith(part.id + ".")]
        first = next((s for s in sections if (doc.name, s.id) in self.composer.chunks_of), None)
        if first is None:
            return self._lost(doc, part, display)
        chunk = self.composer.index.chunks[self.composer.chunks_of[(doc.name, first.id)][0]]
        rows = self.keywords.sentences_of.get(chunk.id, [])
        row = rows[0] if rows else None
        sentence = self.keywords.sentence_text(row) if row is not None else chunk.text
        hit = self.composer.hit(chunk, sentence, row, 1.0, q, display)
        children = [s for s in doc.sections if s.id.startswith(part.id + ".") and s.level == part.level + 1]
        titles_en = self.corpus.titles_en
        listing = " · ".join(f"{s.id} {s.title}" for s in children)
        listing_en = " · ".join(f"{s.id} {titles_en.get((doc.name, s.id), s.title)}" for s in children)
        if display:
            listing = to_script(listing, display)
        title = to_script(part.title, display) if display else part.title
        path = tuple(to_script(p, display) for p in part.path) if display else part.path
        return Hit(
            **{
                **hit.__dict__,
                "section_id": part.id,
                "section_title": title,
                "section_title_en": titles_en.get((doc.name, part.id), ""),
                "section_path": path,
                "text": f"{listing}\n{hit.answer}" if listing else hit.text,
                "text_en": f"{listing_en}\n{hit.answer_en}" if listing else hit.text_en,
                "start": part.start,
                "also_in": (),
            }
        )

    def _lost(self, doc, part: Section, display: str | None) -> Hit:
        """A listed part with a title but no text (a report cut off in the middle of it: 7.2.3
        推進數字…): its title, and a note that its text is missing, so the listing is whole."""
        note = say("lost_text", display or "zh-Hant")  # where the passage's text would be (English in answer_en)
        title = to_script(part.title, display) if display else part.title
        path = tuple(to_script(p, display) for p in part.path) if display else part.path
        return Hit(
            section_id=part.id, section_title=title,
            section_title_en=self.corpus.titles_en.get((doc.name, part.id), ""), section_path=path,
            text=note, answer=note, score=0.0, doc=doc.name, start=part.start, end=part.start,
            answer_en=say("lost_text", "en"), text_en=say("lost_text", "en"), english="edition",
            doc_title=self.composer.doc_title(doc.name, display), shelf_size=len(self.composer.doc_titles),
        )


# Words of the subject slot that name no subject: 「城市治理本身」, 「今后的方向」, "the technology side".
_NO_SUBJECT = frozenset("本身 自身 今后 以后 目前 当前 现在 未来 具体 整体 总体 主要 方面 问题 情况 "
                        "side sides front aspect aspects area areas part parts issue issues problem problems topic".split())
# Where a question names the subject it asks the report's findings or advice on.
_SUBJECT_ZH = re.compile(r"(?:对于|对|关于|针对|就)([^，,。？?！!]{1,20}?)(?:方面|问题|领域)?(?:有什么|有哪些|有何|提出|给出|给了|怎么|如何|是怎么|的建议|的看法|的结论)")
_SUBJECT_EN = re.compile(r"\b(?:recommend\w*|advice|advise\w*|suggest\w*|propos\w*|say|says|think|conclude\w*|view\w*)\s+(?:on|about|regarding|concerning)\s+([^?,.;]{1,60}?)(?:\s+(?:in|for|to|from)\b|[?,.;]|$)", re.IGNORECASE)


def _has_parts(doc, section_id: str) -> bool:
    """The section has sections of its own."""
    return any(s.id.startswith(section_id + ".") for s in doc.sections)


def _covered(words: list[str], title: str, zh: bool) -> float:
    """How much of ``title`` the question's ``words`` say: the share of its characters (Chinese)
    or of its content words (English, by their first five letters)."""
    if not title:
        return 0.0
    if zh:
        said = [False] * len(title)
        for w in words:
            for m in re.finditer(re.escape(w), title):
                said[m.start(): m.end()] = [True] * (m.end() - m.start())
        return sum(said) / len(title)
    own = [t for t in re.findall(r"[a-z]+", title.lower()) if t not in EN_STOPWORDS]
    asked = {_stem5(w) for w in set(words)}  # (risks ~ risk, theory ~ theoretical)
    return sum(_stem5(t) in asked for t in own) / len(own) if own else 0.0


@functools.lru_cache(maxsize=8192)
def _stem5(word: str) -> str:
    """The first five letters of ``word``'s stem (a long question says its words many times)."""
    return stem(word)[:5]


def _number(raw: str) -> int:
    """A chapter or section number written in digits, Chinese numerals or English words."""
    return int(raw) if raw.isdigit() else _EN_NUMBERS.get(raw.lower()) or _chinese_number(raw)


def _clause_at(text: str, position: int) -> str:
    """The clause of ``text`` (:data:`_CLAUSE`) that holds ``position``."""
    start = 0
    for m in _CLAUSE.finditer(text):
        if m.start() >= position:
            return text[start: m.start()]
        start = m.end()
    return text[start:]


def _level(part_word: str) -> int | None:
    """The level a part word names: 章/chapter 1, 节/section 2, 小节/subsection 3; 部分, "part", 哪里 none."""
    word = part_word.lower()
    if re.search(r"小节|小節|subsection", word):
        return 3
    if re.search(r"章|chapter", word):
        return 1
    if re.search(r"节|節|section", word):
        return 2
    return None


def _chinese_number(raw: str) -> int | None:
    if raw == "十":
        return 10
    if raw.startswith("十"):
        return 10 + _NUMERALS.get(raw[1:], 0)
    if len(raw) == 1:
        return _NUMERALS.get(raw)
    if len(raw) == 2 and raw[1] == "十":
        return _NUMERALS.get(raw[0], 0) * 10
    return None
