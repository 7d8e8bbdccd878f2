"""What the chat app does, without Gradio: ask with history, upload and remove reports, list them.

One :class:`Service` per app. The stores are used from one thread at a time (a lock), so Gradio's worker threads
can call it freely; ingestion holds the lock while it writes, questions wait for it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core.settings import Settings
from ingest.loaders import MAX_FILE_BYTES, SUPPORTED_SUFFIXES
from ingest.pipeline import Ingestor, expand_paths
from retrieval.answer import Answer
from retrieval.assistant import Assistant
from retrieval.fluent import FluentAssistant, with_llm
from ui.examples import example_questions

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
UPLOAD_SUFFIXES = tuple(sorted(s for s in SUPPORTED_SUFFIXES if s != ".text"))
MAX_UPLOAD_FILES = 200
MAX_AGENCY_CHARS = 60
_FIELDS = {"agency": "单位", "covers_year": "年度"}
REPORT_HEADERS = ("单位", "年度", "模板", "已读取单元格", "有歧义", "缺失", "勾稽问题", "文件", "编号")
_STATUS = {"added": "已导入", "replaced": "已更新（替换同一文件的旧版本）", "unchanged": "未导入", "failed": "失败"}


@dataclass(frozen=True)
class ReportRow:
    agency: str
    year: int | str
    template: str
    ok: int
    ambiguous: int
    missing: int
    findings: int
    source: str
    report_id: str

    def cells(self) -> list[object]:
        return [self.agency, self.year, self.template, self.ok, self.ambiguous, self.missing, self.findings,
                self.source, self.report_id]


class Service:
    def __init__(self, settings: Settings, ingestor: Ingestor):
        self.settings = settings
        self.ingestor = ingestor
        self.lock = threading.RLock()
        self.assistant = with_llm(Assistant(ingestor.cells, ingestor.index), settings, self.lock)
        self.llm = isinstance(self.assistant, FluentAssistant)

    @classmethod
    def open(cls, settings: Settings) -> Service:
        return cls(settings, Ingestor.open(settings))

    def close(self) -> None:
        self.ingestor.close()

    # ---------------------------------------------------------------------------------------------- asking

    def ask(self, question: str, history: Sequence[str | Answer] = ()) -> Answer:
        final = None
        for item in self.stream(question, history):
            final = item
        assert isinstance(final, Answer)
        return final

    def stream(self, question: str, history: Sequence[str | Answer] = ()) -> Iterator[str | Answer]:
        """In LLM mode the checked answer text as it grows, then the :class:`Answer`; otherwise just the answer.
        The stores are locked only while they are read, not while a model writes."""
        if self.llm:
            yield from self.assistant.stream(question, history)
            return
        with self.lock:
            answer = self.assistant.ask(question, history)
        yield answer

    # --------------------------------------------------------------------------------------------- reports

    def ensure_samples(self) -> int:
        """Ingest the bundled sample reports when the store is empty (first start). Returns how many were added."""
        with self.lock:
            if self.ingestor.cells.report_ids():
                return 0
            added = sum(self.ingestor.ingest(p).status in ("added", "replaced") for p in expand_paths([SAMPLES]))
            self.assistant.reload()
            return added

    def reports(self, query: str | None = "") -> list[ReportRow]:
        with self.lock:
            rows = []
            all_counts = self.ingestor.cells.report_counts()
            for r in self.ingestor.cells.reports():
                counts = all_counts.get(r.id, {})
                rows.append(ReportRow(r.meta.agency or "未识别", r.meta.covers_year or "未识别", r.meta.template or "未识别",
                                      counts.get("ok", 0), counts.get("ambiguous", 0), counts.get("missing", 0),
                                      counts.get("findings", 0), r.source, r.id))
        words = (query or "").split()
        rows = [r for r in rows if all(w in f"{r.agency} {r.year} {r.source} {r.template}" for w in words)]
        return sorted(rows, key=lambda r: (str(r.agency), str(r.year)))

    def summary(self) -> str:
        """What the store holds, for the first screen: "资料库：5 份年报，4 个单位，2020—2021年"."""
        rows = self.reports()
        if not rows:
            return "资料库中还没有年报，请在“报告管理”中导入。"
        years = sorted({r.year for r in rows if isinstance(r.year, int)})
        span = "" if not years else f"，{years[0]}年" if len(years) == 1 else f"，{years[0]}—{years[-1]}年"
        agencies = list(dict.fromkeys(str(r.agency) for r in rows))
        named = "、".join(agencies[:4]) + ("等" if len(agencies) > 4 else "")
        return f"资料库：{len(rows)} 份年报，{len(agencies)} 个单位（{named}）{span}。"

    def examples(self, fallback: Sequence[str] = ()) -> list[str]:
        """Example questions naming the store's agencies and years (``fallback`` while it holds none)."""
        return example_questions(self.reports(), fallback)

    def findings(self, report_id: str) -> tuple[str, list[tuple[str, str]]]:
        with self.lock:
            stored = self.ingestor.cells.report(report_id)
            if stored is None:
                return "找不到该报告", []
            title = f"{stored.meta.agency or '未识别单位'} {stored.meta.covers_year or '年份未识别'}年（{stored.source}）"
            return title, [(_RELATIONS.get(f.relation, f.relation), f.message)
                           for f in self.ingestor.cells.findings(report_id)]

    def correct(self, report_id: str, agency: str, year: str, basis: str) -> str:
        """Correct a report's agency and year; the value read from the report and ``basis`` are kept. Returns a
        Chinese line saying what was done or why not."""
        agency, year, basis = (agency or "").strip(), (year or "").strip(), (basis or "").strip()
        if not report_id:
            return "请先在表格中点击要更正的报告。"
        if not agency or len(agency) > MAX_AGENCY_CHARS:
            return f"请填写单位名称（不超过 {MAX_AGENCY_CHARS} 个字）。"
        if not re.fullmatch(r"(?:19|20)\d\d", year):
            return "年度应为四位数字，例如 2023。"
        if not basis:
            return "请填写更正依据（例如：见报告落款、标题年份有误），以便日后核对。"
        with self.lock:
            stored = self.ingestor.cells.report(report_id)
            if stored is None:
                return "找不到该报告，可能已被删除。"
            made = self.ingestor.correct(report_id, agency, int(year), basis)
            if not made:
                return "单位和年度与现有记录相同，未作更改。"
            self.assistant.reload()
        changes = "；".join(f"{_FIELDS[c.field]}由“{c.printed or '未识别'}”改为“{c.corrected}”" for c in made)
        return f"已更正：{changes}（依据：{basis}）。报告原文所载的值仍保留在更正记录中。"

    def corrections(self, report_id: str) -> list[str]:
        """The report's corrections, one Chinese line each, oldest first."""
        with self.lock:
            made = self.ingestor.cells.corrections_of(report_id)
        return [f"{c.at[:10]} {_FIELDS[c.field]}：报告原文“{c.printed or '未识别'}”，更正为“{c.corrected}”（依据：{c.basis}）"
                for c in made]

    def remove(self, report_id: str) -> str:
        with self.lock:
            stored = self.ingestor.cells.report(report_id)
            if stored is None:
                return "找不到该报告，可能已被删除。"
            self.ingestor.remove(report_id)
            self.assistant.reload()
            return f"已删除：{stored.meta.agency or '未识别单位'} {stored.meta.covers_year or ''}年（{stored.source}）。"

    def upload(self, files: Sequence[tuple[str, Path]], progress: Callable[[float, str], None] | None = None
               ) -> list[str]:
        """Ingest uploaded files, given as (original name, temporary path). Returns one Chinese line per file;
        a bad file gets its reason and nothing of it is stored."""
        if not files:
            return ["请先选择要上传的文件。"]
        if len(files) > MAX_UPLOAD_FILES:
            return [f"一次最多上传 {MAX_UPLOAD_FILES} 个文件，本次选择了 {len(files)} 个。"]
        lines = []
        for i, (name, path) in enumerate(files):
            if progress:
                progress(i / len(files), f"正在导入 {name}（{i + 1}/{len(files)}）")
            problem = upload_problem(name, path)
            if problem:
                lines.append(f"✗ {name}：{problem}")
                continue
            named = path.with_name(Path(name).name) if path.name != Path(name).name else path
            if named != path:
                path.replace(named)
            with self.lock, _ocr_progress(progress, i, len(files), name):
                result = self.ingestor.ingest(named)
            lines.append(_result_line(name, result))
        with self.lock:
            self.assistant.reload()  # once per upload: the report list, agency directory and search statistics
        if progress:
            progress(1.0, "导入完成")
        return lines


class _PageProgress(logging.Handler):
    """Forwards the OCR's one message a page (logger ``ingest.scanned``) to the upload dialog's progress bar."""

    def __init__(self, progress: Callable[[float, str], None], index: int, count: int, name: str):
        super().__init__(logging.INFO)
        self.progress, self.index, self.count, self.name = progress, index, count, name

    def emit(self, record: logging.LogRecord) -> None:
        done, total = getattr(record, "page_done", None), getattr(record, "page_total", None)
        if not isinstance(done, int) or not isinstance(total, int) or total <= 0:
            return
        self.progress((self.index + done / total) / self.count,
                      f"正在导入 {self.name}（{self.index + 1}/{self.count}）：文字识别第 {done}/{total} 页")


@contextmanager
def _ocr_progress(progress: Callable[[float, str], None] | None, index: int, count: int,
                  name: str) -> Iterator[None]:
    if progress is None:
        yield
        return
    logger = logging.getLogger("ingest.scanned")
    handler, level = _PageProgress(progress, index, count, name), logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > logging.INFO:
        logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def discard_uploads(files: Sequence[tuple[str, Path]]) -> None:
    """Delete uploaded temporary files (under either name :meth:`Service.upload` gave them) and their folders
    when empty."""
    for name, path in files:
        for candidate in {path, path.with_name(Path(name).name)}:
            try:
                candidate.unlink(missing_ok=True)
                candidate.parent.rmdir()
            except OSError:
                pass  # a folder still holding other files stays


def upload_problem(name: str, path: Path) -> str:
    """Why an uploaded file cannot be ingested (Chinese), or "" when it can be tried."""
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        return f"不支持的文件类型“{suffix or '无扩展名'}”，请上传 PDF、OFD、Word（.docx/.doc）、WPS、HTML、TXT 或图片（PNG、JPG、TIFF）文件"
    try:
        size = path.stat().st_size
    except OSError:
        return "上传的文件无法读取，请重新上传"
    if size == 0:
        return "文件是空的"
    if size > MAX_FILE_BYTES:
        return f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB）"
    return ""


def _result_line(name: str, result) -> str:  # type: ignore[no-untyped-def]
    if result.status == "failed":
        return f"✗ {name}：{result.reason}"
    if result.status == "unchanged":
        return f"– {name}：{result.reason}"
    meta = result.report.meta if result.report else None
    counts = result.counts or {}
    who = f"{meta.agency or '未识别单位'} {meta.covers_year or '年份未识别'}年" if meta else ""
    return (f"✓ {name}：{_STATUS[result.status]}，{who}，读取单元格 {counts.get('ok', 0)} 个，"
            f"勾稽问题 {counts.get('findings', 0)} 项")


_RELATIONS = {
    "t3_row_total": "表三行合计", "t3_balance": "表三收支平衡", "t3_results_total": "表三办理结果合计",
    "t4_total": "表四合计", "narrative_table": "正文与表格", "cross_year_carry_over": "跨年度结转",
    "cross_year_in_force": "跨年度现行有效", "cross_year_published": "跨年度公开总数", "cross_year_items": "跨年度项目数",
}
