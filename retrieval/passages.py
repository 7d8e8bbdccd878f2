"""Hybrid passage search: BM25 over jieba tokens (SQLite FTS5) and dense vectors (Chroma), fused by reciprocal rank.

Filters (reports from the question's agencies and years) apply to both; sections named by the question's topic
are preferred, not required. Each hit carries how much of the question's distinctive wording it contains, so the
answer can say "the reports do not say" instead of quoting something unrelated.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Collection, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from core.numbers import ASKS_NUMBER, NUMBER
from core.synonyms import spoken, synonyms
from core.terms import QUESTION_STOPWORDS, dictionary_words, is_function_word, is_word, query_terms, tokens
from retrieval.agencies import ReportInfo
from retrieval.answer import Passage
from store.sqlite import FEW_REPORTS, CellStore

log = logging.getLogger(__name__)

RRF_K = 60
#: said with an answer whose passages were found by keywords alone because the vector index failed
DENSE_FAILED = "语义检索暂时出错，本次只按关键词检索，结果可能不全。"
#: what went wrong in this question's searches (per thread and task), said with its answer
_PROBLEMS: ContextVar[tuple[str, ...]] = ContextVar("search_problems", default=())
MIN_COVERAGE = 0.5  # share of the question's distinctive words a passage must contain to be quoted
SHORT_QUOTE, LONG_QUOTE = 260, 420  # quote spans (characters): one fact / a list of things
COMMON = 0.2  # share of all chunks above which a term is not looked up in the BM25 index
MATCH_TERMS = 8
BY_ID = 800  # reports (about 5000 vectors): up to this many, their vectors are compared directly
MAX_NEIGHBOURS = 5000
PRUNE_FROM = 20_000  # chunks (about 3000 reports): below this every lookup is cheap, and no term is dropped
ANY = "|"  # joins the alternatives of one term ("人手|人员"): the term is covered when any of them is in the text
NUMBER_WEIGHT = 0.3  # relative to the IDF weights of the question's own terms
NUMBER_KEY = "\x00number"  # pseudo-term: "多少/几" questions prefer sentences that state a counted number
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
#: a subsection heading sentence: "（二）依申请公开方面。", "(三) 政府信息管理"
ITEM_TITLE = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|\d+[、.．]|[（(]\d+[)）])")
TABLE_ROW = re.compile(r"^\s*\|")
_NOTE = re.compile(r"^\s*注\s*[：:]")
HEADING = re.compile(r"^\s*[（(][一二三四五六七八九十]{1,3}[)）][^。；;]{1,30}[。：:]?$")


@dataclass(frozen=True)
class Hit:
    passage: Passage
    coverage: float  # share (IDF-weighted) of the question's topic terms found in the passage text
    sentences: tuple[str, ...]  # best sentences, in text order
    span_coverage: float = 0.0  # the same share, in the quoted sentences alone
    heading: bool = False  # the sentences are a subsection heading naming the topic ("（二）依申请公开方面。") + body
    open_end: bool = False  # … and the body runs on past the end of this chunk


class PassageSearch:
    def __init__(self, store: CellStore, index: Any | None, reports: dict[str, ReportInfo]):
        self.store = store
        self.index = index  # store.chroma.ChunkIndex, or None for lexical search only
        self.reports = reports
        self._df: dict[str, int] = {}
        self._n = max(1, store.chunk_count())
        self._vectors = index.count() if index is not None else 0  # counted once per reload (60 ms at 100k)

    def _idf(self, term: str) -> float:
        if ANY in term:  # the alternatives of a word no report uses: weighed as the commonest of them
            return min(self._idf(t) for t in term.split(ANY)[1:])
        if term not in self._df:
            self._df[term] = self.store.term_docs(term.lower())
        df = max(1, self._df[term])  # a word no report uses weighs as one that a single chunk does: no more
        idf = math.log(1 + (self._n - df + 0.5) / (df + 0.5))
        return idf

    def weights(self, terms: Sequence[str]) -> dict[str, float]:
        return {t: self._idf(t) for t in terms}

    def match_terms(self, terms: Sequence[str]) -> list[str]:
        """The terms worth looking up in the index: a term in more than COMMON of all chunks ranks nothing (its
        IDF is near 0) but makes the lookup read most of the index; the rarest MATCH_TERMS are plenty. The common
        ones still count when sentences are picked and covered."""
        rare = sorted((t for t in terms if self._df_of(t) <= COMMON * self._n), key=self._df_of)
        return rare[:MATCH_TERMS] or sorted(terms, key=self._df_of)[:2]

    def terms(self, text: str, drop: frozenset[str] = frozenset()) -> list[str]:
        """The question's topic terms. A two-character token that is neither a dictionary word nor in any report
        is jieba joining the ends of two words ("信息处理费收了" → 费收); it is replaced by its characters, a longer one
        by its dictionary words. A word
        no report uses but whose synonyms some do ("人手": 人员) stands for itself or them ("人手|人员")."""
        out: list[str] = []
        for term in query_terms(text, drop):
            if self._df_of(term) == 0:
                if not is_word(term):  # "往外发": 往外 + 发
                    parts = list(term) if len(term) == 2 else dictionary_words(term)
                    out += [p for p in parts if p not in out and p not in drop and not is_function_word(p)
                            and p not in QUESTION_STOPWORDS]
                    continue
                used = [w for w in synonyms(term) if self._df_of(w) > 0]
                if used:
                    term = ANY.join([term, *used])
            said = [w for w in spoken(term) if self._df_of(w) > 0]  # "老百姓": the reports write 群众
            if said and ANY not in term:
                term = ANY.join([term, *said])
            if term not in out and term not in drop:
                out.append(term)
        # "官司" inside "打官司|诉讼": a piece of a longer question word that no report uses adds nothing to it
        whole = [t.split(ANY)[0] for t in out if ANY in t]
        return [t for t in out if ANY in t or self._df_of(t) > 0 or not any(t != w and t in w for w in whole)]

    def _df_of(self, term: str) -> int:
        if ANY in term:
            return max(self._df_of(t) for t in term.split(ANY))
        self._idf(term)
        return self._df[term]

    def search(self, text: str, report_ids: Collection[str] | None, sections: Sequence[int] = (), k: int = 8,
               drop: frozenset[str] = frozenset(), depth: int = 40, hints: Sequence[str] = (),
               limit: int = 260, headings: Sequence[str] = ()) -> list[Hit]:
        """``hints``: topic words (e.g. 网站/公众号 for a question about channels) that help find chunks and pick
        sentences; ``limit``: longest quote span in characters; ``headings``: words that make a subsection heading
        name the topic (主要问题, 改进情况 for a topic the template gives a section of its own)."""
        terms = self.terms(text, drop)
        # the one topic word of a question stands for the topic: "哪几种渠道" is answered by "通过三种形式公开"
        # (a question naming several, "网站栏目…开了个什么专栏", is specific already)
        topic = [h for h in hints if ANY not in h and self._df_of(h) > 0]
        if sum(t in topic for t in terms) == 1:
            terms = [ANY.join([t, *(h for h in topic if h != t)]) if t in topic else t for t in terms]
        words = [w for t in terms for w in t.split(ANY)]  # the index holds jieba tokens
        lexical = words + [t for h in hints for t in tokens(h) if t not in words]
        ranked: dict[str, float] = {}
        narrow = report_ids is not None and len(report_ids) <= FEW_REPORTS
        big = not narrow and self._n >= PRUNE_FROM
        looked_up = self.match_terms(lexical) if big else lexical
        found: list[tuple[str, float]] = []
        asked = [t for t in looked_up if t in words]  # the question's own words, not the topic's hints
        if big and len(asked) > 1:
            # On a big corpus the chunks holding every question word are plenty: scoring only them is about twice
            # as fast as scoring every chunk holding any word or hint. Too few: any of them.
            found = self.store.search_terms(asked, report_ids, depth, every=True)
        if len(found) < depth:
            found = self.store.search_terms(looked_up, report_ids, depth)
        for rank, (cid, _) in enumerate(found):
            ranked[cid] = ranked.get(cid, 0.0) + 1 / (RRF_K + rank)
        for rank, cid in enumerate(self._dense(text, report_ids, depth)):
            ranked[cid] = ranked.get(cid, 0.0) + 1 / (RRF_K + rank)
        chunks = self.store.chunks_by_id(list(ranked))
        weights = self.weights(terms)
        sentence_weights = dict(weights)
        if ASKS_NUMBER.search(text):
            sentence_weights[NUMBER_KEY] = NUMBER_WEIGHT
        hint_weights = {h.lower(): 1.0 for h in hints}
        scored = []
        for cid, score in ranked.items():
            if cid not in chunks:
                continue
            rid, chunk = chunks[cid]
            if sections and chunk.section_no in sections:
                score += 0.5 / RRF_K
            if hints and any(h.lower() in chunk.text.lower() for h in hints):
                score += 0.5 / RRF_K
            coverage = _coverage(chunk.text, weights)
            score += coverage / RRF_K
            body = heading_body(chunk.text, weights, limit, headings)
            if body is not None:
                score += 0.5 * body[2] / RRF_K
            if _NOTE.match(chunk.text):  # a table's footnote ("注：…数量含上年度结转数量") says how it counts
                score -= 0.5 / RRF_K
            scored.append((score, cid, rid, chunk, coverage, body))
        scored.sort(key=lambda x: -x[0])  # stable: ties keep the fused order
        hits = []
        for score, cid, rid, chunk, coverage, body in scored[:k]:  # quotes only for the hits returned
            info = self.reports.get(rid)
            passage = Passage(cid, rid, info.source if info else rid, info.agency if info else None,
                              info.covers_year if info else None, chunk.section_no, chunk.section_title, chunk.text,
                              chunk.page_start, chunk.line_start, score, chunk.original)
            span = body[0] if body is not None else best_sentences(chunk.text, sentence_weights, limit, hint_weights)
            hits.append(Hit(passage, coverage, span, _coverage("".join(span), weights), body is not None,
                            body is not None and body[1]))
        return hits

    def in_section(self, text: str, report_id: str, section_no: int, drop: frozenset[str] = frozenset(),
                   hints: Sequence[str] = (), limit: int = 260) -> list[Hit]:
        """Every chunk of one section of one report (e.g. 五、存在的主要问题), best covered first, for questions
        whose topic has its own section in the template."""
        weights = self.weights(self.terms(text, drop))
        sentence_weights = dict(weights)
        hint_weights = {h.lower(): 1.0 for h in hints}
        info = self.reports.get(report_id)
        hits = []
        for cid, chunk in self.store.chunks(report_id):
            if chunk.section_no != section_no:
                continue
            coverage = _coverage(chunk.text, weights) if weights else 1.0
            passage = Passage(cid, report_id, info.source if info else report_id, info.agency if info else None,
                              info.covers_year if info else None, chunk.section_no, chunk.section_title, chunk.text,
                              chunk.page_start, chunk.line_start, coverage, chunk.original)
            span = best_sentences(chunk.text, sentence_weights, limit, hint_weights)
            hits.append(Hit(passage, coverage, span, _coverage("".join(span), weights) if weights else 1.0))
        return sorted(hits, key=lambda h: -h.coverage)

    def _dense(self, text: str, report_ids: Collection[str] | None, depth: int) -> list[str]:
        """Chunk ids nearest the question. Up to BY_ID reports: their vectors fetched by id and compared here; more:
        the index unfiltered, asked for enough neighbours that ``depth`` of them fall in the reports (a metadata
        filter in Chroma costs tens of ms per query however few chunks pass it, and grows with the corpus)."""
        if self.index is None or self._vectors == 0:
            return []
        if report_ids is not None and not report_ids:
            return []
        try:
            return self._nearest(text, report_ids, depth)
        except Exception:  # the vector index is a second opinion: keywords alone still answer, and say so
            log.exception("vector search failed; keywords only for this question")
            if DENSE_FAILED not in _PROBLEMS.get():
                _PROBLEMS.set((*_PROBLEMS.get(), DENSE_FAILED))
            reopen = getattr(self.index, "reopen", None)
            if reopen is not None:
                try:
                    reopen()  # the next question reads the index afresh
                except Exception:
                    log.exception("reopening the vector index failed")
            return []

    def _nearest(self, text: str, report_ids: Collection[str] | None, depth: int) -> list[str]:
        assert self.index is not None
        vector = self.index.embeddings.embed_query(text)
        if report_ids is None:
            return list(self.index.nearest(vector, depth))
        if len(report_ids) <= BY_ID:
            return list(self.index.nearest_among(vector, self.store.chunk_ids(report_ids), depth))
        share = len(report_ids) / max(1, len(self.reports))
        wanted = set(report_ids)
        found = self.index.nearest(vector, min(MAX_NEIGHBOURS, depth + int(2 * depth / share)))
        return [cid for cid in found if cid.split(":")[0] in wanted][:depth]


def begin_question() -> None:
    """Forget the problems of an earlier question (in this thread or task)."""
    _PROBLEMS.set(())


def search_problems() -> tuple[str, ...]:
    """What went wrong in the searches since :func:`begin_question`, in Chinese, to say with the answer."""
    return _PROBLEMS.get()


def _coverage(text: str, weights: dict[str, float]) -> float:
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    lowered = text.lower()
    return sum(w for t, w in weights.items() if (NUMBER.search(text) if t == NUMBER_KEY else
                                                 any(a in lowered for a in t.split(ANY)))) / total


def sentences_of(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def heading_body(text: str, weights: dict[str, float], limit: int, headings: Sequence[str] = ()
                 ) -> tuple[tuple[str, ...], bool, float] | None:
    """A subsection heading that names the question's topic (half its words, or one of ``headings``: "（一）主要问题"
    for a question about problems), with the body under it (whole sentences up to ``limit`` characters, stopping at
    the next heading); whether the body may continue after this chunk; and how much of the question the heading
    covers."""
    found = sentences_of(text)
    for i, sentence in enumerate(found):
        covered = _coverage(sentence, weights) if weights else 0.0
        if HEADING.match(sentence) and (covered >= 0.5 or any(h in sentence for h in headings)):
            out = [sentence]
            for nxt in found[i + 1:]:
                if HEADING.match(nxt) or sum(map(len, out)) + len(nxt) > limit:
                    return tuple(out), False, covered
                out.append(nxt)
            return tuple(out), True, covered
    return None


def body_start(text: str, limit: int) -> tuple[str, ...]:
    """The sentences at the start of a chunk up to the next heading: the rest of a body that began before it."""
    out: list[str] = []
    for sentence in sentences_of(text):
        if HEADING.match(sentence) or (out and sum(map(len, out)) + len(sentence) > limit):
            break
        out.append(sentence)
    return tuple(out)


def best_sentences(text: str, weights: dict[str, float], limit: int = 260,
                   hints: dict[str, float] | None = None) -> tuple[str, ...]:
    """The sentence carrying most of the question's terms, grown with its neighbours while they add terms and the
    span stays under ``limit`` characters. Contiguous, so the joined span is a verbatim quote."""
    found = sentences_of(text)
    if not found:
        return ()
    if hints and not any(_coverage(x, weights) for x in found):
        weights = hints  # none of the question's words: the topic's words (网站, 公众号 for 渠道) pick the sentence
    best = max(range(len(found)), key=lambda i: (_coverage(found[i], weights), -i))
    lo = hi = best
    while True:
        grown = False
        for j in (hi + 1, lo - 1):
            if j == hi + 1 and j + 1 < len(found) and HEADING.match(found[j]):
                j += 1  # a heading ("（二）改进情况") is taken with the sentence under it
            if 0 <= j < len(found) and TABLE_ROW.match(found[j]):
                continue  # a table row left in the text ("|---|---|") is no part of a quote
            if 0 <= j < len(found) and sum(len(found[k]) for k in range(min(lo, j), max(hi, j) + 1)) <= limit:
                span = "".join(found[min(lo, j):max(hi, j) + 1])
                if _coverage(span, weights) > _coverage("".join(found[lo:hi + 1]), weights):
                    lo, hi = min(lo, j), max(hi, j)
                    grown = True
        if not grown:
            break
    # a neighbour naming the topic's things (网站, 公众号 for a question about channels) belongs to the answer
    if hints:
        for j in (lo - 1, hi + 1):
            if 0 <= j < len(found) and _coverage(found[j], hints) > 0 and not HEADING.match(found[j]) \
                    and sum(len(found[k]) for k in range(min(lo, j), max(hi, j) + 1)) <= limit:
                lo, hi = min(lo, j), max(hi, j)
    # "一是落实“请进来+走出去”培训机制。" titles the sentences after it
    if lo > 0 and ITEM_TITLE.match(found[lo - 1]) and not ITEM_TITLE.match(found[lo]) and len(found[lo - 1]) <= 40 \
            and sum(len(found[k]) for k in range(lo - 1, hi + 1)) <= limit:
        lo -= 1
    # "主要通过三种形式公开：1、政府门户网站。…": a lead-in ending in a colon announces a list; keep its items
    if re.search(r"[：:]", found[hi][-40:]) or re.search(r"[：:]\s*(?:\d+[、.．]|[一二三四五六七八九十]+是)", found[hi]):
        while hi + 1 < len(found) and not HEADING.match(found[hi + 1]) and not TABLE_ROW.match(found[hi + 1]) \
                and sum(len(found[k]) for k in range(lo, hi + 2)) <= limit:
            hi += 1
    return tuple(found[lo:hi + 1])
