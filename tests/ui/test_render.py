"""Rendering answers: report text is shown as text, never as markup; citations carry their source."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from retrieval.answer import Answer, CellRef, Citation, ListRow, RowCell, Value
from ui.chart import chart_svg
from ui.export import to_csv
from ui.render import chat_message, citation_card, highlight, number_table, sources_html

EVIL = "<script>alert(1)</script><img src=x onerror=\"alert(2)\">**粗体**"


def _passage(quote: str = EVIL, context: str = "前文" + EVIL + "后文") -> Citation:
    return Citation(1, "r1", "a.txt", "测试县信访局", 2022, "一、总体情况", 1, 3, 12, quote, context=context)


def test_chat_message_escapes_markup_and_markdown() -> None:
    text = chat_message(Answer("q", "答：" + EVIL + "[1]", "passage", citations=(_passage(),), warnings=(EVIL,)))
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;" in text and "\\*\\*粗体\\*\\*" in text and 'class="govqa-ref">[1]</a>' in text
    assert "提示：" in text


def test_citation_card_marks_the_quote_inside_escaped_context() -> None:
    card = citation_card(_passage())
    assert "<script" not in card and "<img" not in card
    assert "前文<mark>&lt;script&gt;" in card and "</mark>后文" in card
    assert "测试县信访局 · 2022年 · 一、总体情况 · 第3页 · 第12行" in card


def test_a_passage_read_from_traditional_characters_shows_them_escaped() -> None:
    from dataclasses import replace

    card = citation_card(replace(_passage("各单位开展培训", "各单位开展培训"), original="各單位開展培訓<b>"))
    assert "原文（繁体）：各單位開展培訓&lt;b&gt;" in card
    assert "原文（繁体）" not in citation_card(_passage())


def test_a_card_names_the_report_by_its_printed_title_and_keeps_the_file_name_beside_it() -> None:
    card = citation_card(replace(_passage(), report="3f9a0c1d.pdf", title="测试县信访局2022年 政府信息<b>公开</b>工作年度报告"))
    assert "报告：《测试县信访局2022年 政府信息&lt;b&gt;公开&lt;/b&gt;工作年度报告》" in card
    assert "（文件：3f9a0c1d.pdf）" in card
    assert "报告：《《" not in citation_card(replace(_passage(), title="《测试县年报》"))
    assert "报告：" not in citation_card(_passage()) and "文件：a.txt" in citation_card(_passage())


def test_highlight_tolerates_whitespace_differences() -> None:
    assert highlight("共主动公开\n信息12条。其他", "共主动公开信息12条") == "<mark>共主动公开\n信息12条</mark>。其他"
    assert "<mark>不在文中</mark>" in highlight("原文", "不在文中")


def test_cell_citation_shows_the_row_with_the_cell_marked() -> None:
    cite = Citation(2, "r1", "a.txt", "宿迁市", 2023, "四、…", 4, None, 185, "309 17 88 26 440",
                    CellRef("四", "cases", "review_total"),
                    row=(RowCell("review_upheld", "行政复议/结果维持", "309"),
                         RowCell("review_total", "行政复议/总计", "440")))
    card = citation_card(cite)
    assert "<tr class=\"govqa-cited\"><th>行政复议/总计</th><td>440</td></tr>" in card
    assert "<tr class=\"\"><th>行政复议/结果维持</th>" in card
    assert "govqa-warn" in sources_html(Answer("q", "a", "table", citations=(cite,), warnings=("表四合计不一致",)))


def _value(agency: str, year: int, value: int) -> Value:
    return Value(agency, year, "四", "cases", "review_total", "行政复议—总计", Decimal(value), "件", 1, "a.txt", "r")


def test_number_table_chart_kind() -> None:
    years = number_table(Answer("q", "a", "table", values=(_value("宿迁市", 2023, 440), _value("宿迁市", 2024, 170))))
    assert years is not None and years.chart == "line"
    agencies = number_table(Answer("q", "a", "table", values=(_value("甲", 2023, 1), _value("乙", 2023, 2))))
    assert agencies is not None and agencies.chart == "bar"
    zeros = number_table(Answer("q", "a", "table", values=(_value("甲", 2023, 0), _value("乙", 2023, 0))))
    assert zeros is not None and zeros.chart == ""  # a table, but no chart of zeros
    assert number_table(Answer("q", "a", "table", values=(_value("甲", 2023, 1),))) is None
    answer = Answer("q", "a", "table", values=(_value("甲", 2023, 1), _value("乙", 2023, 2)))
    assert to_csv(answer, agencies).splitlines()[1] == "甲,2023,行政复议—总计,1,件,[1],"  # no citation record: blank


def test_a_long_list_tabulates_every_value_and_charts_the_named_ones() -> None:
    named = (replace(_value("甲", 2023, 9), report_id="r甲"), replace(_value("乙", 2023, 8), report_id="r乙", citation=2))
    listing = tuple(ListRow(name, 2023, "行政复议—总计", Decimal(n), "件", "ok", f"{name}.txt", f"r{name}",
                            ("四/cases/review_total",), None) for name, n in (("甲", 9), ("乙", 8), ("丙", 1), ("丁", 0)))
    table = number_table(Answer("q", "a", "table", values=named, listing=listing))
    assert table is not None and table.chart == "bar"
    assert [row[0] for row in table.rows] == ["甲", "乙", "丙", "丁"]  # named (cited) first, each report once
    assert [row[-1] for row in table.rows] == ["[1]", "[2]", "", ""]
    svg = chart_svg(table)
    assert svg.count('class="govqa-bar"') == 2 and "甲2023年" in svg and "乙2023年" in svg and "丙" not in svg
    assert to_csv(Answer("q", "a", "table", values=named, listing=listing), table).splitlines()[-1] == \
        "丁,2023,行政复议—总计,0,件,,"


def test_llm_written_answers_say_so() -> None:
    plain = Answer("q", "宿迁市2023年440件[1]。", "table")
    assert "大模型" not in chat_message(plain)
    assert "每句已与引用核对" in chat_message(Answer("q", "宿迁市2023年440件[1]。", "table", composer="llm"))


def test_citation_markers_link_to_their_cards_and_nothing_else() -> None:
    from retrieval.answer import Citation

    c = Citation(1, "r", "a.txt", "甲", 2023, "四、", 4, 1, 1, "q")
    text = chat_message(Answer("q", "甲<b>[1]</b>，乙[2]。", "table", citations=(c,)))
    assert '<a href="#govqa-cite-1" class="govqa-ref">[1]</a>' in text
    assert "\\[2\\]" in text and "govqa-cite-2" not in text  # no card 2: left as text
    assert "<b>" not in text  # the answer's own markup is still escaped
    assert '<span class="govqa-wide">见右侧</span><span class="govqa-narrow">见下方</span>' in text
