"""Score a parsed report against its known truth: per cell right / ambiguous / missing / wrong.

``wrong`` is the failure that must never happen: a cell stored as a value that differs from the truth, a blank
stored as a number, or a number stored for a cell the report does not print.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.records import STATUS_AMBIGUOUS, STATUS_OK, ParsedReport
from synthetic.truth import ReportTruth

# relation ids of the generator → (relation, table, row, column) of ingest.checks
_RELATION = {"t3_row_total": "t3_row_total", "t3_balance": "t3_balance", "t3_handled_sum": "t3_results_total",
             "t4_total": "t4_total"}


@dataclass
class Score:
    counts: Counter[str] = field(default_factory=Counter)  # right | ambiguous | missing | wrong
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.counts.update(other.counts)
        self.wrong.extend(other.wrong)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def rate(self, outcome: str) -> float:
        return self.counts[outcome] / self.total if self.total else 0.0


def score_cells(parsed: ParsedReport, truth: ReportTruth) -> Score:
    score = Score()
    got = {c.key: c for c in parsed.cells}
    for key, value in truth.cells.items():
        cell = got.get(key)
        if not truth.is_printed(key):
            if cell is not None and cell.status == STATUS_OK:
                score.counts["wrong"] += 1
                score.wrong.append(f"{key}: not printed, parsed {cell.value}")
            continue
        if cell is None or (cell.status not in (STATUS_OK, STATUS_AMBIGUOUS) and value is not None):
            score.counts["missing"] += 1
        elif cell.status == STATUS_AMBIGUOUS:
            score.counts["ambiguous"] += 1
            if value is not None and cell.candidates and value not in cell.candidates:
                score.counts["wrong"] += 1  # the candidates must include the truth
                score.wrong.append(f"{key}: truth {value} not among candidates {cell.candidates}")
        elif cell.value == value:
            score.counts["right"] += 1
        else:
            score.counts["wrong"] += 1
            score.wrong.append(f"{key}: truth {value}, parsed {cell.value} ({cell.status}) from {cell.raw!r}")
    return score


def expected_findings(truth: ReportTruth) -> set[str]:
    """The generator's broken table relations, in ingest.checks' vocabulary (narrative ones excluded)."""
    out = set()
    for item in truth.broken:
        kind, _, where = item.partition(":")
        if kind in _RELATION:
            out.add(f"{_RELATION[kind]}:{where}")
    return out


def found_findings(parsed: ParsedReport) -> set[str]:
    out = set()
    for f in parsed.findings:
        if f.relation in ("t3_row_total",):
            out.add(f"{f.relation}:{f.row}")
        elif f.relation in ("t3_balance", "t3_results_total"):
            out.add(f"{f.relation}:{f.column}")
        elif f.relation == "t4_total":
            out.add(f"{f.relation}:{f.column.removesuffix('_total')}")
    return out


def summarise(scores: Iterable[Score]) -> Score:
    total = Score()
    for s in scores:
        total.add(s)
    return total


@dataclass(frozen=True)
class Damage:
    """How a parse handled deliberately damaged cells: the damaged ones it still read as a value (should be none),
    and the other cells it read with a value different from the truth (should be none)."""

    unflagged: tuple[tuple[str, str, str], ...]
    wrong_elsewhere: tuple[tuple[str, str, str], ...]


def score_damage(parsed: ParsedReport, truth: ReportTruth, damaged: Iterable[tuple[str, str, str]]) -> Damage:
    got = {c.key: c for c in parsed.cells}
    damaged = tuple(damaged)
    unflagged = tuple(k for k in damaged if got[k].status == STATUS_OK)
    wrong = tuple(k for k, v in truth.cells.items() if k not in damaged and k in got
                  and got[k].status == STATUS_OK and got[k].value != v)
    return Damage(unflagged, wrong)
