"""Agencies each named with its own year: "宿迁23年跟淮安24年", "科委24年、洪泽23年、平潭22年这三家",
"宿迁23、淮安24、洪泽24、沭阳25这四份" ask about those reports only, not every agency in every year named."""

from __future__ import annotations

import re
from collections.abc import Sequence

from retrieval.agencies import AgencyDirectory

# right after an agency's name: its year, two or four digits, 年 optional before a list separator
_YEAR_AFTER = re.compile(r"(?:市|区|县)?(?:的)?((?:19|20)\d{2}|\d{2})(?:年度?|年)?(?=[、，,和跟与及同这的]|年|$|\s)")


def paired(text: str, directory: AgencyDirectory, mentioned: Sequence[str]) -> list[tuple[tuple[str, ...], int]]:
    """[(the agencies one mention names, the year written right after it)] when two or more mentions each carry
    a year and not all the same one; [] otherwise."""
    spots: list[tuple[int, int, str]] = []
    for word in dict.fromkeys(w for w in mentioned if w):
        for found in re.finditer(re.escape(word), text):
            if not any(s <= found.start() < e for s, e, _ in spots):
                spots.append((found.start(), found.end(), word))
    spots.sort()
    # a mention inside a longer one ("淮安" of "淮安市洪泽区") is the longer one's
    spots = [x for x in spots if not any(o != x and o[0] <= x[0] and x[1] <= o[1] for o in spots)]
    out: list[tuple[tuple[str, ...], int]] = []
    for start, end, _word in spots:
        m = _YEAR_AFTER.match(text, end)
        if m is None:
            return []
        digits = m.group(1)
        year = int(digits) if len(digits) == 4 else 2000 + int(digits)
        agencies = tuple(a.name for a in directory.resolve(text[start:end]).agencies)
        if not agencies:
            return []
        out.append((agencies, year))
    if len(out) < 2 or len({year for _, year in out}) < 2:
        return []
    return out
