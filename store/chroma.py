"""Chroma adapter: section chunks with their metadata and vectors, one collection per embedding model.

Vectors are derived data: the ``chunks`` table in SQLite is the source of truth and :meth:`ChunkIndex.reconcile`
brings Chroma in line with it (adds reports it lacks, deletes reports SQLite no longer has). That is also how a
crash between the two stores, or a change of embedding model, is repaired.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from core.records import Chunk
from store.embeddings import NamedEmbeddings
from store.vector_cache import VectorCache, text_key

if TYPE_CHECKING:
    from core.settings import Settings

ChunkMeta = dict[str, str | int | float | bool]


#: What a vector is computed from; a change makes a new collection (the old vectors no longer match).
VECTOR_TEXT = "section-title+text"


def vector_text(chunk: Chunk) -> str:
    """The text a chunk's vector is computed from: its section title and text, without the agency and year (those
    are metadata filters). Boilerplate that repeats across reports then has one vector, embedded once."""
    return f"{chunk.section_title}\n{chunk.text}"


def collection_name(embedding_name: str) -> str:
    """Chroma needs 3–63 characters of [a-zA-Z0-9._-]; keep the model visible and make it unique with a hash."""
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", embedding_name).strip("-")[:40] or "model"
    digest = hashlib.sha1(f"{embedding_name}|{VECTOR_TEXT}".encode()).hexdigest()[:8]
    return f"chunks-{slug}-{digest}"


class ChunkIndex:
    def __init__(self, path: Path, embeddings: NamedEmbeddings, batch_size: int = 64, cache: VectorCache | None = None,
                 url: str = ""):
        """Vectors in a folder (``path``), or on a Chroma server when ``url`` is given (``path`` is then unused)."""
        if url:
            parsed = urlparse(url if "//" in url else "http://" + url)
            if parsed.hostname is None:
                raise ValueError(f"Chroma 服务器地址无效：{url}")
        else:
            path.mkdir(parents=True, exist_ok=True)
        self.path, self.url = path, url
        self.embeddings = embeddings
        self.batch_size = batch_size
        self.cache = cache
        self.embedded = 0  # texts sent to the model (cache misses), for progress and benchmarks
        self.embed_seconds = 0.0  # time spent embedding them
        self._connect()

    def _connect(self) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if self.url:
            parsed = urlparse(self.url if "//" in self.url else "http://" + self.url)
            assert parsed.hostname is not None
            self.client = chromadb.HttpClient(host=parsed.hostname, port=parsed.port or 8000,
                                              ssl=parsed.scheme == "https", settings=chroma_settings)
        else:
            self.client = chromadb.PersistentClient(path=str(self.path), settings=chroma_settings)
        self.collection = self.client.get_or_create_collection(
            collection_name(self.embeddings.name),
            metadata={"hnsw:space": "cosine", "embedding": self.embeddings.name}, embedding_function=None,
        )

    def reopen(self) -> None:
        """Read the index afresh after another process changed it. Chroma keeps one in-memory copy of a folder's
        index per process and does not follow other processes' writes (their new vectors go unseen, removed ones
        are still returned): a new client on a new copy does. A server's clients always see its writes."""
        if self.url:
            return
        from chromadb.api.shared_system_client import SharedSystemClient

        # every client of this folder in this process shares the copy; the next one made builds a new copy
        SharedSystemClient._identifier_to_system.pop(self.client._identifier, None)
        self._connect()

    @classmethod
    def open(cls, settings: Settings, cached: bool = False) -> ChunkIndex:
        """The index the settings name; ``cached`` adds the vector cache (for ingesting)."""
        from store.embeddings import make_embeddings

        embeddings = make_embeddings(settings)
        cache = VectorCache(settings.data_dir / "vector-cache.sqlite3", embeddings.name) if cached else None
        return cls(settings.chroma_dir, embeddings, settings.embedding_batch_size, cache, settings.chroma_url)

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()

    def add(self, report_id: str, chunks: Sequence[tuple[str, Chunk]], meta: ChunkMeta) -> None:
        """Embed and store one report's chunks."""
        self.add_many([(report_id, chunks, meta)])

    def add_many(self, reports: Sequence[tuple[str, Sequence[tuple[str, Chunk]], ChunkMeta]]) -> None:
        """Embed and store the chunks of several reports in few calls; each distinct text is embedded once (and,
        with a cache, once ever for this model)."""
        ids, texts, metadatas = [], [], []
        for report_id, chunks, meta in reports:
            for cid, chunk in chunks:
                ids.append(cid)
                texts.append(vector_text(chunk))
                metadatas.append({**meta, **_chunk_meta(report_id, chunk)})
        if not ids:
            return
        vectors = self._embed(texts)
        for start in range(0, len(ids), 2000):
            end = start + 2000
            # no documents: the text lives in SQLite, and Chroma would index it a second time for its own search
            self.collection.upsert(ids=ids[start:end], embeddings=vectors[start:end],  # type: ignore[arg-type]
                                   metadatas=metadatas[start:end])  # type: ignore[arg-type]

    def _embed(self, texts: list[str]) -> list[list[float]]:
        keys = {t: text_key(t) for t in dict.fromkeys(texts)}
        known = self.cache.get(list(keys.values())) if self.cache else {}
        missing = [t for t, k in keys.items() if k not in known]
        fresh: dict[str, list[float]] = {}
        started = time.perf_counter()
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start : start + self.batch_size]
            fresh.update(zip(batch, self.embeddings.embed_documents(batch), strict=True))
        self.embed_seconds += time.perf_counter() - started
        self.embedded += len(missing)
        if self.cache is not None:
            self.cache.hits += len(keys) - len(missing)
            self.cache.misses += len(missing)
            if fresh:
                self.cache.put({keys[t]: v for t, v in fresh.items()})
        return [fresh[t] if t in fresh else known[keys[t]] for t in texts]

    def nearest(self, vector: Sequence[float], k: int) -> list[str]:
        """Ids of the ``k`` chunks nearest the vector (cosine). No metadata filter: Chroma's cost ~60 ms a query."""
        got = self.collection.query(query_embeddings=[list(vector)], n_results=k, include=[])
        return list(got["ids"][0]) if got.get("ids") else []

    def nearest_among(self, vector: Sequence[float], ids: Sequence[str], k: int) -> list[str]:
        """The same among the given chunks only: their vectors fetched by id and compared here."""
        if not ids:
            return []
        import numpy as np

        got = self.collection.get(ids=list(ids), include=["embeddings"])
        found = got["embeddings"]
        if found is None or len(got["ids"]) == 0:
            return []
        matrix = np.asarray(found, dtype=np.float32)
        query = np.asarray(vector, dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1) * (np.linalg.norm(query) or 1.0)
        scores = matrix @ query / np.where(norms == 0, 1.0, norms)
        order = sorted(range(len(scores)), key=lambda i: (-float(scores[i]), got["ids"][i]))
        return [got["ids"][i] for i in order[:k]]

    def delete(self, report_id: str) -> None:
        self.collection.delete(where={"report_id": report_id})

    def report_ids(self) -> set[str]:
        out: set[str] = set()
        for offset in range(0, self.collection.count(), 20000):  # in pages: 100k reports have 600k vectors
            got = self.collection.get(include=["metadatas"], limit=20000, offset=offset)
            out.update(str(m["report_id"]) for m in got["metadatas"] or [] if m)
        return out

    def count(self) -> int:
        return self.collection.count()

    def reconcile(self, wanted: set[str], load: Callable[[str], tuple[Sequence[tuple[str, Chunk]], ChunkMeta]],
                  chunk_count: int | None = None) -> tuple[int, int]:
        """Make Chroma hold exactly the reports in `wanted`; returns (added, removed). When the number of chunks
        SQLite holds is given and Chroma holds as many vectors, nothing is compared: every way the two stores part
        (a crash between the writes, a new model) changes the count."""
        if chunk_count is not None and chunk_count == self.collection.count():
            return 0, 0
        present = self.report_ids()
        for stale in present - wanted:
            self.delete(stale)
        missing = sorted(wanted - present)
        for start in range(0, len(missing), 64):  # a new model re-embeds every report: in batches, like ingesting
            self.add_many([(rid, *load(rid)) for rid in missing[start:start + 64]])
        return len(missing), len(present - wanted)


def _chunk_meta(report_id: str, c: Chunk) -> ChunkMeta:
    meta: ChunkMeta = {"report_id": report_id, "ord": c.ord, "section_no": c.section_no,
                       "section_title": c.section_title, "line_start": c.line_start, "line_end": c.line_end}
    if c.page_start is not None:
        meta["page_start"] = c.page_start
        meta["page_end"] = c.page_end or c.page_start
    return meta
