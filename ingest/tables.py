"""Lines → the cells of 表二, 表三 and 表四, keyed by the template catalogue, with provenance.

Stages: find each table's lines (:func:`locate`), read observed rows (``ingest.rows``), decide the template
version, align observed rows to template rows by label and order (:func:`align`), read each row's candidate
values (``ingest.splits``), prune candidates with the template's relations across rows, and emit one
:class:`~core.records.Cell` per template cell: ``ok`` when every surviving reading agrees, ``ambiguous`` (with its
candidates) when they do not, ``missing`` when the cell is blank or its row was not printed.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from core.records import STATUS_AMBIGUOUS, STATUS_MISSING, STATUS_OK, Cell, Line
from core.template import RESULT_ROW_KEYS, Row, SubTable, subtables
from ingest.normalize import match_key
from ingest.rows import UNREADABLE, ObservedRow, observe
from ingest.splits import (
    MAX_READINGS,
    UNREAD,
    Reading,
    RowRelation,
    Signature,
    Value,
    _checkable,
    flattened_digits,
    holds,
    positional_windows,
    read_row,
    signature,
    split_glued,
)

T3_ROW_RELATIONS: tuple[RowRelation, ...] = ((tuple(range(6)), 6),)
T4_ROW_RELATIONS: tuple[RowRelation, ...] = (((0, 1, 2, 3), 4), ((5, 6, 7, 8), 9), ((10, 11, 12, 13), 14))

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


@dataclass(frozen=True)
class ParsedTables:
    template: str | None
    template_basis: str
    cells: tuple[Cell, ...]
    warnings: tuple[str, ...] = ()
    table_lines: frozenset[int] = frozenset()


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
    item = _ITEM_RE.search(text)
    if item and "二" not in done and "三" not in done:
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


# ------------------------------------------------------------------------------------------------- alignment


@dataclass(frozen=True)
class Slot:
    """A template row ready to be aligned: its sub-table and the label keys to match."""

    sub: SubTable
    row: Row
    keys: tuple[str, ...]


@functools.lru_cache(maxsize=16)
def template_slots(template: str, table: str) -> tuple[Slot, ...]:
    out = []
    for sub in subtables(template, table):
        for row in sub.rows:
            leaf = row.label.rsplit("/", 1)[-1]
            out.append(Slot(sub, row, tuple(match_key(x) for x in (leaf, *row.aliases))))
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def _grams(key: str) -> frozenset[str]:
    return frozenset(key[i : i + 2] for i in range(len(key) - 1)) or frozenset({key})


@functools.lru_cache(maxsize=16384)
def _hay(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) | frozenset(text)


Hays = tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]


def _row_hays(row: ObservedRow) -> Hays:
    """The printed label alone, with the text above it, with the text below it, and with both (a long label wrapped
    over three lines has its number line in the middle)."""
    own, before, after = match_key(row.label), match_key(row.context), match_key(row.trailing)
    return _hay(own), _hay(before + own), _hay(own + after), _hay(before + own + after)


def label_similarity(slot: Slot, row: ObservedRow, hays: Hays | None = None) -> float:
    own, before, after, around = hays or _row_hays(row)
    return max(max(_cover(k, own), 0.9 * _cover(k, before), 0.9 * _cover(k, after), 0.8 * _cover(k, around))
               for k in slot.keys)


def _cover(key: str, hay: frozenset[str]) -> float:
    """Share of the template label's character bigrams found in the printed text."""
    if not key or not hay:
        return 0.0
    grams = _grams(key)
    return len(grams & hay) / len(grams)


def _containment(key: str, text: str) -> float:
    return _cover(key, _hay(text)) if text else 0.0


def align(slots: Sequence[Slot], rows: Sequence[ObservedRow]) -> dict[int, tuple[int, float]]:
    """Monotonic alignment of observed rows to template rows maximising label similarity (plus a small bonus per
    matched row, so unlabeled rows still follow the printed order). Returns {slot index: (row index, score)}."""
    n, m = len(slots), len(rows)
    hays = [_row_hays(r) for r in rows]
    sims = [[label_similarity(s, r, h) for r, h in zip(rows, hays)] for s in slots]
    bonus = [-0.4 if r.blank_only else 0.2 for r in rows]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            # a row of blank fields matches only by its label, never by position alone
            usable = not rows[j].blank_only or sims[i][j] >= 0.6
            take = best[i + 1][j + 1] + bonus[j] + sims[i][j] if usable else float("-inf")
            skip_slot, skip_row = best[i + 1][j], best[i][j + 1]
            if take >= skip_slot and take >= skip_row:  # ties: take, then skip the slot, then skip the row
                best[i][j], move[i][j] = take, 0
            elif skip_slot >= skip_row:
                best[i][j], move[i][j] = skip_slot, 1
            else:
                best[i][j], move[i][j] = skip_row, 2
        best[i][m] = 0.0
    out: dict[int, tuple[int, float]] = {}
    i = j = 0
    while i < n and j < m:
        if move[i][j] == 0:
            out[i] = (j, sims[i][j])
            i, j = i + 1, j + 1
        elif move[i][j] == 1:
            i += 1
        else:
            j += 1
    return out


# ------------------------------------------------------------------------------------------------- reading


@dataclass
class RowReadings:
    slot: Slot
    row: ObservedRow | None
    readings: list[Reading]
    confident: bool = True  # the printed label names this template row
    truncated: bool = False
    digits: str | None = None  # a web-flattened row's digit string
    doubt: str = ""  # why the readings cannot be trusted although they agree


def parse_tables(lines: Sequence[Line], covers_year: int | None) -> ParsedTables:
    found = locate(lines)
    template, basis = detect_template(found, covers_year)
    if template is None:
        return ParsedTables(None, basis, (), ("未找到统计表格", *found.warnings), frozenset(found.line_numbers))
    warnings: list[str] = list(found.warnings)
    tables: dict[str, list[RowReadings]] = {}
    for table in ("二", "三", "四"):
        tables[table] = _read_table(template, table, found.rows[table], warnings)
        if not found.rows[table]:
            warnings.append(f"未找到表{table}的数据")
    _prune_t3_columns(tables["三"])
    _verify_flattened_t3(tables["三"])
    _distrust_cut_off_row(tables, lines)
    cells = [c for table in ("二", "三", "四") for c in _cells(table, tables[table], found)]
    return ParsedTables(template, basis, tuple(cells), tuple(warnings), frozenset(found.line_numbers))


def _read_table(template: str, table: str, rows: list[ObservedRow], warnings: list[str]) -> list[RowReadings]:
    if table == "四":
        return _read_t4(template, rows)
    slots = list(template_slots(template, table))
    variants = [slots]
    if table == "三" and template == "2021":
        single = [s for s in slots if s.row.key not in _ITEM_KEYS]
        items = [s for s in slots if s.row.key != "other_handling"]
        variants = [items, single]
    scored = []
    for variant in variants:
        mapping = align(variant, rows)
        score = sum((-0.4 if rows[j].blank_only else 0.2) + sim for j, sim in mapping.values())
        scored.append((score, variant, mapping))
    _, chosen, mapping = max(scored, key=lambda x: x[0])
    if table == "二":
        _place_out_of_order(chosen, rows, mapping)
    signatures = _signatures(chosen, mapping, rows)
    # labels printed apart from their cells (OCR): then no label-less row of the table is placed by its neighbours
    scrambled = _labels_torn_off(rows)
    out = []
    for i, slot in enumerate(chosen):
        if i not in mapping:
            out.append(RowReadings(slot, None, []))
            continue
        j, sim = mapping[i]
        n = len(slot.sub.columns)
        relations = T3_ROW_RELATIONS if table == "三" else ()
        row = _text_in_value_columns(rows[j], signatures.get(n, frozenset()))
        found, doubt = read_row(row, n, relations, signatures.get(n, frozenset()))
        # a row is read only when its printed label (with the lines it wraps onto) names this template row;
        # order alone never decides a value
        confident = sim >= 0.5
        if scrambled and len(match_key(rows[j].label)) < 2:
            found, doubt = [], "识别文本把行标签与数字分开印出，无法确定这一行数字属于哪一项"
        elif _cells_dropped(row, n):
            found, doubt = [], f"该行的单元格少于{n}个，有单元格漏印或错位，无法确定各列"
        out.append(RowReadings(slot, row, found, confident=confident, truncated=len(found) >= MAX_READINGS,
                               digits=flattened_digits(row, n), doubt=doubt))
    _flag_repeated_rows(out, rows, {j for j, _ in mapping.values()}, warnings)
    if table == "三":
        _blank_aware_if_blanks_seen(out)
    return out


def _place_out_of_order(slots: Sequence[Slot], rows: Sequence[ObservedRow],
                        mapping: dict[int, tuple[int, float]]) -> None:
    """表二's row labels are unique: a row printed out of order (an OCR copy that moved 第二十条第（一）项's rows
    below （八）) still belongs to the template row its own label names."""
    used = {j for j, _ in mapping.values()}
    for i, slot in enumerate(slots):
        if i in mapping:
            continue
        best = [(j, sim) for j, r in enumerate(rows) if j not in used and not r.blank_only
                and (sim := label_similarity(slot, replace(r, context="", trailing=""))) >= 0.9]
        named = [j for j, _ in best if max(label_similarity(s, replace(rows[j], context="", trailing=""))
                                           for s in slots) <= dict(best)[j]]
        if len(named) == 1:
            mapping[i] = (named[0], dict(best)[named[0]])
            used.add(named[0])


def _cells_dropped(row: ObservedRow, n: int) -> bool:
    """A Markdown row (``| 规章 | 22 | 235 |``) with fewer cells than the table has columns: a cell was lost, not
    left blank (a blank cell is printed as ``|  |``), so no position can be told."""
    text = row.line.text.strip()
    if not (row.positional and text.startswith("|") and text.endswith("|") and len(text) > 1):
        return False
    fields = text[1:-1].split("|")
    return len(fields) - (1 if len(match_key(row.label)) >= 2 else 0) < n


def _labels_torn_off(rows: Sequence[ObservedRow]) -> bool:
    """A Markdown table whose rows mostly carry their label in the first cell, but some rows are bare numbers: the
    OCR printed those labels elsewhere (as loose text), so a bare row's label is not known."""
    pipe = [r for r in rows if r.positional and r.line.text.lstrip().startswith("|") and not r.blank_only]
    labelled = [r for r in pipe if len(match_key(r.label)) >= 2]
    bare = [r for r in pipe if len(match_key(r.label)) < 2]
    return len(labelled) >= 3 and len(bare) >= 1


def _distrust_cut_off_row(tables: dict[str, list[RowReadings]], lines: Sequence[Line]) -> None:
    """A copy that stops inside a table (a crawler kept only the first part of the page) may stop inside a number:
    the row on its last line cannot be trusted."""
    last = next((ln for ln in reversed(lines) if ln.text.strip()), None)
    if last is None or not re.search(r"\d\s*$", last.text):
        return
    for rows in tables.values():
        for rr in rows:
            if rr.row is not None and rr.row.line.lineno == last.lineno:
                rr.doubt = "文本在此行中断（副本不完整），该行的数字可能不全"
                rr.readings = []  # what was cut off is unknown: no candidates either


def _blank_aware_if_blanks_seen(out: list[RowReadings]) -> None:
    """When some flattened rows of a table add up only if cells were blank (or a total misprinted), the table shows
    blank cells: every flattened row of it also keeps its readings with blank cells, so none is trusted just because
    its digits happen to fit as printed."""
    flattened = [rr for rr in out if rr.digits is not None and rr.row is not None]
    if not any(rr.doubt for rr in flattened):
        return
    for rr in flattened:
        if not rr.doubt:
            rr.readings, rr.doubt = read_row(rr.row, len(rr.slot.sub.columns), T3_ROW_RELATIONS, blank_cells=True)


def _flag_repeated_rows(out: list[RowReadings], rows: list[ObservedRow], used: set[int], warnings: list[str]) -> None:
    """A row printed twice with different numbers: neither copy is trusted."""
    for j, row in enumerate(rows):
        if j in used or row.blank_only:
            continue
        best = max(out, key=lambda rr: label_similarity(rr.slot, row))
        if best.row is None or label_similarity(best.slot, row) < 0.8 or best.row.numbers == row.numbers:
            continue
        best.doubt = f"该行在报告中出现两次且数字不同（第{best.row.line.source_line}行、第{row.line.source_line}行）"
        warnings.append(f"“{best.slot.row.label.rsplit('/', 1)[-1]}”一行出现两次且数字不同，未采用")


def _text_in_value_columns(row: ObservedRow, starts: frozenset[Signature]) -> ObservedRow:
    """In a grid, text standing where every complete row of the table has its first values ("O", "0*" in the
    自然人 column) is an unreadable value, not the end of the label: keep its column so nothing shifts left."""
    if not starts or not row.positional or not row.slot_fields or row.slot_fields[0] <= max(starts):
        return row
    start = max(starts)
    kinds = row.field_kinds[start : row.slot_fields[0]]
    if not any(k == "text" for k in kinds):
        return row
    extra = tuple(UNREADABLE if k == "text" else None for k in kinds)
    return replace(row, slots=extra + row.slots, slot_fields=tuple(range(start, row.slot_fields[0])) + row.slot_fields)


_ITEM_KEYS = ("other_overdue_correction", "other_unpaid_fee", "other_other")


def _signatures(slots: list[Slot], mapping: dict[int, tuple[int, float]],
                rows: list[ObservedRow]) -> dict[int, frozenset[Signature]]:
    """Per row width, where the value columns of the table's unambiguous rows start."""
    out: dict[int, set[Signature]] = {}
    for i, (j, _) in mapping.items():
        n = len(slots[i].sub.columns)
        sig = signature(rows[j], n)
        if sig is not None:
            out.setdefault(n, set()).add(sig)
    return {n: frozenset(s) for n, s in out.items()}


def _read_t4(template: str, rows: list[ObservedRow]) -> list[RowReadings]:
    slot = template_slots(template, "四")[0]
    rows = [r for r in rows if not r.blank_only]
    wide = [r for r in rows if r.glued is not None or len(r.slots) >= 5]
    rows = wide or rows  # a stray short number (a page mark's digit) is not 表四's row when a real one is there
    if not rows:
        return [RowReadings(slot, None, [])]
    row = _merge_split_rows(rows)
    found, doubt = read_row(row, 15, T4_ROW_RELATIONS, blank_cells=True)  # 表四 cells are often left blank
    return [RowReadings(slot, row, found, truncated=len(found) >= MAX_READINGS, digits=flattened_digits(row, 15),
                        doubt=doubt)]


def _merge_split_rows(rows: list[ObservedRow]) -> ObservedRow:
    """表四's single data row, joined when a conversion wrapped it over several lines."""
    first = rows[0]
    if first.glued is not None or len(first.slots) >= 15 or len(rows) == 1:
        return first
    slots = list(first.slots)
    for extra in rows[1:]:
        if extra.glued is not None or extra.label.strip():
            break
        slots.extend(extra.slots)
        if len(slots) >= 15:
            break
    return ObservedRow(first.label, first.context, tuple(slots), first.positional, None, first.line)


# ------------------------------------------------------------------------------------------ table-wide pruning


def _prune_t3_columns(rows: list[RowReadings]) -> None:
    """Keep only readings that can take part in a combination satisfying the per-column relations of 表三
    (一+二 = （七）+四, and （七） = sum of result rows), for rows that still have several readings."""
    by_key = {r.slot.row.key: r for r in rows if r.row is not None and r.readings}
    if not any(len(r.readings) > 1 for r in by_key.values()):
        return
    relations = _t3_column_relations(rows, by_key)
    if _already_broken(by_key, relations):
        return  # the table's own printed numbers break its relations: they cannot choose between readings
    changed = True
    while changed:
        changed = False
        for left, right in relations:
            if all(k in by_key for k in left + right):
                changed |= _prune_relation([by_key[k] for k in left], [by_key[k] for k in right])


def _already_broken(by_key: dict[str, RowReadings], relations: list[tuple[tuple[str, ...], tuple[str, ...]]]) -> bool:
    """True when rows read one way only already break a row total or a column relation."""
    single = {k: r.readings[0] for k, r in by_key.items() if len(r.readings) == 1 and not r.doubt}
    if any(not holds(r, T3_ROW_RELATIONS[0]) for r in single.values()):
        return True
    return any(
        all(k in single for k in left + right)
        and not all(_column_holds([single[k] for k in left], [single[k] for k in right], c) for c in range(7))
        for left, right in relations
    )


def _t3_column_relations(rows: list[RowReadings],
                         usable: dict[str, RowReadings]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """表三's column relations whose every row is usable. The results relation needs all the table's result rows:
    over a subset it would be a different (false) relation."""
    results = tuple(r.slot.row.key for r in rows if r.slot.row.key in RESULT_ROW_KEYS)
    relations = [(("new_applications", "carried_over"), ("total_handled", "carried_forward")),
                 (results, ("total_handled",))]
    return [(left, right) for left, right in relations if left and all(k in usable for k in left + right)]


def _verify_flattened_t3(rows: list[RowReadings]) -> None:
    """A web-flattened row split one way only (by its own total) is trusted only if no other reading of its digits
    fits the table's relations better. When a report misprints a total, or leaves a cell blank, a wrong split can
    satisfy the row total by coincidence; the column relations then expose it, and the row is flagged. A column
    relation is used wherever every row in it reads one way in that column."""
    table = {r.slot.row.key: (r.readings if r.row is not None and not r.doubt else []) for r in rows}
    relations = _t3_column_relations(rows, table)
    if not relations or _t3_score(table, relations, None)[1] == 0:
        return
    for rr in rows:
        key = rr.slot.row.key
        if rr.digits is None or rr.doubt or len(rr.readings) != 1:
            continue
        base = _t3_score(table, relations, key)[0]
        printed = itertools.islice(split_glued(rr.digits, 7, ()), MAX_READINGS)  # every cell printed
        blanks = itertools.islice(split_glued(rr.digits, 7, T3_ROW_RELATIONS, True), MAX_READINGS)
        scored = [(_t3_score({**table, key: [alt]}, relations, key)[0], alt)
                  for alt in itertools.chain(printed, blanks) if alt != rr.readings[0]]
        better = [alt for score, alt in sorted(scored, key=lambda x: -x[0]) if score > base]
        if better:
            rr.readings = [rr.readings[0], *better[:20]]
            rr.doubt = "拼接数字的拆分与表内勾稽关系不符，无法确定"


def _t3_score(table: dict[str, list[Reading]], relations: list[tuple[tuple[str, ...], tuple[str, ...]]],
              focus: str | None) -> tuple[int, int]:
    """(relations seen to hold − relations seen to fail, relations seen to fail), over the row totals and the column
    relations (per column) that involve `focus` (or all, for None). Only cells every reading agrees on are seen: a
    blank or an undecided cell makes a relation unseen, neither better nor worse."""
    holds_, fails = 0, 0
    for key, readings in table.items():
        if (focus is None or key == focus) and len(readings) == 1 and _checkable(readings[0], T3_ROW_RELATIONS[0]):
            ok = holds(readings[0], T3_ROW_RELATIONS[0])
            holds_, fails = holds_ + ok, fails + (not ok)
    for left, right in relations:
        if focus is not None and focus not in left + right:
            continue
        for col in range(7):
            left_values = [_agreed(table[k], col) for k in left]
            right_values = [_agreed(table[k], col) for k in right]
            if all(isinstance(v, Decimal) for v in left_values + right_values):
                ok = sum(left_values, Decimal(0)) == sum(right_values, Decimal(0))  # type: ignore[arg-type]
                holds_, fails = holds_ + ok, fails + (not ok)
    return holds_ - fails, fails


def _agreed(readings: list[Reading], col: int) -> Value | None:
    values = {r[col] for r in readings}
    return values.pop() if len(values) == 1 else None


def _prune_relation(left: list[RowReadings], right: list[RowReadings], limit: int = 20000) -> bool:
    involved = left + right
    sizes = [len(r.readings) for r in involved]
    if all(s == 1 for s in sizes) or _product(sizes) > limit:
        return False
    keep: list[set[int]] = [set() for _ in involved]
    for combo in itertools.product(*(range(s) for s in sizes)):
        chosen = [involved[i].readings[c] for i, c in enumerate(combo)]
        if all(_column_holds(chosen[: len(left)], chosen[len(left) :], col) for col in range(7)):
            for i, c in enumerate(combo):
                keep[i].add(c)
    if not any(keep):
        return False  # the printed numbers break the relation whatever the split: prune nothing
    changed = False
    for row, kept in zip(involved, keep):
        if len(kept) < len(row.readings):
            row.readings = [r for i, r in enumerate(row.readings) if i in kept]
            changed = True
    return changed


def _column_holds(left: list[Reading], right: list[Reading], col: int) -> bool:
    values = [r[col] for r in left + right]
    if not all(isinstance(v, Decimal) for v in values):
        return True
    return sum(r[col] for r in left) == sum(r[col] for r in right)  # type: ignore[misc]


def _product(sizes: list[int]) -> int:
    out = 1
    for s in sizes:
        out *= s
    return out


# ------------------------------------------------------------------------------------------------- cells


def _cells(table: str, rows: list[RowReadings], found: TableLines) -> list[Cell]:
    out = []
    for rr in rows:
        start = _window_start(rr)
        for index, column in enumerate(rr.slot.sub.columns):
            out.append(_cell(table, rr, index, column.key, _column_label(rr, index, found, start)))
    return out


def _cell(table: str, rr: RowReadings, index: int, col_key: str, col_label: str) -> Cell:
    row = rr.row
    if row is None:
        return Cell(table, rr.slot.row.key, col_key, None, STATUS_MISSING, rr.slot.row.label, col_label,
                    note="报告中未找到该行")
    common = dict(row_label=_printed_label(row) or rr.slot.row.label, column_label=col_label,
                  line=row.line.source_line, page=row.line.page, raw=row.line.text)
    values = {r[index] for r in rr.readings}
    numbers = tuple(sorted(v for v in values if isinstance(v, Decimal)))
    if rr.doubt:
        return Cell(table, rr.slot.row.key, col_key, None, STATUS_AMBIGUOUS, candidates=numbers, note=rr.doubt,
                    **common)
    if rr.truncated or not rr.readings:
        return Cell(table, rr.slot.row.key, col_key, None, STATUS_AMBIGUOUS, note="无法确定单元格边界", **common)
    if len(values) > 1:
        notes = ["单元格边界有多种可能" if numbers else "", "可能为空" if None in values else "",
                 "含无法识别的内容" if UNREAD in values else ""]
        return Cell(table, rr.slot.row.key, col_key, None, STATUS_AMBIGUOUS, candidates=numbers,
                    note="；".join(n for n in notes if n), **common)
    (value,) = values
    if value is UNREAD:
        return Cell(table, rr.slot.row.key, col_key, None, STATUS_AMBIGUOUS, note="单元格内容无法识别为数字",
                    **common)
    if value is None:
        return Cell(table, rr.slot.row.key, col_key, None, STATUS_MISSING, note="空白单元格", **common)
    assert isinstance(value, Decimal)
    if not rr.confident:
        return Cell(table, rr.slot.row.key, col_key, None, STATUS_AMBIGUOUS, candidates=(value,),
                    note="行标签无法确认，按顺序对应", **common)
    return Cell(table, rr.slot.row.key, col_key, value, STATUS_OK, **common)


def _printed_label(row: ObservedRow) -> str:
    label = row.label.strip()
    return label if len(match_key(label)) >= 2 else (row.context.strip() + label).strip()


def _column_label(rr: RowReadings, index: int, found: TableLines, start: int | None) -> str:
    """The column's header as printed: 表二 from its "信息内容 …" line, 表三/表四 from the header cells above the value
    in a grid (tab) table; the canonical label where the printed header cannot be tied to the column."""
    canonical = rr.slot.sub.columns[index].label
    if rr.slot.sub.key.startswith("item"):
        key = match_key(canonical)
        best = max((field.strip() for header in found.headers
                    for field in re.split(r"\t+|\s{2,}|\s(?=\S)", header.replace("信息内容", "", 1)) if field.strip()),
                   key=lambda f: _containment(key, match_key(f)) + _containment(match_key(f), key), default="")
        return best if best and _containment(key, match_key(best)) >= 0.8 else canonical
    headers = found.grid_headers.get("三" if rr.slot.sub.key == "t3" else "四", [])
    if start is None or not headers:
        return canonical
    printed = [h[start + index] for h in headers if start + index < len(h) and h[start + index]]
    return "/".join(printed) if printed and match_key("".join(printed))[-2:] == match_key(canonical)[-2:] else canonical


def _window_start(rr: RowReadings) -> int | None:
    """The grid column of a positional row's first value, when the row reads one way only."""
    if rr.row is None or not rr.row.positional or len(rr.readings) != 1:
        return None
    starts = {sig for sig, reading in positional_windows(rr.row, len(rr.slot.sub.columns)) if reading == rr.readings[0]}
    return starts.pop() if len(starts) == 1 else None
