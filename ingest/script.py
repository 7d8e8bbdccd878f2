"""Traditional-character copies (mirror sites, Hong Kong/Taiwan reposts) read as simplified, through OpenCC.

A text is converted only when it is written in traditional characters (enough of its characters change under
t2s); a simplified text is never touched. Mirrors that annotate characters with pinyin ("公開(kāi)") have the
annotations removed first. Only this module imports ``opencc``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import replace

from core.records import Line

# a parenthesised pinyin syllable with a tone mark, as some mirrors insert after characters
_PINYIN_RE = re.compile(r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")
_TRADITIONAL_SHARE = 0.02  # of the Chinese characters: a simplified text changes far fewer


@functools.lru_cache(maxsize=1)
def _converter():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def is_traditional(text: str) -> bool:
    sample = re.sub(r"[^\u4e00-\u9fff]", "", text)[:20000]
    if len(sample) < 20:
        return False
    converted = _converter().convert(sample)
    changed = sum(a != b for a, b in zip(sample, converted))
    return changed >= _TRADITIONAL_SHARE * len(sample)


def to_simplified(lines: Sequence[Line]) -> tuple[tuple[Line, ...], bool]:
    """(lines in simplified characters, whether they were converted)."""
    converted, changed, _ = simplified_with_original(lines)
    return converted, changed


def simplified_with_original(lines: Sequence[Line]) -> tuple[tuple[Line, ...], bool, tuple[str, str]]:
    """(lines in simplified characters, whether they were converted, and when they were: the converted and the
    published text, the same length character for character — a line whose conversion changed its length, which
    t2s all but never does, stands as converted in both). Each line is converted once."""
    text = "\n".join(line.text for line in lines)
    if not is_traditional(text):
        return tuple(lines), False, ("", "")
    convert = _converter().convert
    out, simplified, original = [], [], []
    for line in lines:
        published = _PINYIN_RE.sub("", line.text)
        converted = convert(published)
        out.append(replace(line, text=converted))
        simplified.append(converted)
        original.append(published if len(published) == len(converted) else converted)
    return tuple(out), True, ("\n".join(simplified), "\n".join(original))
