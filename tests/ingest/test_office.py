"""Old Word (.doc) and WPS files through LibreOffice headless. Skipped without LibreOffice, except under CI."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

from ingest import office
from ingest.loaders import LoadError, load_bytes
from ingest.pipeline import parse_bytes

REAL = Path(__file__).resolve().parents[1] / "data" / "real" / "suqian_city_2024.txt"
needs_soffice = pytest.mark.skipif(office.soffice() is None and "CI" not in os.environ,
                                   reason="LibreOffice is not installed")


@lru_cache(maxsize=1)
def _docx_and_doc() -> tuple[bytes, bytes]:
    """A DOCX of a real report's text, one paragraph a line as published, and the .doc LibreOffice saves of it."""
    import tempfile

    import docx

    document = docx.Document()
    for line in REAL.read_text(encoding="utf-8").split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.docx"
        source.write_bytes(buffer.getvalue())
        subprocess.run([str(office.soffice()), "--headless", f"-env:UserInstallation=file://{folder}/profile",
                        "--convert-to", "doc", "--outdir", folder, str(source)], check=True, timeout=180,
                       capture_output=True)
        return buffer.getvalue(), (Path(folder) / "report.doc").read_bytes()


@needs_soffice
@pytest.mark.parametrize("suffix", [".doc", ".wps"])  # a WPS file is read by the same Word filter
def test_doc_and_wps_give_the_same_report_as_the_docx(suffix: str) -> None:
    docx_bytes, doc_bytes = _docx_and_doc()
    want = parse_bytes("report.docx", docx_bytes)
    got = parse_bytes("report" + suffix, doc_bytes)
    assert got.file_type == suffix.lstrip(".")
    assert (got.meta.agency, got.meta.covers_year, got.meta.template) == \
        (want.meta.agency, want.meta.covers_year, want.meta.template)
    assert len(want.cells) == 200
    assert {c.key: (c.status, c.value) for c in got.cells} == {c.key: (c.status, c.value) for c in want.cells}


@needs_soffice
def test_a_corrupt_doc_fails_with_a_chinese_reason() -> None:
    with pytest.raises(LoadError, match="已损坏|无法转换"):
        load_bytes("broken.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500)


def test_a_converter_that_hangs_is_stopped(tmp_path: Path) -> None:
    hang = tmp_path / "soffice"
    hang.write_text("#!/bin/sh\nsleep 60\n")
    hang.chmod(0o755)
    with pytest.raises(office.ConvertError, match="转换超时"):
        office.to_docx("x.doc", b"data", seconds=0.5, command=str(hang))
    assert not list(Path("/tmp").glob("govqa-convert-*/input.doc"))  # the temp folder is gone


def test_without_libreoffice_the_reason_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(LoadError, match="libreoffice-writer-nogui"):
        load_bytes("old.doc", b"\xd0\xcf\x11\xe0 some bytes")
