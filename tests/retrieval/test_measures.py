"""retrieval.measures: the cells a clause names, and how named cells relate."""

from __future__ import annotations

from retrieval.measures import find_measures, parts_not_groups, without_parts
from retrieval.query import Measure


def test_a_fee_notice_row_is_a_table_three_row_not_table_two_fees() -> None:
    measures, bare = find_measures("逾期未按收费通知缴纳费用的有几件")
    assert measures == [Measure("三", "other_unpaid_fee", None)] and bare == []


def test_other_things_received_are_not_applications() -> None:
    assert find_measures("收到多少条公众意见")[0] == []


def test_a_group_named_beside_its_part_is_the_part_and_a_sum_keeps_the_group() -> None:
    group, part = Measure("三", "unavailable", None), Measure("三", "unavailable_not_held", None)
    assert parts_not_groups((group, part)) == (part,)
    suit, direct = Measure("四", "suit", None), Measure("四", "direct_suit", None)
    assert without_parts((suit, direct)) == (suit,)
