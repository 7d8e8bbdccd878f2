"""Test doubles for the LLM mode: a scripted LangChain chat model and a local OpenAI-compatible HTTP stub."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

Script = Callable[[str, str], str]  # (system prompt, user message) -> reply


class ScriptedChatModel(BaseChatModel):
    """Replies with ``script(system, user)``, streamed a few characters at a time; records every prompt."""

    script: Any
    step: int = 3
    prompts: list = []  # noqa: RUF012 (pydantic field)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _reply(self, messages: list[BaseMessage]) -> str:
        system = "\n".join(str(m.content) for m in messages if m.type == "system")
        user = "\n".join(str(m.content) for m in messages if m.type == "human")
        self.prompts.append((system, user))
        return str(self.script(system, user))

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._reply(messages)))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        text = self._reply(messages)
        for i in range(0, len(text), self.step):
            yield ChatGenerationChunk(message=AIMessageChunk(content=text[i:i + self.step]))


class OpenAIStub:
    """``POST /v1/chat/completions`` on a free local port. ``behaviour(body)`` returns the reply text, or one of
    ``("error", status)``, ``("sleep", seconds)``, ``("garbage", bytes)``. Streams SSE chunks when asked to."""

    def __init__(self, behaviour: Callable[[dict[str, Any]], Any]):
        self.behaviour = behaviour
        self.requests: list[dict[str, Any]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def handle_one_request(self) -> None:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (time-outs)
                    super().handle_one_request()

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                stub.requests.append(body)
                action = stub.behaviour(body)
                if isinstance(action, tuple) and action[0] == "error":
                    self._send(action[1], b'{"error": {"message": "stub failure"}}', "application/json")
                    return
                if isinstance(action, tuple) and action[0] == "sleep":
                    time.sleep(action[1])
                    action = "太晚了。"
                if isinstance(action, tuple) and action[0] == "garbage":
                    self._send(200, action[1], "application/json")
                    return
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    for i in range(0, len(action), 4):
                        chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "stub",
                                 "choices": [{"index": 0, "delta": {"content": action[i:i + 4]}, "finish_reason": None}]}
                        self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                        self.wfile.flush()
                    self.wfile.write(b"data: [DONE]\n\n")
                    return
                reply = {"id": "c", "object": "chat.completion", "created": 0, "model": "stub",
                         "choices": [{"index": 0, "message": {"role": "assistant", "content": action},
                                      "finish_reason": "stop"}],
                         "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                self._send(200, json.dumps(reply, ensure_ascii=False).encode(), "application/json")

            def _send(self, status: int, payload: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def copying_reply(body: dict[str, Any]) -> str:
    """A dumb but well-behaved model: numeric answers name each placeholder with its description, narrative answers
    copy the first sentence of each source with its marker, plans give up. Used by ``python -m tests.retrieval.fake_llm``
    to run ``bench.eval --llm`` end to end without a real endpoint."""
    import re

    system, user = body["messages"][0]["content"], body["messages"][-1]["content"]
    if "查询计划" in system:
        return '{"measures": [], "op": "passage", "search_text": ""}'
    facts = re.findall(r"^(\{v\d+\})：(.+)$", user, re.MULTILINE)
    if facts:
        return "根据年报表格，" + "；".join(f"{what.strip()}为{slot}" for slot, what in facts) + "。"
    out = []
    for n, text in re.findall(r"^\[(\d+)\] [^\n]*\n([^\n]+)", user, re.MULTILINE):
        out.append(re.split(r"(?<=[。；])", text)[0].rstrip("。；") + f"[{n}]。")
    return "".join(out[:4])


if __name__ == "__main__":
    server = OpenAIStub(copying_reply)
    print(f"export GOVQA_LLM_BASE_URL={server.url}", flush=True)
    threading.Event().wait()
