"""OCR'd cells: marked ``ocr`` with their confidence, and not trusted where the table's own arithmetic fails.

A scan's numbers can be misread, so a relation that a scanned table breaks (a row total, the 表三 balance, 表四's
totals) says nothing about the published report: every cell it involves becomes ambiguous (the reading kept as
its candidate), and the finding is replaced by a warning. Cells of the text layer are untouched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from core.records import STATUS_AMBIGUOUS, STATUS_OK, Cell, CellKey, Finding, OcrNote
from core.template import TEMPLATE_VERSIONS, cell_specs
from ingest.align import containment
from ingest.normalize import normalize_text


def trust_ocr(cells: Sequence[Cell], findings: Sequence[Finding],
              notes: Sequence[OcrNote]) -> tuple[tuple[Cell, ...], tuple[Finding, ...], list[str]]:
    """(cells with OCR provenance, findings the OCR'd cells do not cause, warnings)."""
    if not notes:
        return tuple(cells), tuple(findings), []
    by_text = {(n.page, normalize_text(n.text).rstrip(" \r\n")): n for n in notes}
    scanned = {c.key: by_text[(c.page, c.raw)].confidence for c in cells if (c.page, c.raw) in by_text}
    doubted: set[CellKey] = set()
    # a row without ruling lines with fewer numbers than cells, or placed under a template row its own label does
    # not name best (a label line below it named that row): where its numbers belong is not known
    rows: dict[tuple[int | None, str], list[Cell]] = {}
    for c in cells:
        note = by_text.get((c.page, c.raw))
        if note is not None and not note.columns_known:
            rows.setdefault((c.page, c.raw), []).append(c)
    shifted = {c.key for (_, raw), row in rows.items()
               if _numbers_in(raw) < len(row) or not _label_fits(row[0], raw.split("\t")[0]) for c in row}
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
        elif cell.status == STATUS_OK and cell.key in shifted:
            out.append(replace(cell, value=None, status=STATUS_AMBIGUOUS, candidates=(cell.value,) if cell.value
                               is not None else (), note=note + "；该行（无表格线）识别出的数字少于栏目数或行名与所在行不符，各数字所在的位置无法确定"))
        else:
            out.append(replace(cell, note=note))
    warnings = []
    if shifted - doubted:
        warnings.append(f"扫描件中无表格线的表格有 {len(shifted - doubted)} 个数字所在的位置无法确定（同一行识别出的数字少于栏目数，或行名与所在行不符），已标为无法确定")
    if doubted:
        warnings.append(f"扫描件中有 {len(doubted)} 个识别出的数字不满足表内合计关系，可能识别有误，已标为无法确定")
    return tuple(out), tuple(kept), warnings


def _numbers_in(raw: str) -> int:
    """The tab-separated fields of an OCR'd row after its label (a label is the first field when it holds text)."""
    fields = raw.split("\t")
    return len(fields) - (1 if fields and not re.fullmatch(r"[\d.?]*", fields[0]) else 0)


@lru_cache(maxsize=1)
def _row_labels() -> dict[str, dict[str, str]]:
    """table → row key → the row's own printed name (the item under its group: "1.属于国家秘密" → 属于国家秘密)."""
    out: dict[str, dict[str, str]] = {}
    for template in TEMPLATE_VERSIONS:
        for spec in cell_specs(template):
            leaf = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）).、．]?", "", spec.row.label.split("/")[-1])
            out.setdefault(spec.table, {}).setdefault(spec.row.key, leaf)
    return out


def _label_fits(cell: Cell, label: str) -> bool:
    """The OCR'd row's own label names the template row its cells were placed under at least as well as any other
    row of the table (true when it names none: a number line under a label line above it)."""
    label = normalize_text(label)
    scores = {row: containment(name, label) for row, name in _row_labels().get(cell.table, {}).items() if name}
    best = max(scores.values(), default=0.0)
    return best < 0.5 or scores.get(cell.row, 0.0) >= best
