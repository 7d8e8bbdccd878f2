"""What a scanner gives: a text PDF rendered to page images and saved as an image-only PDF (or one page as PNG).

Used by ``bench.real`` (OCR figures) and the OCR tests; the images carry no text layer, so every character is
read back by OCR.
"""

from __future__ import annotations

import io

SCAN_DPI = 200  # a common office scanner setting; the OCR enlarges pages to 300 dpi


def _pages(pdf_bytes: bytes, dpi: int, pages: tuple[int, ...] = ()) -> list:  # type: ignore[type-arg]
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        numbers = pages or tuple(range(1, len(pdf) + 1))
        return [pdf[n - 1].render(scale=dpi / 72).to_pil().convert("L") for n in numbers]
    finally:
        pdf.close()


def image_only_pdf(pdf_bytes: bytes, dpi: int = SCAN_DPI) -> bytes:
    images = _pages(pdf_bytes, dpi)
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def page_png(pdf_bytes: bytes, page: int, dpi: int = SCAN_DPI) -> bytes:
    out = io.BytesIO()
    _pages(pdf_bytes, dpi, (page,))[0].save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()
