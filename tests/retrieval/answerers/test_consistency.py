"""Consistency answers: the findings asked about, or what was checked, with its arithmetic."""

from __future__ import annotations

from retrieval.assistant import Assistant


def test_the_balance_of_the_application_table_is_computed_both_sides(real_assistant: Assistant) -> None:
    a = real_assistant.ask("上海市府办25年依申请那张表平不平？新收加结转的，跟办结加转下年的对一下")
    assert "未发现不一致" in a.answer
    assert "1295 + 189 = 1484件" in a.answer and "1191 + 293 = 1484件，两边相等" in a.answer
    assert {v.value for v in a.values if v.op == "sum"} == {1484}


def test_many_reports_name_those_that_fail_first(real_assistant: Assistant) -> None:
    a = real_assistant.ask("各家报告的复议诉讼那张表里，有没有哪份合计跟分项加起来对不上的？")
    assert a.answer.startswith("共核对")
    assert "未发现不一致：" in a.answer  # the consistent ones, named together
    assert all("正文称" not in line for line in a.answer.splitlines())  # the arithmetic was asked, not the text
