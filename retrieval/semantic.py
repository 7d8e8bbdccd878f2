"""The fallback for words the lexicon misses: a question phrase matched to the cell catalogue by character bigrams.

Each row of 表二/三/四 (both templates) is described by its lexicon label and words and the template's printed row
names. A phrase the reader left unexplained ("新出台的规范性文件", "不予受理的信访件") is scored against each
description by the share of the phrase's character bigrams it contains; the best row is used only when its score
reaches :data:`THRESHOLD` and no other row comes within :data:`MARGIN` of it. Below that the phrase is not matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from core.template import TEMPLATE_VERSIONS, cell_specs
from retrieval.lexicon import T2_ROWS, T3_ROWS, T4_CATEGORIES, Concept
from retrieval.query import Measure

THRESHOLD = 0.75  # share of the phrase's bigrams a row's description must contain
MARGIN = 0.15  # the runner-up must score this much less: an even match between two rows is no match


@dataclass(frozen=True)
class CatalogueMatch:
    measure: Measure
    score: float
    described_by: str  # the description that matched best


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


@lru_cache(maxsize=1)
def _catalogue() -> tuple[tuple[Measure, str, frozenset[str]], ...]:
    printed: dict[tuple[str, str], set[str]] = {}
    for template in TEMPLATE_VERSIONS:
        for spec in cell_specs(template):
            printed.setdefault((spec.table, spec.row.key), set()).add(spec.row.label.split("/")[-1])
    out = []
    groups: tuple[tuple[str, tuple[Concept, ...]], ...] = (("二", T2_ROWS), ("三", T3_ROWS), ("四", T4_CATEGORIES))
    for table, concepts in groups:
        for c in concepts:
            texts = {c.label, *c.words}
            for keys in c.keys.values():
                if len(keys) == 1:  # a group's sum (不予公开 = its eight reasons) is not described by its parts
                    texts |= printed.get((table, keys[0]), set())
            out += [(Measure(table, c.key, None), t, _bigrams(t)) for t in texts if len(t) >= 2]
    return tuple(out)


def match_phrase(phrase: str) -> CatalogueMatch | None:
    """The catalogue row a phrase names, when one row clearly does; else None."""
    grams = _bigrams(phrase)
    if len(grams) < 2:
        return None
    best: dict[Measure, tuple[float, str]] = {}
    for measure, text, row_grams in _catalogue():
        score = len(grams & row_grams) / len(grams)
        if score > best.get(measure, (0.0, ""))[0]:
            best[measure] = (score, text)
    ranked = sorted(best.items(), key=lambda kv: kv[1][0], reverse=True)
    if not ranked or ranked[0][1][0] < THRESHOLD:
        return None
    if len(ranked) > 1 and ranked[1][1][0] > ranked[0][1][0] - MARGIN:
        return None
    measure, (score, text) = ranked[0]
    return CatalogueMatch(measure, score, text)
