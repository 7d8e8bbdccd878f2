"""The real reports of tests/data/real against their golden files: the right agency, year and template, and every
golden cell right or honestly ambiguous — never a wrong number (tests/data/golden/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.real import agency_right, expected_for, score
from ingest.pipeline import parse_path
from tests.golden import REAL, expected_findings, load_golden, parsed_findings

REPORTS = sorted(REAL.glob("*"))


@pytest.fixture(scope="module", params=REPORTS, ids=lambda p: p.name)
def case(request: pytest.FixtureRequest):
    path: Path = request.param
    return path, parse_path(path), expected_for(path)


def test_metadata_is_right(case) -> None:
    _, parsed, expected = case
    assert agency_right(parsed.meta.agency, expected.agencies), parsed.meta.agency
    assert (parsed.meta.covers_year, parsed.meta.template) == (expected.covers_year, expected.template)


def test_no_cell_is_wrong(case) -> None:
    _, parsed, expected = case
    counts, wrong = score(parsed, expected)
    assert counts["wrong"] == 0, wrong
    assert counts["right"] >= 0.6 * sum(counts.values()), counts  # the reader still reads most of each report


def test_findings_are_the_printed_contradictions(case) -> None:
    path, parsed, _ = case
    assert parsed_findings(parsed) == expected_findings(load_golden(path.stem))


def test_the_ocr_repair_keeps_the_printed_name() -> None:
    parsed = parse_path(REAL / "shuyang_county_2025.txt")
    assert parsed.meta.agency == "沭阳县人民政府" and parsed.meta.agency_printed == "沐阳县人民政府"
    assert parsed.meta.region == ("江苏省", "宿迁市", "沭阳县")
    assert any("沐阳县" in w and "沭阳县" in w for w in parsed.warnings)


def test_a_flattened_table_four_is_read_without_blanks_when_table_three_needed_none() -> None:
    # pingtan_2021 表四 "10203120001200000": 1|0|2|0|3 12|0|0|0|12 0|0|0|0|0, not 12000 beside three blank cells
    cells = {c.column: c for c in parse_path(REAL / "pingtan_2021.txt").cells if c.table == "四"}
    assert (cells["direct_suit_total"].value, cells["direct_suit_total"].status) == (12, "ok")
    assert cells["suit_after_review_upheld"].value == 0 and cells["review_total"].value == 3
