"""One web server for the chat and the OpenAI-compatible API: FastAPI with the Gradio app mounted at ``/``.

Questions are answered concurrently (Gradio's queue runs up to ``settings.workers`` events at once; the typing effect
of one answer never holds up another), uploads over the file limit are cut off by the server, and one throttled
login guards both the page and the API.
"""

from __future__ import annotations

from typing import Any

from core.settings import Settings
from ingest.loaders import MAX_FILE_BYTES
from ui.login import ClientAddress, Login
from ui.openai_api import router
from ui.service import Service

AUTH_MESSAGE = "年报问答：只限授权人员使用，请输入用户名和密码。"


def login_of(settings: Settings) -> Login | None:
    return Login(settings.username, settings.password) if settings.username and settings.password else None


def build_server(settings: Settings, service: Service, max_file_bytes: int = MAX_FILE_BYTES) -> Any:
    import gradio as gr
    from fastapi import FastAPI

    from ui.app import CSS, build
    from ui.page import PAGE_JS

    login = login_of(settings)
    server = FastAPI(title="年报问答", docs_url=None, redoc_url=None, openapi_url=None)
    server.include_router(router(service, login))
    server.add_middleware(ClientAddress)  # the login throttle counts wrong passwords per client address
    demo = build(service).queue(default_concurrency_limit=settings.workers)
    return gr.mount_gradio_app(server, demo, path="/", auth=login, auth_message=AUTH_MESSAGE if login else None,
                               css=CSS, js=PAGE_JS, footer_links=[], show_error=True, max_file_size=max_file_bytes)


def serve(settings: Settings, service: Service) -> None:
    import uvicorn

    app = build_server(settings, service)
    print(f"年报问答已启动：http://{settings.host}:{settings.port}/ （OpenAI 兼容接口：/v1/chat/completions）",
          flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", timeout_graceful_shutdown=5)
