"""The catalogue fallback: a phrase the lexicon misses matched to a table row only when one row clearly fits."""

from __future__ import annotations

from retrieval.query import Measure
from retrieval.semantic import THRESHOLD, match_phrase


def test_a_phrase_of_a_row_name_finds_that_row() -> None:
    found = match_phrase("三安全一稳定")
    assert found is not None and found.measure == Measure("三", "withheld_three_safeties", None)
    assert found.score >= THRESHOLD


def test_a_group_is_not_described_by_its_parts() -> None:
    found = match_phrase("国家秘密")  # one reason of 不予公开, not the 不予公开 total
    assert found is not None and found.measure.row == "withheld_state_secret"


def test_no_row_below_the_threshold_or_between_two_rows() -> None:
    assert match_phrase("访问量") is None and match_phrase("信息处理费") is None
    assert match_phrase("复议") is None  # 行政复议 and 复议后起诉 fit alike


class _Letters:
    """A tiny embedder the test builds: each text as the unit vector of its character counts (no model)."""

    def __init__(self, name: str = "letters") -> None:
        self.name = name
        self.calls = 0

    def _vector(self, text: str) -> list[float]:
        import numpy as np

        v = np.zeros(4096)
        for ch in text:
            v[ord(ch) % 4096] += 1
        return (v / (np.linalg.norm(v) or 1)).tolist()

    def embed_query(self, text: str) -> list[float]:
        self.calls += 1
        return self._vector(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]


def test_the_embedding_is_used_only_for_a_measured_model(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from retrieval import semantic

    phrase = "不掌握的那些相关信息"  # below the bigram threshold
    assert match_phrase(phrase) is None
    embedder = _Letters()
    vectors = semantic.CatalogueVectors(embedder)
    assert match_phrase(phrase, vectors) is None and embedder.calls == 0  # not measured: not used
    monkeypatch.setitem(semantic.EMBEDDING_THRESHOLDS, "letters", (0.5, 0.0))
    found = match_phrase(phrase, vectors)
    assert found is not None and found.measure == Measure("三", "unavailable_not_held", None)
    monkeypatch.setitem(semantic.EMBEDDING_THRESHOLDS, "letters", (0.99, 0.0))
    assert match_phrase(phrase, vectors) is None  # below the measured threshold: no match


def test_a_close_runner_up_means_no_match() -> None:
    from retrieval.semantic import decided

    a, b = Measure("三", "x", None), Measure("三", "y", None)
    assert decided([(a, 0.9, "甲"), (b, 0.7, "乙")], 0.8, 0.1) is not None
    assert decided([(a, 0.9, "甲"), (b, 0.85, "乙")], 0.8, 0.1) is None
    assert decided([(a, 0.7, "甲")], 0.8, 0.0) is None
