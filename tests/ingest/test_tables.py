"""Table shapes: tab rows with blanks, space rows with wrapped labels, layout columns, pipes and typos, and
web-flattened rows decoded with the template's relations (ambiguous, never guessed)."""

from __future__ import annotations

from decimal import Decimal

from core.records import Line
from ingest.rows import observe
from ingest.splits import read_row, readings
from ingest.tables import T3_ROW_RELATIONS, T4_ROW_RELATIONS, parse_tables

D = Decimal


def _lines(text: str) -> list[Line]:
    return [Line(t, i + 1) for i, t in enumerate(text.split("\n"))]


def _cells(text: str, year: int | None = 2021):
    parsed = parse_tables(_lines(text), year)
    return parsed, {c.key: c for c in parsed.cells}


def _row(text: str):
    row = observe(Line(text, 1), "")
    assert row is not None
    return row


def test_flattened_row_decoded_by_the_row_total() -> None:
    found = readings(_row("一、本年新收政府信息公开申请数量640020470"), 7, T3_ROW_RELATIONS)
    assert found == [(D(64), D(0), D(0), D(2), D(0), D(4), D(70))]


def _flat(*values: int) -> str:
    return "".join(str(v) for v in values)


def test_flattened_row_with_several_consistent_splits_keeps_them_all() -> None:
    # 1|10|0|0|0|0|11 and 11|0|0|0|0|0|11 print the same digits, and both add up
    found = readings(_row("（一）予以公开" + _flat(1, 10, 0, 0, 0, 0, 11)), 7, T3_ROW_RELATIONS)
    assert (D(1), D(10), D(0), D(0), D(0), D(0), D(11)) in found
    assert (D(11), D(0), D(0), D(0), D(0), D(0), D(11)) in found
    assert all(sum(r[:6]) == r[6] for r in found)


def test_flattened_row_that_fits_no_total_is_in_doubt() -> None:
    found, doubt = read_row(_row("（一）予以公开" + _flat(1, 0, 0, 0, 0, 0, 5)), 7, T3_ROW_RELATIONS)
    assert doubt and found == []  # 1|0|0|0|0|0|5 does not add up: nothing is trusted, no partial candidate list


def test_flattened_row_with_blank_cells_is_in_doubt() -> None:
    # 118|3|blank×4|121 prints "1183121"; as seven numbers it would be 1|1|8|3|1|2|1, which does not add up. Blanks
    # make it add up, but so could a misprinted total: the row is flagged, never read.
    _, cells = _cells(_flattened_t3({}).replace("二、上年结转政府信息公开申请数量0000000", "二、上年结转政府信息公开申请数量1183121"))
    for col in ("natural_person", "total"):
        cell = cells[("三", "carried_over", col)]
        assert cell.status == "ambiguous" and "不符" in cell.note


def test_flattened_row_without_relations_keeps_blank_alternatives() -> None:
    found, doubt = read_row(_row("行政规范性文件523"), 3)
    assert doubt == "" and (D(5), D(2), D(3)) in found and (D(52), D(3), None) in found
    assert read_row(_row("规章000"), 3) == ([(D(0), D(0), D(0))], "")


def test_flattened_table_four_is_split_by_its_three_totals() -> None:
    truth = (10, 1, 0, 0, 11, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)
    found = readings(_row(_flat(*truth)), 15, T4_ROW_RELATIONS)
    assert tuple(D(v) for v in truth) in found
    for r in found:
        assert sum(r[0:4]) == r[4] and sum(r[5:9]) == r[9] and sum(r[10:14]) == r[14]


def test_blank_tab_fields_are_missing_cells_not_zero() -> None:
    assert readings(_row("规章\t0\t0\t\t\t\t\t"), 3) == [(D(0), D(0), None)]
    assert readings(_row("\t\t\t\t\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0"), 15)[0][:6] == (None,) * 5 + (D(0),)


def test_label_padding_fields_are_not_mistaken_for_blank_values() -> None:
    assert readings(_row("一、本年新收政府信息公开申请数量\t\t3\t0\t0\t0\t0\t1\t4\t"), 7, T3_ROW_RELATIONS) == [
        (D(3), D(0), D(0), D(0), D(0), D(1), D(4))]


def test_space_row_with_too_few_numbers_cannot_place_the_blank() -> None:
    found = readings(_row("规章 0 5"), 3)
    assert len(found) == 3 and {r.count(None) for r in found} == {1}


def test_numbers_with_units_and_sentences_are_not_table_rows() -> None:
    assert observe(Line("2023 年，我区共受理政府信息公开申请 21 件。", 1), "") is None
    assert observe(Line("信息内容\t本年收费金额(单位:万元,保留4位小数)", 1), "") is None


def test_decimals_and_negative_changes_are_exact() -> None:
    text = "\n".join([
        "第二十条第（五）项", "信息内容 上一年项目数量 本年增/减 处理决定数量", "行政许可 12 -3 150",
        "其他对外管理服务事项 4 0 7", "第二十条第（九）项", "信息内容 采购项目数量 采购总金额",
        "政府集中采购 3 1234.567891", "三、收到和处理政府信息公开申请情况",  # the text goes on after the table
    ])
    parsed, cells = _cells(text, 2020)
    assert parsed.template == "2019"
    assert cells[("二", "licensing", "change")].value == D("-3")
    assert str(cells[("二", "procurement", "procurement_amount")].value) == "1234.567891"


T3_SPACE = """三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）
申请人情况
自然人
法人或其他组织
总计
商业企业 科研机构 社会公益
组织
一、本年新收政府信息公开申请数量 5 1 0 0 0 0 6
二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1
三、本年度办理 （一）予以公开 2 1 0 0 0 0 3
（二）部分公开（区分处理的，只计这一情形，不计其他情形） 1 0 0 0 0 0 1
（三）不予
公开
1.属于国家秘密 0 0 0 0 0 0 0
2.其他法律T政法规禁止公开 0 0 0 0 0 0 0
3.危及“三安全一稳定” 0 0 0 0 0 0 0
4.保护第三方合法权益 0 0 0 0 0 0 0
5.属于三类内部事务信息 0 0 0 0 0 0 0
6.属于四类过程性信息 0 0 0 0 0 0 0
7.属于行政执法案卷 0 0 0 0 0 0 0
8.属于行政查询事项 0 0 0 0 0 0 0
（四）无法
提供
1.本机关不掌握相关政府信息 2 0 0 0 0 0 2
2.没有现成信息需要另行制作 0 0 0 0 0 0 0
3.补正后申请内容仍不明确 0 0 0 0 0 0 0
（五）不予
处理
1.信访举报投诉类申请 0 0 0 0 0 0 0
2.重复申请 0 0 0 0 0 0 0
3.要求提供公开出版物 0 0 0 0 0 0 0
4.无正当理由大量反复申请 0 0 0 0 0 0 0
5.要求行政机关确认或重新出具已获取信息 0 0 0 0 0 0 0
（六）其他
处理
1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息
公开申请
0 0 0 0 0 0 0
2.逾期不缴费 0 0 0 0 0 0 0
3.其他 0 0 0 0 0 0 0
（七）总计 5 1 0 0 0 0 6
四、结转下年度继续办理 1 0 0 0 0 0 1
四、政府信息公开行政复议、行政诉讼情况
行政复议 行政诉讼
1 0 0 0 1 0 0 0 0 0 0 0 0 0 0
五、存在的主要问题及改进情况"""


def test_space_shape_with_wrapped_labels_typos_and_abbreviations() -> None:
    parsed, cells = _cells(T3_SPACE)
    assert parsed.template == "2021"
    assert cells[("三", "new_applications", "total")].value == 6
    assert cells[("三", "unavailable_not_held", "natural_person")].value == 2
    assert cells[("三", "other_overdue_correction", "total")].status == "ok"
    assert cells[("三", "carried_forward", "natural_person")].value == 1
    assert cells[("四", "cases", "review_upheld")].value == 1
    assert ("三", "other_handling", "total") not in cells  # printed as three sub-items


def test_a_row_missing_from_the_report_is_missing_not_shifted() -> None:
    text = T3_SPACE.replace("3.要求提供公开出版物 0 0 0 0 0 0 0\n", "")
    _, cells = _cells(text)
    assert cells[("三", "not_processed_publications", "total")].status == "missing"
    assert cells[("三", "not_processed_excessive", "total")].value == 0
    assert cells[("三", "total_handled", "total")].value == 6


def _flattened_t3(values: dict[str, tuple[int, ...]]) -> str:
    labels = [
        ("new_applications", "一、本年新收政府信息公开申请数量"), ("carried_over", "二、上年结转政府信息公开申请数量"),
        ("granted", "（一）予以公开"), ("partially_granted", "（二）部分公开"), ("w1", "1.属于国家秘密"),
        ("w2", "2.其他法律行政法规禁止公开"), ("w3", "3.危及“三安全一稳定”"), ("w4", "4.保护第三方合法权益"),
        ("w5", "5.属于三类内部事务信息"), ("w6", "6.属于四类过程性信息"), ("w7", "7.属于行政执法案卷"),
        ("w8", "8.属于行政查询事项"), ("unavailable_not_held", "1.本机关不掌握相关政府信息"),
        ("u2", "2.没有现成信息需要另行制作"), ("u3", "3.补正后申请内容仍不明确"), ("n1", "1.信访举报投诉类申请"),
        ("n2", "2.重复申请"), ("n3", "3.要求提供公开出版物"), ("n4", "4.无正当理由大量反复申请"),
        ("n5", "5.要求行政机关确认或重新出具已获取信息"), ("o1", "1.申请人无正当理由逾期不补正"),
        ("o2", "2.申请人逾期未按收费通知要求缴纳费用"), ("o3", "3.其他"),
        ("total_handled", "（七）总计"), ("carried_forward", "四、结转下年度继续办理"),
    ]
    zero = (0,) * 7
    rows = [label + _flat(*values.get(key, zero)) for key, label in labels]
    return "三、收到和处理政府信息公开申请情况\n" + "\n".join(rows) + "\n五、存在的主要问题及改进情况"


def test_flattened_table_three_uses_column_relations_across_rows() -> None:
    both = (1, 10, 0, 0, 0, 0, 11)  # prints "110000011", which also reads as 11|0|0|0|0|0|11
    text = _flattened_t3({
        "new_applications": both, "total_handled": both,
        "granted": (1, 0, 0, 0, 0, 0, 1), "partially_granted": (0, 10, 0, 0, 0, 0, 10),  # each has one split
    })
    assert len(readings(_row("（七）总计" + _flat(*both)), 7, T3_ROW_RELATIONS)) == 2
    _, cells = _cells(text)
    # （七） = （一）+（二) per column decides （七）; then 一 + 二 = 七 + 四 decides 一
    for key in ("total_handled", "new_applications"):
        got = [cells[("三", key, c)].value for c in ("natural_person", "commercial_enterprise", "total")]
        assert got == [1, 10, 11], key
        assert cells[("三", key, "natural_person")].status == "ok"


def test_flattened_table_three_left_ambiguous_when_relations_cannot_decide() -> None:
    both = (1, 10, 0, 0, 0, 0, 11)
    text = _flattened_t3({"new_applications": both, "total_handled": both, "granted": both})
    _, cells = _cells(text)
    cell = cells[("三", "new_applications", "natural_person")]
    assert cell.status == "ambiguous" and set(cell.candidates) == {1, 11}
    assert cells[("三", "new_applications", "total")].value == 11  # every reading agrees on the total


def test_undecidable_flattened_cells_are_ambiguous_with_candidates() -> None:
    text = "第二十条第（一）项\n信息内容 本年制发件数 本年废止件数 现行有效件数\n规章1234\n三、收到和处理政府信息公开申请情况"
    _, cells = _cells(text)
    cell = cells[("二", "rules", "issued")]
    assert cell.status == "ambiguous" and cell.value is None and set(cell.candidates) == {1, 12, 123, 1234}
    assert "可能为空" in cell.note  # 12|34|blank is one of the readings


# ------------------------------------------------------------------------ regressions: never a wrong "ok"

T2_2019 = "第二十条第（五）项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n行政许可\t{}\n三、收到和处理政府信息公开申请情况"


def test_text_in_a_value_cell_is_unreadable_and_shifts_nothing() -> None:
    _, cells = _cells(T2_2019.format("10\t增加2\t3"), 2020)
    assert cells[("二", "licensing", "previous_items")].value == 10
    assert cells[("二", "licensing", "change")].status == "ambiguous"
    assert cells[("二", "licensing", "decisions")].value == 3


def test_a_plus_sign_is_a_number() -> None:
    _, cells = _cells(T2_2019.format("10\t+5\t3"), 2020)
    assert [cells[("二", "licensing", c)].value for c in ("previous_items", "change", "decisions")] == [10, 5, 3]


def test_ocr_letter_in_the_first_value_column_is_not_label_text() -> None:
    row = _row("一、本年新收政府信息公开申请数量\tO\t0\t0\t0\t0\t0\t21")
    found = readings(row, 7, T3_ROW_RELATIONS)
    assert len(found) == 1 and found[0][1:] == (D(0),) * 5 + (D(21),)
    assert not isinstance(found[0][0], Decimal)


def test_a_lone_number_in_a_wide_row_is_not_split_into_digits() -> None:
    text = ("第二十条第（一）项\n信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规范性文件 125\n"
            "三、收到和处理政府信息公开申请情况")
    _, cells = _cells(text, 2020)
    for col in ("newly_made", "newly_published", "total_published"):
        cell = cells[("二", "normative_documents", col)]
        assert cell.status == "ambiguous" and cell.candidates == (D(125),)  # 125 somewhere, blanks elsewhere


def test_fullwidth_thousands_separators() -> None:
    text = "第二十条第（五）项\n信息内容 本年处理决定数量\n行政许可        1，573，179\n三、收到和处理政府信息公开申请情况"
    _, cells = _cells(text)
    assert cells[("二", "licensing", "decisions")].value == 1573179


def test_header_digits_and_bare_page_numbers_are_not_values() -> None:
    text = ("第二十条第（五）项\n信息内容 本年处理决定数量\n行政许可\n5\n第二十条第（八）项\n"
            "信息内容 本年收费金额（单位：万元，保留 4 位小数）\n行政事业性收费\n三、收到和处理政府信息公开申请情况")
    _, cells = _cells(text)
    assert cells[("二", "licensing", "decisions")].status == "missing"
    assert cells[("二", "fees", "fee_amount")].status == "missing"


def test_flattened_row_with_a_misprinted_total_is_flagged_not_mis_split() -> None:
    # 予以公开 1408|21|0|0|2|0 printed with total 1433 instead of 1431: "14082100201433" has a split that adds up
    # (14|0|8|210|0|201|433), which the column relations expose.
    good = {
        "new_applications": (3440, 75, 0, 1, 6, 3, 3525), "carried_over": (118, 3, 0, 0, 0, 0, 121),
        "granted": (1408, 21, 0, 0, 2, 0, 1433), "partially_granted": (462, 9, 0, 0, 0, 0, 471),
        "total_handled": (3440, 73, 0, 1, 5, 2, 3521), "carried_forward": (118, 5, 0, 0, 1, 1, 125),
        "unavailable_not_held": (1570, 43, 0, 1, 3, 2, 1619),
    }
    text = _flattened_t3(good)
    assert len(readings(_row("（一）予以公开" + _flat(*good["granted"])), 7, T3_ROW_RELATIONS)) >= 1
    _, cells = _cells(text)
    for col, printed in (("natural_person", 1408), ("commercial_enterprise", 21), ("total", 1433)):
        cell = cells[("三", "granted", col)]
        assert cell.status == "ambiguous" and D(printed) in cell.candidates, cell
    assert cells[("三", "new_applications", "total")].value == 3525  # rows that fit stay read


def test_flattened_table_four_with_misprinted_totals_is_never_read_wrong() -> None:
    import random

    from core.template import CASE_GROUPS, CASE_OUTCOMES

    keys = [f"{g}_{o}" for g, _ in CASE_GROUPS for o, _ in CASE_OUTCOMES]
    rng = random.Random(5)
    read = 0
    for k in range(300):
        truth: list[int] = []
        for _ in range(3):
            parts = [rng.choice([0, 0, 0, 1, 2, 3, 5, 10, 17, 40, 120]) for _ in range(4)]
            truth += parts + [sum(parts)]
        if k % 2 == 0:
            truth[rng.randrange(3) * 5 + 4] += rng.choice([1, 2, 5, 10])  # a misprinted 总计
        text = "四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n" + _flat(*truth) + "\n五、存在的主要问题及改进情况"
        _, cells = _cells(text, 2022)
        for i, key in enumerate(keys):
            cell = cells[("四", "cases", key)]
            if cell.status == "ok":
                read += 1
                assert cell.value == truth[i], (truth, key, cell.value)
    assert read > 1000  # consistent rows are still read


def test_a_label_naming_another_item_is_not_read_by_order() -> None:
    text = ("第二十条第（六）项\n信息内容\t本年处理决定数量\n行政处罚\t12\n行政检查\t30\n"
            "三、收到和处理政府信息公开申请情况")
    _, cells = _cells(text)
    assert cells[("二", "penalty", "decisions")].value == 12
    assert cells[("二", "coercion", "decisions")].status != "ok"  # 行政检查 is not 行政强制


def test_a_misprinted_total_does_not_choose_where_a_blank_is() -> None:
    text = T3_SPACE.replace("一、本年新收政府信息公开申请数量 5 1 0 0 0 0 6", "一、本年新收政府信息公开申请数量 10 0 0 0 0 0 10")
    text = text.replace("（一）予以公开 2 1 0 0 0 0 3", "（一）予以公开 9 0 0 0 0 0 9")
    text = text.replace("1.本机关不掌握相关政府信息 2 0 0 0 0 0 2", "1.本机关不掌握相关政府信息 0 0 0 0 0 0 0")
    text = text.replace("（二）部分公开（区分处理的，只计这一情形，不计其他情形） 1 0 0 0 0 0 1",
                        "（二）部分公开（区分处理的，只计这一情形，不计其他情形） 0 0 0 0 0 0 0")
    text = text.replace("（七）总计 5 1 0 0 0 0 6", "（七）总计 9 0 1 0 0 0 9")  # misprinted
    text = text.replace("四、结转下年度继续办理 1 0 0 0 0 0 1", "四、结转下年度继续办理 1 0 0 0 0 1")  # one cell blank
    _, cells = _cells(text)
    for col in ("natural_person", "commercial_enterprise", "research_institution", "total"):
        assert cells[("三", "carried_forward", col)].status == "ambiguous", col


def test_a_second_table_three_is_ignored_with_a_warning() -> None:
    second = T3_SPACE.split("\n四、政府信息公开行政复议")[0].replace(" 5 1 0 0 0 0 6", " 50 10 0 0 0 0 60")
    text = T3_SPACE.replace("四、政府信息公开行政复议", "（部门汇总）\n" + second + "\n四、政府信息公开行政复议", 1)
    parsed, cells = _cells(text)
    assert cells[("三", "new_applications", "total")].value == 6
    assert any("另一张表三" in w for w in parsed.warnings)


def test_a_row_printed_twice_with_different_numbers_is_flagged() -> None:
    text = T3_SPACE.replace("2.重复申请 0 0 0 0 0 0 0", "2.重复申请 0 0 0 0 0 0 0\n2.重复申请 3 0 0 0 0 0 3")
    parsed, cells = _cells(text)
    assert cells[("三", "not_processed_repeated", "total")].status == "ambiguous"
    assert any("出现两次" in w for w in parsed.warnings)


def test_a_row_the_text_stops_in_is_not_trusted() -> None:
    """A crawler's copy cut off inside a table may stop inside a number: 收费 1 may be 108."""
    text = "\n".join(["第二十条第（一）项", "信息内容 本年制发件数 本年废止件数 现行有效件数", "规章 0 0 3",
                     "第二十条第（八）项", "信息内容 本年收费金额（单位：万元）", "行政事业性收费 1"])
    _, cells = _cells(text, 2022)
    assert cells[("二", "rules", "in_force")].value == D("3")
    fee = cells[("二", "fees", "fee_amount")]
    assert fee.status == "ambiguous" and fee.value is None and fee.candidates == () and "中断" in fee.note


def test_a_page_that_ends_with_a_whole_table_row_is_not_a_cut_copy() -> None:
    """One scanned page of a report ends where the table breaks: its last row has every column and adds up."""
    head = T3_SPACE[:T3_SPACE.index("1.本机关不掌握相关政府信息 2 0 0 0 0 0 2")]
    whole = head + "1.本机关不掌握相关政府信息 746 12 0 0 10 1 769"
    _, cells = _cells(whole)
    assert cells[("三", "unavailable_not_held", "total")].value == D(769)
    assert cells[("三", "unavailable_not_held", "legal_service_org")].value == D(10)
    cut = head + "1.本机关不掌握相关政府信息 746 12 0 0 10 1 76"  # stopped inside the total: does not add up
    _, cells = _cells(cut)
    assert cells[("三", "unavailable_not_held", "total")].status == "ambiguous"
    assert "中断" in cells[("三", "unavailable_not_held", "natural_person")].note


def test_a_bare_caption_cell_opens_table_two() -> None:
    parsed, cells = _cells("第二十条第\n信息内容\n本年制发件数\n本年废止件数\n现行有效件数\n行政规范性文件 0 1 2\n"
                           "第二十条第\n信息内容\n本年处理决定数量\n行政许可 5\n三、收到和处理政府信息公开申请情况")
    assert parsed.template == "2021"
    assert [cells[("二", "normative_documents", c)].value for c in ("issued", "repealed", "in_force")] == [D(0), D(1), D(2)]
    assert cells[("二", "licensing", "decisions")].value == D(5)
    _, none = _cells("根据第二十条第的规定，本机关主动公开了相关信息，共5件。")
    assert not [c for c in none.values() if c.status == "ok"]  # the words inside prose open no table


def test_a_pipe_row_with_one_field_per_column_is_not_shifted() -> None:
    text = ("三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n"
            "一、本年新收政府信息公开申请数量 | 0 | | | | | | 0 |\n二、上年结转政府信息公开申请数量 | | | | | | | 0 |\n"
            "四、结转下年度继续办理 | | | | | | | 0 |\n五、存在的主要问题及改进情况")
    _, cells = _cells(text)
    row = [cells[("三", "carried_over", c)] for c in ("natural_person", "other_org", "total")]
    assert [(c.status, c.value) for c in row] == [("missing", None), ("missing", None), ("ok", D(0))]
    assert cells[("三", "new_applications", "total")].value == D(0)
