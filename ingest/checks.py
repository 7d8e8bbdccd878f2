"""勾稽关系: the template's arithmetic relations, narrative ↔ table, and continuity across years.

A check runs only over cells that were read (``ok``); a relation involving a missing or ambiguous cell is skipped,
never assumed. Findings report what the other printed numbers imply (``expected``) next to what is printed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from core.numbers import fmt
from core.records import STATUS_OK, Cell, CellKey, Finding, NarrativeFact
from core.template import (
    APPLICANT_COLUMNS,
    CASE_GROUPS,
    CONTINUITY,
    NARRATIVE_NAMES,
    NARRATIVE_TARGETS,
    RESULT_ROW_KEYS,
    cell_spec,
)

Values = Mapping[CellKey, Decimal]
_APPLICANT_PARTS = tuple(c.key for c in APPLICANT_COLUMNS[:6])
_COLUMN_NAMES = {c.key: c.label for c in APPLICANT_COLUMNS}


def values_of(cells: Sequence[Cell]) -> dict[CellKey, Decimal]:
    return {c.key: c.value for c in cells if c.status == STATUS_OK and c.value is not None}


def check_report(cells: Sequence[Cell], narrative: Sequence[NarrativeFact] = ()) -> list[Finding]:
    values = values_of(cells)
    present = {c.key for c in cells}
    findings = (
        _t3_row_totals(values, present)
        + _t3_balance(values)
        + _t3_results_total(values, present)
        + _t4_totals(values)
        + _narrative(values, narrative)
    )
    return findings


def _sum_relation(relation: str, values: Values, parts: Sequence[CellKey], total: CellKey,
                  message: str) -> list[Finding]:
    if total not in values or any(p not in values for p in parts):
        return []
    expected = sum((values[p] for p in parts), Decimal(0))
    if expected == values[total]:
        return []
    printed = values[total]
    return [Finding(relation, total[0], total[1], total[2], expected, printed, tuple(parts) + (total,),
                    message.format(expected=fmt(expected), printed=fmt(printed)))]


def _t3_row_totals(values: Values, present: set[CellKey]) -> list[Finding]:
    out = []
    rows = sorted({k[1] for k in present if k[0] == "三"}, key=_row_order)
    for row in rows:
        label = _row_label(row)
        parts = [("三", row, c) for c in _APPLICANT_PARTS]
        out += _sum_relation("t3_row_total", values, parts, ("三", row, "total"),
                             f"表三“{label}”行：六类申请人之和为{{expected}}，总计栏为{{printed}}")
    return out


def _t3_balance(values: Values) -> list[Finding]:
    out = []
    for col in _COLUMN_NAMES:
        left = [("三", "new_applications", col), ("三", "carried_over", col)]
        carried = ("三", "carried_forward", col)
        total = ("三", "total_handled", col)
        if carried not in values or any(k not in values for k in left) or total not in values:
            continue
        expected = values[left[0]] + values[left[1]] - values[carried]
        if expected != values[total]:
            out.append(Finding(
                "t3_balance", "三", "total_handled", col, expected, values[total], tuple(left) + (total, carried),
                f"表三“{_COLUMN_NAMES[col]}”列：本年新收+上年结转（{fmt(values[left[0]] + values[left[1]])}）"
                f"应等于办理结果总计+结转下年度（{fmt(values[total] + values[carried])}）",
            ))
    return out


def _t3_results_total(values: Values, present: set[CellKey]) -> list[Finding]:
    out = []
    rows = [r for r in RESULT_ROW_KEYS if any(k[:2] == ("三", r) for k in present)]
    for col in _COLUMN_NAMES:
        parts = [("三", r, col) for r in rows]
        out += _sum_relation("t3_results_total", values, parts, ("三", "total_handled", col),
                             f"表三“{_COLUMN_NAMES[col]}”列：各项办理结果之和为{{expected}}，（七）总计为{{printed}}")
    return out


def _t4_totals(values: Values) -> list[Finding]:
    out = []
    for group, label in CASE_GROUPS:
        parts = [("四", "cases", f"{group}_{o}") for o in ("upheld", "corrected", "other", "pending")]
        out += _sum_relation("t4_total", values, parts, ("四", "cases", f"{group}_total"),
                             f"表四“{label}”：结果维持、结果纠正、其他结果、尚未审结之和为{{expected}}，总计为{{printed}}")
    return out


# ------------------------------------------------------------------------------------------- narrative ↔ table

def _narrative(values: Values, facts: Sequence[NarrativeFact]) -> list[Finding]:
    out = []
    for fact in facts:
        options = [keys for keys in NARRATIVE_TARGETS[fact.kind] if all(k in values for k in keys)]
        if not options:
            continue
        sums = [sum((values[k] for k in keys), Decimal(0)) for keys in options]
        if fact.value in sums:
            continue
        keys = options[0]
        printed = sums[0]
        out.append(Finding(
            "narrative_table", keys[0][0], keys[0][1], keys[0][2], fact.value, printed, keys,
            f"正文称{NARRATIVE_NAMES[fact.kind]}为{fmt(fact.value)}，表格为{fmt(printed)}", quote=fact.quote,
        ))
    return out


# ------------------------------------------------------------------------------------------- across years


def check_years(later: Sequence[Cell], earlier: Sequence[Cell], earlier_id: str, earlier_year: int) -> list[Finding]:
    """Continuity between one agency's report and its report for the year before: 上年结转 = last year's 结转下年
    (every column); 2021 template 现行有效 = last year's + 制发 − 废止; 2019 template 上一年项目数量 = last year's
    上一年项目数量 + 本年增/减, and 对外公开总数量 = last year's + 本年新公开."""
    now, before = values_of(later), values_of(earlier)
    out = [f for col in _COLUMN_NAMES if (f := _carry_over(now, before, col, earlier_id, earlier_year))]
    for key, (relation, label, plus, minus) in CONTINUITY.items():
        out += _continuity(now, before, key, list(plus), list(minus), relation, label, earlier_id, earlier_year)
    for row, label in (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项"), ("penalty", "行政处罚"),
                       ("coercion", "行政强制"), ("fees", "行政事业性收费")):
        key = ("二", row, "previous_items")
        if key in now and key in before and ("二", row, "change") in before:
            expected = before[key] + before[("二", row, "change")]
            if expected != now[key]:
                out.append(Finding("cross_year_items", "二", row, "previous_items", expected, now[key], (key,),
                                   f"{label}上一年项目数量为{fmt(now[key])}，{earlier_year}年报告的项目数量"
                                   f"{fmt(before[key])}加本年增/减{fmt(before[('二', row, 'change')])}为{fmt(expected)}",
                                   other_report=earlier_id))
    return out


def _carry_over(now: Values, before: Values, col: str, earlier_id: str, earlier_year: int) -> Finding | None:
    carried, forward = ("三", "carried_over", col), ("三", "carried_forward", col)
    if carried not in now or forward not in before or now[carried] == before[forward]:
        return None
    return Finding(
        "cross_year_carry_over", "三", "carried_over", col, before[forward], now[carried], (carried,),
        f"“{_COLUMN_NAMES[col]}”列：本年“上年结转”为{fmt(now[carried])}，{earlier_year}年报告“结转下年度继续办理”为"
        f"{fmt(before[forward])}", other_report=earlier_id,
    )


def _continuity(now: Values, before: Values, key: CellKey, plus: list[CellKey], minus: list[CellKey],
                relation: str, label: str, earlier_id: str, earlier_year: int) -> list[Finding]:
    if key not in now or key not in before or any(k not in now for k in plus + minus):
        return []
    expected = before[key] + sum((now[k] for k in plus), Decimal(0)) - sum((now[k] for k in minus), Decimal(0))
    if expected == now[key]:
        return []
    return [Finding(relation, key[0], key[1], key[2], expected, now[key], (key, *plus, *minus),
                    f"{label}：{earlier_year}年报告为{fmt(before[key])}，加上本年变化应为{fmt(expected)}，"
                    f"本年报告为{fmt(now[key])}", other_report=earlier_id)]


def _row_label(row: str) -> str:
    for template in ("2021", "2019"):
        try:
            return cell_spec(template, "三", row, "total").row.label.rsplit("/", 1)[-1]
        except KeyError:
            continue
    return row


def _row_order(row: str) -> int:
    order = ("new_applications", "carried_over") + RESULT_ROW_KEYS + ("total_handled", "carried_forward")
    return order.index(row) if row in order else len(order)
