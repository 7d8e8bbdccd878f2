"""Beyond one machine: vectors on a Chroma server (``chroma run`` on loopback) and cells on PostgreSQL.

The deployment the README describes: several app servers share one PostgreSQL database and one Chroma server; a
report imported through one is answered by the others.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings
from ingest.pipeline import Ingestor
from retrieval.assistant import Assistant
from store.chroma import ChunkIndex
from tests.golden import REAL, SAMPLES
from tests.postgres import fresh_database
from ui.service import Service


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_url() -> Iterator[str]:
    """``chroma run`` (the CLI chromadb installs) on a free loopback port, with its data in a temporary folder."""
    chroma = Path(sys.executable).parent / "chroma"
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="govqa-chroma-") as folder:
        proc = subprocess.Popen([str(chroma), "run", "--path", folder, "--host", "127.0.0.1", "--port", str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        pytest.fail("chroma run did not start")
                    time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def test_vectors_live_on_the_chroma_server(chroma_url: str, tmp_path: Path) -> None:
    settings = Settings.from_env(env={}, data_dir=tmp_path / "data", embedding_backend="fake", chroma_url=chroma_url)
    ingestor = Ingestor.open(settings)
    results = list(ingestor.ingest_many(sorted(SAMPLES.glob("*.txt")), batch=2))
    assert [r.status for r in results] == ["added"] * 5
    assert ingestor.index.count() == ingestor.cells.chunk_count() > 0
    ingestor.close()
    assert not (tmp_path / "data" / "chroma").exists()  # nothing in the local folder
    assistant = Assistant.open(settings)
    assert assistant.index is not None and assistant.index.count() == assistant.store.chunk_count()
    dense = assistant.search._dense("政务公开工作存在的问题", None, 5)
    assert len(dense) == 5 and all(":" in cid for cid in dense)  # the server answered the vector query
    answer = assistant.ask("青铜峡市信访局存在哪些问题？")
    assert answer.kind == "passage" and answer.citations
    assistant.close()


def test_a_bad_chroma_address_is_refused_in_chinese(tmp_path: Path) -> None:
    from store.embeddings import HashingEmbeddings

    with pytest.raises(ValueError, match="地址无效"):
        ChunkIndex(tmp_path, HashingEmbeddings(), url="http://")


def test_two_app_servers_share_postgresql_and_chroma(chroma_url: str, postgres_url: str, tmp_path: Path) -> None:
    database_url = fresh_database(postgres_url, "shared")
    one, two = (Service.open(Settings.from_env(env={}, data_dir=tmp_path / name, embedding_backend="fake",
                                               chroma_url=chroma_url, database_url=database_url))
                for name in ("one", "two"))
    try:
        assert "没有" in two.ask("宿迁市2023年行政复议总计多少件？").answer
        lines = one.upload([("suqian_city_2023.txt", REAL / "suqian_city_2023.txt")], lambda *_: None)
        assert any("suqian_city_2023.txt" in line for line in lines)
        answer = two.ask("宿迁市2023年行政复议总计多少件？")  # the other server sees the new report at once
        assert [str(v.value) for v in answer.values if v.row == "cases" and v.column == "review_total"] == ["440"]
        assert [r.source for r in two.reports("宿迁")] == ["suqian_city_2023.txt"]
        report_id = answer.citations[0].report_id
        assert two.remove(report_id).startswith("已删除")
        assert "没有" in one.ask("宿迁市2023年行政复议总计多少件？").answer
    finally:
        one.close()
        two.close()
