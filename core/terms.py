"""Search terms: jieba tokens, the same at indexing (ingest) and at question time (retrieval).

Measured on the sample reports (docs/embeddings-benchmark.md): BM25 over these tokens beat every bundled dense
model at rank 1, so they are the lexical half of the hybrid search.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

_WORD = re.compile(r"\w")

#: Words that carry no topic in a question ("哪些单位…多少件"); dropped from search queries, kept in documents.
QUESTION_STOPWORDS = frozenset(
    ["的", "了", "和", "与", "及", "或", "在", "是", "有", "没有", "多少", "几", "几个", "哪些", "哪个", "哪家", "哪几个", "什么", "怎么", "怎样", "如何", "吗", "呢", "么", "请", "请问", "情况", "方面", "内容", "一下", "介绍", "说说", "告诉", "我", "你", "我们", "具体", "主要", "哪", "些", "年", "年度", "报告", "年报", "单位", "机关", "部门", "各", "所有", "全部", "分别", "都", "是否", "有没有", "一共", "共", "总共", "其中", "那", "那么", "还", "也", "查", "查询", "给出", "列出", "列举", "显示", "情况如何"]
)


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokens(text: str) -> list[str]:
    """Lower-cased jieba search-mode tokens that contain a word character (punctuation dropped)."""
    return [t.lower() for t in _jieba().lcut_for_search(text) if _WORD.search(t)]


def index_terms(text: str) -> str:
    """The space-joined token string stored in the full-text index."""
    return " ".join(tokens(text))


def query_terms(text: str, drop: frozenset[str] = frozenset()) -> list[str]:
    """Distinct topic tokens of a question, in order: question words, digits-only tokens and ``drop`` removed."""
    out: list[str] = []
    for t in tokens(text):
        if t in QUESTION_STOPWORDS or t in drop or t.isdigit() or t in out:
            continue
        out.append(t)
    return out
