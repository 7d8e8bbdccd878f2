"""Scanned pages → text lines through Tesseract (simplified Chinese) via tesserocr. Only module importing tesserocr.

Ruled tables are read a cell at a time (:mod:`ingest.scan` finds the grid) and come out as tab-separated rows,
like a PDF's text-layer grids; the rest of the page is read as text lines. A number is written as printed only
when Tesseract is confident of it and a digits-only second reading agrees; otherwise it is written with a trailing
``?``, which the table reader treats as unreadable, so the cell is ambiguous and never stored as a value.
"""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ingest.scan import Grid, erase_rules, grids, ink, page_rules

if TYPE_CHECKING:
    from PIL.Image import Image

MIN_AGREED = 20.0  # confidence (0–100) a number needs when both readings agree
MIN_ALONE = 90.0  # … when only the digits-only reading is a clean number
TARGET_WIDTH = 2480  # pixels: an A4 page at 300 dpi; smaller scans are enlarged to it
DIGIT_HEIGHTS = (None, 32, 40)  # the digits-only reading: at the printed size, then scaled to these heights (px)
UNSURE = "?"  # appended to a number OCR is unsure of
_TESSDATA = ("/usr/share/tesseract-ocr/5/tessdata/", "/usr/share/tesseract-ocr/4.00/tessdata/",
             "/usr/share/tessdata/", "/usr/local/share/tessdata/")
_NUMBERISH = re.compile(r"^[\d.,，．]*\d[\d.,，．]*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_UNITS = set("件条元年月日号个次人项家万亿余多位名户期场篇份页")  # a number with its unit is text
_LIKE_DIGIT = re.compile(r"^[\]\[|Il!丨了口〇Oo]$")  # a lone digit the Chinese model took for a glyph like it
_SPACE_BETWEEN_WIDE = re.compile(r"(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) +(?=[\d(（])"
                                 r"|(?<=[\d)）]) +(?=[^\x00-\x7f])|(?<=\d) +(?=[.．、])|(?<=[.．、]) +(?=\S)")


_BRACKETS = str.maketrans("〈〉", "（）")
_NUMERAL_IN_BRACKETS = re.compile(r"[（(〈《]+\s*([一二三四五六七八九十]{1,3})\s*[)）〉》]")  # （一）read as 《一)


class OcrUnavailable(Exception):
    """Tesseract or its simplified-Chinese model is not installed; the message is Chinese, for users."""


@dataclass(frozen=True)
class OcrLine:
    text: str
    top: int  # y of the line on the page image (orders table rows among text lines)
    confidence: float | None  # the lowest confidence of the numbers on the line; None when it has none
    columns_known: bool = True  # False for a row rebuilt from the gaps between its numbers (no ruling lines)


@dataclass(frozen=True)
class OcrPage:
    lines: tuple[OcrLine, ...]
    seconds: float
    timed_out: bool


def tessdata() -> str:
    """The folder holding ``chi_sim.traineddata``; raises OcrUnavailable with the install hint."""
    hint = "无法识别扫描件：本机未安装文字识别组件 Tesseract 或其简体中文模型（请安装 tesseract-ocr 和 tesseract-ocr-chi-sim）"
    try:
        import tesserocr  # noqa: F401
    except ImportError as exc:
        raise OcrUnavailable(hint) from exc
    env = os.environ.get("TESSDATA_PREFIX")
    for folder in ([env.rstrip("/") + "/"] if env else []) + list(_TESSDATA):
        if (Path(folder) / "chi_sim.traineddata").exists():
            return folder
    raise OcrUnavailable(hint)


@functools.lru_cache(maxsize=1)
def _engines() -> tuple[Any, Any, Any]:
    """(cell reader, digits reader, page reader), loaded once per process."""
    from tesserocr import PSM, PyTessBaseAPI

    folder = tessdata()
    cell = PyTessBaseAPI(path=folder, lang="chi_sim", psm=PSM.SINGLE_BLOCK)
    digits = PyTessBaseAPI(path=folder, lang="eng" if (Path(folder) / "eng.traineddata").exists() else "chi_sim",
                           psm=PSM.SINGLE_LINE)
    digits.SetVariable("tessedit_char_whitelist", "0123456789.")
    page = PyTessBaseAPI(path=folder, lang="chi_sim", psm=PSM.AUTO)
    return cell, digits, page


def read_page(image: Image, time_limit: float = 120.0) -> OcrPage:
    """One page image → its lines in reading order (table rows as tab-separated cells)."""
    from PIL import Image as PILImage

    started = time.monotonic()
    deadline = started + time_limit
    gray_image = image.convert("L")
    if gray_image.width < TARGET_WIDTH * 0.8:
        scale = TARGET_WIDTH / gray_image.width
        gray_image = gray_image.resize((TARGET_WIDTH, round(gray_image.height * scale)), PILImage.Resampling.LANCZOS)
    gray = np.asarray(gray_image)
    horizontal, vertical = page_rules(gray)
    clean = erase_rules(gray, horizontal, vertical)
    tables = grids(horizontal, vertical)
    cell_api, digits_api, page_api = _engines()
    picture = PILImage.fromarray(clean)
    items: list[OcrLine] = []
    timed_out = False
    cell_api.SetImage(picture)
    for grid in tables:
        rows, out_of_time = _read_grid(grid, picture, cell_api, digits_api, deadline)
        items.extend(rows)
        timed_out = timed_out or out_of_time
    text_only = clean.copy()
    for grid in tables:
        x0, y0, x1, y1 = grid.box
        text_only[max(0, y0 - 6):y1 + 6, max(0, x0 - 6):x1 + 6] = 255
    if time.monotonic() < deadline:
        items.extend(_read_text(PILImage.fromarray(text_only), page_api, digits_api, deadline))
    else:
        timed_out = True
    items.sort(key=lambda line: line.top)
    return OcrPage(tuple(items), time.monotonic() - started, timed_out)


def _read_grid(grid: Grid, picture: Image, cell_api: Any, digits_api: Any,
               deadline: float) -> tuple[list[OcrLine], bool]:
    texts = [[""] * grid.cols for _ in range(grid.rows)]
    lowest: dict[int, float] = {}
    timed_out = False
    for cell in grid.cells:
        if time.monotonic() >= deadline:
            timed_out = True
            texts[cell.row][cell.col] = UNSURE
            continue
        text, confidence = _read_cell(cell.box, picture, cell_api, digits_api, deadline)
        texts[cell.row][cell.col] = text
        if confidence is not None:
            lowest[cell.row] = min(lowest.get(cell.row, 100.0), confidence)
    lines = [OcrLine("\t".join(row), grid.row_y[r], lowest.get(r)) for r, row in enumerate(texts)
             if any(row)]
    return lines, timed_out


def _timeout(deadline: float) -> int:
    return max(1, int((deadline - time.monotonic()) * 1000))


def _read_cell(box: tuple[int, int, int, int], picture: Image, cell_api: Any, digits_api: Any,
               deadline: float) -> tuple[str, float | None]:
    """A cell's text, and for a number its confidence. A number is read again, alone on a white margin, by a
    digits-only reader: the two readings must agree (or the second be near certain), else it is marked unsure."""
    x0, y0, x1, y1 = box
    cell_api.SetRectangle(x0, y0, x1 - x0, y1 - y0)
    cell_api.Recognize(timeout=_timeout(deadline))
    text = cell_api.GetUTF8Text().strip()
    ink = _ink(picture.crop(box))
    if not text and ink is not None:
        cell_api.SetImage(_on_margin(ink, None))  # a lone number in a wide cell is often missed
        cell_api.Recognize(timeout=_timeout(deadline))
        text = cell_api.GetUTF8Text().strip()
        cell_api.SetImage(picture)
    if not text:
        return "", None
    squeezed = re.sub(r"\s+", "", text)
    digits_in = re.sub(r"[^\d.]", "", squeezed)
    wide = _CJK.findall(squeezed)
    if not (digits_in or _LIKE_DIGIT.match(squeezed)) or len(wide) > 1 or set(wide) & _UNITS or len(squeezed) > 16:
        return join_wide(text), None  # a label: text with at most the numbering's digits
    return _confirm_number(ink, digits_in, digits_api, deadline)


def _confirm_number(ink: Image | None, digits_in: str, digits_api: Any, deadline: float) -> tuple[str, float]:
    """A number read again by the digits-only reader, at each size: kept when the two readings agree (or the second
    is near certain and the first saw no other digits), else the best reading marked unsure."""
    best = ("", 0.0)
    for height in DIGIT_HEIGHTS if ink is not None else ():  # too little ink to read again: unsure
        digits_api.SetImage(_on_margin(ink, height))
        digits_api.Recognize(timeout=_timeout(deadline))
        number, confidence = re.sub(r"\s+", "", digits_api.GetUTF8Text()), float(digits_api.MeanTextConf())
        if not _NUMBERISH.match(number):
            continue
        if number == digits_in and confidence >= MIN_AGREED:
            return number, confidence
        if confidence >= MIN_ALONE and digits_in in ("", number):
            return number, confidence
        best = max(best, (number, confidence), key=lambda reading: reading[1])
    return (best[0] or digits_in) + UNSURE, best[1]


_EDGE = 6  # pixels: what is left of a ruling line hugs the cell's edge
_MIN_INK = 30  # pixels of ink a cell needs to hold anything


def _ink(crop: Image) -> Image | None:
    """The cell's ink cut to its bounding box (the cell's edges ignored), or None for an empty cell."""
    from PIL import Image as PILImage

    gray = np.asarray(crop)
    inner = ink(gray[_EDGE:-_EDGE, _EDGE:-_EDGE])
    if int(inner.sum()) < _MIN_INK:
        return None
    ys, xs = np.nonzero(inner)
    return PILImage.fromarray(gray[_EDGE + ys.min():_EDGE + ys.max() + 1, _EDGE + xs.min():_EDGE + xs.max() + 1])


def _on_margin(ink_only: Image, height: int | None) -> Image:
    """The ink on a white margin, optionally scaled to ``height`` (Tesseract reads a lone number best with room
    around it, and misses one drawn at some sizes: each size is a fresh chance to agree)."""
    from PIL import Image as PILImage

    if height is not None and ink_only.height != height:
        ink_only = ink_only.resize((max(1, round(ink_only.width * height / ink_only.height)), height),
                                   PILImage.Resampling.LANCZOS)
    out = PILImage.new("L", (ink_only.width + 60, ink_only.height + 60), 255)
    out.paste(ink_only, (30, 30))
    return out


@dataclass(frozen=True)
class _TextLine:
    text: str
    box: tuple[int, int, int, int]
    symbols: tuple[tuple[str, tuple[int, int, int, int]], ...]  # each character read, with its box


def _read_text(picture: Image, api: Any, digits_api: Any, deadline: float) -> Iterator[OcrLine]:
    """The text lines of the page; a line that ends in a run of numbers set apart by wide gaps (a table row without
    ruling lines) becomes a tab-separated row, each number read again on its own like a ruled cell."""
    api.SetImage(picture)
    api.Recognize(timeout=_timeout(deadline))
    gray = np.asarray(picture)
    lines = _rows_joined(list(_text_lines(api)))
    rows = [_unruled_row(line, gray, digits_api, deadline) if time.monotonic() < deadline else None for line in lines]
    bands = [(line.box[1], line.box[3], row.label_end) for line, row in zip(lines, rows, strict=True) if row]
    for line, row in zip(lines, rows, strict=True):
        if row is not None:
            yield row.line
        elif not (_NUMBERS_ONLY.match(line.text) and any(_within(line.box, band) for band in bands)):
            yield OcrLine(_unsure_bare_numbers(join_wide(line.text)), line.box[1], None)
        # else: numbers a row to its left already read (its band runs to the page's edge)


def _within(box: tuple[int, int, int, int], band: tuple[int, int, int]) -> bool:
    top, bottom, left = band
    overlap = min(box[3], bottom) - max(box[1], top)
    return box[0] >= left and overlap >= 0.5 * (box[3] - box[1])


_BARE_NUMBER = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?)(?=\s+\d|\s*$)")


def _unsure_bare_numbers(text: str) -> str:
    """A text line with three or more bare numbers in a row ("已获取信息0 0 0 0 0 9 0") is a table row this reader
    could not rebuild: its numbers were not read again, so each is marked unsure (never stored as a value)."""
    if len(_BARE_NUMBER.findall(text)) < 3:
        return text
    return _BARE_NUMBER.sub(lambda m: m.group(1) + UNSURE, text)


def _text_lines(api: Any) -> Iterator[_TextLine]:
    from tesserocr import RIL, iterate_level

    iterator = api.GetIterator()
    if iterator is None:
        return
    text, box, symbols = "", None, []
    for symbol in iterate_level(iterator, RIL.SYMBOL):
        if symbol.IsAtBeginningOf(RIL.TEXTLINE):
            if box is not None and text.strip():
                yield _TextLine(text.strip(), box, tuple(symbols))
            try:
                text = symbol.GetUTF8Text(RIL.TEXTLINE) or ""
            except RuntimeError:  # an empty block ("No text returned")
                text = ""
            box, symbols = symbol.BoundingBox(RIL.TEXTLINE), []
        try:
            char, char_box = symbol.GetUTF8Text(RIL.SYMBOL), symbol.BoundingBox(RIL.SYMBOL)
        except RuntimeError:  # an empty block ("No text returned")
            continue
        if char and char_box is not None:
            symbols.append((char, char_box))
    if box is not None and text.strip():
        yield _TextLine(text.strip(), box, tuple(symbols))


_NUMBERS_ONLY = re.compile(r"^[\d\s.．,，|\]\[]+$")


def _rows_joined(lines: list[_TextLine]) -> list[_TextLine]:
    """Lines side by side at the same height, one of them only numbers, are one table row that Tesseract read as
    several blocks (a row's label, then its numbers in two or three groups): joined left to right. Other lines
    side by side (two columns of prose) are left as they are."""
    groups: list[list[_TextLine]] = []
    for line in sorted(lines, key=lambda x: x.box[1]):
        group = next((g for g in groups if any(_same_row(line, other) for other in g)), None)
        if group is None:
            groups.append([line])
        else:
            group.append(line)
    out = []
    for group in groups:
        if len(group) > 1 and any(_NUMBERS_ONLY.match(x.text) for x in group):
            group.sort(key=lambda x: x.box[0])
            boxes = [x.box for x in group]
            out.append(_TextLine(" ".join(x.text for x in group),
                                 (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                                  max(b[3] for b in boxes)), tuple(s for x in group for s in x.symbols)))
        else:
            out.extend(group)
    return sorted(out, key=lambda x: (x.box[1], x.box[0]))


def _same_row(a: _TextLine, b: _TextLine) -> bool:
    overlap = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
    short, tall = sorted((a.box[3] - a.box[1], b.box[3] - b.box[1]))
    return overlap >= 0.5 * short and tall <= 3 * short  # a block spanning many rows is no row


_GAP = 0.5  # of the line's height: a blank this wide between numbers separates two columns (digits sit closer)
_LABEL_END = re.compile(r"[\x00-\x7f．，：；]*$")  # digits, spaces, ASCII letters a digit was misread as


@dataclass(frozen=True)
class _Row:
    line: OcrLine
    label_end: int  # x where the row's numbers begin


def _unruled_row(line: _TextLine, gray: np.ndarray, digits_api: Any, deadline: float) -> _Row | None:
    """"3.其他 287 3 0 0 1 0 291" as "3.其他\t287\t3\t0\t0\t1\t0\t291": the numbers after the line's last
    character that is not a digit, split where the ink leaves a gap wider than half the line's height (Tesseract
    joins "0 0 0" into "000"), each confirmed by the digits-only reader; None for a line of another shape."""
    from PIL import Image as PILImage

    x0, y0, x1, y1 = line.box
    # the label ends at its last Chinese character or full-width sign: an ASCII letter after it is a digit misread
    # ("SS0" for 550, "I" for 1), part of the numbers
    wide = [b for c, b in line.symbols if not c.isascii() and c not in "．，"]
    label_end = max((b[2] for b in wide), default=x0)
    if label_end >= x1 - 4:
        return None
    # the row's band to the page's edge: Tesseract often ends a line before the row's last numbers
    strip = ink(gray[y0:y1, label_end + 2:gray.shape[1] - 20])
    fields = _ink_runs(strip.any(axis=0), max(6, int(_GAP * (y1 - y0))))
    apart = bool(fields) and fields[0][0] >= 2 * (y1 - y0)  # "行政处罚        3985758": a label cell, a number cell
    if len(fields) < (1 if wide and apart else 2 if wide else 3):
        return None
    numbers, lowest = [], 100.0
    for a, b in fields:
        left, right = label_end + 2 + a, label_end + 2 + b
        read = "".join(c for c, box in line.symbols if c.isdigit() and left <= (box[0] + box[2]) / 2 <= right)
        rows = np.nonzero(strip[:, a:b].any(axis=1))[0]
        crop = PILImage.fromarray(gray[y0 + rows.min():y0 + rows.max() + 1, left:right])
        number, confidence = _confirm_number(crop, read, digits_api, deadline)
        if not _NUMBERISH.match(number.rstrip(UNSURE)):
            if not read:
                return None  # not a run of numbers (a date, a phone number's dashes, text)
            number = read + UNSURE  # a number neither reading makes sure of: it keeps its column, unsure
        numbers.append(number)
        lowest = min(lowest, confidence)
    label = _LABEL_END.sub("", join_wide(line.text)) if wide else ""
    text = "\t".join([label, *numbers]) if label else "\t".join(numbers)
    return _Row(OcrLine(text, y0, lowest, columns_known=False), label_end)


def _ink_runs(columns: np.ndarray, min_gap: int) -> list[tuple[int, int]]:
    """[start, end) of the runs of inked columns, runs closer than ``min_gap`` joined."""
    runs: list[list[int]] = []
    for x in np.nonzero(columns)[0]:
        if runs and x - runs[-1][1] < min_gap:
            runs[-1][1] = int(x) + 1
        else:
            runs.append([int(x), int(x) + 1])
    return [(a, b) for a, b in runs]


def join_wide(text: str) -> str:
    """Tesseract separates Chinese characters by spaces (Chinese text has none) and reads （） as 〈〉."""
    text = _SPACE_BETWEEN_WIDE.sub("", " ".join(text.split())).translate(_BRACKETS)
    return _NUMERAL_IN_BRACKETS.sub(r"（\1）", text)
