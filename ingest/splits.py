"""Candidate readings of one observed row: which printed number goes to which column.

A row usually has exactly one reading. Several readings arise when blanks cannot be seen (space-separated rows with
fewer numbers than columns), when a row carries extra numbers (a shifted cell), and for web-flattened rows whose
cells were concatenated without separators. Row relations (总计 = sum of parts) prune readings here; table-wide
relations prune them later. A cell is read as a value only when every surviving reading agrees on it.
"""

from __future__ import annotations

import functools
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
             signatures: frozenset[Signature] = frozenset(), blank_cells: bool = False) -> tuple[list[Reading], str]:
    """Every reading of `row` as `n` cells, and a doubt (Chinese, '' if none) that makes all its cells untrusted.

    Readings are pruned by the row relations when at least one satisfies them. For tab/pipe rows, `signatures` are
    the grid columns where the table's unambiguous rows start their values: among readings that keep every printed
    item, one starting in the same column is preferred (a blank first or last cell cannot shift the row). A row that
    prints more items than the table has columns keeps every window: a dropped item is never silently chosen.
    `blank_cells`: for flattened rows of a table that often has blank cells (表四), also keep the readings with
    blanks even when the as-printed reading adds up."""
    digits = flattened_digits(row, n)
    if digits is not None:
        return flattened_readings(digits, n, relations, blank_cells)
    if row.positional:
        windows = positional_windows(row, n)
        if not row.label.strip() and row.slot_fields:  # no label: every field is a value, from the first one
            windows = [(sig, r) for sig, r in windows if sig == row.slot_fields[0]] or windows
        printed = sum(1 for v in row.slots if v is not None)
        complete = [(sig, r) for sig, r in windows if sum(1 for v in r if v is not None) == printed]
        aligned = [r for sig, r in complete if sig in signatures]
        if not aligned and len(row.slots) == n and row.slot_fields:  # exactly one field per column: no shift
            aligned = [r for sig, r in complete if sig == row.slot_fields[0]]
        found = _unique(aligned or [r for _, r in (complete or windows)])
    else:
        found = _unpositioned(list(row.slots), n)
    found = prune(found, relations)
    if any(UNREAD in r and None in r for r in found):
        # a damaged cell next to a blank or missing one: the damage may have merged or split cells ("53 0")
        return found, "单元格内容无法识别，且该行有空白或缺少的单元格，无法确定各列位置"
    return found, ""


def flattened_readings(digits: str, n: int, relations: Sequence[RowRelation],
                       blank_cells: bool = False) -> tuple[list[Reading], str]:
    """Splits of a flattened row's digits, and a doubt ('' when trusted).

    With relations (表三, 表四) the row is read as the template prints it, every cell a number, and trusted only if
    a split satisfies its totals. Otherwise a total was misprinted or a cell was blank (a blank prints nothing): the
    digits cannot tell which, so the row is in doubt, without candidates. Without relations (表二) nothing can confirm a split: blank cells are always considered, and any
    choice the digits leave open stays ambiguous."""
    if not relations:
        found, complete = _collect(split_glued(digits, n, (), True))
        return found, "" if complete else "拼接数字的拆分方式过多，无法确定"
    found, complete = _collect(split_glued(digits, n, relations))
    if found and blank_cells and complete:
        with_blanks, complete = _collect(split_glued(digits, n, relations, True))
        found = _unique(found + with_blanks)
    if found:
        return found, "" if complete else "拼接数字的拆分方式过多，无法确定"
    # Blank cells and a misprinted total together could explain the digits in too many ways to list: no candidates.
    return [], "拼接数字与行内合计不符（合计印错或有空白单元格），无法确定单元格边界"


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
    if n >= MIN_FLATTENED_ROW and not row.label and len(row.slots) == 1 and numbers and re.fullmatch(r"\d+", numbers[0]):
        return numbers[0]  # fewer digits than cells: some cells were blank
    return None


def prune(found: list[Reading], relations: Sequence[RowRelation]) -> list[Reading]:
    """Readings whose relations can all be checked and hold; when none can, every reading stays (a reading is not
    preferred because a blank cell leaves its total unchecked: the report may misprint a total)."""
    if len(found) <= 1 or not relations:
        return found
    kept = [r for r in found if all(_checkable(r, rel) and holds(r, rel) for rel in relations)]
    return kept or found


def _checkable(reading: Reading, relation: RowRelation) -> bool:
    parts, total = relation
    return all(isinstance(reading[i], Decimal) for i in (*parts, total))


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
    left = max(0, n - len(row.slots))  # leading blanks show as fields; only a short row may miss some
    right = n - 1  # trailing empty fields are often trimmed away
    padded = [None] * left + list(row.slots) + [None] * right
    first = row.slot_fields[0] if row.slot_fields else 0
    fields = [first - left + k for k in range(left)] + list(row.slot_fields or range(len(row.slots)))
    fields += [(fields[-1] if fields else first) + k + 1 for k in range(right)]
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
    """Every split of `digits` into `n` cells satisfying `relations` (see :func:`_split_search`); rows whose relations
    are consecutive groups of parts each followed by its total (表三: one group of 6, 表四: three of 4) use a
    group-wise search that stays fast with blank cells allowed."""
    groups = _tiled_groups(n, relations)
    if groups is None:
        yield from _split_search(digits.replace("−", "-"), n, relations, allow_blanks)
    else:
        yield from _split_groups(digits.replace("−", "-"), groups, allow_blanks)


def _tiled_groups(n: int, relations: Sequence[RowRelation]) -> list[int] | None:
    """[parts per group] when the relations tile the row as (parts…, total) groups, else None."""
    if not relations:
        return None
    groups, index = [], 0
    for parts, total in sorted(relations, key=lambda r: r[1]):
        if parts != tuple(range(index, total)) or not parts:
            return None
        groups.append(len(parts))
        index = total + 1
    return groups if index == n else None


def _split_groups(digits: str, groups: list[int], allow_blanks: bool) -> Iterator[Reading]:
    """Split group by group: a group is its parts then its total; the total is a suffix of the group's digits and
    the printed parts before it must add up to it (a blank total only with every part blank)."""

    @functools.cache
    def options(start: int, end: int, k: int) -> tuple[Reading, ...]:
        return tuple(_group_readings(digits[start:end], k, allow_blanks))

    def walk(start: int, g: int) -> Iterator[Reading]:
        if g == len(groups):
            if start == len(digits):
                yield ()
            return
        last = g == len(groups) - 1
        for end in ([len(digits)] if last else range(start, len(digits) + 1)):
            for group in options(start, end, groups[g]):
                for rest in walk(end, g + 1):
                    yield group + rest

    yield from walk(0, 0)


def _group_readings(text: str, k: int, allow_blanks: bool) -> Iterator[Reading]:
    if not text:
        if allow_blanks:
            yield (None,) * (k + 1)
        return
    for cut in range(len(text)):
        total_text = text[cut:]
        if not _PART_RE.fullmatch(total_text) or cut > k * len(total_text):
            continue  # no part can be longer than the total it adds up to
        total = Decimal(total_text)
        for parts in _numbers(text[:cut], 1 if not allow_blanks else 0, k, len(total_text)):
            if sum(parts, Decimal(0)) != total:
                continue
            if len(parts) == k:
                yield (*parts, total)
            elif allow_blanks:
                for places in itertools.combinations(range(k), len(parts)):
                    cells: list[Decimal | None] = [None] * k
                    for place, value in zip(places, parts):
                        cells[place] = value
                    yield (*cells, total)


def _numbers(text: str, least: int, most: int, longest: int) -> Iterator[tuple[Decimal, ...]]:
    """`text` cut into between `least` and `most` numbers of at most `longest` characters (no leading zeros)."""
    if not text:
        if least == 0:
            yield ()
        return
    if most == 0 or len(text) > most * longest:
        return
    for end in range(1, min(len(text), longest) + 1):
        head = text[:end]
        if not _PART_RE.fullmatch(head):
            if not _PART_RE.fullmatch(head + "0"):
                break
            continue
        for rest in _numbers(text[end:], max(0, least - 1), most - 1, longest):
            yield (Decimal(head), *rest)


def _split_search(digits: str, n: int, relations: Sequence[RowRelation], allow_blanks: bool) -> Iterator[Reading]:
    """Every way to cut `digits` into `n` cells (numbers without leading zeros; blanks too when `allow_blanks`)
    that satisfies the row relations: the printed parts add up to the printed total, and a total is blank only with
    all its parts. Relations are checked as soon as their cells are cut. "523" in three columns: 5|2|3 only, or
    with blanks also 52|3|blank, 5|23|blank …
    """
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
