"""One report through every stage, and a batch of files into the stores.

load → normalise (in the loader) → metadata → tables → sections/chunks → checks → stores. Parsing is a pure
function of the file's bytes (:func:`parse_bytes`); :class:`Ingestor` owns the stores and the write order:
vectors first (Chroma), then one SQLite transaction that makes the report visible, then cleanup of replaced vectors.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from core.originals import in_original
from core.records import Cell, Finding, Line, ParsedReport, ReportMeta
from core.settings import Settings
from core.template import PRE_2019, SECTION_TITLES, TEMPLATE_VERSIONS, version_for_year
from ingest.checks import check_report, check_years
from ingest.loaders import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, LoadError, load_bytes
from ingest.metadata import read_metadata
from ingest.narrative import narrative_facts
from ingest.ocrcheck import trust_ocr
from ingest.script import simplified_with_original
from ingest.sections import make_chunks, split_sections
from ingest.segment import resegment
from ingest.tables import parse_tables

if TYPE_CHECKING:
    from core.records import Chunk
    from store.chroma import ChunkIndex, ChunkMeta
    from store.corrections import Correction
    from store.sqlite import CellStore

PARSER_VERSION = "1"
log = logging.getLogger(__name__)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_bytes(name: str, data: bytes, source_path: str = "", chunk_chars: int = 400) -> ParsedReport:
    """Parse one file's bytes into a report (raises LoadError with a Chinese reason)."""
    doc = load_bytes(name, data)
    simplified, converted, (converted_text, published) = simplified_with_original(doc.lines)
    lines = resegment(simplified)
    meta = read_metadata(lines)
    tables = parse_tables(lines, meta.covers_year)
    sections = split_sections(lines)
    headings = {s.number for s in sections if s.number and s.printed}
    names_itself = _names_itself(lines)
    if tables.template is None and meta.title is None and not (
            len(headings) >= 2 or (headings and (meta.year_basis == "statistics_period" or names_itself))
            or (names_itself and meta.year_basis == "statistics_period")):
        raise LoadError(not_a_report(meta.agency, meta.covers_year))
    template, template_basis, table_warnings = _template(tables.template, tables.template_basis, meta.covers_year,
                                                         tables.warnings)
    cells = tables.cells if template in TEMPLATE_VERSIONS else ()
    missing_sections = [SECTION_TITLES[n] for n in (5, 6) if n not in {s.number for s in sections}]
    if missing_sections and template is not None:
        table_warnings.append(f"报告似乎不完整（未见“{'”“'.join(missing_sections)}”），可能是节选或被截断的副本")
    facts = narrative_facts(lines, set(tables.table_lines))
    chunks = make_chunks(sections, meta.agency, meta.covers_year, set(tables.table_lines), chunk_chars)
    if converted:  # quotes show the characters the report printed
        chunks = [replace(c, original=in_original(c.text, converted_text, published)) for c in chunks]
    digest = content_hash(data)
    cells, findings, ocr_warnings = trust_ocr(cells, check_report(cells, facts), doc.ocr)
    warnings = list(doc.warnings) + (["原文为繁体字，已转换为简体后读取"] if converted else []) + list(meta.warnings) \
        + table_warnings + ocr_warnings
    if meta.agency is None:
        warnings.append("未能识别发布单位")
    if meta.covers_year is None:
        warnings.append("未能识别报告所属年度")
    if template is None:
        warnings.append("未能识别模板版本")
    return ParsedReport(
        report_id=digest[:16], source=name, source_path=source_path or name, content_hash=digest,
        text_hash=hashlib.sha256("\n".join(line.text for line in doc.lines).encode()).hexdigest(),
        file_type=doc.file_type,
        meta=ReportMeta(meta.agency, meta.covers_year, template, meta.title, meta.agency_basis,
                        meta.year_basis, template_basis, meta.agency_printed, meta.region),
        cells=cells, findings=findings, chunks=tuple(chunks),
        narrative=tuple(facts), warnings=tuple(warnings), pages=doc.pages, encoding=doc.encoding,
    )


_SELF_REFERENCE = re.compile(r"(?:编制|制作|发布|形成|公布)(?:了)?[本此](?:年度)?报告|年度报告如下|情况报告如下|"
                             r"本(?:年度)?报告(?:包括|由|根据|依据|按照)")


def _names_itself(lines: tuple[Line, ...]) -> bool:
    """The preamble says what the text is: "依据《条例》…编制本报告", "现将…年度报告如下"."""
    return any(_SELF_REFERENCE.search(line.text) for line in lines[:20])


def not_a_report(agency: str | None, year: int | None) -> str:
    """Why a text is refused: the signs of a report it lacks (a report shows at least one clearly)."""
    missing = ["报告标题（“……政府信息公开工作年度报告”）", "统计表格（表二、表三、表四）", "“一、总体情况”等章节标题"]
    if agency is None:
        missing.append("发布单位")
    if year is None:
        missing.append("报告年度")
    return "文件内容不像政府信息公开工作年度报告：没有" + "、".join(missing)


def _template(found: str | None, basis: str, year: int | None,
              warnings: tuple[str, ...]) -> tuple[str | None, str, list[str]]:
    """The template version and its basis. Without a table it follows from the year (a copy cut before its
    tables, or a report from before the 2019 template), and a warning names what is missing."""
    out = [w for w in warnings if w != "未找到统计表格"]
    if year is not None and year < 2019 and basis in ("covers_year", "unknown"):
        out = [w for w in out if not w.startswith("未找到表")]
        out.append(f"{year}年度报告早于2019年模板，没有统一的统计表格（表二、表三、表四），只收录正文")
        return PRE_2019, "covers_year", out
    if found is not None:
        return found, basis, out
    if year is None:
        return None, "unknown", out + ["未找到统计表格（表二、表三、表四）"]
    out.append("未找到统计表格（表二、表三、表四），可能是节选或被截断的副本；模板版本按报告年度推定")
    return version_for_year(year), "covers_year", out


def parse_path(path: Path, chunk_chars: int = 400) -> ParsedReport:
    path = Path(path)
    if not path.is_file():
        raise LoadError("文件不存在或不是普通文件")
    return parse_bytes(path.name, path.read_bytes(), str(path.resolve()), chunk_chars)


def expand_paths(paths: Iterable[Path], skipped: list[Path] | None = None) -> Iterator[Path]:
    """Files as given, and every supported file under a folder (sorted). Unsupported files found in a folder are
    not yielded but appended to `skipped`, so the caller can say so."""
    for path in paths:
        path = Path(path)
        if not path.is_dir():
            yield path
            continue
        for found in sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink()
                            and not p.name.startswith(".")):
            if found.suffix.lower() in SUPPORTED_SUFFIXES:
                yield found
            elif skipped is not None:
                skipped.append(found)


# ------------------------------------------------------------------------------------------------- stores


@dataclass(frozen=True)
class IngestResult:
    path: str
    status: str  # added | replaced | unchanged | failed
    report: ParsedReport | None = None
    reason: str = ""  # Chinese, for failed/unchanged
    counts: dict[str, int] | None = None
    existing: str | None = None  # unchanged: the stored report it duplicates


@dataclass(frozen=True)
class _Job:
    """One file read in the main process: its bytes go to a parser process unless the result is already known."""

    path: str
    source_path: str = ""
    data: bytes = b""
    result: IngestResult | None = None  # known without parsing (failed to read, unchanged)


def _parse_job(job: _Job, chunk_chars: int = 400) -> IngestResult:
    """Parse in a worker process; never raises for a bad file."""
    try:
        report = parse_bytes(Path(job.path).name, job.data, job.source_path, chunk_chars)
    except LoadError as exc:
        return IngestResult(job.path, "failed", reason=exc.reason)
    except (OSError, MemoryError) as exc:
        return IngestResult(job.path, "failed", reason=f"读取文件失败（{type(exc).__name__}）")
    except Exception as exc:  # a parser bug must not stop the batch; the file is reported, nothing is stored
        log.exception("parsing %s failed", job.path)
        return IngestResult(job.path, "failed", reason=f"解析出错（{type(exc).__name__}），该文件未入库")
    return IngestResult(job.path, "parsed", report)


class Ingestor:
    """Writes parsed reports into both stores. Create with :meth:`open`; close when done."""

    def __init__(self, settings: Settings, cells: CellStore, index: ChunkIndex):
        self.settings = settings
        self.cells = cells
        self.index = index

    @classmethod
    def open(cls, settings: Settings) -> Ingestor:
        from store.chroma import ChunkIndex
        from store.sqlite import CellStore

        settings.data_dir.mkdir(parents=True, exist_ok=True)
        cells = CellStore.open(settings)
        ingestor = cls(settings, cells, ChunkIndex.open(settings, cached=True))
        ingestor.reconcile()
        return ingestor

    def close(self) -> None:
        self.cells.close()
        self.index.close()

    def reconcile(self) -> tuple[int, int]:
        """Repair the vector index against SQLite (after a crash or a change of embedding model)."""
        return self.index.reconcile(self.cells.report_ids(), self._stored_chunks, self.cells.chunk_count())

    def _stored_chunks(self, report_id: str) -> tuple[Sequence[tuple[str, Chunk]], ChunkMeta]:
        stored = self.cells.report(report_id)
        return self.cells.chunks(report_id), (_chunk_meta(stored.source, stored.meta) if stored else {})

    def ingest(self, path: Path) -> IngestResult:
        """Parse and store one file; never raises for a bad file (the result says why it failed)."""
        return next(iter(self.ingest_many([path])))

    def ingest_many(self, paths: Iterable[Path], workers: int = 1, batch: int = 64) -> Iterator[IngestResult]:
        """Parse files in ``workers`` processes and store them ``batch`` reports per write (one Chroma upsert, one
        SQLite transaction with a savepoint per report). Results come in input order, a batch at a time; a file
        whose content (bytes or text) is already stored, or appeared earlier in this run, is "unchanged"."""
        seen: dict[str, tuple[str, str]] = {}  # text hash -> (path, report id), within this run
        jobs = (self._read(Path(p)) for p in paths)
        pending: list[IngestResult] = []
        for job, parsed in zip_jobs(jobs, workers, self.settings.chunk_chars):
            result = job.result or parsed
            assert result is not None
            if result.status == "parsed" and result.report is not None:
                result = self._unseen_text(result, seen)
            pending.append(result)
            if len(pending) >= batch:  # also a run of unchanged files reports its progress batch by batch
                yield from self._store_batch(pending)
                pending = []
        yield from self._store_batch(pending)

    def _read(self, path: Path) -> _Job:
        try:
            if not path.is_file():
                raise LoadError("文件不存在或不是普通文件")
            if path.stat().st_size > MAX_FILE_BYTES:
                raise LoadError(f"文件过大（超过 {MAX_FILE_BYTES // 1024 // 1024} MB）")
            data = path.read_bytes()
        except LoadError as exc:
            return _Job(str(path), result=IngestResult(str(path), "failed", reason=exc.reason))
        except OSError as exc:
            return _Job(str(path), result=IngestResult(str(path), "failed",
                                                       reason=f"读取文件失败（{type(exc).__name__}）"))
        source_path, digest = str(path.resolve()), content_hash(data)
        existing = self.cells.by_hash(digest)
        if existing is not None:
            same = "" if existing.source_path == source_path else f"，与已入库的 {existing.source} 内容相同"
            return _Job(str(path), result=IngestResult(str(path), "unchanged", reason=f"内容未变化{same}，跳过",
                                                       existing=existing.id))
        return _Job(str(path), source_path, data)

    def _unseen_text(self, result: IngestResult, seen: dict[str, tuple[str, str]]) -> IngestResult:
        """The same text in other bytes (a re-saved file) is the same report."""
        report = result.report
        assert report is not None
        existing = self.cells.by_text_hash(report.text_hash)
        if existing is not None and existing.source_path != report.source_path:
            return IngestResult(result.path, "unchanged", reason=f"内容未变化，与已入库的 {existing.source} 内容相同，跳过",
                                existing=existing.id)
        first = seen.setdefault(report.text_hash, (result.path, report.report_id))
        if first[0] != result.path:
            return IngestResult(result.path, "unchanged", reason=f"与本次导入的 {Path(first[0]).name} 内容相同，跳过",
                                existing=first[1])
        return result

    def store(self, report: ParsedReport) -> IngestResult:
        """Store one parsed report."""
        return self._store_batch([IngestResult(report.source_path, "parsed", report)])[0]

    def _store_batch(self, results: list[IngestResult]) -> list[IngestResult]:
        """Vectors first, then one SQLite transaction (a savepoint per report), then cleanup of replaced vectors."""
        from store.sqlite import chunk_id

        parsed = [r.report for r in results if r.status == "parsed" and r.report is not None]
        if not parsed:
            return results
        self.index.add_many([(r.report_id, [(chunk_id(r.report_id, c.ord), c) for c in r.chunks],
                              _chunk_meta(r.source, r.meta)) for r in parsed])
        outcome: dict[str, tuple[str, list[str]] | str] = {}  # report id -> (status, replaced ids) | failure
        try:
            with self.cells.transaction():
                for report in parsed:
                    try:
                        with self.cells.transaction():
                            old = [r.id for r in self.cells.by_source_path(report.source_path)
                                   if r.id != report.report_id]
                            self.cells.save_report(report, PARSER_VERSION, replaces=old,
                                                   cross_findings=self._cross_year(report, old))
                        outcome[report.report_id] = ("replaced" if old else "added", old)
                    except Exception as exc:
                        log.exception("storing %s failed", report.source_path)
                        outcome[report.report_id] = f"写入数据库失败（{type(exc).__name__}），该文件未入库"
        except BaseException:
            for report in parsed:
                self.index.delete(report.report_id)
            raise
        out = []
        for result in results:
            report = result.report
            if result.status != "parsed" or report is None:
                out.append(result)
                continue
            got = outcome[report.report_id]
            if isinstance(got, str):
                self.index.delete(report.report_id)
                out.append(IngestResult(result.path, "failed", reason=got))
                continue
            status, old = got
            for stale in old:
                self.index.delete(stale)
            out.append(IngestResult(report.source_path, status, report, counts=self.cells.counts(report.report_id)))
        return out

    def _cross_year(self, report: ParsedReport, replaced: list[str]) -> list[tuple[str, Finding]]:
        """Continuity findings between this report and the same agency's reports for the adjacent years."""
        return self._continuity(report.report_id, report.meta.agency, report.meta.covers_year, report.cells,
                                replaced)

    def _continuity(self, report_id: str, agency: str | None, year: int | None, cells: Sequence[Cell],
                    replaced: Sequence[str] = ()) -> list[tuple[str, Finding]]:
        if year is None or agency is None:
            return []
        out: list[tuple[str, Finding]] = []
        for other in self.cells.same_agency(agency, (year - 1, year + 1)):
            if other.id in replaced or other.id == report_id:
                continue
            if other.meta.covers_year == year - 1:
                out += [(report_id, f) for f in check_years(cells, self.cells.cells(other.id), other.id, year - 1)]
            elif other.meta.covers_year == year + 1:
                out += [(other.id, f) for f in check_years(self.cells.cells(other.id), cells, report_id, year)]
        return out

    def correct(self, report_id: str, agency: str, covers_year: int, basis: str) -> list[Correction]:
        """Correct a stored report's agency and year (the reports tab); its checks across years follow. The
        vectors need no change: they carry no agency or year that a search reads."""
        return self.cells.correct_report(report_id, agency, covers_year, basis, lambda: self._continuity(
            report_id, agency, covers_year, self.cells.cells(report_id)))

    def remove(self, report_id: str) -> bool:
        removed = self.cells.remove_report(report_id)
        self.index.delete(report_id)
        return removed


def zip_jobs(jobs: Iterable[_Job], workers: int, chunk_chars: int) -> Iterator[tuple[_Job, IngestResult | None]]:
    """Each job with its parse result (None when the job needed no parsing), in order; parsing in processes."""
    from core.parallel import bounded_map

    held: deque[_Job] = deque()

    def to_parse() -> Iterator[_Job]:
        for job in jobs:
            held.append(job)
            if job.result is None:
                yield job

    parsed = bounded_map(partial(_parse_job, chunk_chars=chunk_chars), to_parse(), workers)
    for result in parsed:
        while held and held[0].result is not None:
            yield held.popleft(), None
        yield held.popleft(), result
    while held:
        yield held.popleft(), None


def _chunk_meta(source: str, meta: ReportMeta) -> ChunkMeta:
    return {"source": source, "agency": meta.agency or "", "covers_year": meta.covers_year or 0,
            "template": meta.template or ""}

