"""Compare a parsed report with a hand-written golden file (see tests/data/golden/README.md)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from core.records import ParsedReport
from core.template import cell_specs

ROOT = Path(__file__).resolve().parent
GOLDEN = ROOT / "data" / "golden"
SAMPLES = ROOT.parent / "data" / "samples"
REAL = ROOT / "data" / "real"


def load_golden(stem: str) -> dict:
    return json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))


def expected_cells(golden: dict) -> dict[tuple[str, str, str], Decimal | None]:
    """Every printed cell of the golden file, keyed like the parser's cells."""
    out: dict[tuple[str, str, str], Decimal | None] = {}
    not_printed = set(golden.get("not_printed", []))
    for spec in cell_specs(golden["template"]):
        table, row, col = spec.key
        if row in not_printed:
            continue
        columns = [s.column.key for s in cell_specs(golden["template"]) if s.table == table and s.row.key == row]
        value = golden["tables"][table][row][columns.index(col)]
        out[spec.key] = None if value is None else Decimal(str(value))
    return out


def cell_differences(parsed: ParsedReport, golden: dict) -> list[str]:
    expected = expected_cells(golden)
    got = {c.key: c for c in parsed.cells}
    diffs = []
    for key, value in expected.items():
        cell = got.get(key)
        if cell is None:
            diffs.append(f"{key}: not parsed, golden {value}")
        elif cell.status == "ambiguous" or cell.value != value:
            diffs.append(f"{key}: parsed {cell.value} ({cell.status} {cell.note}), golden {value}")
    extra = set(got) - set(expected)
    diffs += [f"{key}: parsed but not printed in the report" for key in sorted(extra)]
    return diffs


def expected_findings(golden: dict) -> set[tuple[str, str, str, str, Decimal, Decimal]]:
    """Single-report findings of the golden file as comparable tuples (cross-year ones are tested with stores)."""
    out = set()
    for f in golden["findings"]:
        if f["relation"].startswith("cross_year"):
            continue
        out.add((f["relation"], f["table"], f["row"], f["column"], Decimal(str(f["expected"])),
                 Decimal(str(f["printed"]))))
    return out


def parsed_findings(parsed: ParsedReport) -> set[tuple[str, str, str, str, Decimal, Decimal]]:
    return {(f.relation, f.table, f.row, f.column, f.expected, f.printed) for f in parsed.findings}
