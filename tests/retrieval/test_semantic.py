"""The catalogue fallback: a phrase the lexicon misses matched to a table row only when one row clearly fits."""

from __future__ import annotations

from retrieval.query import Measure
from retrieval.semantic import THRESHOLD, match_phrase


def test_a_phrase_of_a_row_name_finds_that_row() -> None:
    found = match_phrase("三安全一稳定")
    assert found is not None and found.measure == Measure("三", "withheld_three_safeties", None)
    assert found.score >= THRESHOLD


def test_a_group_is_not_described_by_its_parts() -> None:
    found = match_phrase("国家秘密")  # one reason of 不予公开, not the 不予公开 total
    assert found is not None and found.measure.row == "withheld_state_secret"


def test_no_row_below_the_threshold_or_between_two_rows() -> None:
    assert match_phrase("访问量") is None and match_phrase("信息处理费") is None
    assert match_phrase("复议") is None  # 行政复议 and 复议后起诉 fit alike
