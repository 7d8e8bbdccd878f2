"""The counts a report's narrative states (read at ingestion by :mod:`ingest.narrative`), quoted and cited, each
compared with the table cells the checks compare it with: agreeing, disagreeing, or not comparable."""

from __future__ import annotations

from decimal import Decimal

from core.numbers import fmt
from core.records import Cell, NarrativeFact
from core.template import NARRATIVE_NAMES, NARRATIVE_TARGETS
from retrieval.agencies import ReportInfo
from retrieval.compose import Composer, cell_name, who
from retrieval.corpus import Stores
from retrieval.facts import facts
from retrieval.query import Measure

_Key = tuple[str, str, str]


def stated_lines(st: Stores, c: Composer, report: ReportInfo, measures: tuple[Measure, ...]) -> list[str]:
    """What the report's narrative states about the cells of ``measures`` (every count it states when there are
    none), each quoted and cited, with the table's side of the comparison and the verdict."""
    asked = {k for m in measures for f in facts(st.cells, [report], m) for p in f.parts
             for k in ((x.table, x.row, x.column) for x in p.cells)}
    cells = {x.key: x for x in st.cells.cells(report.id)}
    stated = st.cells.narrative(report.id)
    chosen = [f for f in stated if not measures or any(set(keys) & asked for keys in NARRATIVE_TARGETS.get(f.kind, ()))]
    quotes = list(dict.fromkeys(f.quote for f in chosen))  # a quoted sentence's other counts are compared too
    lines = []
    for quote in quotes:
        line, section_no, context = locate(st, report.id, quote)
        mark = c.cite_quote(report, quote, line, section_no, context)
        parts = [_compared(c, report, f, NARRATIVE_TARGETS.get(f.kind, ()), cells, mark)
                 for f in stated if f.quote == quote]
        lines.append(f"{who(report)}报告正文：“{quote}”[{mark}]：" + "；".join(parts) + "。")
    return lines


def _compared(c: Composer, report: ReportInfo, fact: NarrativeFact, targets: tuple[tuple[_Key, ...], ...],
              cells: dict[_Key, Cell], mark: int) -> str:
    """"收到申请数 749件，与表格一致（713[1] + 36[2] = 749）", the number recorded as quoted."""
    name = NARRATIVE_NAMES.get(fact.kind, "件数")
    c.stated_number(report, f"正文所述{name}", fact.value, "件", mark)
    head = f"{name} {fmt(fact.value)}件"
    usable = [keys for keys in targets if all(k in cells and cells[k].value is not None for k in keys)]
    if not usable:
        return head + "，表格中对应栏目为空白或未能读取，无法比对"
    for keys in usable:  # the first sum of cells that the stated count equals
        total = sum((cells[k].value or Decimal(0) for k in keys), Decimal(0))
        if total == fact.value:
            return head + f"，与表格一致（{_terms(c, report, keys, cells)}）"
    keys = usable[0]
    c.warn(f"{who(report)}报告：正文称{name}为{fmt(fact.value)}，表格为"
           f"{fmt(sum((cells[k].value or Decimal(0) for k in keys), Decimal(0)))}")
    return head + f"，与表格不一致（{_terms(c, report, keys, cells)}）"


def _terms(c: Composer, report: ReportInfo, keys: tuple[_Key, ...], cells: dict[_Key, Cell]) -> str:
    """"表三 本年新收…总计 713[1] + 上年结转…总计 36[2] = 749" with each cell cited."""
    parts = []
    for k in keys:
        mark = c.state_cell(report, cells[k])
        parts.append(f"{cell_name(report, cells[k])} {fmt(cells[k].value)}[{mark}]")
    if len(keys) == 1:
        return parts[0]
    total = sum((cells[k].value or Decimal(0) for k in keys), Decimal(0))
    c.computed("sum", "表格中相关栏目之和", total, "件", [c.cite_cell(report, cells[k]) for k in keys],
               " + ".join(fmt(cells[k].value) for k in keys), report)
    return " + ".join(parts) + f" = {fmt(total)}"



def locate(st: Stores, report_id: str, quote: str) -> tuple[int | None, int | None, str]:
    """The line, section and chunk text of a narrative sentence (for a finding's citation)."""
    squashed = "".join(quote.split())
    for _, chunk in st.cells.chunks(report_id):
        if squashed in "".join(chunk.text.split()):
            return chunk.line_start, chunk.section_no, chunk.text
    return None, None, ""
