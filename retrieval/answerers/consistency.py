"""一致吗 / 对得上吗 / 符合…吗: the findings of the checks run at ingestion, with the cells, sentences and sums they
rest on, each cited; for a consistent report, what was checked and the continuity with the year before."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from core.numbers import fmt
from core.records import STATUS_AMBIGUOUS, Cell, Finding
from core.template import CONTINUITY
from retrieval.agencies import ReportInfo
from retrieval.answer import Answer
from retrieval.answerers.stated import locate, stated_lines
from retrieval.compose import Composer, cell_name, who
from retrieval.corpus import Stores
from retrieval.facts import facts
from retrieval.lexicon import TEXT_REF
from retrieval.passages import sentences_of
from retrieval.query import Query

# cited with a "no inconsistency found" answer that names no cells
_KEY_TOTALS = (("三", "new_applications", "total"), ("三", "carried_over", "total"), ("三", "total_handled", "total"),
               ("三", "carried_forward", "total"), ("四", "cases", "review_total"))
_BALANCE = _KEY_TOTALS[:4]  # 表三: 新收 + 上年结转 = （七）总计 + 结转下年
# "表四加起来对吗": the totals of the table named
_TABLE_TOTALS = {"三": _KEY_TOTALS[:4], "四": (("四", "cases", "review_total"), ("四", "cases", "direct_suit_total"),
                                             ("四", "cases", "suit_after_review_total"))}
_SUMS_ASKED = re.compile(r"合计|分项|加起来|相加|之和|加得拢|加不拢")
_DETAILED = 3  # reports whose "no inconsistency" is spelled out with its cells; beyond, they are named together
_NAMES_T3 = re.compile(r"表\s*三|第三张表|申请(?:情况|处理)?(?:那张|的)?表|依申请(?:那张|的)?表")
_TABLE_NAMED = re.compile(r"表\s*([三四])|第([三四])(?:张|个)?表")


def answer_consistency(q: Query, reports: list[ReportInfo], st: Stores) -> Answer:
    """一致吗 / 对得上吗: the check findings of each report in scope with the cells and arithmetic they rest on, or
    what was checked and found consistent."""
    c = Composer()
    all_findings = st.cells.findings_for({r.id for r in reports})
    lines = []
    quoted = False
    consistent: list[ReportInfo] = []
    inconsistent: list[ReportInfo] = []
    for report in reports:
        found = all_findings.get(report.id, [])
        named = _TABLE_NAMED.search(q.text)
        table = (named.group(1) or named.group(2)) if named and not q.measures else None
        if q.measures:
            # 表四's case groups are named precisely (件数 = 总计, or the outcome asked): a finding on another of
            # its cells answers another question; elsewhere the table's other findings stand in
            found = [f for f in found if any(_finding_matches(f, m.table, m.row, m.column) for m in q.measures)] or (
                [f for f in found if any(f.table == m.table != "四" for m in q.measures)])
        elif table:
            found = [f for f in found if f.table == table]
        if _SUMS_ASKED.search(q.text) and not TEXT_REF.search(q.text):  # "合计跟分项加起来对不上": the arithmetic
            found = [f for f in found if f.relation != "narrative_table"]
        cells = {(cell.table, cell.row, cell.column): cell for cell in st.cells.cells(report.id)}
        if not found:
            consistent.append(report)
            if len(reports) > _DETAILED:  # many reports: the consistent ones are named together below
                continue
            agency = st.corpus.directory.agency_of(report.id)
            years = {r.covers_year for r in (agency.reports if agency else ())}
            neighbours = report.covers_year is not None and bool(
                {report.covers_year - 1, report.covers_year + 1} & years)
            unread = sum(1 for cell in cells.values() if cell.status != "ok")
            checked = "已核对表三、表四各项勾稽关系和正文与表格所述件数" + (
                "，以及与相邻年度报告的衔接" if neighbours else "；资料库中没有该单位相邻年度的报告，未核对衔接")
            lines.append(f"{who(report)}报告：未发现不一致（{checked}）。")
            if unread:
                c.warn(f"{who(report)}报告有 {unread} 个单元格为空白或无法读取，涉及它们的关系未能核对")
            keys = [k for m in q.measures for f in facts(st.cells, [report], m) for p in f.parts
                    for k in ((x.table, x.row, x.column) for x in p.cells)] or list(
                _TABLE_TOTALS.get(table or "", _KEY_TOTALS))
            if _NAMES_T3.search(q.text):  # "申请情况表…都平吗": 表三's balance is what was asked about
                keys = list(dict.fromkeys([*_BALANCE, *keys]))
            if set(keys) & set(_BALANCE):  # a cell of 新收 + 上年结转 = 办结 + 结转下年: the whole relation is shown
                keys = list(dict.fromkeys([*keys, *_BALANCE]))
            lines += _related_values(c, report, keys, cells)
            lines += _balance_sums(c, report, keys, cells)
            lines += _asked_number(q, st, c, report)
            if TEXT_REF.search(q.text):  # "正文说的…和表三一致吗": the sentences compared, quoted
                stated = stated_lines(st, c, report, q.measures)
                quoted = quoted or bool(stated)
                lines += [f"  {line}" for line in stated]
            lines += _continuity_lines(st, c, report, keys, cells)
            continue
        c.computed("count", f"{who(report)}报告的不一致处数", Decimal(len(found)), "处", [], f"count = {len(found)}",
                   report)
        inconsistent.append(report)
        lines.append(f"{who(report)}报告发现 {len(found)} 处不一致：")
        for finding in found:
            support = finding_support(st, c, report, finding, cells)
            quoted = quoted or bool(finding.quote)
            said = f"；正文原句：“{finding.quote}”" if finding.quote else ""  # staff see the sentence itself
            lines.append(f"  · {finding.message}{support}{said}")
            c.warn(f"{who(report)}报告：{finding.message}")
        # "说全都维持了，跟表对得上吗": the cells the question names, beside the findings (维持 5 + 尚未审结 2 = 总计 7)
        lines += _related_values(c, report, [k for m in q.measures for f in facts(st.cells, [report], m)
                                              for p in f.parts for k in ((x.table, x.row, x.column) for x in p.cells)],
                                 cells)
    quoted = quoted or any(x.cell is None for x in c.citations)
    if len(reports) > 1:  # "有没有哪份对不上的": which reports, first
        names = "、".join(who(r) for r in inconsistent) or "没有"
        lines.insert(0, f"共核对{len(reports)}份报告，发现不一致的：{names}。")
    if len(reports) > _DETAILED and consistent:
        c.computed("count", "未发现不一致的报告数", Decimal(len(consistent)), "份", [],
                   f"{len(reports)} − {len(inconsistent)} = {len(consistent)}")
        lines.append(f"其余{len(consistent)}份报告未发现不一致：{'、'.join(who(r) for r in consistent)}。")
    return Answer(q.text, "\n".join(lines), "mixed" if quoted else "table", tuple(c.values),
                  tuple(c.citations), tuple(c.warnings), tuple(r.id for r in inconsistent), len(reports))


def _related_values(c: Composer, report: ReportInfo, keys: Sequence[tuple[str, str, str]],
                    cells: dict[tuple[str, str, str], Any]) -> list[str]:
    """"  相关数值：…" for the cells of ``keys`` the report has, each cited."""
    shown = []
    for key in dict.fromkeys(keys):
        if key in cells:
            mark = c.state_cell(report, cells[key])
            cell = cells[key]
            value = fmt(cell.value) if cell.value is not None else "无法确定" if cell.status == STATUS_AMBIGUOUS else "空白"
            shown.append(f"{cell_name(report, cell)} {value}[{mark}]")
    return ["  相关数值：" + "；".join(shown)] if shown else []


_ASKED_COUNT = re.compile(r"(?<![\d.])(\d+)\s*件")


def _asked_number(q: Query, st: Stores, c: Composer, report: ReportInfo) -> list[str]:
    """"正文说复议诉讼一共74件，跟表四对得上吗": the number the question states against the sum of the cells it
    names, and the report's sentence stating that number, quoted."""
    asked = _ASKED_COUNT.search(q.text)
    if not asked or not q.measures:
        return []
    number = Decimal(asked.group(1))
    parts = [p for m in q.measures for f in facts(st.cells, [report], m) for p in f.parts[:1]]
    if not parts or any(p.value is None for p in parts):
        return []
    terms = []
    for part in parts:
        text, _ = c.part(report, part)
        terms.append(f"{part.label} {text}")
    total = sum((p.value or Decimal(0) for p in parts), Decimal(0))
    if len(parts) > 1:
        c.computed("sum", "问题所述各项之和", total, "件", [], " + ".join(fmt(p.value) for p in parts), report)
    verdict = "一致" if total == number else "不一致"
    line = f"  问题所说的{fmt(number)}件：{' + '.join(terms)}" + (f" = {fmt(total)}件" if len(parts) > 1 else "") \
        + f"，{verdict}。"
    for _, chunk in st.cells.chunks(report.id):
        for sentence in sentences_of(chunk.text):
            if re.search(rf"(?<![\d.]){number}\s*件", sentence):
                mark = c.cite_quote(report, sentence, chunk.line_start, chunk.section_no, chunk.text)
                return [line, f"  报告正文：“{sentence}”[{mark}]"]
    return [line]


def finding_support(st: Stores, c: Composer, report: ReportInfo, finding: Finding,
                    cells: dict[tuple[str, str, str], Cell] | None = None) -> str:
    """What a finding's message rests on, cited: every cell of the relation (and, across years, the earlier
    report's cell the message quotes), the sentence of a narrative finding, and the sum it compares against
    recorded with its formula. Returns "（分项之和：…）[3][4]" to append to the message."""
    if cells is None:
        cells = {x.key: x for x in st.cells.cells(report.id)}
    marks: list[int] = []
    mark_of: dict[tuple[str, str, str], int] = {}
    for key in [(finding.table, finding.row, finding.column)] + [tuple(k) for k in finding.cells]:
        cell = cells.get(key)  # type: ignore[arg-type]
        if cell is not None and not finding.other_report:
            mark = c.state_cell(report, cell)
            mark_of[key] = mark  # type: ignore[index]
            if mark not in marks:
                marks.append(mark)
    arithmetic = _finding_sum(c, report, finding, cells, mark_of)
    if finding.quote:
        line, section_no, context = locate(st, report.id, finding.quote)
        marks.append(c.cite_quote(report, finding.quote, line, section_no, context))
    if finding.other_report and finding.other_report in st.corpus.reports:
        other = st.corpus.reports[finding.other_report]
        other_cells = {x.key: x for x in st.cells.cells(other.id)}
        # this report: every cell of the relation; the earlier one: the cell the message quotes
        # (结转下年度 for a carry-over, the same cell for the continuity relations)
        earlier_key = (("三", "carried_forward", finding.column) if finding.relation == "cross_year_carry_over"
                       else (finding.table, finding.row, finding.column))
        used = [(report, cells.get(tuple(k))) for k in finding.cells]  # type: ignore[arg-type]
        used.append((other, other_cells.get(earlier_key)))
        for source, cell in used:
            if cell is not None:
                marks.append(c.state_cell(source, cell))
    return arithmetic + "".join(f"[{m}]" for m in dict.fromkeys(marks))

def _continuity_lines(st: Stores, c: Composer, report: ReportInfo, keys: Sequence[tuple[str, str, str]],
                      cells: dict) -> list[str]:
    """For a cell carried over from the year before (现行有效件数), show the continuity that holds."""
    agency = st.corpus.directory.agency_of(report.id)
    earlier = next((r for r in (agency.reports if agency else ()) if report.covers_year
                    and r.covers_year == report.covers_year - 1), None)
    if earlier is None:
        return []
    before = {(x.table, x.row, x.column): x for x in st.cells.cells(earlier.id)}
    lines = []
    for key in dict.fromkeys(keys):
        if key not in CONTINUITY:
            continue
        _, label, plus, minus = CONTINUITY[key]
        need = [key, *plus, *minus]
        if key not in before or before[key].value is None or any(
                k not in cells or cells[k].value is None for k in need):
            continue
        prev = before[key]
        assert prev.value is not None  # checked above
        expected = (prev.value + sum((cells[k].value for k in plus), Decimal(0))
                    - sum((cells[k].value for k in minus), Decimal(0)))
        first = c.state_cell(earlier, prev)
        terms = [f"{earlier.covers_year}年报告 {fmt(prev.value)}[{first}]"]
        marks = [first]
        for sign, ks in (("+", plus), ("−", minus)):
            for k in ks:
                mark = c.state_cell(report, cells[k])
                marks.append(mark)
                terms.append(f"{sign} 本年{cells[k].column_label.removeprefix('本年')} {fmt(cells[k].value)}[{mark}]")
        now = c.state_cell(report, cells[key])
        formula = " ".join([fmt(prev.value)] + [f"+ {fmt(cells[k].value)}" for k in plus]
                           + [f"− {fmt(cells[k].value)}" for k in minus])
        c.computed("sum", f"{label}（按上年推算）", expected, "件", marks, formula, report)
        verdict = "一致" if expected == cells[key].value else "不一致"
        lines.append(f"  与上年衔接：{' '.join(terms)} = {fmt(expected)}，本年报告为 {fmt(cells[key].value)}"
                     f"[{now}]，{verdict}。")
    return lines


def _finding_sum(c: Composer, report: ReportInfo, finding: Any, cells: dict, mark_of: dict) -> str:
    """The sum a finding compares against, recorded with its formula and returned as "（25 + 52 = 77）": the
    table's side of a narrative finding (行政诉讼 = 直接起诉 + 复议后起诉) or the parts of a total."""
    keys = [tuple(k) for k in finding.cells]
    if finding.relation == "narrative_table":
        parts, target, label = keys, finding.printed, "表格中相关栏目之和"
    elif finding.relation in ("t3_row_total", "t3_results_total", "t4_total"):
        parts, target, label = keys[:-1], finding.expected, "分项之和"
    else:
        return ""
    if len(parts) < 2 or target is None or any(k not in cells or cells[k].value is None for k in parts):
        return ""
    total = sum((cells[k].value for k in parts), Decimal(0))
    if total != target:
        return ""
    formula = " + ".join(fmt(cells[k].value) for k in parts)
    c.computed("sum", label, total, "件", [mark_of[k] for k in parts if k in mark_of], formula, report)
    return f"（{label}：{formula} = {fmt(total)}）" if len(parts) <= 8 else ""


def _balance_sums(c: Composer, report: ReportInfo, keys: list[tuple[str, str, str]],
                  cells: dict[tuple[str, str, str], Cell]) -> list[str]:
    """"1295 + 189 = 1484，1191 + 293 = 1484": both sides of 表三's balance, when it was shown and every cell read."""
    if not set(_BALANCE) <= set(keys) or any(cells.get(k) is None or cells[k].value is None for k in _BALANCE):
        return []
    new, carried, handled, forward = (cells[k].value or Decimal(0) for k in _BALANCE)
    left, right = new + carried, handled + forward
    c.computed("sum", "新收 + 上年结转", left, "件", [], f"{fmt(new)} + {fmt(carried)}", report)
    c.computed("sum", "办结 + 结转下年", right, "件", [], f"{fmt(handled)} + {fmt(forward)}", report)
    verdict = "两边相等" if left == right else "两边不等"
    return [f"  新收 + 上年结转 = {fmt(new)} + {fmt(carried)} = {fmt(left)}件；办结 + 结转下年 = {fmt(handled)} + "
            f"{fmt(forward)} = {fmt(right)}件，{verdict}。"]


def _finding_matches(finding: Any, table: str, row: str, column: str | None = None) -> bool:
    if finding.table != table:
        return False
    if table == "四":  # a case count (总计, or the outcome asked) of the group, among the finding's cells
        cats = {"suit": ("direct_suit", "suit_after_review")}.get(row, (row,))
        wanted = {f"{cat}_{column or 'total'}" for cat in cats}
        return any(str(k[2]) in wanted for k in finding.cells) or finding.column in wanted
    return finding.row == row or any(k[1] == row for k in finding.cells)
