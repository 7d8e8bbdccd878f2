"""表二 cells an OCR pulled out of their rows: "22" with its note "（其中修订 16 件）" printed as loose lines after the
caption, while the Markdown row keeps only two of its three cells (``| 规章 | 22 | 235 |``).

The note names its column: 修订/制定/制发 belong to 本年制发件数, 失效/废止 to 本年废止件数. When as many annotated
loose numbers stand in the table's lines as rows of 规章/规范性文件 are one cell short, the k-th loose number fills
the k-th short row in the column its note names, and the row's own cells fill the other columns in order. Anything
else (a note naming no column, counts that do not match) leaves the rows ambiguous, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.records import Line
from ingest.prune import RowReadings

_NUMBER = re.compile(r"^\s*(\d+)\s*$")
_NOTE = re.compile(r"^\s*[（(]\s*(?:其中|含|包括)[^）)]{0,30}[）)]\s*$")
_COLUMN_WORDS = (("issued", re.compile(r"修订|制定|制发|新制|印发")), ("repealed", re.compile(r"失效|废止|废除|清理")))
SHORT_ROW = "该行的单元格少于"  # the doubt ingest.tables gives a Markdown row that lost a cell
_ROWS = ("rules", "normative_documents")


@dataclass(frozen=True)
class LooseCell:
    value: Decimal
    column: str  # issued | repealed
    note: str  # the annotation as printed
    line: Line


def annotated_loose_cells(lines: Sequence[Line], start: int, end: int) -> list[LooseCell]:
    """Bare numbers followed by an annotation line naming one column, between line numbers ``start`` and ``end``."""
    window = [ln for ln in lines if start <= ln.lineno <= end]
    out = []
    for first, second in zip(window, window[1:]):
        number, note = _NUMBER.match(first.text), _NOTE.match(second.text)
        if not number or not note:
            continue
        columns = [key for key, words in _COLUMN_WORDS if words.search(second.text)]
        if len(columns) != 1:
            return []  # a note that names no column, or both: nothing is placed
        out.append(LooseCell(Decimal(number.group(1)), columns[0], second.text.strip(), first))
    return out


def fill_short_rows(rows: list[RowReadings], loose: Sequence[LooseCell]) -> dict[tuple[str, str], LooseCell]:
    """Place the loose cells into the 表二 rows one cell short (in order); returns where each went."""
    short = [rr for rr in rows if rr.slot.row.key in _ROWS and rr.row is not None and rr.doubt.startswith(SHORT_ROW)
             and len(rr.row.numbers) == len(rr.slot.sub.columns) - 1]
    if not loose or len(short) != len(loose):
        return {}
    placed: dict[tuple[str, str], LooseCell] = {}
    for rr, cell in zip(short, loose):
        keys = [c.key for c in rr.slot.sub.columns]
        if cell.column not in keys:
            return {}
        assert rr.row is not None
        printed = [Decimal(n.replace(",", "")) for n in rr.row.numbers]
        at = keys.index(cell.column)
        rr.readings = [tuple([*printed[:at], cell.value, *printed[at:]])]
        rr.doubt = ""
        placed[(rr.slot.row.key, cell.column)] = cell
    return placed
