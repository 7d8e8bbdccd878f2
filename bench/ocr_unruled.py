"""OCR of tables without ruling lines, compared cell by cell with the reading of the source itself:

* real reports' published text (space-aligned tables) laid out by LibreOffice as a PDF and rendered as a scan;
* the real text PDFs rendered as scans with their ruling lines whitened (the PDF's own layout, no grid to follow).

``python -m bench.ocr_unruled`` (needs LibreOffice and Tesseract). The reader was developed on the *tune* rows;
the *check* row is a report it was never run on before its figure was taken.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
import time
from pathlib import Path

from bench.ocr import compare
from bench.scans import SCAN_DPI, _pages, image_only_pdf
from ingest import office
from ingest.pipeline import parse_bytes

REAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "real"
#: (file, how the scan is made, set)
CASES = (("suqian_city_2023.txt", "text", "tune"), ("pingtan_2021.txt", "text", "tune"),
         ("suqian_city_2024.txt", "text", "check"),
         ("hongze_district_2023.pdf", "unlined", "tune"), ("hongze_district_2024.pdf", "unlined", "tune"),
         ("huaian_city_2024.pdf", "unlined", "tune"))


def as_pdf(text: str) -> bytes:
    """The text as a Word document, a paragraph a line (9 pt), saved as PDF by LibreOffice."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(9)  # type: ignore[union-attr]
    for line in text.split("\n"):
        document.add_paragraph(line)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.docx"
        document.save(str(source))
        subprocess.run([str(office.soffice()), "--headless", f"-env:UserInstallation=file://{folder}/profile",
                        "--convert-to", "pdf", "--outdir", folder, str(source)], check=True, capture_output=True,
                       timeout=180)
        return (Path(folder) / "report.pdf").read_bytes()


def unlined_scan(pdf: bytes, dpi: int = SCAN_DPI) -> bytes:
    """The PDF's pages as a scan with every ruling line whitened: an image-only PDF."""
    import numpy as np
    from PIL import Image

    from ingest.scan import erase_rules, page_rules

    pages = []
    for image in _pages(pdf, dpi):
        gray = np.asarray(image)
        pages.append(Image.fromarray(erase_rules(gray, *page_rules(gray))))
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return out.getvalue()


def main() -> None:
    print("| file | scan | set | cells the same | ambiguous | missing | **different** | metadata the same | seconds |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, kind, which in CASES:
        data = (REAL / name).read_bytes()
        want = parse_bytes(name, data)
        start = time.perf_counter()
        scan_pdf = image_only_pdf(as_pdf(data.decode("utf-8"))) if kind == "text" else unlined_scan(data)
        scan = parse_bytes("scan.pdf", scan_pdf)
        counts = compare(want, scan)
        total = sum(counts.values())
        meta = (scan.meta.agency, scan.meta.covers_year, scan.meta.template) == \
            (want.meta.agency, want.meta.covers_year, want.meta.template)
        how = "文本排版后扫描" if kind == "text" else "PDF 去掉表格线后扫描"
        print(f"| {name} | {how} | {which} | {counts['same']}/{total} ({100 * counts['same'] / total:.1f}%) | "
              f"{counts['ambiguous']} | {counts['missing']} | **{counts['differ']}** | {'是' if meta else '否'} | "
              f"{time.perf_counter() - start:.0f} |")


if __name__ == "__main__":
    main()
