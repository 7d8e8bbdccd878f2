"""Property tests on generated reports with known truth: parse(render(truth)) equals the truth, or the cell is
flagged ambiguous/missing — never a wrong number. Derandomised, so a failure reproduces."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ingest.loaders import decode_text
from ingest.pipeline import Ingestor, parse_bytes
from synthetic import SHAPES, make_truth, render, supports_blanks
from synthetic.noise import corrupt_cells, corrupt_number, hide_blanks
from synthetic.score import expected_findings, found_findings, score_cells, score_damage

EXACT_SHAPES = ("tab", "space", "layout", "pipe_ocr", "docx")  # shapes in which every cell can be read


def _case(seed: int, shape: str, broken: bool, blanks: bool):
    rng = random.Random(seed)
    truth = make_truth(rng, broken=broken, blanks=blanks and supports_blanks(shape))
    rendered = render(truth, shape, rng)
    return truth, parse_bytes(rendered.filename, rendered.data)


@pytest.mark.parametrize("shape", SHAPES)
@hypothesis_settings(max_examples=20, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**31), broken=st.booleans(), blanks=st.booleans())
def test_a_cell_is_right_or_flagged_never_wrong(shape: str, seed: int, broken: bool, blanks: bool) -> None:
    truth, parsed = _case(seed, shape, broken, blanks)
    score = score_cells(parsed, truth)
    assert score.counts["wrong"] == 0, score.wrong
    assert (parsed.meta.agency, parsed.meta.covers_year, parsed.meta.template) == (
        truth.agency, truth.covers_year, truth.template)
    if shape in EXACT_SHAPES:
        assert score.counts["right"] == score.total, score.counts
    if score.counts["right"] == score.total and not truth.blank_keys:
        # every broken total is reported, and nothing else (a relation over a blank cell cannot be checked)
        assert found_findings(parsed) == expected_findings(truth)


@hypothesis_settings(max_examples=8, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**31))
def test_blanks_are_never_read_as_zero(seed: int) -> None:
    truth, parsed = _case(seed, random.Random(seed).choice(["tab", "pipe_ocr", "html"]), False, True)
    cells = {c.key: c for c in parsed.cells}
    for key in truth.blank_keys:
        assert cells[key].value is None and cells[key].status in ("missing", "ambiguous"), key


@pytest.mark.parametrize("year", [2019, 2021])
def test_consecutive_years_raise_no_false_continuity_alarms(settings, year: int) -> None:
    rng = random.Random(year)
    first = make_truth(rng, year=year)
    second = make_truth(rng, previous=first)
    ingestor = Ingestor.open(settings)
    ids = []
    for truth in (first, second):
        rendered = render(truth, "tab", rng)
        report = parse_bytes(rendered.filename, rendered.data, source_path=rendered.filename)
        ids.append(ingestor.store(report).report.report_id)
    findings = ingestor.cells.findings(ids[1])
    ingestor.close()
    assert not [f for f in findings if f.relation.startswith("cross_year")]


# ------------------------------------------------------------------------------------ corrupted numbers

@pytest.mark.parametrize("shape", ["tab", "space", "layout", "pipe_ocr"])
@hypothesis_settings(max_examples=25, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**31))
def test_a_corrupted_number_is_flagged_and_shifts_nothing(shape: str, seed: int) -> None:
    rng = random.Random(seed)
    truth = make_truth(rng)
    rendered = render(truth, shape, rng)
    text, _ = decode_text(rendered.data)
    corrupted = corrupt_number(text, rng)
    if corrupted is None:
        return
    text, cell, garbage = corrupted
    damage = score_damage(parse_bytes("corrupted.txt", text.encode("utf-8")), truth, [cell])
    assert damage.unflagged == (), (garbage, cell)
    assert damage.wrong_elsewhere == (), garbage


@pytest.mark.parametrize("kind", ["split", "merge"])
@hypothesis_settings(max_examples=30, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**31))
def test_a_split_or_merged_grid_cell_is_flagged_and_shifts_nothing(kind: str, seed: int) -> None:
    rng = random.Random(seed)
    truth = make_truth(rng)
    text, _ = decode_text(render(truth, "tab", rng).data)
    damaged = corrupt_cells(text, rng, kind)
    if damaged is None:
        return
    text, cells = damaged
    damage = score_damage(parse_bytes("damaged.txt", text.encode("utf-8")), truth, cells)
    assert damage.unflagged == (), kind
    assert damage.wrong_elsewhere == (), kind


@pytest.mark.parametrize("shape", ["space", "flattened"])
@hypothesis_settings(max_examples=30, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**31), broken=st.booleans())
def test_invisible_blank_cells_are_never_read_as_values(shape: str, seed: int, broken: bool) -> None:
    rng = random.Random(seed)
    truth = make_truth(rng, blanks=True, broken=broken)
    text, _ = decode_text(render(truth, "tab", rng).data)
    parsed = parse_bytes("hidden.txt", hide_blanks(text, shape).encode("utf-8"))
    score = score_cells(parsed, truth)
    assert score.counts["wrong"] == 0, score.wrong
    got = {c.key: c for c in parsed.cells}
    for key in truth.blank_keys:
        assert key not in got or got[key].status != "ok", (key, got[key])
