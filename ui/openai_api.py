"""An OpenAI-compatible API beside the chat (``GET /v1/models``, ``POST /v1/chat/completions``, streaming or not), so
Dify, Chatbox or Cherry Studio can ask the reports. The reply is the answer with its citations as a numbered list.

The API key is the app's password (or ``username:password``) when a login is configured; without one it is open,
like the chat. Numbers come from the same :class:`ui.service.Service` as the chat, never from a model.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from retrieval.answer import Answer, Citation
from ui.login import LOCKED_MESSAGE, Login
from ui.service import Service

MODEL_ID = "govqa"


def answer_text(answer: Answer) -> str:
    """The answer, its warnings and its citations as a numbered list, in plain text (Markdown-friendly)."""
    parts = [answer.answer.strip()]
    if answer.warnings:
        parts.append("\n".join(f"提示：{w}" for w in answer.warnings))
    if answer.citations:
        labels = {v.citation: v.label for v in answer.values if v.op == "cell" and v.citation is not None}
        parts.append("来源：\n" + "\n".join(_citation_line(c, labels.get(c.id, "")) for c in answer.citations))
    return "\n\n".join(p for p in parts if p)


def _citation_line(c: Citation, label: str) -> str:
    where = [c.agency or "（单位不详）", f"{c.covers_year}年" if c.covers_year else "", c.section or ""]
    if c.cell is not None:
        where.append(f"表{c.cell.table}“{label}”" if label else f"表{c.cell.table}")
    if c.page:
        where.append(f"第{c.page}页")
    head = " · ".join(w for w in where if w)
    return f"[{c.id}] {head}（{c.report}）：“{c.quote}”"


def _content(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):  # [{"type": "text", "text": …}, …]
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return "" if content is None else str(content)


def _error(status: int, message: str, kind: str) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "code": status}}, status_code=status)


def router(service: Service, login: Login | None) -> APIRouter:
    api = APIRouter(prefix="/v1")

    def refused(request: Request) -> Any:
        if login is None:
            return None
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if token and login.bearer(token):
            return None
        message = LOCKED_MESSAGE if login.locked() else "需要登录：请把本系统的密码作为 API Key 填入。"
        return _error(401, message, "invalid_api_key")

    @api.get("/models")
    def models(request: Request) -> Any:
        if (problem := refused(request)) is not None:
            return problem
        return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "govqa"}]}

    @api.post("/chat/completions")
    def chat(request: Request, body: dict[str, Any]) -> Any:
        if (problem := refused(request)) is not None:
            return problem
        messages = [m for m in body.get("messages") or [] if isinstance(m, dict)]
        asked = [_content(m).strip() for m in messages if m.get("role") == "user"]
        if not asked or not asked[-1]:
            return _error(400, "请求中没有用户问题（messages 里需要至少一条 role 为 user 的消息）。",
                          "invalid_request_error")
        answer = service.ask(asked[-1], asked[:-1])
        text = answer_text(answer)
        reply_id, created, model = f"chatcmpl-{uuid.uuid4().hex}", int(time.time()), str(body.get("model") or MODEL_ID)
        if body.get("stream"):
            return StreamingResponse(_chunks(text, reply_id, created, model), media_type="text/event-stream")
        return {"id": reply_id, "object": "chat.completion", "created": created, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}}

    return api


STREAM_PIECE = 48  # characters per streamed chunk


def _chunks(text: str, reply_id: str, created: int, model: str) -> Iterator[str]:
    def event(delta: dict[str, str], finish: str | None = None) -> str:
        chunk = {"id": reply_id, "object": "chat.completion.chunk", "created": created, "model": model,
                 "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

    yield event({"role": "assistant", "content": ""})
    for start in range(0, len(text), STREAM_PIECE):
        yield event({"content": text[start:start + STREAM_PIECE]})
    yield event({}, "stop")
    yield "data: [DONE]\n\n"
