"""Answer composition: which sentence of the passage answers."""

import pytest

from qa.script import to_simplified

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "question, fact",
    [
        # Several things set aside: a sentence naming some of them is not the one asked for.
        ("这个课题除了查文献、分析案例、跑统计数据，还用了什么研究方法？", "专家咨询法"),
        ("Besides literature review, case studies and data analysis, what is the fourth research method?", "专家咨询法"),
        # Set-aside things all named in one list: that list answers.
        ("What data did Guangzhou's crime hotspot model draw on besides weather and crowd density?", "历史犯罪数据"),
        ("除了新加坡之外，报告还参考了哪些国际城市的经验？", "纽约"),
        # 二是案例分析法 says 比较研究, not the 文献研究 set aside: an item is named by most of its words.
        ("这份报告除了文献研究、案例分析和数据分析之外，第四种研究方法是什么？", "专家咨询法"),
    ],
)
def test_the_answer_is_what_the_question_does_not_set_aside(retriever, question, fact):
    assert fact in to_simplified(retriever.ask(question).hits[0].answer)


def test_without_setting_aside_the_first_method_is_the_answer(retriever):
    # The same section, asked plainly: the test above is not won by the section's default sentence.
    assert "专家咨询法" not in to_simplified(retriever.ask("这个课题用了什么研究方法？").hits[0].answer)
