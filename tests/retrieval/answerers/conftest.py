"""A store of a few real reports (fake embeddings) for the answerers: a county with its city's report of another
year, reports that state or deny collecting 信息处理费, and both template versions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings
from retrieval.assistant import Assistant

REAL = Path(__file__).resolve().parents[2] / "data" / "real"
REPORTS = ("suqian_city_2023.txt", "suqian_city_2024.txt", "shuyang_county_2025.txt", "pingtan_2020.txt",
           "pingtan_2025.txt", "shanghai_govoffice_2019.txt", "shanghai_govoffice_2025.txt", "shanghai_stcsm_2024.txt",
           "hongze_district_2024.pdf")


@pytest.fixture(scope="session")
def real_assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    from bench.eval import build_store

    data_dir = tmp_path_factory.mktemp("real-store")
    build_store(data_dir, "fake", [REAL / name for name in REPORTS])
    a = Assistant.open(Settings.from_env(env={}, data_dir=data_dir, embedding_backend="fake"))
    yield a
    a.close()
