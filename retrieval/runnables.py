"""The assistant as LangChain pieces, for tools offices already build with: a ``BaseRetriever`` over the report
passages (``Document``s carrying their citation) and a ``Runnable`` for the whole ``ask``.

    from retrieval.assistant import Assistant
    from retrieval.runnables import GovReportRetriever, ask_runnable
    docs = GovReportRetriever(assistant=assistant, k=4).invoke("周口市信访局2021年存在哪些问题？")
    answer = ask_runnable(assistant).invoke({"question": "那2020年呢？", "history": ["周口市信访局2021年存在哪些问题？"]})

A question naming agencies or years searches only their reports, as ``ask`` does; the retriever never composes an
answer and the runnable's numbers are the assistant's (cells and quotes), never a model's.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda

from retrieval.answer import Answer


class GovReportRetriever(BaseRetriever):
    """Passages for a question: the same hybrid search (BM25 over jieba + vectors) ``ask`` quotes from."""

    assistant: Any  # retrieval.assistant.Assistant
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun
                                ) -> list[Document]:
        return [_document(h) for h in self.assistant.retrieve(query, self.k)]


def _document(hit: Any) -> Document:
    p = hit.passage
    quote = "".join(hit.sentences)
    return Document(page_content=p.text, id=p.chunk_id, metadata={
        "report": p.report, "report_id": p.report_id, "agency": p.agency, "covers_year": p.covers_year,
        "section": p.section_title, "section_no": p.section_no, "page": p.page, "line": p.line,
        "score": round(p.score, 4), "quote": quote})


def ask_runnable(assistant: Any) -> Runnable[Any, Answer]:
    """``invoke("问题")`` or ``invoke({"question": …, "history": [earlier questions or Answers]})`` → the
    :class:`Answer` (text, values, citations, warnings); ``.to_json()`` gives the CLI's JSON object."""

    def ask(given: Any) -> Answer:
        if isinstance(given, str):
            return assistant.ask(given)
        return assistant.ask(str(given.get("question", "")), list(given.get("history", ())))

    return RunnableLambda(ask, name="govqa_ask")
