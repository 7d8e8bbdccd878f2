"""表二 cells an OCR printed outside their rows, placed by their notes (shape of shanghai_govoffice_2025)."""

from __future__ import annotations

from decimal import Decimal

from core.records import Line
from ingest.tables import parse_tables

_TAIL = [
    "第二十条第（五）项", "信息内容本年处理决定数量", "行政许可 0", "第二十条第（六）项", "信息内容本年处理决定数量",
    "行政处罚 0", "行政强制 0", "第二十条第（八）项", "信息内容本年收费金额（单位：万元）", "行政事业性收费 0",
    "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|",
    "| 规章 | 22 | 235 |", "|---|---|---|", "| 行政规范性文件 | 34 | 189 |", "|---|---|---|",
]


def _t2(notes: tuple[str, str]) -> dict[tuple[str, str], tuple[Decimal | None, str]]:
    texts = ["二、主动公开政府信息情况", "第二十条第（一）项", "22", notes[0], "55", notes[1], *_TAIL]
    lines = [Line(t, i + 1) for i, t in enumerate(texts)]
    parsed = parse_tables(lines, 2025)
    return {(c.row, c.column): (c.value, c.status) for c in parsed.cells if c.table == "二"
            and c.row in ("rules", "normative_documents")}


def test_loose_numbers_fill_the_column_their_note_names() -> None:
    cells = _t2(("（其中修订 16 件）", "（含自然失效 29 件）"))
    assert cells[("rules", "issued")] == (Decimal(22), "ok")
    assert cells[("rules", "repealed")] == (Decimal(22), "ok") and cells[("rules", "in_force")] == (Decimal(235), "ok")
    assert cells[("normative_documents", "issued")] == (Decimal(34), "ok")
    assert cells[("normative_documents", "repealed")] == (Decimal(55), "ok")
    assert cells[("normative_documents", "in_force")] == (Decimal(189), "ok")


def test_a_note_that_names_no_column_places_nothing() -> None:
    cells = _t2(("（其中市政府规章 16 件）", "（含自然失效 29 件）"))
    assert {status for _, status in cells.values()} == {"ambiguous"}
