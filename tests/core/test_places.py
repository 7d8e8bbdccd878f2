"""The gazetteer: hierarchy of the bundled divisions, and the one-character OCR repair only when one real place fits."""

from __future__ import annotations

from core.glyphs import confusable
from core.places import Gazetteer, Place, gazetteer


def test_a_district_knows_its_city_and_province() -> None:
    (hongze,) = gazetteer().named("洪泽区")
    assert hongze.path == ("江苏省", "淮安市", "洪泽区") and hongze.level == 3
    assert hongze in gazetteer().within(gazetteer().named("淮安市")[0])


def test_places_in_an_agency_name_resolve_against_the_one_before() -> None:
    matches = gazetteer().read_name("长春市朝阳区人民政府")
    assert [m.place.path for m in matches if m.place] == [("吉林省", "长春市"), ("吉林省", "长春市", "朝阳区")]
    (alone,) = gazetteer().read_name("朝阳区人民政府")  # 北京 and 长春 both have one
    assert alone.place is None and {c.path[0] for c in alone.candidates} == {"北京市", "吉林省"}


def test_an_ocr_confusion_is_repaired_when_exactly_one_real_place_is_a_character_away() -> None:
    (match,) = gazetteer().read_name("沐阳县人民政府")
    assert match.repaired and match.printed == "沐阳县" and match.place is not None
    assert match.place.path == ("江苏省", "宿迁市", "沭阳县")
    # 泗阳县 and 汝阳县 also differ from 沐阳县 in one character, but not in a way OCR confuses
    assert not confusable("沐", "泗") and not confusable("沐", "汝") and confusable("沐", "沭")


def test_no_repair_when_two_real_places_are_equally_near() -> None:
    places = [Place("已安县", "1", "县", ("某省", "已安县")), Place("巳安县", "2", "县", ("某省", "巳安县"))]
    (match,) = Gazetteer(places).read_name("己安县人民政府")
    assert match.place is None and not match.repaired and len(match.candidates) == 2


def test_a_real_place_is_never_repaired_and_a_non_place_is_left_alone() -> None:
    assert not gazetteer().read_name("泗阳县人民政府")[0].repaired
    assert gazetteer().read_name("平潭综合实验区") == []
    assert gazetteer().read_name("市审计局") == []


def test_a_zone_lies_in_the_one_division_it_is_named_after() -> None:
    zone = gazetteer().zone("平潭综合实验区")
    assert zone is not None and zone.path == ("福建省", "福州市", "平潭县")
    assert gazetteer().zone("苏州工业园区").path == ("江苏省", "苏州市")  # type: ignore[union-attr]
    assert gazetteer().zone("综合实验区") is None and gazetteer().zone("宿迁市") is None
