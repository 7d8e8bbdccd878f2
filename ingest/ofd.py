"""OFD files (GB/T 33190, the national fixed-layout format) through ``ofdkit``.

Why ofdkit (compared on the registry, 2026-12): it reads the text objects of every page with their positions,
templates included, from the standard library alone (Apache-2.0, no dependencies). ``ofdreader`` 0.1.0 is an
empty wheel (metadata only); ``easyofd`` pulls in PyMuPDF (AGPL), reportlab and loguru and renders pages as
images rather than giving text with positions.

A scanned OFD holds each page as an image object; ofdkit reads text only, so :func:`ofd_page_images` finds those
images itself (the package's Document.xml → its resource files' MultiMedia → the page's ImageObject, by the
standard's paths) and hands the largest image of each page to OCR.

An OFD page has no table object: a table is ruling lines with text placed in its cells. So the runs of a page are
grouped into lines by baseline, left to right, and a gap of more than a character and a half becomes a tab: a table
row reads like a PDF grid row, a line of prose stays one line.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Protocol
from xml.etree import ElementTree

if TYPE_CHECKING:
    from PIL.Image import Image


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


# ------------------------------------------------------------------------------------------ scanned pages

def ofd_page_images(data: bytes, pages: Sequence[int]) -> Iterator[tuple[int, Image]]:
    """(page number, image) for the given 1-based pages: the largest image object placed on each page (a scan is one
    image a page); a page without one is skipped."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = {_norm(n): n for n in package.namelist()}
        root = _xml(package, names, "OFD.xml")
        document = _text(root, "DocBody/DocRoot")
        doc = _xml(package, names, document)
        media: dict[str, str] = {}
        for res in _all(doc, "CommonData/PublicRes") + _all(doc, "CommonData/DocumentRes"):
            media.update(_media(package, names, _resolve(document, res)))
        locations = [_resolve(document, page.get("BaseLoc") or "") for page in _all_elements(doc, "Pages/Page")]
        for number in pages:
            if not 1 <= number <= len(locations):
                continue
            content = _xml(package, names, locations[number - 1])
            for res in _all(content, "PageRes"):
                media.update(_media(package, names, _resolve(locations[number - 1], res)))
            placed = [(_area(obj.get("Boundary") or ""), media.get((obj.get("ResourceID") or "").strip()))
                      for obj in content.iter() if _local(obj.tag) == "ImageObject"]
            found = [path for _, path in sorted(placed, key=lambda ap: -ap[0]) if path and _norm(path) in names]
            if found:
                with package.open(names[_norm(found[0])]) as f:
                    picture = PILImage.open(io.BytesIO(f.read()))
                    picture.load()
                yield number, picture
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, UnidentifiedImageError, OSError) as exc:
        raise OfdError("OFD 文件中的扫描图像已损坏，无法进行文字识别") from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _all_elements(root: ElementTree.Element, path: str) -> list[ElementTree.Element]:
    found = [root]
    for step in path.split("/"):
        found = [child for node in found for child in node if _local(child.tag) == step]
    return found


def _all(root: ElementTree.Element, path: str) -> list[str]:
    return [(e.text or "").strip() for e in _all_elements(root, path) if (e.text or "").strip()]


def _text(root: ElementTree.Element, path: str) -> str:
    found = _all(root, path)
    if not found:
        raise KeyError(path)
    return found[0]


def _norm(path: str) -> str:
    return posixpath.normpath(path.replace("\\", "/").lstrip("/")).lower()


def _resolve(base_file: str, location: str) -> str:
    """A path as the standard writes it: absolute from the package root, or relative to the file that names it."""
    location = location.strip().replace("\\", "/")
    if location.startswith("/"):
        return location.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_file), location))


def _xml(package: zipfile.ZipFile, names: dict[str, str], path: str) -> ElementTree.Element:
    with package.open(names[_norm(path)]) as f:
        return ElementTree.fromstring(f.read())


def _media(package: zipfile.ZipFile, names: dict[str, str], res_path: str) -> dict[str, str]:
    """MultiMedia ID → the media file's path in the package, from one resource file (its BaseLoc a folder)."""
    if _norm(res_path) not in names:
        return {}
    res = _xml(package, names, res_path)
    folder = _resolve(res_path, posixpath.join(res.get("BaseLoc") or ".", "_"))  # a file inside BaseLoc
    out = {}
    for item in _all_elements(res, "MultiMedias/MultiMedia"):
        files = [(e.text or "").strip() for e in item if _local(e.tag) == "MediaFile"]
        if files and files[0] and item.get("ID"):
            out[item.get("ID", "").strip()] = _resolve(folder, files[0])
    return out


def _area(boundary: str) -> float:
    try:
        _, _, width, height = (float(v) for v in boundary.split())
    except ValueError:
        return 0.0
    return width * height
