"""The reports a question can be asked about, held in memory between questions, and the scope of one question.

Built from the cell store when the assistant opens and again after ingestion. 100k reports: the lists here are
sorted once, not per question, and frozen out of the garbage collector's scans.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass, replace

from retrieval.agencies import AgencyDirectory, ReportInfo
from retrieval.facts import ReportIndex
from retrieval.passages import PassageSearch
from retrieval.query import Query
from store.sqlite import CellStore


@dataclass
class Corpus:
    reports: dict[str, ReportInfo]  # by id
    directory: AgencyDirectory
    in_order: list[ReportInfo]  # every report with a known agency, by (covers_year, agency)
    by_year: dict[int, list[ReportInfo]]  # the same order, year by year
    order_index: ReportIndex  # the table-list index over in_order
    year_index: dict[int, ReportIndex]  # a year's, made on its first list
    names: int  # how many agencies in_order names
    generation: int  # the store's generation this was built from

    @classmethod
    def load(cls, store: CellStore) -> Corpus:
        """Read the report list. The list is long-lived: it is frozen out of the garbage collector's scans (100k
        reports make each full collection, triggered by a corpus-wide list's own objects, cost hundreds of ms)."""
        gc.unfreeze()  # the list this one replaces may hold cycles to collect
        generation = store.generation()
        infos = [ReportInfo(r.id, r.source, r.meta.agency, r.meta.covers_year, r.meta.template, r.meta.title)
                 for r in store.reports()]
        directory = AgencyDirectory(infos)
        in_order = sorted((r for a in directory.agencies for r in a.reports),
                          key=lambda r: (r.covers_year or 0, r.agency or ""))
        by_year: dict[int, list[ReportInfo]] = {}
        for r in in_order:
            if r.covers_year is not None:
                by_year.setdefault(r.covers_year, []).append(r)
        return cls({r.id: r for r in infos}, directory, in_order, by_year, ReportIndex.of(in_order), {},
                   len({r.agency for r in in_order}), generation)

    @staticmethod
    def settle() -> None:
        """After loading (and building what reads the list): collect once, then freeze what is left."""
        gc.collect()
        gc.freeze()

    def ids(self, reports: Sequence[ReportInfo]) -> set[str] | None:
        """The reports' ids for a search filter; None when they are every report in the store (no filter)."""
        return None if len(reports) >= len(self.reports) else {r.id for r in reports}

    def agency_name(self, report: ReportInfo) -> str:
        agency = self.directory.agency_of(report.id)
        return agency.name if agency else (report.agency or report.id)

    def index_of(self, reports: list[ReportInfo]) -> ReportIndex:
        """The reports' index: kept for every report and for each year's (the lists :meth:`scope` returns as they
        are), so a list over them builds none per question; made for any other scope."""
        if reports is self.in_order:
            return self.order_index
        year = reports[0].covers_year if reports else None
        if year is not None and self.by_year.get(year) is reports:
            if year not in self.year_index:
                self.year_index[year] = ReportIndex.of(reports)
            return self.year_index[year]
        return ReportIndex.of(reports)

    def scope(self, q: Query) -> tuple[list[ReportInfo], str]:
        """The reports a question covers, or a Chinese explanation of what is missing."""
        if q.also:  # "两家加起来": this turn's reports and those of the turns it joins
            found: dict[str, ReportInfo] = {}
            for part in (replace(q, also=()), *q.also):
                reports, missing = self.scope(part)
                if missing:
                    return [], missing
                found.update((r.id, r) for r in reports)
            return sorted(found.values(), key=lambda r: (r.covers_year or 0, r.agency or "")), ""
        directory = self.directory
        if q.unknown_agencies and not q.agencies:
            have = "、".join(a.name for a in directory.agencies[:12])
            return [], (f"资料库中没有“{'、'.join(q.unknown_agencies)}”的年报，无法回答。"
                        f"现有单位：{have}{'等' if len(directory.agencies) > 12 else ''}。")
        if not q.agencies and not q.recent and not q.years and q.op != "change" and self.in_order:
            return self.in_order, ""  # every report (100k: not re-sorted or copied for each question)
        if not q.agencies and not q.recent and q.op != "change" and set(q.years) <= set(self.by_year):
            if len(set(q.years)) == 1:
                return self.by_year[q.years[0]], ""  # every report of the year (the list itself: not copied)
            return [r for y in sorted(set(q.years)) for r in self.by_year[y]], ""  # every report of these years
        agencies = ([directory.by_name[n] for n in dict.fromkeys(q.agencies) if n in directory.by_name]
                    if q.agencies else list(directory.agencies))
        agencies.sort(key=directory.position)
        reports = [r for a in agencies for r in a.reports]
        if q.recent:
            newest = sorted({r.covers_year for r in reports if r.covers_year}, reverse=True)[: q.recent]
            reports = [r for r in reports if r.covers_year in newest]
        elif q.years:
            reports = [r for r in reports if r.covers_year in q.years]
        if not reports:
            names = "、".join(a.name for a in agencies[:6]) if q.agencies else "资料库"
            years = "、".join(f"{y}年" for y in q.years)
            have = "、".join(f"{y}年" for y in sorted({r.covers_year for a in agencies for r in a.reports
                                                      if r.covers_year}))
            return [], f"没有{names}{years}的年报（{names}现有：{have or '无'}），无法回答。"
        if q.op == "change":
            years_held = sorted({r.covers_year for r in reports if r.covers_year})
            if len(years_held) < 2:
                names = "、".join(a.name for a in agencies[:6])
                asked = "、".join(f"{y}年" for y in q.years) or "两个年度"
                return [], (f"比较{asked}需要至少两个年度的报告，资料库中{names}只有"
                            f"{'、'.join(f'{y}年' for y in years_held)}的报告，无法计算变化。")
        return sorted(reports, key=lambda r: (r.covers_year or 0, r.agency or "")), ""


    def missing_years(self, q: Query) -> str:
        """The named agencies' asked years that no stored report covers ("宿迁市和沭阳县2025年": 宿迁市 has none),
        as a Chinese note, when the question is still answered for the others; "" when nothing is missing."""
        if not q.agencies or not q.years or q.also:
            return ""
        gaps = []
        for name in dict.fromkeys(q.agencies):
            agency = self.directory.by_name.get(name)
            if agency is None:
                continue
            held = set(agency.years)
            lacking = [y for y in sorted(set(q.years)) if y not in held]
            if lacking:
                have = "、".join(f"{y}年" for y in sorted(held)) or "无"
                gaps.append(f"{agency.name}{'、'.join(f'{y}年' for y in lacking)}的年报（{agency.name}现有：{have}）")
        return f"资料库中没有{'；'.join(gaps)}，以下不包括这些。" if gaps else ""

@dataclass(frozen=True)
class Stores:
    """What an answerer reads: the cell store, the passage search and the corpus (report list, agencies)."""
    cells: CellStore
    search: PassageSearch
    corpus: Corpus
