"""The cells a question (or one clause of it) names: table rows and columns found by the lexicon's words,
longest first, and how named cells relate (a group and its parts, a row with a column)."""

from __future__ import annotations

import re
from dataclasses import replace

from core.template import RESULT_ROW_KEYS
from retrieval.lexicon import T2_COLUMNS, T2_ROWS, T3_COLUMNS, T3_ROWS, T4_CATEGORIES, T4_OUTCOMES, Concept
from retrieval.query import Measure


def _scan(text: str, concepts: tuple[Concept, ...], taken: list[bool]) -> list[tuple[int, Concept]]:
    """Longest-first, non-overlapping word matches of concepts: [(position, concept)]."""
    words = sorted(((w, c) for c in concepts for w in c.words), key=lambda wc: len(wc[0]), reverse=True)
    found: list[tuple[int, Concept]] = []
    for word, concept in words:
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if not any(taken[start:end]):
                found.append((start, concept))
                for i in range(start, end):
                    taken[i] = True
            start = text.find(word, start + 1)
    return sorted(found, key=lambda pc: pc[0])


_RECEIVE_VERBS = ("收到", "受理", "接收", "接到")
_OTHER_RECEIVED = re.compile(r"意见|建议|提案|投诉|举报|来信|来访|留言|咨询|诉求|线索|反馈")


def find_measures(text: str) -> tuple[list[Measure], list[tuple[int, Concept]]]:
    """The cells a question (or one clause of it) names. Returns the measures and any bare column concepts."""
    taken = [False] * len(text)
    categories = _scan(text, T4_CATEGORIES, taken)
    outcomes = _scan(text, T4_OUTCOMES, taken) if categories else []
    # 表二 and 表三 rows longest-first together: "未按收费通知" is a 表三 row, not 表二's 收费
    rows_found = _scan(text, (() if categories else T2_ROWS) + T3_ROWS, taken)
    t2_rows = [(p, c) for p, c in rows_found if any(c is row for row in T2_ROWS)]
    t3_rows = [(p, c) for p, c in rows_found if not any(c is row for row in T2_ROWS)]
    t2_cols = _scan(text, T2_COLUMNS, taken) if t2_rows else []
    if "申请" not in text and _OTHER_RECEIVED.search(text):  # "收到多少条公众意见" is not about applications
        t3_rows = [(p, c) for p, c in t3_rows if not text.startswith(_RECEIVE_VERBS, p)]
    t3_cols = _scan(text, T3_COLUMNS, taken)
    if categories:
        outs: list[str | None] = [c.key for _, c in outcomes] or [None]
        cases = [Measure("四", cat.key, o) for _, cat in categories for o in outs]
        # "申请数、复议诉讼数": applications named in their own words are asked beside the cases
        asked = [Measure("三", c.key, None) for p, c in t3_rows if text.startswith(_APPLICATION_COUNTS, p)]
        return list(dict.fromkeys(asked)) + cases, []
    if t2_rows:
        cols: list[str | None] = list(dict.fromkeys(c.key for _, c in t2_cols)) or [None]
        rows = list(dict.fromkeys(row.key for _, row in t2_rows))
        return [Measure("二", row, col) for row in rows for col in cols], []
    if t3_rows or (t3_cols and "申请" in text):
        rows = [c.key for _, c in t3_rows] or ["new_applications"]
        t3_cols_asked: list[str | None] = [c.key for _, c in t3_cols] or [None]
        return [Measure("三", r, c) for r in rows for c in t3_cols_asked], []
    if "申请" in text and re.search(r"多少|几|数量|数|哪些|哪个|有没有|是否|超过|最", text) and "复议" not in text \
            and not re.search(r"做法|工作|怎么|如何|措施|经验|创新|形式|渠道", text):
        return [Measure("三", "new_applications", None)], []
    bare = t3_cols + [(p, c) for p, c in _scan(text, T4_OUTCOMES, [False] * len(text))] + [
        (p, c) for p, c in _scan(text, T2_COLUMNS, [False] * len(text)) if c.key not in ("decisions",)]
    return [], bare


_ROW_CONCEPTS = {(table, c.key): c for table, group in (("二", T2_ROWS), ("三", T3_ROWS), ("四", T4_CATEGORIES))
                 for c in group}


def _row_cells(m: Measure) -> set[tuple[str, str]]:
    concept = _ROW_CONCEPTS.get((m.table, m.row))
    return {(t, k) for t, keys in concept.keys.items() for k in keys} if concept else set()


def without_parts(measures: tuple[Measure, ...]) -> tuple[Measure, ...]:
    """The measures less those another one of them already sums (直接起诉 inside 行政诉讼)."""
    return tuple(m for m in measures if not any(
        o != m and o.table == m.table and o.column == m.column and _row_cells(m) and _row_cells(m) < _row_cells(o)
        for o in measures))


_APPLICATION_COUNTS = ("申请数", "申请量", "本年新收", "新收", "收到", "办结")
_RESULT_ROWS = frozenset(RESULT_ROW_KEYS) | {c.key for c in T3_ROWS if c.key not in ("new_applications", "carried_over",
                                                                                  "total_handled", "carried_forward")}


def parts_not_groups(measures: tuple[Measure, ...]) -> tuple[Measure, ...]:
    """The measures less a group one of its own parts is named beside (无法提供 beside 本机关不掌握); 表三's
    本年度办理结果总计 is the whole of every result row ("逾期不补正的加上逾期不交费的，一共不再处理了多少": "处理"
    is not a third number to add)."""
    results = {(m.table, m.row) for m in measures if m.table == "三" and m.row in _RESULT_ROWS}
    return tuple(m for m in measures if not any(
        o != m and o.table == m.table and o.column == m.column and _row_cells(o) and _row_cells(o) < _row_cells(m)
        for o in measures) and not (m.table == "三" and m.row == "total_handled" and results))


def with_column(measure: Measure, column: Concept) -> Measure | None:
    tables = {"三": T3_COLUMNS, "四": T4_OUTCOMES, "二": T2_COLUMNS}
    if column in tables.get(measure.table, ()):
        return replace(measure, column=column.key)
    return None
