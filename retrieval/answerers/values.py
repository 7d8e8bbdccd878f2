"""Values and arithmetic over named cells: one value or each of several, a sum, the difference of two, the change
between years. Every number shown is a stored cell or arithmetic over cited cells with its formula."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from core.numbers import fmt
from core.template import TEMPLATE_NAMES
from retrieval.agencies import ReportInfo
from retrieval.answer import Answer
from retrieval.answerers import lists
from retrieval.answerers.consistency import finding_support
from retrieval.answerers.lists import answer_list, every_value
from retrieval.compose import Composer, who
from retrieval.corpus import Stores
from retrieval.facts import Part, ReportFacts, facts, measure_label, touching
from retrieval.query import Condition, Query


def answer_values(q: Query, reports: list[ReportInfo], st: Stores, composer: Composer | None = None) -> Answer:
    """The cells the question names, for the reports in scope, with the operation it asks for; ``composer`` when
    the answer is part of a larger one."""
    c = composer or Composer(explain=lambda report, finding: finding_support(st, c, report, finding))
    if q.op in ("value", "each") and not q.agencies and len(reports) > lists.LIST_LIMIT:
        return every_value(q, reports, st, c)
    if q.op in ("list", "count"):
        return answer_list(q, reports, st, c)
    findings = st.cells.findings_for({r.id for r in reports})
    per_measure = [facts(st.cells, reports, m) for m in q.measures]
    matches: list[str] = []
    if q.op == "sum" and len(per_measure) > 1:
        lines = _sum_of_measures(per_measure, findings, c)
    elif q.op == "sum":
        lines = _sum(st, per_measure, findings, c)
    elif q.op == "compare" and len(per_measure) == 2 and len(reports) == 1:
        lines = _difference_of_measures(per_measure, findings, c)
    elif q.op == "compare":
        lines = _compare(st, per_measure, findings, c)
    elif q.op == "change":
        lines = _change(st, per_measure, findings, c)
    elif q.op == "threshold" and q.condition is not None:
        lines = _threshold(st, per_measure, findings, c, q.condition)
    else:
        lines = _values(st, per_measure, findings, c)
        if len(reports) > 1:
            matches = [f.report.id for f in per_measure[0] if f.parts and f.parts[0].value is not None]
    if q.op == "sum" and q.condition is not None:
        lines = _sum_against(c, q.condition) + lines
    lines += _no_such_item(per_measure)
    return Answer(q.text, "\n".join(lines), "table" if c.citations else "none", tuple(c.values),
                  tuple(c.citations), tuple(c.warnings), tuple(matches), len(reports))


def _no_such_item(per_measure: list[list[ReportFacts]]) -> list[str]:
    """"平潭2019年的收费金额": the report's template has no such item (the 2019 version has no 收费金额)."""
    lines = []
    for fs in per_measure:
        for f in fs:
            if not f.parts:
                name = TEMPLATE_NAMES.get(f.report.template or "", "所用模板")
                lines.append(f"{who(f.report)}报告使用{name}，该版表格没有“{measure_label(f.measure)}”这一栏目，"
                             "报告未提供此数字。")
    return lines


def _values(st: Stores, per_measure: list[list[ReportFacts]], findings: dict[str, list], c: Composer) -> list[str]:
    lines = []
    single = sum(len(f.parts) for fs in per_measure for f in fs) == 1
    shown: set[tuple[str, tuple[tuple[str, str, str], ...]]] = set()
    for fs in per_measure:
        for f in fs:
            for part in f.parts:
                cells = (f.report.id, tuple((x.table, x.row, x.column) for x in part.cells))
                if part.cells and cells in shown:  # "新收…" named twice, as the row and as its 总计
                    continue
                shown.add(cells)
                text, _ = c.part(f.report, part, touching(findings.get(f.report.id, []), part.cells))
                note = f"（{part.note}）" if part.note else ""
                if single:
                    lines.append(f"{who(f.report)}报告中，“{part.label}”为 {text}。{note}")
                else:
                    lines.append(f"{who(f.report)}：{part.label} {text}{note}")
    return lines

_ABOVE = {">": "超过", ">=": "达到", "<": "少于", "<=": "不超过", "=": "等于"}
_NOT = {">": "未超过", ">=": "未达到", "<": "不少于", "<=": "超过", "=": "不等于"}


def _holds(value: Decimal, cond: Condition) -> bool:
    t = cond.threshold if cond.threshold is not None else Decimal(0)
    return {">": value > t, ">=": value >= t, "<": value < t, "<=": value <= t, "=": value == t}[cond.op]


def _in_cell_unit(cond: Condition, unit: str) -> Condition:
    """"收费上亿了吗" against a cell in 万元: 1亿元 is 10000万元."""
    if unit == "万元" and cond.in_wan and cond.threshold is not None:
        return replace(cond, threshold=cond.threshold / 10000, in_wan=False)
    return cond


def _of_group(st: Stores, c: Composer, f: ReportFacts) -> str:
    """"（行政复议总计 1件[2]）": the total of the 表四 case group an outcome belongs to, cited, for context."""
    m = f.measure
    if m.table != "四" or m.column in (None, "total"):
        return ""
    group = facts(st.cells, [f.report], replace(m, column=None))
    parts = group[0].parts if group else ()
    if not parts or parts[0].value is None:
        return ""
    text, _ = c.part(f.report, parts[0])
    return f"（{parts[0].label} {text}）"


def _threshold(st: Stores, per_measure: list[list[ReportFacts]], findings: dict[str, list], c: Composer,
               asked: Condition) -> list[str]:
    """"超过3000件吗": 是 / 否 first, then each value with its citation and the comparison it passed or failed."""
    lines: list[str] = []
    verdicts: list[bool | None] = []
    for fs in per_measure:
        for f in fs:
            for part in f.parts[:1]:
                text, _ = c.part(f.report, part, touching(findings.get(f.report.id, []), part.cells))
                cond = _in_cell_unit(asked, part.unit)
                threshold = f"{fmt(cond.threshold)}{part.unit}"
                if cond is not asked and asked.threshold is not None and cond.threshold is not None \
                        and not any(v.op == "threshold" for v in c.values):  # "十个亿" against a 万元 cell
                    c.computed("threshold", "问题所说的界限，换算为表格单位", cond.threshold, part.unit, [],
                               f"{fmt(asked.threshold)}元 = {fmt(cond.threshold)}万元")
                if part.value is None:
                    verdicts.append(None)
                    lines.append(f"{who(f.report)}“{part.label}”{text}，无法判断是否{_ABOVE[cond.op]}{threshold}。")
                    continue
                holds = _holds(part.value, cond)
                verdicts.append(holds)
                if cond.op == ">" and not cond.threshold:  # "有被纠正的吗？"
                    lines.append(f"{who(f.report)}“{part.label}”为 {text}{_of_group(st, c, f)}，"
                                 f"{'有' if holds else '没有'}。")
                    continue
                lines.append(f"{who(f.report)}“{part.label}”为 {text}，"
                             f"{_ABOVE[cond.op] if holds else _NOT[cond.op]}{threshold}。")
    if not verdicts:
        return ["没有可以判断的数值。"]
    head = ("无法判断" if any(v is None for v in verdicts) and len(set(verdicts)) == 1 else
            "是" if all(verdicts) else "否" if not any(v for v in verdicts) and None not in verdicts else "不全是")
    return [f"{head}。{lines[0]}" if len(lines) == 1 else f"{head}：", *([] if len(lines) == 1 else lines)]


def _sum_against(c: Composer, asked: Condition) -> list[str]:
    """"加一块儿，过一百件了没？": 是 / 否 for the one sum computed, before the sum itself."""
    sums = [(v, v.value) for v in c.values if v.op == "sum" and v.value is not None]
    if len(sums) != 1:
        return ["各项栏目或单位不同，无法用一个合计判断。"] if sums else []
    (total, value), = sums
    assert value is not None
    cond = _in_cell_unit(asked, total.unit)
    holds = _holds(value, cond)
    return [f"{'是' if holds else '否'}。合计 {fmt(value)}{total.unit}，"
            f"{_ABOVE[cond.op] if holds else _NOT[cond.op]}{fmt(cond.threshold or Decimal(0))}{total.unit}。"]


def _sum(st: Stores, per_measure: list[list[ReportFacts]], findings: dict[str, list], c: Composer) -> list[str]:
    lines = []
    for fs in per_measure:
        unusable: list[str] = []
        usable: list[tuple[ReportFacts, Part]] = []
        texts: dict[int, str] = {}
        for f in fs:
            for part in f.parts:
                text, _ = c.part(f.report, part, touching(findings.get(f.report.id, []), part.cells))
                if part.value is None:
                    unusable.append(f"{who(f.report)}“{part.label}”（{text}）")
                else:
                    usable.append((f, part))
                    texts[id(part)] = text
        groups = _alike(usable)
        if len(groups) > 1:
            lines.append("各报告的该项栏目或单位不同（所用模板版本不同），分别合计：")
        for (label, unit), group in groups.items():
            total = sum((p.value for _, p in group if p.value is not None), Decimal(0))
            marks = [m for f, p in group for m in _part_marks(c, f, p)]
            formula = " + ".join(fmt(p.value) for _, p in group)
            c.computed("sum", f"{label}合计", total, unit, marks, formula)
            lines.append(f"{len(group)}份报告的“{label}”合计 {fmt(total)}{unit}：" +
                         " + ".join(f"{who(f.report)} {texts[id(p)]}" for f, p in group) + "。")
        if not groups:
            lines.append("没有可以合计的数值。")
        if unusable:
            lines.append("未计入（无可用数值）：" + "；".join(unusable) + "。")
    return lines

def _sum_of_measures(per_measure: list[list[ReportFacts]], findings: dict[str, list], c: Composer) -> list[str]:
    """"行政复议和行政诉讼合计多少": the named cells added up, report by report (only like units)."""
    by_report: dict[str, list[tuple[ReportFacts, Part, str]]] = {}
    for fs in per_measure:
        for f in fs:
            for part in f.parts[:1]:
                text, _ = c.part(f.report, part, touching(findings.get(f.report.id, []), part.cells))
                by_report.setdefault(f.report.id, []).append((f, part, text))
    lines = []
    for shown in by_report.values():
        report = shown[0][0].report
        listed = " + ".join(f"“{p.label}” {t}" for _, p, t in shown)
        if len(shown) < 2 or any(p.value is None for _, p, _ in shown) or len({p.unit for _, p, _ in shown}) > 1:
            lines.append(f"{who(report)}：{listed}；有项目缺少可用数值或单位不同，无法合计。")
            continue
        total = sum((p.value for _, p, _ in shown if p.value is not None), Decimal(0))
        marks = [m for f, p, _ in shown for m in _part_marks(c, f, p)]
        formula = " + ".join(fmt(p.value) for _, p, _ in shown)
        c.computed("sum", "、".join(p.label for _, p, _ in shown) + "合计", total, shown[0][1].unit, marks, formula,
                   report)
        lines.append(f"{who(report)}合计 {fmt(total)}{shown[0][1].unit}：{listed}（{formula} = {fmt(total)}）。")
    return lines or ["没有可以合计的数值。"]


def _compare(st: Stores, per_measure: list[list[ReportFacts]], findings: dict[str, list], c: Composer) -> list[str]:
    lines = []
    for fs in per_measure:
        shown = []
        for f in fs:
            for part in f.parts[:1]:
                text, _ = c.part(f.report, part, touching(findings.get(f.report.id, []), part.cells))
                shown.append((f, part, text))
        label = measure_label(fs[0].measure) if fs else ""
        lines.append(f"“{label}”：" + "；".join(f"{who(f.report)} {t}" for f, _, t in shown) + "。")
        ok = [(f, p) for f, p, _ in shown if p.value is not None]
        if len(ok) == 2 and len(_alike(ok)) == 2:
            lines.append("两份报告的该项栏目或单位不同（模板版本不同），不计算差值。")
        elif len(ok) == 2:
            (fa, pa), (fb, pb) = sorted(ok, key=lambda fp: -(fp[1].value or 0))
            diff = (pa.value or Decimal(0)) - (pb.value or Decimal(0))
            marks = _part_marks(c, fa, pa) + _part_marks(c, fb, pb)
            c.computed("difference", f"{label}之差", diff, pa.unit, marks, f"{fmt(pa.value)} − {fmt(pb.value)}")
            if diff == 0:
                lines.append(f"两者相同，均为 {fmt(pa.value)}{pa.unit}。")
            else:
                lines.append(f"{who(fa.report)}比{who(fb.report)}多 {fmt(diff)}{pa.unit}"
                             f"（{fmt(pa.value)} − {fmt(pb.value)}）。")
        elif len(ok) < len(shown):
            lines.append("有报告缺少可用数值，无法计算差值。")
    return lines

def _difference_of_measures(per_measure: list[list[ReportFacts]], findings: dict[str, list],
                            c: Composer) -> list[str]:
    """"全部公开的比部分公开的多出几件？": the first named cell minus the second, in one report."""
    shown = []
    for fs in per_measure:
        for f in fs[:1]:
            for part in f.parts[:1]:
                text, _ = c.part(f.report, part, touching(findings.get(f.report.id, []), part.cells))
                shown.append((f, part, text))
    if len(shown) != 2:
        return [f"{who(f.report)}：“{p.label}” {t}" for f, p, t in shown] + ["缺少其中一项，无法计算差值。"]
    (fa, pa, ta), (fb, pb, tb) = shown
    lines = [f"{who(fa.report)}：“{pa.label}” {ta}；“{pb.label}” {tb}。"]
    if pa.value is None or pb.value is None or pa.unit != pb.unit:
        return lines + ["有项目缺少可用数值或单位不同，无法计算差值。"]
    diff = pa.value - pb.value
    marks = _part_marks(c, fa, pa) + _part_marks(c, fb, pb)
    c.computed("difference", f"{pa.label}与{pb.label}之差", diff, pa.unit, marks, f"{fmt(pa.value)} − {fmt(pb.value)}",
               fa.report)
    if diff == 0:
        return lines + [f"两者相同，均为 {fmt(pa.value)}{pa.unit}。"]
    word = "多" if diff > 0 else "少"
    return lines + [f"“{pa.label}”比“{pb.label}”{word} {fmt(abs(diff))}{pa.unit}"
                    f"（{fmt(pa.value)} − {fmt(pb.value)} = {fmt(diff)}）。"]


def _change(st: Stores, per_measure: list[list[ReportFacts]], findings: dict[str, list], c: Composer) -> list[str]:
    lines = []
    for fs in per_measure:
        by_agency: dict[str, list[ReportFacts]] = {}
        for f in fs:
            agency = st.corpus.directory.agency_of(f.report.id)
            by_agency.setdefault(agency.name if agency else f.report.id, []).append(f)
        for name, group in by_agency.items():
            group.sort(key=lambda f: f.report.covers_year or 0)
            if len({f.report.covers_year for f in group}) < 2:
                lines.append(f"{name}：资料库中只有{'、'.join(f'{f.report.covers_year}年' for f in group)}的报告，"
                             "无法计算变化。")
                continue
            labels = list(dict.fromkeys(p.kind or p.label for f in group for p in f.parts))
            for label in labels:
                shown = []
                for f in group:
                    for part in f.parts:
                        if (part.kind or part.label) == label:
                            text, _ = c.part(f.report, part, touching(findings.get(f.report.id, []), part.cells))
                            shown.append((f, part, text))
                prefix = f"{name}“{label}”" if len(by_agency) > 1 else f"“{label}”"
                lines.append(f"{prefix}：" + "；".join(f"{f.report.covers_year}年 {t}" for f, _, t in shown) + "。")
                if len(shown) < 2 or len({p.unit for _, p, _ in shown}) > 1:
                    lines.append("两个年度的该项不可比（缺少一年或单位不同），无法计算变化。")
                    continue
                (f0, p0, _), (f1, p1, _) = shown[0], shown[-1]
                if p0.value is None or p1.value is None:
                    lines.append("有年度缺少可用数值，无法计算变化。")
                    continue
                diff = p1.value - p0.value
                marks = _part_marks(c, f0, p0) + _part_marks(c, f1, p1)
                y0, y1 = f0.report.covers_year, f1.report.covers_year
                c.computed("change", f"{label}变化（{y1}年 − {y0}年）", diff, p1.unit, marks,
                           f"{fmt(p1.value)} − {fmt(p0.value)}", f1.report)
                word = "增加" if diff > 0 else "减少" if diff < 0 else "持平，变化"
                pct = ""
                if p0.value:
                    ratio = (diff / p0.value * 100).quantize(Decimal("0.1"))
                    c.computed("ratio", f"{label}变化率（{y1}年较{y0}年）", ratio, "%", marks,
                               f"({fmt(p1.value)} − {fmt(p0.value)}) ÷ {fmt(p0.value)} × 100", f1.report)
                    pct = f"，{'+' if diff > 0 else ''}{ratio}%"
                lines.append(f"{y1}年比{y0}年{word} {fmt(abs(diff))}{p1.unit}（{fmt(p1.value)} − {fmt(p0.value)} = "
                             f"{fmt(diff)}{pct}）。")
    return lines


def _part_marks(c: Composer, f: ReportFacts, part: Part) -> list[int]:
    """The citations of a part's cells (already cited when the part was shown, so no new ones)."""
    return [c.cite_cell(f.report, cell) for cell in part.cells]


def _alike(pairs: Any) -> dict[tuple[str, str], list[tuple[ReportFacts, Part]]]:
    """Parts grouped by what they are (across templates) and their unit: only these may be added or compared."""
    groups: dict[tuple[str, str], list[tuple[ReportFacts, Part]]] = {}
    for f, part in pairs:
        groups.setdefault((part.kind or part.label, part.unit), []).append((f, part))
    return groups
