"""Place names in a question that no ingested report covers ("南京市", "平潭2021年…" when 平潭 is not in the store):
the assistant says they are missing instead of answering for other agencies. The gazetteer decides what is a place;
text that is not a place name is never one ("报告正文说区")."""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from core.places import gazetteer

UNKNOWN_PLACE = re.compile(r"([\u4e00-\u9fff]{2,5}?)(省|市|区|县)")
#: what stands right before a place name in a question (or the question's start)
BEFORE_PLACE = set("，,。？?！!、：:；;和与及跟同把看问查那请")
_LEADING_NOT_PLACE = set("哪些各全本该辖每其他城市区县省地州我你此两三几个的和与及、")
_NOT_PLACE = set("哪些各全本该辖每其他我你此几个")
_NOT_PLACE_BEFORE_QU = set("专园社景片辖小校营")
#: what follows a bare place name ("平潭2021年", "平潭和泉港", "平潭的", "平潭去年"): a year, a conjunction, 的
_AFTER_BARE = re.compile(r"[\d年的和与及跟同、，,那这去今前近]|[一二三四五六七八九〇零两]{2}年")
_SUFFIX_CHARS = set("省市区县州旗盟")
_ORGAN_CHARS = set("局委厅办院所站队处科中部")  # 公安局 is an organ, not the place 公安(县)


def unknown_places(text: str, known: list[tuple[int, int, str]], covered: Collection[str]) -> tuple[str, ...]:
    """The place names in ``text`` outside the ``known`` mentions (spans of covered agencies' names) that no
    ``covered`` region is: with a suffix (南京市), or bare where a place name stands (平潭2021年…, 2020年平潭收到…)."""
    masked = list(text)
    for s, e, _ in known:
        masked[s:e] = ["#"] * (e - s)
    plain = "".join(masked)
    out = []
    for match in UNKNOWN_PLACE.finditer(plain):
        base = match.group(1)
        while base and base[0] in _LEADING_NOT_PLACE:
            base = base[1:]
        if match.group(2) == "区" and base[-1:] in _NOT_PLACE_BEFORE_QU:  # 专区, 园区, 社区 are not places
            continue
        name = base + match.group(2)
        if len(base) >= 2 and not set(base) & _NOT_PLACE and base not in covered and "公开" not in base \
                and is_place(name):  # text that is not a place name is never an agency ("报告正文说区")
            out.append(name)
    out += _bare_places(plain, covered)
    return tuple(dict.fromkeys(out))


def _bare_places(text: str, covered: Collection[str]) -> list[str]:
    """Division names without their suffix where a place name stands: at the start, after punctuation, a
    conjunction or a year, and before a year, a conjunction or 的."""
    bases = place_bases()
    out = []
    for i in range(len(text)):
        if i and text[i - 1] not in BEFORE_PLACE and text[i - 1] != "年":
            continue
        for size in (3, 2):
            span = text[i:i + size]
            after = text[i + size:i + size + 2]
            if len(span) == size and span in bases and span not in covered and "#" not in span \
                    and after[:1] not in _SUFFIX_CHARS | _ORGAN_CHARS and (not after or _AFTER_BARE.match(after) or i == 0
                                                              or text[i - 1] == "年"):
                out.append(span)
                break
    return out


def is_place(name: str) -> bool:
    """A real division's name, one OCR-confusable character away from one, or a zone named after one
    (平潭实验区, 苏州工业园区: the gazetteer decides)."""
    if gazetteer().named(name) or gazetteer().near(name):
        return True
    bases = place_bases()
    return any(name[:k] in bases for k in range(2, min(5, len(name))))


@lru_cache(maxsize=1)
def place_bases() -> frozenset[str]:
    """Every division's name without its suffix (平潭县 → 平潭), two characters or more."""
    return frozenset(p.name[:-1] for p in gazetteer().places if len(p.name) >= 3)
