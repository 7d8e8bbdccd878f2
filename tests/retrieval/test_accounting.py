"""Every word of a question is accounted for; a word that names something no cell is never gets a cell's answer."""

from __future__ import annotations

from retrieval.accounting import unexplained
from retrieval.assistant import Assistant
from retrieval.query import Measure


def test_words_the_reader_matched_leave_nothing_over() -> None:
    assert unexplained("洪泽区2024年行政复议纠正了多少件？", ["洪泽区"]) == ()
    assert unexplained("宿迁2024年依申请公开收到多少？", ["宿迁"]) == ()
    # the template's own name of the cell found explains its words (本机关不掌握相关政府信息)
    assert unexplained("淮安市2024年因本机关不掌握相关政府信息而无法提供的有多少件？", ["淮安市"],
                       [Measure("三", "unavailable_not_held", None)]) == ()


def test_a_word_naming_something_else_is_left_over() -> None:
    assert "访问量" in unexplained("宿迁市2024年网站访问量收到多少申请？", ["宿迁市"])
    assert "行政" not in unexplained("宿迁市行政规章2024年比2023年变化多少？", ["宿迁市"])  # shared by many rows


def test_a_left_over_word_is_never_answered_from_another_cell(assistant: Assistant) -> None:
    a = assistant.ask("宿迁市2024年网站访问量收到多少申请？")
    assert a.understood["unexplained"] and not [v for v in a.values if v.op == "cell"]
    assert a.kind == "none" and "访问量" in a.answer and "无法回答" in a.answer
    # what the text states is quoted instead (信息处理费 is no cell of the tables)
    b = assistant.ask("宿迁市2024年信息处理费收了多少？")
    assert b.kind == "passage" and "2230元" in b.answer and not [v for v in b.values if v.op == "cell"]
