"""The LangChain retriever and runnable over the test corpus (samples + real reports, fake embeddings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.assistant import Assistant
from retrieval.runnables import GovReportRetriever, ask_runnable


def test_retriever_returns_documents_with_their_citation(assistant: Assistant) -> None:
    docs = GovReportRetriever(assistant=assistant, k=3).invoke("周口市信访局2021年存在哪些问题？")
    assert 1 <= len(docs) <= 3
    assert {d.metadata["agency"] for d in docs} == {"周口市信访局"} and {d.metadata["covers_year"] for d in docs} == {2021}
    first = docs[0].metadata
    assert first["section_no"] == 5 and first["report"].endswith(".txt") and first["line"] > 0
    assert first["quote"] and first["quote"][:10] in docs[0].page_content.replace("\n", "")


def test_retriever_returns_nothing_for_an_agency_not_in_the_store(assistant: Assistant) -> None:
    assert GovReportRetriever(assistant=assistant).invoke("平潭2021年存在哪些问题？") == []


def test_the_runnable_answers_with_history_as_ask_does(assistant: Assistant) -> None:
    runnable = ask_runnable(assistant)
    first = runnable.invoke("青铜峡市信访局2021年规范性文件本年新制作数量是多少？")
    follow = runnable.invoke({"question": "那2020年呢？", "history": [first]})
    assert follow.to_json() == assistant.ask("那2020年呢？", [first]).to_json()
    assert follow.values[0].covers_year == 2020 and follow.citations
    assert runnable.invoke("川汇区信访局2021年行政复议多少件？").kind == "table"


def test_the_readme_example_runs(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    code = readme.split("<!-- example: langchain -->\n```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.setenv("GOVQA_DATA_DIR", str(corpus_dir))
    monkeypatch.setenv("GOVQA_EMBEDDING_BACKEND", "fake")
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("周口市信访局 五、") and "周口市信访局2021年" in printed[1] and "行政复议" in printed[1]
