"""Loaders: encodings, PDF pages and grids, Word and HTML tables, and clear refusals."""

from __future__ import annotations

import io

import pytest

from ingest.loaders import LoadError, decode_text, load_bytes
from tests.golden import REAL, SAMPLES

TEXT = "宿迁市2023年政府信息公开工作年度报告\n一、总体情况\n全年共收到政府信息公开申请21件。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"])
def test_text_encodings_are_detected(encoding: str) -> None:
    data = TEXT.encode(encoding)
    text, _ = decode_text(data)
    assert text.lstrip("\ufeff") == TEXT


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16-le", "utf-16-be"])
def test_whole_reports_in_other_encodings_read_the_same(encoding: str) -> None:
    original = (SAMPLES / "000_7061442731bc0513.txt").read_text(encoding="utf-8")
    text, detected = decode_text(original.encode(encoding))
    assert (text, detected) == (original, encoding)


def test_utf8_with_a_stray_byte_is_read_with_a_warning() -> None:
    data = (SAMPLES / "003_20272e85d49a1cc6.txt").read_bytes()
    data = data[:500] + b"\xff" + data[500:]
    doc = load_bytes("r.txt", data)
    assert doc.encoding == "utf-8" and any("无法按 UTF-8 解码" in w for w in doc.warnings)


def test_undecodable_bytes_are_refused_not_turned_into_mojibake() -> None:
    data = bytes(range(128, 256)) * 40
    with pytest.raises(LoadError) as err:
        decode_text(data)
    assert "编码" in err.value.reason


def test_big5_text_is_not_silently_read_as_gbk() -> None:
    data = ("政府資訊公開工作年度報告，本年度共收到申請二十一件。" * 20).encode("big5")
    try:
        text, encoding = decode_text(data)
    except LoadError:
        return
    assert "報告" in text, f"decoded as {encoding} into mojibake"


def test_unsupported_and_empty_files() -> None:
    with pytest.raises(LoadError, match="不支持的文件类型"):
        load_bytes("report.xls", b"\xd0\xcf\x11\xe0")
    with pytest.raises(LoadError, match="文件为空"):
        load_bytes("report.txt", b"  \n")


def test_pdf_keeps_pages_and_turns_grids_into_tab_rows() -> None:
    doc = load_bytes("hongze_district_2024.pdf", (REAL / "hongze_district_2024.pdf").read_bytes())
    assert doc.pages == 5
    rows = [ln for ln in doc.lines if ln.text.startswith("一、本年新收政府信息公开申请数量")]
    assert len(rows) == 1 and rows[0].page == 3 and rows[0].text.split("\t")[-1] == "95"
    assert not [ln for ln in doc.lines if ln.text.strip() in ("- 3 -", "- 4 -")]
    # 表三 continues on page 4 in the same stream of lines
    assert any(ln.page == 4 and ln.text.startswith("\t（七）总计") for ln in doc.lines)


def test_encrypted_pdf_is_refused() -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(LoadError, match="加密"):
        load_bytes("locked.pdf", buffer.getvalue())


def test_pdf_page_without_text_is_read_by_ocr_and_a_blank_one_refused() -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(LoadError, match="文字识别也未读出内容|未安装文字识别组件"):
        load_bytes("scan.pdf", buffer.getvalue())


def test_docx_paragraphs_and_tables_in_order() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("二、主动公开政府信息情况")
    table = document.add_table(rows=3, cols=4)
    for r, row in enumerate([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "0", "0", ""],
                             ["行政规范性文件", "3", "1", "8"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    merged = document.add_table(rows=1, cols=3)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "合并"
    merged.cell(0, 2).text = "5"
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    buffer = io.BytesIO()
    document.save(buffer)
    lines = [ln.text for ln in load_bytes("r.docx", buffer.getvalue()).lines]
    assert lines[0] == "二、主动公开政府信息情况"
    assert "规章\t0\t0\t" in lines and "行政规范性文件\t3\t1\t8" in lines
    assert "合并\t\t5" in lines  # a merged cell is one field, its width kept
    assert lines[-1] == "三、收到和处理政府信息公开申请情况"


def test_broken_docx_is_refused() -> None:
    with pytest.raises(LoadError, match="Word"):
        load_bytes("r.docx", b"PK\x03\x04 not a zip")


def test_docx_with_malformed_xml_is_refused_not_a_crash() -> None:
    import zipfile

    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    broken = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data.replace(b"</w:body>", b"<w:p><w:r></w:body>") if "document.xml" in
                         item.filename else data)
    with pytest.raises(LoadError, match="Word"):
        load_bytes("r.docx", broken.getvalue())


def test_docx_vertical_merges_and_spans_keep_the_grid() -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "三、本年度办理结果"  # vertical merge
    table.cell(0, 1).text, table.cell(0, 2).text, table.cell(0, 3).text = "（一）予以公开", "1", "1"
    table.cell(1, 1).text, table.cell(1, 2).text, table.cell(1, 3).text = "（二）部分公开", "2", "2"
    table.cell(2, 0).merge(table.cell(2, 1)).text = "四、结转下年度继续办理"  # horizontal span
    table.cell(2, 2).text, table.cell(2, 3).text = "0", "0"
    buffer = io.BytesIO()
    document.save(buffer)
    lines = [ln.text for ln in load_bytes("r.docx", buffer.getvalue()).lines if ln.text.strip()]
    assert lines == ["三、本年度办理结果\t（一）予以公开\t1\t1", "\t（二）部分公开\t2\t2", "四、结转下年度继续办理\t\t0\t0"]


def test_html_layout_tables_around_data_tables() -> None:
    html = ("<html><body><table><tr><td><p>某某局2021年政府信息公开工作年度报告</p><p>一、总体情况</p>"
            "<table><tr><td>行政许可</td><td>550</td></tr></table></td></tr></table></body></html>")
    lines = [ln.text for ln in load_bytes("r.html", html.encode("utf-8")).lines if ln.text.strip()]
    assert lines == ["某某局2021年政府信息公开工作年度报告", "一、总体情况", "行政许可\t550"]


def test_html_tables_scripts_and_declared_charset() -> None:
    html = ("<html><head><meta charset='gbk'><script>alert('x')</script><style>p{}</style></head><body>"
            "<p>一、总体情况</p><p>全年<b>共收到</b>申请21件。</p>"
            "<table><tr><td>信息内容</td><td colspan='2'>本年处理决定数量</td></tr>"
            "<tr><td>行政许可</td><td>550</td><td></td></tr></table><div>二、主动公开</div></body></html>")
    lines = [ln.text for ln in load_bytes("r.html", html.encode("gbk")).lines if ln.text.strip()]
    assert lines == ["一、总体情况", "全年共收到申请21件。", "信息内容\t本年处理决定数量\t", "行政许可\t550\t", "二、主动公开"]


def test_oversized_files_are_refused(monkeypatch) -> None:
    import ingest.loaders as loaders

    monkeypatch.setattr(loaders, "MAX_FILE_BYTES", 100)
    with pytest.raises(LoadError, match="文件过大"):
        load_bytes("big.txt", TEXT.encode("utf-8") * 10)
