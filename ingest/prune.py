"""Table-wide pruning of a row's candidate readings with 表三's relations across rows (一+二 = （七）+四,
（七） = sum of the result rows), and the check that a web-flattened row's only split fits them."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

from core.template import RESULT_ROW_KEYS
from ingest.align import Slot
from ingest.rows import ObservedRow
from ingest.splits import (
    MAX_READINGS,
    Reading,
    RowRelation,
    Value,
    _checkable,
    holds,
    split_glued,
)

T3_ROW_RELATIONS: tuple[RowRelation, ...] = ((tuple(range(6)), 6),)
T4_ROW_RELATIONS: tuple[RowRelation, ...] = (((0, 1, 2, 3), 4), ((5, 6, 7, 8), 9), ((10, 11, 12, 13), 14))

# ------------------------------------------------------------------------------------------------- reading


@dataclass
class RowReadings:
    slot: Slot
    row: ObservedRow | None
    readings: list[Reading]
    confident: bool = True  # the printed label names this template row
    truncated: bool = False
    digits: str | None = None  # a web-flattened row's digit string
    doubt: str = ""  # why the readings cannot be trusted although they agree


# ------------------------------------------------------------------------------------------ table-wide pruning


def prune_t3_columns(rows: list[RowReadings]) -> None:
    """Keep only readings that can take part in a combination satisfying the per-column relations of 表三
    (一+二 = （七）+四, and （七） = sum of result rows), for rows that still have several readings."""
    by_key = {r.slot.row.key: r for r in rows if r.row is not None and r.readings}
    if not any(len(r.readings) > 1 for r in by_key.values()):
        return
    relations = _t3_column_relations(rows, by_key)
    if _already_broken(by_key, relations):
        return  # the table's own printed numbers break its relations: they cannot choose between readings
    changed = True
    while changed:
        changed = False
        for left, right in relations:
            if all(k in by_key for k in left + right):
                changed |= _prune_relation([by_key[k] for k in left], [by_key[k] for k in right])


def _already_broken(by_key: dict[str, RowReadings], relations: list[tuple[tuple[str, ...], tuple[str, ...]]]) -> bool:
    """True when rows read one way only already break a row total or a column relation."""
    single = {k: r.readings[0] for k, r in by_key.items() if len(r.readings) == 1 and not r.doubt}
    if any(not holds(r, T3_ROW_RELATIONS[0]) for r in single.values()):
        return True
    return any(
        all(k in single for k in left + right)
        and not all(_column_holds([single[k] for k in left], [single[k] for k in right], c) for c in range(7))
        for left, right in relations
    )


def _t3_column_relations(rows: list[RowReadings],
                         usable: dict[str, RowReadings]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """表三's column relations whose every row is usable. The results relation needs all the table's result rows:
    over a subset it would be a different (false) relation."""
    results = tuple(r.slot.row.key for r in rows if r.slot.row.key in RESULT_ROW_KEYS)
    relations = [(("new_applications", "carried_over"), ("total_handled", "carried_forward")),
                 (results, ("total_handled",))]
    return [(left, right) for left, right in relations if left and all(k in usable for k in left + right)]


def verify_flattened_t3(rows: list[RowReadings]) -> None:
    """A web-flattened row split one way only (by its own total) is trusted only if no other reading of its digits
    fits the table's relations better. When a report misprints a total, or leaves a cell blank, a wrong split can
    satisfy the row total by coincidence; the column relations then expose it, and the row is flagged. A column
    relation is used wherever every row in it reads one way in that column."""
    table = {r.slot.row.key: (r.readings if r.row is not None and not r.doubt else []) for r in rows}
    relations = _t3_column_relations(rows, table)
    if not relations or _t3_score(table, relations, None)[1] == 0:
        return
    for rr in rows:
        key = rr.slot.row.key
        if rr.digits is None or rr.doubt or len(rr.readings) != 1:
            continue
        base = _t3_score(table, relations, key)[0]
        printed = itertools.islice(split_glued(rr.digits, 7, ()), MAX_READINGS)  # every cell printed
        blanks = itertools.islice(split_glued(rr.digits, 7, T3_ROW_RELATIONS, True), MAX_READINGS)
        scored = [(_t3_score({**table, key: [alt]}, relations, key)[0], alt)
                  for alt in itertools.chain(printed, blanks) if alt != rr.readings[0]]
        better = [alt for score, alt in sorted(scored, key=lambda x: -x[0]) if score > base]
        if better:
            rr.readings = [rr.readings[0], *better[:20]]
            rr.doubt = "拼接数字的拆分与表内勾稽关系不符，无法确定"


def _t3_score(table: dict[str, list[Reading]], relations: list[tuple[tuple[str, ...], tuple[str, ...]]],
              focus: str | None) -> tuple[int, int]:
    """(relations seen to hold − relations seen to fail, relations seen to fail), over the row totals and the column
    relations (per column) that involve `focus` (or all, for None). Only cells every reading agrees on are seen: a
    blank or an undecided cell makes a relation unseen, neither better nor worse."""
    holds_, fails = 0, 0
    for key, readings in table.items():
        if (focus is None or key == focus) and len(readings) == 1 and _checkable(readings[0], T3_ROW_RELATIONS[0]):
            ok = holds(readings[0], T3_ROW_RELATIONS[0])
            holds_, fails = holds_ + ok, fails + (not ok)
    for left, right in relations:
        if focus is not None and focus not in left + right:
            continue
        for col in range(7):
            left_values = [_agreed(table[k], col) for k in left]
            right_values = [_agreed(table[k], col) for k in right]
            if all(isinstance(v, Decimal) for v in left_values + right_values):
                ok = sum(left_values, Decimal(0)) == sum(right_values, Decimal(0))  # type: ignore[arg-type]
                holds_, fails = holds_ + ok, fails + (not ok)
    return holds_ - fails, fails


def _agreed(readings: list[Reading], col: int) -> Value | None:
    values = {r[col] for r in readings}
    return values.pop() if len(values) == 1 else None


def _prune_relation(left: list[RowReadings], right: list[RowReadings], limit: int = 20000) -> bool:
    involved = left + right
    sizes = [len(r.readings) for r in involved]
    if all(s == 1 for s in sizes) or _product(sizes) > limit:
        return False
    keep: list[set[int]] = [set() for _ in involved]
    for combo in itertools.product(*(range(s) for s in sizes)):
        chosen = [involved[i].readings[c] for i, c in enumerate(combo)]
        if all(_column_holds(chosen[: len(left)], chosen[len(left) :], col) for col in range(7)):
            for i, c in enumerate(combo):
                keep[i].add(c)
    if not any(keep):
        return False  # the printed numbers break the relation whatever the split: prune nothing
    changed = False
    for row, kept in zip(involved, keep):
        if len(kept) < len(row.readings):
            row.readings = [r for i, r in enumerate(row.readings) if i in kept]
            changed = True
    return changed


def _column_holds(left: list[Reading], right: list[Reading], col: int) -> bool:
    values = [r[col] for r in left + right]
    if not all(isinstance(v, Decimal) for v in values):
        return True
    return sum(r[col] for r in left) == sum(r[col] for r in right)  # type: ignore[misc]


def _product(sizes: list[int]) -> int:
    out = 1
    for s in sizes:
        out *= s
    return out
