"""Answer → what the chat shows: escaped text, citation cards, the numbers as a table (charted by ui/chart.py,
exported by ui/export.py).

Everything here is a pure function of an :class:`~retrieval.answer.Answer` (or of stored records). Report text can
contain anything, so every piece of it is escaped before it reaches the page; nothing here parses a report.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.numbers import json_number
from retrieval.answer import Answer, Citation

KIND_LABELS = {"table": "表格数据", "passage": "报告原文", "mixed": "表格与原文", "none": "未找到"}


def esc(text: object) -> str:
    """HTML-escape anything that came from a report or a user."""
    return html.escape("" if text is None else str(text), quote=True)


# the sources sit right of the chat on a wide screen and below it on a phone (CSS shows one of the two)
_WHERE = '<span class="govqa-wide">见右侧</span><span class="govqa-narrow">见下方</span>'


_MARKER = re.compile(r"\\\[(\d+)\\\]")  # [n] after md_text_safe: \[n\]


def linked_markers(escaped: str, ids: set[int]) -> str:
    """Each escaped [n] of a known citation becomes a link that opens its card (the page's script, ``ui.page.PAGE_JS``)."""
    return _MARKER.sub(lambda m: (f'<a href="#govqa-cite-{m.group(1)}" class="govqa-ref">[{m.group(1)}]</a>'
                                  if int(m.group(1)) in ids else m.group(0)), escaped)


def chat_message(answer: Answer) -> str:
    """The chat bubble: the answer text (with its [n] markers linked to their cards) and, calmly, its warnings."""
    body = linked_markers(md_text_safe(answer.answer), {c.id for c in answer.citations})
    if answer.citations:
        body += (f"\n\n<sub>来源：{len(answer.citations)} 处（{KIND_LABELS.get(answer.kind, '')}），"
                 f"{_WHERE}“来源”。</sub>")
    if answer.composer == "llm":
        body += "\n\n<sub>文字由大模型组织，每句已与引用核对；数字由程序从报告中填入。</sub>"
    if answer.warnings:
        body += "\n\n" + "\n".join(f"> 提示：{md_text_safe(w)}" for w in answer.warnings[:6])
        if len(answer.warnings) > 6:
            body += f"\n> 另有 {len(answer.warnings) - 6} 条提示，{_WHERE}。"
    return body


def md_text_safe(text: str) -> str:
    """Escape for Markdown rendering: first HTML (so no tag survives), then Markdown's own characters."""
    escaped = html.escape(text, quote=False)
    escaped = re.sub(r"([\\`*_{}\[\]()#+!|~])", r"\\\1", escaped)
    escaped = re.sub(r"^(\s*)([-.>])", r"\1\\\2", escaped, flags=re.MULTILINE)
    return "  \n".join(escaped.split("\n"))


# ------------------------------------------------------------------------------------------------ citations


def citation_title(c: Citation) -> str:
    parts = [c.agency or "（单位不详）", f"{c.covers_year}年" if c.covers_year else "（年份不详）",
             c.section or "（章节不详）"]
    if c.page:
        parts.append(f"第{c.page}页")
    if c.line:
        parts.append(f"第{c.line}行")
    return " · ".join(parts)


def highlight(context: str, quote: str) -> str:
    """The passage with the quoted span marked; both escaped. Whitespace differences are tolerated."""
    if not context:
        return f"<mark>{esc(quote)}</mark>"
    at = context.find(quote)
    if at >= 0:
        return f"{esc(context[:at])}<mark>{esc(quote)}</mark>{esc(context[at + len(quote):])}"
    # match ignoring whitespace: map positions of the squashed context back to the original
    keep = [i for i, ch in enumerate(context) if not ch.isspace()]
    squashed = "".join(context[i] for i in keep)
    target = "".join(quote.split())
    at = squashed.find(target) if target else -1
    if at < 0:
        return f"{esc(context)}<div class=\"govqa-quote\">引文：<mark>{esc(quote)}</mark></div>"
    start, end = keep[at], keep[at + len(target) - 1] + 1
    return f"{esc(context[:start])}<mark>{esc(context[start:end])}</mark>{esc(context[end:])}"


def citation_card(c: Citation, open_: bool = False) -> str:
    kind = "表格单元格" if c.cell else "原文段落"
    head = (f"<summary><span class=\"govqa-n\">[{c.id}]</span> {esc(citation_title(c))} "
            f"<span class=\"govqa-kind\">{kind}</span></summary>")
    named = f"报告：{esc(_titled(c.title))}<span class=\"govqa-file\">（文件：{esc(c.report)}）</span>" if c.title \
        else f"文件：{esc(c.report)}"
    meta = f"<div class=\"govqa-meta\">{named}</div>"
    if c.cell is not None:
        rows = "".join(
            f"<tr class=\"{'govqa-cited' if r.column == c.cell.column else ''}\"><th>{esc(r.label)}</th>"
            f"<td>{esc(r.value)}</td></tr>" for r in c.row)
        body = (f"<div class=\"govqa-rowlabel\">表{esc(c.cell.table)}：{esc(_row_title(c))}</div>"
                f"<table class=\"govqa-row\">{rows}</table>" if rows else "")
        body += f"<div class=\"govqa-raw\">原文该行：<code>{esc(c.quote)}</code></div>"
    else:
        body = f"<div class=\"govqa-context\">{highlight(c.context, c.quote)}</div>"
        if c.original:  # read as simplified, printed in traditional characters
            body += f"<div class=\"govqa-original\">原文（繁体）：{esc(c.original)}</div>"
    return (f"<details class=\"govqa-cite\" id=\"govqa-cite-{c.id}\"{' open' if open_ else ''}>{head}{meta}"
            f"{body}</details>")


def _titled(title: str) -> str:
    """A report title in 《》, as Chinese writes a document's name (once: a title may carry its own)."""
    title = " ".join(title.split())
    return title if title.startswith("《") else f"《{title}》"


def _row_title(c: Citation) -> str:
    cited = next((r.label for r in c.row if c.cell and r.column == c.cell.column), "")
    return cited or (c.cell.row if c.cell else "")


def sources_html(answer: Answer | None) -> str:
    if answer is None:
        return "<div class=\"govqa-empty\">提问后，这里显示回答引用的报告原文和表格单元格，点击可展开。</div>"
    parts = []
    if answer.warnings:
        items = "".join(f"<li>{esc(w)}</li>" for w in answer.warnings)
        parts.append(f"<div class=\"govqa-warn\"><b>提示</b><ul>{items}</ul></div>")
    if answer.examined:
        parts.append(f"<div class=\"govqa-meta\">共查阅 {answer.examined} 份报告。</div>")
    if not answer.citations:
        parts.append("<div class=\"govqa-empty\">本回答没有可引用的来源。</div>")
    for c in answer.citations:
        parts.append(citation_card(c, open_=len(answer.citations) == 1))
    return "<div class=\"govqa-sources\">" + "".join(parts) + "</div>"


# --------------------------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class NumberTable:
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    chart: str  # "bar" | "line" | "" (drawn by ui/chart.py)


TABLE_HEADERS = ("单位", "年度", "指标", "数值", "计量单位", "引用")


def number_table(answer: Answer) -> NumberTable | None:
    """The stated cells of an answer over several agencies or years, with the chart that fits them: a line over
    years for one agency, bars otherwise. A long list's table holds every report's value (its listing) and charts
    the values the text names. None when there is nothing to tabulate."""
    cells = [v for v in answer.values if v.op == "cell"]
    if len({(v.agency, v.covers_year) for v in cells} | {(r.agency, r.covers_year) for r in answer.listing}) < 2:
        return None
    rows = tuple((v.agency or "", v.covers_year or "", _short_label(v.label), json_number(v.value), v.unit,
                  f"[{v.citation}]") for v in cells)
    named = {v.report_id for v in cells}
    rows += tuple((r.agency or "", r.covers_year or "", _short_label(r.label), json_number(r.value), r.unit, "")
                  for r in answer.listing if r.report_id not in named)
    agencies = {v.agency for v in cells}
    years = {v.covers_year for v in cells}
    plottable = [v for v in cells if v.value is not None]
    if len(plottable) < 2 or not any(v.value for v in plottable):  # nothing to see in a chart of zeros
        return NumberTable(TABLE_HEADERS, rows, "")
    if len(agencies) == 1 and len(years) > 1:
        return NumberTable(TABLE_HEADERS, rows, "line")
    return NumberTable(TABLE_HEADERS, rows, "bar")


def _short_label(label: str) -> str:
    return label if len(label) <= 40 else label[:38] + "…"


# ------------------------------------------------------------------------------------------------ reports


def corrections_html(lines: Sequence[str]) -> str:
    """The report's corrections of agency or year, each with the value the report printed and its basis."""
    if not lines:
        return ""
    items = "".join(f"<li>{esc(line)}</li>" for line in lines)
    return f"<div class=\"govqa-corrections\"><b>更正记录</b><ul>{items}</ul></div>"


def findings_html(title: str, findings: Sequence[tuple[str, str]]) -> str:
    """A report's check findings: (relation label, message) pairs, escaped."""
    if not findings:
        return f"<div class=\"govqa-meta\">{esc(title)}：未发现勾稽问题。</div>"
    items = "".join(f"<li><span class=\"govqa-kind\">{esc(rel)}</span> {esc(msg)}</li>" for rel, msg in findings)
    return f"<div class=\"govqa-findings\"><b>{esc(title)}</b><ul>{items}</ul></div>"


CSS = """
.govqa-sources { font-size: 14px; line-height: 1.6; }
.govqa-file { color: #6b7280; font-size: 12px; }
.govqa-cite { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 6px 10px; margin: 6px 0;
  background: var(--background-fill-secondary); }
.govqa-cite summary { cursor: pointer; }
.govqa-n { font-weight: 600; color: var(--color-accent); margin-right: 4px; }
.govqa-kind { font-size: 12px; color: var(--body-text-color-subdued); border: 1px solid var(--border-color-primary);
  border-radius: 4px; padding: 0 4px; margin-left: 4px; }
.govqa-meta { color: var(--body-text-color-subdued); font-size: 12px; margin: 4px 0; }
.govqa-context { white-space: pre-wrap; margin-top: 6px; }
.govqa-context mark, .govqa-quote mark { background: #fff3b0; color: #222; padding: 0 1px; }
.govqa-row { border-collapse: collapse; margin-top: 6px; width: 100%; }
.govqa-row th, .govqa-row td { border: 1px solid var(--border-color-primary); padding: 2px 6px; font-weight: normal;
  text-align: left; }
.govqa-row td { text-align: right; width: 30%; }
.govqa-row tr.govqa-cited th, .govqa-row tr.govqa-cited td { background: #fff3b0; color: #222; font-weight: 600; }
.govqa-raw { font-size: 12px; color: var(--body-text-color-subdued); margin-top: 4px; word-break: break-all; }
.govqa-warn { border-left: 3px solid #d9a400; background: rgba(217, 164, 0, 0.08); padding: 6px 10px;
  border-radius: 4px; margin-bottom: 8px; }
.govqa-warn ul, .govqa-findings ul { margin: 4px 0 0 18px; padding: 0; }
.govqa-empty { color: var(--body-text-color-subdued); padding: 8px 0; }
.govqa-ref { color: var(--color-accent); text-decoration: none; font-weight: 600; cursor: pointer; }
.govqa-flash { outline: 2px solid var(--color-accent); }
.govqa-narrow { display: none; }
@media (max-width: 768px) { .govqa-wide { display: none; } .govqa-narrow { display: inline; } }
.govqa-chart svg { width: 100%; height: auto; max-width: 640px; font-family: inherit; }
.govqa-chart text { fill: var(--body-text-color); font-size: 11px; }
.govqa-chart .govqa-chart-title { font-size: 13px; font-weight: 600; }
.govqa-chart .govqa-value { font-size: 11px; font-weight: 600; }
.govqa-chart .govqa-grid { stroke: var(--border-color-primary); stroke-width: 1; }
.govqa-chart .govqa-axis { stroke: var(--body-text-color-subdued); stroke-width: 1.5; }
"""
