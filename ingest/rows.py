"""Lines → observed table rows: a label, and value slots or a digit string glued to the label.

Tab/pipe rows keep empty fields (a blank cell is a blank slot); space-separated rows cannot show blanks; a
web-flattened row is a label followed by one unbroken digit string (``…申请数量640020470``). Anything in a value
position that is not a number ("O" for 0, "+5", "5件", "增加2") becomes an *unreadable* slot: its cell is flagged,
and it never shifts the numbers around it into the wrong columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from core.records import Line

NUMBER_RE = re.compile(r"^[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
UNREADABLE = "?"  # slot marker: a value field whose content is not a number
_UNSURE_NUMBER = re.compile(r"^\d[\d.,]*\?$")  # what OCR writes for a number it could not confirm (ingest.ocr)
_BLANK_MARKS = {"", "-", "—", "--", "——", "/", "／", "无", "—-", "－"}
_UNIT_RE = re.compile(r"^[件条元年月日号个次人项家万亿%％余多位名户期场篇份页]")
_GLUED_RE = re.compile(r"^(.*?[^\d\s.\-−+,，、．])([-−]?\d[\d.\-−]*)$")
_DIGITS_IN_LABEL = re.compile(r"\d{2,}")
_NUMBERING = re.compile(r"(?:^|(?<=\D))\d{1,2}\s*[.．、]|[（(]\s*\d{1,2}\s*[)）]|20\d{2}年|“三安全一稳定”")
_SENTENCE_RE = re.compile(r"[。！？!?]")
_FULLWIDTH_GROUPS = re.compile(r"(?<=\d)[，,](?=\d{3}(?!\d))")
# Header cells and captions of the statutory tables: a line carrying them is never a data row, even with a digit
# in it (单位：万元，保留4位小数).
_HEADER_WORDS = ("信息内容", "单位", "勾稽关系", "申请人情况", "保留", "小数")


@dataclass(frozen=True)
class Token:
    kind: str  # text | num | blank
    text: str
    field: int = 0  # index of the tab/pipe field the token came from


@dataclass(frozen=True)
class ObservedRow:
    """A line that carries numbers, with the text around it that may be (part of) its label."""

    label: str  # text printed on the same line, before the values
    context: str  # text of the non-data lines just before it (wrapped label parts, header fragments)
    slots: tuple[str | None, ...]  # numbers, UNREADABLE or None (a blank field: tab/pipe rows only), in order
    positional: bool  # True when blanks are visible (tab/pipe fields), so positions are meaningful
    glued: str | None  # a digit string glued to the label (web-flattened row)
    line: Line
    slot_fields: tuple[int, ...] = ()  # tab/pipe rows: the field (grid column) each slot was read from
    trailing: str = ""  # text of the line right after it when that line carries no numbers (a wrapped label)
    field_kinds: tuple[str, ...] = ()  # tab/pipe rows: per field, "blank" | "num" | "text" (text or text+number)

    @property
    def numbers(self) -> list[str]:
        return [s for s in self.slots if s is not None and s != UNREADABLE]

    @property
    def blank_only(self) -> bool:
        """A labelled row whose value fields are all empty (a row of blank cells, or a header row)."""
        return self.glued is None and not self.numbers


def parse_number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("−", "-").lstrip("+"))


def is_number(text: str) -> bool:
    return bool(NUMBER_RE.match(text))


def tokenize(text: str) -> tuple[list[Token], bool]:
    """Split a line into tokens; returns (tokens, positional). Blank tokens appear only for tab/pipe rows."""
    text = _FULLWIDTH_GROUPS.sub(",", text)  # 1，573，179 is one number
    if "\t" in text:
        fields, positional = text.split("\t"), True
    elif text.count("|") >= 2:
        fields, positional = text.strip().strip("|").split("|"), True
    else:
        fields, positional = [text], False
    tokens: list[Token] = []
    for index, field in enumerate(fields):
        parts = field.split()
        if positional and (not parts or field.strip() in _BLANK_MARKS):
            tokens.append(Token("blank", "", index))
            continue
        tokens.extend(Token("num" if is_number(p) else "text", p, index) for p in parts)
    return tokens, positional


def _is_separator_row(text: str) -> bool:
    return bool(re.fullmatch(r"[\s|:\-—=+]*", text)) and "-" in text


def observe(line: Line, context: str) -> ObservedRow | None:
    """The data row on this line, or None when it carries no table numbers (text, header, narrative)."""
    if _is_separator_row(line.text):
        return None
    tokens, positional = tokenize(line.text)
    tokens = _demote_units(tokens)
    first = next((i for i, t in enumerate(tokens) if t.kind == "num"), None)
    if first is not None:
        first = _first_value(tokens, first)
    elif positional:  # a row whose only values are numbers OCR was unsure of ("3985758?")
        first = next((i for i, t in enumerate(tokens) if i and t.field and _UNSURE_NUMBER.match(t.text)), None)
    label_tokens = tokens if first is None else tokens[:first]
    label = "".join(t.text for t in label_tokens if t.kind == "text")
    if _is_narrative(label) or any(w in label for w in _HEADER_WORDS):
        return None
    if first is None:
        return _glued_or_blank_row(line, context, tokens, positional, label)
    if not label and not positional and len(tokens) == 1 and len(tokens[0].text) < 5:
        return None  # a bare number on its own line (a page number, a stray figure), not a table row
    slots, fields = _slots(tokens, first, positional)
    return ObservedRow(label=label, context=context, slots=slots, positional=positional, glued=None, line=line,
                       slot_fields=fields if positional else (), field_kinds=_field_kinds(tokens) if positional else ())


def _field_kinds(tokens: list[Token]) -> tuple[str, ...]:
    kinds: dict[int, str] = {}
    for tok in tokens:
        kinds[tok.field] = "text" if tok.kind == "text" or tok.field in kinds else tok.kind
    return tuple(kinds.get(i, "blank") for i in range(max(kinds, default=-1) + 1))


def _glued_or_blank_row(line: Line, context: str, tokens: list[Token], positional: bool,
                        label: str) -> ObservedRow | None:
    texts = [t for t in tokens if t.kind == "text"]
    if texts:
        match = _GLUED_RE.match(texts[-1].text)
        if match and re.fullmatch(r"[-−]?\d+(\.\d+)?([-−]?\d+(\.\d+)?)*", match.group(2)):
            label = "".join(t.text for t in texts[:-1]) + match.group(1)
            if _DIGITS_IN_LABEL.search(_NUMBERING.sub("", label)):
                # digits inside the label: another row's cells run into it (a row label the text lost); which
                # digits belong to which row cannot be told
                return ObservedRow(label=label, context=context, slots=(UNREADABLE,), positional=False, glued=None,
                                   line=line)
            return ObservedRow(label=label, context=context, slots=(), positional=False, glued=match.group(2),
                               line=line)
    blanks_after_label = positional and tokens and tokens[0].kind == "text" and any(
        t.kind == "blank" for t in tokens[1:])
    if blanks_after_label and len(label) <= 30:
        return ObservedRow(label=label, context=context, slots=(), positional=True, glued=None, line=line)
    return None


# A damaged number: digits mixed with marks or letters (0*, 3l79, 72701.), an OCR letter for a digit (O, l, S),
# a question mark, or a number with a unit stuck to it. Punctuation left over from a wrapped label (”, ）) is not.
_VALUE_GARBAGE = re.compile(r"^[^\u4e00-\u9fff]*\d[^\u4e00-\u9fff]*$|^[OoIlSBZ?？*]{1,2}$|^\d+[件个条项]$")


def _first_value(tokens: list[Token], first: int) -> int:
    """Where the values start: at the first number, or earlier at a damaged value just before it ("0*", "O",
    "5件" printed where a number belongs). Label text is Chinese; a short non-Chinese token after it is not."""
    start = first
    while start - 1 > 0 and tokens[start - 1].kind == "text" and _VALUE_GARBAGE.match(tokens[start - 1].text) \
            and not re.fullmatch(r"[（(]?[一二三四五六七八九十\d]+[)）.、]?", tokens[start - 1].text):
        start -= 1
    return start


def _demote_units(tokens: list[Token]) -> list[Token]:
    """A number followed by a unit word (21 件, 2023 年) is prose, not a table cell."""
    out = list(tokens)
    for i, tok in enumerate(out):
        if tok.kind == "num" and i + 1 < len(out) and out[i + 1].kind == "text" and _UNIT_RE.match(out[i + 1].text):
            out[i] = Token("text", tok.text, tok.field)
    return out


def _is_narrative(label: str) -> bool:
    return bool(_SENTENCE_RE.search(label)) or len(label) > 70


def _slots(tokens: list[Token], first: int, positional: bool) -> tuple[tuple[str | None, ...], tuple[int, ...]]:
    """Value slots from the first number on, and the field each came from. In tab/pipe rows the blank fields just
    before the first number are slots too (blank values or label padding: decided with the table's other rows,
    see ``ingest.splits.positional_windows``). Text among the values is one unreadable slot per field."""
    start = first
    if positional:
        while start > 0 and tokens[start - 1].kind == "blank":
            start -= 1
    slots: list[str | None] = []
    fields: list[int] = []
    for tok in tokens[start:]:
        same_field = positional and bool(fields) and fields[-1] == tok.field
        if tok.kind == "text" and fields and fields[-1] == tok.field and slots[-1] == UNREADABLE:
            continue  # several words in one unreadable field
        if same_field:
            # "5 件", "31 19" (a split number or two merged cells) inside one grid cell: unreadable as a whole
            slots[-1] = UNREADABLE
            continue
        slots.append(tok.text if tok.kind == "num" else (None if tok.kind == "blank" else UNREADABLE))
        fields.append(tok.field)
    return tuple(slots), tuple(fields)

