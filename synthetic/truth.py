"""Known truth for synthetic reports: every cell value, the narrative's counts, and what was broken on purpose.

A :class:`ReportTruth` is what a perfect parser would extract from the rendered report. Values are
``Decimal``; ``None`` is a printed blank (always a cell whose meaning is 0, as in real reports). The
relations of the statutory template (``relations``) hold for every truth except those named in
``broken``; :func:`failing` recomputes that list from the numbers, and the tests check the two agree.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from types import MappingProxyType

from core.template import APPLICANT_COLUMNS, CASE_GROUPS, CASE_OUTCOMES, OTHER_HANDLING_ITEMS, cell_specs

Key = tuple[str, str, str]
Cells = dict[Key, "int | Decimal | None"]

YEARS = tuple(range(2019, 2025))
ZERO = Decimal(0)
OTHER_FORMS = ("items", "single")

# -------------------------------------------------------------------------------------------------- agencies

PLACES = (
    "平江县", "宿迁市", "周口市", "川汇区", "洪泽区", "青铜峡市", "泉港区", "长沙县", "门头沟区", "长宁区",
    "民权县", "新民市", "安吉县", "余杭区", "顺德区", "江宁区", "海门区", "常熟市", "昆山市", "义乌市",
    "晋江市", "长兴县", "武进区", "萧山区", "南海区", "宝安区", "鄞州区", "慈溪市", "诸暨市", "浏阳市",
    "宁乡市", "邳州市", "沭阳县", "泗洪县", "睢宁县", "丰县", "沛县", "滕州市", "寿光市", "荣成市",
    "即墨区", "历城区", "章丘区", "新郑市", "巩义市", "登封市", "中牟县", "长葛市", "禹州市", "项城市",
    "鹿邑县", "太康县", "商水县", "西华县", "淮阳区", "郸城县", "沈丘县", "岳阳市", "淮安市", "泉州市",
)  # fmt: skip
DEPARTMENTS = (
    "人民政府", "人民政府办公室", "发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "公安局",
    "民政局", "司法局", "财政局", "人力资源和社会保障局", "自然资源和规划局", "生态环境局",
    "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化广电和旅游局",
    "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局",
    "信访局", "城市管理局", "行政审批局", "政务服务管理办公室", "行政服务中心", "林业局", "体育局",
)  # fmt: skip


def random_agency(rng: random.Random) -> str:
    return rng.choice(PLACES) + rng.choice(DEPARTMENTS)


def is_government(agency: str) -> bool:
    return agency.endswith("人民政府")


def template_for(year: int) -> str:
    """The template version a report covering ``year`` uses."""
    return "2019" if year <= 2020 else "2021"


# -------------------------------------------------------------------------------------------------- the record


@dataclass(frozen=True)
class ReportTruth:
    agency: str
    covers_year: int
    template: str  # "2019" | "2021"
    cells: Mapping[Key, Decimal | None]  # every cell of cell_specs(template); None = blank or row not printed
    other_handling_form: str  # "items" | "single" (always "single" for 2019)
    broken: tuple[str, ...]  # relation ids that do not hold, see relations() and failing()
    narrative: Mapping[str, Decimal]  # counts the narrative states; keys in NARRATIVE_KEYS

    def number(self, key: Key) -> Decimal:
        """The cell as a number (a blank counts as 0)."""
        value = self.cells[key]
        return ZERO if value is None else value

    def is_printed(self, key: Key) -> bool:
        """False only for the （六） form the report does not print (its cells are None)."""
        return key[0] != "三" or key[1] not in hidden_rows(self.template, self.other_handling_form)

    @cached_property
    def blank_keys(self) -> tuple[Key, ...]:
        return tuple(k for k, v in self.cells.items() if v is None and self.is_printed(k))

    def t3_rows(self) -> tuple[str, ...]:
        """表三 row keys in printed order."""
        return t3_row_keys(self.template, self.other_handling_form)


@lru_cache(maxsize=8)
def cell_keys(template: str) -> tuple[Key, ...]:
    return tuple(spec.key for spec in cell_specs(template))


def hidden_rows(template: str, form: str) -> frozenset[str]:
    if template == "2019":
        return frozenset()
    if form == "items":
        return frozenset({"other_handling"})
    return frozenset(r.key for r in OTHER_HANDLING_ITEMS)


@lru_cache(maxsize=8)
def t3_row_keys(template: str, form: str) -> tuple[str, ...]:
    hidden = hidden_rows(template, form)
    keys = dict.fromkeys(k[1] for k in cell_keys(template) if k[0] == "三")
    return tuple(k for k in keys if k not in hidden)


# -------------------------------------------------------------------------------------------------- relations

T3_COLS = tuple(c.key for c in APPLICANT_COLUMNS)
T3_PARTS = T3_COLS[:-1]
T4_PARTS = tuple(o for o, _ in CASE_OUTCOMES if o != "total")
NOT_RESULT_ROWS = ("new_applications", "carried_over", "total_handled", "carried_forward")

#: Narrative count → the table cells whose sum it restates.
NARRATIVE_CELLS: dict[str, tuple[Key, ...]] = {
    "new_applications_total": (("三", "new_applications", "total"),),
    "carried_over_total": (("三", "carried_over", "total"),),
    "handled_total": (("三", "total_handled", "total"),),
    "carried_forward_total": (("三", "carried_forward", "total"),),
    "granted_total": (("三", "granted", "total"),),
    "review_total": (("四", "cases", "review_total"),),
    "litigation_total": (("四", "cases", "direct_suit_total"), ("四", "cases", "suit_after_review_total")),
}
#: Narrative counts with no table cell behind them.
NARRATIVE_ONLY = ("proactive_published", "processing_fee_yuan")
NARRATIVE_KEYS = tuple(NARRATIVE_CELLS) + NARRATIVE_ONLY


@dataclass(frozen=True)
class Relation:
    """sum(lhs) == sum(rhs), blanks counting as 0."""

    id: str
    lhs: tuple[Key, ...]
    rhs: tuple[Key, ...]

    def holds(self, cells: Mapping[Key, Decimal | int | None]) -> bool:
        return _sum(cells, self.lhs) == _sum(cells, self.rhs)


def _sum(cells: Mapping[Key, Decimal | int | None], keys: tuple[Key, ...]) -> Decimal | int:
    return sum((cells[k] or 0 for k in keys), 0)


@lru_cache(maxsize=8)
def relations(template: str, form: str) -> tuple[Relation, ...]:
    """Every arithmetic relation of one printed report, in a stable order."""
    rows = t3_row_keys(template, form)
    results = tuple(r for r in rows if r not in NOT_RESULT_ROWS)
    out = [Relation(f"t3_row_total:{r}", (("三", r, "total"),), tuple(("三", r, c) for c in T3_PARTS)) for r in rows]
    for c in T3_COLS:
        lhs = (("三", "new_applications", c), ("三", "carried_over", c))
        out.append(Relation(f"t3_balance:{c}", lhs, (("三", "total_handled", c), ("三", "carried_forward", c))))
    for c in T3_COLS:
        out.append(Relation(f"t3_handled_sum:{c}", (("三", "total_handled", c),), tuple(("三", r, c) for r in results)))
    for g, _ in CASE_GROUPS:
        out.append(
            Relation(
                f"t4_total:{g}", (("四", "cases", f"{g}_total"),), tuple(("四", "cases", f"{g}_{o}") for o in T4_PARTS)
            )
        )
    return tuple(out)


def failing(
    template: str, form: str, cells: Mapping[Key, Decimal | int | None], narrative: Mapping[str, Decimal | int]
) -> tuple[str, ...]:
    """Ids of the relations that do not hold, then ``narrative:<key>`` for each misstated count."""
    bad = [r.id for r in relations(template, form) if not r.holds(cells)]
    for name, keys in NARRATIVE_CELLS.items():
        if name in narrative and narrative[name] != _sum(cells, keys):
            bad.append(f"narrative:{name}")
    return tuple(bad)


def check(truth: ReportTruth) -> tuple[str, ...]:
    return failing(truth.template, truth.other_handling_form, truth.cells, truth.narrative)


# -------------------------------------------------------------------------------------------------- drawing numbers


def _log_uniform(rng: random.Random, hi: int) -> int:
    """1..hi, every order of magnitude about equally likely."""
    return min(hi, int(math.exp(rng.uniform(0.0, math.log(hi + 1)))))


def _count(rng: random.Random, p_zero: float, hi: int) -> int:
    return 0 if rng.random() < p_zero else _log_uniform(rng, hi)


def _amount(rng: random.Random, p_zero: float, hi: int) -> Decimal:
    """An amount in 万元 with 0–6 decimals."""
    if rng.random() < p_zero:
        return ZERO
    places = rng.choice((0, 1, 2, 2, 4, 4, 4, 6))
    return Decimal(f"{math.exp(rng.uniform(math.log(0.01), math.log(hi))):.{places}f}")


def split(
    rng: random.Random, total: int, weights: tuple[float, ...], p_drop: float = 0.0, keep: float = 1.0
) -> list[int]:
    """Split ``total`` into len(weights) non-negative parts, randomly around the weights.

    Parts whose weight is below ``keep`` are dropped to 0 with probability ``p_drop`` (real tables are sparse).
    """
    ws = [0.0 if w < keep and rng.random() < p_drop else w * (0.2 + rng.random()) for w in weights]
    mass = sum(ws)
    if mass == 0:
        ws[max(range(len(weights)), key=weights.__getitem__)] = mass = 1.0
    raw = [total * w / mass for w in ws]
    parts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: parts[i] - raw[i])
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


# -------------------------------------------------------------------------------------------------- 表二


def _prev(previous: ReportTruth | None, key: Key) -> int | Decimal | None:
    if previous is None or key not in previous.cells:
        return None
    return previous.number(key)


def _t2_2021(rng: random.Random, cells: Cells, gov: bool, previous: ReportTruth | None) -> None:
    for row, hi_issued, p_zero in (
        ("rules", 4, 0.95 if not gov else 0.6),
        ("normative_documents", 150, 0.7 if not gov else 0.2),
    ):
        issued, repealed = _count(rng, p_zero, hi_issued), _count(rng, 0.7, hi_issued * 3)
        before = _prev(previous, ("二", row, "in_force"))
        if before is None:
            before = _count(rng, p_zero, hi_issued * 8) + repealed
        repealed = min(repealed, int(before) + issued)
        cells[("二", row, "issued")], cells[("二", row, "repealed")] = issued, repealed
        cells[("二", row, "in_force")] = int(before) + issued - repealed
    cells[("二", "licensing", "decisions")] = _count(rng, 0.45, 2_000_000)
    cells[("二", "penalty", "decisions")] = _count(rng, 0.45, 3_000_000)
    cells[("二", "coercion", "decisions")] = _count(rng, 0.65, 30_000)
    cells[("二", "fees", "fee_amount")] = _amount(rng, 0.6, 100_000)


def _t2_2019(rng: random.Random, cells: Cells, gov: bool, previous: ReportTruth | None) -> None:
    for row, hi, p_zero in (("rules", 4, 0.6 if gov else 0.95), ("normative_documents", 120, 0.3 if gov else 0.6)):
        made = _count(rng, p_zero, hi)
        published = made if rng.random() < 0.8 else rng.randint(0, made)
        before = _prev(previous, ("二", row, "total_published"))
        total = published + (int(before) if before is not None else _count(rng, p_zero, hi * 8))
        cells.update(
            {
                ("二", row, "newly_made"): made,
                ("二", row, "newly_published"): published,
                ("二", row, "total_published"): total,
            }
        )
    for row, hi in (("licensing", 300), ("other_services", 200), ("penalty", 800), ("coercion", 60), ("fees", 40)):
        _t2_items_row(rng, cells, row, hi, previous)
    cells[("二", "procurement", "procurement_items")] = items = _count(rng, 0.5, 300)
    cells[("二", "procurement", "procurement_amount")] = _amount(rng, 0.0, 50_000) if items else ZERO


def _t2_items_row(rng: random.Random, cells: Cells, row: str, hi: int, previous: ReportTruth | None) -> None:
    """A 2019 上一年项目数量 / 本年增/减 (/ 处理决定数量) row; the change can be negative."""
    prev_items, prev_change = _prev(previous, ("二", row, "previous_items")), _prev(previous, ("二", row, "change"))
    items = (
        int(prev_items + prev_change) if prev_items is not None and prev_change is not None else _count(rng, 0.5, hi)
    )
    change = 0 if rng.random() < 0.55 else rng.randint(-items, max(1, hi // 10))
    cells[("二", row, "previous_items")], cells[("二", row, "change")] = items, change
    if ("二", row, "decisions") in cells:
        cells[("二", row, "decisions")] = _count(rng, 0.5, 3_000_000 if row != "coercion" else 30_000)


# -------------------------------------------------------------------------------------------------- 表三

#: Relative frequency of each 办理结果 row (real reports: 予以公开 and 不掌握 dominate).
RESULT_WEIGHTS: dict[str, float] = {
    "granted": 0.34, "partially_granted": 0.08,
    "withheld_state_secret": 0.004, "withheld_prohibited_by_law": 0.01, "withheld_three_safeties": 0.004,
    "withheld_third_party": 0.015, "withheld_internal_affairs": 0.008, "withheld_process_info": 0.01,
    "withheld_enforcement_files": 0.008, "withheld_query_matters": 0.008,
    "unavailable_not_held": 0.25, "unavailable_needs_creation": 0.02, "unavailable_unclear": 0.006,
    "not_processed_petition": 0.08, "not_processed_repeated": 0.02, "not_processed_publications": 0.002,
    "not_processed_excessive": 0.01, "not_processed_confirmation": 0.006,
    "other_handling": 0.1, "other_overdue_correction": 0.02, "other_unpaid_fee": 0.004, "other_other": 0.08,
}  # fmt: skip
APPLICANT_WEIGHTS = (0.6, 0.02, 0.05, 0.15, 0.18)  # 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他


def _new_total(rng: random.Random, previous: ReportTruth | None) -> int:
    if previous is not None:
        base = int(previous.number(("三", "new_applications", "total")))
        return (
            0 if base == 0 and rng.random() < 0.7 else max(0, round((base + rng.randint(0, 3)) * rng.uniform(0.6, 1.6)))
        )
    profile = rng.random()
    if profile < 0.3:
        return 0
    return _log_uniform(rng, (20, 300, 6000)[(profile > 0.65) + (profile > 0.9)])


def _by_applicant(rng: random.Random, total: int) -> list[int]:
    """自然人 + the five organisation columns."""
    people = round(total * rng.uniform(0.7, 1.0))
    return [people] + split(rng, total - people, APPLICANT_WEIGHTS, p_drop=0.5)


def _t3(rng: random.Random, cells: Cells, template: str, form: str, previous: ReportTruth | None) -> None:
    rows = t3_row_keys(template, form)
    results = tuple(r for r in rows if r not in NOT_RESULT_ROWS)
    weights = tuple(RESULT_WEIGHTS[r] for r in results)
    new = _by_applicant(rng, _new_total(rng, previous))
    for c, n in zip(T3_PARTS, new):
        before = _prev(previous, ("三", "carried_forward", c))
        carried = int(before) if before is not None else (_count(rng, 0.8, max(1, n // 10)) if n else 0)
        available = n + carried
        forward = _count(rng, 0.6, max(1, available // 8)) if available else 0
        forward = min(forward, available)
        _t3_column(rng, cells, c, (n, carried, available - forward, forward), results, weights)
    for r in rows:
        cells[("三", r, "total")] = sum(cells[("三", r, c)] or 0 for c in T3_PARTS)


def _t3_column(
    rng: random.Random,
    cells: Cells,
    col: str,
    counts: tuple[int, int, int, int],
    results: tuple[str, ...],
    weights: tuple[float, ...],
) -> None:
    new, carried, handled, forward = counts
    cells[("三", "new_applications", col)], cells[("三", "carried_over", col)] = new, carried
    cells[("三", "total_handled", col)], cells[("三", "carried_forward", col)] = handled, forward
    for r, part in zip(results, split(rng, handled, weights, p_drop=0.4, keep=0.07)):
        cells[("三", r, col)] = part


# -------------------------------------------------------------------------------------------------- 表四


def _t4(rng: random.Random, cells: Cells) -> None:
    applications = int(cells[("三", "new_applications", "total")] or 0)
    scale = max(2, applications // 8)
    for g, p_zero, hi in (
        ("review", 0.55, scale),
        ("direct_suit", 0.75, max(2, scale // 3)),
        ("suit_after_review", 0.85, max(2, scale // 5)),
    ):
        cases = _count(rng, p_zero, hi)
        parts = split(rng, cases, (0.5, 0.08, 0.25, 0.17), p_drop=0.4)
        for o, n in zip(T4_PARTS, parts):
            cells[("四", "cases", f"{g}_{o}")] = n
        cells[("四", "cases", f"{g}_total")] = cases


# -------------------------------------------------------------------------------------------------- narrative

#: Which counts a report's application sentence states (render.py has a sentence for each set).
APPLICATION_STATEMENTS = (
    ("new_applications_total",),
    ("new_applications_total", "carried_over_total", "handled_total", "carried_forward_total"),
    ("new_applications_total", "carried_over_total", "granted_total"),
    ("new_applications_total", "handled_total"),
)


def _narrative(rng: random.Random, cells: Cells) -> dict[str, Decimal]:
    stated = list(rng.choice(APPLICATION_STATEMENTS))
    if rng.random() < 0.75:
        stated += ["review_total", "litigation_total"]
    out = {name: Decimal(_sum(cells, NARRATIVE_CELLS[name])) for name in stated}
    if rng.random() < 0.7:
        out["proactive_published"] = Decimal(_log_uniform(rng, 20000))
    if rng.random() < 0.15:
        out["processing_fee_yuan"] = Decimal(_log_uniform(rng, 5000))
    return out


# ---------------------------------------------------------------------------------------------- breaking and blanking

BREAKABLE_T3_ROWS = (
    "partially_granted",
    "withheld_third_party",
    "unavailable_not_held",
    "not_processed_petition",
    "other_handling",
    "other_other",
)


def _nudge(rng: random.Random, value: int | Decimal) -> int:
    """A different, non-negative printed total."""
    delta = rng.choice((1, 1, 2, 3, 10, -1, -2, -10))
    return int(value) + delta if int(value) + delta >= 0 else int(value) + abs(delta)


def _break_t4(rng: random.Random, cells: Cells, group: str, total_stated: bool) -> None:
    """Change the group's printed total, or one of its parts when the narrative restates the total."""
    part = rng.choice(T4_PARTS) if total_stated or rng.random() < 0.3 else "total"
    key = ("四", "cases", f"{group}_{part}")
    cells[key] = _nudge(rng, cells[key] or 0)


def _break_t3(rng: random.Random, cells: Cells, template: str, form: str) -> None:
    rows = [r for r in BREAKABLE_T3_ROWS if r in t3_row_keys(template, form)]
    key = ("三", rng.choice(rows), "total")
    cells[key] = _nudge(rng, cells[key] or 0)


def _break_narrative(rng: random.Random, narrative: dict[str, Decimal]) -> None:
    name = rng.choice([n for n in narrative if n in NARRATIVE_CELLS])
    narrative[name] = Decimal(_nudge(rng, narrative[name]))


def _break(rng: random.Random, cells: Cells, narrative: dict[str, Decimal], template: str, form: str) -> None:
    """Change one or two printed totals (or a narrative count) so that one or two relations fail."""
    groups = [g for g, _ in CASE_GROUPS]
    plan = rng.choice(("t4", "t3", "t3", "narrative", "t4+t4", "t4+narrative"))
    if "t3" in plan:
        _break_t3(rng, cells, template, form)
    stated = {k[2] for name in narrative if name in NARRATIVE_CELLS for k in NARRATIVE_CELLS[name]}
    for group in rng.sample(groups, plan.count("t4")):
        _break_t4(rng, cells, group, f"{group}_total" in stated)
    if "narrative" in plan:
        _break_narrative(rng, narrative)


def _zero_t2_rows(cells: Cells) -> list[list[Key]]:
    rows: dict[tuple[str, str], list[Key]] = {}
    for key in cells:
        if key[0] == "二":
            rows.setdefault((key[0], key[1]), []).append(key)
    return [keys for keys in rows.values() if all(cells[k] == 0 for k in keys)]


def _zero_t4_groups(cells: Cells) -> list[list[Key]]:
    groups = [[("四", "cases", f"{g}_{o}") for o, _ in CASE_OUTCOMES] for g, _ in CASE_GROUPS]
    return [keys for keys in groups if all(cells[k] == 0 for k in keys)]


def _blank(rng: random.Random, cells: Cells, template: str, form: str) -> None:
    """Blank a few cells whose value is 0: scattered 表三 cells, maybe a whole 表二 row or 表四 group."""
    hidden = hidden_rows(template, form)
    zero_t3 = [k for k, v in cells.items() if k[0] == "三" and v == 0 and k[1] not in hidden]
    chosen = rng.sample(zero_t3, min(len(zero_t3), rng.randint(1, 4)))
    for candidates, p in ((_zero_t2_rows(cells), 0.5), (_zero_t4_groups(cells), 0.4)):
        if candidates and (rng.random() < p or not chosen):
            chosen += rng.choice(candidates)
    for key in chosen:
        cells[key] = None


# -------------------------------------------------------------------------------------------------- make_truth


def _year_and_template(
    rng: random.Random, template: str | None, year: int | None, previous: ReportTruth | None
) -> tuple[int, str]:
    if previous is not None and year not in (None, previous.covers_year + 1):
        raise ValueError(f"previous covers {previous.covers_year}, so this report covers {previous.covers_year + 1}")
    if year is None and previous is not None:
        year = previous.covers_year + 1
    if year is None:
        years = [y for y in YEARS if template is None or template_for(y) == template]
        year = rng.choice(years)
    if template is not None and template != template_for(year):
        raise ValueError(f"a report covering {year} uses template {template_for(year)}, not {template}")
    return year, template_for(year)


_SMALL = tuple(Decimal(i) for i in range(1000))


def _decimal(value: int | Decimal | None) -> Decimal | None:
    if type(value) is int:
        return _SMALL[value] if 0 <= value < 1000 else Decimal(value)
    return value


def _as_decimals(cells: Cells, template: str, form: str) -> dict[Key, Decimal | None]:
    """Decimal values; the （六） form the report does not print becomes None."""
    out = {key: _decimal(cells[key]) for key in cell_keys(template)}
    for row in hidden_rows(template, form):
        for col in T3_COLS:
            out[("三", row, col)] = None
    return out


def make_truth(
    rng: random.Random,
    *,
    template: str | None = None,
    year: int | None = None,
    agency: str | None = None,
    broken: bool = False,
    blanks: bool = False,
    previous: ReportTruth | None = None,
) -> ReportTruth:
    """A consistent report (unless ``broken``), continuing ``previous`` (the same agency's year before) if given."""
    year, template = _year_and_template(rng, template, year, previous)
    agency = agency or (previous.agency if previous else random_agency(rng))
    form = "single" if template == "2019" else ("items" if rng.random() < 0.85 else "single")
    cells: Cells = dict.fromkeys(cell_keys(template), 0)
    (_t2_2019 if template == "2019" else _t2_2021)(rng, cells, is_government(agency), previous)
    _t3(rng, cells, template, form, previous)
    _t4(rng, cells)
    narrative = _narrative(rng, cells)
    if broken:
        _break(rng, cells, narrative, template, form)
    if blanks:
        _blank(rng, cells, template, form)
    final = _as_decimals(cells, template, form)
    return ReportTruth(
        agency=agency,
        covers_year=year,
        template=template,
        cells=MappingProxyType(final),
        other_handling_form=form,
        broken=failing(template, form, final, narrative) if broken else (),
        narrative=MappingProxyType(narrative),
    )
