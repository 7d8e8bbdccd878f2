"""A query plan a language model filled in, checked against the metric catalogue before anything runs.

The plan is JSON with the slots of :class:`retrieval.understand.Query`. Every table, row and column key must be in the
lexicon, every agency must resolve to an ingested one, op/condition/intent must be known values. An invalid plan
raises :class:`PlanError` and is never executed; there is no free SQL anywhere.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from retrieval.agencies import AgencyDirectory
from retrieval.lexicon import INTENTS, T2_COLUMNS, T2_ROWS, T3_COLUMNS, T3_ROWS, T4_CATEGORIES, T4_OUTCOMES
from retrieval.query import COND_OPS, OPS, Condition, Measure, Op, Query

ROWS = {"二": T2_ROWS, "三": T3_ROWS, "四": T4_CATEGORIES}
COLUMNS = {"二": T2_COLUMNS, "三": T3_COLUMNS, "四": T4_OUTCOMES}
#: the operations and conditions a model may plan (the others are set by the rules only)
PLAN_OPS: tuple[Op, ...] = tuple(op for op in OPS if op not in ("consistency", "passage_list", "threshold", "template",
                                                        "text_and_table"))
CONDITION_OPS = tuple(op for op in COND_OPS if op not in ("blank", "all"))
MAX_MEASURES = 12


class PlanError(ValueError):
    """The model's plan is not valid; the message says why, in Chinese."""


def catalogue() -> str:
    """The metric catalogue as the plan prompt shows it: one line per table part, key=中文名."""
    names = {"二": "表二（主动公开）", "三": "表三（依申请公开）", "四": "表四（行政复议、行政诉讼）"}
    lines = []
    for table in ("二", "三", "四"):
        lines.append(f"{names[table]} 行键：" + "，".join(f"{c.key}={c.label}" for c in ROWS[table]))
        lines.append(f"{names[table]} 列键：" + "，".join(f"{c.key}={c.label}" for c in COLUMNS[table]))
    return "\n".join(lines)


def intents() -> str:
    return "，".join(f"{i.key}={i.label}" for i in INTENTS)


def parse_plan(text: str) -> dict[str, Any]:
    """The JSON object in a model's reply (code fences and chatter around it are tolerated)."""
    text = re.sub(r"```(?:json)?", "", text)
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise PlanError("大模型没有返回 JSON 查询计划")
    try:
        plan = json.loads(text[start:end + 1])
    except json.JSONDecodeError as exc:
        raise PlanError(f"大模型返回的查询计划不是有效的 JSON（{exc.msg}）") from None
    if not isinstance(plan, dict):
        raise PlanError("大模型返回的查询计划不是 JSON 对象")
    return plan


def to_query(plan: dict[str, Any], question: str, directory: AgencyDirectory) -> Query:
    """Validate a plan and build the query it describes, or raise :class:`PlanError`."""
    measures = tuple(_measure(m) for m in _list(plan, "measures"))
    if len(measures) > MAX_MEASURES:
        raise PlanError(f"查询计划的指标过多（{len(measures)} 个）")
    asked = plan.get("op") or ("each" if measures else "passage")
    if asked not in PLAN_OPS:
        raise PlanError(f"查询计划的操作“{asked}”无效")
    op: Op = asked
    intent = plan.get("intent")
    if intent is not None and intent not in {i.key for i in INTENTS}:
        raise PlanError(f"查询计划的话题“{intent}”不在目录中")
    search = plan.get("search_text") or ""
    if not isinstance(search, str) or len(search) > 200:
        raise PlanError("查询计划的检索词无效")
    years = tuple(sorted({_year(y) for y in _list(plan, "years")}))
    agencies, words, unknown = _agencies(_list(plan, "agencies"), directory)
    condition = _condition(plan.get("condition"))
    if not measures:
        if intent is None and not search.strip():
            raise PlanError("查询计划既没有指标也没有检索内容")
        op = "passage"
    elif op == "passage":
        op = "each"
    if op in ("list", "count") and condition is None:
        condition = Condition(">", Decimal(0))
    return Query(text=question, agencies=agencies, agency_words=words, unknown_agencies=unknown, years=years,
                 measures=measures, op=op, condition=condition, intent=intent,
                 search_text=f"{question} {search}".strip())


def _list(plan: dict[str, Any], key: str) -> list[Any]:
    value = plan.get(key) or []
    if not isinstance(value, list):
        raise PlanError(f"查询计划的 {key} 应为列表")
    return value


def _measure(item: Any) -> Measure:
    if not isinstance(item, dict):
        raise PlanError("查询计划的指标格式无效")
    table, row, column = item.get("table"), item.get("row"), item.get("column")
    table = {"2": "二", "3": "三", "4": "四", "表二": "二", "表三": "三", "表四": "四"}.get(str(table), table)
    if table not in ROWS:
        raise PlanError(f"查询计划的表“{table}”不存在")
    if row not in {c.key for c in ROWS[table]}:
        raise PlanError(f"表{table}没有行键“{row}”")
    if column is not None and column not in {c.key for c in COLUMNS[table]}:
        raise PlanError(f"表{table}没有列键“{column}”")
    return Measure(table, row, column)


def _year(value: Any) -> int:
    try:
        year = int(str(value).removesuffix("年"))
    except ValueError:
        raise PlanError(f"查询计划的年度“{value}”无效") from None
    if not 2000 <= year <= 2100:
        raise PlanError(f"查询计划的年度“{value}”无效")
    return year


def _agencies(names: list[Any], directory: AgencyDirectory) -> tuple[tuple[str, ...], tuple[str, ...],
                                                                        tuple[str, ...]]:
    agencies: list[str] = []
    words: list[str] = []
    unknown: list[str] = []
    for name in names:
        if not isinstance(name, str) or not name.strip() or len(name) > 60:
            raise PlanError("查询计划的单位名称无效")
        match = directory.resolve(name.strip())
        if match.agencies:
            agencies += [a.name for a in match.agencies if a.name not in agencies]
            words += list(match.mentioned)
        else:
            unknown.append(name.strip())
    return tuple(agencies), tuple(words), tuple(unknown)


def _condition(raw: Any) -> Condition | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or raw.get("op") not in CONDITION_OPS:
        raise PlanError("查询计划的筛选条件无效")
    threshold = raw.get("threshold")
    if raw["op"] in ("max", "min"):
        return Condition(raw["op"])
    try:
        value = Decimal(str(threshold))
    except (InvalidOperation, ValueError):
        raise PlanError("查询计划的筛选阈值无效") from None
    if not value.is_finite() or value < 0:
        raise PlanError("查询计划的筛选阈值无效")
    return Condition(raw["op"], value)
