"""The layout-independent reader's first stage: whatever the line breaks, one table row per line."""

from __future__ import annotations

from core.records import Line
from ingest.segment import resegment


def _texts(text: str) -> list[str]:
    return [ln.text for ln in resegment([Line(t, i + 1) for i, t in enumerate(text.split("\n"))])]


def test_one_line_web_text_is_cut_at_headings_captions_and_row_labels() -> None:
    out = _texts("二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章 000行政规范"
                 "性文件693665三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项"
                 "之和）申请人情况自然人法人或其他组织总计一、本年新收政府信息公开申请数量640020470二、上年结转政府信息公开申请"
                 "数量0000000三、本年度办理结果（一）予以公开270020130（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
                 "500000 5（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000")
    assert "规章000" in out and "行政规范性文件693665" in out
    assert "一、本年新收政府信息公开申请数量640020470" in out and "三、本年度办理结果" in out
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）5000005" in out  # a space is not a cell boundary
    assert "1.属于国家秘密0000000" in out and "2.其他法律行政法规禁止公开0000000" in out  # "2." stays with its label
    assert out[0] == "二、主动公开政府信息情况"


def test_a_label_broken_by_a_space_is_still_an_anchor() -> None:
    # a copy that wrapped a line inside a group label: the row before it must still end at the label
    out = _texts("三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
                 "申请人情况自然人法人或其他组织总计"
                 "一、本年新收政府信息公开申请数量15130000154二、上年结转政府信息公开申请数量0000000三、本年度办 理结果"
                 "（一）予以公开330000033")
    assert "二、上年结转政府信息公开申请数量0000000" in out
    assert "（一）予以公开330000033" in out


def test_pipe_cells_one_per_line_become_one_row_with_blank_fields() -> None:
    out = _texts("第二十条第(一)项 | |||\n|\n信息内容 |\n本年制发件数 |\n|\n规章 |\n0 |\n0 |\n|\n|\n行政规范性文件 |\n5 |\n12 |\n8 |")
    assert "规章\t0\t0\t" in out and "行政规范性文件\t5\t12\t8" in out


def test_bare_numbers_one_per_line_join_their_label_without_claiming_blanks() -> None:
    out = _texts("第二十条第（一）项\n信息内容\n规章\n0\n0\n3\n第二十条第（六）项\n行政处罚\n12\n行政强制\n18153")
    assert "规章 0 0 3" in out and "行政处罚 12" in out and "行政强制 18153" in out


def test_tab_rows_and_prose_pass_through_and_keep_their_source_line() -> None:
    text = "一、总体情况\n2021年，我局收到申请2件，予以公开2件。\n第二十条第（一）项\n规章\t0\t0\t1"
    lines = resegment([Line(t, i + 1) for i, t in enumerate(text.split("\n"))])
    assert [ln.text for ln in lines] == text.split("\n")
    one = resegment([Line("一、总体情况2021年，我局认真落实。二、主动公开政府信息情况", 7)])
    assert [ln.text for ln in one] == ["一、总体情况", "2021年，我局认真落实。", "二、主动公开政府信息情况"]
    assert {ln.source_line for ln in one} == {7}


def test_a_sentence_run_into_the_cells_is_not_a_cell() -> None:
    out = _texts("第二十条第（一）项\n行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计 001010000000000 2019年，我局被申请行政复议1件。")
    assert any(t.endswith("001010000000000") for t in out) and "2019年，我局被申请行政复议1件。" in out


def test_a_caption_without_its_item_number_still_opens_the_table() -> None:
    text = "二、主动公开政府信息情况\n第二十条第\n信息内容\n本年制发件数\n本年废止件数\n现行有效件数\n行政规范性文件\n0\n1\n2\n三、收到和处理政府信息公开申请情况"
    assert "行政规范性文件 0 1 2" in _texts(text)
