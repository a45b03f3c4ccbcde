"""qa.translate: English question → weighted Chinese search terms."""

from __future__ import annotations

import pytest

from qa.translate import (
    EN_STOPWORDS,
    GLOSSARY_WEIGHT,
    Translator,
    _acronyms,
    american,
    build_lexicon,
    english_tokens,
    english_words,
    phrase_key,
    stem,
)

CORPUS_WORDS = {"救护车", "城市", "大脑", "数据"}
GLOSSARY = [("city brain", "城市大腦")]


@pytest.fixture(scope="module")
def lexicon():
    # Parses all of CC-CEDICT (about a second): once per module.
    return build_lexicon(CORPUS_WORDS, GLOSSARY)


@pytest.fixture(scope="module")
def translator(lexicon):
    return Translator(lexicon)


# --- stemming and words -------------------------------------------------------------


@pytest.mark.parametrize(
    "family",
    [
        ["process", "processes", "processing", "processed"],
        ["city", "cities"],
        ["policy", "policies"],
        ["ambulance", "ambulances"],
        ["charge", "charges", "charging", "charged"],
        ["reduce", "reduces", "reducing", "reduced"],
        ["govern", "governs", "governing", "governed"],
        ["bus", "buses"],
        # British spellings meet the American ones of CC-CEDICT's definitions.
        ["organisation", "organization", "organisations"],
        ["summarise", "summarize", "summarised", "summarizing"],
        ["neighbourhood", "neighborhood", "neighbourhoods"],
        ["behaviour", "behavior"],
        ["centre", "center", "centres"],
        ["analyse", "analyze", "analysed"],
        ["programme", "program", "programmes"],
        ["modelling", "modeling", "model"],
        ["defence", "defense"],
        # Irregular past forms meet their verb.
        ["meet", "met", "meeting", "meets"],
        ["rise", "rose", "risen", "rising"],
        ["take", "took", "taken", "taking"],
        ["build", "built", "building"],
    ],
)
def test_stem_joins_word_forms(family):
    assert len({stem(w) for w in family}) == 1, {w: stem(w) for w in family}


@pytest.mark.parametrize("word", ["process", "processes", "cities", "ambulance", "charging", "data", "5g", "pm2.5",
                                  "organisations", "enterprises", "centres", "travelled", "neighbourhoods"])
def test_stem_is_idempotent(word):
    assert stem(stem(word)) == stem(word)


@pytest.mark.parametrize("word", ["bus", "status", "class", "gas", "data", "is", "process", "address"])
def test_stem_keeps_short_us_and_double_s_words(word):
    assert stem(word) == word


def test_an_acronym_of_hyphenated_words_is_known():
    assert _acronyms("non-governmental organization (NGO)") == ["ngo"]
    assert _acronyms("Internet of Things (IoT)") == ["iot"] and _acronyms("Nanjing (NJ)") == []


@pytest.mark.parametrize(("word", "other"), [("four", "for"), ("hour", "hor"), ("filled", "filed"), ("course", "corse"), ("called", "caled")])
def test_british_spelling_rules_leave_short_and_ordinary_words_apart(word, other):
    assert american(word) == word and stem(word) != stem(other)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Hangzhou's City Brain", ["hangzhou", "city", "brain"]),
        ("Hangzhou’s City Brain", ["hangzhou", "city", "brain"]),
        ("What is the PM2.5 level?", ["what", "is", "the", "pm2.5", "level"]),
        ("5G-A covers 89% of roads", ["5g-a", "covers", "89%", "of", "roads"]),
        ("IDC's forecast, 2025.", ["idc", "forecast", "2025"]),
    ],
)
def test_english_words(text, words):
    assert english_words(text) == words


def test_phrase_key_stems_each_word():
    assert phrase_key("Cities' brains") == phrase_key("city brain") == "city brain"
    assert phrase_key("Processing DATA") == "process data"


# --- build_lexicon ------------------------------------------------------------------


def test_lexicon_maps_english_to_corpus_words(lexicon):
    assert lexicon[phrase_key("ambulance")][0][0] == "救护车"
    assert lexicon[phrase_key("ambulances")][0][0] == "救护车"
    assert lexicon[phrase_key("data")][0][0] == "数据"
    assert lexicon[phrase_key("city")][0][0] == "城市"


def test_lexicon_keeps_only_corpus_words_and_glossary_terms(lexicon):
    allowed = CORPUS_WORDS | {"城市大脑"}
    terms = {zh for entries in lexicon.values() for zh, _ in entries}
    assert terms <= allowed
    assert "救护车" in terms
    for entries in lexicon.values():
        assert all(0 < w <= GLOSSARY_WEIGHT for _, w in entries)


def test_glossary_term_is_simplified_with_glossary_weight(lexicon):
    assert lexicon["city brain"] == [["城市大脑", GLOSSARY_WEIGHT]]
    assert all(w < GLOSSARY_WEIGHT for entries in lexicon.values() for zh, w in entries if zh != "城市大脑")


def test_lexicon_keys_are_stemmed_and_not_only_stopwords(lexicon):
    for key in lexicon:
        assert key == phrase_key(key)
        assert not all(w in EN_STOPWORDS for w in key.split())


def test_glossary_outranks_dictionary_for_the_same_english():
    lex = build_lexicon({"城市", "数据"}, [("data", "數據"), ("city", "都市")])
    assert lex["data"] == [["数据", GLOSSARY_WEIGHT]]
    assert lex["city"][0] == ["都市", GLOSSARY_WEIGHT]
    assert ["城市", 1.0] in lex["city"][1:]


def test_glossary_rows_with_the_same_english_are_all_kept():
    lex = build_lexicon(set(), [("smart city", "智慧城市"), ("smart city", "智能城市")])
    assert {zh for zh, _ in lex["smart city"]} == {"智慧城市", "智能城市"}


# --- Translator ---------------------------------------------------------------------


def test_translate_ambulance_question(translator):
    t = translator.translate("How fast do ambulances arrive in the city?")
    assert "救护车" in t.terms
    assert ("救护车", "ambulances") in t.pairs
    assert ("城市", "city") in t.pairs
    assert not {"how", "do", "the", "in"} & set(t.passthrough)


def test_translate_prefers_the_longest_phrase(translator):
    t = translator.translate("How much data does the City Brain handle?")
    assert t.terms["城市大脑"] == GLOSSARY_WEIGHT
    assert ("城市大脑", "city brain") in t.pairs
    assert ("城市", "city") not in t.pairs
    assert ("数据", "data") in t.pairs


def test_a_phrase_of_the_asker_s_words_alone_is_not_translated():
    """"according to the report" frames the question; 依据 would find 缺乏法律依据 in the report."""
    t = Translator(build_lexicon({"依据", "数据", "全球"}, [])).translate("How much data was there worldwide, according to the report?")
    assert "依据" not in t.terms and "数据" in t.terms
    assert Translator({"accord to": [("依据", 1.0)]}).translate("according to").terms == {}


def test_translate_passes_through_codes_and_numbers(translator):
    t = translator.translate("What is the PM2.5 level near 5G base stations in 2024?")
    assert "pm2.5" in t.passthrough
    assert "5g" in t.passthrough
    assert "2024" in t.passthrough
    assert "the" not in t.passthrough and "what" not in t.passthrough


def test_translate_question_of_stopwords_only(translator):
    t = translator.translate("What is it and how?")
    assert (t.terms, t.pairs, t.passthrough) == ({}, (), ())


def test_translator_on_hand_made_lexicon():
    lex = {"city brain": [["城市大脑", 1.5]], "city": [["城市", 1.0]], "traffic": [["交通", 1.0], ["通行", 0.5]]}
    t = Translator(lex).translate("Does Hangzhou's city brain reduce traffic?")
    assert t.terms == {"城市大脑": 1.5, "交通": 1.0, "通行": 0.5}
    assert t.pairs == (("城市大脑", "city brain"), ("交通", "traffic"))
    assert "hangzhou" not in t.passthrough  # long, unknown, not a code


def test_a_hyphenated_word_is_searched_whole_and_by_its_parts():
    assert english_tokens("cities meeting air-quality standards") == ["city", "meet", "air-quality", "air", "quality", "standard"]
    # A part too short to mean anything, a stop word or a number is no token of its own.
    assert english_tokens("co-governance one-stop 2024-25") == ["co-governanc", "governanc", "one-stop", "stop", "2024-25"]


def test_the_translator_reads_a_hyphenated_word_it_lacks_by_its_parts():
    lex = {"air quality": [["空气质量", 1.0]], "meet": [["达到", 1.0]], "e-government": [["电子政务", 1.0]]}
    t = Translator(lex).translate("Which cities met air-quality standards? And e-government?")
    assert t.pairs == (("达到", "met"), ("空气质量", "air quality"), ("电子政务", "e-government"))


def test_a_word_whose_s_is_no_plural_keeps_it_so_new_is_not_news():
    entries = [
        {"simplified": "信息", "definitions": ["news; information"]},
        {"simplified": "新", "definitions": ["new"]},
    ]
    lex = build_lexicon({"信息", "新"}, [], entries)
    assert stem("news") == "news" and stem("cities") == "city"
    assert [zh for zh, _w in lex["new"]] == ["新"], "a new company is not a news company"
    assert [zh for zh, _w in lex["news"]] == ["信息"]


def test_name_variants_are_taiwan_spellings_of_names_the_corpus_writes():
    from qa.translate import name_variants

    entries = [
        {"simplified": "巴塞罗那", "pinyin": "Ba1 sai4 luo2 na4", "definitions": ["Barcelona"]},
        {"simplified": "巴塞隆纳", "pinyin": "Ba1 sai4 long2 na4", "definitions": ["Barcelona (Tw)"]},
        {"simplified": "悉尼", "pinyin": "Xi1 ni2", "definitions": ["Sydney, capital of New South Wales, Australia"]},
        {"simplified": "雪梨", "pinyin": "Xue3 li2", "definitions": ["Sydney, capital of New South Wales, Australia (Tw)"]},
        {"simplified": "北上广", "pinyin": "Bei3 Shang4 Guang3", "definitions": ["Beijing, Shanghai and Guangzhou"]},
        {"simplified": "北京", "pinyin": "Bei3 jing1", "definitions": ["Beijing"]},
    ]
    assert name_variants({"巴塞罗那", "北京"}, entries) == {"巴塞隆纳": "巴塞罗那"}, "not 雪梨: the corpus never writes 悉尼; not 北上广"


def test_company_names_are_proper_nouns_with_a_company_or_brand_sense_and_no_common_one():
    from qa.translate import company_names

    entries = [
        {"simplified": "华为", "pinyin": "Hua2 wei2", "definitions": ["Huawei (brand)"]},
        {"simplified": "京东", "pinyin": "Jing1 dong1", "definitions": ["Jingdong, Chinese e-commerce company"]},
        {"simplified": "现代", "pinyin": "Xian4 dai4", "definitions": ["Hyundai, South Korean company"]},
        {"simplified": "现代", "pinyin": "xian4 dai4", "definitions": ["modern times", "modern"]},
        {"simplified": "公司", "pinyin": "gong1 si1", "definitions": ["company", "firm"]},
        {"simplified": "伦敦", "pinyin": "Lun2 dun1", "definitions": ["London"]},
        {"simplified": "百度", "pinyin": "Bai3 du4", "definitions": ["Baidu, Internet portal"]},
    ]
    written = {"华为", "现代", "公司", "伦敦", "百度"}
    assert company_names(written, entries) == ["华为"], "not 京东 (unwritten), 现代 (modern), 公司 (common), 伦敦, 百度"


def test_renderings_are_learned_from_an_aligned_edition_for_words_the_dictionary_lacks():
    from qa.translate import Translator, aligned_lexicon

    pairs = [
        ("Urban governance improved.", ["城市治理", "提升"]),
        ("Urban traffic accuracy rose.", ["城市", "交通", "准确率", "上升"]),
        ("The urban brain uses AI.", ["城市", "大脑", "AI"]),
        ("AI accuracy in urban areas.", ["AI", "准确率", "城市"]),
        ("Rural roads improved.", ["乡村", "道路", "提升"]),
    ]
    lexicon = {"improv": [["提升", 1.0]], "road": [["道路", 1.0]]}
    learned = aligned_lexicon(pairs, lexicon)
    assert learned["accuracy"][0][0] == "准确率"
    assert learned["urban"][0][0] == "城市"
    assert "improv" not in learned, "a word the dictionary renders keeps the dictionary's rendering"
    assert "ai" not in learned, "a Latin word the Chinese also writes is matched as it is (not as 城市)"
    assert "rural" not in learned, "one sentence together is not enough"
    t = Translator(lexicon, learned)
    assert "准确率" in t.translate("How high is the accuracy?").terms
    assert "准确率" not in t.translate("How high is the accuracy?", aligned=False).terms
    assert "accuracy" in t.translate("How high is the accuracy?", aligned=False).unknown


def test_an_aligned_word_never_renders_a_place_name():
    from qa.translate import aligned_lexicon

    pairs = [
        ("Guangzhou used AI translation.", ["广州", "翻译"]),
        ("Services used in Guangzhou grew.", ["广州", "服务", "增长"]),
        ("Urban services grew.", ["城市", "服务", "增长"]),
        ("Urban traffic grew.", ["城市", "交通", "增长"]),
    ]
    assert aligned_lexicon(pairs, {})["used"] == [["广州", 1.0]], "without names, co-occurrence alone decides"
    learned = aligned_lexicon(pairs, {}, names={"广州"})
    assert "used" not in learned, "a word whose best rendering is a place name is left unrendered"
    assert learned["urban"][0][0] == "城市"


@pytest.mark.parametrize(
    ("definition", "acronyms"),
    [
        ("natural language processing, NLP", ["nlp"]),
        ("Internet of things (IoT)", ["iot"]),
        ("gross domestic product (GDP)", ["gdp"]),
        ("UN (United Nations)", []),  # the acronym is the head, not its expansion
        ("to maintain an 8% annual growth rate of the GDP (PRC policy)", []),  # GDP is not this phrase's initials
        ("Beijing; abbr. BJ", []),
    ],
)
def test_acronyms_a_definition_gives_for_its_own_phrase(definition, acronyms):
    from qa.translate import _acronyms

    assert _acronyms(definition) == acronyms


def test_an_acronym_translates_as_its_phrase_unless_it_is_a_word_and_as_itself_where_written_as_is():
    entries = [
        {"simplified": "自然语言处理", "traditional": "自然語言處理", "pinyin": "zi4 ran2 yu3 yan2 chu3 li3",
         "definitions": ["natural language processing, NLP"]},
        {"simplified": "随机存取存储器", "traditional": "隨機存取存儲器", "pinyin": "sui2 ji1",
         "definitions": ["random access memory (RAM)"]},
        {"simplified": "人工智能", "traditional": "人工智能", "pinyin": "ren2 gong1 zhi4 neng2",
         "definitions": ["artificial intelligence (AI)"]},
    ]
    words = {"自然语言处理", "随机存取存储器", "人工智能", "ai"}
    lexicon = build_lexicon(words, [], entries, common={"ram"})
    assert lexicon["nlp"] == lexicon[phrase_key("natural language processing")]
    assert "ram" not in lexicon, "an acronym that is also an English word is not read as one"
    assert lexicon["ai"][0] == ["ai", 1.0], "the corpus writes AI as it is: matched as it is first"
    assert lexicon["ai"][1][0] == "人工智能" and lexicon["ai"][1][1] < 1.0, "and as its phrase's words"
    assert lexicon["nlp"][0][0] == "自然语言处理", "one the corpus does not write: its phrase's words alone"
    assert lexicon[phrase_key("artificial intelligence")][0][0] == "人工智能"


def test_pinyin_names_and_common_english_from_the_dictionary():
    from qa.translate import common_english, pinyin_names

    entries = [
        {"simplified": "民", "traditional": "民", "pinyin": "min2", "definitions": ["the people"]},
        {"simplified": "呼", "traditional": "呼", "pinyin": "hu1", "definitions": ["to call"]},
        {"simplified": "我", "traditional": "我", "pinyin": "wo3", "definitions": ["I; me"]},
        {"simplified": "为", "traditional": "為", "pinyin": "wei4", "definitions": ["for"]},
        {"simplified": "绿", "traditional": "綠", "pinyin": "lu:4", "definitions": ["green"]},
        {"simplified": "重庆", "traditional": "重慶", "pinyin": "Chong2 qing4", "definitions": ["Chongqing, city in Sichuan"]},
        {"simplified": "堵车", "traditional": "堵車", "pinyin": "du3 che1", "definitions": ["traffic jam; gridlock"]},
    ]
    assert pinyin_names(["民呼我为", "绿为", "民", "重庆"], entries) == {"minhuwowei": "民呼我为", "lvwei": "绿为"}
    common = common_english(entries)
    assert "gridlock" in common and "traffic" in common
    assert "chongqing" not in common, "a name is only ever capitalised"


def test_acronyms_of_common_words_are_no_names_but_a_proper_noun_s_are():
    from qa.translate import common_acronyms

    entries = [
        {"simplified": "首席信息官", "traditional": "首席信息官", "pinyin": "shou3 xi2 xin4 xi1 guan1",
         "definitions": ["chief information officer (CIO)"]},
        {"simplified": "世界卫生组织", "traditional": "世界衛生組織", "pinyin": "Shi4 jie4 Wei4 sheng1 Zu3 zhi1",
         "definitions": ["World Health Organization (WHO)"]},
    ]
    assert common_acronyms(entries) == ["cio"]


def test_cedict_places_are_proper_nouns_defined_as_places_and_never_common_words():
    from qa.translate import place_names

    entries = [
        {"simplified": "首尔", "pinyin": "Shou3 er3", "definitions": ["Seoul, capital of South Korea"]},
        {"simplified": "大同", "pinyin": "Da4 tong2", "definitions": ["Datong prefecture-level city in Shanxi"]},
        {"simplified": "大同", "pinyin": "da4 tong2", "definitions": ["Great Harmony (Confucian ideal)"]},
        {"simplified": "李白", "pinyin": "Li3 Bai2", "definitions": ["Li Bai (701-762), Tang dynasty poet"]},
        {"simplified": "上城区", "pinyin": "Shang4 cheng2 qu1", "definitions": ["Shangcheng district of Hangzhou city 杭州市"]},
    ]
    assert place_names(entries) == {"首尔", "上城区"}
