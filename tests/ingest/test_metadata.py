"""Metadata fallbacks that real reports need; unknown stays unknown."""

from __future__ import annotations

from core.names import same_agency
from core.records import Line
from ingest.metadata import read_metadata


def _meta(text: str):
    return read_metadata([Line(t, i + 1) for i, t in enumerate(text.split("\n"))])


def test_title_after_section_one() -> None:
    m = _meta("一、总体情况\n周口市信访局2021年政府信息公开工作年度报告\n正文。")
    assert (m.agency, m.covers_year, m.agency_basis, m.year_basis) == ("周口市信访局", 2021, "title", "title")


def test_no_title_agency_from_sign_off_and_year_from_a_bare_line() -> None:
    m = _meta("\n2020\n一、总体情况\n2020年，市信访局……\n五、存在的主要问题及改进情况\n无。\n青铜峡市信访局\n2021年1月15日")
    assert (m.agency, m.covers_year, m.agency_basis, m.year_basis) == ("青铜峡市信访局", 2020, "signoff", "bare_line")


def test_year_only_in_the_statistics_period() -> None:
    m = _meta("某某县人民政府\n政府信息公开工作年度报告\n本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。")
    assert (m.covers_year, m.year_basis) == (2020, "statistics_period")
    assert (m.agency, m.agency_basis) == ("某某县人民政府", "title")


def test_publication_date_is_not_the_covered_year() -> None:
    m = _meta("一、总体情况\n工作扎实。\n某某局\n2022年1月20日")
    assert m.covers_year is None and m.year_basis == "unknown"  # unknown, not 2022
    assert m.agency == "某某局"


def test_nothing_to_read_is_unknown() -> None:
    m = _meta("一、总体情况\n工作扎实。")
    assert (m.agency, m.covers_year, m.title) == (None, None, None)


def test_agency_names_with_a_region_prefix_match() -> None:
    assert same_agency("洪泽区人民政府", "淮安市洪泽区人民政府")
    assert not same_agency("洪泽区人民政府", "淮安市人民政府")
    assert not same_agency("市信访局", "周口市信访局")  # too short to be sure
