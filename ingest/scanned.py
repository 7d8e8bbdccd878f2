"""Scans → lines: image files, and the PDF pages that have no text layer, rendered and read by OCR.

Page images come from Pillow (PNG, JPEG, multi-page TIFF) or are rendered from the PDF with pypdfium2 (it comes
with pdfplumber) at 300 dpi. Each page is read by :func:`ingest.ocr.read_page` within a time limit; progress goes
to the ``ingest.scanned`` logger, one message a page.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from core.records import OcrNote
from ingest.ocr import OcrPage, OcrUnavailable, read_page

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)
RENDER_DPI = 300
PAGE_SECONDS = float(os.environ.get("GOVQA_OCR_PAGE_SECONDS", "120"))  # the time limit for reading one page
MAX_PAGES = 200


class ScanError(Exception):
    """A scan that cannot be read; ``reason`` is Chinese, for users."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def image_pages(data: bytes) -> Iterator[Image]:
    """The frames of an image file (a TIFF may hold many pages)."""
    from PIL import Image as PILImage
    from PIL import ImageSequence, UnidentifiedImageError

    try:
        picture = PILImage.open(io.BytesIO(data))
        picture.load()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ScanError("图片文件已损坏或格式无法识别") from exc
    for frame in ImageSequence.Iterator(picture):
        yield frame.copy()


def pdf_page_images(data: bytes, pages: Sequence[int]) -> Iterator[tuple[int, Image]]:
    """(page number, image) for the given 1-based pages of a PDF."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ScanError("PDF 文件已损坏，无法渲染页面进行文字识别") from exc
    try:
        for number in pages:
            yield number, pdf[number - 1].render(scale=RENDER_DPI / 72).to_pil()
    finally:
        pdf.close()


def read_pages(name: str, images: Iterator[tuple[int, Image]], total: int) -> tuple[dict[int, OcrPage], list[str]]:
    """OCR of each page; (pages by number, warnings). Raises ScanError when OCR is not installed."""
    out: dict[int, OcrPage] = {}
    warnings: list[str] = []
    try:
        for done, (number, image) in enumerate(images, 1):
            if done > MAX_PAGES:
                warnings.append(f"扫描页超过 {MAX_PAGES} 页，其余页未识别")
                break
            page = read_page(image, PAGE_SECONDS)
            out[number] = page
            log.info("文字识别 %s：第 %d/%d 页，%.1f 秒", name, done, total, page.seconds,
                     extra={"page_done": done, "page_total": total})  # for progress bars (ui/service.py)
            if page.timed_out:
                warnings.append(f"第{number}页文字识别超时（超过 {PAGE_SECONDS:.0f} 秒），该页部分内容未识别")
    except OcrUnavailable as exc:
        raise ScanError(str(exc)) from exc
    return out, warnings


def ocr_notes(pages: dict[int, OcrPage]) -> tuple[OcrNote, ...]:
    return tuple(OcrNote(number, line.text, line.confidence, line.columns_known) for number, page in sorted(pages.items())
                 for line in page.lines if line.confidence is not None)
