"""Candidate readings of one observed row: which printed number goes to which column.

A row usually has exactly one reading. Several readings arise when blanks cannot be seen (space-separated rows with
fewer numbers than columns), when a row carries extra numbers (a shifted cell), and for web-flattened rows whose
cells were concatenated without separators. Row relations (总计 = sum of parts) prune readings here; table-wide
relations prune them later. A cell is read as a value only when every surviving reading agrees on it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal

from ingest.rows import UNREADABLE, ObservedRow, parse_number


class Unreadable:
    """A cell whose printed content is not a number (an OCR "O", "+5件"): never a value."""

    _instance: Unreadable | None = None

    def __new__(cls) -> Unreadable:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREAD = Unreadable()
Value = Decimal | None | Unreadable
Reading = tuple[Value, ...]
MAX_READINGS = 5000
MIN_FLATTENED_ROW = 10  # a label-less run of digits is a flattened row only for rows this wide (表四: 15 cells)

# A group relation inside one row: the cell at index `total` equals the sum of the cells at `parts`.
RowRelation = tuple[tuple[int, ...], int]
Signature = int  # the grid column (tab/pipe field) where a row's first value sits


def readings(row: ObservedRow, n: int, relations: Sequence[RowRelation] = (),
             signatures: frozenset[Signature] = frozenset()) -> list[Reading]:
    """Every reading of `row` as `n` cells (see :func:`read_row`)."""
    return read_row(row, n, relations, signatures)[0]


def read_row(row: ObservedRow, n: int, relations: Sequence[RowRelation] = (),
             signatures: frozenset[Signature] = frozenset()) -> tuple[list[Reading], str]:
    """Every reading of `row` as `n` cells, and a doubt (Chinese, '' if none) that makes all its cells untrusted.

    Readings are pruned by the row relations when at least one satisfies them. For tab/pipe rows, `signatures` are
    the grid columns where the table's unambiguous rows start their values: among readings that keep every printed
    item, one starting in the same column is preferred (a blank first or last cell cannot shift the row). A row that
    prints more items than the table has columns keeps every window: a dropped item is never silently chosen."""
    digits = flattened_digits(row, n)
    if digits is not None:
        return flattened_readings(digits, n, relations)
    if row.positional:
        windows = positional_windows(row, n)
        printed = sum(1 for v in row.slots if v is not None)
        complete = [(sig, r) for sig, r in windows if sum(1 for v in r if v is not None) == printed]
        aligned = [r for sig, r in complete if sig in signatures]
        found = _unique(aligned or [r for _, r in (complete or windows)])
    else:
        found = _unpositioned(list(row.slots), n)
    return prune(found, relations), ""


def flattened_readings(digits: str, n: int, relations: Sequence[RowRelation]) -> tuple[list[Reading], str]:
    """Splits of a flattened row's digits, and a doubt ('' when trusted).

    With relations (表三, 表四) the row is read as the template prints it, every cell a number, and trusted only if
    a split satisfies its totals. Otherwise a total was misprinted or a cell was blank (a blank prints nothing): the
    digits cannot tell which, so the row is in doubt, with the splits that fit if blank cells are allowed as its
    candidates. Without relations (表二) nothing can confirm a split: blank cells are always considered, and any
    choice the digits leave open stays ambiguous."""
    if not relations:
        found, complete = _collect(split_glued(digits, n, (), True))
        return found, "" if complete else "拼接数字的拆分方式过多，无法确定"
    found, complete = _collect(split_glued(digits, n, relations))
    if found:
        return found, "" if complete else "拼接数字的拆分方式过多，无法确定"
    with_blanks, _ = _collect(split_glued(digits, n, relations, True))
    as_printed, _ = _collect(split_glued(digits, n, ()))
    return _unique(with_blanks + as_printed), "拼接数字与行内合计不符（合计印错或有空白单元格），无法确定单元格边界"


def _collect(splits: Iterator[Reading]) -> tuple[list[Reading], bool]:
    """Up to MAX_READINGS splits, and whether that was all of them."""
    found: list[Reading] = []
    try:
        for reading in splits:
            found.append(reading)
            if len(found) > MAX_READINGS:
                return found[:MAX_READINGS], False
    except _Budget:
        return found, False
    return found, True


def flattened_digits(row: ObservedRow, n: int) -> str | None:
    """The digit string of a web-flattened row: glued to its label, or (for 表四) a label-less run of digits.

    A labelled row with one separated number is not flattened: ``规范性文件 125`` is one value and blanks."""
    if row.glued is not None:
        return row.glued
    numbers = row.numbers
    if (n >= MIN_FLATTENED_ROW and not row.label and len(row.slots) == 1 and numbers
            and re.fullmatch(r"\d+", numbers[0]) and len(numbers[0]) >= n):
        return numbers[0]
    return None


def prune(found: list[Reading], relations: Sequence[RowRelation]) -> list[Reading]:
    if len(found) <= 1 or not relations:
        return found
    kept = [r for r in found if all(holds(r, rel) for rel in relations)]
    return kept or found


def holds(reading: Reading, relation: RowRelation) -> bool:
    """True when the relation holds or cannot be checked (a blank or unreadable cell is involved)."""
    parts, total = relation
    values = [reading[i] for i in parts] + [reading[total]]
    if not all(isinstance(v, Decimal) for v in values):
        return True
    return sum(reading[i] for i in parts) == reading[total]  # type: ignore[misc]


def _to_reading(values: Sequence[str | None]) -> Reading:
    return tuple(None if v is None else UNREAD if v == UNREADABLE else parse_number(v) for v in values)


def positional_windows(row: ObservedRow, n: int) -> list[tuple[Signature, Reading]]:
    """Windows of `n` fields covering as many printed cells as possible, each with the grid column it starts in.
    A row with fewer fields than columns may be short at either end."""
    pad = max(0, n - len(row.slots))
    padded = [None] * pad + list(row.slots) + [None] * pad
    first = row.slot_fields[0] if row.slot_fields else 0
    fields = [first - pad + k for k in range(pad)] + list(row.slot_fields or range(len(row.slots)))
    fields += [(fields[-1] if fields else first) + k + 1 for k in range(pad)]
    windows = [(fields[i], padded[i : i + n]) for i in range(len(padded) - n + 1)]
    best = max(_window_score(w) for _, w in windows)
    return [(sig, _to_reading(w)) for sig, w in windows if _window_score(w) == best]


def _window_score(window: Sequence[str | None]) -> tuple[int, int]:
    """Prefer windows covering the most printed cells (an unreadable cell is printed too), then the most numbers."""
    return (sum(1 for v in window if v is not None), sum(1 for v in window if v is not None and v != UNREADABLE))


def signature(row: ObservedRow, n: int) -> Signature | None:
    """The value-column start of a row that reads one way only (n numbers, no blank among them)."""
    if not row.positional or len(row.numbers) != n:
        return None
    full = [sig for sig, r in positional_windows(row, n) if all(isinstance(v, Decimal) for v in r)]
    return full[0] if len(full) == 1 else None


def _unpositioned(slots: list[str | None], n: int) -> list[Reading]:
    """Space-separated rows: blanks are invisible, so fewer values than columns can sit anywhere; more printed
    items than columns (a damaged or extra cell) leave every choice open."""
    if len(slots) >= n:
        return _unique(_to_reading(slots[i : i + n]) for i in range(len(slots) - n + 1))
    out = []
    for places in itertools.combinations(range(n), len(slots)):
        values: list[str | None] = [None] * n
        for place, value in zip(places, slots):
            values[place] = value
        out.append(_to_reading(values))
    return out


def _unique(readings_: Iterator[Reading] | list[Reading]) -> list[Reading]:
    seen: dict[Reading, None] = {}
    for r in readings_:
        seen.setdefault(r, None)
    return list(seen)


# ------------------------------------------------------------------------------------------ flattened digits

_PART_RE = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")


class _Budget(Exception):
    """Too many partial splits explored: the row is left undecided rather than searched for ever."""


MAX_NODES = 400_000


def split_glued(digits: str, n: int, relations: Sequence[RowRelation], allow_blanks: bool = False) -> Iterator[Reading]:
    """Every way to cut `digits` into `n` cells (numbers without leading zeros; blanks too when `allow_blanks`)
    that satisfies the row relations: the printed parts add up to the printed total, and a total is blank only with
    all its parts. Relations are checked as soon as their cells are cut, which keeps 表四's 15-cell strings
    tractable. "523" in three columns: 5|2|3 only, or with blanks also 52|3|blank, 5|23|blank …
    """
    digits = digits.replace("−", "-")
    checks: dict[int, list[RowRelation]] = {}
    for rel in relations:
        checks.setdefault(max(rel[0] + (rel[1],)), []).append(rel)
    nodes = [0]

    def ok(trial: list[Decimal | None], index: int) -> bool:
        for parts, total in checks.get(index, []):
            values = [trial[i] for i in parts]
            if trial[total] is None:
                if any(v is not None for v in values):
                    return False
            elif sum((v for v in values if v is not None), Decimal(0)) != trial[total]:
                return False
        return True

    def cut(pos: int, done: list[Decimal | None]) -> Iterator[Reading]:
        nodes[0] += 1
        if nodes[0] > MAX_NODES:
            raise _Budget
        index = len(done)
        if index == n:
            if pos == len(digits):
                yield tuple(done)
            return
        if allow_blanks and ok(trial := done + [None], index):  # a blank cell prints nothing
            yield from cut(pos, trial)
        for end in range(pos + 1, len(digits) + 1):
            part = digits[pos:end]
            if not _PART_RE.fullmatch(part):
                if not _PART_RE.fullmatch(part + "0"):  # "-" or "0." may still grow into a number
                    break
                continue
            trial = done + [Decimal(part)]
            if ok(trial, index):
                yield from cut(end, trial)

    yield from cut(0, [])
