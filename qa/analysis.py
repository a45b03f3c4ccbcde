"""Question analysis: what a checked question asks, in terms the index can search.

From a :class:`qa.question.Checked` question this module finds its language, its
weighted search tokens (jieba words; English translated to Chinese terms through the
reduced CC-CEDICT and the glossary; Taiwan wording mapped to the mainland words the
report uses), character pairs, the dense query vector, the names it uses that the
report never does, and what kind of thing it asks for (a quantity, an amount of money,
a share, a year, a duration, a body or person, a place, a definition) with the years
and places it names. Nothing here ranks or decides.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field

import numpy as np

from qa.encoders import query_prefix
from qa.lexical import STOPWORDS, han_bigrams
from qa.question import DENSE_CHARS, Checked
from qa.script import detect_language, to_mainland, to_simplified, to_traditional
from qa.spans import PLAN, STARTS
from qa.translate import (
    EN_STOPWORDS,
    Translator,
    american,
    english_tokens,
    english_words,
    stem,
)

_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z]{2,}(?:-[A-Z][A-Za-z]+)*")
_LONG_WORD = re.compile(r"\b[A-Za-z]{7,}\b")  # RESPELL_MIN letters or more: a word respelled if misspelt
_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")
# The shortest misspelt place name respelled (:meth:`Analyser.respelled`).
RESPELL_MIN = 7
_RESPELLINGS_KEPT = 20_000  # words remembered as read (the set is cleared when full)


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one letter added, dropped or changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    return a[i + 1 :] == b[i + 1 :] or (i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :])


# A Roman numeral of a name's number (II … XII): no name of its own.
_ROMAN = re.compile(r"(?:X?(?:I{2,3}|IV|VI{0,3}|IX)|XI{1,2})")
# Where a sentence (or a quotation) opens: its first word is capitalised whatever it is.
_OPENING = re.compile(r"(?:^|[.!?:;]\s+|[\"'“‘(]\s*)$")
# Where a sentence ends: after 。！？, after . ! ? and a space, or after ! ? before Chinese (the
# normaliser writes 「嗎？我們」 as 「嗎?我們」).
_SENTENCES = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])|(?<=[!?])(?=[\u3400-\u9fff])")
_COUNTED_ZH = re.compile(r"(?:多少|几)(?:个|项|家|名|座|类|条|种|位|所|台|辆|部)?([\u4e00-\u9fff]{2})")
# The measure word of a count question that names its kind of thing (几所 schools, 多少条 items of
# text, 多少家 firms …). Not 个, 项, 类 or 种, which fit any thing, nor 名 and 位, which count people
# (:data:`qa.decide._PERSONS` checks those).
# Words for a year or a span of years: what a year question asks for, not an attribute of it.
_YEAR_WORDS = frozenset({"年份", "年度", "年代", "年头", "时间", "时间段", "时段", "时期", "期间", "时候", "年限", "区间"})
_UNIT_ZH = re.compile(r"(?:多少|几)(所|条|家|座|台|辆|部|架|艘|篇|件)")
_COUNTED_PEOPLE_ZH = re.compile(r"(?:多少|几)(?:个|名|位)?人(?![口次才民员工均])")
_COUNTED_EN = re.compile(r"\bhow many ([a-z]+(?: [a-z]+)?)", re.I)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# What a question sets aside: 「除了查文献、分析案例，还用了什么方法？」, "Besides literature review and
# case studies, what …?", "… any method other than surveys?". The answer is what it does not list.
# (Not the 除 of a verb: 「消除数字鸿沟，还要做什么？」 sets nothing aside.)
_BESIDES_ZH = re.compile(r"(?<![消排去清免解拆删刪剔扣废廢根破革摒祛切])除了?(.{1,40}?)(?:以外|之外|外)?(?:[，,]|\s*(?:还|還|另外|其他|其它|别的|別的|又))")
_BESIDES_EN = re.compile(
    r"\b(?:besides|apart from|aside from|in addition to|other than)\s+"
    r"(.{3,160}?)(?=,\s*(?:what|which|how|who|where|when|is|are|does|do|did|can)\b"
    r"|\s+(?:does|do|did|is|are|was|were|has|have|can|could|would|will)\b|[?;]|$)",
    re.IGNORECASE,
)
# The things a question sets aside, one from another: 「查文献、分析案例和跑统计数据」, "A, B and C".
_LIST_ITEM = re.compile(r"\s*(?:[、,，和与與及]|\band\b|\bor\b)\s*")
# 「咱们国家」, 「我们国家」: the asker's country, as the report's 我国 says it; read as 国家 it matches the
# report's 国家层面 and 国家统计局 (「咱们国家2022年数字经济的盘子到底有多大？」 found §3.2.3's 国家层面 first).
_OUR_COUNTRY = re.compile(r"(?:咱们|我们|咱)的?国家|咱国")
# China's provincial-level divisions and the one character that stands for each in a run of them
# (沪苏浙皖 is Shanghai, Jiangsu, Zhejiang and Anhui; 京津冀, 粤港澳): a report that writes the run
# writes the province, and 「从江苏迁到浙江」 names no place it never mentions.
PROVINCE_SHORT = {
    "北京": "京", "天津": "津", "河北": "冀", "山西": "晋", "内蒙古": "蒙", "辽宁": "辽", "吉林": "吉", "黑龙江": "黑",
    "上海": "沪", "江苏": "苏", "浙江": "浙", "安徽": "皖", "福建": "闽", "江西": "赣", "山东": "鲁", "河南": "豫",
    "湖北": "鄂", "湖南": "湘", "广东": "粤", "广西": "桂", "海南": "琼", "重庆": "渝", "四川": "川", "贵州": "黔",
    "云南": "滇", "西藏": "藏", "陕西": "陕", "甘肃": "甘", "青海": "青", "宁夏": "宁", "新疆": "新", "香港": "港",
    "澳门": "澳", "台湾": "台",
}
_SHORT_CHARS = frozenset(PROVINCE_SHORT.values())
# 「全世界」「世界各地」: the whole world, which a report of this kind writes 全球 (全球数据总量); read as 世界
# it matches only the names 世界银行, 世界经济论坛, and 全世界的数据总量 found Hangzhou's 数据总量 first.
_WHOLE_WORLD = re.compile(r"全世界|整个世界|世界各地|世界范围")
# Asks what the report recommends: its recommending part is where such a question is answered.
ADVICE = re.compile(r"建议|建議|对策|對策|建言|\brecommend|\bsuggest|\bpropos|\badvi[cs]e", re.IGNORECASE)
# Asks how the asker gets something done (「护照怎么办理」, "how do I renew my licence?", "what documents
# do I need"): a procedure for a person, which a research report never gives, however many of its
# words (上海, 数据) the question shares. No answerable or near-miss question of the eval sets says this.
PROCEDURE = re.compile(
    r"\bhow (?:do|can|should|would) (?:i|we)\b|\bwhat (?:documents|papers|paperwork|materials) (?:do|does|will|would) (?:i|we)\b"
    r"|\bwhere (?:do|can|should) (?:i|we) (?:apply|go|register|sign up)\b"
    r"|(?<!是)[怎如][么麼何](?:办理|辦理|申请|申請|报名|報名)|需要[准準]备哪些|(?:去|到)哪[里裡](?:办|辦)",  # not 「是怎么办理…的」
    re.IGNORECASE,
)
# How much of a question is read for what it asks (its question word may come after a long preamble).
ASKING_CHARS = 400
# The words with which an English question asks what kind of answer it wants (asked_type reads them).
_ASKING_EN = re.compile(
    r"\bhow (?:large|big|quickly|long|far|often|soon)\b|\bwhat (?:share|proportion|portion|fraction) of\b", re.IGNORECASE
)
# The weight of a word a follow-up inherits from the conversation, against the asker's own (1.0).
INHERITED = 0.35
# The weight of the other words of the conversation's last question (historical query expansion); dev
# conversations plateau from 0.5 to 0.65.
BACKGROUND = 0.5

# What a question asks for, from its question words: (type, pattern), first match wins.
# Simplified Chinese patterns (the question is converted first) and English ones.
ASKED_ZH = (
    # The year something began (「哪一年启动的」): a year the sentence gives for its start, not for a figure.
    ("start", (r"(?:哪一?年|何年|什么时候|何时|几几年|哪年)[^？?，,]{0,8}?(?:启动|开始|推出|上线|建立|成立|开通|实施|发布|印发|建成|创建|启用|投用|投入使用|投入运行|出台|设立|开展|试点)"
              r"|(?:启动|开始|推出|上线|建立|成立|开通|实施|发布|印发|建成|创建|启用|投用|出台|设立)(?:于|在)?(?:哪一?年|何时|什么时候)|始于何")),
    ("year", r"哪一?年|哪[几些]年|何年|什么时候|何时|哪个年份|几几年|哪年|始于何|年份"),  # 「聚焦在哪几年」: years, not a place
    ("time", r"多长时间|多久|几天|几个?小时|几分钟|几秒|多少小时|多少分钟|多少秒|多少天|(?:多少|几)个?工作日|多少年(?!前)|耗时|提前多"),
    ("share", r"(?:比例|占比|比重|百分之|百分比|覆盖率|准确率|正确率|使用率|普及率|渗透率|增长率|增速|利用率|开放率|共享率|识别率|采纳率|流失率|解决率|满意度|成功率|(?<!速)率)[^？?]{0,6}(?:多少|几|(?<![老总])是|为|有多高|多高|怎样)|占[^？?]{0,12}(?:多少|几成|多大)|多少%|百分之几|几成"),
    ("quantity", r"多少倍|几倍|(?:增长了?|提[升高]了?|[下降减少缩短]了?|(?:降低|增加|节省|节约|压缩|减轻)了?)多少(?![钱元])"),
    ("money", r"(?:投资|投入|预算|资金|经费|费用|成本|花费|造价|金额|收入|营收|营业额|交易额|补贴|融资|税收|花了|罚款|罚金)[^？?]{0,8}(?:多少|几)|多少钱|(?:多少|几)(?:万亿|亿|万)?元"),
    ("org", (r"哪一?家|哪些?(?:企业|公司|机构|部门|单位|组织|团队|厂商|高校)|谁(?:来|负责|开发|建设|运营|研发|承建|提出|主导|牵头)|由谁|是谁"
            r"|哪一?[个所](?:企业|公司|机构|部门|单位|组织|团队|机关|大学|高校|院校|研究机构|研究院|厂商|供应商|运营商|开发商)"
            # 「那3个专业分中心具体是哪几个」: the bodies asked for are named after the question word
            r"|(?:企业|公司|机构|部门|单位|中心|团队|厂商|供应商|运营商|高校|大学)[^？?，,。]{0,12}?(?:是|为)哪(?:一|几)?[个家所些]")),
    # 「原因出在哪里」「问题在哪」: where a cause lies is a reason, not a place.
    ("", r"(?:原因|问题|症结|根源|难点|瓶颈|短板|差距|区别|差异|不同|关键)[^？?，,。]{0,4}在哪(?!一?年)|原因何在"
         # 「卡在哪些地方」「具体表现在哪里」「难在哪」: where a difficulty shows is a way, not a place.
         r"|(?:卡|表现|体现|反映|难|差|弱|短|强|好|贵|不足|欠缺|落后|突出|优势|亮点|特点|特色|毛病|缺陷)在哪"),
    ("place", (r"哪里|哪儿|何地|哪一?[个座](?:城市|地区|省|国家|区|县|市)|哪些(?:城市|地区|省份|国家)"
               # (「存在哪些问题」 asks what there is; 「在哪个平台上投票」「建立在哪个技术生态上」, in what thing)
               r"|(?<!存)在哪(?!一?个?(?:平台|系统|技术|生态|领域|方面|环节|阶段|层面|渠道|网站|应用|软件|App|APP|app))"
               # 「那个省会城市是哪个」「这个城市到底是哪个」: the place asked for is named after the question word
               r"|(?:城市|省会|省份|地区|国家|县|城)[^？?，,。]{0,12}?(?:是|为)哪(?:一|几)?[个座里些]")),
    # How many things (「覆盖了多少个社区」「有多少名城管」): a count, which a share (92%) does not give.
    ("count", r"(?:多少|(?<!哪)几)(?:个|项|家|名|座|条|位|所|台|辆|架|件|户|人|款|栋|间|支|通|宗|起|笔|张|套|批)"),
    ("quantity", r"多少|(?<!哪)几(?:个|项|家|名|座|类|条|种|位|所|台|辆|部|次|倍)|多大|多高|多快|多远|多长"),
    ("person", r"(?:人|者|家|员|长|士)叫什么(?:名字)?|姓什么|哪一?位"),  # 「那位经济学家叫什么名字」「是哪位经济学家」: a person
    ("name", r"叫什么名字|叫什么|什么名字|名称是什么|名字是什么"),
    ("", r"什么原因|原因是什么|为什么|为何|为啥|怎么回事"),  # a reason: no span of a type states it
    ("definition", r"什么是|是什么|指什么|什么意思|含义|定义"),
)
ASKED_EN = (
    # (A question that opens with "when" or "in what year": "When a city recruited …, what was …" asks a ratio.)
    ("start", (r"^\W*(?:(?:in|by|since) )?(?:(?:what|which) year|when (?:did|was|were|is|has|have|will))\b.{0,60}?"
              r"\b(?:launch|start|begin|began|begun|introduc|establish|found|open|set up|roll(?:ed)? out|issu|publish|releas"
              r"|unveil|creat|go live|went live|(?:go|went|come|came) into (?:operation|service|force|effect))\w*")),
    ("year", r"\b(?:what|which) years?\b|\bwhen (?:did|was|were|will|is|does)\b|\bsince when\b|\bhow long ago\b|\bstart(?:ed)? in\b"),
    # "which government agency", "which first-tier city": a word or two may stand before the kind; what
    # "which" asks for comes before a measure the question mentions ("Which county … poor 4G coverage?").
    # (who opens the question or a clause of it; "the shortage of people who combine …" asks no one)
    ("org", r"(?:^|[.?!,;:(\"]\s*|\b(?:and|or|but|so|then|know|knows|tell me|wonder|wondering|ask|asking|about|exactly|actually|say|says|said) )who\b|\bwho\W*$|\bwhich (?:[a-z-]+ ){0,2}?(?:company|companies|firm|organi[sz]ation|agency|agencies|body|bodies|institution|institutions|institute|department|ministry|university|vendor|operator|developer)\b|\bwhat (?:[a-z-]+ ){0,2}?(?:company|organi[sz]ation|agency|body|institute)\b|\b(?:built|developed|operated|run|designed) by\b(?!\s+(?:the end of |the middle of |mid-?|early |late )?(?:(?:19|20)\d\d|then|now)\b)"),
    # "Where does the intelligent economy stand today?", "where does it fall short": a state, not a place.
    ("", r"\bwhere (?:does|do|did|is|are) .{0,50}?\b(?:stand|stands|fall short|falls short|lag|lags|struggle|struggles|go wrong|goes wrong)\b"),
    # (A "where" inside the question is a relative one: "in one megacity where resources are stretched, what …")
    ("place", r"^\W*where\b|\bwhere (?:is|are|was|were|did|does|do|can|could|will|would|has|have|had)\b|\bwhere\W*$|\bwhich (?:[a-z-]+ ){0,2}?(?:city|cities|province|country|countries|region|district|county|capital)\b|\bin what (?:city|country)\b"),
    ("time", r"\bhow long\b|\bhow much time\b|\bhow many (?:hours|minutes|seconds|days|weeks|months|years|working days)\b|\bhow quickly\b|\bhow fast\b|\bhow far in advance\b|\blatency\b|\bresponse time\b"),
    ("share", r"\bwhat (?:percentage|share|proportion|fraction|rate|ratio)\b|\bhow much of\b|\bpercent\b|\baccuracy\b|\bhow accurate(?:ly)?\b|\brate\b|\bcoverage\b|\bshare of\b"),
    ("quantity", (r"\bhow many times\b|\bby how much\b|\bhow much (?:faster|higher|lower|more|less|(?:did|has|have|had|does|do|will|would|could|can) .{0,40}"
                  r"(?:increase|grow|rise|fall|drop|improve|cut|reduce|narrow|shrink|shorten|save|lower|raise|boost|speed|decline|decrease"
                  r"|climb|expand|widen|slash))")),
    ("money", r"\bhow much (?:money|funding|investment|did .{0,40}cost|does .{0,40}cost|is .{0,30}budget)|\bcost\b|\bbudget\b|\binvest(?:ment|ed)?\b|\bspen[dt]\b|\bfunding\b|\brevenue\b|\bturnover\b|\bprice\b|\byuan\b|\bdollars?\b|\bfinancing\b|\bsubsid|\bfine[sd]?\b|\bsalar(?:y|ies)\b|\bwages?\b"),
    ("count", r"\bhow many (?!times\b|percent|per cent|more\b|fewer\b|(?:tonnes|tons|kilo\w*|km|megawatts|square|metres|meters)\b)"),
    ("quantity", (r"\bhow many\b|\bhow much\b|\bhow big\b|\bhow large\b|\bhow high\b|\bnumber of\b"
                 # "What is the combined computing capacity of …", "What is the actual PM2.5 concentration …"
                 r"|\bwhat (?:is|was|are|were) (?:the |its |their )?(?:(?:total|combined|overall|average|annual|current|actual|peak) ){0,2}"
                 r"(?:[a-z0-9.'-]+ ){0,5}?(?:number|size|amount|scale|volume|level|density|capacity|concentration|output|population|throughput"
                 r"|score|roi|return on investment)\b"
                 # a request for a figure: "For a table I need Chengdu's satisfaction score for 2022."
                 r"|\b(?:i need|i want|give me|tell me|looking for)\b.{0,60}?\b(?:figure|number|score|total|count|statistic)s?\b")),
    ("definition", r"\bwhat (?:is|are|does) (?:the |a |an )?[\w\s'-]{1,40}\b(?:mean|stand for)\b|\bwhat is (?:a |an |the )?[\w'-]+(?: [\w'-]+){0,3}\??$|\bdefin"),
)
_ASKED_ZH = tuple((t, re.compile(p)) for t, p in ASKED_ZH)
# The asked types that are figures of something: an amount, a duration, a share, a sum of money.
MEASURES = frozenset({"quantity", "time", "share", "money"})

# The asked attribute: the words that name what a typed question asks for (注册用户 in
# 「京通有多少注册用户？」, "sensors" in "How many sensors feed …"). An answer sentence must hold
# them as well as a span of the asked type; a near miss states some other figure of the subject.
_QUESTION_WORD_ZH = re.compile(r"多少|几|哪一?年|哪儿|哪里|哪|什么|何时|多大|多高|多长|多久|谁|多快|多远")
# Words around a question word that name no attribute: verbs of being and change, measure
# words, hedges, and the generic nouns a type already implies (时间 for a duration …).
_NOT_ATTRIBUTE_ZH = frozenset(
    "是 有 为 达 达到 约 大约 大概 了 要 能 的 一共 总共 共 目前 现在 已经 已 到 会 可以 可 能够 需要 在 将 把 被 由 "
    "对 其 该 这个 那个 个 项 家 名 座 类 条 种 位 所 台 辆 部 次 倍 起 件 户 人次 呢 吗 多 少 几 左右 上下 以上 以内 年 每年 每天 些 "
    "几个 哪些 哪个 哪家 哪一 一个 提高 提升 降低 降到 降 增加 增长 减少 缩短 超过 高出 提高到 缩短到 压缩 压缩到 下降 "
    "上升 扩大 首次 实现 就 又 还 都 也 平均 分别 一次 时间 水平 范围 规模 数量 程度 状态 比例 多长时间 一年 之 中 里 内 "
    # the size of whatever is named before: 「数据总量累计到了多大的量级」 asks a figure, not the word 量级;
    # 盘子 is its spoken form (「数字经济的盘子有多大」)
    "量级 体量 总量 总数 数目 盘子 "
    "开始 正式 做 花 花费 值 来自 来源于 最快 最多 最少 最高 最低 最长 最短 指数 数值 情况 成 名字 名称 叫 "
    # colloquial endings: 「多少来着」 (what was it again), 「多少呀」
    "来着 来 着 呀 哇 嘛 啦 "
    # verbs of scope: 「研究涵盖的时间范围是哪几年」 asks years of the study, not of 涵盖
    "涵盖 覆盖 包括 包含 涉及 "
    # units and the nouns a type implies: a span of the type states them (「花了多少钱」 by 「5亿元」)
    "钱 资金 经费 费用 金额 元 万元 亿元 万亿 万亿元 美元 分钟 小时 天 秒 日 周 月 个月 公里 分 "
    # the kinds of thing an org or place question asks for: the answer names one, not the kind
    "公司 机构 部门 单位 企业 组织 团队 厂商 高校 城市 地区 省 省份 国家 区 县 外国 国外 海外 境外".split()
)
# A count (一家, 两个) or glued function characters (是从) is no attribute either.
_FUNCTION_ONLY_ZH = re.compile(r"[一二两三四五六七八九十百千万几]+[个项家名座类条种位所台辆部次件户]?|[是从到在有为的了和与及把被由对向给让将]+")
_QUESTION_EN = re.compile(
    r"\b(?:how many|how much(?: of)?|what (?:percentage|share|proportion|fraction|portion|rate|number|amount|level|kind|type) of|"
    r"what (?:is|was|are|were) the|which|who|when|where)\b\s*(.*)",
    re.IGNORECASE,
)
_PHRASE_END_EN = re.compile(r"\b(?:did|does|do|is|was|are|were|has|have|had|will|would|can|could|should|may|might|must|in|of|by|for|on|at|to|from|with|that|when)\b", re.IGNORECASE)
_AUXILIARY_EN = frozenset("is was are were did does do has have had will would can could should may might must be been first the a an".split())
# How a "which city is said to have …" question reports, links or aims, not what it asks: the verb after them does.
_SAID_EN = frozenset(
    "said cited mentioned described reported considered known expected seen named listed highlighted noted regarded "
    "credited praised believed thought become became becoming aim aims aimed aiming try tries tried trying seek seeks "
    "seeking hope hopes hoped hoping plan plans planned planning".split()
)
# The report as the subject of a question's verb ("does the report hold up", "do the authors credit"):
# that verb is how it reports.
_THE_REPORT_EN = frozenset("report study paper document authors author research text analysis".split())
_PLURAL_EN = re.compile(r"[a-z]+[^s]s|people|children|men|women|staff|personnel")
_NOT_ATTRIBUTE_EN = frozenset(
    "the a an its their s total overall average annual rate share percentage proportion number amount level scale size ratio many much "
    "more less fewer higher lower faster bigger larger per head capita out up down off over back away piece pieces exist exists existed".split()
)
# The nouns the money type implies, as 钱 资金 for Chinese: a span of the type states them, and
# the question asks nothing more ("how much funding did X get" asks no attribute, not "get").
_MONEY_NOUNS_EN = frozenset("money funding funds fund financing".split())
_LETTERS_EN = re.compile(r"[a-z]+(?:-[a-z]+)*")
# The kinds of thing an org or place question asks for: the answer names one, not the kind.
_KINDS_EN = frozenset(
    "company companies firm firms organization organisation organizations organisations agency agencies body bodies "
    "institution institutions institute institutes department departments ministry vendor vendors operator operators "
    "developer developers city cities country countries region regions province provinces district districts".split()
)
_ASKED_EN = tuple((t, re.compile(p, re.I)) for t, p in ASKED_EN)


@dataclass(frozen=True)
class Query:
    """A question ready to search.

    Attributes:
        text: the question as searched (normalised, bounded).
        language: "zh-Hans", "zh-Hant" or "en".
        tokens: search token (Simplified) → weight, for BM25 and keyword shares.
        bigrams: character pair → weight.
        unknown: share of the question's content words the report never uses.
        foreign: names the question uses that the report never does (南京, Chongqing).
        pairs: (Simplified term, English) for English words that were translated.
        vector: the dense query vector (of the question's start, as far as the encoder reads).
        asking_vector: the dense vector of the question's asking end (:func:`dense_tail`), where
            ``vector`` leaves it out (a preamble, then the question); ``vector`` otherwise. What is
            to be listed is read from it (:mod:`qa.outline`), the passages are found by ``vector``.
        counted: what a "how many X" question counts, in Simplified Chinese.
        asked: what the question asks for: "quantity", "count" (a number of things), "money", "share", "year", "start" (the
            year something began), "time",
            "org", "place", "definition", or "" (how, why, which measures …).
        years: years the question names ("2023").
        places: places the question names that the report also writes (Simplified).
        english_tokens: stemmed English words → weight, for English editions (English questions).
        attribute: the words naming what a typed question asks for, in Simplified Chinese
            (for an English question, the Chinese renderings of ``attribute_en``).
        attribute_en: for an English question, the asked noun as written ("sensors").
        advice: the question asks what the report recommends (「有什么建议」, "what does it propose").
        procedure: the question asks how the asker gets something done (:data:`PROCEDURE`).
        unit: the measure word of a count question that names a kind of thing (所 of 「几所大学」),
            in Simplified Chinese; "" for none.
        besides: the things the question sets aside (:func:`besides`; 「查文献、分析案例、跑统计数据」 is
            three), each as its search tokens and English stems: they find the passage, not the
            sentence that answers.
    """

    text: str
    language: str
    tokens: dict
    bigrams: dict
    unknown: float
    foreign: tuple[str, ...]
    pairs: tuple
    vector: np.ndarray
    counted: tuple[str, ...] = ()
    asked: str = ""
    years: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    english_tokens: dict = field(default_factory=dict)
    own: frozenset = frozenset()  # for a follow-up: the search tokens of the asker's own words
    attribute: tuple[str, ...] = ()
    attribute_en: str = ""
    advice: bool = False
    procedure: bool = False
    unit: str = ""
    besides: tuple[frozenset, ...] = ()
    asking_vector: np.ndarray | None = None

    @property
    def asking(self) -> np.ndarray:
        """:attr:`asking_vector`, or :attr:`vector` where the encoder read the whole question."""
        return self.vector if self.asking_vector is None else self.asking_vector

    @property
    def typed(self) -> bool:
        """Does the question ask for a typed span (a quantity, an amount, a share, a year …)?"""
        return self.asked not in ("", "definition")

    @property
    def group(self) -> str:
        """"en" or "zh": the fusion weights and calibration models are per group."""
        return "en" if self.language == "en" else "zh"


def _words_en(text: str) -> list[str]:
    """The words of ``text`` (:func:`qa.translate.english_words`: a hyphenated one whole, a
    possessive's "s" dropped: "co-developed", "vendor" of "vendor's") made of letters only."""
    return [w for w in english_words(text) if _LETTERS_EN.fullmatch(w)]


def asked_attribute(text: str, language: str, words, noun=None, measure: bool = False, duration: bool = False) -> tuple[str, ...]:
    """The words naming what ``text`` asks for: for Chinese, Simplified words right after the
    question word (「多少注册用户」), else the one right before it (「准确率是多少」); for English,
    the last content word of the asked noun phrase ("what is the rate of data openness" →
    "openness"), or for "how many" its first plural ("how many residents took part" →
    "residents"). ``words`` cuts Simplified text into words (jieba's precise cut). ``noun``,
    if given, tells whether an English word can name a thing: the last such word of the phrase
    is taken ("what share of China's GDP came from …" → "gdp", not "came"). ``measure``: the
    question asks a figure (:data:`MEASURES`); a Chinese verb right before its question word then
    names the event measured (「智慧交通停摆了多久」, said 瘫痪8小时 in the report), not an
    attribute the answer must repeat. ``duration``: the question asks a duration; a verb after its
    question word is the event timed too (「深圳秒批平均几分钟办完？」). () when there is none."""
    if language == "en":
        m = _QUESTION_EN.search(text)
        if not m:
            return ()
        rest, named = m.group(1), []
        for _ in range(2):  # "what is the rate of X": the phrase after the generic noun
            head, *tail = _PHRASE_END_EN.split(rest, maxsplit=1)
            said = _words_en(head)
            named = [w for w in said if w not in _NOT_ATTRIBUTE_EN and w not in _MONEY_NOUNS_EN]
            if named or not said or not tail or _MONEY_NOUNS_EN & set(said):
                break  # "by how much could …" asks no noun
            rest = tail[0]
        after = _words_en(m.group(1))
        # "which company", "which government body": the kind within the first three words
        kind_at = next((i for i, w in enumerate(after[:3]) if w in _KINDS_EN), None)
        kind_of = m.group(0).lower().startswith("which") and kind_at is not None
        if m.group(0).lower().startswith("who") or kind_of:
            # "who developed X", "which company built X" ask for the one who did it: the verb
            # names what is asked.
            rest = after[kind_at + 1:] if kind_of else after
            lead = next((i for i, w in enumerate(rest) if w not in _AUXILIARY_EN and w != "this"), len(rest))
            if lead < len(rest) and rest[lead] in _THE_REPORT_EN:
                rest = rest[lead + 2:]  # "which city does the report hold up as …": how it reports, not what
            named = [w for w in rest if w not in _AUXILIARY_EN and w not in _KINDS_EN and w not in _SAID_EN
                     and w not in EN_STOPWORDS][:1]
        elif m.group(0).lower().startswith("how many"):
            # The counted noun is the first plural: "how many residents took part" → residents.
            named = next(([w] for w in named if _PLURAL_EN.fullmatch(w)), named)
        elif noun is not None:
            named = [w for w in named if noun(w) or re.search(rf"\b{w.upper()}\b", text)] or named  # GDP
        return (named[-1],) if named else ()
    simplified = to_simplified(text)
    m = _QUESTION_WORD_ZH.search(simplified)
    if not m:
        return ()

    tags = _word_tags()

    def content(part: str) -> list[str]:
        return [
            t for t in words(part)
            if t not in _NOT_ATTRIBUTE_ZH and t not in STOPWORDS and not t.isdigit() and re.search(r"\w", t)
            and not _QUESTION_WORD_ZH.search(t) and not _FUNCTION_ONLY_ZH.fullmatch(t)
            and not _NAMES_NOTHING.fullmatch(tags.get(t, "x"))
        ]

    after = content(simplified[m.end():])[:2]
    if duration:  # 「几分钟办完」「多久能回应」: the verb after a duration's question word names the event timed
        after = [t for t in after if not _is_verb(t, tags)]
    if any(len(t) > 1 for t in after):  # 「多少人能操作」「哪个城市靠智能治理」: a lone character says little
        after = [t for t in after if len(t) > 1]
    if after:
        return tuple(after)
    head = simplified[: m.start()]
    reach = _REACHES.search(head)
    if measure and reach and tags.get(reach.group(1)) in ("a", "ad"):
        # 「应急响应能快到几分钟」「高达多少」: the adjective says how far the figure reaches, 响应 what it
        # is a figure of (「比年轻人低多少」 keeps 低: the gap it asks is said 低65个百分点).
        head = head[: reach.start()]
    before = content(head)[-1:]
    if measure and before and _is_verb(before[0], tags):
        return ()  # 「停摆了多久」「能做到多大」: the verb names the event measured, not what is asked of it
    return tuple(before)


def _is_verb(word: str, tags: dict) -> bool:
    """A verb of jieba's dictionary (not a verbal noun), or one with a result glued on (累积到, 增至)."""
    tag = tags.get(word)
    if tag is None and len(word) > 2 and word[-1] in _RESULTS:
        tag = tags.get(word[:-1])
    return tag is not None and tag.startswith("v") and tag != "vn"


_RESULTS = frozenset("到至成了")
# An adjective reaching a figure right before the question word: 「快到几分钟」「高达多少」.
_REACHES = re.compile(r"([\u4e00-\u9fff])(?:到了?|达|至)$")


# English past forms that are no -ed word: the verb of a question, never what it asks for.
_PAST_EN = frozenset({
    "came", "went", "paid", "made", "got", "took", "gave", "brought", "saw", "led", "built", "spent", "rose",
    "fell", "grew", "began", "became", "held", "kept", "left", "lost", "met", "put", "ran", "said", "sent",
    "set", "sold", "stood", "told", "thought", "won", "wrote", "bought", "caught", "cut", "drew", "drove",
    "fed", "found", "heard", "hit", "knew", "laid", "lent", "let", "meant", "read", "rode", "sat", "shot",
    "shut", "slept", "spoke", "stole", "struck", "swore", "taught", "threw", "understood", "woke", "wore",
})
# Parts of speech (jieba's dictionary tags) that never name a thing asked for: adverbs (到底, 才),
# conjunctions (只有), pronouns (怎么样, 自己), localisers (之间), times (现在), numerals and
# measure words, prepositions, particles and interjections.
_NAMES_NOTHING = re.compile(r"d|c|r|rr|rz|f|t|tg|m|mq|q|p|u[a-z]?|y|e|o|zg")


@functools.cache
def _word_tags() -> dict:
    """Part of speech of the words of jieba's dictionary that name nothing (:data:`_NAMES_NOTHING`)
    or are verbs and adjectives, ~65,000 of its 349,000 (read once, on the first typed question;
    a word not here is taken for a noun)."""
    import jieba

    tags = {}
    with jieba.dt.get_dict_file() as f:
        for line in f:
            parts = line.decode("utf-8").split()
            if len(parts) == 3 and (_NAMES_NOTHING.fullmatch(parts[2]) or parts[2][0] in "va" and parts[2] != "vn"):
                tags[parts[0]] = parts[2]
    return tags


_PLAN_EN = re.compile(r"\b(1[1-6])(?:st|nd|rd|th)\s+five[- ]year\s+plan", re.IGNORECASE)  # 十一五 … 十六五
_PLAN_NUMBERS = "一二三四五六"


def plan_periods(text: str) -> list[str]:
    """The five-year plans ``text`` names, each as the report writes it (十四五) and then its
    years (2021 … 2025): a plan's period is asked like a year (「十三五期间」 is not 十四五)."""
    out = []
    numbers = [10 + _PLAN_NUMBERS.index(m.group(1)) + 1 for m in PLAN.finditer(to_simplified(text))]
    numbers += [int(m.group(1)) for m in _PLAN_EN.finditer(text)]
    for n in numbers:
        first = 1966 + 5 * (n - 3)  # the third plan ran 1966-1970, the fourteenth 2021-2025
        out += [f"十{_PLAN_NUMBERS[n - 11]}五", *(str(y) for y in range(first, first + 5))]
    return out


def dense_tail(text: str, cap: int) -> str:
    """What the dense encoder reads of a question longer than ``cap`` characters: its last
    sentences that fit, as the asking sentence comes last (「我们在写…材料，……。报告第三章分哪几节？」,
    "I'm reviewing the methodology for a briefing note. For the quantitative part, which …?"); the
    last sentence alone when even it is longer; ``text`` itself when it fits or is one sentence."""
    if len(text) <= cap:
        return text
    sentences = question_sentences(text)
    if len(sentences) < 2:
        return text
    tail = sentences[-1]
    for s in reversed(sentences[:-1]):
        joined = s + " " + tail if s[-1].isascii() else s + tail
        if len(joined) > cap:
            break
        tail = joined
    return tail


def question_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (「…预算。可以简单介绍一下这份报告吗？」 → two)."""
    return [p.strip() for p in _SENTENCES.split(text) if p.strip()]


# Where an asker says who they are (「我是香港特区政府的政策研究人员」, "I'm an analyst at the
# Chongqing planning bureau"): a name there is the asker's, not the question's.
_WHO_ZH = re.compile(r"(?:^|(?<=[。！!？?，,；;\n]))\s*(?:我|本人)(?:们|們)?(?:是|在|来自|來自|任职于|任職於|就职于|就職於)[^。！!？?；;，,\n]*?"
                     r"(?:人员|人員|研究员|研究員|官员|官員|干部|幹部|公务员|公務員|职员|職員|分析师|分析師|记者|記者|学者|學者"
                     r"|学生|學生|顾问|顧問|主任|局长|局長|处长|處長|科长|科長|工作|任职|任職|上班)[^。！!？?；;，,\n]*")
_WHO_EN = re.compile(r"(?:^|(?<=[.!?;]\s))\s*(?:I'm|I am|I work|We're|We are|We work)\b[^.!?;]*?\b(?:at|for|with|from|in)\b[^.!?;]*[.!;]",
                     re.IGNORECASE)


def without_asker(text: str, language: str) -> str:
    """``text`` without the sentences or clauses in which the asker says who they are, when
    something else is left to ask; else ``text``."""
    rest = (_WHO_EN if language == "en" else _WHO_ZH).sub(" ", text)
    return rest if len(rest.strip(" ，,。.？?！!")) >= 4 else text


def besides(text: str, language: str) -> str:
    """What the question sets aside (:data:`_BESIDES_ZH`, :data:`_BESIDES_EN`), or ""."""
    m = (_BESIDES_EN if language == "en" else _BESIDES_ZH).search(text)
    return m.group(1).strip(" ,") if m else ""


def asking_part(text: str, language: str) -> str:
    """The sentence of ``text`` that asks, when a sentence of context comes before it ("A
    company in Beijing wants to know which subsidies it qualifies for. How much time does …
    save?" asks a duration, not which subsidies): the last one ending in a question mark, if it
    asks for a type; else the whole text."""
    parts = question_sentences(text)
    asking = [p for p in parts if p.endswith(("?", "？"))]
    if len(parts) > 1 and asking and asked_type(asking[-1], language):
        return asking[-1]
    return text


def asked_type(text: str, language: str) -> str:
    """What ``text`` asks for (see :class:`Query`); "" when its question words say nothing typed."""
    if language == "en":
        rules, subject = _ASKED_EN, text
    else:
        rules, subject = _ASKED_ZH, to_simplified(text)
    for kind, pattern in rules:
        if pattern.search(subject):
            return kind
    return ""


def _demonym(word: str, names) -> bool:
    """``word`` names the people of a place the report names (Singaporeans, Shanghainese, Barcelonans)."""
    for suffix in ("ians", "ian", "ans", "an", "nese", "ese", "ers", "er", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 5:
            base = word[: -len(suffix)]
            if base in names or base + "a" in names or base + "e" in names:
                return True
    return False


class Analyser:
    """Turns checked questions into :class:`Query` values over one built index (read-only)."""

    def __init__(self, index, translator: Translator, encoder) -> None:
        self.index = index
        self.translator = translator
        self.encoder = encoder
        self._place_names: tuple[str, ...] | None = None  # the English names of the places the report writes
        self._spellings: dict[int, tuple[str, ...]] | None = None  # the documents' English words, by length
        self._respellings: dict[str, str] = {}  # a word as typed -> as read (kept: the search is ~0.5 ms)
        self._runs: dict[str, tuple[str, ...]] | None = None  # a province's character -> the runs that hold it

    def respelled(self, text: str) -> str:
        """``text`` with its misspelt words spelt right. A word of at least :data:`RESPELL_MIN`
        letters that no dictionary or document holds is read as what it is one edit (a letter
        added, dropped, changed or two swapped) from, when that is one thing: a capitalised word as
        the one English name of a place the report writes it is near ("Shenzen", "Hangzou" →
        Shenzhen, Hangzhou); any word as the words of one stem it is near among the documents'
        English editions and the lexicon ("goverment", "platfrom", "efficency"). A shorter word
        (Luzhou against Suzhou) is another word as often as a slip, and stays as written."""
        if not _LONG_WORD.search(text):
            return text
        lexicon = self.index.lexicon
        common = self.index.common_english
        edition = self.index.english_lexical.vocab if self.index.english_lexical is not None else ()

        def known(w: str) -> bool:
            return (w in self.index.names or stem(w) in lexicon or stem(w) in edition
                    or w in common or american(w) in common)

        def fix(m: re.Match) -> str:
            word = m.group()
            got = self._respellings.get(word)
            if got is None:
                if len(self._respellings) >= _RESPELLINGS_KEPT:
                    self._respellings.clear()
                got = self._respellings[word] = respell(word)
            return got

        def respell(word: str) -> str:
            w = word.lower()
            if known(w):
                return word
            if word[0].isupper():
                near = [name for name in self._names_of_places() if _one_edit(w, name)]
                if len(near) == 1:
                    return near[0].capitalize()
                if near:
                    return word
            spellings = self._english_spellings()
            near = [x for n in (len(w) - 1, len(w), len(w) + 1) for x in spellings.get(n, ()) if _one_edit(w, x)]
            if len({stem(x) for x in near}) != 1:
                return word
            return near[0].capitalize() if word[0].isupper() else near[0]

        return _LONG_WORD.sub(fix, text)

    def _english_spellings(self) -> dict[int, tuple[str, ...]]:
        """The words a misspelt one may be, by length: those of the documents' English editions
        and the dictionary words the lexicon renders (found on first use and kept)."""
        if self._spellings is None:
            words = {w for sentence in self.index.english if sentence for w in english_words(sentence)
                     if w.isalpha() and len(w) >= RESPELL_MIN - 1}
            words |= {w for w in self.index.common_english if len(w) >= RESPELL_MIN - 1 and stem(w) in self.index.lexicon}
            by_length: dict[int, list[str]] = {}
            for w in sorted(words):
                by_length.setdefault(len(w), []).append(w)
            self._spellings = {n: tuple(ws) for n, ws in by_length.items()}
        return self._spellings

    def _names_of_places(self) -> tuple[str, ...]:
        if self._place_names is None:
            places = self.index.places
            self._place_names = tuple(sorted(
                w for w in self.index.names
                if w.isalpha() and len(w) >= RESPELL_MIN - 1 and any(zh in places for zh, _w in self.index.lexicon.get(stem(w), ()))
            ))
        return self._place_names

    def analyse(
        self, checked: Checked, translate: bool = True, own: str | None = None, background: str = "", edition: bool = True
    ) -> Query:
        """``own``: for a follow-up resolved against the conversation, the words the asker
        typed; words that came from the context weigh :data:`INHERITED` of their own weight,
        so the context narrows where to look and the asker's words pick the sentence.
        ``background``: the conversation's last question; its other words join at
        :data:`BACKGROUND` (keyword search only; the dense vector reads the question).
        ``edition``: read the documents' English editions for an English question (False: as
        for documents without one)."""
        # A follow-up is in the asker's language even when the context it was read against is not
        # (「效率提升了多少？」 after an English question stays a Chinese question).
        language = detect_language(own if own else checked.text)
        if language == "en" and (fixed := self.respelled(checked.text)) != checked.text:
            checked = dataclasses.replace(checked, text=fixed)  # "Shenzen" is the report's Shenzhen
        text = checked.lexical_text
        tokenizer = self.index.tokenizer
        vocab = self.index.lexical.vocab
        pairs: tuple = ()
        spelled = self.pinyin_terms(text) if language == "en" else None  # the report's names in pinyin
        if language == "en" and not translate:
            tokens, dense_text = {t: 1.0 for t in tokenizer.tokens(text)}, text
            words, missing = len(tokens), sum(1 for t in tokens if t not in vocab)
        elif language == "en":
            # "what share of", "how large": how it asks, not what about ("share" is not 共享 here);
            # the English edition is still searched with every word.
            tr = self.translator.translate(_ASKING_EN.sub(" ", text), aligned=edition)
            tokens = self._translated_tokens(tr)
            # Latin words the report itself writes (ChatGPT, LifeSG) match as they are; its
            # Chinese names written in pinyin (Min Hu Wo Wei) as the report writes them.
            for t in (*tr.passthrough, *(w for w in tr.unknown if w in vocab)):
                tokens[t] = max(tokens.get(t, 0.0), 1.0)
            for zh, _words in spelled:
                for t in self.index.tokenizer.tokens(zh):
                    tokens[t] = max(tokens.get(t, 0.0), 1.0)
            pairs = tr.pairs
            dense_text = text
            words = len(tr.pairs) + len(tr.passthrough) + len(tr.unknown)
            # A word the report's English edition uses is the report's word too ("procedure").
            english_vocab = self.index.english_lexical.vocab if edition and self.index.english_lexical is not None else ()
            missing = sum(1 for t in (*tr.unknown, *tr.passthrough) if t not in vocab and stem(t) not in english_vocab)
        else:
            simplified = _WHOLE_WORLD.sub("全球", _OUR_COUNTRY.sub("我国", to_simplified(text)))
            tokens = {t: 1.0 for t in tokenizer.tokens(simplified)}
            if language == "zh-Hant":
                tokens = self._mainland_tokens(tokens)
            for t in list(tokens):  # 江苏 is the 苏 of the report's 沪苏浙皖
                for run in self.province_runs(t):
                    tokens[run] = max(tokens.get(run, 0.0), tokens[t])
            for variant in self._variants(simplified):  # 巴塞隆纳 (Taiwan's Barcelona) is the report's 巴塞罗那
                for u in tokenizer.tokens(self.index.name_variants[variant]):
                    tokens[u] = max(tokens.get(u, 0.0), 1.0)
            # A Latin word the report writes as it is (AI, APP) is the report's own word, not English to render.
            latin = " ".join(w for w in english_words(text) if not any(c.isdigit() for c in w) and w.lower() not in vocab)
            if latin:
                tr = self.translator.translate(latin)
                for t, w in self._translated_tokens(tr).items():
                    tokens[t] = max(tokens.get(t, 0.0), w)
                pairs = tr.pairs
            dense_text = simplified
            words = len(tokens)
            missing = sum(1 for t in tokens if t not in vocab)
        mine: set = set()
        if own:
            mine = self._own_tokens(own, language)
            tokens = {t: (w if t in mine else w * INHERITED) for t, w in tokens.items()}
            if background and BACKGROUND:
                for t in self._own_tokens(background, detect_language(background)):
                    if t not in tokens and t in vocab:
                        tokens[t] = BACKGROUND
        # A preamble the encoder reads instead of the question it leads to: the asking end is read too.
        head = query_prefix(self.encoder, dense_text, DENSE_CHARS)
        ending = dense_tail(dense_text, DENSE_CHARS)
        tail = head if ending == dense_text else query_prefix(self.encoder, ending, DENSE_CHARS)
        vectors = self.encoder.query([head] if tail == head else [head, tail])
        vector, asking_vector = vectors[0], (vectors[1] if len(vectors) > 1 else None)
        bigrams: dict[str, float] = {}
        for t, w in tokens.items():
            for b in han_bigrams(t):
                bigrams[b] = max(bigrams.get(b, 0.0), w)
        if language != "en":
            bigrams.update({b: 1.0 for b in han_bigrams(dense_text)})  # (the Simplified question, 我国 for 咱们国家)
        foreign = tuple(dict.fromkeys(self.foreign_names(text, language, tokens, spelled)))
        places = tuple(t for t in tokens if t in self.index.places)
        # What is asked is read from the whole question (up to ASKING_CHARS), not from the part keyword
        # search reads: a long preamble must not cut "what proportion of …" into "what p".
        whole = asking_part(checked.text[:ASKING_CHARS], language)
        asked = asked_type(whole, language)
        asked_years = _YEAR.findall(whole) if whole != checked.text[:ASKING_CHARS] else []
        if language != "en":
            # 「哪个欧洲城市」「欧洲哪个城市」: the region bounds the place asked for; it is not the place asked about.
            plain = to_simplified(whole)
            places = tuple(p for p in places if not re.search(
                rf"哪一?[个座]?{re.escape(p)}的?(?:城市|国家|地区|省份|省)|{re.escape(p)}的?哪一?[个座]?(?:城市|国家|地区|省份|省)", plain))
        attribute = (
            asked_attribute(whole, language, tokenizer.words, self._names_thing, measure=asked in MEASURES, duration=asked == "time")
            if asked else ()
        )
        if asked == "start":  # 「哪一年启动的」: the start is what the type asks; a launch may be said 上线
            attribute = tuple(a for a in attribute if not STARTS.search(a))
        if asked in ("year", "start"):  # 「覆盖哪些年份」「时间段是从哪年到哪年」: the word names the type asked
            attribute = tuple(a for a in attribute if a not in _YEAR_WORDS)
        attribute_en = ""
        if language == "en" and attribute:
            attribute_en = attribute[0]
            attribute = tuple(zh for zh, _w in self.translator.lexicon.get(stem(attribute_en), ()))
        elif any(english_words(t) for t in attribute):
            # An English word naming the attribute of a Chinese question has no one rendering to require.
            attribute = ()
        elif language == "zh-Hant":  # Taiwan wording (資料) in the report's mainland words (数据)
            vocab_words = self.index.lexical.vocab
            attribute = tuple(
                u for t in attribute
                for u in ([t] if t in vocab_words else tokenizer.words(to_mainland(to_traditional(t))))
            )
        return Query(
            text=checked.text,
            language=language,
            tokens=tokens,
            bigrams=bigrams,
            unknown=missing / words if words else 1.0,
            foreign=foreign,
            pairs=pairs,
            vector=vector,
            asking_vector=asking_vector,
            counted=self._counted(text, language),
            asked=asked,
            # "…reached 50.2 trillion in 2022. What was its size in 2021?": the year asked is the asking sentence's.
            years=tuple(dict.fromkeys((asked_years or _YEAR.findall(text)) + plan_periods(text))),
            places=places,
            english_tokens={t: 1.0 for t in english_tokens(text)} if language == "en" and edition else {},
            own=frozenset(t for t in tokens if t in mine),
            attribute=attribute,
            attribute_en=attribute_en,
            advice=bool(ADVICE.search(checked.text)),
            procedure=bool(PROCEDURE.search(checked.text)),
            unit=self._unit(text, language) if asked == "count" else "",
            besides=self._besides(text, language),
        )

    def _own_tokens(self, own: str, language: str) -> set[str]:
        """The search tokens of the asker's own words (any language), to tell them from inherited ones."""
        mine = set(self.index.tokenizer.tokens(to_simplified(own)))
        latin = " ".join(english_words(own))
        if latin:
            mine |= set(self._translated_tokens(self.translator.translate(latin)))
        return mine

    def _names_thing(self, word: str) -> bool:
        """Can the English ``word`` name a thing? Not a past form ("came", "paid", "launched"),
        and one of its Chinese renderings is a word that can: jieba tags 收入 (revenue) and 安全
        as verbs or adjectives too, so only function words ("and" 和) are ruled out."""
        if word in _PAST_EN or word.endswith("ed"):
            return False
        renderings = self.translator.lexicon.get(stem(word), ())
        tags = _word_tags()
        return any(not _NAMES_NOTHING.fullmatch(tags.get(zh, "n")) for zh, _w in renderings)

    def foreign_names(self, text: str, language: str, tokens=None, spelled=None) -> list[str]:
        """Names the question uses that the report never does: Chongqing, 南京, Nvidia …

        ``tokens``: the question's search tokens when already cut (saves cutting it again);
        ``spelled``: its :meth:`pinyin_terms` when already found.
        """
        rest = without_asker(text, language)
        if rest != text:  # a name the asker gives only of themselves is theirs, not the question's
            return self._foreign_names(rest, language)
        return self._foreign_names(text, language, tokens, spelled)

    def _foreign_names(self, text: str, language: str, tokens=None, spelled=None) -> list[str]:
        out = []
        if language == "en" or _CAPITALISED.search(text):
            lexicon, names, vocab = self.index.lexicon, self.index.names, self.index.lexical.vocab
            pinyin = {w for _zh, words in (self.pinyin_terms(text) if spelled is None else spelled) for w in words}
            for m in _CAPITALISED.finditer(text):
                w = m.group().lower()
                if w in EN_STOPWORDS or w in names or w in vocab or stem(w) in lexicon or _demonym(w, names) or w in pinyin:
                    continue
                if _OPENING.search(text[: m.start()]) and (w in self.index.common_english or american(w) in self.index.common_english):
                    continue  # "Gridlock is expensive.": a word capitalised for opening its sentence
                if _ROMAN.fullmatch(m.group()):
                    continue  # "Jiuzhang III", "Phase II": a number within a name, which the report writes as 三号, 二期
                acronym = re.fullmatch(r"([A-Z]{2,})s?", m.group())
                if acronym and acronym.group(1).lower() in self.index.acronyms:
                    continue  # CIO, CEO, NGOs: an acronym of common words, not a name
                out.append(w)
        if language != "en":
            foreign = self.index.foreign_names
            cut = list(tokens if tokens is not None else self.index.tokenizer.tokens(text))
            # A name inside a longer word that is none (红绿 in 红绿灯) is no name of the question's.
            # Another spelling of a name the report writes (巴塞隆纳, cut 巴塞隆 + 纳) is no foreign name.
            variants = self._variants(to_simplified(text))
            found = [t for t in cut if t in foreign and not any(t in v or v in t for v in variants)
                     and not any(t != u and t in u and u not in foreign for u in cut) and not self.province_runs(t)]
            # jieba also cuts 南京市 into 南京 and 京市: name the longest only.
            out.extend(t for t in found if not any(t != u and t in u for u in found))
        return out

    def province_runs(self, word: str) -> tuple[str, ...]:
        """The runs of province characters the documents write (沪苏浙皖, 京津冀) that stand for the
        province ``word`` (Simplified: 江苏 → 沪苏浙皖, 苏浙皖, 苏浙) when they never write its name;
        () for any other word."""
        short = PROVINCE_SHORT.get(word)
        if short is None or word in self.index.lexical.vocab:
            return ()  # (a province the documents write by name is searched by it: 上海 is no 沪苏浙皖)
        if self._runs is None:
            runs: dict[str, list[str]] = {}
            for t in self.index.lexical.vocab:
                if len(t) > 1 and all(c in _SHORT_CHARS for c in t):
                    for c in t:
                        runs.setdefault(c, []).append(t)
            self._runs = {c: tuple(sorted(ts, key=len, reverse=True)) for c, ts in runs.items()}
        return self._runs.get(short, ())

    def pinyin_terms(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """The report's Chinese names an English question writes in pinyin ("Min Hu Wo Wei",
        "Qinqing Online"): (the word, the question's words that spell it), longest first."""
        pinyin = self.index.pinyin
        if not pinyin:
            return []
        found = []
        for run in _CAPITALISED_RUN.finditer(text):
            words = run.group().split()
            i = 0
            while i < len(words):
                for n in range(min(4, len(words) - i), 0, -1):
                    zh = pinyin.get("".join(words[i : i + n]).lower())
                    if zh:
                        found.append((zh, tuple(w.lower() for w in words[i : i + n])))
                        i += n
                        break
                else:
                    i += 1
        return found

    def _variants(self, simplified: str) -> list[str]:
        """The other spellings of the report's names (:func:`qa.translate.name_variants`) in a question."""
        return [v for v in self.index.name_variants if v in simplified]

    def _mainland_tokens(self, tokens: dict[str, float]) -> dict[str, float]:
        """A Traditional question's words the report never uses, in Taiwan wording (資料,
        人工智慧, 網路), are replaced by the mainland words it does use (数据, 人工智能, 网络).
        Only unknown words are rewritten: OpenCC's tw2sp would also turn the report's own
        智慧城市 into 智能城市."""
        vocab = self.index.lexical.vocab
        out: dict[str, float] = {}
        for t, w in tokens.items():
            mainland = to_mainland(to_traditional(t)) if t not in vocab else t
            if mainland == t:
                out[t] = max(out.get(t, 0.0), w)
                continue
            for u in self.index.tokenizer.tokens(mainland):
                out[u] = max(out.get(u, 0.0), w)
        return out

    def _translated_tokens(self, tr) -> dict[str, float]:
        """Search tokens of a translation: each term whole, and its jieba pieces at 0.6 of its weight."""
        tokens: dict[str, float] = {}
        for term, w in tr.terms.items():
            whole = to_simplified(term).lower()
            for t in self.index.tokenizer.tokens(term):
                share = w if t == whole else w * 0.6
                tokens[t] = max(tokens.get(t, 0.0), share)
        return tokens

    def _besides(self, text: str, language: str) -> tuple[frozenset, ...]:
        """The things ``text`` sets aside (:func:`besides`), each as its search tokens (and, for
        English, its stems)."""
        items = []
        for item in _LIST_ITEM.split(besides(text, language)):
            if language == "en":
                words = frozenset(self._translated_tokens(self.translator.translate(item))) | frozenset(english_tokens(item))
            else:
                words = frozenset(t for t in self.index.tokenizer.tokens(to_simplified(item)) if t not in STOPWORDS)
            if words:
                items.append(words)
        return tuple(items)

    @staticmethod
    def _unit(text: str, language: str) -> str:
        """The measure word a Chinese count question counts by (:data:`_UNIT_ZH`), or ""."""
        m = _UNIT_ZH.search(to_simplified(text)) if language != "en" else None
        return m.group(1) if m else ""

    def _counted(self, text: str, language: str) -> tuple[str, ...]:
        """The thing a "how many X" / "多少个X" question counts (城市 for "how many cities")."""
        if language == "en":
            m = _COUNTED_EN.search(text)
            return tuple(self.translator.translate(m.group(1)).terms) if m else ()
        plain = to_simplified(text)
        if _COUNTED_PEOPLE_ZH.search(plain):  # 「多少人参与」 counts people, not 人参
            return ()
        m = _COUNTED_ZH.search(plain)
        return (m.group(1),) if m else ()
