"""Search terms: jieba tokens, the same at indexing (ingest) and at question time (retrieval).

Measured on the sample reports (docs/embeddings-benchmark.md): BM25 over these tokens beat every bundled dense
model at rank 1, so they are the lexical half of the hybrid search.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

_WORD = re.compile(r"\w")
_HOW_MANY = re.compile(r"^(?:几|多少)\w?$")  # 几条, 多少件: the question's unit, not its topic

#: Words that carry no topic in a question ("哪些单位…多少件"); dropped from search queries, kept in documents.
QUESTION_STOPWORDS = frozenset(
    ["的", "了", "和", "与", "及", "或", "在", "是", "有", "没有", "多少", "几", "几个", "哪些", "哪个", "哪家", "哪几个", "什么", "怎么", "怎样", "如何", "吗", "呢", "么", "请", "请问", "情况", "方面", "内容", "一下", "介绍", "说说", "告诉", "我", "你", "我们", "具体", "主要", "哪", "些", "年", "年度", "报告", "年报", "单位", "机关", "部门", "各", "所有", "全部", "分别", "都", "是否", "有没有", "一共", "共", "总共", "其中", "那", "那么", "还", "也", "查", "查询", "给出", "列出", "列举", "显示", "情况如何",
     # asking words: how/what was done, where it is said
     "哪几", "几种", "哪几种", "哪种", "通过", "用", "自己", "说", "说了", "提到", "提及", "写", "写了", "写到", "谈到",
     "讲到", "里", "中", "这份", "该", "怎么样", "得", "做法", "特色", "亮点", "举措", "经验", "创新", "重点",
     "抓", "抓了", "做", "做了", "的话", "至", "到", "期间", "之间", "去年", "今年", "前年", "本年", "上年", "钱",
     "多少钱", "个", "条", "件", "次", "场", "期", "份", "项", "人", "名", "家", "元", "篇",
     # colloquial filler: "搞了什么新办法", "列了哪些", "那个…来着"
     "搞", "搞了", "列", "列了", "来着", "那个", "这个", "上", "弄", "弄了",
     # where the question says the answer is written: "正文怎么说", "表格里"
     "正文", "文中", "表格", "表里", "表中", "讲", "讲的", "说的", "怎么说", "各", "又",
     "啥", "有啥", "是啥", "咋", "咋样", "哪方面", "哪些方面",
     # time and place words of a conversation: "后来怎么处理的", "那年", "出了多少期", "那边"
     "后来", "那年", "这年", "当年", "出", "出了", "那边", "这边", "全年", "一年", "整年", "年内", "本年度", "一年到头",
     # the arithmetic asked of the numbers, and the count nouns that ask for one: "信息条数…比差了多少条"
     "各自", "比", "差", "差了", "相差", "多出", "对比", "相比", "同比", "环比", "增减", "条数", "件数", "个数", "次数", "篇数",
     "期数", "总数", "数目", "加", "加上", "占", "占了", "占到",
     # pointing and emphasis in speech: "那些申请里", "那种…的", "一个劲儿地"
     "那些", "这些", "那种", "这种", "那类", "这类", "一个劲", "一个劲儿", "劲儿",
     "块", "那块", "这块", "一块", "那一块", "这一块", "来", "着", "个", "因为", "由于",
     "以后", "之后", "出去", "出来", "过去", "要", "走", "需要", "得要",
     "之类", "之类的", "什么的", "不了", "人家", "咱们", "咱", "压根", "压根儿", "根本", "拿", "拿去", "去"]
)


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokens(text: str) -> list[str]:
    """Lower-cased jieba search-mode tokens that contain a word character (punctuation dropped)."""
    return [t.lower() for t in _jieba().lcut_for_search(text) if _WORD.search(t)]


def is_word(token: str) -> bool:
    """Is the token in jieba's dictionary (not a piece glued together by its new-word guessing)?"""
    return bool(_jieba().dt.FREQ.get(token))


def dictionary_words(text: str) -> list[str]:
    """``text`` cut into dictionary words only (no new-word guessing): "往外发" → 往外, 发."""
    return [t.lower() for t in _jieba().lcut(text, HMM=False) if _WORD.search(t)]


def index_terms(text: str) -> str:
    """The space-joined token string stored in the full-text index."""
    return " ".join(tokens(text))


_FUNCTION_TAGS = frozenset({"p", "r", "d", "c", "u", "y", "e", "o"})  # 把/给 谁 都 并 了 吗 …: no topic


@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    import jieba.posseg

    _jieba()
    return jieba.posseg.dt.word_tag_tab


def is_function_word(token: str) -> bool:
    """A one-character preposition, pronoun, adverb, conjunction or particle (jieba's dictionary tags): "把", "给",
    "谁", "都" say how a question is put, not what it asks about."""
    return len(token) == 1 and _tags().get(token) in _FUNCTION_TAGS


def query_terms(text: str, drop: frozenset[str] = frozenset()) -> list[str]:
    """Distinct topic tokens of a question, in order: question words, function words, digits-only tokens and
    ``drop`` removed."""
    out: list[str] = []
    for t in tokens(text):
        if t in QUESTION_STOPWORDS or t in drop or t.isdigit() or t in out or _HOW_MANY.match(t) \
                or is_function_word(t):
            continue
        out.append(t)
    return out
