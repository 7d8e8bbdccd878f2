"""The chart SVG: bars from zero, the measure and unit on the axis, values on bars and points, a title naming the
cells and years, report text escaped."""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree import ElementTree

from retrieval.answer import Answer, Value
from ui.chart import chart_svg, nice_top
from ui.render import number_table

SVG = "{http://www.w3.org/2000/svg}"


def _value(agency: str, year: int, value: int, label: str = "本年新收政府信息公开申请数量—总计") -> Value:
    return Value(agency, year, "三", "new_applications", "total", label, Decimal(value), "件", 1, "a.txt", "r")


def _svg(*values: Value) -> ElementTree.Element:
    table = number_table(Answer("q", "a", "table", values=values))
    assert table is not None
    markup = chart_svg(table)
    return ElementTree.fromstring(re.sub(r"^<div[^>]*>|</div>$", "", markup))


def _ticks(svg: ElementTree.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(SVG + "text") if t.get("class") == "govqa-tick"]


def test_bars_start_at_zero_even_when_the_values_are_close() -> None:
    svg = _svg(_value("宿迁市", 2023, 3525), _value("淮安市人民政府", 2024, 3119))
    assert svg.get("data-kind") == "bar" and svg.get("data-y-min") == "0"
    ticks = _ticks(svg)
    assert ticks[0] == "0" and ticks[-1] == "4,000"
    bars = [b for b in svg.iter(SVG + "rect") if b.get("class") == "govqa-bar"]
    heights = {b.get("data-value"): float(b.get("height") or 0) for b in bars}
    assert abs(heights["3,525"] / heights["3,119"] - 3525 / 3119) < 0.01  # heights in proportion: drawn from zero
    values = [t.text for t in svg.iter(SVG + "text") if t.get("class") == "govqa-value"]
    assert values == ["3,525", "3,119"]
    axis = [t.text for t in svg.iter(SVG + "text") if t.get("class") == "govqa-axis-title"]
    assert axis[0] == "本年新收政府信息公开申请数量—总计（件）"
    title = next(t.text for t in svg.iter(SVG + "text") if t.get("class") == "govqa-chart-title")
    assert title is not None and "2023—2024年" in title and "宿迁市" in title


def test_a_line_over_years_from_zero_with_values_on_points() -> None:
    svg = _svg(*(_value("宿迁市", year, n) for year, n in ((2022, 3512), (2023, 3518), (2024, 3524))))
    assert svg.get("data-kind") == "line" and _ticks(svg)[0] == "0"
    points = [c.get("data-value") for c in svg.iter(SVG + "circle")]
    assert points == ["3,512", "3,518", "3,524"]
    ys = [float(c.get("cy") or 0) for c in svg.iter(SVG + "circle")]
    assert max(ys) - min(ys) < 2  # 3512→3524 is nearly flat on an axis from zero


def test_report_text_in_a_chart_is_escaped() -> None:
    table = number_table(Answer("q", "a", "table", values=(
        _value("<script>x</script>局", 2023, 5, "<b>项目</b>"), _value("乙", 2023, 3, "<b>项目</b>"))))
    assert table is not None
    markup = chart_svg(table)
    assert "<script>" not in markup and "<b>" not in markup and "&lt;script&gt;" in markup


def test_nice_axis_tops() -> None:
    assert nice_top(3525) == (4000.0, 1000.0)
    assert nice_top(7) == (8.0, 2.0)
    assert nice_top(0.4)[0] >= 0.4
