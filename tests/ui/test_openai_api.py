"""The OpenAI-compatible API, driven by the ``openai`` client against a real server on loopback (fake embeddings,
the bundled samples): models, an answer with its citations as a numbered list, streaming, follow-ups, login."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from core.settings import Settings
from ui.login import Login
from ui.service import Service


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(service: Service, login: Login | None) -> Iterator[str]:
    import uvicorn
    from fastapi import FastAPI

    from ui.openai_api import router

    app = FastAPI()
    app.include_router(router(service, login))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}/v1"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    data = tmp_path_factory.mktemp("api-data")
    svc = Service.open(Settings.from_env(env={}, data_dir=Path(data), embedding_backend="fake"))
    svc.ensure_samples()
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def open_api(service: Service) -> Iterator[str]:
    yield from _serve(service, None)


@pytest.fixture(scope="module")
def locked_api(service: Service) -> Iterator[str]:
    yield from _serve(service, Login("gk", "年报2024", max_failures=3))


def test_models_and_a_table_answer_with_numbered_citations(open_api: str) -> None:
    from openai import OpenAI

    client = OpenAI(base_url=open_api, api_key="unused")
    assert [m.id for m in client.models.list()] == ["govqa"]
    reply = client.chat.completions.create(model="govqa", messages=[
        {"role": "user", "content": "周口市信访局和川汇区信访局2021年行政复议各多少件？"}])
    text = reply.choices[0].message.content or ""
    assert reply.choices[0].finish_reason == "stop"
    answer, sources = text.split("来源：\n")
    assert "[1]" in answer and "[2]" in answer
    lines = sources.splitlines()
    assert lines[0].startswith("[1] ") and lines[1].startswith("[2] ")
    assert "表四“行政复议—总计”" in sources and "周口市信访局" in sources and "川汇区信访局" in sources


def test_streamed_reply_is_the_same_text(open_api: str) -> None:
    from openai import OpenAI

    client = OpenAI(base_url=open_api, api_key="unused")
    question = [{"role": "user", "content": "周口市信访局2021年存在哪些问题？"}]
    whole = client.chat.completions.create(model="govqa", messages=question).choices[0].message.content or ""
    pieces = [c.choices[0].delta.content or "" for c in
              client.chat.completions.create(model="govqa", messages=question, stream=True) if c.choices]
    assert len([p for p in pieces if p]) >= 2 and "".join(pieces) == whole
    assert "来源：\n[1] 周口市信访局 · 2021年 · 五、" in whole


def test_earlier_user_turns_are_the_conversation(open_api: str) -> None:
    from openai import OpenAI

    client = OpenAI(base_url=open_api, api_key="unused")
    reply = client.chat.completions.create(model="govqa", messages=[
        {"role": "system", "content": "你是助手"},
        {"role": "user", "content": "青铜峡市信访局2021年规范性文件本年新制作数量是多少？"},
        {"role": "assistant", "content": "……"},
        {"role": "user", "content": [{"type": "text", "text": "那2020年呢？"}]}])
    text = reply.choices[0].message.content or ""
    assert "青铜峡市信访局2020年" in text and "2件" in text  # the 2020 sample report prints 2


def test_a_request_without_a_question_gets_a_chinese_error(open_api: str) -> None:
    from openai import BadRequestError, OpenAI

    client = OpenAI(base_url=open_api, api_key="unused")
    with pytest.raises(BadRequestError) as failed:
        client.chat.completions.create(model="govqa", messages=[{"role": "system", "content": "只有系统消息"}])
    assert "没有用户问题" in str(failed.value)


def test_login_is_the_api_key_and_wrong_keys_are_throttled(locked_api: str) -> None:
    from openai import AuthenticationError, OpenAI

    right = OpenAI(base_url=locked_api, api_key=quote("年报2024"), max_retries=0)  # headers carry no Chinese
    question = [{"role": "user", "content": "川汇区信访局2021年行政复议多少件？"}]
    assert "川汇区信访局" in (right.chat.completions.create(model="govqa", messages=question).choices[0].message.content
                              or "")
    wrong = OpenAI(base_url=locked_api, api_key="guess", max_retries=0)
    for _ in range(3):
        with pytest.raises(AuthenticationError) as refused:
            wrong.models.list()
        assert "需要登录" in str(refused.value) or "次数过多" in str(refused.value)
    with pytest.raises(AuthenticationError) as locked:  # now even the right key waits out the lockout
        right.models.list()
    assert "密码错误次数过多" in str(locked.value)
