"""OFD (GB/T 33190) files: made here from real reports' content by tests/ingest/ofd_writer.py, read by ofdkit."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from ingest.loaders import LoadError, load_bytes
from ingest.ofd import page_lines
from ingest.pipeline import parse_bytes
from tests.ingest.ofd_writer import ofd_bytes

REAL = Path(__file__).resolve().parents[1] / "data" / "real"


def _cells(report) -> dict:  # type: ignore[no-untyped-def]
    return {c.key: (c.status, c.value) for c in report.cells}


@lru_cache(maxsize=1)
def _suqian() -> tuple[bytes, bytes]:
    """The DOCX and the OFD of one real report's published text, a paragraph (an OFD line) per line."""
    import docx

    lines = (REAL / "suqian_city_2024.txt").read_text(encoding="utf-8").split("\n")
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), ofd_bytes(lines)


def test_an_ofd_of_a_real_report_gives_the_same_cells_as_its_docx() -> None:
    docx_bytes, ofd = _suqian()
    want, got = parse_bytes("report.docx", docx_bytes), parse_bytes("report.ofd", ofd)
    assert got.file_type == "ofd"
    assert (got.meta.agency, got.meta.covers_year, got.meta.template) == \
        (want.meta.agency, want.meta.covers_year, want.meta.template) == ("宿迁市", 2024, "2021")
    assert len(want.cells) == 200 and _cells(got) == _cells(want)


def test_an_ofd_laid_out_like_a_real_pdf_gives_the_pdfs_cells() -> None:
    data = (REAL / "huaian_city_2024.pdf").read_bytes()
    want = parse_bytes("huaian.pdf", data)
    lines = [line.text for line in load_bytes("huaian.pdf", data).lines]  # table rows: cells side by side
    got = parse_bytes("huaian.ofd", ofd_bytes(lines))
    assert got.meta.agency == want.meta.agency and got.meta.covers_year == 2024
    assert len(want.cells) == 200 and _cells(got) == _cells(want)


def test_pages_and_their_numbers() -> None:
    doc = load_bytes("x.ofd", ofd_bytes([f"第{i}行文字" for i in range(1, 91)]))
    assert doc.pages == 3
    assert [line.text for line in doc.lines][:2] == ["第1行文字", "第2行文字"]
    assert not any(line.text in ("1", "2", "3") for line in doc.lines)  # the page numbers at the foot
    assert {line.page for line in doc.lines} == {1, 2, 3}


@dataclass(frozen=True)
class Run:
    text: str
    x: float
    y: float
    size: float = 3.5
    width: float = 7.0


def test_runs_become_lines_with_cells_apart() -> None:
    runs = [Run("3440", 80, 50.1), Run("本年新收", 20, 50), Run("75", 100, 49.9), Run("下一行", 20, 56),
            Run("隔开", 28.5, 56), Run("紧挨", 35.6, 56)]  # widths 7 mm: gaps 1.5 mm (a space) and 0.1 mm (none)
    assert page_lines(runs) == ["本年新收\t3440\t75", "下一行 隔开紧挨"]


@pytest.mark.parametrize("data, reason", [
    (b"PK\x03\x04 not really a zip", "已损坏|无法读取"),
    (None, "已损坏"),  # a zip without OFD.xml
])
def test_a_broken_ofd_fails_with_a_chinese_reason(data: bytes | None, reason: str) -> None:
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("Doc_0/Document.xml", "<x/>")
        data = buffer.getvalue()
    with pytest.raises(LoadError, match=reason):
        load_bytes("broken.ofd", data)


def test_an_ofd_without_text_objects_says_so() -> None:
    with pytest.raises(LoadError, match="没有文字对象"):
        load_bytes("scan.ofd", ofd_bytes([], page_numbers=False))
