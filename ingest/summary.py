"""Report → JSON object (the ``--json`` contract) and → a one-paragraph Chinese summary."""

from __future__ import annotations

from collections.abc import Sequence

from core.numbers import printed_number as number
from core.records import Cell, Finding
from core.template import cell_spec
from store.sqlite import StoredReport

TABLE_NAMES = {"二": "表二", "三": "表三", "四": "表四"}


def cell_json(template: str, cell: Cell) -> dict[str, object]:
    spec = cell_spec(template, cell.table, cell.row, cell.column)
    return {
        "table": cell.table,
        "row": cell.row,
        "column": cell.column,
        "row_label": spec.row.label,
        "column_label": spec.column.label,
        "value": number(cell.value),
        "value_text": None if cell.value is None else str(cell.value),
        "status": cell.status,
        "candidates": [number(v) for v in cell.candidates],
        "provenance": {
            "row_label": cell.row_label,
            "column_label": cell.column_label,
            "page": cell.page,
            "line": cell.line,
            "raw": cell.raw,
            "note": cell.note,
        },
    }


def finding_json(finding: Finding) -> dict[str, object]:
    return {
        "relation": finding.relation,
        "table": finding.table,
        "row": finding.row,
        "column": finding.column,
        "expected": number(finding.expected),
        "printed": number(finding.printed),
        "cells": [list(k) for k in finding.cells],
        "message": finding.message,
        "other_report": finding.other_report,
        "quote": finding.quote,
    }


def report_json(report: StoredReport, cells: Sequence[Cell], findings: Sequence[Finding],
                status: str) -> dict[str, object]:
    m = report.meta
    return {
        "source": report.source,
        "status": status,
        "report_id": report.id,
        "agency": m.agency,
        "covers_year": m.covers_year,
        "template": m.template,
        "title": m.title,
        "region": list(m.region),
        "agency_printed": m.agency_printed,
        "basis": {"agency": m.agency_basis, "covers_year": m.year_basis, "template": m.template_basis},
        "file_type": report.file_type,
        "pages": report.pages,
        "cells": [cell_json(m.template, c) for c in _ordered(m.template, cells)] if m.template else [],
        "findings": [finding_json(f) for f in findings],
        "warnings": list(report.warnings),
    }


def _ordered(template: str, cells: Sequence[Cell]) -> list[Cell]:
    from core.template import TEMPLATE_VERSIONS, cell_specs

    if template not in TEMPLATE_VERSIONS:
        return list(cells)
    order = {spec.key: i for i, spec in enumerate(cell_specs(template))}
    return sorted(cells, key=lambda c: order.get(c.key, len(order)))


def summary_line(report: StoredReport, counts: dict[str, int], status: str) -> str:
    m = report.meta
    status_zh = {"added": "已入库", "replaced": "已更新", "unchanged": "未变化"}.get(status, status)
    parts = [
        f"{status_zh}  {report.source}",
        f"单位：{m.agency or '未识别'}",
        f"年度：{m.covers_year or '未识别'}",
        f"模板：{m.template + '版' if m.template else '未识别'}",
        f"单元格：{counts.get('ok', 0)} 个已读取，{counts.get('ambiguous', 0)} 个有歧义，{counts.get('missing', 0)} 个缺失",
        f"勾稽问题：{counts.get('findings', 0)} 项",
    ]
    if report.warnings:
        parts.append("提示：" + "；".join(report.warnings))
    return "\n    ".join(parts)
