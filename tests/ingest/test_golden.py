"""Every cell of the five samples and five real reports against hand-written golden files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import parse_path
from tests.golden import REAL, SAMPLES, cell_differences, expected_findings, load_golden, parsed_findings

REPORTS = sorted(SAMPLES.glob("*.txt")) + sorted(REAL.glob("*"))
# Read exactly (every cell right, every finding found) since they were first golden-tested; the later real reports
# (one-line web text, OCR with scrambled tables) must be right or honestly ambiguous, never wrong:
# tests/ingest/test_real_reports.py.
EXACT = {"hongze_district_2023", "hongze_district_2024", "huaian_city_2024", "suqian_city_2023", "suqian_city_2024"}
EXACT_REPORTS = sorted(SAMPLES.glob("*.txt")) + [p for p in REPORTS if p.stem in EXACT]


@pytest.fixture(scope="module", params=EXACT_REPORTS, ids=lambda p: p.name)
def parsed(request: pytest.FixtureRequest):
    path: Path = request.param
    return parse_path(path), load_golden(path.stem)


def test_there_is_a_golden_file_for_every_report() -> None:
    assert len(REPORTS) >= 10
    for path in REPORTS:
        assert load_golden(path.stem)["source"] == path.name


def test_metadata(parsed) -> None:
    report, golden = parsed
    assert (report.meta.agency, report.meta.covers_year, report.meta.template) == (
        golden["agency"], golden["covers_year"], golden["template"])


def test_every_cell_matches_the_source(parsed) -> None:
    report, golden = parsed
    assert cell_differences(report, golden) == []


def test_findings_match_the_source(parsed) -> None:
    report, golden = parsed
    assert parsed_findings(report) == expected_findings(golden)


def test_cells_carry_provenance(parsed) -> None:
    report, _ = parsed
    for cell in report.cells:
        assert cell.raw and cell.line is not None and cell.row_label
        if report.file_type == "pdf":
            assert cell.page is not None


def test_chunks_cover_the_sections_with_prefix(parsed) -> None:
    report, golden = parsed
    assert {c.section_no for c in report.chunks} >= {1, 5}
    for chunk in report.chunks:
        assert chunk.indexed_text.startswith(f"{golden['agency']} · {golden['covers_year']}年 · ")
        assert chunk.line_start <= chunk.line_end
        assert "\t" not in chunk.text  # table rows are answered from cells, not indexed as text
