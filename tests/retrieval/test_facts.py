"""Facts over many reports as columns (``first_values``) equal the per-report facts for values that are hard to
hold exactly: decimals in exponent form, negative changes, numbers too big for 64-bit integers and their sums."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from ingest.pipeline import parse_path
from retrieval.agencies import ReportInfo
from retrieval.facts import facts, first_values
from retrieval.query import Measure
from store.sqlite import CellStore
from tests.golden import REAL, SAMPLES

ODD = {  # (table, row, column) → values given to successive reports
    ("二", "fees", "fee_amount"): [Decimal("1E-7"), Decimal("0.1200"), Decimal("-3.5"), Decimal("12345678.123456")],
    ("三", "withheld_state_secret", "total"): [Decimal(5 * 10**18), Decimal(2**62 - 1), Decimal(7), Decimal(-1)],
    ("三", "withheld_third_party", "total"): [Decimal(5 * 10**18), Decimal(2**62 - 1), Decimal(1000), Decimal(0)],
    ("三", "withheld_internal_affairs", "total"): [Decimal(0), Decimal(2**62 - 1), Decimal(0), Decimal(0)],
    ("三", "withheld_process_info", "total"): [Decimal(0), Decimal(0), Decimal("2E+2"), Decimal(0)],
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> CellStore:
    s = CellStore(tmp_path_factory.mktemp("facts") / "govqa.sqlite3")
    paths = [REAL / "suqian_city_2023.txt", REAL / "suqian_city_2024.txt", *sorted(SAMPLES.glob("*.txt"))]
    for i, path in enumerate(paths):
        report = parse_path(path)
        cells = tuple(replace(c, value=ODD[c.key][i % 4], status="ok") if c.key in ODD else c for c in report.cells)
        s.save_report(replace(report, cells=cells), "1")
    return s


@pytest.mark.parametrize("measure", [Measure("二", "fees", "fee_amount"), Measure("三", "withheld", None)])
def test_hard_values_are_exact_in_the_columns(store: CellStore, measure: Measure) -> None:
    reports = [ReportInfo(r.id, r.source, r.meta.agency, r.meta.covers_year, r.meta.template)
               for r in store.reports()]
    columns = first_values(store, reports, measure)
    full = facts(store, reports, measure)
    got = [(columns.row(i).value, columns.row(i).status) for i in range(len(columns))]
    want = [(f.parts[0].value, f.parts[0].status) if f.parts else (None, "no_part") for f in full]
    assert got == want
    assert any(v is not None and abs(v) >= 2**63 for v, _ in got) or measure.table == "二"  # a sum beyond int64
    assert any(v == Decimal("1E-7") for v, _ in got) or measure.table == "三"
