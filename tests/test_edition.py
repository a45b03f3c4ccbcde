"""qa.edition: the English edition covers every sentence, faithfully in its numbers, and is used."""

from __future__ import annotations

import json

import pytest

from conftest import CORPUS, HashEncoder
from qa.corpus import load_corpus
from qa.edition import check, edition_path, load, numbers_zh, numeric_mismatch, sentence_key, sentences
from qa.retriever import Retriever

EDITION = edition_path(CORPUS / "smart_economy_city_governance.txt")


@pytest.fixture(scope="module")
def report():
    return load_corpus(CORPUS).documents[0]


def test_every_sentence_of_the_report_has_exactly_one_faithful_english_record(report):
    records = load(EDITION)
    assert len(sentences(report)) == 412
    assert check(report, records) == []


def test_the_edition_is_aligned_by_the_sentence_not_by_its_place(report):
    rows = [json.loads(line) for line in EDITION.read_text(encoding="utf-8").splitlines()]
    assert all(r["key"] == sentence_key(r["zh"]) for r in rows)
    assert {r["section"] for r in rows} <= {s.id for s in report.sections}


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("投資50億元", "an investment of 5 billion yuan"),
        ("覆蓋28萬戶", "covering 280,000 households"),
        ("市場規模達1.2萬億美元", "a market of 1.2 trillion US dollars"),
        ("年均增長37%,2024年達3000億元", "37% a year, reaching 300 billion yuan in 2024"),
        ("部署1.2萬個傳感器", "12 thousand sensors"),
    ],
)
def test_numbers_are_compared_after_unit_conversion(zh, en):
    assert numbers_zh(zh) and numeric_mismatch(zh, en) == ""


def test_a_wrong_or_missing_figure_is_caught():
    assert "missing in English: 5e+09" in numeric_mismatch("投資50億元", "an investment of 500 million yuan")
    assert "not in the Chinese: 14" in numeric_mismatch("十四五規劃", "the 14th Five-Year Plan")
    assert numeric_mismatch("增長37%", "grew by 37 per cent and 2024") != ""


def test_a_changed_report_leaves_orphans_and_gaps_that_the_check_names(tmp_path, report):
    records = load(EDITION)
    first = next(iter(records.values()))
    changed = dict(records)
    del changed[first.key]
    problems = check(report, changed)
    assert len(problems) == 1 and "no English" in problems[0]
    extra = {**records, "0" * 16: first.__class__("9.9", "0" * 16, "不存在的句子。", "A sentence that does not exist.")}
    assert any("orphaned" in p for p in check(report, extra))
    wrong = {k: (r if k != first.key else r.__class__(r.section, r.key, r.zh, r.en + " 99")) for k, r in records.items()}
    assert any("numbers differ" in p for p in check(report, wrong))


def _small_with_edition(folder):
    doc = load_corpus(folder).documents[0]
    rows = [{"section": sid, "key": sentence_key(zh), "zh": zh, "en": f"EN {sid}: " + " ".join(
        f"{v}" for v in sorted(numbers_zh(zh), key=float))} for sid, zh in sentences(doc)]
    edition_path(folder / "small.txt").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return rows


def test_any_document_may_bring_an_edition_and_one_without_gets_a_labelled_gloss(small_corpus, tmp_path):
    r = Retriever.load(tmp_path / "plain", corpus_dir=small_corpus, encoder=HashEncoder(), show_progress=False)
    h = r.ask("救護車平均到達時間縮短至幾分鐘？", k=1).hits[0]
    assert h.english == "gloss" and "ambulance" in h.answer_en.lower() and "9" in h.answer_en
    _small_with_edition(small_corpus)
    r = Retriever.load(tmp_path / "edition", corpus_dir=small_corpus, encoder=HashEncoder(), show_progress=False)
    h = r.ask("救護車平均到達時間縮短至幾分鐘？", k=1).hits[0]
    assert h.english == "edition" and h.answer_en.startswith("EN 2.1.1") and h.answer_en in h.text_en
    assert r.index.manifest["counts"]["english_sentences"] == len(sentences(r.corpus.documents[0]))


def test_a_broken_edition_is_left_out_naming_its_line_and_the_document_still_works(small_corpus, tmp_path):
    edition_path(small_corpus / "small.txt").write_text('{"section": "1.1"}\nnot json\n', encoding="utf-8")
    c = load_corpus(small_corpus)
    assert c.documents and not c.editions
    assert any("small.en.jsonl, line 1" in s for s in c.skipped)


@pytest.mark.slow
def test_english_askers_get_the_answer_in_english_and_chinese_askers_can_open_it(retriever):
    h = retriever.ask("How much faster do ambulances reach the scene in Hangzhou?", k=3).hits[0]
    assert h.section_id == "3.3.1" and h.english == "edition"
    assert "ambulance" in h.answer_en and "50%" in h.answer_en and h.answer_en in h.text_en
    z = retriever.ask("杭州城市大脑每天处理多少数据？", k=1).hits[0]
    assert z.english == "edition" and "100 TB" in z.answer_en


@pytest.mark.slow
def test_an_english_question_reads_the_edition_unless_told_not_to(retriever):
    """The edition's words are the report's words ("approval", which the dictionary does not
    give for the report's 审批, is no unknown word); without the edition (the `no-edition`
    ablation) an English question reads only the Chinese text."""
    from qa.question import check as check_question

    text = "Under the old top-down model, what is the typical timeline to get an administrative approval done?"
    with_edition = retriever.analyser.analyse(check_question(text, 500))
    without = retriever.analyser.analyse(check_question(text, 500), edition=False)
    assert with_edition.english_tokens and not without.english_tokens
    assert with_edition.unknown < without.unknown
