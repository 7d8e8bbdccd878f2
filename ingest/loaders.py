"""File → :class:`Document` (normalised lines with page numbers). The only module that knows file formats.

Tables found as grids (PDF ruling lines, Word tables, HTML ``<table>``) are emitted as tab-separated lines in
reading order, so every later stage reads one kind of input: lines of text.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from core.records import Document
from ingest.normalize import clean_lines, looks_like_mojibake, repeated_headers
from ingest.ofd import OfdError, ofd_page_images, ofd_pages
from ingest.office import ConvertError, to_docx
from ingest.scanned import ScanError, image_pages, ocr_notes, pdf_page_images, read_pages

SUPPORTED_SUFFIXES = {".txt": "txt", ".md": "txt", ".text": "txt", ".pdf": "pdf", ".docx": "docx",
                      ".html": "html", ".htm": "html", ".png": "image", ".jpg": "image", ".jpeg": "image",
                      ".tif": "image", ".tiff": "image", ".bmp": "image", ".doc": "doc", ".wps": "doc",
                      ".ofd": "ofd"}
MAX_FILE_BYTES = 50 * 1024 * 1024


class LoadError(Exception):
    """A file that cannot be ingested; ``reason`` is a Chinese sentence for users."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def load_bytes(name: str, data: bytes) -> Document:
    kind = SUPPORTED_SUFFIXES.get(Path(name).suffix.lower())
    if kind is None:
        raise LoadError(f"不支持的文件类型“{Path(name).suffix or '无扩展名'}”，支持 PDF、OFD、Word(.docx/.doc)、WPS、HTML、TXT 和图片（PNG、JPG、TIFF）")
    if not data.strip():
        raise LoadError("文件为空")
    if len(data) > MAX_FILE_BYTES:
        raise LoadError(f"文件过大（超过 {MAX_FILE_BYTES // 1024 // 1024} MB）")
    loader = {"txt": _load_text, "pdf": _load_pdf, "docx": _load_docx, "html": _load_html, "image": _load_image,
              "doc": _load_doc, "ofd": _load_ofd}[kind]
    try:
        doc = loader(name, data)
    except (ScanError, ConvertError, OfdError) as exc:
        raise LoadError(exc.reason) from exc
    if not any(line.text.strip() for line in doc.lines):
        raise LoadError("文件中没有可提取的文字" + ("（文字识别也未读出内容）" if any("OCR" in w for w in doc.warnings) else ""))
    return doc


# ------------------------------------------------------------------------------------------------------- text

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes of Chinese text; returns (text, encoding). Raises LoadError rather than return mojibake."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in ("utf-16-le", "utf-16-be"):
        text = _strict(data, encoding)
        if text is not None and _plausible_chinese(text):
            return text, encoding
    text = _strict(data, "gb18030")
    if text is not None and not looks_like_mojibake(text):
        return text, "gb18030"
    repaired = data.decode("utf-8", errors="replace")
    bad = repaired.count("\ufffd")
    if bad <= max(3, len(repaired) // 1000) and not looks_like_mojibake(repaired):
        raise _Repaired(repaired, bad)
    guess = _charset_guess(data)
    if guess:
        return guess
    raise LoadError("无法识别文件的文字编码（不是 UTF-8、GBK/GB18030 或 UTF-16），请另存为 UTF-8 后再上传")


class _Repaired(Exception):
    """UTF-8 text with a few undecodable bytes: usable, but the user must be told."""

    def __init__(self, text: str, bad: int):
        super().__init__(text)
        self.text, self.bad = text, bad


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _plausible_chinese(text: str) -> bool:
    """Mostly common CJK, ASCII and punctuation, and reads as report prose (UTF-16 guesses on GBK bytes do not)."""
    sample = text[:20000]
    if not sample:
        return False
    ok = sum(1 for c in sample if c.isascii() or "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f"
             or "\uff00" <= c <= "\uffef" or "\u2e80" <= c <= "\u2fdf" or "\u3400" <= c <= "\u4dbf"
             or "\u2000" <= c <= "\u206f" or c == "\u00a0")
    return ok / len(sample) > 0.97 and not looks_like_mojibake(sample)


def _charset_guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    return None if looks_like_mojibake(text) or not _plausible_chinese(text) else (text, str(best.encoding))


def _load_text(name: str, data: bytes) -> Document:
    warnings: tuple[str, ...] = ()
    try:
        text, encoding = decode_text(data)
    except _Repaired as repaired:
        text, encoding = repaired.text, "utf-8"
        warnings = (f"文件中有 {repaired.bad} 处字节无法按 UTF-8 解码，已替换为“\ufffd”",)
    lines = clean_lines((line, None) for line in text.split("\n"))
    return Document(source=name, file_type="txt", lines=lines, encoding=encoding, warnings=warnings)


# ------------------------------------------------------------------------------------------------------- PDF


def _load_pdf(name: str, data: bytes) -> Document:
    import io

    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_pdf_page_lines(page) for page in pdf.pages]
            scans = [i + 1 for i, page in enumerate(pdf.pages) if not page.chars]
    except PDFPasswordIncorrect as exc:
        raise LoadError("PDF 文件已加密，无法读取") from exc
    except PDFSyntaxError as exc:
        raise LoadError("PDF 文件已损坏或不是有效的 PDF") from exc
    except Exception as exc:  # pdfminer raises many types for broken files; pdfplumber wraps them
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
        if isinstance(inner, PDFPasswordIncorrect) or "encrypt" in repr(inner).lower():
            raise LoadError("PDF 文件已加密，无法读取") from exc
        if isinstance(inner, PDFSyntaxError):
            raise LoadError("PDF 文件已损坏或不是有效的 PDF") from exc
        raise LoadError(f"PDF 文件无法读取（{type(exc).__name__}）") from exc
    ocr, warnings = read_pages(name, pdf_page_images(data, scans), len(scans)) if scans else ({}, [])
    for number, page in ocr.items():
        pages[number - 1] = [line.text for line in page.lines]
    if scans:
        warnings.insert(0, f"第{_page_list(scans)}页是扫描图像，已通过文字识别（OCR）读取；识别不确定的数字不作为数值")
    pages = [_drop_bare_page_number(lines, i + 1) for i, lines in enumerate(pages)]
    headers = repeated_headers(pages)
    raw = [(text, i + 1) for i, lines in enumerate(pages) for text in lines]
    return Document(source=name, file_type="pdf", lines=clean_lines(raw, headers), pages=len(pages),
                    warnings=tuple(warnings), ocr=ocr_notes(ocr))


def _load_ofd(name: str, data: bytes) -> Document:
    pages = ofd_pages(data)
    empty = [i + 1 for i, lines in enumerate(pages) if not lines]
    scanned = {number: image for number, image in ofd_page_images(data, empty)} if empty else {}
    ocr, warnings = read_pages(name, iter(scanned.items()), len(scanned)) if scanned else ({}, [])
    for number, page in ocr.items():
        pages[number - 1] = [line.text for line in page.lines]
    if scanned:
        warnings.insert(0, f"第{_page_list(sorted(scanned))}页是扫描图像，已通过文字识别（OCR）读取；识别不确定的数字不作为数值")
    unread = [n for n in empty if n not in scanned]
    if unread and len(unread) < len(pages):
        warnings.append(f"第{_page_list(unread)}页没有文字对象，也没有可识别的图像，未能读取")
    if pages and len(unread) == len(pages):
        raise OfdError("OFD 文件中没有文字对象，也没有可识别的扫描图像")
    pages = [_drop_bare_page_number(lines, i + 1) for i, lines in enumerate(pages)]
    raw = [(text, i + 1) for i, lines in enumerate(pages) for text in lines]
    return Document(source=name, file_type="ofd", lines=clean_lines(raw, repeated_headers(pages)), pages=len(pages),
                    warnings=tuple(warnings), ocr=ocr_notes(ocr))


def _page_list(pages: list[int]) -> str:
    if len(pages) > 3 and pages == list(range(pages[0], pages[-1] + 1)):
        return f"{pages[0]}—{pages[-1]}"
    return "、".join(str(p) for p in pages)


def _load_image(name: str, data: bytes) -> Document:
    frames = list(image_pages(data))
    ocr, warnings = read_pages(name, enumerate(frames, 1), len(frames))
    pages = [_drop_bare_page_number([line.text for line in ocr[n].lines], n) for n in sorted(ocr)]
    raw = [(text, i + 1) for i, lines in enumerate(pages) for text in lines]
    warnings.insert(0, "图片文件，已通过文字识别（OCR）读取；识别不确定的数字不作为数值")
    return Document(source=name, file_type="image", lines=clean_lines(raw, repeated_headers(pages)),
                    pages=len(pages), warnings=tuple(warnings), ocr=ocr_notes(ocr))


def _pdf_page_lines(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Text lines of one page in reading order, with real table grids replaced by tab-separated rows."""
    grids = [t for t in page.find_tables() if _is_data_grid(t.extract())]
    boxes = [t.bbox for t in grids]
    items: list[tuple[float, int, str]] = []
    for line in page.extract_text_lines(return_chars=False):
        middle = (line["top"] + line["bottom"]) / 2
        if not any(x0 - 1 <= line["x0"] <= x1 + 1 and top <= middle <= bottom for x0, top, x1, bottom in boxes):
            items.append((line["top"], 0, line["text"]))
    for table in grids:
        for i, row in enumerate(table.extract()):
            filled = [c for c in row if c and c.strip()]
            text = _join_wrapped(filled[0]) if len(filled) == 1 and row[0] else grid_row_text(row)
            items.append((table.bbox[1] + i * 1e-3, 1, text))  # a one-cell row in a frame is body text
    items.sort(key=lambda item: (item[0], item[1]))
    return [text for _, _, text in items]


def _is_data_grid(rows: list[list[str | None]]) -> bool:
    """A ruled grid with numbers in several columns (not a one-column frame around body text)."""
    width = max((len(r) for r in rows), default=0)
    if width < 2:
        return False
    numeric = sum(1 for r in rows for c in r[1:] if c and re.fullmatch(r"\s*-?\d[\d.,]*\s*", c))
    return numeric >= 1


def grid_row_text(cells: list[str | None]) -> str:
    """One grid row as a tab-separated line; line breaks inside a cell are joined (Chinese wraps anywhere)."""
    return "\t".join(_join_wrapped(c or "") for c in cells)


def _join_wrapped(text: str) -> str:
    parts = [p.strip() for p in text.replace("\r", "\n").split("\n")]
    out = ""
    for part in parts:
        if out and part and out[-1].isascii() and part[0].isascii() and out[-1].isalnum() and part[0].isalnum():
            out += " "
        out += part
    return out


def _drop_bare_page_number(lines: list[str], page_no: int) -> list[str]:
    """A bare number as the last line of a PDF page is its page number (the text loader keeps bare numbers)."""
    if lines and re.fullmatch(r"\s*\d{1,4}\s*", lines[-1]) and abs(int(lines[-1]) - page_no) <= 5:
        return lines[:-1]
    return lines


# ------------------------------------------------------------------------------------------------------- DOCX


def _load_docx(name: str, data: bytes) -> Document:
    import io
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        raw: list[str] = []
        for block in document.element.body.iterchildren():
            tag = block.tag.rsplit("}", 1)[-1]
            if tag == "p":
                raw.extend(Paragraph(block, document).text.split("\n"))
            elif tag == "tbl":
                raw.extend(_docx_table_lines(Table(block, document)))
    except (zipfile.BadZipFile, KeyError) as exc:
        raise LoadError("Word 文件已损坏或不是 .docx 格式（旧的 .doc 请先另存为 .docx）") from exc
    except Exception as exc:  # python-docx/lxml raise many types for malformed documents
        raise LoadError(f"Word 文件内容损坏，无法读取（{type(exc).__name__}）") from exc
    return Document(source=name, file_type="docx", lines=clean_lines((t, None) for t in raw))


def _load_doc(name: str, data: bytes) -> Document:
    """.doc/.wps: converted to DOCX by LibreOffice, then read as a DOCX."""
    from dataclasses import replace

    doc = _load_docx(name, to_docx(name, data))
    return replace(doc, file_type=Path(name).suffix.lower().lstrip("."))


def _docx_table_lines(table) -> list[str]:  # type: ignore[no-untyped-def]
    """Rows as tab lines from the XML cells (w:tc) themselves: a cell spanning columns (gridSpan) keeps its width
    as empty fields; a vertically merged continuation cell is empty. Robust to tables split by page breaks."""
    lines = []
    for tr in table._tbl.tr_lst:
        cells: list[str] = []
        for tc in tr.tc_lst:
            merged = tc.vMerge == "continue"
            cells.append("" if merged else "\n".join(p.text for p in _paragraphs(tc)))
            cells.extend([""] * (max(1, tc.grid_span) - 1))
        lines.append(grid_row_text(cells))
    return lines


def _paragraphs(tc):  # type: ignore[no-untyped-def]
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, None) for p in tc.p_lst]


# ------------------------------------------------------------------------------------------------------- HTML

_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
               "header", "footer", "blockquote", "pre", "dt", "dd")


def _load_html(name: str, data: bytes) -> Document:
    from bs4 import BeautifulSoup

    text, encoding = _decode_html(data)
    soup = BeautifulSoup(text, "lxml")
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    layout = {id(t) for t in soup.find_all("table") if t.find("table") is not None}
    for table in reversed(soup.find_all("table")):  # innermost first: data grids become tab lines
        if id(table) in layout:
            for cell in table.find_all(["td", "th"]):  # a layout table: its cells are blocks of text
                cell.insert_before("\n")
                cell.insert_after("\n")
            continue
        table.replace_with(soup.new_string("\n" + "\n".join(_html_table_lines(table)) + "\n"))
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    raw = soup.get_text().split("\n")
    return Document(source=name, file_type="html", lines=clean_lines((t, None) for t in raw), encoding=encoding)


def _html_table_lines(table) -> list[str]:  # type: ignore[no-untyped-def]
    lines = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        cells: list[str] = []
        for cell in tr.find_all(["td", "th"], recursive=False):
            cells.append(" ".join(cell.get_text(" ").split()))
            span = int(re.sub(r"\D", "", str(cell.get("colspan", "1"))) or 1)
            cells.extend([""] * (min(span, 50) - 1))
        lines.append(grid_row_text(cells))
    return lines


def _decode_html(data: bytes) -> tuple[str, str]:
    head = data[:4096].decode("ascii", errors="ignore")
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", head, re.IGNORECASE)
    if match:
        declared = match.group(1).lower()
        declared = "gb18030" if declared in ("gb2312", "gbk", "gb18030") else declared
        try:
            text = data.decode(declared)
            if not looks_like_mojibake(text):
                return text, declared
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)
