"""The served app (FastAPI + the mounted Gradio app) on loopback: chat events run at the same time, the API sits beside
the page, uploads over the limit are cut off by the server and leave nothing behind."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.settings import Settings
from retrieval.answer import Answer
from tests.ui.test_openai_api import _free_port
from ui.service import Service


class MeetingService(Service):
    """Two questions must be inside ``stream`` at the same moment, or neither gets past the barrier."""

    barrier = threading.Barrier(2, timeout=30)

    def stream(self, question: str, history=()) -> Iterator[str | Answer]:  # type: ignore[no-untyped-def]
        self.barrier.wait()
        yield from super().stream(question, history)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from ui.server import build_server

    data = tmp_path_factory.mktemp("server-data")
    settings = Settings.from_env(env={}, data_dir=Path(data), embedding_backend="fake", workers=4)
    service = MeetingService.open(settings)
    service.ensure_samples()
    port = _free_port()
    app = build_server(settings, service, max_file_bytes=1024 * 1024)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        thread.join(0.05)
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(timeout=10)
    service.close()


def _chat(url: str, question: str) -> str:
    with httpx.Client(base_url=url, timeout=60) as http:
        event_id = http.post("gradio_api/call/chat", json={"data": [question, []]}).json()["event_id"]
        event, last = "", ""
        with http.stream("GET", f"gradio_api/call/chat/{event_id}") as stream:
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    last = line[5:].strip()
    assert event == "complete", last
    return str(json.loads(last)[0][-1]["content"])


def test_two_chat_questions_are_answered_at_the_same_time(served: str) -> None:
    answers: dict[str, str] = {}
    questions = ("周口市信访局2021年行政复议多少件？", "川汇区信访局2021年行政复议多少件？")
    threads = [threading.Thread(target=lambda q=q: answers.__setitem__(q, _chat(served, q))) for q in questions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    assert "周口市信访局2021年" in answers[questions[0]] and "川汇区信访局2021年" in answers[questions[1]]


def test_the_openai_api_is_served_beside_the_page(served: str) -> None:
    assert "年报问答" in httpx.get(served, timeout=30).text
    models = httpx.get(served + "v1/models", timeout=30).json()
    assert [m["id"] for m in models["data"]] == ["govqa"]


def test_an_upload_over_the_limit_is_refused_by_the_server_and_leaves_no_file(served: str) -> None:
    temp = Path(os.environ.get("GRADIO_TEMP_DIR") or Path(os.environ.get("TMPDIR", "/tmp")) / "gradio")
    before = {p for p in temp.rglob("*")} if temp.exists() else set()
    big = b"0" * (2 * 1024 * 1024)
    reply = httpx.post(served + "gradio_api/upload", files={"files": ("big.txt", big, "text/plain")}, timeout=60)
    assert reply.status_code == 413
    after = {p for p in temp.rglob("*")} if temp.exists() else set()
    assert not [p for p in after - before if p.name == "big.txt"]
    small = httpx.post(served + "gradio_api/upload", files={"files": ("small.txt", b"x" * 100, "text/plain")},
                       timeout=60)
    assert small.status_code == 200


def test_wrong_passwords_lock_out_only_the_client_that_sent_them(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from ui.server import build_server

    settings = Settings.from_env(env={}, data_dir=tmp_path, embedding_backend="fake", username="gk", password="pw")
    service = Service.open(settings)
    try:
        app = build_server(settings, service)
        with TestClient(app, client=("10.0.0.66", 40000)) as guesser:
            for i in range(6):
                assert guesser.post("/login", data={"username": "gk", "password": f"guess{i}"}).status_code != 200
            assert guesser.post("/login", data={"username": "gk", "password": "pw"}).status_code != 200  # locked
        with TestClient(app, client=("10.0.0.7", 40000)) as colleague:
            assert colleague.post("/login", data={"username": "gk", "password": "pw"}).status_code == 200
    finally:
        service.close()
