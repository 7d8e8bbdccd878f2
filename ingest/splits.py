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

from ingest.rows import ObservedRow, parse_number

Reading = tuple[Decimal | None, ...]
MAX_READINGS = 5000

# A group relation inside one row: the cell at index `total` equals the sum of the cells at `parts`.
RowRelation = tuple[tuple[int, ...], int]


Signature = int  # the grid column (tab/pipe field) where a row's first value sits


def readings(row: ObservedRow, n: int, relations: Sequence[RowRelation] = (),
             signatures: frozenset[Signature] = frozenset()) -> list[Reading]:
    """Every reading of `row` as `n` cells, pruned by the row relations when at least one reading satisfies them.

    For tab/pipe rows, `signatures` are the grid columns where the table's unambiguous rows start their values: a
    reading that starts in the same column is preferred (a blank first or last cell cannot shift the row)."""
    digits = flattened_digits(row, n)
    if digits is not None:
        found = list(itertools.islice(split_glued(digits, n, relations), MAX_READINGS))
        if not found:  # the printed totals do not add up: fall back to every split
            found = list(itertools.islice(split_glued(digits, n, ()), MAX_READINGS))
        return found
    if row.positional:
        windows = positional_windows(row, n)
        aligned = [r for sig, r in windows if sig in signatures]
        found = _unique(aligned or [r for _, r in windows])
    else:
        found = _unpositioned(list(row.numbers), n)
    return prune(found, relations)


def positional_windows(row: ObservedRow, n: int) -> list[tuple[Signature, Reading]]:
    """Windows of `n` fields that drop as few printed numbers as possible, each with its column signature."""
    padded = list(row.slots) + [None] * max(0, n - len(row.slots))
    last = row.slot_fields[-1] if row.slot_fields else -1
    fields = list(row.slot_fields) + [last + k + 1 for k in range(len(padded) - len(row.slot_fields))]
    windows = [(i, padded[i : i + n]) for i in range(len(padded) - n + 1)]
    best = max(sum(1 for v in w if v is not None) for _, w in windows)
    return [(fields[i], _to_reading(w)) for i, w in windows if sum(1 for v in w if v is not None) == best]


def signature(row: ObservedRow, n: int) -> Signature | None:
    """The value-column start of a row that reads one way only (n numbers, no blank among them)."""
    if not row.positional or len(row.numbers) != n:
        return None
    windows = positional_windows(row, n)
    full = [sig for sig, r in windows if None not in r]
    return full[0] if len(full) == 1 else None


def flattened_digits(row: ObservedRow, n: int) -> str | None:
    """The digit string of a web-flattened row: glued to its label, or a lone run of digits where a row of
    several cells was expected (a row of cells concatenated without separators)."""
    if row.glued is not None and not row.numbers:
        return row.glued
    numbers = row.numbers
    if n > 1 and len(row.slots) == 1 and numbers and re.fullmatch(r"\d+", numbers[0]) and len(numbers[0]) >= n:
        return numbers[0]
    return None


def prune(found: list[Reading], relations: Sequence[RowRelation]) -> list[Reading]:
    if len(found) <= 1 or not relations:
        return found
    kept = [r for r in found if all(_holds(r, rel) for rel in relations)]
    return kept or found


def _holds(reading: Reading, relation: RowRelation) -> bool:
    parts, total = relation
    values = [reading[i] for i in parts] + [reading[total]]
    if any(v is None for v in values):
        return True  # a relation over a blank cell cannot be checked
    return sum(reading[i] for i in parts) == reading[total]  # type: ignore[misc]


def _to_reading(values: Sequence[str | None]) -> Reading:
    return tuple(None if v is None else parse_number(v) for v in values)


def _unpositioned(numbers: list[str], n: int) -> list[Reading]:
    if len(numbers) >= n:
        return _unique(_to_reading(numbers[i : i + n]) for i in range(len(numbers) - n + 1))
    out = []
    for places in itertools.combinations(range(n), len(numbers)):
        values: list[str | None] = [None] * n
        for place, number in zip(places, numbers):
            values[place] = number
        out.append(_to_reading(values))
    return out


def _unique(readings_: Iterator[Reading] | list[Reading]) -> list[Reading]:
    seen: dict[Reading, None] = {}
    for r in readings_:
        seen.setdefault(r, None)
    return list(seen)


# ------------------------------------------------------------------------------------------ flattened digits

_PART_RE = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")


def split_glued(digits: str, n: int, relations: Sequence[RowRelation]) -> Iterator[Reading]:
    """Every way to cut `digits` into `n` numbers (no leading zeros) that satisfies the row relations.

    Relations are checked as soon as their cells are cut, which keeps 表四's 15-cell strings tractable.
    """
    digits = digits.replace("−", "-")
    checks: dict[int, list[RowRelation]] = {}
    for rel in relations:
        checks.setdefault(max(rel[0] + (rel[1],)), []).append(rel)

    def cut(pos: int, done: list[Decimal]) -> Iterator[Reading]:
        index = len(done)
        if index == n:
            if pos == len(digits):
                yield tuple(done)
            return
        remaining_cells = n - index
        for end in range(pos + 1, len(digits) - remaining_cells + 2):
            part = digits[pos:end]
            if not _PART_RE.fullmatch(part):
                continue
            value = Decimal(part)
            trial = done + [value]
            if all(sum(trial[i] for i in p) == trial[t] for p, t in checks.get(index, [])):
                yield from cut(end, trial)

    yield from cut(0, [])
