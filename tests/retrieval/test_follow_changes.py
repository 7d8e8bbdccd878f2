"""Readers follow every store change made by another process (cells, term index and Chroma alike), and a failed
vector search never surfaces a raw error: the answer comes from keywords alone and says so."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from core.settings import Settings
from retrieval.answer import Answer
from retrieval.assistant import Assistant
from retrieval.passages import DENSE_FAILED

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
REAL = ROOT / "tests" / "data" / "real"


def _ingest(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "ingest", *args, "--data-dir", str(data_dir),
                           "--embedding-backend", "fake", "--workers", "1"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def _report_ids(a: Assistant, source: str) -> set[str]:
    return {rid for rid, info in a.reports.items() if info.source == source}


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    done = _ingest(tmp_path, str(SAMPLES / "000_7061442731bc0513.txt"), str(REAL / "pingtan_2021.txt"))
    assert done.returncode == 0, done.stderr
    return tmp_path


def test_passage_questions_follow_an_ingest_from_another_process(store: Path) -> None:
    a = Assistant.open(Settings.from_env(env={}, data_dir=store, embedding_backend="fake"))
    try:
        assert a.ask("平潭2021年存在哪些问题？").kind == "passage"
        old_pingtan = _report_ids(a, "pingtan_2021.txt")
        answers: list[Answer] = []
        errors: list[BaseException] = []
        stop = threading.Event()

        def keep_asking() -> None:  # staff asking passage questions across reports while the ingest runs
            while not stop.is_set():
                try:
                    answers.append(a.ask("各单位存在哪些问题？"))
                except BaseException as exc:  # noqa: BLE001 - the test reports any failure
                    errors.append(exc)
                    return

        asker = threading.Thread(target=keep_asking)
        asker.start()
        try:
            removed = _ingest(store, "--remove", "pingtan_2021.txt")
            added = _ingest(store, str(REAL / "pingtan_2022.txt"), str(REAL / "suqian_city_2023.txt"))
        finally:
            stop.set()
            asker.join(timeout=120)
        assert removed.returncode == 0 and added.returncode == 0, removed.stderr + added.stderr
        assert not errors and answers
        assert all(DENSE_FAILED not in x.warnings for x in answers)

        after = a.ask("平潭2022年存在哪些问题？")
        assert after.kind == "passage" and "平潭综合实验区2022年" in after.answer
        # the vector index itself follows: the new report's chunks are among its neighbours, the removed one's never
        vector = a.index.embeddings.embed_query("存在的主要问题")
        nearest = a.index.nearest(vector, 500)
        new_ids = _report_ids(a, "pingtan_2022.txt") | _report_ids(a, "suqian_city_2023.txt")
        assert {cid.split(":")[0] for cid in nearest} >= new_ids
        assert not {cid.split(":")[0] for cid in nearest} & old_pingtan
        assert a.index.count() == len(nearest)
    finally:
        a.close()


class _BrokenIndex:
    """An index whose searches fail the way a stale Chroma copy does."""

    def __init__(self, index: object):
        self.embeddings = index.embeddings  # type: ignore[attr-defined]
        self.reopened = 0

    def count(self) -> int:
        return 10

    def nearest(self, vector: object, k: int) -> list[str]:
        raise RuntimeError("Error executing plan: Internal error: Error finding id")

    def nearest_among(self, vector: object, ids: object, k: int) -> list[str]:
        raise RuntimeError("Error executing plan: Internal error: Error finding id")

    def reopen(self) -> None:
        self.reopened += 1


def test_a_failed_vector_search_answers_by_keywords_and_says_so_in_chinese(store: Path) -> None:
    opened = Assistant.open(Settings.from_env(env={}, data_dir=store, embedding_backend="fake"))
    broken = _BrokenIndex(opened.index)
    a = Assistant(opened.store, broken)
    try:
        answer = a.ask("平潭2021年政策解读是怎么做的？")
        assert answer.kind == "passage" and answer.citations  # the keywords still found the passage
        assert DENSE_FAILED in answer.warnings and "Error" not in answer.answer
        assert broken.reopened == 1  # the next question reads the index afresh
        table = a.ask("平潭2021年新收政府信息公开申请多少件？")  # no search, no warning
        assert DENSE_FAILED not in table.warnings
    finally:
        opened.close()
