"""How Chinese text sounds (toneless pinyin, from the ``pypinyin`` package's bundled data): a question typed with an
input method can carry a homophone for a place name (宿千 for 宿迁). Only this module imports ``pypinyin``."""

from __future__ import annotations

import functools

from pypinyin import lazy_pinyin


@functools.lru_cache(maxsize=65536)
def sound(text: str) -> tuple[str, ...]:
    """The toneless pinyin of each character: 宿迁 → ("su", "qian")."""
    return tuple(lazy_pinyin(text))
