"""OCR'd cells: provenance, unsure numbers and broken arithmetic (no Tesseract needed)."""

from __future__ import annotations

from decimal import Decimal

from core.records import STATUS_AMBIGUOUS, STATUS_OK, Cell, Finding, Line, OcrNote
from ingest.ocrcheck import trust_ocr
from ingest.rows import UNREADABLE, observe


def _cell(row: str, value: int, raw: str, page: int = 3) -> Cell:
    return Cell("三", row, "total", Decimal(value), STATUS_OK, row, "总计", line=1, page=page, raw=raw)


def test_cells_in_a_broken_relation_on_a_scan_become_ambiguous_and_the_finding_a_warning() -> None:
    a = _cell("new_applications", 10, "一、本年新收\t10")
    b = _cell("carried_over", 3, "二、上年结转\t3")
    text_layer = _cell("granted", 7, "（一）予以公开\t7", page=1)
    finding = Finding("t3_balance", "三", "new_applications", "total", Decimal(12), Decimal(13),
                      (a.key, b.key), "不平衡")
    notes = (OcrNote(3, "一、本年新收\t10", 95.0), OcrNote(3, "二、上年结转\t3", 41.0))
    cells, findings, warnings = trust_ocr([a, b, text_layer], [finding], notes)
    by_row = {c.row: c for c in cells}
    assert by_row["new_applications"].status == STATUS_AMBIGUOUS
    assert by_row["new_applications"].candidates == (Decimal(10),)
    assert "OCR识别，置信度 95" in by_row["new_applications"].note
    assert "置信度 41" in by_row["carried_over"].note
    assert by_row["granted"].status == STATUS_OK and by_row["granted"].note == ""  # text layer untouched
    assert findings == () and warnings and "识别有误" in warnings[0]


def test_scan_cells_that_add_up_keep_their_values_with_provenance() -> None:
    a = _cell("new_applications", 10, "一、本年新收\t10")
    cells, findings, warnings = trust_ocr([a], [], (OcrNote(3, "一、本年新收\t10", 88.0),))
    assert cells[0].status == STATUS_OK and cells[0].value == 10 and "OCR识别" in cells[0].note
    assert not warnings


def test_no_notes_changes_nothing() -> None:
    a = _cell("new_applications", 10, "x")
    assert trust_ocr([a], [], ()) == ((a,), (), [])


def test_a_number_ocr_was_unsure_of_is_an_unreadable_slot_even_alone_in_its_row() -> None:
    row = observe(Line("行政处罚\t3985758?", 1, 4), "")
    assert row is not None and row.slots == (UNREADABLE,)
    mixed = observe(Line("规章\t1?\t0\t11", 2, 3), "")
    assert mixed is not None and mixed.slots == (UNREADABLE, "0", "11")


def _row(row: str, values: list[int], raw: str) -> list[Cell]:
    columns = ("natural_person", "commercial_enterprise", "total")
    return [Cell("三", row, col, Decimal(v), STATUS_OK, row, col, line=1, page=3, raw=raw)
            for col, v in zip(columns, values, strict=False)]


def test_an_unruled_row_with_fewer_numbers_than_cells_is_not_placed() -> None:
    """A row rebuilt from the gaps between its numbers: one number lost shifts the rest, so none is kept."""
    raw = "（一）予以公开\t12\t3"
    cells, _, warnings = trust_ocr(_row("granted", [12, 3, 15], raw), [], (OcrNote(3, raw, 90.0, False),))
    assert {c.status for c in cells} == {STATUS_AMBIGUOUS} and "无法确定" in warnings[0]
    whole = "（一）予以公开\t12\t3\t15"
    kept, _, _ = trust_ocr(_row("granted", [12, 3, 15], whole), [], (OcrNote(3, whole, 90.0, False),))
    assert {c.status for c in kept} == {STATUS_OK}
    ruled, _, _ = trust_ocr(_row("granted", [12, 3, 15], raw), [], (OcrNote(3, raw, 90.0),))  # a grid knows its columns
    assert {c.status for c in ruled} == {STATUS_OK}


def test_an_unruled_row_placed_under_a_row_its_label_does_not_name_is_not_kept() -> None:
    # "（一）予以公开" read as 子以公开, placed under 部分公开 because the label line below it named that row
    raw = "（一）子以公开\t1288\t21\t1362"
    cells, _, _ = trust_ocr(_row("partially_granted", [1288, 21, 1362], raw), [], (OcrNote(3, raw, 94.0, False),))
    assert {c.status for c in cells} == {STATUS_AMBIGUOUS}
    right, _, _ = trust_ocr(_row("granted", [1288, 21, 1362], raw), [], (OcrNote(3, raw, 94.0, False),))
    assert {c.status for c in right} == {STATUS_OK}


def test_a_text_line_of_bare_numbers_the_reader_could_not_rebuild_is_unsure() -> None:
    from ingest.ocr import _unsure_bare_numbers

    assert _unsure_bare_numbers("已获取信息0 0 0 0 0 9 0") == "已获取信息0? 0? 0? 0? 0? 9? 0?"
    prose = "通过部门网站当年发布政府信息 393 件，其中行政规范性文件 13 件"
    assert _unsure_bare_numbers(prose) == prose
