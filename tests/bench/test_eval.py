"""The gold-set evaluation as a regression gate (BM25 + fake dense vectors, so no model weights are loaded).

The issue's target: no numeric item wrong, ≥ 95% of all items passed. Both sets pass 100% (docs/benchmarks.md), so
the gate is held there: a new failure is a regression, not slack.
"""

from __future__ import annotations

from pathlib import Path

from bench.eval import GOLD_DIR, load_gold, run_assistant, source_texts
from retrieval.assistant import Assistant

HELDOUT = GOLD_DIR / "heldout" / "heldout.jsonl"
NUMERIC_FLOOR = 1.0
OVERALL_FLOOR = 1.0  # the issue asks ≥ 95%; both sets are at 100%, so any new failure is a regression


def test_gold_set_is_large_and_well_formed() -> None:
    items = load_gold()
    assert len(items) >= 150
    assert len({i["id"] for i in items}) == len(items)
    types = {i["type"] for i in items}
    assert {"single", "list", "sum", "compare", "yoy", "consistency", "narrative", "followup", "unanswerable",
            "paraphrase"} <= types


def test_gold_set_regression_gate(assistant: Assistant, corpus_dir: Path) -> None:
    summary = run_assistant(assistant, load_gold(), source_texts())
    numeric = [i for i in summary.items if i.numeric]
    numeric_rate = sum(i.ok for i in numeric) / len(numeric)
    overall = sum(i.ok for i in summary.items) / len(summary.items)
    failed = [f"{i.id}:{i.detail}" for i in summary.items if not i.ok]
    assert numeric_rate >= NUMERIC_FLOOR, failed
    assert overall >= OVERALL_FLOOR, failed
    quotes = [i.checks["quotes"] for i in summary.items if "quotes" in i.checks]
    assert all(quotes), "every citation quote must be found in its source"
    unanswerable = [i for i in summary.items if i.type == "unanswerable"]
    assert all(i.ok for i in unanswerable)


def test_heldout_set_regression_gate(assistant: Assistant) -> None:
    """40 questions written after the rules were tuned, by someone who did not read the code (first run: 36/40;
    the 4 misses were general bugs, fixed). Held to the same bar as the main set."""
    items = load_gold([HELDOUT])
    assert len(items) == 40
    summary = run_assistant(assistant, items, source_texts())
    failed = [f"{i.id}:{i.detail}" for i in summary.items if not i.ok]
    assert all(i.ok for i in summary.items if i.numeric), failed
    assert sum(i.ok for i in summary.items) / len(summary.items) >= OVERALL_FLOOR, failed
