"""Which reports meet a condition on a cell (哪些单位…, 有几个单位…, 哪个最多), over any number of reports.

The condition is tested on the stored values of every report in scope, as columns (no object per report); full
cells are read only for the reports the text names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal

import numpy as np

from core.numbers import fmt
from retrieval.agencies import ReportInfo
from retrieval.answer import Answer, Listing, ListRow, Value
from retrieval.compose import Composer, who
from retrieval.corpus import Stores
from retrieval.facts import MISSING, ReportFacts, Values, facts, first_values, measure_label, touching
from retrieval.query import Condition, Measure, Query

_COUNTS_REPORTS = re.compile(r"几[份年]|多少份|多少年|几个年份")
LIST_LIMIT = 40  # reports a list answer names in its text; the others are in its values (the number table)
_COND_TEXT = {">": "大于", ">=": "不少于", "=": "等于", "<": "少于", "<=": "不超过"}


def answer_list(q: Query, reports: list[ReportInfo], st: Stores, c: Composer) -> Answer:
    """哪些单位… / 有几个单位…: the reports whose value of the question's first cell meets its condition."""
    if q.condition is not None and q.condition.versus_second and len(q.measures) >= 2:
        return _versus(q, reports, st, c)
    lines, matches, listing = list_lines(q, reports, q.measures[0], c, st)
    return Answer(q.text, "\n".join(lines), "table", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                  tuple(matches), len(reports), listing=listing)


def _versus(q: Query, reports: list[ReportInfo], st: Stores, c: Composer) -> Answer:
    """"哪几份废止的比新发的还多": each report's first cell against its own second cell, both cited."""
    assert q.condition is not None
    first, second = q.measures[0], q.measures[1]
    pairs = zip(facts(st.cells, reports, first), facts(st.cells, reports, second), strict=True)
    hit: list[str] = []
    met, unmet, unusable = [], [], []
    for a, b in pairs:
        if not a.parts or not b.parts:
            continue
        x, y = a.parts[0], b.parts[0]
        left, _ = c.part(a.report, x)
        right, _ = c.part(b.report, y)
        shown = f"{who(a.report)}（{x.label} {left}，{y.label} {right}）"
        if x.value is None or y.value is None:
            unusable.append(shown)
        elif x.value > y.value if q.condition.op == ">" else x.value < y.value:
            met.append(shown)
            hit.append(a.report.id)
        else:
            unmet.append(shown)
    what = f"“{measure_label(first)}”{'多于' if q.condition.op == '>' else '少于'}“{measure_label(second)}”"
    lines = [f"共查阅{len(reports)}份报告，{what}的有 {len(met)} 份" + ("：" + "；".join(met) if met else "") + "。"]
    if unmet:
        lines.append("其余：" + "；".join(unmet) + "。")
    if unusable:
        lines.append("无可用数值的报告：" + "；".join(unusable) + "。")
    if q.op == "count":
        c.computed("count", f"{what}的报告数", Decimal(len(met)), "份", [], f"count = {len(met)}")
    return Answer(q.text, "\n".join(lines), "table", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                  tuple(hit), len(reports))


def every_value(q: Query, reports: list[ReportInfo], st: Stores, c: Composer) -> Answer:
    """A value asked of more reports than a text can name (no agency: a whole year): each measure as a list of
    every report's value, the largest named, all of them in the listing."""
    every = replace(q, op="list", condition=Condition("all"))
    lines: list[str] = []
    matches: dict[str, None] = {}
    listings: list[Sequence[ListRow]] = []
    for measure in q.measures:
        more, hit, rows = list_lines(every, reports, measure, c, st)
        lines += more
        matches.update(dict.fromkeys(hit))
        listings.append(rows)
    listing = listings[0] if len(listings) == 1 else Listing(
        lambda: tuple(row for rows in listings for row in rows), sum(len(rows) for rows in listings))
    return Answer(q.text, "\n".join(lines), "table", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                  tuple(matches), len(reports), listing=listing)


def list_lines(q: Query, reports: list[ReportInfo], measure: Measure, c: Composer, st: Stores
               ) -> tuple[list[str], list[str], Sequence[ListRow]]:
    """Which reports meet a condition (or hold the largest/smallest value). The condition is tested on the
    stored values of every report in scope, as columns (no object per report); full cells are read only for
    the reports the text names. A long list names the ``LIST_LIMIT`` largest values and carries every report's
    value in its listing (made into rows when it is first read)."""
    cond = q.condition or Condition(">", Decimal(0))
    first = len(c.values)  # the values this list adds (another measure's may be in c already)
    label = measure_label(measure)
    index = st.corpus.index_of(reports)
    vals = first_values(st.cells, reports, measure, unfiltered=2 * len(reports) > len(st.corpus.reports),
                        index=index)
    long = len(vals) > LIST_LIMIT
    ok = vals.present
    groups: list[tuple[str, str, np.ndarray, np.ndarray, Decimal]] = []
    if cond.op == "blank":
        hit = np.flatnonzero(vals.status == MISSING)
    elif cond.op in ("max", "min"):
        found = []
        # only like with like: the same cell in the same unit (a 2019 and a 2021 report may differ)
        for (kind, unit), members in _alike_parts(vals, ok).items():
            values = vals.scaled[members]
            best = values.max() if cond.op == "max" else values.min()
            winners = members[values == best]
            found.append(winners)
            best_value = vals.value(int(winners[0]))
            assert best_value is not None  # the winners hold values
            groups.append((kind, unit, members, winners, best_value))
        hit = np.concatenate(found) if found else np.zeros(0, np.int64)
    else:
        hit = np.flatnonzero(ok & holding(vals, cond))
    unusable = np.flatnonzero(~ok)
    if long:  # largest first; equal values in the order found
        hit = hit[np.argsort(-np.where(vals.present[hit], vals.scaled[hit], 0), kind="stable")]
    named = hit[:LIST_LIMIT] if long else hit
    # the reports whose value the text shows, so cites: every one in a short list; in a long one the named
    # values and the unusable ones when they are few
    shown_at = (np.arange(len(vals)) if not long else
                np.concatenate([named, unusable if len(unusable) <= LIST_LIMIT else unusable[:0]]))
    full = {f.report.id: f for f in facts(st.cells, [reports[i] for i in shown_at], measure)}
    findings = st.cells.findings_for(full)
    shown: dict[str, str] = {}

    def show(i: int) -> str:
        """Cite and phrase one report's value."""
        f = full.get(reports[i].id)
        if f is not None and f.report.id not in shown and f.parts:
            shown[f.report.id], _ = c.part(f.report, f.parts[0], touching(findings.get(f.report.id, []),
                                                                          f.parts[0].cells))
        return shown.get(reports[i].id, "无此项")

    def marks(at: Iterable[int]) -> list[int]:
        return [m for i in at for m in _marks(c, full[reports[i].id])]

    if not long:
        for i in range(len(vals)):
            show(i)
    named_set = set(named.tolist())
    for kind, unit, members, winners, best in groups:
        cited = [i for i in winners.tolist() if i in named_set] if long else members.tolist()
        for i in cited:
            show(i)
        formula = (f"{cond.op}({len(members)}份报告的数值) = {fmt(best)}" if long else
                   f"{cond.op}({', '.join(fmt(vals.value(i)) for i in members.tolist())}) = {fmt(best)}")
        c.computed(cond.op, f"{kind}{'最多' if cond.op == 'max' else '最少'}", best, unit, marks(cited), formula)
    if long:
        for i in named.tolist():
            show(i)
    years = "、".join(f"{y}年" for y in index.years())
    what = _cond_phrase(label, cond)
    head = f"共查阅{len(vals)}份报告（{years}）。"
    more = (f"（共 {len(hit)} 份，按数值从大到小列出前 {LIST_LIMIT} 份，全部数值见数值表）"
            if long and len(hit) > LIST_LIMIT else "")
    listed = "；".join(f"{who(reports[i])} {show(i)}" for i in named.tolist())
    lines = []
    if q.op == "count" and _COUNTS_REPORTS.search(q.search_text):  # "有几年…", "有几份…": reports, not agencies
        noun = "年" if re.search(r"几年|多少年|几个年份", q.search_text) else "份报告"
        lines.append(f"{head}{what}的有 {len(hit)} {noun}" + ("：" + "、".join(
            f"{who(reports[i])} {show(i)}" for i in named.tolist()) + more if len(hit) else "") + "。")
        c.computed("count", f"{what}的报告数", Decimal(len(hit)), "份", marks(named.tolist()), f"count = {len(hit)}")
    elif q.op == "count":
        units = {st.corpus.agency_name(reports[i]) for i in hit.tolist()}  # one agency over two years counts once
        reports_note = f"（{len(hit)} 份报告）" if len(hit) != len(units) else ""
        lines.append(f"{head}{what}的单位有 {len(units)} 个{reports_note}" + ("：" + "、".join(
            f"{who(reports[i])} {show(i)}" for i in named.tolist()) + more if len(hit) else "") + "。")
        c.computed("count", f"{what}的单位数", Decimal(len(units)), "个", marks(named.tolist()),
                   f"count = {len(units)}")
    elif len(hit):
        lines.append(f"{head}{what}的有{more}：{listed}。")
        if more:  # the count the text states is a value too: how many reports' values meet the condition
            c.computed("count", f"{what}的报告数", Decimal(len(hit)), "份", marks(named.tolist()),
                       f"count = {len(hit)}")
        if long:  # a blank value is unusable: blank hits are among the unusable, other hits are not
            rest_count = len(vals) - len(unusable) - (0 if cond.op == "blank" else len(hit))
            if rest_count:
                lines.append(f"其余 {rest_count} 份报告不满足此条件（见数值表）。")
        else:
            rest = [i for i in np.flatnonzero(ok).tolist() if i not in named_set]
            if rest:
                lines.append("其余：" + "；".join(f"{who(reports[i])} {show(i)}" for i in rest) + "。")
    elif long:
        lines.append(f"{head}没有{what}的单位（{len(vals) - len(unusable)} 份报告的数值见数值表）。")
    else:
        lines.append(f"{head}没有{what}的单位：" + "；".join(f"{who(reports[i])} {show(i)}"
                                                       for i in np.flatnonzero(ok).tolist()) + "。")
    if len(unusable) and cond.op != "blank":
        if long and len(unusable) > LIST_LIMIT:
            lines.append(f"无可用数值的报告：{len(unusable)} 份（见数值表）。")
        else:
            lines.append("无可用数值的报告：" + "；".join(f"{who(reports[i])} {show(i)}"
                                                   for i in unusable.tolist()) + "。")
    listing: Sequence[ListRow] = _listing(vals, measure, c.values[first:]) if long else ()
    return lines, index.ids[hit].tolist(), listing


def _cond_phrase(label: str, cond: Condition) -> str:
    if cond.op == "max":
        return f"“{label}”最多"
    if cond.op == "min":
        return f"“{label}”最少"
    if cond.op == "blank":
        return f"“{label}”为空白（未填写）"
    if cond.op == "all":
        return f"“{label}”有数值"
    return f"“{label}”{_COND_TEXT[cond.op]}{fmt(cond.threshold)}"


def holding(vals: Values, cond: Condition) -> np.ndarray:
    """Which reports' values meet a comparison, on the exact scaled integers (False where there is no value)."""
    if cond.op == "all":
        return vals.present.copy()
    floor, exact = vals.exact(cond.threshold if cond.threshold is not None else Decimal(0))
    v = vals.scaled
    test = {">": lambda: v > floor, ">=": lambda: v >= (floor if exact else floor + 1),
            "=": lambda: v == floor if exact else np.zeros(len(v), bool),
            "<": lambda: v < (floor if exact else floor + 1), "<=": lambda: v <= floor}.get(cond.op)
    if test is None:
        return np.zeros(len(v), bool)
    return np.asarray(test(), bool) & vals.present


def _alike_parts(vals: Values, among: np.ndarray) -> dict[tuple[str, str], np.ndarray]:
    """The reports (positions) among ``among`` grouped by what their part is and its unit, in order of first
    appearance: only these may be compared."""
    groups: dict[tuple[str, str], list[int]] = {}
    for index, p in enumerate(vals.parts):
        groups.setdefault((p.kind, p.unit), []).append(index)
    found = []
    for key, indices in groups.items():
        members = np.flatnonzero(among & np.isin(vals.part, indices))
        if len(members):
            found.append((int(members[0]), key, members))
    return {key: members for _, key, members in sorted(found, key=lambda x: x[0])}


def _listing(vals: Values, measure: Measure, shown: Sequence[Value]) -> Listing:
    """Every report's value of a long list, with the citation of those the text names; rows are made when the
    listing is first read (a corpus-wide list has 100k of them)."""
    marks: dict[str | None, int] = {}
    for v in shown:  # the values the list's text shows; a sum of cells: the first cell's marker
        if v.op == "cell" and v.citation is not None:
            marks.setdefault(v.report_id, v.citation)
    at = np.flatnonzero(vals.part >= 0)

    def make() -> tuple[ListRow, ...]:
        names: dict[tuple[tuple[str, str], ...], tuple[str, ...]] = {}
        out = []
        for i in at.tolist():
            r = vals.row(i)
            if r.keys not in names:
                names[r.keys] = tuple(f"{measure.table}/{row}/{col}" for row, col in r.keys)
            out.append(ListRow(r.report.agency, r.report.covers_year, r.label, r.value, r.unit, r.status,
                               r.report.source, r.report.id, names[r.keys], marks.get(r.report.id)))
        return tuple(out)

    return Listing(make, len(at))


def _marks(c: Composer, f: ReportFacts) -> list[int]:
    return [c.cite_cell(f.report, cell) for cell in (f.parts[0].cells if f.parts else ())]
