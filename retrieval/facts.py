"""Facts from SQL: the stored cells a measure names, for every report in scope.

A measure's value for one report is a stored cell, or the sum of several stored cells (不予公开 = its eight reasons);
it is ``None`` when a cell is blank, missing or ambiguous — never a guess. Nothing here re-parses a report.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from core.records import Cell, Finding
from core.template import TEMPLATE_VERSIONS, cell_specs
from retrieval.agencies import ReportInfo
from retrieval.lexicon import (
    T2_COLUMNS,
    T2_DEFAULT_COLUMNS,
    T2_ROWS,
    T2_UNITS,
    T3_COLUMNS,
    T3_ROWS,
    T4_CATEGORIES,
    T4_OUTCOMES,
    Concept,
)
from retrieval.understand import Measure
from store.sqlite import CellStore

_BY_KEY = {
    ("三", "row"): {c.key: c for c in T3_ROWS}, ("三", "col"): {c.key: c for c in T3_COLUMNS},
    ("四", "row"): {c.key: c for c in T4_CATEGORIES}, ("四", "col"): {c.key: c for c in T4_OUTCOMES},
    ("二", "row"): {c.key: c for c in T2_ROWS}, ("二", "col"): {c.key: c for c in T2_COLUMNS},
}
_SPECS = {t: {(s.table, s.row.key, s.column.key): s for s in cell_specs(t)} for t in ("2019", "2021")}
# 表二 words that mean another column in one row: "项目数量"/"金额" of 政府集中采购
_T2_ROW_COLUMN = {("procurement", "previous_items"): "procurement_items", ("procurement", "fee_amount"): "procurement_amount"}


@dataclass(frozen=True)
class Part:
    """One value of a measure in one report: a cell, or a sum of cells (``combine == "sum"``)."""

    label: str  # e.g. "行政复议/结果纠正", "规范性文件/本年制发件数"
    cells: tuple[Cell, ...]
    keys: tuple[tuple[str, str], ...]  # (row, column) asked for; a key with no stored cell is "not in template"
    unit: str
    note: str = ""
    kind: str = ""  # what the part is across templates (2019 本年新制作数量 = 2021 本年制发件数); "" = its label

    @property
    def value(self) -> Decimal | None:
        return combine([(c.value, c.status) for c in self.cells], len(self.keys))[0]

    @property
    def status(self) -> str:
        return combine([(c.value, c.status) for c in self.cells], len(self.keys))[1]


def combine(cells: Sequence[tuple[Decimal | None, str]], wanted: int) -> tuple[Decimal | None, str]:
    """A part's value and status from its stored cells' (value, status), ``wanted`` keys asked for: the sum when
    every asked cell is stored and has a value, else None; status ok | missing | ambiguous | not_in_template."""
    if not cells:
        return None, "not_in_template"
    if len(cells) == 1 and wanted == 1:  # most parts; a corpus-wide list asks 100k times
        value, status = cells[0]
        return value, "ambiguous" if status == "ambiguous" else "missing" if value is None else "ok"
    incomplete = len(cells) < wanted or any(v is None for v, _ in cells)
    value = None if incomplete else sum((v for v, _ in cells if v is not None), Decimal(0))
    if any(s == "ambiguous" for _, s in cells):
        return value, "ambiguous"
    return value, "missing" if incomplete else "ok"


class FirstValue(NamedTuple):
    """A report's value of a measure's first part without its cells (what a list over thousands of reports
    needs); equal to ``facts(...)`` ``.parts[0]``'s value and status. ``status == "no_part"``: the measure has no
    part in the report's template."""

    report: ReportInfo
    value: Decimal | None
    status: str
    label: str
    kind: str
    unit: str
    keys: tuple[tuple[str, str], ...]  # the (row, column) cells the value is made of


@dataclass(frozen=True)
class ReportFacts:
    report: ReportInfo
    measure: Measure
    parts: tuple[Part, ...]


def concept(table: str, axis: str, key: str | None) -> Concept | None:
    return None if key is None else _BY_KEY[(table, axis)].get(key)


def measure_label(m: Measure) -> str:
    row = concept(m.table, "row", m.row)
    col = concept(m.table, "col", m.column)
    if m.table == "四":
        return f"{row.label if row else m.row}—{col.label if col else '总计'}"
    if m.table == "三":
        head = row.label if row else m.row
        return head if col is None or col.key == "total" else f"{head}（{col.label}）"
    return f"{row.label if row else m.row}" + (f"—{col.label}" if col else "")


def plan(m: Measure, template: str
         ) -> list[tuple[str, list[tuple[str, str]], list[tuple[str, str]], str, str, str]]:
    """[(label, keys, alternative keys, unit, note, kind)] for one report template: which cells make each part;
    ``kind`` names what the part is across templates when the template's own label differs ("" = the label)."""
    row = concept(m.table, "row", m.row)
    col = concept(m.table, "col", m.column)
    if row is None:
        return []
    if m.table == "四":
        outcome = col.key if col else "total"
        cats = row.keys.get(template, ())
        return [(measure_label(m), [("cases", f"{c}_{outcome}") for c in cats], [], "件", "", "")]
    if m.table == "三":
        rows = list(row.keys.get(template, ()))
        alt_rows = list(row.alternatives.get(template, ()))
        cols = list((col or _BY_KEY[("三", "col")]["total"]).keys.get(template, ()))
        if not rows and not alt_rows:
            return []
        return [(measure_label(m), [(r, c) for r in rows for c in cols], [(r, c) for r in alt_rows for c in cols],
                 "件", "", "")]
    # 表二
    rows = row.keys.get(template, ())
    if col is not None:
        cols = col.keys.get(template, ())
        fixed = _T2_ROW_COLUMN.get((m.row, col.key))
        if fixed and template == "2019":
            cols = (fixed,)
        note = col.note.get(template, "")
        return [(f"{row.label}—{_t2_label(template, r, c)}", [(r, c)], [], T2_UNITS.get(c, "件"), note,
                 f"{row.label}—{col.label}") for r in rows for c in cols]
    return [(f"{row.label}—{_t2_label(template, r, c)}", [(r, c)], [], T2_UNITS.get(c, "件"), "", "")
            for r in rows for c in T2_DEFAULT_COLUMNS.get(m.row, {}).get(template, ())]


def _t2_label(template: str, row: str, column: str) -> str:
    spec = _SPECS[template].get(("二", row, column))
    return spec.column.label if spec is not None else column


def facts(store: CellStore, reports: Sequence[ReportInfo], measure: Measure) -> list[ReportFacts]:
    """The measure's parts for every report (one SQL query per template and key set)."""
    out: list[ReportFacts] = []
    by_template: dict[str, list[ReportInfo]] = {}
    for r in reports:
        by_template.setdefault(r.template or "2021", []).append(r)
    for template, group in by_template.items():
        parts_plan = plan(measure, template)
        keys = {k for _, ks, alts, _, _, _ in parts_plan for k in ks + alts}
        got: dict[tuple[str, str], dict[str, Cell]] = {k: {} for k in keys}
        if keys:
            rows = sorted({k[0] for k in keys})
            cols = sorted({k[1] for k in keys})
            for rid, cell in store.cells_for(measure.table, rows, cols, {r.id for r in group}):
                if (cell.row, cell.column) in got:
                    got[(cell.row, cell.column)][rid] = cell
        for report in group:
            parts = []
            for label, ks, alts, unit, note, kind in parts_plan:
                chosen = _chosen(report.id, ks, alts, got)
                cells = tuple(got[k][report.id] for k in chosen if report.id in got[k])
                parts.append(Part(label, cells, tuple(chosen), unit, note, kind or label))
            out.append(ReportFacts(report, measure, tuple(parts)))
    order = {r.id: i for i, r in enumerate(reports)}
    return sorted(out, key=lambda f: order[f.report.id])


def first_values(store: CellStore, reports: Sequence[ReportInfo], measure: Measure,
                 unfiltered: bool = False) -> list[FirstValue]:
    """The measure's first part for every report, in the reports' order, from the stored values alone (one
    query; ``unfiltered``: read the key for every report in the store and keep these, cheaper than a list of ids
    when they are most of the store)."""
    plans = {t: [(label, tuple(ks), tuple(alts), unit, kind) for label, ks, alts, unit, _, kind
                 in plan(measure, t)[:1]] for t in TEMPLATE_VERSIONS}  # the reports' templates are among these
    keys = {k for parts_plan in plans.values() for _, ks, alts, _, _ in parts_plan for k in (*ks, *alts)}
    got: dict[tuple[str, str], dict[str, tuple[Decimal | None, str]]] = {k: {} for k in keys}
    if keys:
        rows = sorted({k[0] for k in keys})
        cols = sorted({k[1] for k in keys})
        for rid, row, col, value, status in store.cell_values(measure.table, rows, cols,
                                                              None if unfiltered else {r.id for r in reports}):
            if (row, col) in got:
                got[(row, col)][rid] = (value, status)
    out = []
    make = FirstValue._make  # tuple.__new__: a corpus-wide list makes 100k of them
    for report in reports:
        parts_plan = plans[report.template or "2021"]
        if not parts_plan:
            out.append(make((report, None, "no_part", "", "", "", ())))
            continue
        label, ks, alts, unit, kind = parts_plan[0]
        chosen = _chosen(report.id, ks, alts, got)
        value, status = combine([got[k][report.id] for k in chosen if report.id in got[k]], len(chosen))
        out.append(make((report, value, status, label, kind or label, unit, tuple(chosen))))
    return out


def _chosen(report_id: str, keys: Sequence[tuple[str, str]], alternatives: Sequence[tuple[str, str]],
            got: Mapping[tuple[str, str], Collection[str]]) -> Sequence[tuple[str, str]]:
    """The keys a report's part is made of: the alternatives when none of the keys is stored for the report
    (``got``: the reports each key is stored for)."""
    if alternatives and not any(report_id in got[k] for k in keys):
        return alternatives
    return keys


def touching(findings: Sequence[Finding], cells: Sequence[Cell]) -> list[Finding]:
    """Findings whose relation involves any of the cells."""
    keys = {(c.table, c.row, c.column) for c in cells}
    return [f for f in findings if keys & {tuple(k) for k in f.cells} or (f.table, f.row, f.column) in keys]
