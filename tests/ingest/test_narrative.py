"""Counts stated in the narrative: found where they are stated, never invented from other numbers."""

from __future__ import annotations

from core.records import Line
from ingest.narrative import narrative_facts


def _facts(*sentences: str) -> set[tuple[str, int]]:
    lines = [Line(s, i + 1) for i, s in enumerate(sentences)]
    return {(f.kind, int(f.value)) for f in narrative_facts(lines, set())}


def test_counts_stated_in_real_wordings() -> None:
    assert _facts("2024年，全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复）。") == {
        ("new_applications", 3119), ("handled", 3050), ("carried_over", 34), ("carried_forward", 103)}
    assert _facts("全市全年备案政府信息依申请公开领域行政复议案件134件，行政诉讼案件57件。") == {
        ("review_total", 134), ("suit_total", 57)}
    assert _facts("其中，予以公开1191件、部分公开328件、转下年度办理121件。") == {("granted", 1191), ("carried_forward", 121)}


def test_a_sentence_wrapped_over_lines_is_read_whole() -> None:
    assert _facts("2024 年，区政府办代表区政府受理政府", "信息公开申请 17 件，均已在法定期限内予以答复。") == {
        ("new_applications", 17)}


def test_other_numbers_are_not_taken_for_counts() -> None:
    assert _facts("答复时限平均缩短3个工作日。") == set()
    assert _facts("行政诉讼同比下降2个百分点。") == set()
    assert _facts("收到行政复议申请2件。") == {("review_total", 2)}  # not 2 information requests
    assert _facts("不予公开12件。") == set()


def test_all_upheld_states_how_many_were_upheld() -> None:
    assert _facts("信息公开类行政复议7件，诉讼9件，均获维持。") == {
        ("review_total", 7), ("review_upheld", 7), ("suit_upheld", 9)}
    assert _facts("行政复议3件，1件维持，2件纠正。") == {("review_total", 3)}  # no claim that all were upheld
