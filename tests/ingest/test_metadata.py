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


def test_a_title_broken_and_spaced_over_two_lines_with_the_year_first() -> None:
    m = _meta("正文\n2025 年上海市人民政府办公厅政府信息公开\n工作年度报告\n本年度报告根据……编制。")
    assert (m.agency, m.covers_year, m.agency_basis) == ("上海市人民政府办公厅", 2025, "title")


def test_the_year_is_not_glued_into_the_agency() -> None:
    m = _meta("2019年上海市人民政府办公厅政府信息公开工作年度报告\n发布日期：2020-01-31")
    assert (m.agency, m.covers_year) == ("上海市人民政府办公厅", 2019)


def test_year_in_brackets_and_a_title_naming_no_agency() -> None:
    m = _meta("某某镇人民政府政府信息公开工作年度报告（2022年度）\n一、总体情况")
    assert (m.agency, m.covers_year) == ("某某镇人民政府", 2022)
    m = _meta("关于2022年度政府信息公开情况的报告\n一、总体情况\n2022年，区房屋征收办认真贯彻落实《条例》。")
    assert (m.covers_year, m.agency, m.agency_basis) == (2022, "区房屋征收办", "body")  # as the body prints it
    m = _meta("关于2022年度政府信息公开情况的报告\n一、总体情况\n2022年，我办认真贯彻落实《条例》。")
    assert m.covers_year == 2022 and m.agency is None  # 我办 names no one: unknown, never guessed


def test_agency_from_a_self_naming_sentence_or_the_publisher_line() -> None:
    m = _meta("根据《条例》要求，现公布兴仁市人民政府2022年政府信息公开工作年度报告。\n一、总体情况")
    assert (m.agency, m.agency_basis, m.covers_year) == ("兴仁市人民政府", "self_naming", 2022)
    m = _meta("关于2023年度政府信息公开情况的报告\n发布机构: 平潭综合实验区管委会办公室\n一、总体情况")
    assert (m.agency, m.agency_basis) == ("平潭综合实验区管委会办公室", "publisher")


def test_a_breadcrumb_is_not_the_title() -> None:
    m = _meta("首页 > 政务公开 > 2021 > 街道办事处政府信息公开工作年度报告\n2021年迎宾路街道政府信息公开工作年度报告")
    assert (m.agency, m.covers_year) == ("迎宾路街道", 2021)


def test_an_ocr_garbled_place_is_repaired_with_the_printed_name_kept() -> None:
    m = _meta("# 沐阳县人民政府 2025 年 政府信息公开工作年度报告")
    assert (m.agency, m.agency_printed, m.region) == ("沭阳县人民政府", "沐阳县人民政府", ("江苏省", "宿迁市", "沭阳县"))
    assert m.warnings and "沐阳县" in m.warnings[0]


def test_a_name_with_what_it_also_goes_by_in_brackets() -> None:
    m = _meta("某某市某某区人民政府(区政府办公室)2021年政府信息公开工作年度报告\n一、总体情况")
    assert (m.agency, m.covers_year) == ("某某市某某区人民政府(区政府办公室)", 2021)
    m = _meta("2022年高新区(新市区)政府信息公开工作年度报告\n一、总体情况")
    assert (m.agency, m.covers_year) == ("高新区(新市区)", 2022)
    assert _meta("2022年(区政府办公室)政府信息公开工作年度报告").agency is None  # a kind of body is no name


def test_the_report_quoting_its_own_title_in_its_text() -> None:
    m = _meta("2021年，在镇党委的领导下，我镇认真编制了《2021年某某镇政府信息公开工作年度报告》。现将报告如下：\n一、总体情况")
    assert (m.agency, m.agency_basis, m.covers_year) == ("某某镇", "self_naming", 2021)
    m = _meta("根据《中华人民共和国政府信息公开条例》的要求，编制本报告。\n一、总体情况")
    assert m.agency is None  # a quoted regulation is not the report's title


def test_published_to_the_public_names_the_report() -> None:
    m = _meta("根据《条例》要求，现向社会公开某某乡2019年政府信息公开工作年度报告。\n一、信息公开工作概述")
    assert (m.agency, m.covers_year) == ("某某乡", 2019)


def test_a_page_title_field_and_a_variant_title_wording() -> None:
    m = _meta("标      题 某某自治区审计厅2025年政务信息公开工作开展年度报告\n索引号 000014349/2026-00021\n一、总体情况")
    assert (m.agency, m.covers_year, m.agency_basis) == ("某某自治区审计厅", 2025, "title")
