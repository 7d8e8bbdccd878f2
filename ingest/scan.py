"""Page images → table grids and text regions, by the ruling lines a scan shows (numpy only, no OCR here).

A scanned report's statutory tables are ruled grids. The grid is found from long dark runs (the ruling lines):
rows between consecutive horizontal lines, columns between the vertical lines that cross the table, and a cell
merged with its neighbour where the line between them is absent (a label spanning rows or columns). Reading a
cell at a time keeps each number in its column; OCR over a whole table page drops and shifts digits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

DARK = 170  # grey level below which a pixel is ink
_LINE_GAP = 3  # pixels: runs this close on neighbouring rows are one ruling line
_MERGE = 6  # pixels: line positions this close are one grid line
_MIN_CELL = 8  # pixels: narrower cells are line doubling, not cells


@dataclass(frozen=True)
class Rule:
    """A ruling line: ``pos`` across it (y for horizontal lines, x for vertical ones), ``start``–``end`` along it."""

    pos: float
    start: int
    end: int


@dataclass(frozen=True)
class GridCell:
    row: int  # top grid row of the (merged) cell
    col: int  # left grid column
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 inside the ruling lines


@dataclass(frozen=True)
class Grid:
    rows: int
    cols: int
    cells: tuple[GridCell, ...]
    box: tuple[int, int, int, int]  # the table's outer box
    row_y: tuple[int, ...]  # the top of each grid row (orders table rows among the page's text lines)


def ink(gray: NDArray[np.uint8]) -> NDArray[np.bool_]:
    return gray < DARK


def rules(dark: NDArray[np.bool_], min_len: int) -> list[Rule]:
    """Runs of ink at least ``min_len`` long along each row of ``dark`` (transpose it for vertical lines)."""
    found: list[list[int]] = []  # [first_row, last_row, start, end]
    for i in np.nonzero(dark.sum(axis=1) >= min_len)[0]:
        row = np.concatenate(([0], dark[i].astype(np.int8), [0]))
        diff = np.diff(row)
        for a, b in zip(np.nonzero(diff == 1)[0], np.nonzero(diff == -1)[0]):
            if b - a < min_len:
                continue
            near = (line for line in found[::-1] if i - line[1] <= _LINE_GAP and a < line[3] and b > line[2])
            line = next(near, None)
            if line is None:
                found.append([int(i), int(i), int(a), int(b)])
            else:
                line[1], line[2], line[3] = int(i), min(line[2], int(a)), max(line[3], int(b))
    return [Rule((first + last) / 2, start, end) for first, last, start, end in found]


def page_rules(gray: NDArray[np.uint8]) -> tuple[list[Rule], list[Rule]]:
    """(horizontal, vertical) ruling lines of a page. Strokes of characters are far shorter than these minima."""
    dark = ink(gray)
    height, width = dark.shape
    return rules(dark, max(40, int(0.04 * width))), rules(dark.T, max(30, int(0.02 * height)))


def erase_rules(gray: NDArray[np.uint8], horizontal: list[Rule], vertical: list[Rule]) -> NDArray[np.uint8]:
    """The page with ruling lines and light shading whitened: what OCR reads best."""
    out = gray.copy()
    for r in horizontal:
        out[max(0, int(r.pos) - 4):int(r.pos) + 5, r.start:r.end] = 255
    for r in vertical:
        out[r.start:r.end, max(0, int(r.pos) - 4):int(r.pos) + 5] = 255
    out[out > 200] = 255
    return out


def _cluster(values: list[float]) -> list[float]:
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= _MERGE:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(g) / len(g) for g in groups]


def _covered(lines: list[Rule], pos: float, along: float) -> bool:
    return any(abs(r.pos - pos) <= _MERGE and r.start - _MERGE <= along <= r.end + _MERGE for r in lines)


def grids(horizontal: list[Rule], vertical: list[Rule]) -> list[Grid]:
    """Every ruled table on the page, top to bottom."""
    ys = _cluster([r.pos for r in horizontal])
    bands: list[list[float]] = []
    for top, bottom in zip(ys, ys[1:]):
        if any(r.start <= top + 2 * _MERGE and r.end >= bottom - 2 * _MERGE for r in vertical):
            if bands and bands[-1][-1] == top:
                bands[-1].append(bottom)
            else:
                bands.append([top, bottom])
    out = []
    for rows in bands:
        top, bottom = rows[0], rows[-1]
        crossing = [r for r in vertical if r.start <= bottom + _MERGE and r.end >= top - _MERGE
                    and min(r.end, bottom) - max(r.start, top) > 2 * _MERGE]
        xs = _cluster([r.pos for r in crossing])
        if len(xs) < 2:
            continue
        # a table cut by a page break has no closing line: its columns' lines end where the page's part ends
        below = max(r.end for r in crossing)
        above = min(r.start for r in crossing)
        rows = ([float(above)] if top - above > 4 * _MERGE else []) + rows \
            + ([float(below)] if below - bottom > 4 * _MERGE else [])
        out.append(_grid(rows, xs, horizontal, vertical))
    return out


def _grid(ys: list[float], xs: list[float], horizontal: list[Rule], vertical: list[Rule]) -> Grid:
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for r in range(n_rows):
        middle_y = (ys[r] + ys[r + 1]) / 2
        for c in range(n_cols):
            middle_x = (xs[c] + xs[c + 1]) / 2
            if c + 1 < n_cols and not _covered(vertical, xs[c + 1], middle_y):
                parent[find(r * n_cols + c + 1)] = find(r * n_cols + c)
            if r + 1 < n_rows and not _covered(horizontal, ys[r + 1], middle_x):
                parent[find((r + 1) * n_cols + c)] = find(r * n_cols + c)
    members: dict[int, list[int]] = {}
    for k in range(n_rows * n_cols):
        members.setdefault(find(k), []).append(k)
    cells = []
    for group in members.values():
        r0, r1 = min(k // n_cols for k in group), max(k // n_cols for k in group)
        c0, c1 = min(k % n_cols for k in group), max(k % n_cols for k in group)
        box = (int(xs[c0]) + 5, int(ys[r0]) + 5, int(xs[c1 + 1]) - 5, int(ys[r1 + 1]) - 5)
        if box[2] - box[0] >= _MIN_CELL and box[3] - box[1] >= _MIN_CELL:
            cells.append(GridCell(r0, c0, box))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return Grid(n_rows, n_cols, tuple(cells), (int(xs[0]), int(ys[0]), int(xs[-1]), int(ys[-1])),
                tuple(int(y) for y in ys[:-1]))
