"""OCR of a layout it was not tuned on: check-set reports of ``bench.real`` (published text whose tables are
space-aligned lines, no ruling) laid out by LibreOffice as a PDF, rendered as a scan, and read back, compared cell by
cell with the reading of the text itself. ``python -m bench.ocr_unruled`` (needs LibreOffice and Tesseract)."""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from bench.ocr import compare
from bench.scans import image_only_pdf
from ingest import office
from ingest.pipeline import parse_bytes

REAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "real"
CHECK = ("suqian_city_2023.txt", "pingtan_2021.txt")  # bench.real's check set (every third file), never OCR'd before


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


def main() -> None:
    print("| file | cells the same | ambiguous | missing | **different** | metadata the same | seconds |")
    print("|---|---|---|---|---|---|---|")
    for name in CHECK:
        text = (REAL / name).read_text(encoding="utf-8")
        want = parse_bytes(name, text.encode("utf-8"))
        start = time.perf_counter()
        scan = parse_bytes("scan.pdf", image_only_pdf(as_pdf(text)))
        counts = compare(want, scan)
        total = sum(counts.values())
        meta = (scan.meta.agency, scan.meta.covers_year, scan.meta.template) == \
            (want.meta.agency, want.meta.covers_year, want.meta.template)
        print(f"| {name} | {counts['same']}/{total} ({100 * counts['same'] / total:.1f}%) | {counts['ambiguous']} | "
              f"{counts['missing']} | **{counts['differ']}** | {'是' if meta else '否'} | "
              f"{time.perf_counter() - start:.0f} |")


if __name__ == "__main__":
    main()
