"""retrieval.agencies: which agencies a question names."""

from __future__ import annotations

from retrieval.agencies import AgencyDirectory, ReportInfo


def test_a_place_name_inside_an_organ_name_is_not_a_place() -> None:
    """Found at 100k generated reports: a place 和城县 made 住房和城乡建设局 read as “和城 + 乡建设局”."""
    directory = AgencyDirectory([ReportInfo("a", "a.txt", "和城县信访局", 2021, "2021"),
                                 ReportInfo("b", "b.txt", "庆昌市住房和城乡建设局", 2022, "2021")])
    match = directory.resolve("庆昌市住房和城乡建设局2022年新收政府信息公开申请多少件？")
    assert [a.name for a in match.agencies] == ["庆昌市住房和城乡建设局"] and match.unknown == ()
    assert [a.name for a in directory.resolve("和城县信访局2021年收到多少申请").agencies] == ["和城县信访局"]


def _directory() -> AgencyDirectory:
    names = ["宿迁市", "沭阳县人民政府", "淮安市洪泽区人民政府", "淮安市人民政府", "上海市人民政府办公厅", "上海市科委"]
    return AgencyDirectory([ReportInfo(str(i), f"{i}.txt", n, 2024, "2021") for i, n in enumerate(names)])


def test_a_fuller_name_wins_over_its_prefix() -> None:
    match = _directory().resolve("上海市人民政府办公厅2019年收到多少申请？")
    assert [a.name for a in match.agencies] == ["上海市人民政府办公厅"] and match.unknown == ()


def test_a_province_before_a_city_qualifies_it() -> None:
    match = _directory().resolve("江苏省宿迁市2024年行政诉讼多少件？")
    assert [a.name for a in match.agencies] == ["宿迁市"] and match.unknown == ()


def test_text_that_is_not_a_place_is_never_an_agency() -> None:
    assert "报告正文说区" not in _directory().resolve("报告正文说区政府办收到多少申请").unknown
    assert _directory().resolve("南京市2024年行政复议多少件").unknown == ("南京市",)  # a real place, not ingested


def test_the_counties_of_a_city_come_from_the_hierarchy() -> None:
    counties = _directory().resolve("宿迁下面的县2024年新收申请多少件？")
    assert [a.name for a in counties.agencies] == ["沭阳县人民政府"]
    districts = _directory().resolve("淮安市下面的区2024年行政复议多少件")
    assert [a.name for a in districts.agencies] == ["淮安市洪泽区人民政府"]


def test_a_place_name_garbled_by_one_confusable_character_finds_the_one_place_it_means() -> None:
    match = _directory().resolve("沐阳县2025年新收申请多少")
    assert [a.name for a in match.agencies] == ["沭阳县人民政府"] and match.repaired == ("沐阳县",)
    assert "沐阳县" in match.mentioned  # the printed word is accounted for


def test_a_province_no_agency_name_contains_scopes_the_agencies_under_it() -> None:
    directory = AgencyDirectory([*_directory().reports, ReportInfo("p", "p.txt", "平潭综合实验区", 2024, "2021"),
                                 ReportInfo("q", "q.txt", "泉港区信访局", 2024, "2021")])
    jiangsu = directory.resolve("江苏这几份报告里哪几份废止的多？")
    assert {a.name for a in jiangsu.agencies} == {"宿迁市", "沭阳县人民政府", "淮安市洪泽区人民政府", "淮安市人民政府"}
    assert jiangsu.mentioned == ("江苏",) and jiangsu.unknown == ()
    # a zone lies where its namesake does: 平潭综合实验区 in 平潭县, 福州市, 福建省
    assert {a.name for a in directory.resolve("福建的报告有几份").agencies} == {"平潭综合实验区", "泉港区信访局"}
    assert [a.name for a in directory.resolve("宿迁2024年新收多少").agencies] == ["宿迁市"]  # a named place wins


def test_a_homophone_typed_for_a_place_is_read_as_the_one_place_it_sounds_like() -> None:
    match = _directory().resolve("宿千24年行政强制多少")
    assert [a.name for a in match.agencies] == ["宿迁市"] and match.repaired == ("宿千",)
    assert "宿千" in match.mentioned
    assert _directory().resolve("行政强制多少件").agencies == ()  # ordinary words are not places
    assert _directory().resolve("复议24年多少").agencies == ()


def test_the_government_above_an_agency_comes_from_the_gazetteer() -> None:
    directory = _directory()
    assert [a.name for a in directory.above(directory.by_name["沭阳县人民政府"])] == ["宿迁市"]
    assert [a.name for a in directory.above(directory.by_name["淮安市洪泽区人民政府"])] == ["淮安市人民政府"]
    assert directory.above(directory.by_name["宿迁市"]) == []


def test_an_organ_belongs_to_the_place_right_before_it() -> None:
    directory = AgencyDirectory([*_directory().reports, ReportInfo("p", "p.txt", "平潭综合实验区", 2025, "2021")])
    match = directory.resolve("2025年平潭和上海市府办公厅，谁的行政复议案件多？")
    assert {a.name for a in match.agencies} == {"平潭综合实验区", "上海市人民政府办公厅"}
    full = directory.resolve("淮安市洪泽区政府2024年行政复议多少件")  # a place qualifying the next is no unknown organ
    assert [a.name for a in full.agencies] == ["淮安市洪泽区人民政府"] and full.unknown == ()


def test_a_bare_place_name_one_confusable_glyph_off_is_read_as_the_covered_place() -> None:
    d = _directory()
    match = d.resolve("沐阳25年行政处罚一共做了多少个决定？")
    assert [a.name for a in match.agencies] == ["沭阳县人民政府"] and match.repaired == ("沐阳",)
    assert d.resolve("哪些单位25年行政处罚超过一万件？").agencies == ()  # nothing to repair in a question on all


def test_only_a_city_office_is_the_shi_fu_ban() -> None:
    d = AgencyDirectory([ReportInfo("a", "a.txt", "上海市人民政府办公厅", 2025, "2021"),
                         ReportInfo("b", "b.txt", "川汇区人民政府办公室", 2025, "2021")])
    assert [a.name for a in d.resolve("市府办25年收到多少申请？").agencies] == ["上海市人民政府办公厅"]


def test_a_bare_place_name_not_in_the_store_is_named_missing_never_dropped() -> None:
    directory = _directory()
    assert directory.resolve("平潭2021年存在哪些问题？").unknown == ("平潭",)
    assert directory.resolve("2020年平潭收到多少申请").unknown == ("平潭",)
    both = directory.resolve("平潭和宿迁2024年新收申请各多少？")
    assert both.unknown == ("平潭",) and [a.name for a in both.agencies] == ["宿迁市"]
    assert directory.resolve("宿迁2024年新收申请多少件").unknown == ()  # covered
    assert directory.resolve("公安局2024年收到多少申请").unknown == ()  # an organ, not the county 公安
    assert directory.resolve("2024年行政复议纠正了多少件").unknown == ()


def test_an_organ_short_form_that_takes_the_last_character_of_its_place() -> None:
    """"上海市府办": 市府办 shares the 市 of 上海市; the place qualifies that organ, not every agency of 上海."""
    d = _directory()
    assert [a.name for a in d.resolve("上海市府办19年复议多少件").agencies] == ["上海市人民政府办公厅"]
    assert [a.name for a in d.resolve("上海市科委24年复议多少件").agencies] == ["上海市科委"]
    assert len(d.resolve("上海市24年复议多少件").agencies) == 2


def test_an_organ_of_no_place_named_last_in_a_list_of_places() -> None:
    d = AgencyDirectory([ReportInfo(str(i), f"{i}.txt", n, 2025, "2021")
                         for i, n in enumerate(["沭阳县人民政府", "平潭综合实验区", "上海市人民政府办公厅", "宿迁市"])])
    match = d.resolve("去年沭阳、平潭、市政府办公厅这三家，哪家被申请行政复议的最少？")
    assert sorted(a.name for a in match.agencies) == ["上海市人民政府办公厅", "平潭综合实验区", "沭阳县人民政府"]
    assert match.unknown == ()
