"""Hybrid passage search: BM25 over jieba tokens (SQLite FTS5) and dense vectors (Chroma), fused by reciprocal rank.

Filters (reports from the question's agencies and years) apply to both; sections named by the question's topic
are preferred, not required. Each hit carries how much of the question's distinctive wording it contains, so the
answer can say "the reports do not say" instead of quoting something unrelated.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from core.terms import query_terms
from retrieval.agencies import ReportInfo
from retrieval.answer import Passage
from store.sqlite import CellStore

RRF_K = 60
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")


@dataclass(frozen=True)
class Hit:
    passage: Passage
    coverage: float  # share (IDF-weighted) of the question's topic terms found in the passage text
    sentences: tuple[str, ...]  # best sentences, in text order


class PassageSearch:
    def __init__(self, store: CellStore, index: Any | None, reports: dict[str, ReportInfo]):
        self.store = store
        self.index = index  # store.chroma.ChunkIndex, or None for lexical search only
        self.reports = reports
        self._df: dict[str, int] = {}
        self._n = max(1, store.conn.execute("SELECT count(*) FROM chunks").fetchone()[0])

    def _idf(self, term: str) -> float:
        if term not in self._df:
            row = self.store.conn.execute(
                "SELECT count(*) FROM chunk_terms WHERE chunk_terms MATCH ?", ('"' + term.replace('"', '""') + '"',)
            ).fetchone()
            self._df[term] = row[0]
        return math.log(1 + (self._n - self._df[term] + 0.5) / (self._df[term] + 0.5))

    def search(self, text: str, report_ids: Collection[str] | None, sections: Sequence[int] = (), k: int = 8,
               drop: frozenset[str] = frozenset(), depth: int = 40, hints: Sequence[str] = ()) -> list[Hit]:
        """``hints``: topic words (e.g. 网站/公众号 for a question about channels) that help pick sentences."""
        terms = query_terms(text, drop)
        ranked: dict[str, float] = {}
        for rank, (cid, _) in enumerate(self.store.search_terms(terms, report_ids, depth)):
            ranked[cid] = ranked.get(cid, 0.0) + 1 / (RRF_K + rank)
        for rank, cid in enumerate(self._dense(text, report_ids, depth)):
            ranked[cid] = ranked.get(cid, 0.0) + 1 / (RRF_K + rank)
        chunks = self.store.chunks_by_id(list(ranked))
        weights = {t: self._idf(t) for t in terms}
        sentence_weights = dict(weights)
        for hint in hints:
            sentence_weights.setdefault(hint.lower(), 0.5)
        hits = []
        for cid, score in ranked.items():
            if cid not in chunks:
                continue
            rid, chunk = chunks[cid]
            if sections and chunk.section_no in sections:
                score += 0.5 / RRF_K
            coverage = _coverage(chunk.text, weights)
            score += coverage / RRF_K
            info = self.reports.get(rid)
            passage = Passage(cid, rid, info.source if info else rid, info.agency if info else None,
                              info.covers_year if info else None, chunk.section_no, chunk.section_title, chunk.text,
                              chunk.page_start, chunk.line_start, score)
            hits.append(Hit(passage, coverage, best_sentences(chunk.text, sentence_weights)))
        hits.sort(key=lambda h: -h.passage.score)
        return hits[:k]

    def _dense(self, text: str, report_ids: Collection[str] | None, depth: int) -> list[str]:
        if self.index is None or self.index.count() == 0:
            return []
        where: dict[str, Any] | None = None
        if report_ids is not None:
            ids = sorted(report_ids)
            if not ids:
                return []
            where = {"report_id": ids[0]} if len(ids) == 1 else {"report_id": {"$in": ids}}
        vector = self.index.embeddings.embed_query(text)
        got = self.index.collection.query(query_embeddings=[vector], n_results=depth, where=where,
                                          include=[])
        return list(got["ids"][0]) if got.get("ids") else []


def _coverage(text: str, weights: dict[str, float]) -> float:
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    lowered = text.lower()
    return sum(w for t, w in weights.items() if t in lowered) / total


def sentences_of(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def best_sentences(text: str, weights: dict[str, float], limit: int = 260) -> tuple[str, ...]:
    """The sentence carrying most of the question's terms, grown with its neighbours while they add terms and the
    span stays under ``limit`` characters. Contiguous, so the joined span is a verbatim quote."""
    found = sentences_of(text)
    if not found:
        return ()
    best = max(range(len(found)), key=lambda i: (_coverage(found[i], weights), -i))
    lo = hi = best
    while True:
        grown = False
        for j in (hi + 1, lo - 1):
            if 0 <= j < len(found) and sum(len(found[k]) for k in range(min(lo, j), max(hi, j) + 1)) <= limit:
                span = "".join(found[min(lo, j):max(hi, j) + 1])
                if _coverage(span, weights) > _coverage("".join(found[lo:hi + 1]), weights):
                    lo, hi = min(lo, j), max(hi, j)
                    grown = True
        if not grown:
            break
    return tuple(found[lo:hi + 1])
