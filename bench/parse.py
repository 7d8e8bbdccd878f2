"""Cell accuracy per text shape on generated reports with known truth, and parse speed.

    .venv/bin/python -m bench.parse [--reports 200] [--seed 1]

Writes the "parse" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence

from bench.report import machine, update_section
from ingest.pipeline import parse_bytes
from synthetic import SHAPES, make_truth, render, supports_blanks
from synthetic.score import Score, expected_findings, found_findings, score_cells, summarise


def run_shape(shape: str, count: int, seed: int) -> tuple[Score, float, int, int]:
    """(score, seconds spent parsing, reports whose findings were exactly the broken relations, reports checked)."""
    rng = random.Random(f"{seed}:{shape}")
    scores, seconds, findings_ok, findings_checked = [], 0.0, 0, 0
    for _ in range(count):
        truth = make_truth(rng, broken=rng.random() < 0.3, blanks=supports_blanks(shape) and rng.random() < 0.3)
        rendered = render(truth, shape, rng)
        start = time.perf_counter()
        parsed = parse_bytes(rendered.filename, rendered.data)
        seconds += time.perf_counter() - start
        score = score_cells(parsed, truth)
        scores.append(score)
        if score.counts["right"] == score.total and not truth.blank_keys:
            findings_checked += 1
            findings_ok += found_findings(parsed) == expected_findings(truth)
    return summarise(scores), seconds, findings_ok, findings_checked


def table(rows: Sequence[tuple[str, int, Score, float, int, int]]) -> str:
    lines = ["| shape | reports | cells | right | ambiguous | missing | **wrong** | broken totals found exactly | reports/s |",
             "|---|---|---|---|---|---|---|---|---|"]
    for shape, n, s, seconds, ok, checked in rows:
        lines.append(f"| {shape} | {n} | {s.total} | {s.rate('right'):.2%} | {s.rate('ambiguous'):.2%} | "
                     f"{s.rate('missing'):.2%} | **{s.counts['wrong']}** | {ok}/{checked} | {n / seconds:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=200, help="reports per shape (docx: a quarter)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rows = []
    for shape in SHAPES:
        n = max(1, args.reports // 4) if shape == "docx" else args.reports
        score, seconds, ok, checked = run_shape(shape, n, args.seed)
        rows.append((shape, n, score, seconds, ok, checked))
        print(table(rows[-1:]).splitlines()[-1], flush=True)
    total_n = sum(r[1] for r in rows)
    total_s = sum(r[3] for r in rows)
    body = (
        "## Table parsing on generated reports (`bench/parse.py`)\n\n"
        f"Command: `.venv/bin/python -m bench.parse --reports {args.reports} --seed {args.seed}` — {machine()}.\n\n"
        "Reports from `synthetic/` with known truth (both templates, ~30% with deliberately broken totals, ~30% with "
        "blank cells where the shape can show them), parsed by `ingest.pipeline.parse_bytes` (load, normalise, "
        "metadata, tables, sections, checks; no stores). *right*: stored value equals the truth; *ambiguous*: "
        "flagged with candidates (the truth is among them, else it counts as wrong); *missing*: not read; *wrong*: "
        "a stored value that differs from the truth — must be 0. *Broken totals found exactly*: among reports whose "
        "cells were all read and that have no blank cell (a relation over a blank is not checked), those whose "
        "findings are exactly the deliberately broken relations.\n\n"
        + table(rows)
        + f"\n\nParse speed over all shapes: {total_n / total_s:.0f} reports/s on one core (single process).\n"
    )
    update_section("parse", body)


if __name__ == "__main__":
    main()
