"""What an answer is: Chinese text with citation markers, and the values, citations and passages behind it.

Front ends (CLI JSON, the chat UI) only render these records; nothing here is formatted for one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from core.numbers import json_number

KINDS = ("table", "passage", "mixed", "none")


@dataclass(frozen=True)
class CellRef:
    table: str  # "二" | "三" | "四"
    row: str
    column: str


@dataclass(frozen=True)
class RowCell:
    column: str
    label: str  # the column's label as printed (or canonical)
    value: str  # the value as stored ("—" when blank or unreadable)


@dataclass(frozen=True)
class Citation:
    id: int  # the [n] marker in the answer text
    report_id: str
    report: str  # source file name
    agency: str | None
    covers_year: int | None
    section: str | None  # section title, e.g. "四、政府信息公开行政复议、行政诉讼情况"
    section_no: int | None
    page: int | None
    line: int | None
    quote: str  # text that appears in the (normalised) source
    cell: CellRef | None = None
    context: str = ""  # passages: the chunk the quote sits in, so a front end can show it around the quote
    row: tuple[RowCell, ...] = ()  # cells: every cell of the cited table row, so the cited one can be marked
    original: str | None = None  # the quote in the characters the report printed, when it was read as simplified
    title: str | None = None  # the report's printed title

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id, "report": self.report, "report_id": self.report_id, "agency": self.agency,
            "covers_year": self.covers_year, "section": self.section, "page": self.page, "line": self.line,
            "quote": self.quote,
        }
        if self.cell is not None:
            out["cell"] = {"table": self.cell.table, "row": self.cell.row, "column": self.cell.column}
        if self.context:
            out["context"] = self.context
        if self.original:
            out["original"] = self.original
        if self.title:
            out["title"] = self.title
        if self.row:
            out["row"] = [{"column": c.column, "label": c.label, "value": c.value} for c in self.row]
        return out


@dataclass(frozen=True)
class Value:
    """A number the answer states: a stored cell (``op == "cell"``), a number quoted from a passage
    (``op == "quote"``) or an arithmetic result of cited values (``op`` = sum | difference | count | change | ratio | max | min)."""

    agency: str | None
    covers_year: int | None
    table: str | None
    row: str | None
    column: str | None
    label: str
    value: Decimal | None  # None: the cell is blank, missing or ambiguous
    unit: str
    citation: int | None
    report: str | None = None  # source file name
    report_id: str | None = None
    status: str = "ok"  # ok | missing | ambiguous (cells); ok for computed values
    op: str = "cell"
    of: tuple[int, ...] = ()  # citation ids a computed value is made of
    formula: str = ""  # how a computed value was computed, e.g. "170 − 440"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "agency": self.agency, "covers_year": self.covers_year, "table": self.table, "row": self.row,
            "column": self.column, "label": self.label, "value": json_number(self.value), "unit": self.unit,
            "citation": self.citation, "report": self.report, "status": self.status, "op": self.op,
        }
        if self.op not in ("cell", "quote"):
            out["of"] = list(self.of)
            out["formula"] = self.formula
        return out


class ListRow(NamedTuple):
    """One report's value in a long list answer: the text names the largest values, these rows hold every
    report's (a tuple, not a :class:`Value`: a list over a whole corpus has 100k of them)."""

    agency: str | None
    covers_year: int | None
    label: str
    value: Decimal | None  # None: blank, missing or ambiguous in the report
    unit: str
    status: str  # ok | missing | ambiguous | not_in_template
    report: str  # source file name
    report_id: str
    cells: tuple[str, ...]  # the stored cells the value is (the sum of): "三/new_applications/total"
    citation: int | None = None  # the [n] marker when the text names this report

    def to_json(self) -> dict[str, Any]:
        return {"agency": self.agency, "covers_year": self.covers_year, "label": self.label,
                "value": json_number(self.value), "unit": self.unit, "status": self.status, "report": self.report,
                "cells": list(self.cells), "citation": self.citation}


class Listing(Sequence[ListRow]):
    """A long list's rows, made when first read: a list over a whole corpus has 100k of them, and the answer's
    text (what the user reads first) needs none. Equal to a tuple of the same rows."""

    def __init__(self, make: Callable[[], tuple[ListRow, ...]], length: int):
        self._make: Callable[[], tuple[ListRow, ...]] | None = make
        self._rows: tuple[ListRow, ...] = ()
        self._length = length

    def _all(self) -> tuple[ListRow, ...]:
        if self._make is not None:
            self._rows, self._make = self._make(), None
        return self._rows

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):
        return self._all()[index]

    def __iter__(self) -> Iterator[ListRow]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Listing):
            other = other._all()
        return isinstance(other, tuple) and self._all() == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Listing({self._length} rows)"


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk, ranked; what narrative answers quote from and what recall@k is measured on."""

    chunk_id: str
    report_id: str
    report: str
    agency: str | None
    covers_year: int | None
    section_no: int
    section_title: str
    text: str
    page: int | None
    line: int
    score: float
    original: str | None = None  # text in the characters the report printed (converted from traditional)

    def to_json(self) -> dict[str, Any]:
        return {"chunk_id": self.chunk_id, "report": self.report, "agency": self.agency,
                "covers_year": self.covers_year, "section": self.section_title, "page": self.page,
                "score": round(self.score, 4)}


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    kind: str  # table | passage | mixed | none
    values: tuple[Value, ...] = ()
    citations: tuple[Citation, ...] = ()
    warnings: tuple[str, ...] = ()
    matches: tuple[str, ...] = ()  # list questions: the report ids the answer names as matching
    examined: int = 0  # reports examined for the question
    passages: tuple[Passage, ...] = ()
    understood: dict[str, Any] = field(default_factory=dict)  # the question as understood (slots), for display
    state: Any = None  # the resolved query, so a follow-up can reuse it (not serialised)
    composer: str = "rules"  # who wrote the text: "rules" (extractive) or "llm" (a model, checked by the guard)
    listing: Sequence[ListRow] = ()  # long lists: every report's value (the text names the largest)

    def to_json(self) -> dict[str, Any]:
        by_id = {c.report_id: c.report for c in self.citations}
        return {
            "question": self.question, "answer": self.answer, "kind": self.kind,
            "values": [v.to_json() for v in self.values],
            "citations": [c.to_json() for c in self.citations],
            "warnings": list(self.warnings),
            "matches": [by_id.get(m, m) for m in self.matches],
            "examined": self.examined,
            "passages": [p.to_json() for p in self.passages],
            "understood": self.understood,
            "composer": self.composer,
            **({"listing": [r.to_json() for r in self.listing]} if self.listing else {}),
        }
