"""Chroma adapter: section chunks with their metadata and vectors, one collection per embedding model.

Vectors are derived data: the ``chunks`` table in SQLite is the source of truth and :meth:`ChunkIndex.reconcile`
brings Chroma in line with it (adds reports it lacks, deletes reports SQLite no longer has). That is also how a
crash between the two stores, or a change of embedding model, is repaired.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from core.records import Chunk
from store.embeddings import NamedEmbeddings

ChunkMeta = dict[str, str | int | float | bool]


def collection_name(embedding_name: str) -> str:
    """Chroma needs 3–63 characters of [a-zA-Z0-9._-]; keep the model visible and make it unique with a hash."""
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", embedding_name).strip("-")[:40] or "model"
    digest = hashlib.sha1(embedding_name.encode()).hexdigest()[:8]
    return f"chunks-{slug}-{digest}"


class ChunkIndex:
    def __init__(self, path: Path, embeddings: NamedEmbeddings, batch_size: int = 64):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        path.mkdir(parents=True, exist_ok=True)
        self.client = chromadb.PersistentClient(
            path=str(path), settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        )
        self.embeddings = embeddings
        self.batch_size = batch_size
        self.collection = self.client.get_or_create_collection(
            collection_name(embeddings.name), metadata={"hnsw:space": "cosine", "embedding": embeddings.name},
            embedding_function=None,
        )

    def add(self, report_id: str, chunks: Sequence[tuple[str, Chunk]], meta: ChunkMeta) -> None:
        """Embed and store one report's chunks (each distinct text is embedded once)."""
        if not chunks:
            return
        texts = [c.indexed_text for _, c in chunks]
        vectors = self._embed(texts)
        metadatas = [{**meta, **_chunk_meta(report_id, c)} for _, c in chunks]
        for start in range(0, len(chunks), 500):
            end = start + 500
            self.collection.upsert(ids=[i for i, _ in chunks[start:end]], documents=texts[start:end],
                                   embeddings=vectors[start:end], metadatas=metadatas[start:end])  # type: ignore[arg-type]

    def _embed(self, texts: list[str]) -> list[list[float]]:
        distinct = list(dict.fromkeys(texts))
        vectors = {}
        for start in range(0, len(distinct), self.batch_size):
            batch = distinct[start : start + self.batch_size]
            vectors.update(zip(batch, self.embeddings.embed_documents(batch)))
        return [vectors[t] for t in texts]

    def delete(self, report_id: str) -> None:
        self.collection.delete(where={"report_id": report_id})

    def report_ids(self) -> set[str]:
        got = self.collection.get(include=["metadatas"])
        return {str(m["report_id"]) for m in got["metadatas"] or [] if m}

    def count(self) -> int:
        return self.collection.count()

    def reconcile(self, wanted: set[str], load: Callable[[str], tuple[Sequence[tuple[str, Chunk]], ChunkMeta]]) -> tuple[int, int]:
        """Make Chroma hold exactly the reports in `wanted`; returns (added, removed)."""
        present = self.report_ids()
        for stale in present - wanted:
            self.delete(stale)
        for missing in wanted - present:
            chunks, meta = load(missing)
            self.add(missing, chunks, meta)
        return len(wanted - present), len(present - wanted)


def _chunk_meta(report_id: str, c: Chunk) -> ChunkMeta:
    meta: ChunkMeta = {"report_id": report_id, "ord": c.ord, "section_no": c.section_no,
                       "section_title": c.section_title, "line_start": c.line_start, "line_end": c.line_end}
    if c.page_start is not None:
        meta["page_start"] = c.page_start
        meta["page_end"] = c.page_end or c.page_start
    return meta
