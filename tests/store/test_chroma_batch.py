"""ChunkIndex.add_many with a VectorCache: each distinct text is embedded once, and once ever per model."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.records import Chunk
from store.chroma import ChunkIndex
from store.embeddings import HashingEmbeddings
from store.vector_cache import VectorCache


class CountingEmbeddings(HashingEmbeddings):
    """The fake embeddings, recording every text sent to the model."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.calls = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        self.texts.extend(texts)
        return super().embed_documents(texts)


def _chunk(ord_: int, title: str, text: str, prefix: str = "某单位 · 2023") -> Chunk:
    return Chunk(ord=ord_, section_no=ord_ + 1, section_title=title, text=text,
                 indexed_text=f"{prefix} · {title}\n{text}", line_start=ord_ * 10 + 1, line_end=ord_ * 10 + 5)


SHARED = ("一、总体情况", "本机关严格落实《中华人民共和国政府信息公开条例》，全面推进政务公开工作。")


def _reports() -> list[tuple[str, list[tuple[str, Chunk]], dict[str, str | int]]]:
    a = [_chunk(0, *SHARED), _chunk(1, "二、主动公开政府信息情况", "本年度主动公开文件 12 件。")]
    b = [_chunk(0, *SHARED), _chunk(1, "三、收到和处理政府信息公开申请情况", "本年度新收申请 7 件。")]
    return [("rep-a", [("rep-a:0", a[0]), ("rep-a:1", a[1])], {"agency": "洪泽区人民政府", "covers_year": 2023}),
            ("rep-b", [("rep-b:0", b[0]), ("rep-b:1", b[1])], {"agency": "沭阳县司法局", "covers_year": 2024})]


def _vectors(index: ChunkIndex) -> dict[str, list[float]]:
    got = index.collection.get(include=["embeddings"])
    return {i: [float(x) for x in v] for i, v in zip(got["ids"], got["embeddings"], strict=True)}


def _cached_index(folder: Path, cache_path: Path) -> tuple[CountingEmbeddings, ChunkIndex]:
    model = CountingEmbeddings()
    return model, ChunkIndex(folder, model, cache=VectorCache(cache_path, model.name))


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "vector-cache.sqlite3"


def test_a_text_shared_by_two_reports_is_embedded_once(tmp_path: Path, cache_path: Path) -> None:
    model = CountingEmbeddings()
    index = ChunkIndex(tmp_path / "chroma", model, batch_size=2, cache=VectorCache(cache_path, model.name))
    index.add_many(_reports())
    assert index.embedded == 3
    assert len(model.texts) == 3 and len(set(model.texts)) == 3
    assert model.calls == 2  # three texts in batches of two
    assert (index.cache.hits, index.cache.misses) == (0, 3)
    assert index.count() == 4
    assert index.report_ids() == {"rep-a", "rep-b"}
    vectors = _vectors(index)
    assert vectors["rep-a:0"] == pytest.approx(vectors["rep-b:0"])
    assert vectors["rep-a:1"] != pytest.approx(vectors["rep-b:1"])
    index.close()


def test_without_a_cache_a_shared_text_is_still_embedded_once_per_call(tmp_path: Path) -> None:
    model = CountingEmbeddings()
    index = ChunkIndex(tmp_path / "chroma", model)
    index.add_many(_reports())
    assert index.embedded == len(model.texts) == 3
    index.add_many(_reports())  # no cache: the same reports again are embedded again (and upserted, not duplicated)
    assert index.embedded == len(model.texts) == 6
    assert index.count() == 4
    index.close()


def test_the_cache_serves_later_calls(tmp_path: Path, cache_path: Path) -> None:
    model, index = _cached_index(tmp_path / "chroma", cache_path)
    first, second = _reports()
    index.add(*first)
    index.add(*second)  # its first chunk's text was embedded for the first report
    assert index.embedded == len(model.texts) == 3
    assert (index.cache.hits, index.cache.misses) == (1, 3)
    index.close()


def test_a_new_index_with_the_same_cache_file_embeds_nothing(tmp_path: Path, cache_path: Path) -> None:
    _, first = _cached_index(tmp_path / "chroma-1", cache_path)
    first.add_many(_reports())
    before = _vectors(first)
    first.close()

    again, second = _cached_index(tmp_path / "chroma-2", cache_path)
    assert second.count() == 0  # a new Chroma folder
    second.add_many(_reports())
    assert second.embedded == 0
    assert again.texts == [] and again.calls == 0
    assert (second.cache.hits, second.cache.misses) == (3, 0)
    after = _vectors(second)
    assert set(after) == set(before)
    for cid, vector in before.items():
        assert after[cid] == pytest.approx(vector, rel=1e-6, abs=1e-7)  # float32 from the cache
    second.close()


def test_the_cache_is_per_model(tmp_path: Path, cache_path: Path) -> None:
    _, first = _cached_index(tmp_path / "chroma-1", cache_path)
    first.add_many(_reports())
    first.close()
    other = CountingEmbeddings()
    other.name = "fake:another-model"
    second = ChunkIndex(tmp_path / "chroma-2", other, cache=VectorCache(cache_path, other.name))
    second.add_many(_reports())
    assert second.embedded == len(other.texts) == 3
    assert (second.cache.hits, second.cache.misses) == (0, 3)
    second.close()


def test_the_vector_ignores_agency_and_year(tmp_path: Path, cache_path: Path) -> None:
    """Boilerplate in two agencies' reports (different indexed_text prefixes) shares one vector."""
    model, index = _cached_index(tmp_path / "chroma", cache_path)
    one = _chunk(0, *SHARED, prefix="洪泽区人民政府 · 2023")
    two = _chunk(0, *SHARED, prefix="沭阳县司法局 · 2024")
    assert one.indexed_text != two.indexed_text
    index.add_many([("r1", [("r1:0", one)], {"agency": "洪泽区人民政府"}),
                    ("r2", [("r2:0", two)], {"agency": "沭阳县司法局"})])
    assert index.embedded == len(model.texts) == 1
    assert index.count() == 2
    index.close()


def test_adding_no_chunks_embeds_nothing(tmp_path: Path, cache_path: Path) -> None:
    model, index = _cached_index(tmp_path / "chroma", cache_path)
    index.add_many([])
    index.add_many([("empty", [], {"agency": "x"})])
    assert index.embedded == 0 and model.calls == 0 and index.count() == 0
    index.close()
