"""Lines → observed table rows: a label, and value slots or a digit string glued to the label.

Tab/pipe rows keep empty fields (a blank cell is a blank slot); space-separated rows cannot show blanks; a
web-flattened row is a label followed by one unbroken digit string (``…申请数量640020470``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core.records import Line

NUMBER_RE = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_BLANK_MARKS = {"", "-", "—", "--", "——", "/", "／", "无", "—-"}
_UNIT_RE = re.compile(r"^[件条元年月日号个次人项家万亿%％余多]")
_GLUED_RE = re.compile(r"^(.*?[^\d\s.\-−])([-−]?\d[\d.\-−]*)$")
_SENTENCE_RE = re.compile(r"[。！？!?]")


@dataclass(frozen=True)
class Token:
    kind: str  # text | num | blank
    text: str
    field: int = 0  # index of the tab/pipe field the token came from


@dataclass(frozen=True)
class ObservedRow:
    """A line that carries numbers, with the text around it that may be (part of) its label."""

    label: str  # text printed on the same line
    context: str  # text of the non-data lines just before it (wrapped label parts, header fragments)
    slots: tuple[str | None, ...]  # numeric strings in order; None = a blank field (tab/pipe rows only)
    positional: bool  # True when blanks are visible (tab/pipe fields), so positions are meaningful
    glued: str | None  # a digit string glued to the label (web-flattened row)
    line: Line
    slot_fields: tuple[int, ...] = ()  # tab/pipe rows: the field (grid column) each slot was read from

    @property
    def numbers(self) -> list[str]:
        return [s for s in self.slots if s is not None]

    @property
    def blank_only(self) -> bool:
        """A labelled row whose value fields are all empty (a row of blank cells, or a header row)."""
        return self.glued is None and not self.numbers


def parse_number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("−", "-"))


def is_number(text: str) -> bool:
    return bool(NUMBER_RE.match(text))


def tokenize(text: str) -> tuple[list[Token], bool]:
    """Split a line into tokens; returns (tokens, positional). Blank tokens appear only for tab/pipe rows."""
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
    glued = None
    nums = [t for t in tokens if t.kind == "num"]
    texts = [t for t in tokens if t.kind == "text"]
    if not nums and texts:
        match = _GLUED_RE.match(texts[-1].text)
        if match and not _UNIT_RE.match(texts[-1].text[match.end(1):]):
            glued = match.group(2)
            tokens = [t for t in tokens if t is not texts[-1]] + [Token("text", match.group(1), texts[-1].field)]
            if not re.fullmatch(r"[-−]?\d+(\.\d+)?([-−]?\d+(\.\d+)?)*", glued):
                return None
    label = "".join(t.text for t in tokens if t.kind == "text")
    if _is_narrative(label):
        return None
    if not nums and glued is None:
        blanks_after_label = positional and tokens and tokens[0].kind == "text" and any(
            t.kind == "blank" for t in tokens[1:])
        if not (blanks_after_label and len(label) <= 30):
            return None
        return ObservedRow(label=label, context=context, slots=(), positional=True, glued=None, line=line)
    if positional:
        slots, slot_fields = _positional_slots(tokens)
    else:
        slots, slot_fields = tuple(t.text for t in tokens if t.kind == "num"), ()
    return ObservedRow(label=label, context=context, slots=slots, positional=positional, glued=glued, line=line,
                       slot_fields=slot_fields)


def _demote_units(tokens: list[Token]) -> list[Token]:
    """A number followed by a unit word (21 件, 2023 年) is prose, not a table cell."""
    out = list(tokens)
    for i, tok in enumerate(out):
        if tok.kind == "num" and i + 1 < len(out) and out[i + 1].kind == "text" and _UNIT_RE.match(out[i + 1].text):
            out[i] = Token("text", tok.text, tok.field)
    return out


def _is_narrative(label: str) -> bool:
    return bool(_SENTENCE_RE.search(label)) or len(label) > 70


def _positional_slots(tokens: list[Token]) -> tuple[tuple[str | None, ...], tuple[int, ...]]:
    """Value slots of a positional row and the field each came from. Slots start after the last label text;
    blank fields between the label and the first number stay slots: they may be blank values or label padding,
    decided with the table's other rows (``ingest.splits.positional_windows``)."""
    texts = [i for i, t in enumerate(tokens) if t.kind == "text"]
    rest = tokens[texts[-1] + 1 :] if texts else tokens
    return tuple(t.text if t.kind == "num" else None for t in rest), tuple(t.field for t in rest)


def to_decimal(text: str) -> Decimal | None:
    try:
        return parse_number(text)
    except InvalidOperation:
        return None
