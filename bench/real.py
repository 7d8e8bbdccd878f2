"""How well the reader reads real reports: `python -m bench.real [DIR …]`.

Default folders: ``../shared/real`` (truth: the golden files in ``tests/data/golden``) and ``tests/data/real_web``
(truth: each page's ``.json``, see its README). Per folder and per layout: reports read / refused, metadata right
(agency, covers_year, template), cells right / ambiguous / missing / **wrong**, and parse speed. Every third file
by name (``sorted(stems)[2::3]``) is the check set, reported apart from the tune set.

Scoring a cell against its truth: *right* — the stored value equals the truth, or a printed blank is stored as
blank; *ambiguous* — flagged, with the truth among its candidates (or no candidates), or the truth itself is
ambiguous and the cell is flagged; *missing* — a printed value not read; *wrong* — a stored value that differs
from the truth (a blank stored as a number, a value where the source cannot decide, or candidates that leave the
truth out). Writes the "real" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from bench.report import machine, update_section
from core.names import same_agency
from core.records import STATUS_AMBIGUOUS, STATUS_OK, ParsedReport
from core.template import TEMPLATE_VERSIONS, cell_specs
from ingest.loaders import SUPPORTED_SUFFIXES, LoadError
from ingest.pipeline import parse_bytes

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden"
DEFAULT_DIRS = (ROOT.parent / "shared" / "real", ROOT / "tests" / "data" / "real_web")
Truth = dict[tuple[str, str, str], "Decimal | None | list[Decimal]"]


@dataclass(frozen=True)
class Expected:
    is_report: bool
    agencies: tuple[str, ...]  # accepted names; () = the text names none (unknown expected)
    covers_year: int | None
    template: str | None
    cells: Truth
    layout: str


@dataclass
class FileResult:
    name: str
    layout: str
    check: bool
    seconds: float
    status: str  # read | refused | refused_right (not a report, refused) | read_wrong (not a report, read)
    meta_ok: bool = False
    meta_detail: str = ""
    cells: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------------- truth


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def golden_truth(golden: dict) -> Truth:
    """A golden file's cells (tests/data/golden/README.md); ambiguous cells as their candidate lists."""
    template = golden["template"]
    out: Truth = {}
    not_printed = set(golden.get("not_printed", []))
    columns: dict[tuple[str, str], list[str]] = {}
    for spec in cell_specs(template):
        columns.setdefault((spec.table, spec.row.key), []).append(spec.column.key)
    for spec in cell_specs(template):
        table, row, col = spec.key
        if row in not_printed or row not in golden["tables"].get(table, {}):
            continue
        out[spec.key] = _decimal(golden["tables"][table][row][columns[(table, row)].index(col)])
    for key, candidates in golden.get("ambiguous", {}).items():
        table, row, col = key.split("/")
        out[(table, row, col)] = [Decimal(str(c)) for c in candidates if c is not None]
    return out


def expected_for(path: Path) -> Expected | None:
    """The truth for a report file: its page truth (``<stem>.json`` beside it) or its golden file."""
    page = path.with_suffix(".json")
    if page.exists():
        t = json.loads(page.read_text(encoding="utf-8"))
        names = tuple(n for n in [t.get("agency"), *t.get("agency_accept", [])] if n)
        cells: Truth = {tuple(k.split("/")): _decimal(v) for k, v in t.get("cells", {}).items()}  # type: ignore[misc]
        return Expected(bool(t.get("is_report", True)), names, t.get("covers_year"), t.get("template"), cells,
                        t.get("layout", "") or layout_of(path))
    golden = GOLDEN / f"{path.stem}.json"
    if golden.exists():
        g = json.loads(golden.read_text(encoding="utf-8"))
        names = tuple(n for n in [g["agency"], *g.get("agency_accept", [])] if n)
        return Expected(True, names, g["covers_year"], g["template"], golden_truth(g), layout_of(path))
    return None


def layout_of(path: Path) -> str:
    """A coarse name for the shape a file's text arrived in (for the per-layout table)."""
    if path.suffix.lower() != ".txt":
        return path.suffix.lower().lstrip(".")
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if lines and max(len(ln) for ln in lines) > 2000:
        return "one-line"
    if sum("\t" in ln for ln in lines) > 10:
        return "tab"
    if sum(ln.count("|") >= 3 for ln in lines) > 10:
        return "markdown"
    if sum(ln.strip() == "|" or ln.rstrip().endswith(" |") for ln in lines) > 10:
        return "pipe-newline"
    return "text"


# ------------------------------------------------------------------------------------------------- scoring


def agency_right(got: str | None, accepted: Sequence[str]) -> bool:
    if not accepted:
        return got is None
    return any(got == name or same_agency(got, name) for name in accepted)


def score(parsed: ParsedReport, expected: Expected) -> tuple[Counter[str], list[str]]:
    got = {c.key: c for c in parsed.cells}
    counts: Counter[str] = Counter()
    wrong: list[str] = []
    for key, truth in expected.cells.items():
        cell = got.get(key)
        label = "/".join(key)
        if isinstance(truth, list):  # the source itself cannot decide
            if cell is not None and cell.status == STATUS_OK:
                counts["wrong"] += 1
                wrong.append(f"{label}: 读作 {cell.value}，原文无法确定（{truth}）")
            else:
                counts["ambiguous" if cell is not None and cell.status == STATUS_AMBIGUOUS else "missing"] += 1
            continue
        if cell is None or (cell.status not in (STATUS_OK, STATUS_AMBIGUOUS) and truth is not None):
            counts["missing"] += 1
        elif cell.status == STATUS_OK:
            if cell.value == truth:
                counts["right"] += 1
            else:
                counts["wrong"] += 1
                wrong.append(f"{label}: 读作 {cell.value}，应为 {'空白' if truth is None else truth}")
        elif cell.status == STATUS_AMBIGUOUS:
            if cell.candidates and truth is not None and truth not in cell.candidates:
                counts["wrong"] += 1
                wrong.append(f"{label}: 候选 {list(map(str, cell.candidates))} 不含 {truth}")
            else:
                counts["ambiguous"] += 1
        else:  # missing / blank, and the truth is a blank
            counts["right"] += 1
    return counts, wrong


def run_file(path: Path, check: bool) -> FileResult | None:
    expected = expected_for(path)
    if expected is None:
        return None
    data = path.read_bytes()
    start = time.perf_counter()
    try:
        parsed: ParsedReport | None = parse_bytes(path.name, data)
    except LoadError:
        parsed = None
    seconds = time.perf_counter() - start
    if parsed is None:
        return FileResult(path.name, expected.layout, check, seconds,
                          "refused" if expected.is_report else "refused_right", meta_ok=not expected.is_report)
    if not expected.is_report:
        return FileResult(path.name, expected.layout, check, seconds, "read_wrong")
    m = parsed.meta
    checks = {"agency": agency_right(m.agency, expected.agencies), "covers_year": m.covers_year == expected.covers_year,
              "template": expected.template is None or m.template == expected.template}
    detail = "; ".join(f"{k} {v}" for k, v in (("agency", m.agency), ("covers_year", m.covers_year),
                                               ("template", m.template)) if not checks[k])
    counts, wrong = score(parsed, expected) if m.template in TEMPLATE_VERSIONS else (Counter(), [])
    if m.template not in TEMPLATE_VERSIONS and expected.cells:
        counts["missing"] += len(expected.cells)
    return FileResult(path.name, expected.layout, check, seconds, "read", all(checks.values()), detail, counts, wrong)


def run_folder(folder: Path) -> list[FileResult]:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                   and not p.name.startswith(".") and p.suffix.lower() != ".md")
    check = {p.stem for p in files[2::3]}
    out = []
    for path in files:
        result = run_file(path, path.stem in check)
        if result is not None:
            out.append(result)
    return out


# ------------------------------------------------------------------------------------------------- report


def summary_row(label: str, results: Sequence[FileResult]) -> str:
    reports = [r for r in results if r.status in ("read", "refused")]
    others = [r for r in results if r.status in ("refused_right", "read_wrong")]
    read = [r for r in reports if r.status == "read"]
    cells: Counter[str] = Counter()
    for r in read:
        cells.update(r.cells)
    total = sum(cells.values())
    rate = (lambda k: f"{cells[k]} ({cells[k] / total:.1%})") if total else (lambda k: "0")
    seconds = sum(r.seconds for r in results)
    meta = sum(r.meta_ok for r in read)
    refused_right = sum(r.status == "refused_right" for r in others)
    return (f"| {label} | {len(reports)} | {len(read)} | {len(reports) - len(read)} | "
            f"{meta}/{len(reports)} ({meta / len(reports):.0%}) | {total} | {rate('right')} | {rate('ambiguous')} | "
            f"{rate('missing')} | **{cells['wrong']}** | {refused_right}/{len(others)} | "
            f"{len(results) / seconds:.0f} |" if reports and seconds else f"| {label} | 0 | | | | | | | | | | |")


HEADER = ("| set | reports | read | refused | metadata right | truth cells | right | ambiguous | missing | **wrong** | "
          "non-reports refused | reports/s |\n|---|---|---|---|---|---|---|---|---|---|---|---|")


def report_markdown(folders: dict[Path, list[FileResult]], command: str, hide_check: bool = False) -> str:
    lines = ["## Real reports (`bench/real.py`)", "", f"Command: `{command}` — {machine()}.", "",
             "Every third file by name in each folder is the check set (`sorted(stems)[2::3]`), kept aside while the "
             "reader was tuned; *tune* is the rest. Truth: the golden files (`tests/data/golden/`) for "
             "`../shared/real`, each page's `.json` for `tests/data/real_web`. A report counts as *metadata right* "
             "when agency, covers_year and template all match (an agency printed with or without its parent place "
             "counts as the same). Cells are scored as in the module docstring; **wrong** must be 0.", ""]
    for folder, results in folders.items():
        lines += [f"### {folder.name}", "", HEADER,
                  summary_row("tune", [r for r in results if not r.check]),
                  summary_row("check", [r for r in results if r.check]),
                  summary_row("all", results), ""]
        layouts = sorted({r.layout for r in results})
        lines += ["By layout:", "", HEADER] + [summary_row(layout, [r for r in results if r.layout == layout])
                                               for layout in layouts] + [""]
        problems = [r for r in results if (r.wrong or (r.status == "read" and not r.meta_ok)
                    or r.status in ("refused", "read_wrong")) and not (hide_check and r.check)]
        if problems:
            lines.append("Reports with a wrong cell, wrong metadata or a wrong refusal:")
            lines.append("")
            for r in problems:
                what = r.meta_detail or r.status
                lines.append(f"* `{r.name}`{' (check)' if r.check else ''}: {what}"
                             + (f"; wrong cells: {'; '.join(r.wrong[:5])}" if r.wrong else ""))
            lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dirs", nargs="*", type=Path, help="folders of real reports (default: ../shared/real and "
                                                         "tests/data/real_web)")
    parser.add_argument("--no-write", action="store_true", help="print only; do not update docs/benchmarks.md")
    parser.add_argument("--hide-check", action="store_true",
                        help="while tuning: figures only for the check set, not which of its reports fail (implies "
                             "--no-write)")
    parser.add_argument("--no-ocr", action="store_true", help="skip the OCR figures (each PDF read back as a scan)")
    args = parser.parse_args(argv)
    dirs = args.dirs or [d for d in DEFAULT_DIRS if d.is_dir()]
    folders = {d: run_folder(d) for d in dirs}
    command = "python -m bench.real" + "".join(f" {d}" for d in args.dirs)
    markdown = report_markdown(folders, command, args.hide_check)
    if not args.no_ocr:
        from bench.ocr import markdown as ocr_markdown
        from bench.ocr import run_scans

        markdown += "\n\n" + "\n\n".join(f"OCR（{d.name}）：\n\n" + ocr_markdown(run_scans(d))
                                          for d in dirs if any(d.glob("*.pdf")))
    print(markdown)
    if not (args.no_write or args.hide_check):
        update_section("real", markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
