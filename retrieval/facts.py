"""Facts from SQL: the stored cells a measure names, for every report in scope.

A measure's value for one report is a stored cell, or the sum of several stored cells (不予公开 = its eight reasons);
it is ``None`` when a cell is blank, missing or ambiguous — never a guess. Nothing here re-parses a report.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import repeat
from operator import attrgetter
from typing import NamedTuple

import numpy as np

from core.records import Cell, Finding
from core.template import CELL_UNITS, TEMPLATE_VERSIONS, cell_specs
from retrieval.agencies import ReportInfo
from retrieval.lexicon import (
    T2_COLUMNS,
    T2_DEFAULT_COLUMNS,
    T2_ROWS,
    T3_COLUMNS,
    T3_ROWS,
    T4_CATEGORIES,
    T4_OUTCOMES,
    Concept,
)
from retrieval.query import Measure
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
    t2_rows = tuple(row.keys.get(template, ()))
    if col is not None:
        t2_cols: tuple[str, ...] = tuple(col.keys.get(template, ()))
        fixed = _T2_ROW_COLUMN.get((m.row, col.key))
        if fixed and template == "2019":
            t2_cols = (fixed,)
        note = col.note.get(template, "")
        return [(f"{row.label}—{_t2_label(template, r, c)}", [(r, c)], [], CELL_UNITS.get(c, "件"), note,
                 f"{row.label}—{col.label}") for r in t2_rows for c in t2_cols]
    return [(f"{row.label}—{_t2_label(template, r, c)}", [(r, c)], [], CELL_UNITS.get(c, "件"), "", "")
            for r in t2_rows for c in T2_DEFAULT_COLUMNS.get(m.row, {}).get(template, ())]


def _t2_label(template: str, row: str, column: str) -> str:
    spec = _SPECS.get(template, {}).get(("二", row, column))
    return spec.column.label if spec is not None else column


def facts(store: CellStore, reports: Sequence[ReportInfo], measure: Measure) -> list[ReportFacts]:
    """The measure's parts for every report (one SQL query per template and key set)."""
    out: list[ReportFacts] = []
    by_template: dict[str, list[ReportInfo]] = {}
    for r in reports:
        by_template.setdefault(r.template if r.template in TEMPLATE_VERSIONS else "2021", []).append(r)
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


_ID, _TEMPLATE, _YEAR = attrgetter("id"), attrgetter("template"), attrgetter("covers_year")
#: a part's status in :class:`Values` (codes into this tuple); "no_part": the measure has none in the template
STATUSES = ("ok", "missing", "ambiguous", "not_in_template", "no_part")
OK, MISSING, AMBIGUOUS, ABSENT, NO_PART = range(5)


@dataclass(frozen=True)
class FirstPart:
    """How a template makes a measure's first part: its cells (alternatives when none of them is stored)."""

    label: str
    kind: str
    unit: str
    keys: tuple[tuple[str, str], ...]
    alternatives: tuple[tuple[str, str], ...]


@dataclass(frozen=True, eq=False)
class Values:
    """A measure's first part for many reports, as columns aligned with ``reports``: what a list over thousands
    of reports tests its condition on, with no object per report until one is shown. Values are exact: integers
    scaled by ``10 ** decimals`` (int64, or Python ints when a value would not fit); ``present`` marks a value
    (every asked cell stored with a value); equal to ``facts(...)``'s first part, report by report."""

    reports: Sequence[ReportInfo]
    scaled: np.ndarray
    present: np.ndarray
    status: np.ndarray  # codes into STATUSES
    part: np.ndarray  # index into ``parts``; -1: no part in the report's template
    alternative: np.ndarray  # bool: the part is made of its alternative cells
    parts: tuple[FirstPart, ...]
    decimals: int

    def __len__(self) -> int:
        return len(self.reports)

    def value(self, i: int) -> Decimal | None:
        if not self.present[i]:
            return None
        if not self.decimals:
            return Decimal(int(self.scaled[i]))
        value = Decimal(int(self.scaled[i])).scaleb(-self.decimals)
        return Decimal(int(value)) if value == value.to_integral_value() else value.normalize()

    def exact(self, value: Decimal) -> tuple[int, bool]:
        """A threshold on the values' scale: (floor of value × 10^decimals, whether that is exact)."""
        scaled = value.scaleb(self.decimals)
        floor = int(scaled.to_integral_value(rounding="ROUND_FLOOR"))
        return floor, scaled == floor

    def row(self, i: int) -> FirstValue:
        """One report's value as the per-report record (what an answer shows)."""
        if self.part[i] < 0:
            return FirstValue(self.reports[i], None, "no_part", "", "", "", ())
        p = self.parts[self.part[i]]
        keys = p.alternatives if self.alternative[i] else p.keys
        return FirstValue(self.reports[i], self.value(i), STATUSES[self.status[i]], p.label, p.kind, p.unit, keys)


@dataclass(frozen=True, eq=False)
class ReportIndex:
    """Reports by position, with their templates and years as arrays: made once for a long-lived report list (an
    assistant's every report), so a list over all of them touches no report object per question."""

    reports: Sequence[ReportInfo]
    position: dict[str, int]
    ids: np.ndarray  # the reports' ids (objects)
    template: np.ndarray  # index into TEMPLATE_VERSIONS (a report of no known template: 2021's)
    year: np.ndarray  # covers_year, 0 when unknown
    numbers: np.ndarray | None  # the ids (16 hex digits, as the store makes them) as numbers, sorted; None: not all are
    numbered: np.ndarray  # the position of each of ``numbers``

    @classmethod
    def of(cls, reports: Sequence[ReportInfo]) -> ReportIndex:
        names = np.array(list(map(_TEMPLATE, reports)), object)
        template = np.full(len(reports), TEMPLATE_VERSIONS.index("2021"), np.int16)
        for t, name in enumerate(TEMPLATE_VERSIONS):
            template[names == name] = t
        years = np.fromiter((y or 0 for y in map(_YEAR, reports)), np.int32, len(reports))
        ids = list(map(_ID, reports))
        numbers = _hex_numbers(ids) if all(len(i) == 16 for i in ids) else None
        order = np.argsort(numbers) if numbers is not None else np.zeros(0, np.int64)
        return cls(reports, dict(zip(ids, range(len(ids)))), np.array(ids, object), template, years,
                   None if numbers is None else numbers[order], order)

    def positions(self, ids: Sequence[str]) -> np.ndarray:
        """Each id's position among the reports, -1 for an id not among them. Ids read as numbers and looked up in
        a sorted array: twice as fast as a dict for the 100k ids of a corpus-wide list."""
        wanted = _hex_numbers(ids) if self.numbers is not None and len(self.numbers) else None
        if wanted is None or self.numbers is None:
            return np.fromiter(map(self.position.get, ids, repeat(-1)), np.int64, len(ids))
        at = np.minimum(np.searchsorted(self.numbers, wanted), len(self.numbers) - 1)
        return np.where(self.numbers[at] == wanted, self.numbered[at], -1)

    def years(self) -> list[int]:
        return [int(y) for y in np.unique(self.year) if y]


def first_values(store: CellStore, reports: Sequence[ReportInfo], measure: Measure,
                 unfiltered: bool = False, index: ReportIndex | None = None) -> Values:
    """The measure's first part for every report, in the reports' order, from the stored values alone (one query
    per cell; ``unfiltered``: read the cell for every report in the store and keep these, cheaper than a list of
    ids when they are most of the store; ``index``: the reports' index when made already). Columns, combined the
    way :func:`combine` combines a part's cells."""
    if index is None or index.reports is not reports:
        index = ReportIndex.of(reports)
    n = len(reports)
    position, of_template = index.position, index.template
    templates = list(TEMPLATE_VERSIONS)
    parts: list[FirstPart] = []
    part = np.full(n, -1, np.int16)
    for t, template in enumerate(templates):
        first = plan(measure, template)[:1]
        if first:
            label, ks, alts, unit, _, kind = first[0]
            part[of_template == t] = len(parts)
            parts.append(FirstPart(label, kind or label, unit, tuple(ks), tuple(alts)))
    keys = list(dict.fromkeys(k for p in parts for k in (*p.keys, *p.alternatives)))
    ids = None if unfiltered else list(position)
    columns = {k: _column(store.key_values(measure.table, *k, ids), index, n) for k in keys}
    decimals = max((c[4] for c in columns.values()), default=0)
    scaled = np.zeros(n, np.int64)
    present = np.zeros(n, bool)
    status = np.full(n, NO_PART, np.int8)
    alternative = np.zeros(n, bool)
    for number, p in enumerate(parts):
        mine = part == number
        use_alts = np.zeros(n, bool)
        if p.alternatives:
            use_alts = mine & ~np.any([columns[k][0] for k in p.keys], axis=0)
        alternative |= use_alts
        for chosen, where in ((p.keys, mine & ~use_alts), (p.alternatives, use_alts)):
            if not chosen or not where.any():
                continue
            stored = np.sum([columns[k][0] for k in chosen], axis=0)
            valued = np.sum([columns[k][1] for k in chosen], axis=0)
            ambiguous = np.any([columns[k][2] for k in chosen], axis=0)
            cells = [_rescale(columns[k][3], columns[k][4], decimals) for k in chosen]
            if len(cells) > 32:  # int64 holds 32 values below _BIG
                cells = [c.astype(object) for c in cells]
            total = sum(cells)
            has = valued == len(chosen)
            if isinstance(total, np.ndarray) and total.dtype == object:
                scaled = scaled.astype(object)
            scaled[where & has] = np.asarray(total)[where & has]
            present[where] = has[where]
            status[where] = np.where(stored == 0, ABSENT, np.where(ambiguous, AMBIGUOUS,
                                                                   np.where(has, OK, MISSING)))[where]
    return Values(reports, scaled, present, status, part, alternative, tuple(parts), decimals)


def _hex_numbers(ids: Sequence[str]) -> np.ndarray | None:
    try:
        return np.fromiter(map(int, ids, repeat(16)), np.uint64, len(ids))
    except (ValueError, OverflowError):
        return None


def _column(rows: list[tuple[str, str | None, int]], index: ReportIndex, n: int
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """One cell over the reports: (stored, has a value, ambiguous, value × 10^decimals, decimals)."""
    stored = np.zeros(n, bool)
    valued = np.zeros(n, bool)
    ambiguous = np.zeros(n, bool)
    if not rows:
        return stored, valued, ambiguous, np.zeros(n, np.int64), 0
    ids, texts, statuses = zip(*rows)
    at = index.positions(ids)
    keep = at >= 0
    text = np.array(texts, object)[keep]
    where = at[keep]
    stored[where] = True
    ambiguous[where] = np.array(statuses, bool)[keep]
    has = np.array([t is not None for t in text], bool)
    valued[where] = has
    values = np.zeros(n, np.int64)
    joined = "".join(text[has])
    try:
        if "." in joined or "e" in joined.lower():
            raise ValueError  # decimals (表二 amounts) or an exponent ("1E-7"): through Decimal
        whole = text[has].astype(np.int64)  # int() of each text: whole numbers, most cells
        if len(whole) and np.abs(whole).max() >= _BIG:
            raise OverflowError
        values[where[has]] = whole
        return stored, valued, ambiguous, values, 0
    except (ValueError, OverflowError):
        exact = [Decimal(v) for v in text[has]]
    decimals = max((max(0, -int(d.as_tuple().exponent)) for d in exact), default=0)
    ints = [int(d.scaleb(decimals)) for d in exact]
    if any(abs(v) >= _BIG for v in ints):
        values = values.astype(object)
    values[where[has]] = np.array(ints, values.dtype)
    return stored, valued, ambiguous, values, decimals


_BIG = 1 << 58  # above, values are summed as Python integers (a part adds up at most 32 cells in int64) rather than int64


def _rescale(values: np.ndarray, decimals: int, to: int) -> np.ndarray:
    """Values on a scale with more decimals: int64 while they stay below ``_BIG``, Python integers above."""
    if decimals == to:
        return values
    factor = 10 ** (to - decimals)
    if values.dtype != object and np.abs(values).max(initial=0) < _BIG // factor:
        return values * factor
    return values.astype(object) * factor


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
