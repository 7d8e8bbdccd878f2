"""Values: an item the report's template does not have; "有…吗" as a yes/no on any."""

from __future__ import annotations

from decimal import Decimal

from retrieval.assistant import Assistant


def test_an_item_the_template_lacks_is_said_to_be_absent(real_assistant: Assistant) -> None:
    # the 2019 template's 表二 has no 收费金额
    a = real_assistant.ask("平潭2020年行政事业性收费金额是多少万元？")
    assert a.kind == "none" and "没有" in a.answer and "2019年试行版" in a.answer and not a.values


def test_is_there_any_is_a_yes_no_with_the_group_total(real_assistant: Assistant) -> None:
    # 上海市科委2024 表四 行政复议: 维持1 纠正0 总计1
    a = real_assistant.ask("上海科委24年的复议有被纠正的吗？")
    assert a.understood["op"] == "threshold" and a.answer.startswith("否。")
    assert "0件" in a.answer and "总计 1件" in a.answer


def test_a_sum_against_a_threshold_says_yes_or_no_of_the_sum(real_assistant: Assistant) -> None:
    a = real_assistant.ask("宿迁两年的新收申请加一块儿，过五千件了没？")
    sums = [v for v in a.values if v.op == "sum"]
    assert len(sums) == 1 and sums[0].value == Decimal(3511 + 3525)
    assert a.answer.startswith("是。合计 7036件，超过5000件。")
    no = real_assistant.ask("宿迁两年的新收申请加一块儿，过一万件了没？")
    assert no.answer.startswith("否。")


def test_how_many_more_one_cell_than_another_is_their_difference(real_assistant: Assistant) -> None:
    # 宿迁市2023 表三: 予以公开 总计 1191, 部分公开 总计 328
    a = real_assistant.ask("宿迁23年全部公开的比部分公开的多出几件？")
    diff = [v for v in a.values if v.op == "difference"]
    assert len(diff) == 1 and diff[0].value == Decimal(1191 - 328) and diff[0].formula == "1191 − 328"
    assert "多 863件" in a.answer and len(a.citations) == 2


def test_a_group_with_a_blank_part_shows_the_filled_parts(real_assistant: Assistant) -> None:
    # 上海市政府办公厅2019 表四: 未经复议直接起诉 结果维持 8, 复议后起诉 blank
    a = real_assistant.ask("上海市府办19年行政诉讼结果维持几件？")
    assert "无法合计（未经复议直接起诉：8件[" in a.answer and "复议后起诉：空白[" in a.answer
    assert not [v for v in a.values if v.op == "sum"]  # a blank is never added as 0
