"""bench/scale.py: the question mix is drawn from the manifest, answers are checked against it, and a small run
goes through every step."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from bench.scale import KINDS, Question, check, main, question_mix
from synthetic.corpus import iter_corpus


@dataclass(frozen=True)
class _Value:
    table: str
    row: str
    column: str
    covers_year: int
    value: Decimal | None
    status: str = "ok"


@dataclass(frozen=True)
class _Answer:
    values: tuple = ()
    citations: tuple = ()
    answer: str = ""
    kind: str = "table"
    extra: list = field(default_factory=list)
    matches: tuple = ()
    listing: tuple = ()


def test_the_mix_is_drawn_from_the_manifest_and_repeatable() -> None:
    records = [f.record for f in iter_corpus(60, seed=3)]
    mix = question_mix(records, 5)
    assert mix == question_mix(records, 5)
    assert {q.kind for q in mix} == set(KINDS)
    reports = {(r["agency"], r["covers_year"]): r for r in records if r["expect"] == "report"}
    for q in (q for q in mix if q.kind == "table"):
        table, row, column = q.expect["key"].split("/")
        agency_year = next(k for k in reports if q.text.startswith(f"{k[0]}{k[1]}年"))
        assert q.expect["values"] == [reports[agency_year]["cells"].get(q.expect["key"])]


def test_answers_are_right_wrong_or_flagged_by_the_manifest() -> None:
    q = Question("table", "x", {"key": "四/cases/review_total", "values": ["3"], "years": [2021]})
    cell = ("四", "cases", "review_total", 2021)
    assert check(q, _Answer((_Value(*cell, Decimal(3)),)), {}) is True
    assert check(q, _Answer((_Value(*cell, Decimal(4)),)), {}) is False
    assert check(q, _Answer((_Value(*cell, None, "ambiguous"),)), {}) == "flagged"
    assert check(q, _Answer((_Value("四", "cases", "review_total", 2022, Decimal(3)),)), {}) is False  # wrong year
    assert check(q, _Answer(()), {}) is False
    blank = Question("table", "x", {"key": "四/cases/review_total", "values": [None], "years": [2021]})
    assert check(blank, _Answer((_Value(*cell, None, "missing"),)), {}) is True
    assert check(Question("passage_all", "x", {}), _Answer(), {}) is None


@dataclass(frozen=True)
class _Row:
    report_id: str
    status: str


def test_a_list_is_right_when_it_names_exactly_the_reports_that_meet_it_or_flags_the_rest() -> None:
    q = Question("corpus_all", "x", {"paths": ["a.txt", "b.txt", "c.txt"]})
    sources = {"ra": "a.txt", "rb": "b.txt", "rc": "c.txt", "rd": "d.txt"}
    assert check(q, _Answer(matches=("ra", "rb", "rc")), sources) is True
    assert check(q, _Answer(matches=("ra", "rb", "rc", "rd")), sources) is False  # d does not meet it
    assert check(q, _Answer(matches=("ra", "rb")), sources) is False  # c missed, and its value was usable
    flagged = _Answer(matches=("ra", "rb"), listing=(_Row("rc", "ambiguous"), _Row("rd", "ok")))
    assert check(q, flagged, sources) == "flagged"
    assert check(q, _Answer(matches=("ra", "rb")), {k: v for k, v in sources.items() if k != "rc"}) == "flagged"


@pytest.mark.slow
def test_a_small_run_goes_through_every_step(tmp_path: Path, capsys) -> None:
    assert main(["40", "--work", str(tmp_path), "--no-write", "--questions", "3", "--workers", "1",
                 "--parse-sample", "10"]) == 0
    out = capsys.readouterr().out
    assert "## Scale: 40 reports" in out and "reports/s" in out and "cold start" in out
    for name in ("one report's cell", "one agency, two years", "all reports of a year", "one report's section 五",
                 "passages over the whole corpus"):
        assert name in out
    assert "| one report's cell | 3 |" in out
    assert "Wrong answers" not in out  # every checked answer in this small corpus is right or flagged
    assert "Corpus generated in" in out and "earlier run" not in out

    assert main(["40", "--work", str(tmp_path), "--no-write", "--questions", "3", "--reuse"]) == 0
    again = capsys.readouterr().out
    assert "Corpus of an earlier run" in again and "parse and ingest measured 20" in again  # its date and commit
    assert "| one report's cell | 3 |" in again
