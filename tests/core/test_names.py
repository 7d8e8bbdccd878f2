"""core.names: when two printed agency names are one agency, and the keys that let a store find it by equality."""

from __future__ import annotations

import random

import pytest

from core.names import agency_keys, same_agency


def _by_keys(a: str, b: str) -> bool:
    """What agency_keys promises: one name (without spaces) is among the other's keys."""
    return b.replace(" ", "") in agency_keys(a) or a.replace(" ", "") in agency_keys(b)


@pytest.mark.parametrize(("a", "b"), [
    ("淮安市洪泽区人民政府", "洪泽区人民政府"),
    ("洪泽区人民政府", "淮安市洪泽区人民政府"),  # symmetric
    ("江苏省淮安市洪泽区人民政府", "洪泽区人民政府"),  # two region prefixes
    ("江苏省宿迁市司法局", "宿迁市司法局"),
    ("宿迁市沭阳县高墟镇人民政府", "高墟镇人民政府"),  # a town under a county
    ("周口市信访局", "周口市信访局"),
    ("淮安市 洪泽区 人民政府", "洪泽区人民政府"),  # spaces do not count
    ("洪 泽 区人民政府", "淮安市洪泽区人民政府"),
    ("市信访局", "市信访局"),  # equal names are one agency, however short
])
def test_one_agency(a: str, b: str) -> None:
    assert same_agency(a, b)
    assert _by_keys(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("洪泽区人民政府", "淮安市人民政府"),  # a district and its city are different agencies
    ("市信访局", "周口市信访局"),  # a bare 市… is no agency's name
    ("区人民政府", "洪泽区人民政府"),
    ("镇人民政府", "高墟镇人民政府"),  # 镇 is not a region prefix, and a name starting with it is not a place
    ("县司法局", "沭阳县司法局"),
    ("沭阳县司法局", "泗洪县司法局"),
    ("宿迁市司法局", "宿迁市信访局"),
    ("阳县司法局", "沭阳县司法局"),  # a suffix that does not start after a region character
    ("口市信访局", "周口市信访局"),
    ("宿迁市司法局", "江苏省宿迁市司法局局"),
    (None, "洪泽区人民政府"),
    ("洪泽区人民政府", None),
    ("", ""),
    (None, None),
])
def test_not_one_agency(a: str | None, b: str | None) -> None:
    assert not same_agency(a, b)
    assert not same_agency(b, a)


def test_keys_of_a_prefixed_name() -> None:
    assert agency_keys("淮安市洪泽区人民政府")[:2] == ("淮安市洪泽区人民政府", "洪泽区人民政府")
    assert agency_keys("江苏省宿迁市沭阳县高墟镇人民政府") == (
        "江苏省宿迁市沭阳县高墟镇人民政府", "宿迁市沭阳县高墟镇人民政府", "沭阳县高墟镇人民政府", "高墟镇人民政府")
    assert agency_keys("宿 迁市 司法局") == ("宿迁市司法局",)  # 司法局 (three characters) is too short to be a key
    assert agency_keys("周口市信访局") == ("周口市信访局",)


def test_the_first_key_is_the_name_without_spaces() -> None:
    for name in ("淮安市 洪泽区人民政府", "丰县人民政府", " 沭阳县 司法局 "):
        assert agency_keys(name)[0] == name.replace(" ", "")
        assert len(set(agency_keys(name))) == len(agency_keys(name))


_PROVINCES = ("江苏省", "河南省", "内蒙古自治区")
_CITIES = ("宿迁市", "淮安市", "周口市", "泉州市", "市")
_COUNTIES = ("洪泽区", "沭阳县", "泗洪县", "丰县", "川汇区", "区", "县", "阿拉善盟", "科尔沁右翼前旗")
_TOWNS = ("高良涧镇", "岔河镇", "新城乡", "乡", "镇", "城东街道")
_ORGANS = ("司法局", "人民政府", "信访局", "人民政府办公室", "市场监督管理局", "城市管理局", "县政府")


def _name(rng: random.Random) -> str:
    parts = [rng.choice(level) for level in (_PROVINCES, _CITIES, _COUNTIES, _TOWNS) if rng.random() < 0.5]
    parts.append(rng.choice(_ORGANS))
    name = "".join(parts)
    if rng.random() < 0.2:  # a stray space, as pasted from a PDF
        at = rng.randrange(len(name) + 1)
        name = name[:at] + " " + name[at:]
    return name


def _suffix_of(rng: random.Random, name: str) -> str:
    """A tail of `name`: often a real shorter name of the agency, often not."""
    return name[rng.randrange(len(name)):]


def test_same_agency_agrees_with_agency_keys_on_random_names() -> None:
    rng = random.Random(20240611)
    agreed = {True: 0, False: 0}
    for _ in range(6000):
        a = _name(rng)
        b = _suffix_of(rng, a) if rng.random() < 0.5 else _name(rng)
        if rng.random() < 0.5:
            a, b = b, a
        expected = _by_keys(a, b)
        assert same_agency(a, b) == expected, (a, b)
        assert same_agency(b, a) == expected, (b, a)
        agreed[expected] += 1
    # both outcomes are exercised many times
    assert min(agreed.values()) > 500, agreed


def test_same_agency_agrees_with_agency_keys_on_random_strings() -> None:
    """Not only well-formed names: short strings over region characters, 镇/乡 and a few others."""
    rng = random.Random(7)
    alphabet = "省市县区州盟旗镇乡洪泽人民政府 "
    for _ in range(20000):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9)))
        b = a[rng.randrange(len(a)):] if rng.random() < 0.5 else "".join(
            rng.choice(alphabet) for _ in range(rng.randint(1, 9)))
        assert same_agency(a, b) == _by_keys(a, b), (a, b)


def test_a_name_is_one_agency_with_each_of_its_keys() -> None:
    rng = random.Random(3)
    for _ in range(2000):
        name = _name(rng)
        for key in agency_keys(name):
            assert same_agency(name, key), (name, key)
            assert same_agency(key, name), (key, name)
