"""Where the statistical tables are: each table's observed rows (``ingest.rows``), its header lines and the
template version they show.

:func:`locate` walks the lines once, switching between 表二/三/四 on their section headings and furniture;
:func:`detect_template` decides the template version from the column headers and row labels seen (else the year).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from core.records import Line
from ingest.normalize import match_key
from ingest.rows import ObservedRow, observe
from ingest.segment import BARE_CAPTION_RE

_ITEM_RE = re.compile(r"第二十条\s*第?\s*[（(]\s*([一二三四五六七八九十]+)\s*[)）]\s*项")
# Where a table starts: its section heading or its own furniture (a header cell, the first row label). Section
# names quoted inside prose (a preamble listing the six sections) must not switch tables.
_T3_START = re.compile(r"^[#*|\s]*三\s*[、.．].*申请|勾稽关系|申请人情况|本年新收")
_T4_START = re.compile(r"^[#*|\s]*四\s*[、.．].*(复议|诉讼)|^[#*|\s]*(行政复议|结果维持)")
_END = ("存在的主要问题", "存在问题", "其他需要报告的事项")
_V2021_MARKS = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额")
_V2019_MARKS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量", "本年增/减")
_V2021_ROW_MARKS = ("逾期不补正", "逾期未按收费通知", "逾期不缴费")


@dataclass
class TableLines:
    """Observed rows per table, plus header lines seen while scanning."""

    rows: dict[str, list[ObservedRow]] = field(default_factory=lambda: {"二": [], "三": [], "四": []})
    headers: list[str] = field(default_factory=list)  # 表二 "信息内容 …" lines, in order
    items_seen: list[str] = field(default_factory=list)  # 第二十条第（X）项 markers, in order
    line_numbers: set[int] = field(default_factory=set)  # lines that are table rows or table furniture
    grid_headers: dict[str, list[list[str]]] = field(default_factory=lambda: {"三": [], "四": []})  # tab/pipe header rows
    warnings: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------------- locating


def locate(lines: Sequence[Line]) -> TableLines:
    """Walk the lines once, switching between 表二/三/四 on their markers, collecting data rows for each."""
    found = TableLines()
    state: str | None = None
    done: set[str] = set()
    context: list[str] = []
    lines_after_data = 0  # non-number lines since the last data row (its label may continue on them)
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        state = _next_state(state, text, done, found)
        if state is None:
            context, lines_after_data = [], 0
            continue
        row = observe(line, " ".join(context[-3:]))
        if (row is None or row.blank_only) and found.rows[state] and 0 < lines_after_data <= 3:
            last = found.rows[state][-1]  # a label wrapped below its numbers belongs to the row above too
            found.rows[state][-1] = replace(last, trailing=(last.trailing + " " + text.replace("\t", " ")).strip())
        lines_after_data = 1 if row is not None and not row.blank_only else lines_after_data + (lines_after_data > 0)
        if row is None:
            context.append(text.replace("\t", " "))
            if _is_table_furniture(line.text, text):
                found.line_numbers.add(line.lineno)
            if state in found.grid_headers and "\t" in line.text and not found.rows[state]:
                found.grid_headers[state].append([f.strip() for f in line.text.split("\t")])
            continue
        found.rows[state].append(row)
        found.line_numbers.add(line.lineno)
        if row.blank_only:  # may be a header: keep it as label context for the next row too
            context.append(text.replace("\t", " "))
            continue
        context = []
        if state == "三" and "结转下年" in match_key(row.label):
            done.add("三")
            state = None  # 表三 ends with this row; anything after it is not 表三
        if state == "四" and len(row.numbers) + len(row.glued or "") >= 10:
            done.add("四")
            state = None
    return found


def _next_state(state: str | None, text: str, done: set[str], found: TableLines) -> str | None:
    item = _ITEM_RE.search(text) or BARE_CAPTION_RE.match(text)
    if item and "二" not in done and "三" not in done:  # a bare "第二十条第" cell: the item number was lost
        if item.groups() and item.group(1):
            found.items_seen.append(item.group(1))
        return "二"
    if state == "二" and "信息内容" in text:
        found.headers.append(text)
    if "三" in done and "四" not in done and re.search(r"本年新收|勾稽关系", text) and not _is_prose(text):
        _warn(found, "报告中还有另一张表三（如分部门统计），只读取了第一张")
    if state in (None, "二") and "三" not in done and _T3_START.search(text) and not _is_prose(text):
        if state == "二":
            done.add("二")
        return "三"
    entering_t4 = "四" not in done and bool(_T4_START.search(text)) and not _looks_like_t3_label(text)
    if entering_t4 and not _is_prose(text):  # also when 表三 was lost: 表四's heading or header row starts it
        done.update(("二", "三"))
        return "四"
    if any(m in text for m in _END) and len(text) < 40:
        return None
    return state


def _warn(found: TableLines, message: str) -> None:
    if message not in found.warnings:
        found.warnings.append(message)


def _is_table_furniture(raw: str, text: str) -> bool:
    """A header cell or wrapped label inside a table (left out of search chunks), as opposed to narrative."""
    if "\t" in raw or "|" in text:
        return True
    return "。" not in text and (len(text) < 40 or ("，" not in text and len(text) <= 80))


def _is_prose(text: str) -> bool:
    return "。" in text or (len(text) > 60 and "\t" not in text and "|" not in text)


def _looks_like_t3_label(text: str) -> bool:
    return any(m in text for m in ("本年新收", "上年结转", "予以公开", "不予公开", "无法提供", "不予处理", "结转下年"))


# ------------------------------------------------------------------------------------------------- version


def detect_template(found: TableLines, covers_year: int | None) -> tuple[str | None, str]:
    """Template version from 表二 column headers, else 表三 row labels, else the covered year."""
    text = " ".join(found.headers) + " " + " ".join(r.label + r.context for r in found.rows["二"])
    keyed = match_key(text)
    if any(match_key(m) in keyed for m in _V2021_MARKS):
        return "2021", "table_columns"
    if any(match_key(m) in keyed for m in _V2019_MARKS) or "九" in found.items_seen:
        return "2019", "table_columns"
    t3 = match_key(" ".join(r.label + r.context for r in found.rows["三"]))
    if any(m in t3 for m in _V2021_ROW_MARKS):
        return "2021", "table_rows"
    if covers_year is not None and any(found.rows.values()):
        return ("2021" if covers_year >= 2021 else "2019"), "covers_year"
    return None, "unknown"
