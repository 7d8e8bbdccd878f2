"""bench.semantic: the phrase file maps onto catalogue rows, and the threshold chosen has no wrong match."""

from __future__ import annotations

from bench.semantic import Phrase, choose, load, measure_for, score
from retrieval.query import Measure


def test_every_phrase_names_a_catalogue_row_or_none() -> None:
    phrases, unmapped = load()
    assert unmapped == [] and len(phrases) >= 150
    assert sum(p.measure is None for p in phrases) >= 50  # negatives: narrative-only topics
    assert measure_for("三", "本机关不掌握相关政府信息") == Measure("三", "unavailable_not_held", None)
    assert measure_for("四", "未经复议直接起诉") == Measure("四", "direct_suit", None)


def test_the_chosen_threshold_has_no_wrong_match_and_the_most_right() -> None:
    a, b = Measure("三", "a", None), Measure("三", "b", None)
    phrases = [Phrase("甲", a), Phrase("乙", b), Phrase("丙", None)]
    ranked = [[(a, 0.95, ""), (b, 0.80, "")], [(b, 0.92, ""), (a, 0.70, "")], [(a, 0.90, ""), (b, 0.60, "")]]
    limits = choose(phrases, ranked)
    assert limits is not None and 0.90 < limits[0] <= 0.92  # above the negative, at or below both positives
    s = score(phrases, ranked, *limits)
    assert (s.right, s.wrong) == (3, 0)
