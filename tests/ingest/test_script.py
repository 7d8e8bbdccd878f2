"""Traditional-character copies read as the simplified original (OpenCC t2s)."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest

from ingest.pipeline import parse_bytes

REAL = Path(__file__).resolve().parents[1] / "data" / "real"


@pytest.mark.parametrize("name", ["suqian_city_2024.txt", "pingtan_2021.txt", "shanghai_govoffice_2019.txt"])
def test_a_traditional_copy_of_a_real_report_gives_the_same_metadata_and_cells(name: str) -> None:
    text = (REAL / name).read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(text)
    assert traditional != text
    want = parse_bytes(name, text.encode("utf-8"))
    got = parse_bytes("trad_" + name, traditional.encode("utf-8"))
    assert (got.meta.agency, got.meta.covers_year, got.meta.template) == \
        (want.meta.agency, want.meta.covers_year, want.meta.template)
    assert {c.key: (c.status, c.value) for c in got.cells} == {c.key: (c.status, c.value) for c in want.cells}
    assert "原文为繁体字，已转换为简体后读取" in got.warnings and "原文为繁体字，已转换为简体后读取" not in want.warnings


def test_a_simplified_report_is_never_converted() -> None:
    from core.records import Line
    from ingest.script import to_simplified

    lines = tuple(Line(t, i + 1) for i, t in enumerate((REAL / "suqian_city_2024.txt").read_text("utf-8").split("\n")))
    assert to_simplified(lines) == (lines, False)


def test_chunks_of_a_traditional_copy_keep_the_characters_it_printed() -> None:
    text = (REAL / "pingtan_2021.txt").read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(text)
    got = parse_bytes("trad.txt", traditional.encode("utf-8"))
    want = parse_bytes("pingtan_2021.txt", text.encode("utf-8"))
    assert all(c.original is None for c in want.chunks)
    published = "".join(traditional.split())
    kept = [c for c in got.chunks if c.original]
    assert len(kept) >= 0.9 * len(got.chunks)
    t2s = opencc.OpenCC("t2s").convert
    for chunk in kept:
        assert len(chunk.original) == len(chunk.text)  # type: ignore[arg-type]
        assert t2s(chunk.original) == chunk.text
        assert "".join(chunk.original.split()) in published  # type: ignore[union-attr]
