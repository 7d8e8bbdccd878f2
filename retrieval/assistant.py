"""The assistant: question → understood query → facts (SQL) or passages (hybrid search) → answer with citations.

``Assistant.open(settings).ask("宿迁市2023年行政复议总计多少件？其中纠正多少？")`` returns an :class:`Answer`. No
language model is involved: numbers come from stored cells or quoted passages only. The assistant opens the stores,
keeps the report list (:class:`retrieval.corpus.Corpus`) and hands each question to one answerer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from core.settings import Settings
from core.synonyms import synonyms
from core.terms import query_terms
from retrieval.agencies import AgencyDirectory, ReportInfo
from retrieval.answer import Answer
from retrieval.answerers.consistency import answer_consistency
from retrieval.answerers.elsewhere import answer_unmatched, from_parent_report, plans_year_before
from retrieval.answerers.mixed import answer_text_and_table
from retrieval.answerers.quotes import answer_passages
from retrieval.answerers.rows import with_rows, with_titles
from retrieval.answerers.template import answer_template
from retrieval.answerers.values import answer_values
from retrieval.corpus import Corpus, Stores
from retrieval.passages import Hit, PassageSearch, begin_question, search_problems
from retrieval.query import Query
from retrieval.semantic import EMBEDDING_THRESHOLDS, CatalogueVectors
from retrieval.understand import understand
from store.sqlite import CellStore

_NEEDS_CONTEXT = ("这句像是接着上一个问题的追问，但前面没有问题。请说明单位、年份和要查的项目，"
                  "例如“宿迁市2024年行政复议纠正了多少件？”")


class Assistant:
    def __init__(self, store: CellStore, index: Any | None = None):
        self.store = store
        self.index = index
        embedder = getattr(index, "embeddings", None)  # phrases the lexicon misses, by the measured model only
        self.vectors = (CatalogueVectors(embedder) if embedder is not None
                        and getattr(embedder, "name", "") in EMBEDDING_THRESHOLDS else None)
        self.reload()

    @classmethod
    def open(cls, settings: Settings, dense: bool = True) -> Assistant:
        """Open the stores in ``settings.data_dir``; ``dense=False`` searches passages by BM25 only."""
        store = CellStore.open(settings)
        index = None
        if dense:
            from store.chroma import ChunkIndex

            index = ChunkIndex.open(settings)
            if index.count():  # load the vector index into memory now, not on the first passage question
                index.nearest(index.embeddings.embed_query("年报"), 1)
        query_terms("把年报")  # jieba's dictionary and word tags now (about 0.9 s), not on the first passage question
        synonyms("年报")  # and the thesaurus (0.2 s)
        assistant = cls(store, index)
        if assistant.vectors is not None:
            assistant.vectors.warm()  # and the catalogue's vectors (1.3 s)
        return assistant

    def reload(self) -> None:
        """Re-read the report list (after ingesting)."""
        self.corpus = Corpus.load(self.store)
        self.search = PassageSearch(self.store, self.index, self.corpus.reports)
        self.store.term_index.refresh()  # the term index's arrays now (0.1 s at 100k reports), not on a question
        self.stores = Stores(self.store, self.search, self.corpus)
        Corpus.settle()

    def follow_changes(self) -> None:
        """Another process (``python -m ingest``, another app) changed the stores: read the vectors afresh too."""
        reopen = getattr(self.index, "reopen", None)
        if reopen is not None:
            reopen()
        self.reload()

    def _follow_if_changed(self) -> None:
        if self.store.generation() != self.corpus.generation:  # reports added or removed by another process
            self.follow_changes()

    @property
    def reports(self) -> dict[str, ReportInfo]:
        return self.corpus.reports

    @property
    def directory(self) -> AgencyDirectory:
        return self.corpus.directory

    def close(self) -> None:
        self.store.close()

    def ask(self, question: str, history: Sequence[str | Answer] = (), today: date | None = None) -> Answer:
        """Answer a question, after the conversation's earlier turns; ``today`` dates 今年/去年 (default: they
        count from the newest year the reports cover)."""
        question = question.strip()
        if not question:
            return Answer(question, "请输入问题。", "none")
        self._follow_if_changed()
        if not self.reports:
            return Answer(question, "资料库中还没有任何年报，请先导入报告。", "none")
        previous: Query | None = None
        for turn in history:
            if isinstance(turn, Answer) and isinstance(turn.state, Query):
                previous = turn.state
            elif isinstance(turn, str) and turn.strip():
                previous = understand(turn, self.directory, previous, today, self.vectors)
        return self.answer_query(understand(question, self.directory, previous, today, self.vectors), question)

    def retrieve(self, question: str, k: int = 5) -> list[Hit]:
        """The passages a question finds (the hybrid search answers quote from), within the reports of the agencies
        and years it names; none when it names one the store lacks."""
        self._follow_if_changed()
        q = understand(question.strip(), self.directory, None, None, self.vectors)
        reports, missing = self.corpus.scope(q) if (q.agencies or q.years or q.unknown_agencies) else ([], "")
        if missing or not question.strip():
            return []
        return self.search.search(q.search_text or question, [r.id for r in reports] or None, k=k)[:k]

    def answer_query(self, query: Query, question: str | None = None) -> Answer:
        """Answer an understood (or validated, planned) query from the stores."""
        begin_question()
        answer = with_titles(with_rows(self._answer(query), self.stores), self.stores)
        problems = tuple(p for p in search_problems() if p not in answer.warnings)
        return replace(answer, question=question or query.text, understood=query.slots(), state=query,
                       warnings=(*answer.warnings, *problems))

    def _answer(self, q: Query) -> Answer:
        if q.needs_context:
            return Answer(q.text, _NEEDS_CONTEXT, "none", understood=q.slots())
        reports, missing = self.corpus.scope(q)
        if missing:
            found = plans_year_before(q, self.stores) or from_parent_report(q, self.stores)
            return found or Answer(q.text, missing, "none", understood=q.slots())
        if q.op == "consistency":
            answer = answer_consistency(q, reports, self.stores)
        elif q.op == "template":
            answer = answer_template(q, reports, self.stores)
        elif q.op == "text_and_table":  # words about the text's wording ("收办") are answered by its quote
            answer = answer_text_and_table(q, reports, self.stores)
        elif q.measures and q.unexplained and q.op not in ("passage", "passage_list"):
            answer = answer_unmatched(q, reports, self.stores)  # never answered from a different cell
        elif q.measures and q.op not in ("passage", "passage_list"):
            answer = answer_values(q, reports, self.stores)
        else:
            answer = answer_passages(q, reports, self.stores)
        if q.repaired:  # 沐阳县 typed for 沭阳县
            note = f"问题中的“{'、'.join(q.repaired)}”按{'、'.join(q.agencies)}理解。"
            answer = replace(answer, warnings=(note, *answer.warnings))
        if q.respelled:  # 规范姓文件 typed for 规范性文件
            note = "；".join(f"问题中的“{typed}”按“{read}”理解" for typed, read in q.respelled) + "。"
            answer = replace(answer, warnings=(note, *answer.warnings))
        if q.unknown_agencies:  # "宿迁市和南京市…": answer what is there, say what is not
            note = f"资料库中没有“{'、'.join(q.unknown_agencies)}”的年报，以下只包括{'、'.join(q.agencies)}。"
            answer = replace(answer, answer=f"（{note}）\n{answer.answer}", warnings=(note, *answer.warnings))
        gaps = self.corpus.missing_years(q)
        if gaps and answer.kind != "none":  # answered for some of the named agencies and years: say which lack
            answer = replace(answer, answer=f"（{gaps}）\n{answer.answer}", warnings=(gaps, *answer.warnings))
        return answer
