"""A store with the whole evaluation corpus (samples + real reports), built once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings
from retrieval.assistant import Assistant
from retrieval.eval import build_store


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("corpus")
    build_store(data_dir, "fake")
    return data_dir


@pytest.fixture(scope="session")
def assistant(corpus_dir: Path) -> Iterator[Assistant]:
    a = Assistant.open(Settings.from_env(env={}, data_dir=corpus_dir, embedding_backend="fake"))
    yield a
    a.close()
