"""An answer's numbers as files staff take away: CSV and Excel (.xlsx), each row with a citation column (report,
table, cell, page); the workbook also has a sheet of the passages the answer quoted. Numbers stay numbers, blank or
unreadable cells stay blank; report text is written as text (never as a formula)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from retrieval.answer import Answer, Citation
from ui.render import NumberTable

SOURCE_HEADER = "出处（报告 · 表 · 项目 · 页）"
QUOTE_HEADERS = ("编号", "单位", "年度", "章节", "页", "行", "文件", "引文")


def _source(c: Citation | None, label: str) -> str:
    if c is None:
        return ""
    parts = [c.report]
    if c.cell is not None:
        parts += [f"表{c.cell.table}", label]
    elif c.section:
        parts.append(c.section)
    if c.page:
        parts.append(f"第{c.page}页")
    return " · ".join(p for p in parts if p)


def export_rows(answer: Answer, table: NumberTable) -> list[list[object]]:
    """The table's rows (values as numbers, blanks as None) with the citation column."""
    by_id = {f"[{c.id}]": c for c in answer.citations}
    return [[*row, _source(by_id.get(str(row[-1])), str(row[2]))] for row in table.rows]


def to_csv(answer: Answer, table: NumberTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*table.headers, SOURCE_HEADER])
    for row in export_rows(answer, table):
        writer.writerow(["" if x is None else x for x in row])
    return buffer.getvalue()


def _append(sheet: Any, values: Sequence[object]) -> None:
    """A row: numbers as numbers, None blank, text as text (a report's "=…" is never read as a formula)."""
    sheet.append([v if v is None or isinstance(v, int | float) else str(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def write_xlsx(answer: Answer, table: NumberTable, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "数据"
    sheet.append([*table.headers, SOURCE_HEADER])
    for row in export_rows(answer, table):
        _append(sheet, row)
    for column, width in zip("ABCDEFG", (24, 8, 36, 12, 8, 8, 48), strict=True):
        sheet.column_dimensions[column].width = width
    quotes = book.create_sheet("引文")
    quotes.append(list(QUOTE_HEADERS))
    for c in answer.citations:
        _append(quotes, [c.id, c.agency or "", c.covers_year, c.section or "", c.page, c.line, c.report,
                         c.quote if c.cell is not None else (c.quote or c.context)])
    quotes.column_dimensions["H"].width = 80
    book.save(path)
