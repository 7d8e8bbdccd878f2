"""Report metadata: agency, covers_year (the year the statistics describe) and title.

Never guessed silently: what cannot be read is None, and the ``*_basis`` fields say where each value came from.
The template version is decided from the tables (``ingest.tables.detect_template``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.records import Line

_TITLE_RE = re.compile(
    r"^(?P<agency>.*?)[（(]?(?P<year>(?:19|20)\d{2})\s*年\s*度?[）)]?\s*(?:政府)?(?:信息|政务)公开\s*(?:工作)?\s*"
    r"(?:年度)?\s*(?:报告|年报)"
)
_YEARLESS_TITLE_RE = re.compile(r"^(?P<agency>.*?)(?:政府)?(?:信息|政务)公开\s*(?:工作)?\s*年度\s*(?:报告|年报)$")
_PERIOD_RE = re.compile(r"统计期限?(?:为|是|自|从)?\s*[:：]?\s*自?\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_BARE_YEAR_RE = re.compile(r"^\s*((?:19|20)\d{2})\s*(?:年度?)?\s*$")
_DATE_RE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_AGENCY_SUFFIX = re.compile(
    r"(局|委员会|委|办公室|办|人民政府|政府|中心|院|厅|部|署|会|所|站|馆|处|队|管委会|街道|镇|乡|公司|集团|室|旗|区|县|市)$"
)
_HEADING_RE = re.compile(r"^[一二三四五六七八九十]+[、.．]")


@dataclass(frozen=True)
class Metadata:
    agency: str | None
    agency_basis: str
    covers_year: int | None
    year_basis: str
    title: str | None


def read_metadata(lines: Sequence[Line]) -> Metadata:
    texts = [line.text.strip() for line in lines]
    agency, year, title, agency_basis = _from_title(texts)
    if agency is None and year is None:
        agency, title = _from_yearless_title(texts)
        agency_basis = "title" if agency else "unknown"
    year_basis = "title" if year else "unknown"
    if year is None:
        year, year_basis = _year_fallback(texts)
    if agency is None:
        agency = _from_signoff(texts)
        agency_basis = "signoff" if agency else "unknown"
    return Metadata(agency, agency_basis, year, year_basis, title)


def _from_title(texts: list[str]) -> tuple[str | None, int | None, str | None, str]:
    head = [t for t in texts[:60] if t]
    for i, text in enumerate(head):
        compact = text.replace(" ", "").replace("\t", "")
        if len(compact) > 60 or "。" in compact:
            continue
        match = _TITLE_RE.match(_strip_heading(compact))
        if not match:
            continue
        agency = clean_agency(match.group("agency"))
        basis = "title"
        if not agency and i > 0 and looks_like_agency(head[i - 1].replace(" ", "")):
            agency = clean_agency(head[i - 1].replace(" ", ""))
        title = (agency or "") + compact[match.start("year") :] if agency else compact
        return agency or None, int(match.group("year")), title, basis
    return None, None, None, "unknown"


def _from_yearless_title(texts: list[str]) -> tuple[str | None, str | None]:
    """A title without its year (年度报告 with the year elsewhere): 某某县人民政府 / 政府信息公开工作年度报告."""
    head = [t.replace(" ", "") for t in texts[:30] if t.strip()]
    for i, text in enumerate(head):
        match = _YEARLESS_TITLE_RE.match(text)
        if not match:
            continue
        agency = clean_agency(match.group("agency"))
        if not agency and i > 0 and looks_like_agency(head[i - 1]):
            agency = clean_agency(head[i - 1])
            text = agency + text
        return agency or None, text
    return None, None


def _strip_heading(text: str) -> str:
    return text if not _HEADING_RE.match(text) or "总体情况" in text else text


def clean_agency(text: str) -> str:
    text = re.sub(r"^[#*>\s《“\"]+|[*\s》”\"]+$", "", text.strip())
    text = re.sub(r"(关于|的)$", "", text)
    text = re.sub(r"文件$", "", text)
    return text if looks_like_agency(text) else ""


def looks_like_agency(text: str) -> bool:
    return 2 <= len(text) <= 40 and bool(_AGENCY_SUFFIX.search(text)) and not re.search(r"[。，,；;:：]", text)


def _year_fallback(texts: list[str]) -> tuple[int | None, str]:
    for text in texts:
        match = _PERIOD_RE.search(text.replace(" ", ""))
        if match:
            return int(match.group(1)), "statistics_period"
    for text in texts[:15]:
        match = _BARE_YEAR_RE.match(text)
        if match:
            return int(match.group(1)), "bare_line"
    return None, "unknown"


def _from_signoff(texts: list[str]) -> str | None:
    """The agency in the sign-off: a short agency line just before the closing date."""
    tail = [t.replace(" ", "") for t in texts[-8:] if t.strip()]
    for i in range(len(tail) - 1, 0, -1):
        if _DATE_RE.match(tail[i]) and looks_like_agency(tail[i - 1]):
            return tail[i - 1]
    return None
