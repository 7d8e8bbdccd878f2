"""The LLM client adapter: LangChain's chat model for any OpenAI-compatible endpoint, and a deadline around it.

Only this module imports ``langchain_openai``. A call that fails, times out or returns nothing raises
:class:`LlmError` with a Chinese reason, within the configured timeout, so the caller can fall back.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from core.settings import Settings


class LlmError(Exception):
    """The model could not give an answer; the message says why, in Chinese."""


def make_chat_model(settings: Settings) -> Any | None:
    """A LangChain chat model for ``settings.llm_base_url``, or None when LLM mode is off."""
    if not settings.llm_enabled:
        return None
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    return ChatOpenAI(
        base_url=settings.llm_base_url.strip(),
        model=settings.llm_model or "default",
        api_key=SecretStr(settings.llm_api_key or "not-needed"),  # local servers (Ollama, vLLM) accept any key
        timeout=settings.llm_timeout,
        max_retries=0,
        temperature=0,
    )


_DONE = object()


def stream_text(model: Any, messages: Sequence[Any], timeout: float, budget: float | None = None) -> Iterator[str]:
    """The model's text as it arrives (one piece per streamed token when the model streams), ending within
    ``timeout`` seconds from the call. Raises :class:`LlmError` on errors, on the deadline and on empty output.
    ``budget``: the configured limit to name in the message when ``timeout`` is what is left of it."""
    pieces: queue.Queue[object] = queue.Queue()

    def work() -> None:
        try:
            for chunk in model.stream(list(messages)):
                pieces.put(_content(chunk))
            pieces.put(_DONE)
        except Exception as exc:  # the endpoint's errors, whatever the client raises
            pieces.put(exc)

    threading.Thread(target=work, daemon=True, name="govqa-llm").start()
    deadline = time.monotonic() + timeout
    late = f"大模型在 {budget or timeout:g} 秒内没有答完"
    produced = False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise LlmError(late)
        try:
            item = pieces.get(timeout=left)
        except queue.Empty:
            raise LlmError(late) from None
        if item is _DONE:
            if not produced:
                raise LlmError("大模型没有返回内容")
            return
        if isinstance(item, ValueError) and not produced and "No generation chunks" in str(item):
            raise LlmError("大模型没有返回内容")
        if isinstance(item, Exception):
            raise LlmError(f"大模型调用失败：{_reason(item)}") from item
        if isinstance(item, str) and item:
            produced = True
            yield item


def complete(model: Any, messages: Sequence[Any], timeout: float, budget: float | None = None) -> str:
    return "".join(stream_text(model, messages, timeout, budget))


def _content(chunk: Any) -> str:
    content = getattr(chunk, "content", chunk)
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return ""


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}{'：' + text[:160] if text else ''}"
