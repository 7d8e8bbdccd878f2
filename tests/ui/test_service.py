"""The app's operations without Gradio: first-start samples, uploads with clear Chinese errors, removal."""

from __future__ import annotations

from pathlib import Path

from core.settings import Settings
from ui.service import Service, upload_problem

ROOT = Path(__file__).resolve().parents[2]


def test_upload_problems_are_explained(tmp_path: Path) -> None:
    exe = tmp_path / "a.exe"
    exe.write_bytes(b"MZ")
    empty = tmp_path / "b.txt"
    empty.write_bytes(b"")
    assert "不支持的文件类型" in upload_problem("a.exe", exe)
    assert upload_problem("b.txt", empty) == "文件是空的"
    assert "无法读取" in upload_problem("c.pdf", tmp_path / "missing.pdf")
    assert upload_problem("d.txt", ROOT / "tests" / "data" / "ui" / "xss_report.txt") == ""


def test_samples_upload_findings_and_remove(tmp_path: Path) -> None:
    service = Service.open(Settings.from_env(env={}, data_dir=tmp_path, embedding_backend="fake"))
    try:
        assert service.ensure_samples() == 5 and service.ensure_samples() == 0
        assert len(service.reports()) == 5 and [r.agency for r in service.reports("青铜峡")] == ["青铜峡市信访局"]
        assert service.summary().startswith("资料库：5 份年报，5 个单位（") and service.summary().endswith("，2020—2021年。")
        cited = service.ask("周口市信访局2021年存在哪些问题？").citations  # a card names the report by its title
        assert cited and cited[0].title == "周口市信访局2021年政府信息公开工作年度报告"
        bad = tmp_path / "bad.pdf"
        bad.write_bytes(b"not a pdf at all")
        good = tmp_path / "upload.txt"
        good.write_bytes((ROOT / "tests" / "data" / "ui" / "xss_report.txt").read_bytes())
        lines = service.upload([("坏文件.pdf", bad), ("xss_report.txt", good)])
        assert lines[0].startswith("✗ 坏文件.pdf：") and lines[1].startswith("✓ xss_report.txt：已导入")
        assert len(service.reports()) == 6
        again = tmp_path / "again" / "upload.txt"  # a new temporary file, as each upload is
        again.parent.mkdir()
        again.write_bytes((ROOT / "tests" / "data" / "ui" / "xss_report.txt").read_bytes())
        assert service.upload([("xss_report.txt", again)])[0].startswith("– xss_report.txt：内容未变化")
        new = next(r for r in service.reports() if r.source == "xss_report.txt")
        assert service.ask("测试县信访局2022年存在哪些问题？").kind == "passage"
        title, findings = service.findings(new.report_id)
        assert "测试县信访局" in title and findings == []
        assert service.remove(new.report_id).startswith("已删除") and len(service.reports()) == 5
        assert service.ask("测试县信访局2022年存在哪些问题？").kind == "none"
        assert "找不到" in service.remove(new.report_id)
    finally:
        service.close()


def test_llm_mode_streams_checked_sentences_and_leaves_the_store_free(tmp_path: Path) -> None:
    import re
    import threading

    from retrieval.answer import Answer
    from tests.retrieval.fake_llm import OpenAIStub

    release = threading.Event()

    def slow_phrase(body: dict) -> str:
        release.wait(5)  # the model is "writing" until the test has used the store meanwhile
        return "周口市信访局2021年行政复议总计" + "".join(re.findall(r"\{v\d+\}", body["messages"][-1]["content"])) + "。"

    stub = OpenAIStub(slow_phrase)
    env = {"GOVQA_LLM_BASE_URL": stub.url, "GOVQA_LLM_TIMEOUT": "10"}
    service = Service.open(Settings.from_env(env=env, data_dir=tmp_path, embedding_backend="fake"))
    try:
        service.ensure_samples()
        assert service.llm
        items: list = []
        worker = threading.Thread(target=lambda: items.extend(service.stream("周口市信访局2021年行政复议总计多少件？")))
        worker.start()
        while not stub.requests:
            threading.Event().wait(0.05)
        assert len(service.reports()) == 5  # the store is not locked while the model writes
        release.set()
        worker.join(10)
        answer = items[-1]
        assert isinstance(answer, Answer) and answer.composer == "llm"
        assert answer.answer == "周口市信访局2021年行政复议总计0件[1]。"
        assert [i for i in items[:-1] if isinstance(i, str)] == [answer.answer]
    finally:
        service.close()
        stub.close()


def test_upload_progress_follows_the_ocr_page_by_page(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import logging


    service = Service.open(Settings.from_env(env={}, data_dir=tmp_path, embedding_backend="fake"))
    real_ingest = service.ingestor.ingest

    def ingest_with_pages(path):  # type: ignore[no-untyped-def]
        log = logging.getLogger("ingest.scanned")
        for done in (1, 2):  # what ingest.scanned.read_pages logs after each page
            log.info("文字识别 %s：第 %d/%d 页，%.1f 秒", path.name, done, 2, 1.0,
                     extra={"page_done": done, "page_total": 2})
        return real_ingest(path)

    monkeypatch.setattr(service.ingestor, "ingest", ingest_with_pages)
    seen: list[tuple[float, str]] = []
    report = tmp_path / "upload.txt"
    report.write_bytes((ROOT / "tests" / "data" / "ui" / "xss_report.txt").read_bytes())
    try:
        lines = service.upload([("扫描件.txt", report)], lambda share, text: seen.append((share, text)))
    finally:
        service.close()
    assert lines[0].startswith("✓")
    pages = [(share, text) for share, text in seen if "文字识别" in text]
    assert [share for share, _ in pages] == [0.5, 1.0] and "第 2/2 页" in pages[-1][1]
    from ui.service import _PageProgress

    assert not any(isinstance(h, _PageProgress) for h in logging.getLogger("ingest.scanned").handlers)  # gone


def test_discard_uploads_removes_both_names_and_the_empty_folder(tmp_path: Path) -> None:
    from ui.service import discard_uploads

    one = tmp_path / "a1b2" / "tmpx.txt"  # renamed to its original name before ingesting
    one.parent.mkdir()
    one.with_name("报告.txt").write_text("x", encoding="utf-8")
    shared = tmp_path / "c3" / "b.txt"
    shared.parent.mkdir()
    shared.write_text("x", encoding="utf-8")
    (shared.parent / "other.txt").write_text("kept", encoding="utf-8")
    discard_uploads([("报告.txt", one), ("b.txt", shared), ("gone.txt", tmp_path / "nowhere" / "gone.txt")])
    assert not one.parent.exists()
    assert not shared.exists() and (shared.parent / "other.txt").exists()


def test_a_report_is_corrected_with_its_basis_and_bad_corrections_are_refused_in_chinese(tmp_path: Path) -> None:
    service = Service.open(Settings.from_env(env={}, data_dir=tmp_path, embedding_backend="fake"))
    try:
        service.ensure_samples()
        row = next(r for r in service.reports() if r.agency == "青铜峡市信访局")
        assert service.correct("", "甲", "2020", "依据") == "请先在表格中点击要更正的报告。"
        assert "请填写单位名称" in service.correct(row.report_id, "  ", "2020", "依据")
        assert service.correct(row.report_id, "青铜峡市信访局", "二〇一九", "依据") == "年度应为四位数字，例如 2023。"
        assert "请填写更正依据" in service.correct(row.report_id, "青铜峡市信访局", "2019", " ")
        assert "未作更改" in service.correct(row.report_id, "青铜峡市信访局", "2020", "核对")
        assert service.ask("青铜峡市信访局2019年存在哪些问题？").kind == "none"
        done = service.correct(row.report_id, "青铜峡市信访局", "2019", "测试：年份有误")
        assert done.startswith("已更正：年度由“2020”改为“2019”（依据：测试：年份有误）")
        assert service.ask("青铜峡市信访局2019年存在哪些问题？").kind == "passage"  # questions read the correction
        assert next(r for r in service.reports() if r.report_id == row.report_id).year == 2019
        assert service.corrections(row.report_id)[0].endswith("年度：报告原文“2020”，更正为“2019”（依据：测试：年份有误）")
        assert service.summary().endswith("，2019—2021年。")  # the first screen follows
    finally:
        service.close()
