"""正文说…表格里…: both sides, each cited, and whether they agree."""

from __future__ import annotations

from decimal import Decimal

from retrieval.assistant import Assistant


def test_text_and_table_quotes_the_sentence_and_explains_the_agreement(real_assistant: Assistant) -> None:
    # 沭阳县2025: 正文 "共受理政府信息公开申请749件"; 表三 新收 713 + 上年结转 36 = 749
    a = real_assistant.ask("沭阳25年正文讲的受理数和表里的新收数分别是多少？")
    assert a.kind == "mixed" and a.understood["op"] == "text_and_table"
    assert "749件" in a.answer and "713" in a.answer and "与表格一致" in a.answer and "36" in a.answer
    quoted = [c for c in a.citations if c.cell is None]
    assert quoted and "749" in quoted[0].quote and quoted[0].section_no == 1
    assert Decimal(749) in [v.value for v in a.values if v.op == "sum"]


def test_text_and_table_says_when_they_disagree(real_assistant: Assistant) -> None:
    # 洪泽区2024: 正文 "区政府办代表区政府受理政府信息公开申请 17 件"; 表三 新收 95: shown, warned, not fixed
    a = real_assistant.ask("洪泽区2024年正文说受理了多少申请？表三本年新收是多少？")
    assert a.kind == "mixed" and "17件" in a.answer and "95件" in a.answer and "与表格不一致" in a.answer
    assert any("正文称收到申请数为17" in w for w in a.warnings)


def test_consistency_question_naming_the_text_quotes_what_was_compared(real_assistant: Assistant) -> None:
    # 上海市府办公厅2025 "受理…1295件，办结1191件（含上年结转189件）" = 表三
    a = real_assistant.ask("上海市府办公厅2025年正文讲的受理数、办结数，跟表三一致不？")
    assert a.understood["op"] == "consistency" and a.kind == "mixed"
    assert "1295件" in a.answer and "1191件" in a.answer and a.answer.count("与表格一致") >= 2


def test_a_cell_named_twice_is_shown_once(real_assistant: Assistant) -> None:
    a = real_assistant.ask("上海市府办公厅2025年表三的新收和新收总计各是多少")
    assert a.answer.count("1295件") == 1


def test_a_number_the_question_states_is_checked_against_the_cells_and_found_in_the_text(
        real_assistant: Assistant) -> None:
    # 沭阳县2025 一: "全县共办理相关案件 74 件"; 表四 行政复议 61 + 直接起诉 3 + 复议后起诉 10 = 74
    a = real_assistant.ask("沭阳25年正文说复议诉讼一共办了74件，跟表四对得上吗")
    assert a.kind == "mixed" and "问题所说的74件" in a.answer and "= 74件，一致" in a.answer
    assert any("74 件" in c.quote for c in a.citations if c.cell is None)


def test_a_table_named_in_a_consistency_question_shows_its_totals(real_assistant: Assistant) -> None:
    a = real_assistant.ask("宿迁2024年表四加起来对吗？")
    assert a.understood["op"] == "consistency"
    assert {(c.cell.table, c.cell.column) for c in a.citations if c.cell} >= {
        ("四", "review_total"), ("四", "direct_suit_total"), ("四", "suit_after_review_total")}


def test_a_clause_only_the_text_answers_is_quoted_beside_the_cells_of_the_other(real_assistant: Assistant) -> None:
    a = real_assistant.ask("平潭25年信息处理费收了多少？行政处罚多少件？")
    assert a.understood["op"] == "text_and_table"
    assert any(v.op == "cell" and v.row == "penalty" for v in a.values)
    assert "正文：" in a.answer and "信息处理费" in next(c.quote for c in a.citations if c.cell is None)


def test_a_share_is_the_percentage_its_sentence_states(real_assistant: Assistant) -> None:
    # 上海市政府办公厅2025 正文: "因本机关不掌握等原因无法提供 564 件（47.36%）"
    a = real_assistant.ask("市府办25年依申请里，因为不掌握信息没法提供的，占了百分之多少？")
    assert a.kind == "passage" and "为 47.36%[" in a.answer
    assert a.values[0].value == Decimal("47.36") and a.values[0].unit == "%"


def test_a_text_clause_is_searched_under_its_own_topic(real_assistant: Assistant) -> None:
    # 上海市政府办公厅2025: 六 "2025 年度本机关未收取信息公开处理费。"; 表三 重复申请 总计 16
    a = real_assistant.ask("市府办25年收了多少信息处理费？另外重复申请的有几件？")
    assert a.kind == "mixed" and "“不予处理—重复申请”为 16件[1]" in a.answer
    assert "未收取信息公开处理费" in a.answer and a.citations[1].section_no == 6


def test_a_share_asked_in_everyday_words_is_found_by_the_cells_own_name(real_assistant: Assistant) -> None:
    # "给不了人家的" names 无法提供; the text: "因本机关不掌握等原因无法提供 564 件（47.36%）"
    a = real_assistant.ask("上海市政府办公厅25年因为没掌握之类原因给不了人家的，占了百分之几？")
    assert a.kind == "passage" and a.values[0].value == Decimal("47.36")


def test_a_clause_repeated_in_the_answer_never_shows_a_year_as_a_number(real_assistant: Assistant) -> None:
    from retrieval.compose import asked_part

    assert asked_part("平潭22年政务新媒体还剩几个在运营", ("平潭",)) == "政务新媒体还剩几个在运营"
    a = real_assistant.ask("平潭二五年政务新媒体的粉丝有多少？顺带看下那年行政处罚决定是多少件。")
    assert "没有找到“政务新媒体的粉丝有多少”所问的数字" in a.answer and "平潭25年" not in a.answer
