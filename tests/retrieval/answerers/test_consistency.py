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


def test_the_texts_counts_named_in_a_list_are_checked_beside_the_cases(real_assistant: Assistant) -> None:
    # 平潭2025 正文 "共收到政府信息公开申请154件，共办结148件"; 表三 新收 154, 办结 148; 表四 复议 36
    a = real_assistant.ask("平潭25年报告正文里讲的收了多少、办结多少、复议诉讼几起，跟后面表格对得上吗？")
    shown = {(v.table, v.row, v.column): v.value for v in a.values if v.table}
    assert shown[("三", "new_applications", "total")] == 154 and shown[("三", "total_handled", "total")] == 148
    assert shown[("四", "cases", "review_total")] == 36 and "未发现不一致" in a.answer
