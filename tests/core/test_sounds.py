"""core.sounds: how text sounds, for homophones typed in questions."""

from __future__ import annotations

from core.sounds import sound


def test_homophones_sound_alike_and_other_words_do_not() -> None:
    assert sound("宿千") == sound("宿迁") == ("su", "qian")
    assert sound("沭阳") != sound("沐阳")  # a glyph confusion, not a homophone: the gazetteer repairs those
