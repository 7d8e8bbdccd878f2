"""store.vector_cache.VectorCache: vectors by model and text hash, kept as float32 in a SQLite file."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from store.vector_cache import VectorCache, text_key


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "vectors.sqlite3"  # the folder does not exist yet


def _close(got: list[float], want: list[float]) -> bool:
    return len(got) == len(want) and all(g == pytest.approx(w, rel=1e-6, abs=1e-7) for g, w in zip(got, want))


def test_put_then_get_returns_the_vectors_at_float32_precision(path: Path) -> None:
    cache = VectorCache(path, "model-a")
    vectors = {text_key("一、总体情况"): [0.1, -0.2, 1 / 3, 0.0], text_key("二、主动公开"): [1e-3, 2.5, -7.125, 3.0]}
    cache.put(vectors)
    got = cache.get(list(vectors))
    assert set(got) == set(vectors)
    for key, vector in vectors.items():
        assert _close(got[key], vector), (got[key], vector)
    assert got[text_key("二、主动公开")][2:] == [-7.125, 3.0]  # exactly representable values come back exactly
    assert got[text_key("一、总体情况")][0] != 0.1  # float32, not float64: 0.1 is rounded
    cache.close()


def test_vectors_survive_reopening(path: Path) -> None:
    first = VectorCache(path, "model-a")
    first.put({"k": [0.5, 0.25]})
    first.close()
    second = VectorCache(path, "model-a")
    assert second.get(["k"]) == {"k": [0.5, 0.25]}
    second.close()


def test_models_do_not_share_vectors(path: Path) -> None:
    a, b = VectorCache(path, "model-a"), VectorCache(path, "model-b")
    a.put({"k": [1.0, 2.0]})
    assert b.get(["k"]) == {}
    b.put({"k": [3.0]})
    assert a.get(["k"]) == {"k": [1.0, 2.0]}
    assert b.get(["k"]) == {"k": [3.0]}
    a.close()
    b.close()


def test_missing_keys_are_absent(path: Path) -> None:
    cache = VectorCache(path, "m")
    cache.put({"present": [1.0]})
    assert cache.get(["absent", "present", "also-absent"]) == {"present": [1.0]}
    assert cache.get([]) == {}
    assert cache.get(["absent"]) == {}
    cache.close()


def test_put_replaces_a_vector(path: Path) -> None:
    cache = VectorCache(path, "m")
    cache.put({"k": [1.0, 1.0]})
    cache.put({"k": [2.0, 2.0]})
    assert cache.get(["k"]) == {"k": [2.0, 2.0]}
    cache.close()


def test_get_with_more_keys_than_one_sqlite_query_takes(path: Path) -> None:
    rng = random.Random(5)
    cache = VectorCache(path, "m")
    vectors = {text_key(f"text {i}"): [rng.uniform(-1, 1) for _ in range(8)] for i in range(2500)}
    cache.put(vectors)
    asked = list(vectors) + [text_key(f"unknown {i}") for i in range(300)]
    rng.shuffle(asked)
    got = cache.get(asked)
    assert set(got) == set(vectors)
    assert all(_close(got[k], v) for k, v in vectors.items())
    assert len(cache.get(asked[:901])) == sum(k in vectors for k in asked[:901])
    cache.close()


def test_text_key_is_stable_and_distinguishes_texts() -> None:
    assert text_key("一、总体情况") == text_key("一、总体情况")
    assert len(text_key("x")) == 40
    assert text_key("一、总体情况") != text_key("一、总体情况 ")
