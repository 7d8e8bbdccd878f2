"""A minimal OFD writer for tests (GB/T 33190: OFD.xml → Document.xml → one Content.xml per page, text objects
placed in millimetres), so OFD reading is tested on a real report's content without a third-party writer."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"
SIZE = 3.5  # mm, about 10 pt
LEFT, TOP, LEADING = 20.0, 25.0, 6.0
CELL_GAP = 8.0  # mm between the cells of a table row (ruled tables leave room around their text)
LINES_PER_PAGE = 40


def _width(text: str) -> float:
    return sum(SIZE if unicodedata.east_asian_width(c) in ("W", "F") else SIZE / 2 for c in text)


def cells_of(line: str) -> list[str]:
    """A published text line as the cells an OFD would place apart: runs of two or more spaces or a tab split it."""
    return [c for c in re.split(r"\t| {2,}", line.strip()) if c] or [""]


def ofd_bytes(lines: Sequence[str], page_numbers: bool = True) -> bytes:
    """An OFD of ``lines``: one text object per cell, cells of a line side by side, a page number at the foot."""
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    next_id = iter(range(10, 10**9))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.1" '
                   'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>test</ofd:DocID></ofd:DocInfo>'
                   "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
        refs = "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
        z.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}">'
                   "<ofd:CommonData><ofd:MaxUnitID>1</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297"
                   "</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
                   f"<ofd:Pages>{refs}</ofd:Pages></ofd:Document>")
        z.writestr("Doc_0/PublicRes.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" '
                   'BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')
        for number, page in enumerate(pages):
            objects = []
            for row, line in enumerate(page):
                y = TOP + row * LEADING
                x = LEFT
                for cell in cells_of(line):
                    if cell:
                        objects.append(_text_object(next(next_id), x, y, cell))
                    x += _width(cell) + CELL_GAP
            if page_numbers:
                objects.append(_text_object(next(next_id), 103.0, 280.0, str(number + 1)))
            z.writestr(f"Doc_0/Pages/Page_{number}/Content.xml",
                       f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
                       f'<ofd:Layer ID="{next(next_id)}">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>')
    return out.getvalue()


def _text_object(object_id: int, x: float, y: float, text: str) -> str:
    deltas = " ".join(f"{SIZE if unicodedata.east_asian_width(c) in ('W', 'F') else SIZE / 2:g}" for c in text[:-1])
    delta = f' DeltaX="{deltas}"' if deltas else ""
    return (f'<ofd:TextObject ID="{object_id}" Boundary="{x:.2f} {y:.2f} {_width(text) + 1:.2f} {SIZE * 1.4:.2f}" '
            f'Font="2" Size="{SIZE}"><ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{SIZE:g}"{delta}>'
            f"{escape(text)}</ofd:TextCode></ofd:TextObject>")


def image_ofd_bytes(pngs: Sequence[bytes], text_pages: Sequence[Sequence[str]] = ()) -> bytes:
    """An OFD as a scanner writes it: each page one image object filling the page (the PNGs as MultiMedia of the
    document's resources, BaseLoc "Res"), after ``text_pages`` of text objects if any."""
    out = io.BytesIO()
    total = len(text_pages) + len(pngs)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.1" '
                   'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>scan</ofd:DocID></ofd:DocInfo>'
                   "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
        refs = "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(total))
        z.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}">'
                   "<ofd:CommonData><ofd:MaxUnitID>1</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297"
                   "</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
                   "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData>"
                   f"<ofd:Pages>{refs}</ofd:Pages></ofd:Document>")
        z.writestr("Doc_0/PublicRes.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" '
                   'BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')
        media = "".join(f'<ofd:MultiMedia ID="{100 + i}" Type="Image" Format="PNG"><ofd:MediaFile>page_{i}.png'
                        "</ofd:MediaFile></ofd:MultiMedia>" for i in range(len(pngs)))
        z.writestr("Doc_0/DocumentRes.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" '
                   f'BaseLoc="Res"><ofd:MultiMedias>{media}</ofd:MultiMedias></ofd:Res>')
        for i, png in enumerate(pngs):
            z.writestr(f"Doc_0/Res/page_{i}.png", png)
        for number in range(total):
            if number < len(text_pages):
                objects = "".join(_text_object(1000 + number * 100 + row, LEFT, TOP + row * LEADING, line)
                                  for row, line in enumerate(text_pages[number]) if line)
            else:
                objects = (f'<ofd:ImageObject ID="{500 + number}" ResourceID="{100 + number - len(text_pages)}" '
                           'Boundary="0 0 210 297" CTM="210 0 0 297 0 0"/>')
            z.writestr(f"Doc_0/Pages/Page_{number}/Content.xml",
                       f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
                       f'<ofd:Layer ID="{900 + number}">{objects}</ofd:Layer></ofd:Content></ofd:Page>')
    return out.getvalue()
