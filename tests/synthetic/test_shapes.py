"""The real-world shapes of synthetic.shapes keep what real copies keep, and lose what they lose."""

from __future__ import annotations

import random
import re

from synthetic import make_truth, render
from synthetic.shapes import DERIVED_SHAPES, decode


def _text(shape: str, seed: int, **kwargs) -> tuple[object, str]:
    truth = make_truth(random.Random(seed), **kwargs)
    return truth, decode(render(truth, shape, random.Random(seed)).data)


def test_web_oneline_puts_the_report_on_one_line_after_title_and_breadcrumbs() -> None:
    truth, text = _text("web_oneline", 1)
    lines = [ln for ln in text.split("\n") if ln.strip()]
    assert len(lines) == 3 and lines[0] == f"{truth.agency}{truth.covers_year}年政府信息公开工作年度报告"
    assert lines[1].startswith("发布时间") and lines[2].startswith("当前位置")
    assert "二、主动公开政府信息情况" in lines[2] and "五、存在的主要问题" in lines[2]


def test_pipe_newline_has_one_cell_per_line_and_blank_cells_as_bare_pipes() -> None:
    _, text = _text("pipe_newline", 2, blanks=True)
    lines = text.split("\n")
    assert any(ln.strip() == "|" for ln in lines)
    assert sum(bool(re.fullmatch(r"\d+ \|", ln)) for ln in lines) > 100
    assert not any("\t" in ln for ln in lines)


def test_cell_per_line_prints_bare_numbers_one_per_line() -> None:
    _, text = _text("cell_per_line", 3)
    lines = text.split("\n")
    assert sum(bool(re.fullmatch(r"\d+", ln.strip())) for ln in lines) > 150
    assert not any("\t" in ln or "|" in ln for ln in lines)


def test_ocr_minitables_head_each_t3_row_with_data_columns() -> None:
    _, text = _text("ocr_minitables", 4)
    assert text.count("| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |") >= 8
    assert "### 一、本年新收政府信息公开申请数量" in text


def test_web_truncated_is_a_prefix_cut_inside_the_tables() -> None:
    for seed in range(10):
        truth, text = _text("web_truncated", seed)
        _, whole = _text("web_oneline", seed)
        assert "第二十条" in text and "五、存在的主要问题" not in text.split("\n")[-1][-200:]
        assert len(text) < len(whole)


def test_every_derived_shape_is_rendered_for_both_templates() -> None:
    for shape in DERIVED_SHAPES:
        for template in ("2019", "2021"):
            truth = make_truth(random.Random(7), template=template)
            assert render(truth, shape, random.Random(7)).shape == shape
