"""OFD files (GB/T 33190, the national fixed-layout format) through ``ofdkit``.

Why ofdkit (compared on the registry, 2026-12): it reads the text objects of every page with their positions,
templates included, from the standard library alone (Apache-2.0, no dependencies). ``ofdreader`` 0.1.0 is an
empty wheel (metadata only); ``easyofd`` pulls in PyMuPDF (AGPL), reportlab and loguru and renders pages as
images rather than giving text with positions.

An OFD page has no table object: a table is ruling lines with text placed in its cells. So the runs of a page are
grouped into lines by baseline, left to right, and a gap of more than a character and a half becomes a tab: a table
row reads like a PDF grid row, a line of prose stays one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class OfdError(Exception):
    """An OFD file that cannot be read; ``reason`` is a Chinese sentence for users."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _Run(Protocol):
    text: str
    x: float
    y: float
    size: float
    width: float


SAME_LINE = 0.5  # baselines closer than this share of the font size are one line
SPACE_GAP = 0.25  # a gap wider than this share of the font size is a space …
CELL_GAP = 1.5  # … and wider than this one separates two cells (a tab)


def ofd_pages(data: bytes) -> list[list[str]]:
    """The text lines of each page, in reading order."""
    try:
        import ofdkit
    except ImportError as exc:
        raise OfdError("读取 OFD 文件需要安装 ofdkit（pip install ofdkit）") from exc
    try:
        with ofdkit.open(data) as document:
            return [page_lines(page.runs) for page in document.pages]
    except ofdkit.OFDLimitError as exc:
        raise OfdError("OFD 文件超出安全限制（部件过大或过多），无法读取") from exc
    except ofdkit.OFDError as exc:
        raise OfdError("OFD 文件已损坏或不是有效的 OFD 文件") from exc
    except Exception as exc:  # a malformed package can fail anywhere in the XML or the zip
        raise OfdError(f"OFD 文件内容损坏，无法读取（{type(exc).__name__}）") from exc


def page_lines(runs: Sequence[_Run]) -> list[str]:
    """Runs grouped into lines by baseline (top to bottom), each line's runs joined left to right."""
    lines: list[list[_Run]] = []
    for run in sorted((r for r in runs if r.text.strip()), key=lambda r: (r.y, r.x)):
        if lines and abs(run.y - lines[-1][0].y) < SAME_LINE * max(run.size, 1.0):
            lines[-1].append(run)
        else:
            lines.append([run])
    return [_joined(sorted(line, key=lambda r: r.x)) for line in lines]


def _joined(line: list[_Run]) -> str:
    out = line[0].text
    for before, run in zip(line, line[1:], strict=False):
        gap = run.x - (before.x + before.width)
        size = max(min(before.size, run.size), 1.0)
        out += ("\t" if gap > CELL_GAP * size else " " if gap > SPACE_GAP * size else "") + run.text
    return out
