"""Answers from beside the question's scope: a county's figure from its city's report, a word no cell names
looked up alone in the text."""

from __future__ import annotations

from retrieval.assistant import Assistant


def test_a_county_figure_only_its_city_report_states_is_quoted_as_the_citys(real_assistant: Assistant) -> None:
    # no 沭阳县 2023 report; 宿迁市2023 一（二）: "…沭阳县477件…"
    a = real_assistant.ask("沭阳县2023年收到的政府信息公开申请有多少件？")
    assert a.kind == "passage" and "沭阳县477件" in a.answer and "没有沭阳县人民政府2023年的年报" in a.answer
    assert a.citations[0].report == "suqian_city_2023.txt" and not [v for v in a.values if v.op == "cell"]
    none = real_assistant.ask("沭阳县2022年收到的政府信息公开申请有多少件？")  # no 宿迁市2022 either
    assert none.kind == "none"


def test_a_word_no_cell_names_is_looked_up_alone_in_the_text(real_assistant: Assistant) -> None:
    a = real_assistant.ask("市府办25年其他处理的那些里，有多少是申请人撤回的？")
    assert a.kind == "passage" and "撤回 157 件" in a.answer


def test_a_follow_up_takes_the_topic_from_the_sentence_before(real_assistant: Assistant) -> None:
    # 宿迁市2024 六: "…有3件…收取信息处理费2230元。其中，沭阳县民政局1件，收取880元；…"
    a = real_assistant.ask("沭阳那边收了多少？", ["宿迁24年信息处理费一共收了多少钱？"])
    assert "沭阳县民政局1件，收取880元" in a.answer and a.citations[0].report == "suqian_city_2024.txt"
    # asked on its own, a sentence about fees is no answer to how many applications the county received
    alone = real_assistant.ask("沭阳县2024年新收了多少件依申请公开？")
    assert alone.kind == "none"
