from __future__ import annotations

import pytest

from core.numbers import chinese_int


@pytest.mark.parametrize("text, value", [
    ("十", 10), ("三十", 30), ("二十五", 25), ("五百", 500), ("一千", 1000), ("一千二", 1200), ("两万", 20000),
    ("四百万", 4_000_000), ("亿", 100_000_000), ("一亿二千万", 120_000_000), ("3千", 3000), ("五", 5),
])
def test_chinese_numerals(text: str, value: int) -> None:
    assert chinese_int(text) == value


@pytest.mark.parametrize("text", ["", "三十件", "abc"])
def test_not_a_number(text: str) -> None:
    assert chinese_int(text) is None
