"""``python -m ingest``: summaries, the --json contract, bad input, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.__main__ import main
from tests.golden import REAL, SAMPLES


def _run(capsys, *args: str) -> tuple[int, list[str], str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, [line for line in out.splitlines() if line.strip()], err


def test_json_has_one_object_per_report_with_the_contract_fields(tmp_path, capsys) -> None:
    code, lines, _ = _run(capsys, str(SAMPLES), str(REAL / "hongze_district_2023.pdf"), "--data-dir",
                          str(tmp_path), "--embedding-backend", "fake", "--json")
    assert code == 0
    objects = [json.loads(line) for line in lines]
    assert len(objects) == 6
    by_source = {o["source"]: o for o in objects}
    zhoukou = by_source["000_7061442731bc0513.txt"]
    assert (zhoukou["agency"], zhoukou["covers_year"], zhoukou["template"]) == ("周口市信访局", 2021, "2021")
    first = next(c for c in zhoukou["cells"] if c["table"] == "三")
    assert (first["row_label"], first["column_label"], first["value"], first["status"]) == (
        "一、本年新收政府信息公开申请数量", "自然人", 0, "ok")
    assert set(first["provenance"]) >= {"row_label", "column_label", "page", "line", "raw"}
    hongze = by_source["hongze_district_2023.pdf"]
    cells = {(c["table"], c["row_label"], c["column_label"]): c for c in hongze["cells"]}
    assert cells[("四", "政府信息公开行政复议、行政诉讼情况", "行政复议/结果维持")]["value"] == 10
    assert cells[("四", "政府信息公开行政复议、行政诉讼情况", "复议后起诉/总计")]["value"] == 0
    assert cells[("二", "行政事业性收费", "本年收费金额（单位：万元）")]["value"] == 7730.28
    assert cells[("二", "行政规范性文件", "本年废止件数")]["provenance"]["page"] == 2
    new = cells[("三", "一、本年新收政府信息公开申请数量", "商业企业")]["provenance"]
    assert new["column_label"] == "法人或其他组织/商业企业"  # the grid's header cells above the value, as printed
    fee = cells[("二", "行政事业性收费", "本年收费金额（单位：万元）")]
    assert (fee["value_text"], fee["provenance"]["column_label"]) == ("7730.28", "本年收费金额（单位：万元）")
    zhoukou_fee = next(c for c in zhoukou["cells"] if c["row"] == "fees")
    assert zhoukou_fee["provenance"]["column_label"] == "本年收费金额（单位：万元，保留4位小数）"
    assert {f["relation"] for f in hongze["findings"]} == {"t4_total"}
    blank = next(c for c in by_source["003_20272e85d49a1cc6.txt"]["cells"]
                 if c["row"] == "rules" and c["column"] == "in_force")
    assert (blank["value"], blank["status"]) == (None, "missing")  # blank ≠ 0


def test_text_summary_and_second_run_is_unchanged(tmp_path, capsys) -> None:
    args = [str(REAL / "suqian_city_2024.txt"), "--data-dir", str(tmp_path), "--embedding-backend", "fake"]
    code, lines, _ = _run(capsys, *args)
    assert code == 0 and "宿迁市" in "\n".join(lines) and "勾稽问题：2 项" in "\n".join(lines)
    code, lines, _ = _run(capsys, *args)
    assert code == 0 and lines[0].startswith("未变化")


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path, capsys) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (folder / "table.xls").write_bytes(b"\xd0\xcf\x11\xe0")  # not picked up from a folder (unsupported)
    (folder / "good.txt").write_bytes((REAL / "suqian_city_2023.txt").read_bytes())
    code, lines, _ = _run(capsys, str(folder), str(folder / "table.xls"), "--data-dir", str(tmp_path / "d"),
                          "--embedding-backend", "fake", "--json")
    objects = {o["source"]: o for o in map(json.loads, lines)}
    assert code == 0
    assert objects["good.txt"]["agency"] == "宿迁市"
    assert objects["empty.txt"] == {"source": "empty.txt", "status": "failed", "error": "文件为空"}
    assert "PDF" in objects["broken.pdf"]["error"]
    assert "不支持的文件类型" in objects["table.xls"]["error"]


def test_non_reports_and_duplicates_in_another_encoding(tmp_path, capsys) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notes.txt").write_text("Meeting notes: nothing to do with annual reports.\n" * 5, encoding="utf-8")
    original = (SAMPLES / "000_7061442731bc0513.txt").read_text(encoding="utf-8")
    (folder / "a original.txt").write_text(original, encoding="utf-8")
    (folder / "b copy in gbk.txt").write_bytes(original.encode("gb18030"))
    (folder / "scan.tif").write_bytes(b"II*\x00")  # a broken TIFF: refused with its reason, the batch goes on
    (folder / "slides.pptx").write_bytes(b"PK\x03\x04")
    code, lines, err = _run(capsys, str(folder), "--data-dir", str(tmp_path / "d"), "--embedding-backend", "fake",
                            "--json")
    objects = {o["source"]: o for o in map(json.loads, lines)}
    assert code == 0
    assert objects["notes.txt"]["status"] == "failed" and "不像政府信息公开工作年度报告" in objects["notes.txt"]["error"]
    assert objects["a original.txt"]["status"] == "added"
    copy = objects["b copy in gbk.txt"]
    assert (copy["status"], copy["stored_as"]) == ("unchanged", "a original.txt") and "内容相同" in copy["reason"]
    assert objects["scan.tif"]["status"] == "failed" and "图片文件已损坏" in objects["scan.tif"]["error"]
    assert "slides.pptx" in err and "不支持" in err


def test_no_input_prints_usage_and_near_empty_files_are_refused(tmp_path, capsys) -> None:
    code, _, err = _run(capsys, "--data-dir", str(tmp_path), "--embedding-backend", "fake")
    assert code == 2 and "usage" in err
    stub = tmp_path / "stub.txt"
    stub.write_text("一、总体情况\n无。\n", encoding="utf-8")
    code, lines, _ = _run(capsys, str(stub), "--data-dir", str(tmp_path), "--embedding-backend", "fake", "--json")
    assert code == 1 and json.loads(lines[0])["status"] == "failed"


def test_exit_code_is_non_zero_when_nothing_could_be_ingested(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    code, _, _ = _run(capsys, str(bad), "--data-dir", str(tmp_path / "d"), "--embedding-backend", "fake")
    assert code == 1


def test_list_and_remove(tmp_path, capsys) -> None:
    base = ["--data-dir", str(tmp_path), "--embedding-backend", "fake"]
    _run(capsys, str(REAL / "suqian_city_2023.txt"), *base)
    _, lines, _ = _run(capsys, "--list", *base)
    assert len(lines) == 1 and "宿迁市" in lines[0]
    code, lines, _ = _run(capsys, "--remove", "suqian_city_2023.txt", *base)
    assert code == 0 and lines[0].startswith("已删除")
    _, lines, _ = _run(capsys, "--list", *base)
    assert lines == []


@pytest.mark.slow
def test_the_module_runs_as_a_script(tmp_path) -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "ingest", str(REAL / "suqian_city_2023.txt"), "--data-dir",
                           str(tmp_path), "--embedding-backend", "fake", "--json"], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["covers_year"] == 2023
