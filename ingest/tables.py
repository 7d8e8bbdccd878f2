"""Lines → the cells of 表二, 表三 and 表四, keyed by the template catalogue, with provenance.

Stages: find each table's lines and decide the template version (``ingest.locate``), read observed rows
(``ingest.rows``), align observed rows to template rows by label and order (``ingest.align``), read each row's
candidate values (``ingest.splits``), prune candidates with the template's relations across rows
(``ingest.prune``), and emit one :class:`~core.records.Cell` per template cell: ``ok`` when every surviving reading
agrees, ``ambiguous`` (with its candidates) when they do not, ``missing`` when the cell is blank or its row was not
printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from core.records import STATUS_AMBIGUOUS, STATUS_MISSING, STATUS_OK, Cell, Line
from ingest.align import Slot, align, containment, label_similarity, template_slots
from ingest.locate import TableLines, detect_template, locate
from ingest.loose import SHORT_ROW, LooseCell, annotated_loose_cells, fill_short_rows
from ingest.normalize import match_key
from ingest.prune import T3_ROW_RELATIONS, T4_ROW_RELATIONS, RowReadings, prune_t3_columns, verify_flattened_t3
from ingest.rows import UNREADABLE, ObservedRow
from ingest.splits import (
    MAX_READINGS,
    UNREAD,
    Signature,
    flattened_digits,
    positional_windows,
    read_row,
    signature,
)

__all__ = ["T3_ROW_RELATIONS", "T4_ROW_RELATIONS", "ParsedTables", "parse_tables"]


@dataclass(frozen=True)
class ParsedTables:
    template: str | None
    template_basis: str
    cells: tuple[Cell, ...]
    warnings: tuple[str, ...] = ()
    table_lines: frozenset[int] = frozenset()




def parse_tables(lines: Sequence[Line], covers_year: int | None) -> ParsedTables:
    found = locate(lines)
    template, basis = detect_template(found, covers_year)
    if template is None:
        return ParsedTables(None, basis, (), ("未找到统计表格", *found.warnings), frozenset(found.line_numbers))
    warnings: list[str] = list(found.warnings)
    tables: dict[str, list[RowReadings]] = {}
    for table in ("二", "三", "四"):
        tables[table] = _read_table(template, table, found.rows[table], warnings, tables.get("三", []))
        if not found.rows[table]:
            warnings.append(f"未找到表{table}的数据")
    placed = fill_short_rows(tables["二"], _loose_cells(lines, found))
    prune_t3_columns(tables["三"])
    verify_flattened_t3(tables["三"])
    _distrust_cut_off_row(tables, lines)
    cells = [c for table in ("二", "三", "四") for c in _cells(table, tables[table], found)]
    cells = [_from_loose(c, placed[(c.row, c.column)]) if c.table == "二" and (c.row, c.column) in placed else c
             for c in cells]
    return ParsedTables(template, basis, tuple(cells), tuple(warnings), frozenset(found.line_numbers))


def _loose_cells(lines: Sequence[Line], found: TableLines) -> list[LooseCell]:
    """表二's annotated numbers printed outside its rows: between its caption and its last row."""
    rows = found.rows["二"]
    if not rows:
        return []
    first, last = min(r.line.lineno for r in rows), max(r.line.lineno for r in rows)
    captions = [ln.lineno for ln in lines if ln.lineno < first and "主动公开政府信息情况" in ln.text]
    return annotated_loose_cells(lines, captions[-1], last) if captions else []


def _from_loose(cell: Cell, loose: LooseCell) -> Cell:
    return replace(cell, line=loose.line.source_line, page=loose.line.page, raw=f"{loose.line.text.strip()} {loose.note}",
                   note=f"识别文本把这个数字连同注释“{loose.note}”印在表格之外，按注释归入此栏")


def _read_table(template: str, table: str, rows: list[ObservedRow], warnings: list[str],
                t3: Sequence[RowReadings] = ()) -> list[RowReadings]:
    if table == "四":
        return _read_t4(template, rows, _no_blanks_shown(t3))
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
        found = _unsigned_where_counted(found, slot.sub.columns)
        # a row is read only when its printed label (with the lines it wraps onto) names this template row;
        # order alone never decides a value
        confident = sim >= 0.5
        if scrambled and len(match_key(rows[j].label)) < 2:
            found, doubt = [], "识别文本把行标签与数字分开印出，无法确定这一行数字属于哪一项"
        elif _cells_dropped(row, n):
            found, doubt = [], f"{SHORT_ROW}{n}个，有单元格漏印或错位，无法确定各列"
        out.append(RowReadings(slot, row, found, confident=confident, truncated=len(found) >= MAX_READINGS,
                               digits=flattened_digits(row, n), doubt=doubt))
    _flag_repeated_rows(out, rows, {j for j, _ in mapping.values()}, warnings)
    if table == "三":
        _blank_aware_if_blanks_seen(out)
    return out



def _unsigned_where_counted(found: list, columns: Sequence) -> list:  # type: ignore[type-arg]
    """Only 本年增/减 can be negative: "行政处罚2648-18538" is not 264 | 8 | −18538 (a count below zero), so
    the sign starts the 增/减 cell. Readings with a negative count are dropped when another reading remains."""
    signed = [getattr(c, "key", "") == "change" for c in columns]
    kept = [r for r in found if all(not isinstance(v, Decimal) or v >= 0 or (k < len(signed) and signed[k])
                                    for k, v in enumerate(r))]
    return kept if kept else found

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
    for table, rows in tables.items():
        relations = {"三": T3_ROW_RELATIONS, "四": T4_ROW_RELATIONS}.get(table, ())
        for rr in rows:
            if rr.row is not None and rr.row.line.lineno == last.lineno and not _whole_row(rr, relations):
                rr.doubt = "文本在此行中断（副本不完整），该行的数字可能不全"
                rr.readings = []  # what was cut off is unknown: no candidates either


def _whole_row(rr: RowReadings, relations: Sequence[tuple[tuple[int, ...], int]]) -> bool:
    """The last row is whole after all: one reading, every column of it printed, and its totals equal the sums of
    their parts (a copy cut inside a number leaves a total that does not add up, or columns missing). A page that
    ends with a table row (one page of a report, scanned) is not a copy cut off."""
    if not relations or len(rr.readings) != 1:
        return False
    (reading,) = rr.readings
    if len(reading) != len(rr.slot.sub.columns) or any(v is None for v in reading):
        return False
    return all(sum(reading[i] for i in parts) == reading[total] for parts, total in relations)


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


def _no_blanks_shown(t3: Sequence[RowReadings]) -> bool:
    """The report's flattened 表三 rows all read without a blank cell (none needed one to add up)."""
    flattened = [rr for rr in t3 if rr.digits is not None and rr.row is not None]
    return bool(flattened) and not any(rr.doubt for rr in flattened)


def _read_t4(template: str, rows: list[ObservedRow], no_blanks_shown: bool = False) -> list[RowReadings]:
    slot = template_slots(template, "四")[0]
    rows = [r for r in rows if not r.blank_only]
    wide = [r for r in rows if r.glued is not None or len(r.slots) >= 5]
    rows = wide or rows  # a stray short number (a page mark's digit) is not 表四's row when a real one is there
    if not rows:
        return [RowReadings(slot, None, [])]
    row = _merge_split_rows(rows)
    found, doubt = [], ""
    if row.glued is not None and no_blanks_shown:
        # a web-flattened 表四 of a report whose flattened 表三 needed no blank cell: read without blanks first
        # ("10203120001200000" is 1|0|2|0|3 12|0|0|0|12 0|0|0|0|0, not 12000 with three blanks)
        found, doubt = read_row(row, 15, T4_ROW_RELATIONS, blank_cells=False)
    if not found or doubt:
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
                   key=lambda f: containment(key, match_key(f)) + containment(match_key(f), key), default="")
        return best if best and containment(key, match_key(best)) >= 0.8 else canonical
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
