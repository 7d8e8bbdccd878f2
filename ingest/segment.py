"""Re-segment a document on the template's own anchors, whatever line layout its text arrived in.

Real reports reach us as one-line web text (every heading, label and cell run together), one cell per line with or
without pipes, tab rows, column-aligned PDF text and OCR Markdown. The table reader (``ingest.tables``) reads one
table row per line; this stage gives it that, from the text's own structure rather than its line breaks:

* **cut** a line wherever a section heading (一…六) or, inside the tables, a table anchor (a 第二十条 caption, a row
  label of 表二/三/四 in either version) starts in the middle of it and is followed by table material;
* **join** the cells that follow a row label on their own lines (``56 |`` / ``|`` / ``0``) into that label's row:
  pipe cells become tab fields (an empty cell stays an empty field: blank, not 0), bare one-number lines become one
  space-separated row (blanks cannot be seen there);
* inside a cut row, spaces between digit groups are not cell boundaries unless the row shows one group per column
  (``500000 5`` is the run ``5000005``; ``0 0 0`` is three cells).

Every output line keeps the number of the source line it came from (``Line.origin``), so citations point into the
file as published. Lines that need neither cut nor join pass through unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.records import Line

# ------------------------------------------------------------------------------------------------- anchors

# Section headings, recognised by number and wording; the heading ends at its last title word.
_SECTION_WORDS = {
    "一": ("总体情况", "概述", "基本情况"),
    "二": ("主动公开",),
    "三": ("收到和处理", "依申请公开", "申请情况"),
    "四": ("行政复议", "行政诉讼"),
    "五": ("问题", "改进"),
    "六": ("其他需要报告", "其他事项", "其他需报告"),
}
_SECTION_RE = re.compile(
    r"(?P<num>[一二三四五六])\s*[、.．]\s*(?P<title>[^。；;：:\d|\t]{2,40}?"
    r"(?:情况|事项|措施|问题)(?:及改进情况|和改进情况|及整改情况|及改进措施|和改进措施)?)"
)
_CAPTION_RE = re.compile(r"第\s*二\s*十\s*条\s*第?\s*[（(]\s*[一二三四五六七八九十]+\s*[)）]\s*项")
# a caption cell whose item number was lost ("第二十条第" on its own line)
BARE_CAPTION_RE = re.compile(r"^[|\s#*]*第\s*二\s*十\s*条\s*第?[|\s]*$")
_T3_CAPTION_RE = re.compile(r"[（(]?\s*本列数据的?勾稽关系")
_T4_HEAD_RE = re.compile(r"行政复议\s*行政诉讼|行政复议\s*\|?\s*结果维持|未经复议直接起诉")


@dataclass(frozen=True)
class RowAnchor:
    key: str  # the distinctive start of the printed label
    number: str = ""  # the item number printed before it ("2" in "2.重复申请"), "" when none
    columns: tuple[int, ...] = (7,)  # possible widths of the row (表二 differs between template versions)


_NUM = "一二三四五六七八九十"
# Row labels of 表二/三/四 in both template versions, by the words they start with (after their numbering).
ROW_ANCHORS: tuple[RowAnchor, ...] = (
    RowAnchor("规章", columns=(3,)),
    RowAnchor("行政规范性文件", columns=(3,)),
    RowAnchor("规范性文件", columns=(3,)),
    RowAnchor("行政许可", columns=(1, 3)),
    RowAnchor("其他对外管理服务事项", columns=(3,)),
    RowAnchor("行政处罚", columns=(1, 3)),
    RowAnchor("行政强制", columns=(1, 3)),
    RowAnchor("行政事业性收费", columns=(1, 2)),
    RowAnchor("政府集中采购", columns=(2,)),
    RowAnchor("本年新收", "一"),
    RowAnchor("上年结转", "二"),
    RowAnchor("予以公开", "一"),
    RowAnchor("部分公开", "二"),
    RowAnchor("属于国家秘密", "1"),
    RowAnchor("其他法律行政法规禁止公开", "2"),
    RowAnchor("危及", "3"),
    RowAnchor("保护第三方", "4"),
    RowAnchor("属于三类内", "5"),
    RowAnchor("属于四类过程", "6"),
    RowAnchor("属于行政执法案卷", "7"),
    RowAnchor("属于行政查询事项", "8"),
    RowAnchor("本机关不掌握", "1"),
    RowAnchor("没有现成信息", "2"),
    RowAnchor("补正后申请内容", "3"),
    RowAnchor("信访举报投诉", "1"),
    RowAnchor("重复申请", "2"),
    RowAnchor("要求提供公开出版物", "3"),
    RowAnchor("无正当理由大量反复", "4"),
    RowAnchor("要求行政机关确认", "5"),
    RowAnchor("其他处理", "六"),
    RowAnchor("申请人无正当理由逾期不补正", "1"),
    RowAnchor("申请人逾期未按收费通知", "2"),
    RowAnchor("逾期不补正", "1"),
    RowAnchor("逾期不缴费", "2"),
    RowAnchor("逾期未按收费通知", "2"),
    RowAnchor("其他", "3"),
    RowAnchor("总计", "七"),
    RowAnchor("结转下年度", "四"),
)
# group labels of 表三 and their numbers: cut before, never a data row
GROUP_ANCHORS = {"本年度办理结果": "三", "不予公开": "三", "无法提供": "四", "不予处理": "五"}
_GROUP_WORDS = tuple(GROUP_ANCHORS)
_ANCHOR_BY_KEY = {a.key: a for a in ROW_ANCHORS}
# a label's words may be broken by a space where a copy wrapped a line ("本年度办 理结果"); the key is read without it
_KEYS_RE = re.compile("|".join("[ \u3000]?".join(re.escape(ch) for ch in k) for k in sorted(
    [a.key for a in ROW_ANCHORS] + list(_GROUP_WORDS), key=len, reverse=True)))


def _key(match: re.Match[str]) -> str:
    return re.sub(r"[ \u3000]", "", match.group(0))
# a page number (and the running header after it) inside a line of run-together text: "0000000- 1 -某某局…年度报告"
_PAGE_MARK_RE = re.compile(r"(?:(?<=\S)|^)\s*[-—–]\s*\d{1,4}\s*[-—–](?:\s*[^\d|\t。]{0,40}?(?:年度报告|工作报告))?(?!\d)")
_LEAD_RE = re.compile(r"[\s|#*]*(?:[（(]?\s*[一二三四五六七八九十\d]{1,2}\s*[)）.、．]\s*)?(?:[（(]?\s*[一二三四五六七八九十\d]{1,2}\s*[)）.、．]\s*)?")
_NUMBERING = r"[（(]?\s*{n}\s*[)）.、．,，]?\s*"
# table material right after a label: digits, a cell mark, a pipe or tab, the end, or the next label
_MATERIAL_RE = re.compile(r"\s*(?:[\d|\t—\-/／]|$)")
_UNIT_AFTER_RE = re.compile(r"\s*\d[\d.,]*\s*[件条个项次人家元%％余多份]")
_FRAGMENT_RE = re.compile(r"^\s*(?:[-−+]?\d[\d.,]*|[—\-/／]{1,2}|无)?[\s|]*$")  # "8 | |||": a row's last cell
# cells followed by a sentence on the same line ("…总计 001010000000000 2019年，我局…。"): the sentence is not a cell
# (row labels never hold a full stop; a year opening a sentence is four digits and 年)
_PROSE_AFTER_CELLS = re.compile(
    r"(?<=[\d|])\s+(?=[^\d|\s][^|\t]{4,}?[。；])"
    r"|(?<=\d)\s*(?=(?:19|20)\d{2}年度?[，,][\u4e00-\u9fff]{2})"
    r"|(?<=\d)(?![件条个项次人家元%％余多份年月日])(?=[\u4e00-\u9fff][^\d|\t。；]{2,}[。；])"
    r"|(?<=\d)(?![件条个项次人家元%％余多份年月日])(?=[\u4e00-\u9fff][^|\t。；]{0,40}?[^\d.]\d+件[^|\t]{0,80}?[。；])")
_VALUE_CELL_RE = re.compile(r"[\s|]*[-−+]?\d[\d,]*(?:\.\d+)?(?=\s*(?:[\t|]|$)|\s+[-−+]?\d)")
_DIGIT_GROUPS_RE = re.compile(r"^[\d.\-−\s]+$")


# ------------------------------------------------------------------------------------------------- the stage


def resegment(lines: Sequence[Line]) -> tuple[Line, ...]:
    """Lines cut at the anchors inside them and joined where a row's cells stand one per line; renumbered from 1,
    each keeping its source line in ``origin``."""
    pieces: list[tuple[str, Line]] = []
    for line in lines:
        pieces.extend((text, line) for text in _cut_sections(line.text))
    regions = _table_mask([text for text, _ in pieces])
    cut: list[tuple[str, Line, bool]] = []
    for (text, line), in_table in zip(pieces, regions):
        if in_table:
            cut.extend((t, line, True) for t in _cut_rows(_PAGE_MARK_RE.sub(" ", text)))
        else:
            cut.append((text, line, False))
    joined = _join_cells(cut)
    out = []
    for text, line in joined:
        out.append(Line(text=text, lineno=len(out) + 1, page=line.page, origin=line.source_line))
    return tuple(out)


def _cut_sections(text: str) -> list[str]:
    """A line cut before each section heading that does not start it, and after a heading that prose follows."""
    cuts: set[int] = set()
    for match in _SECTION_RE.finditer(text):
        if not any(w in match.group("title") for w in _SECTION_WORDS[match.group("num")]):
            continue
        start = match.start()
        before = text[:start].rstrip(" |#*")
        if before and not re.search(r"[\s。；;!！?？）)>”\"\d]$", before):
            continue  # "第三、收到…" or a heading quoted inside a sentence
        end = match.end()
        rest = text[end:]
        if len(text) - len(text.lstrip(" |#*>-")) == start and not rest.strip():
            continue  # a heading line as it should be
        if start > 0 and before:
            cuts.add(start)
        if rest.strip() and not re.match(r"\s*[（(]?[\d一二三四五六七八九十]*[)）]?\s*$", rest):
            cuts.add(end)
    return _split_at(text, cuts)


def _table_mask(texts: list[str]) -> list[bool]:
    """Which pieces lie inside the statutory tables: from the first 第二十条 caption (or 表三/表四 furniture) to the
    heading of section 五."""
    mask, inside = [], False
    for text in texts:
        stripped = text.strip(" |#*")
        if not inside and (_CAPTION_RE.search(text) or BARE_CAPTION_RE.match(text) or _T3_CAPTION_RE.search(text)
                           or _T4_HEAD_RE.search(text)):
            inside = True
        elif inside and (m := _SECTION_RE.match(stripped)) and m.group("num") in "五六" and \
                any(w in m.group("title") for w in _SECTION_WORDS[m.group("num")]):
            inside = False
        mask.append(inside)
    return mask


def _cut_rows(text: str) -> list[str]:
    """A table line cut before every row label (with its numbering) that is followed by table material. A line
    holding fewer than two such labels is left alone (a label with its cells, or prose)."""
    cuts: list[tuple[int, RowAnchor | None]] = []
    for match in _CAPTION_RE.finditer(text):
        cuts.append((match.start(), None))
    for match in _KEYS_RE.finditer(text):
        key = _key(match)
        anchor = _ANCHOR_BY_KEY.get(key)
        start = _label_start(text, match.start(), anchor.number if anchor else GROUP_ANCHORS.get(key, ""))
        if anchor is not None:
            if anchor.number and start == match.start() and key in ("其他", "总计", "其他处理"):
                continue  # a header word, not the numbered row
            end = match.end() if key in ("其他", "总计") else _label_end(text, match.end())  # nothing may follow these
            if not _MATERIAL_RE.match(text, end) and not _KEYS_RE.match(text, end):
                continue
            if _UNIT_AFTER_RE.match(text, end):
                continue  # prose: 规章13件
        cuts.append((start, anchor))
    for pattern in (_T3_CAPTION_RE, _T4_HEAD_RE, re.compile("申请人情况")):
        cuts.extend((m.start(), None) for m in pattern.finditer(text))
    if "\t" in text or text.count("|") >= 2:
        # a grid row is already one row per line; only a whole grid run into one line is cut, at its data rows
        cuts = [(p, a) for p, a in cuts if a is not None and _values_follow(text, p)]
        if len(cuts) < 2:
            return [text]
    cuts.extend((m.end(), None) for m in _PROSE_AFTER_CELLS.finditer(text))
    positions = sorted({p for p, _ in cuts})
    if len(positions) < 2:
        return [text]
    parts = _split_at(text, set(positions))
    return [_close_glue(p) for p in parts]


def _values_follow(text: str, start: int) -> bool:
    """A grid row's label at `start` is followed by a number cell (not by another label such as "1.申请人…")."""
    end = re.compile(r"[^|\t]*").match(text, start)
    return bool(_VALUE_CELL_RE.match(text, end.end() if end else start))


def _label_start(text: str, key_start: int, number: str) -> int:
    """Where a label starts: before its printed item number when that number is the expected one."""
    if not number:
        return key_start
    match = re.search(_NUMBERING.format(n=re.escape(number)) + r"$", text[max(0, key_start - 6):key_start])
    return key_start - len(match.group(0)) if match else key_start


def _label_end(text: str, pos: int) -> int:
    """The end of a label: over the rest of its words and a parenthesised remark, to the first cell material."""
    match = re.compile(r"[^\d|\t]*?(?=[\d|\t]|$)").match(text, pos)
    end = match.end() if match else pos
    nxt = _KEYS_RE.search(text, pos, end)
    return nxt.start() if nxt else end


def _close_glue(piece: str) -> str:
    """Inside a cut row, spaces between digit groups are not cell boundaries (``500000 5``), unless every group
    is a single cell of a spaced row (each group one number, as many groups as the row has columns)."""
    match = re.match(r"^(?P<label>.*?[^\d\s.\-−])\s*(?P<values>[\d.\-−][\d.\-−\s]*)$", piece.rstrip())
    if not match or "|" in piece or "\t" in piece:
        return piece
    values = match.group("values").split()
    if not _DIGIT_GROUPS_RE.match(match.group("values")):
        return piece
    anchor = _anchor_of(match.group("label"))
    widths = anchor.columns if anchor else (7,)
    if len(values) >= 2 and (len(values) in widths or (len(values) == 15 and anchor is None)):
        return match.group("label").rstrip() + " " + " ".join(values)
    return match.group("label").rstrip() + "".join(values)


def _anchor_of(label: str) -> RowAnchor | None:
    """The row a label names: its anchor word at the start, after the item number (``2.重复申请``)."""
    lead = _LEAD_RE.match(label)
    found = _KEYS_RE.match(label, lead.end() if lead else 0)
    return _ANCHOR_BY_KEY.get(_key(found)) if found else None


def _split_at(text: str, cuts: set[int]) -> list[str]:
    out, last = [], 0
    for cut in sorted(c for c in cuts if 0 < c < len(text)):
        if text[last:cut].strip():
            out.append(text[last:cut].rstrip())
        last = cut
    if text[last:].strip() or not out:
        out.append(text[last:].strip() if out else text)
    return out


# ------------------------------------------------------------------------------------------------- joining


def _join_cells(pieces: list[tuple[str, Line, bool]]) -> list[tuple[str, Line]]:
    """Cells standing one per line after their row label, joined into the label's row."""
    out: list[tuple[str, Line]] = []
    i = 0
    while i < len(pieces):
        text, line, in_table = pieces[i]
        j = i + 1
        if in_table and text.strip():
            while j < len(pieces) and pieces[j][2] and (_is_fragment(pieces[j][0]) or not pieces[j][0].strip()):
                j += 1  # (a copy that puts a blank line between cells)
            while j > i + 1 and not pieces[j - 1][0].strip():
                j -= 1  # blank lines after the last cell are not part of the row
        fragments = [p[0] for p in pieces[i + 1 : j] if p[0].strip()]
        if not fragments or not _worth_joining(text, fragments):
            out.append((text, line))
            i += 1
            continue
        if _is_fragment(text):  # cells with no label before them (表四's data row)
            fragments, text = [text, *fragments], ""
        out.append((_joined_row(text, fragments), line))
        i = j
    return out


def _is_fragment(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and bool(_FRAGMENT_RE.match(stripped)) and len(stripped.rstrip("| ")) <= 16


def _worth_joining(label: str, fragments: list[str]) -> bool:
    """Pipe cells always; bare numbers one per line only after a row label (a run of two or more)."""
    if any("|" in f for f in fragments) and ("|" in label or _is_fragment(label)):
        return _anchor_of(label) is not None or _is_fragment(label) or not re.search(r"[\u4e00-\u9fff]", label)
    numbers = [f for f in fragments if re.search(r"\d", f)]
    lead = _LEAD_RE.match(label)
    return len(numbers) >= 1 and len(numbers) == len(fragments) and _anchor_of(label) is not None \
        and not re.search(r"\d", label[lead.end() if lead else 0 :])


def _joined_row(label: str, fragments: list[str]) -> str:
    if not any("|" in f for f in fragments + [label]):
        return label.strip() + " " + " ".join(f.strip() for f in fragments)
    cells = ("".join([label.strip(), *(f.strip() for f in fragments)])).split("|")
    head, values = cells[0].strip(), [c.strip() for c in cells[1:]]
    if values and values[-1] == "":
        values.pop()
    anchor = _anchor_of(head)
    width = max(anchor.columns) if anchor else (15 if not head else len(values))
    while len(values) > width and values[-1] == "":
        values.pop()
    return "\t".join([head, *values])
