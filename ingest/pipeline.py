"""One report through every stage, and a batch of files into the stores.

load → normalise (in the loader) → metadata → tables → sections/chunks → checks → stores. Parsing is a pure
function of the file's bytes (:func:`parse_bytes`); :class:`Ingestor` owns the stores and the write order:
vectors first (Chroma), then one SQLite transaction that makes the report visible, then cleanup of replaced vectors.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.records import Finding, ParsedReport, ReportMeta
from core.settings import Settings
from ingest.checks import check_report, check_years
from ingest.loaders import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, LoadError, load_bytes
from ingest.metadata import read_metadata, same_agency
from ingest.narrative import narrative_facts
from ingest.sections import make_chunks, split_sections
from ingest.tables import parse_tables

if TYPE_CHECKING:
    from core.records import Chunk
    from store.chroma import ChunkIndex, ChunkMeta
    from store.sqlite import CellStore

PARSER_VERSION = "1"
log = logging.getLogger(__name__)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_bytes(name: str, data: bytes, source_path: str = "", chunk_chars: int = 400) -> ParsedReport:
    """Parse one file's bytes into a report (raises LoadError with a Chinese reason)."""
    doc = load_bytes(name, data)
    meta = read_metadata(doc.lines)
    tables = parse_tables(doc.lines, meta.covers_year)
    sections = split_sections(doc.lines)
    if tables.template is None and (not any(s.number for s in sections) or None in (meta.agency, meta.covers_year)):
        raise LoadError("文件内容不像政府信息公开工作年度报告（没有统计表格，也无法确定发布单位和年度）")
    facts = narrative_facts(doc.lines, set(tables.table_lines))
    chunks = make_chunks(sections, meta.agency, meta.covers_year, set(tables.table_lines), chunk_chars)
    digest = content_hash(data)
    warnings = list(doc.warnings) + list(tables.warnings)
    if meta.agency is None:
        warnings.append("未能识别发布单位")
    if meta.covers_year is None:
        warnings.append("未能识别报告所属年度")
    if tables.template is None:
        warnings.append("未能识别模板版本")
    return ParsedReport(
        report_id=digest[:16], source=name, source_path=source_path or name, content_hash=digest,
        text_hash=hashlib.sha256("\n".join(line.text for line in doc.lines).encode()).hexdigest(),
        file_type=doc.file_type,
        meta=ReportMeta(meta.agency, meta.covers_year, tables.template, meta.title, meta.agency_basis,
                        meta.year_basis, tables.template_basis),
        cells=tables.cells, findings=tuple(check_report(tables.cells, facts)), chunks=tuple(chunks),
        narrative=tuple(facts), warnings=tuple(warnings), pages=doc.pages, encoding=doc.encoding,
    )


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


class Ingestor:
    """Writes parsed reports into both stores. Create with :meth:`open`; close when done."""

    def __init__(self, settings: Settings, cells: CellStore, index: ChunkIndex):
        self.settings = settings
        self.cells = cells
        self.index = index

    @classmethod
    def open(cls, settings: Settings) -> Ingestor:
        from store.chroma import ChunkIndex
        from store.embeddings import make_embeddings
        from store.sqlite import CellStore

        settings.data_dir.mkdir(parents=True, exist_ok=True)
        cells = CellStore(settings.sqlite_path)
        index = ChunkIndex(settings.chroma_dir, make_embeddings(settings), settings.embedding_batch_size)
        ingestor = cls(settings, cells, index)
        ingestor.reconcile()
        return ingestor

    def close(self) -> None:
        self.cells.close()

    def reconcile(self) -> tuple[int, int]:
        """Repair the vector index against SQLite (after a crash or a change of embedding model)."""
        return self.index.reconcile(self.cells.report_ids(), self._stored_chunks)

    def _stored_chunks(self, report_id: str) -> tuple[Sequence[tuple[str, Chunk]], ChunkMeta]:
        stored = self.cells.report(report_id)
        return self.cells.chunks(report_id), (_chunk_meta(stored.source, stored.meta) if stored else {})

    def ingest(self, path: Path) -> IngestResult:
        """Parse and store one file; never raises for a bad file (the result says why it failed)."""
        try:
            if not Path(path).is_file():
                raise LoadError("文件不存在或不是普通文件")
            if Path(path).stat().st_size > MAX_FILE_BYTES:
                raise LoadError(f"文件过大（超过 {MAX_FILE_BYTES // 1024 // 1024} MB）")
            data = Path(path).read_bytes()
            source_path = str(Path(path).resolve())
            existing = self.cells.by_hash(content_hash(data))
            if existing is None:
                report = parse_bytes(Path(path).name, data, source_path, self.settings.chunk_chars)
                same_text = self.cells.by_text_hash(report.text_hash)
                if same_text is not None and same_text.source_path != source_path:
                    existing = same_text
            if existing is not None:
                same = "" if existing.source_path == source_path else f"，与已入库的 {existing.source} 内容相同"
                return IngestResult(str(path), "unchanged", reason=f"内容未变化{same}，跳过", existing=existing.id)
        except LoadError as exc:
            return IngestResult(str(path), "failed", reason=exc.reason)
        except (OSError, MemoryError) as exc:
            return IngestResult(str(path), "failed", reason=f"读取文件失败（{type(exc).__name__}）")
        except Exception as exc:  # a parser bug must not stop the batch; the file is reported, nothing is stored
            log.exception("parsing %s failed", path)
            return IngestResult(str(path), "failed", reason=f"解析出错（{type(exc).__name__}），该文件未入库")
        return self.store(report)

    def store(self, report: ParsedReport) -> IngestResult:
        from store.sqlite import chunk_id

        old = [r.id for r in self.cells.by_source_path(report.source_path) if r.id != report.report_id]
        chunks = [(chunk_id(report.report_id, c.ord), c) for c in report.chunks]
        self.index.add(report.report_id, chunks, _chunk_meta(report.source, report.meta))
        try:
            self.cells.save_report(report, PARSER_VERSION, replaces=old, cross_findings=self._cross_year(report, old))
        except BaseException:
            self.index.delete(report.report_id)
            raise
        for stale in old:
            self.index.delete(stale)
        status = "replaced" if old else "added"
        return IngestResult(report.source_path, status, report, counts=self.cells.counts(report.report_id))

    def _cross_year(self, report: ParsedReport, replaced: list[str]) -> list[tuple[str, Finding]]:
        """Continuity findings between this report and the same agency's reports for the adjacent years."""
        year, agency = report.meta.covers_year, report.meta.agency
        if year is None or agency is None:
            return []
        out: list[tuple[str, Finding]] = []
        for other in self.cells.reports():
            if other.id in replaced or other.id == report.report_id or not same_agency(other.meta.agency, agency):
                continue
            if other.meta.covers_year == year - 1:
                out += [(report.report_id, f) for f in check_years(report.cells, self.cells.cells(other.id),
                                                                    other.id, year - 1)]
            elif other.meta.covers_year == year + 1:
                out += [(other.id, f) for f in check_years(self.cells.cells(other.id), report.cells,
                                                           report.report_id, year)]
        return out

    def remove(self, report_id: str) -> bool:
        removed = self.cells.remove_report(report_id)
        self.index.delete(report_id)
        return removed


def _chunk_meta(source: str, meta: ReportMeta) -> ChunkMeta:
    return {"source": source, "agency": meta.agency or "", "covers_year": meta.covers_year or 0,
            "template": meta.template or ""}

