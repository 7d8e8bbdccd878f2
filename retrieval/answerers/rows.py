"""Each cited cell with its whole table row, so a front end can show the row with the cell marked; each citation with
its report's printed title."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from core.numbers import fmt
from core.template import TEMPLATE_VERSIONS, cell_specs
from retrieval.answer import Answer, RowCell
from retrieval.corpus import Stores

_PRINTED_ORDER = {t: {spec.key: i for i, spec in enumerate(cell_specs(t))} for t in TEMPLATE_VERSIONS}


def with_rows(answer: Answer, st: Stores) -> Answer:
    """Give each cell citation its whole table row, so a front end can show the row with the cell marked.
    One query per cited (table, row), only for the cited reports."""
    wanted: dict[tuple[str, str], set[str]] = {}
    for cit in answer.citations:
        if cit.cell is not None:
            wanted.setdefault((cit.cell.table, cit.cell.row), set()).add(cit.report_id)
    if not wanted:
        return answer
    rows: dict[tuple[str, str, str], list[Any]] = {}
    for (table, row), report_ids in wanted.items():
        columns = sorted({k[2] for order in _PRINTED_ORDER.values() for k in order if k[:2] == (table, row)})
        for rid, cell in st.cells.cells_for(table, [row], columns, report_ids):
            rows.setdefault((rid, table, row), []).append(cell)
    citations = []
    for cit in answer.citations:
        if cit.cell is None:
            citations.append(cit)
            continue
        order = _PRINTED_ORDER.get(st.corpus.reports[cit.report_id].template or "2021", {})
        same_row = sorted(rows.get((cit.report_id, cit.cell.table, cit.cell.row), []),
                          key=lambda x: order.get(x.key, len(order)))
        citations.append(replace(cit, row=tuple(
            RowCell(x.column, x.column_label, fmt(x.value) if x.value is not None else "—") for x in same_row)))
    return replace(answer, citations=tuple(citations))


def with_titles(answer: Answer, st: Stores) -> Answer:
    """Give each citation its report's printed title (a card names the report, not only its file)."""
    if not any(c.title is None for c in answer.citations):
        return answer
    titled = tuple(replace(c, title=info.title) if (info := st.corpus.reports.get(c.report_id)) and info.title
                   else c for c in answer.citations)
    return replace(answer, citations=titled)
