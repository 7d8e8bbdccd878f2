"""The chart of an answer's numbers as an SVG drawn here, so what it shows is fixed by the product, not a plot
library: bars start at zero, the y axis names the measure and its unit, every bar and point carries its value, the
title names the cells and years. Everything from a report is escaped.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence

from ui.render import NumberTable

WIDTH, HEIGHT = 560, 340
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 44, 84
PALETTE = ("#3b6fb6", "#e08a1e", "#3a9a5b", "#c2474f", "#7b5cb3", "#6b7b8c")
MAX_LABEL = 12  # characters of an x label before it is shortened


def nice_top(largest: float, whole: bool = False) -> tuple[float, float]:
    """The axis top and tick step: a round number at or above ``largest``, in about 5 steps of 1, 2, 2.5 or 5 × 10ⁿ
    (``whole``: counts, so steps of at least 1)."""
    if largest <= 0:
        return 1.0, 0.25
    raw = largest / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if step >= 1 or whole:
        step = float(max(1, math.ceil(step)))
    return step * math.ceil(largest / step - 1e-9), step


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def chart_svg(table: NumberTable) -> str:
    """The SVG (inside a div) for ``table.chart`` ("bar" or "line"); "" when there is nothing to chart."""
    points = [(str(a), str(y), str(label), float(v), str(unit)) for a, y, label, v, unit, cite in table.rows
              if v is not None and cite and isinstance(v, int | float)]
    if table.chart not in ("bar", "line") or len(points) < 2:
        return ""
    series = list(dict.fromkeys(p[2] for p in points))
    units = {p[4] for p in points}
    unit = units.pop() if len(units) == 1 else ""
    line = table.chart == "line"
    xs = list(dict.fromkeys(p[1] + "年" if line else f"{p[0]}{p[1]}年" for p in points))
    value_at = {(p[1] + "年" if line else f"{p[0]}{p[1]}年", p[2]): p[3] for p in points}
    parts_of = {(p[1] + "年" if line else f"{p[0]}{p[1]}年"): (p[0], p[1]) for p in points}
    top, step = nice_top(max(p[3] for p in points), all(p[3].is_integer() for p in points))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    heads = {name.split("—")[0] for name in series}  # 规范性文件—本年新制作数量 / —本年制发件数: 规范性文件
    measure = series[0] if len(series) == 1 else heads.pop() if len(heads) == 1 else "数值"
    years = sorted({p[1] for p in points})
    agencies = list(dict.fromkeys(p[0] for p in points))
    span = years[0] + "年" if len(years) == 1 else f"{years[0]}—{years[-1]}年"
    title = f"{'、'.join(agencies[:3])}{'等' if len(agencies) > 3 else ''} · {span} · {'、'.join(series[:3])}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'class="govqa-chart-svg" data-kind="{table.chart}" data-y-min="0" data-y-max="{_fmt(top)}" '
             f'aria-label="{_esc(title)}">',
             f'<text class="govqa-chart-title" x="{WIDTH / 2}" y="18" text-anchor="middle">{_esc(_short_title(title))}'
             f'</text>']
    ticks = round(top / step)
    for i in range(ticks + 1):
        value = step * i
        y = y_of(value)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="govqa-grid"/>'
                     f'<text class="govqa-tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(value)}</text>')
    axis = f"{measure}（{unit}）" if unit else measure
    parts.append(f'<text class="govqa-axis-title" transform="translate(14 {TOP + plot_h / 2}) rotate(-90)" '
                 f'text-anchor="middle">{_esc(_short(axis) if len(axis) > 20 else axis)}</text>')
    parts.append(f'<text class="govqa-axis-title" x="{LEFT + plot_w / 2}" y="{HEIGHT - 6}" text-anchor="middle">'
                 f'{"年度" if line else "单位与年度"}</text>')
    band = plot_w / len(xs)
    fits = max(3, int(band / 11))  # characters of an 11 px label that fit under one bar group
    for i, x in enumerate(xs):
        cx = LEFT + band * (i + 0.5)
        name, year = parts_of[x]
        lines = [x] if line else [name if len(name) <= fits else name[: fits - 1] + "…", f"{year}年"]
        spans = "".join(f'<tspan x="{cx:.1f}" dy="{0 if k == 0 else 13}">{_esc(t)}</tspan>' for k, t in enumerate(lines))
        parts.append(f'<text class="govqa-xlabel" x="{cx:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">'
                     f'<title>{_esc(x)}</title>{spans}</text>')
    if line:
        parts += _lines(xs, series, value_at, band, y_of, unit)
    else:
        parts += _bars(xs, series, value_at, band, y_of, unit)
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y_of(0):.1f}" y2="{y_of(0):.1f}" class="govqa-axis"/>')
    if len(series) > 1:
        parts += _legend(series)
    parts.append("</svg>")
    return f'<div class="govqa-chart">{"".join(parts)}</div>'


def _short_title(title: str) -> str:
    return title if len(title) <= 40 else title[:39] + "…"


def _bars(xs: Sequence[str], series: Sequence[str], value_at: dict[tuple[str, str], float], band: float,
          y_of: Callable[[float], float], unit: str) -> list[str]:
    out = []
    for i, x in enumerate(xs):
        present = [(k, name) for k, name in enumerate(series) if (x, name) in value_at]
        width = min(band * 0.7 / max(1, len(present)), 64)
        start = LEFT + band * (i + 0.5) - width * len(present) / 2
        for slot, (k, name) in enumerate(present):
            value = value_at[(x, name)]
            top, bottom = y_of(value), y_of(0)
            bx = start + width * slot
            out.append(f'<rect class="govqa-bar" x="{bx:.1f}" y="{top:.1f}" width="{width:.1f}" '
                       f'height="{bottom - top:.1f}" fill="{PALETTE[k % len(PALETTE)]}" data-value="{_fmt(value)}">'
                       f'<title>{_esc(x)} {_esc(name)}：{_fmt(value)}{_esc(unit)}</title></rect>'
                       f'<text class="govqa-value" x="{bx + width / 2:.1f}" y="{top - 4:.1f}" text-anchor="middle">'
                       f'{_fmt(value)}</text>')
    return out


def _lines(xs: Sequence[str], series: Sequence[str], value_at: dict[tuple[str, str], float], band: float,
           y_of: Callable[[float], float], unit: str) -> list[str]:
    out = []
    for k, name in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        pts = [(LEFT + band * (i + 0.5), y_of(value_at[(x, name)]), value_at[(x, name)], x)
               for i, x in enumerate(xs) if (x, name) in value_at]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _, _ in pts)
        out.append(f'<polyline class="govqa-line" points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for px, py, value, x in pts:
            out.append(f'<circle class="govqa-point" cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{color}" '
                       f'data-value="{_fmt(value)}"><title>{_esc(x)} {_esc(name)}：{_fmt(value)}{_esc(unit)}</title>'
                       f'</circle><text class="govqa-value" x="{px:.1f}" y="{py - 8:.1f}" text-anchor="middle">'
                       f'{_fmt(value)}</text>')
    return out


def _legend(series: Sequence[str]) -> list[str]:
    out = []
    for k, name in enumerate(series[:6]):
        x = LEFT + (k % 3) * 160
        y = HEIGHT - 42 + (k // 3) * 14
        out.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{PALETTE[k % len(PALETTE)]}"/>'
                   f'<text class="govqa-legend" x="{x + 14}" y="{y}">{_esc(_short(name))}</text>')
    return out
