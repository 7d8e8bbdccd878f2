"""The real LangChain OpenAI client against a local OpenAI-compatible stub: streaming, errors, time-outs, garbage."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from retrieval.assistant import Assistant
from retrieval.fluent import FluentAssistant, with_llm
from retrieval.llm import make_chat_model
from tests.retrieval.fake_llm import OpenAIStub

QUESTION = "宿迁市2023年和2024年行政复议总计各多少件？"


def phrase(body: dict[str, Any]) -> str:
    user = body["messages"][-1]["content"]
    return "宿迁市行政复议总计" + "，".join(re.findall(r"\{v\d+\}", user)) + "。"


@pytest.fixture
def stub() -> Iterator[OpenAIStub]:
    server = OpenAIStub(phrase)
    yield server
    server.close()


def llm_settings(corpus_dir: Path, url: str, timeout: float = 5.0) -> Settings:
    env = {"GOVQA_LLM_BASE_URL": url, "GOVQA_LLM_MODEL": "qwen-stub", "GOVQA_LLM_API_KEY": "k",
           "GOVQA_LLM_TIMEOUT": str(timeout)}
    return Settings.from_env(env=env, data_dir=corpus_dir, embedding_backend="fake")


def test_llm_mode_is_on_exactly_when_a_base_url_is_set(corpus_dir: Path, assistant: Assistant) -> None:
    off = Settings.from_env(env={"GOVQA_LLM_MODEL": "x"}, data_dir=corpus_dir)
    assert not off.llm_enabled and make_chat_model(off) is None and with_llm(assistant, off) is assistant
    on = llm_settings(corpus_dir, "http://127.0.0.1:9/v1", 7.5)
    assert on.llm_enabled and on.llm_timeout == 7.5
    assert isinstance(with_llm(assistant, on), FluentAssistant)


def test_streamed_answer_through_the_openai_client(stub: OpenAIStub, corpus_dir: Path, assistant: Assistant) -> None:
    fluent = with_llm(assistant, llm_settings(corpus_dir, stub.url))
    items = list(fluent.stream(QUESTION))
    answer = items[-1]
    assert answer.composer == "llm" and "440件（2023年）[1]" in answer.answer and "170件（2024年）[2]" in answer.answer
    request = stub.requests[-1]
    assert request["model"] == "qwen-stub" and request["stream"] is True
    assert "不要自己写任何数字" in request["messages"][0]["content"]


@pytest.mark.parametrize("behaviour, reason", [
    (("error", 500), "大模型调用失败"),
    (("garbage", b"<html>not json</html>"), "大模型没有返回内容"),  # no SSE events in it
    ("", "没有返回内容"),
    ("好的，我来回答：宿迁市的情况很好。", "没有一句能在表格中核实"),
])
def test_failures_fall_back_to_the_rules(behaviour: Any, reason: str, corpus_dir: Path, assistant: Assistant) -> None:
    server = OpenAIStub(lambda body: behaviour)
    try:
        answer = with_llm(assistant, llm_settings(corpus_dir, server.url)).ask(QUESTION)
    finally:
        server.close()
    assert answer.composer == "rules" and answer.answer == assistant.ask(QUESTION).answer
    assert reason in answer.warnings[-1], answer.warnings


def test_a_slow_endpoint_falls_back_within_the_timeout(corpus_dir: Path, assistant: Assistant) -> None:
    server = OpenAIStub(lambda body: ("sleep", 4))
    try:
        start = time.monotonic()
        answer = with_llm(assistant, llm_settings(corpus_dir, server.url, timeout=1)).ask(QUESTION)
        took = time.monotonic() - start
    finally:
        server.close()
    assert took < 2.5 and answer.composer == "rules" and "1 秒内没有答完" in answer.warnings[-1]


def test_cli_uses_the_endpoint_unless_told_not_to(stub: OpenAIStub, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from retrieval.ask import main

    monkeypatch.setenv("GOVQA_LLM_BASE_URL", stub.url)
    monkeypatch.setenv("GOVQA_EMBEDDING_BACKEND", "fake")
    assert main([QUESTION, "--json", "--data-dir", str(corpus_dir)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["composer"] == "llm" and out["values"][0]["value"] == 440
    assert main([QUESTION, "--json", "--no-llm", "--data-dir", str(corpus_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["composer"] == "rules"


def test_eval_runs_the_gold_set_through_the_llm_path(stub: OpenAIStub, corpus_dir: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.eval import evaluate, llm_table, load_gold

    items = [i for i in load_gold() if i["type"] in ("single", "multi", "narrative")][:12] or load_gold()[:12]
    with pytest.raises(SystemExit, match="GOVQA_LLM_BASE_URL"):
        evaluate(corpus_dir, "fake", False, items, llm=True)
    monkeypatch.setenv("GOVQA_LLM_BASE_URL", stub.url)
    summary = evaluate(corpus_dir, "fake", False, items, llm=True)[0]
    assert "大模型" in summary.name and sum(summary.llm.values()) == len(items)
    assert "回退比例" in llm_table(summary)
    numeric = [i for i in summary.items if i.numeric]
    assert numeric and all(i.checks.get("values", True) for i in numeric)  # phrasing never changes a number
