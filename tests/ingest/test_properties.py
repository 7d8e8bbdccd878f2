"""Property tests on generated reports with known truth: parse(render(truth)) equals the truth, or the cell is
flagged ambiguous/missing — never a wrong number. Derandomised, so a failure reproduces."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.template import APPLICANT_COLUMNS
from ingest.loaders import decode_text
from ingest.pipeline import Ingestor, parse_bytes
from synthetic import SHAPES, make_truth, render, supports_blanks
from synthetic.score import expected_findings, found_findings, score_cells

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

_MUTABLE_ROWS = {"本年新收": "new_applications", "上年结转": "carried_over", "属于国家秘密": "withheld_state_secret",
                 "保护第三方合法权益": "withheld_third_party", "重复申请": "not_processed_repeated"}
_NUMBER = re.compile(r"(?<=[\s|])(\d+)(?=[\s|]|$)")
_GARBAGE = ("O", "l", "?", "5件", "0*", "", "—")


def _corrupt(text: str, rng: random.Random) -> tuple[str, tuple[str, str, str], str] | None:
    """Replace (or delete) one printed number of a 表三 row; returns the text and the cell it belonged to."""
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if any(k in line for k in _MUTABLE_ROWS)
                  and len(_NUMBER.findall(line)) == 7]
    if not candidates:
        return None
    i = rng.choice(candidates)
    matches = list(_NUMBER.finditer(lines[i]))
    k = rng.randrange(7)
    garbage = rng.choice(_GARBAGE)
    m = matches[k]
    lines[i] = lines[i][: m.start()] + garbage + lines[i][m.end():]
    row = next(v for key, v in _MUTABLE_ROWS.items() if key in lines[i])
    return "\n".join(lines), ("三", row, APPLICANT_COLUMNS[k].key), garbage


@pytest.mark.parametrize("shape", ["tab", "space", "layout", "pipe_ocr"])
@hypothesis_settings(max_examples=25, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**31))
def test_a_corrupted_number_is_flagged_and_shifts_nothing(shape: str, seed: int) -> None:
    rng = random.Random(seed)
    truth = make_truth(rng)
    rendered = render(truth, shape, rng)
    text, _ = decode_text(rendered.data)
    corrupted = _corrupt(text, rng)
    if corrupted is None:
        return
    text, cell, garbage = corrupted
    parsed = parse_bytes("corrupted.txt", text.encode("utf-8"))
    got = {c.key: c for c in parsed.cells}
    assert got[cell].status != "ok", (garbage, got[cell])
    others = dict(truth.cells)
    others.pop(cell)
    for key, value in others.items():
        c = got.get(key)
        if c is not None and c.status == "ok":
            assert c.value == value, (key, c.value, value, c.raw, garbage)
