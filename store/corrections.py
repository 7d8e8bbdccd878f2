"""Corrections of a report's agency or year made by staff (the reports tab), kept beside what was read.

A correction changes the report's agency or year where questions read them, and is logged with the value read from
the report ("printed"), the value given, the basis the person stated and when. The first printed value stays the
printed one however often the report is corrected. SQL lives here, run on the cell store's connection inside its
transaction (:meth:`store.sqlite.CellStore.correct_report`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

SCHEMA = """
CREATE TABLE corrections (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    field TEXT NOT NULL,
    printed TEXT,
    corrected TEXT NOT NULL,
    basis TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX corrections_by_report ON corrections(report_id);
"""
FIELDS = ("agency", "covers_year")
BASIS = "correction"  # agency_basis / year_basis of a corrected value


@dataclass(frozen=True)
class Correction:
    field: str  # agency | covers_year
    printed: str | None  # the value read from the report (None: none was read)
    corrected: str
    basis: str  # what the person said it rests on ("见报告落款", "文件名有误")
    at: str  # ISO time, UTC


def corrections(conn: Any, report_id: str) -> list[Correction]:
    rows = conn.execute("SELECT field, printed, corrected, basis, at FROM corrections WHERE report_id = ? "
                        "ORDER BY seq", (report_id,)).fetchall()
    return [Correction(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def apply(conn: Any, report_id: str, current: dict[str, str | None], wanted: dict[str, str], basis: str
          ) -> list[Correction]:
    """Log and apply the fields of ``wanted`` that differ from ``current``; the corrections made."""
    earlier = {c.field: c for c in reversed(corrections(conn, report_id))}  # the first correction of each field
    at = datetime.now(UTC).isoformat(timespec="seconds")
    made = []
    for field in FIELDS:
        if field not in wanted or wanted[field] == (current.get(field) or ""):
            continue
        printed = earlier[field].printed if field in earlier else current.get(field)
        made.append(Correction(field, printed, wanted[field], basis, at))
    seq = int(conn.execute("SELECT count(*) FROM corrections WHERE report_id = ?", (report_id,)).fetchone()[0])
    for c in made:
        seq += 1
        conn.execute("INSERT INTO corrections (report_id, seq, field, printed, corrected, basis, at) "
                     "VALUES (?,?,?,?,?,?,?)", (report_id, seq, c.field, c.printed, c.corrected, c.basis, c.at))
        if c.field == "agency":
            conn.execute("UPDATE reports SET agency = ?, agency_basis = ? WHERE id = ?", (c.corrected, BASIS, report_id))
        else:
            conn.execute("UPDATE reports SET covers_year = ?, year_basis = ? WHERE id = ?",
                         (int(c.corrected), BASIS, report_id))
    return made
