"""Ruled grids found in page images (numpy only; no OCR needed)."""

from __future__ import annotations

import numpy as np

from ingest.scan import erase_rules, grids, page_rules


def _page(height: int = 1200, width: int = 1000) -> np.ndarray:
    return np.full((height, width), 255, dtype=np.uint8)


def _hline(img: np.ndarray, y: int, x0: int, x1: int) -> None:
    img[y:y + 3, x0:x1] = 0


def _vline(img: np.ndarray, x: int, y0: int, y1: int) -> None:
    img[y0:y1, x:x + 3] = 0


def test_grid_rows_columns_and_a_label_spanning_two_rows() -> None:
    img = _page()
    ys = (100, 200, 300, 400)
    xs = (100, 400, 600, 800)
    for y in ys:
        _hline(img, y, 100 if y in (100, 400) else 400, 803)  # the first column's cell spans rows 2 and 3
    _hline(img, 200, 100, 400)
    for x in xs:
        _vline(img, x, 100, 403)
    horizontal, vertical = page_rules(img)
    (grid,) = grids(horizontal, vertical)
    assert (grid.rows, grid.cols) == (3, 3)
    starts = {(c.row, c.col) for c in grid.cells}
    assert (1, 0) in starts and (2, 0) not in starts  # merged down
    merged = next(c for c in grid.cells if (c.row, c.col) == (1, 0))
    assert merged.box[1] > 200 and merged.box[3] > 300  # covers both rows
    assert len(grid.row_y) == 3


def test_table_cut_by_a_page_break_keeps_its_last_row() -> None:
    img = _page()
    for y in (100, 200, 300):
        _hline(img, y, 100, 803)
    for x in (100, 400, 800):
        _vline(img, x, 100, 390)  # no closing line: the table goes on on the next page
    (grid,) = grids(*page_rules(img))
    assert grid.rows == 3


def test_character_strokes_are_not_rules_and_erasing_keeps_text() -> None:
    img = _page()
    img[500:502, 300:330] = 0  # a stroke of a character: far shorter than a ruling line
    _hline(img, 100, 100, 900)
    horizontal, vertical = page_rules(img)
    assert len(horizontal) == 1 and not vertical
    clean = erase_rules(img, horizontal, vertical)
    assert clean[101, 500] == 255 and clean[500, 310] == 0
    assert grids(horizontal, vertical) == []
