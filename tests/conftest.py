"""Shared pytest set-up: markers, and fixtures that build stores with fake embeddings (no model weights), among
them one store with the whole evaluation corpus (samples + real reports), built once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from core.settings import Settings

if TYPE_CHECKING:
    from retrieval.assistant import Assistant


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: loads real model weights or takes seconds; deselect with -m 'not slow'")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env(env={}, data_dir=tmp_path / "data", embedding_backend="fake")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server for the session (tests/postgres.py); each test makes its own database on it."""
    from tests.postgres import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("corpus")
    from bench.eval import build_store

    build_store(data_dir, "fake")
    return data_dir


@pytest.fixture(scope="session")
def assistant(corpus_dir: Path) -> Iterator[Assistant]:
    from retrieval.assistant import Assistant

    a = Assistant.open(Settings.from_env(env={}, data_dir=corpus_dir, embedding_backend="fake"))
    yield a
    a.close()
