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
