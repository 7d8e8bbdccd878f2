"""Example questions drawn from the reports in the store, so the first screen offers what it can answer.

They name the store's own agencies and years: the year most reports cover, its agencies with the most cells read,
and the agency with the most years. Each shape is one the assistant answers from a table or a section.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Protocol

MAX_EXAMPLES = 5


class Listed(Protocol):
    """A row of the reports list (ui.service.ReportRow)."""

    @property
    def agency(self) -> str: ...
    @property
    def year(self) -> int | str: ...
    @property
    def ok(self) -> int: ...


def example_questions(rows: Sequence[Listed], fallback: Sequence[str] = ()) -> list[str]:
    """Up to :data:`MAX_EXAMPLES` questions about these reports; ``fallback`` when none is dated and named."""
    known = [r for r in rows if isinstance(r.year, int) and r.agency and r.agency != "未识别"]
    if not known:
        return list(fallback)[:MAX_EXAMPLES]
    per_year = Counter(int(r.year) for r in known)
    year = max(per_year, key=lambda y: (per_year[y], y))  # the year most reports cover; the newest of a tie
    in_year = sorted((r for r in known if r.year == year), key=lambda r: (-r.ok, r.agency))
    names = list(dict.fromkeys(r.agency for r in in_year))
    first = names[0]
    out = []
    if len(names) >= 2:
        out.append(f"{year}年哪些单位收到了政府信息公开申请？")
        out.append(f"{first}和{names[1]}{year}年行政复议各多少件？")
    else:
        out.append(f"{first}{year}年行政复议多少件？")
    out.append(f"{first}{year}年存在哪些问题？")
    years_of: dict[str, set[int]] = {}
    for r in known:
        years_of.setdefault(r.agency, set()).add(int(r.year))
    longest = max(years_of, key=lambda a: (len(years_of[a]), a == first))
    held = sorted(years_of[longest])
    if len(held) >= 2:
        out.append(f"{longest}{held[-2]}年和{held[-1]}年新收的政府信息公开申请各多少件？")
    out.append(f"{first}{year}年的统计表加得平吗？")
    out.append(f"{first}{year}年主动公开了哪些政府信息？")
    return out[:MAX_EXAMPLES]
