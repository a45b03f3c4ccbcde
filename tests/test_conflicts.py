"""Where the report disagrees with itself: found, shown, never folded into "also in"."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import CORPUS, ROOT
from qa import conflicts
from qa.conflicts import disagree, find, statements
from qa.evaluate import load_questions, question_files


def test_a_planted_contradiction_is_found_and_agreeing_or_different_measures_are_not():
    sentences = [
        ("d", "1.1", "2024年,甲市公交准点率达到90%,乘客满意度提升。"),
        ("d", "2.1", "数据显示,2024年甲市公交准点率仅为70%。"),
        ("d", "3.1", "2024年甲市公交准点率达到90%。"),  # agrees with 1.1
        ("d", "4.1", "2023年甲市公交准点率为60%。"),  # another year
        ("d", "5.1", "2024年乙县农村污水处理率为40%。"),  # another measure
    ]
    found = find(sentences)
    assert len(found) == 1
    c = found[0]
    assert [s.section_id for s in c.statements] == ["1.1", "2.1", "3.1"]
    assert c.values == (("1.1", "达到90%"), ("2.1", "仅为70%"), ("3.1", "达到90%"))
    assert c.years == ("2024",)


def test_the_same_number_with_or_without_a_qualifier_agrees():
    assert not disagree("2024年60岁以上群体智能政务服务使用率不足25%", "2024年,60岁以上群体智能政务服务使用率25%")
    assert disagree("2024年60岁以上群体智能政务服务使用率不足25%", "2024年,全国60岁以上群体智能政务服务使用率提升至45%")
    assert [s.value for s in statements("2024年60歲以上群體智能政務服務使用率不足25%")] == ["不足25%"]


@pytest.mark.slow
def test_the_reports_25_and_45_percent_disagreement_is_found(retriever):
    found = [c for c in retriever.conflicts if {"4.3.3", "6.2.3"} <= {s.section_id for s in c.statements}]
    assert len(found) == 1
    assert dict(found[0].values)["4.3.3"].endswith("45%") and dict(found[0].values)["6.2.3"].endswith("25%")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "says"),
    [("60岁以上群体智能政务服务使用率是多少？", "报告中的数字不一致"), ("60歲以上群體使用智能政務服務的比例是多少？", "報告中的數字不一致"),
     ("What share of people over 60 use smart government services?", "The report gives different figures")],
)
def test_an_answer_on_a_disputed_figure_says_so_and_shows_both_passages(retriever, question, says):
    from qa.messages import conflict_sentence

    a = retriever.ask(question, k=3)
    assert a.found
    sections = dict(a.conflicts)
    assert sections["4.3.3"].endswith("45%") and sections["6.2.3"].endswith("25%")
    shown = [h.section_id for h in a.hits]
    assert "4.3.3" in shown and ("6.2.3" in shown or any("6.2.3" in h.also_in for h in a.hits))
    for h in a.hits:
        if h.answer.endswith("25%") or "25%" in h.answer:
            assert "4.3.3" not in h.also_in, "a different figure is never folded into 'also in'"
    assert says in conflict_sentence(a.conflicts, a.query_language) and "§4.3.3" in conflict_sentence(a.conflicts, a.query_language)


@pytest.mark.slow
def test_no_also_in_entry_states_a_different_figure_for_any_eval_question(retriever):
    questions = [q for split in ("dev", "test") for p in question_files(ROOT / "eval", split) for q in load_questions(p)]
    doc = retriever.corpus.documents[0]
    checked = 0
    for q in questions:
        for h in retriever.ask(q.question, k=5).hits:
            for sid in h.also_in:
                other = doc.section(sid).text
                assert not any(disagree(h.answer, sentence) for sentence in conflicts._CLAUSE.findall(other) if sentence), (q.id, h.section_id, sid)
                checked += 1
    assert checked >= 50, "the check ran over many folded passages"


@pytest.mark.slow
def test_qa_conflicts_lists_the_disagreement(real_index):
    out = subprocess.run([sys.executable, "-m", "qa.cli", "conflicts", "--json", "--index", str(real_index), "--corpus", str(CORPUS)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    sixty = [r for r in rows if "60歲以上" in r["measure"]]
    assert len(sixty) == 1 and {s["section"] for s in sixty[0]["statements"]} == {"3.4.2", "4.3.3", "6.2.3", "7.1.3"}
    assert len(rows) <= 3, "an editor's list, not noise"
