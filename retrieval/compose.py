"""Compose the Chinese answer text from facts and passages, numbering citations as they are used.

Every number in the text is a stored cell, a quoted passage, or arithmetic over cited cells shown with its formula.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from core.numbers import fmt
from core.originals import in_original
from core.records import Cell, Finding
from core.template import CASE_GROUPS, CELL_UNITS, SECTION_TITLES, TEMPLATE_VERSIONS, cell_specs
from retrieval.agencies import ReportInfo
from retrieval.answer import CellRef, Citation, Passage, Value
from retrieval.facts import Part

_TABLE_SECTION = {"二": 2, "三": 3, "四": 4}


def who(report: ReportInfo) -> str:
    return f"{report.agency or '（单位不详）'}{report.covers_year or '（年份不详）'}年"


_SPECS = {t: {spec.key: spec for spec in cell_specs(t)} for t in TEMPLATE_VERSIONS}


def cell_name(report: ReportInfo, cell: Cell) -> str:
    """The template's row/column name of a cell ("行政复议/总计"), not the printed header blob."""
    spec = _SPECS.get(report.template or "2021", {}).get(cell.key)
    if spec is None:
        return f"{cell.row_label}/{cell.column_label}"
    if cell.table == "四":  # one row; the column says it all: "行政复议/总计"
        return spec.column.label
    row = spec.row.label.rsplit("/", 1)[-1]
    return row if spec.column.label in row else f"{row}/{spec.column.label}"


class Composer:
    """Collects citations and values while the answer text is written."""

    def __init__(self, explain: Callable[[ReportInfo, Finding], str] | None = None) -> None:
        #: cites what a check finding rests on and returns the markers to append to its warning
        self.explain = explain
        self.citations: list[Citation] = []
        self.values: list[Value] = []
        self.warnings: list[str] = []
        self._cell_ids: dict[tuple[str, str, str, str], int] = {}
        self._passage_ids: dict[tuple[str, str], int] = {}
        self._stated: set[int] = set()  # citation ids that already have a cell value

    # ----------------------------------------------------------------------------------------- citations

    def cite_cell(self, report: ReportInfo, cell: Cell) -> int:
        key = (report.id, cell.table, cell.row, cell.column)
        if key not in self._cell_ids:
            section_no = _TABLE_SECTION.get(cell.table)
            self.citations.append(Citation(
                id=len(self.citations) + 1, report_id=report.id, report=report.source, agency=report.agency,
                covers_year=report.covers_year, section=SECTION_TITLES.get(section_no or -1), section_no=section_no,
                page=cell.page, line=cell.line, quote=" ".join(cell.raw.split()) or cell.row_label,
                cell=CellRef(cell.table, cell.row, cell.column)))
            self._cell_ids[key] = len(self.citations)
        return self._cell_ids[key]

    def state_cell(self, report: ReportInfo, cell: Cell) -> int:
        """Cite a cell and record it once among the answer's values, under the template's name for it."""
        mark = self.cite_cell(report, cell)
        if mark not in self._stated:
            self._stated.add(mark)
            unit = CELL_UNITS.get(cell.column, "件") if cell.table == "二" else "件"
            self.values.append(Value(report.agency, report.covers_year, cell.table, cell.row, cell.column,
                                     cell_name(report, cell), cell.value, unit, mark, report.source, report.id,
                                     cell.status))
        return mark

    def cite_passage(self, passage: Passage, quote: str) -> int:
        key = (passage.chunk_id, quote)
        if key not in self._passage_ids:
            self.citations.append(Citation(
                id=len(self.citations) + 1, report_id=passage.report_id, report=passage.report,
                agency=passage.agency, covers_year=passage.covers_year, section=passage.section_title,
                section_no=passage.section_no, page=passage.page, line=passage.line, quote=quote,
                context=passage.text,
                original=in_original(quote, passage.text, passage.original) if passage.original else None))
            self._passage_ids[key] = len(self.citations)
        return self._passage_ids[key]

    def cite_quote(self, report: ReportInfo, quote: str, line: int | None, section_no: int | None,
                   context: str = "") -> int:
        key = (report.id, quote)
        if key not in self._passage_ids:
            self.citations.append(Citation(
                id=len(self.citations) + 1, report_id=report.id, report=report.source, agency=report.agency,
                covers_year=report.covers_year, section=SECTION_TITLES.get(section_no or -1), section_no=section_no,
                page=None, line=line, quote=quote, context=context))
            self._passage_ids[key] = len(self.citations)
        return self._passage_ids[key]

    # ------------------------------------------------------------------------------------------- values

    def part(self, report: ReportInfo, part: Part, findings: Sequence[Finding] = ()) -> tuple[str, list[int]]:
        """"18件[3]" (or "0 + 1 + 2 = 3件[1][2][3]" for a sum of cells); records values and warnings."""
        marks = [self.cite_cell(report, c) for c in part.cells]
        refs = "".join(f"[{m}]" for m in marks)
        for cell, mark in zip(part.cells, marks, strict=True):
            self._stated.add(mark)
            self.values.append(Value(report.agency, report.covers_year, cell.table, cell.row, cell.column,
                                     f"{part.label}" if len(part.cells) == 1 else f"{part.label}：{cell.row_label}/"
                                     f"{cell.column_label}", cell.value, part.unit, mark, report.source, report.id,
                                     cell.status))
        for f in findings:
            self.warn(f"{who(report)}报告：{f.message}{self.explain(report, f) if self.explain else ''}")
        status = part.status
        if status == "not_in_template":
            return f"（该报告所用的{report.template or ''}版模板没有此项）", marks
        if status == "ambiguous":
            options = sorted({str(v) for c in part.cells for v in c.candidates})
            self.warn(f"{who(report)}“{part.label}”在原文中无法唯一确定" + (f"（可能为 {'、'.join(options)}）"
                                                                              if options else ""))
            return f"无法确定（原文数字有歧义）{refs}", marks
        if status == "missing" and len(part.cells) > 1 and any(c.value is not None for c in part.cells):
            # "行政诉讼—结果维持" with 复议后起诉 blank: the parts that are filled are shown, not hidden as blank
            self.warn(f"{who(report)}“{part.label}”有一部分在表中为空白，未作为 0 处理，无法合计")
            pieces = "，".join(f"{_group_name(c) if c.table == '四' else c.row_label}："
                              f"{fmt(c.value) + part.unit if c.value is not None else '空白'}[{m}]"
                              for c, m in zip(part.cells, marks, strict=True))
            return f"无法合计（{pieces}）", marks
        if status == "missing":
            blank = [c for c in part.cells if c.value is None]
            self.warn(f"{who(report)}“{part.label}”在表中为空白或未能读取，未作为 0 处理")
            return ("表中为空白（未填写）" if blank else "未能读取") + refs, marks
        if len(part.cells) > 1:
            self.values.append(Value(report.agency, report.covers_year, None, None, None, part.label, part.value,
                                     part.unit, None, report.source, report.id, "ok", "sum", tuple(marks),
                                     " + ".join(fmt(c.value) for c in part.cells)))
            return f"{fmt(part.value)}{part.unit}（{' + '.join(fmt(c.value) + f'[{m}]' for c, m in zip(part.cells, marks, strict=True))}）", marks
        return f"{fmt(part.value)}{part.unit}{refs}", marks

    def listed(self, report: ReportInfo, part: Part) -> None:
        """Record a value the text does not name (a long list): in the values with its report and cell, uncited."""
        for cell in part.cells:
            self.values.append(Value(report.agency, report.covers_year, cell.table, cell.row, cell.column,
                                     part.label, cell.value, part.unit, None, report.source, report.id, cell.status))

    def computed(self, op: str, label: str, value: Decimal, unit: str, of: Sequence[int], formula: str,
                 report: ReportInfo | None = None) -> None:
        self.values.append(Value(report.agency if report else None, report.covers_year if report else None, None,
                                 None, None, label, value, unit, None, report.source if report else None,
                                 report.id if report else None, "ok", op, tuple(of), formula))

    def quoted_number(self, passage: Passage, label: str, value: Decimal, unit: str, mark: int) -> None:
        self.values.append(Value(passage.agency, passage.covers_year, None, None, None, label, value, unit, mark,
                                 passage.report, passage.report_id, "ok", "quote"))

    def stated_number(self, report: ReportInfo, label: str, value: Decimal, unit: str, mark: int) -> None:
        """A number a quoted sentence of the report states (cited by ``mark``)."""
        self.values.append(Value(report.agency, report.covers_year, None, None, None, label, value, unit, mark,
                                 report.source, report.id, "ok", "quote"))

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)


def _group_name(cell: Cell) -> str:
    """The 表四 case group a cell's column belongs to ("direct_suit_upheld" → 未经复议直接起诉)."""
    return next((name for key, name in CASE_GROUPS if cell.column.startswith(key + "_")), cell.column_label)


_YEAR_WORD = re.compile(r"(?:19|20)?\d{2}年度?(?:的|里|中)?")


def asked_part(clause: str, agency_words: Sequence[str] = ()) -> str:
    """A clause of the question as an answer repeats it: without the agency and year the answer names already (the
    question's "二二年" was read as 22年, which the answer must not show as a number of its own)."""
    for word in sorted(agency_words, key=len, reverse=True):
        clause = clause.replace(word, "")
    return _YEAR_WORD.sub("", clause).strip("，,。？? ") or clause
