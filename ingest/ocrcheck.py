"""OCR'd cells: marked ``ocr`` with their confidence, and not trusted where the table's own arithmetic fails.

A scan's numbers can be misread, so a relation that a scanned table breaks (a row total, the 表三 balance, 表四's
totals) says nothing about the published report: every cell it involves becomes ambiguous (the reading kept as
its candidate), and the finding is replaced by a warning. Cells of the text layer are untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from core.records import STATUS_AMBIGUOUS, STATUS_OK, Cell, CellKey, Finding, OcrNote
from ingest.normalize import normalize_text


def trust_ocr(cells: Sequence[Cell], findings: Sequence[Finding],
              notes: Sequence[OcrNote]) -> tuple[tuple[Cell, ...], tuple[Finding, ...], list[str]]:
    """(cells with OCR provenance, findings the OCR'd cells do not cause, warnings)."""
    if not notes:
        return tuple(cells), tuple(findings), []
    confidence = {(n.page, normalize_text(n.text).rstrip(" \r\n")): n.confidence for n in notes}
    scanned = {c.key: confidence[(c.page, c.raw)] for c in cells if (c.page, c.raw) in confidence}
    doubted: set[CellKey] = set()
    kept = []
    for finding in findings:
        if any(key in scanned for key in finding.cells):
            doubted.update(key for key in finding.cells if key in scanned)
        else:
            kept.append(finding)
    out = []
    for cell in cells:
        if cell.key not in scanned:
            out.append(cell)
            continue
        note = "；".join(n for n in (cell.note, f"OCR识别，置信度 {scanned[cell.key]:.0f}") if n)
        if cell.status == STATUS_OK and cell.key in doubted:
            out.append(replace(cell, value=None, status=STATUS_AMBIGUOUS, candidates=(cell.value,) if cell.value
                               is not None else (), note=note + "；与表内合计关系不符，未采用识别结果"))
        else:
            out.append(replace(cell, note=note))
    warnings = []
    if doubted:
        warnings.append(f"扫描件中有 {len(doubted)} 个识别出的数字不满足表内合计关系，可能识别有误，已标为无法确定")
    return tuple(out), tuple(kept), warnings
