"""Frozen record types that flow from ingestion to the stores and on to retrieval."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

CellKey = tuple[str, str, str]  # (table, row_key, col_key), e.g. ("三", "new_applications", "natural_person")

STATUS_OK = "ok"
STATUS_MISSING = "missing"
STATUS_AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Line:
    """One line of a normalised document; ``page`` is 1-based for paged formats, else None."""

    text: str
    lineno: int
    page: int | None = None
    origin: int = 0  # the line of the source file it came from, when re-segmentation moved it (0 = lineno)

    @property
    def source_line(self) -> int:
        """The line number in the file as published (what citations show)."""
        return self.origin or self.lineno


@dataclass(frozen=True)
class Document:
    """What a loader produces: the text of a file as lines, plus what the loader noticed."""

    source: str  # file name
    file_type: str  # txt | pdf | docx | html
    lines: tuple[Line, ...]
    pages: int | None = None
    encoding: str | None = None
    warnings: tuple[str, ...] = ()
    ocr: tuple[OcrNote, ...] = ()  # one per table row read by OCR: its page, text and confidence


@dataclass(frozen=True)
class OcrNote:
    """A table row a scanned page gave: cells read from it carry ``ocr`` and this confidence in their note."""

    page: int | None
    text: str
    confidence: float  # the lowest of its numbers' confidences, 0–100
    #: False for a row of a table without ruling lines, rebuilt from the gaps between its numbers: a number lost or
    #: misread shifts the others into the wrong columns, so its cells are kept only when all of them were read
    columns_known: bool = True


@dataclass(frozen=True)
class ReportMeta:
    agency: str | None  # None = unknown
    covers_year: int | None  # the year the statistics describe; None = unknown
    template: str | None  # "2019" | "2021"; None = unknown
    title: str | None
    agency_basis: str = "unknown"  # where the agency was read: title | self_naming | signoff | publisher | unknown
    year_basis: str = "unknown"  # title | statistics_period | bare_line | unknown
    template_basis: str = "unknown"  # table_columns | table_rows | covers_year | unknown
    agency_printed: str | None = None  # the name as printed when a place in it was repaired (OCR), else None
    region: tuple[str, ...] = ()  # the agency's place in the gazetteer, province first ("江苏省", "淮安市", "洪泽区")


@dataclass(frozen=True)
class Cell:
    table: str
    row: str
    column: str
    value: Decimal | None  # None when missing or ambiguous
    status: str  # ok | missing | ambiguous
    row_label: str  # as printed (or the canonical label when the row was not printed)
    column_label: str  # as printed where the header could be read, else canonical
    line: int | None = None
    page: int | None = None
    raw: str = ""  # the source text the value was read from
    candidates: tuple[Decimal, ...] = ()  # for ambiguous cells: every value consistent with the source
    note: str = ""

    @property
    def key(self) -> CellKey:
        return (self.table, self.row, self.column)


@dataclass(frozen=True)
class Finding:
    """A relation (勾稽关系) that the printed numbers break."""

    relation: str  # e.g. t3_balance, t3_row_total, t3_results_total, t4_total, narrative_table, cross_year_*
    table: str
    row: str
    column: str
    expected: Decimal | None  # what the other printed numbers imply
    printed: Decimal | None  # what the report prints in the named cell
    cells: tuple[CellKey, ...]  # every cell the relation involves
    message: str  # Chinese, for users
    other_report: str | None = None  # cross-report findings: the other report's id
    quote: str = ""  # narrative findings: the sentence


@dataclass(frozen=True)
class Chunk:
    ord: int
    section_no: int  # 0 = preamble before 一, 1..6 = the six sections
    section_title: str
    text: str  # as in the normalised source
    indexed_text: str  # "agency · year · section\n" + text, what search indexes
    line_start: int
    line_end: int
    page_start: int | None = None
    page_end: int | None = None
    terms: str = ""  # space-joined search tokens of indexed_text (core.terms.index_terms), for the full-text index
    #: ``text`` in the characters the report printed, when it was converted from traditional (same length as text)
    original: str | None = None


@dataclass(frozen=True)
class NarrativeFact:
    """A count the narrative states, e.g. 收到申请21件, kept with its sentence."""

    kind: str  # new_applications | handled | granted | carried_over | carried_forward | review_total | suit_total
    value: Decimal
    quote: str
    line: int


@dataclass(frozen=True)
class ParsedReport:
    report_id: str
    source: str
    source_path: str
    content_hash: str  # of the file's bytes
    text_hash: str  # of the normalised text: the same report saved in another encoding or format variant
    file_type: str
    meta: ReportMeta
    cells: tuple[Cell, ...]
    findings: tuple[Finding, ...]
    chunks: tuple[Chunk, ...]
    narrative: tuple[NarrativeFact, ...] = ()
    warnings: tuple[str, ...] = ()
    pages: int | None = None
    encoding: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
