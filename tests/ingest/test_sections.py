"""Sections and chunks: real heading variants, lost headings, sub-chunks on sentence boundaries."""

from __future__ import annotations

from core.records import Line
from ingest.loaders import load_bytes
from ingest.sections import make_chunks, split_sections
from tests.golden import SAMPLES


def _lines(text: str) -> list[Line]:
    return [Line(t, i + 1) for i, t in enumerate(text.split("\n"))]


def _numbers(text: str) -> list[int]:
    return [s.number for s in split_sections(_lines(text))]


def test_preamble_extra_words_and_the_alternative_section_four_title() -> None:
    text = "\n".join(["某某局2021年政府信息公开工作年度报告", "根据《条例》编制本报告。", "一、总体情况（概述）", "正文。",
                      "二、主动公开政府信息情况", "表。", "三、收到和处理政府信息公开申请情况", "表。",
                      "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "表。", "五、存在的主要问题及改进情况",
                      "问题。", "六、其他需要报告的事项", "无。"])
    assert _numbers(text) == [0, 1, 2, 3, 4, 5, 6]


def test_a_bulleted_repeat_of_a_heading_does_not_start_the_section() -> None:
    text = "\n".join(["一、总体情况", "a。", "五、存在的主要问题及改进情况", "问题。", "- 六、其他需要报告的事项",
                      "改进计划。", "六、其他需要报告的事项", "未收取信息处理费。"])
    sections = split_sections(_lines(text))
    assert [s.number for s in sections] == [1, 5, 6]
    assert [ln.text for ln in sections[-1].lines] == ["未收取信息处理费。"]


def test_lost_headings_fall_back_to_where_the_content_starts() -> None:
    raw = (SAMPLES / "000_7061442731bc0513.txt").read_bytes()
    doc = load_bytes("x.txt", raw)
    kept = [ln for ln in doc.lines if not ln.text.strip().startswith(("三、收到", "四、政府"))]
    kept = [Line(ln.text.replace("五、存在的主要问题", "存在的主要问题"), ln.lineno) for ln in kept]  # numeral lost
    sections = {s.number: s for s in split_sections(kept)}
    assert set(sections) == {0, 1, 2, 3, 4, 5, 6}
    assert sections[3].lines[0].text.startswith("（本列数据的勾稽关系")
    assert sections[4].lines[0].text.startswith("行政复议")
    assert sections[5].title == "五、存在的主要问题及改进情况"


def test_a_lost_problems_heading_is_found_by_its_first_sub_heading() -> None:
    text = "\n".join(["一、总体情况", "正文。", "四、政府信息公开行政复议、行政诉讼情况", "| 1 | 0 |", "（一）主要问题",
                      "栏目结构无法满足需要。", "（二）改进情况", "开设专栏。", "五、其他需要报告的事项", "无。"])
    sections = {s.number: s for s in split_sections(_lines(text))}
    assert sections[5].title == "五、存在的主要问题及改进情况" and not sections[5].printed
    assert [ln.text for ln in sections[5].lines][:2] == ["（一）主要问题", "栏目结构无法满足需要。"]
    assert "（一）主要问题" not in [ln.text for ln in sections[4].lines]


def test_long_sections_become_sentence_bounded_chunks_with_line_ranges() -> None:
    sentence = "我局进一步加强政府信息公开工作，完善制度建设。"
    text = "\n".join(["一、总体情况"] + [sentence] * 40 + ["五、存在的主要问题及改进情况", "问题较多。"])
    chunks = make_chunks(split_sections(_lines(text)), "某某局", 2021, set(), target=200)
    body = [c for c in chunks if c.section_no == 1]
    assert len(body) > 3
    for chunk in body:
        assert len(chunk.text) <= 200 and chunk.text.endswith("。")
        assert chunk.indexed_text.startswith("某某局 · 2021年 · 一、总体情况\n")
    assert body[0].line_start == 2 and body[-1].line_end == 41
    assert chunks[-1].section_no == 5 and chunks[-1].text == "问题较多。"


def test_unknown_metadata_is_said_in_the_prefix_not_guessed() -> None:
    chunks = make_chunks(split_sections(_lines("一、总体情况\n正文。")), None, None, set())
    assert chunks[0].indexed_text.startswith("单位不详 · 年份不详 · 一、总体情况")


def test_a_line_standing_alone_keeps_its_line_break_in_the_chunk() -> None:
    text = "\n".join(["一、总体情况", "| 1 | 0 | 2 |", "（一）主要问题", "网站栏目无法满足机构改革后的信息发布需要。",
                      "（二）主动公开情况。主要通过政府门户网站主动公开政府", "文件、通知公告等各类政府信息。"])
    (chunk,) = make_chunks(split_sections(_lines(text)), "某某局", 2021, set())
    assert chunk.text.split("\n") == ["| 1 | 0 | 2 |", "（一）主要问题", "网站栏目无法满足机构改革后的信息发布需要。",
                                      "（二）主动公开情况。主要通过政府门户网站主动公开政府文件、通知公告等各类政府信息。"]


def test_a_table_row_after_a_sentence_starts_its_own_line() -> None:
    text = "\n".join(["四、政府信息公开行政复议、行政诉讼情况", "注：行政复议数量含上年度结转数量。", "|---|---|"])
    (chunk,) = make_chunks(split_sections(_lines(text)), "某某局", 2021, set())
    assert chunk.text.split("\n") == ["注：行政复议数量含上年度结转数量。", "|---|---|"]
