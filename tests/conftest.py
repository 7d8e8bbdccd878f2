"""Shared pytest set-up: markers, and fixtures that build stores with fake embeddings (no model weights)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings


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
