"""The synthetic generator: truths that keep the template's relations, and files shaped like real inputs."""

from __future__ import annotations

import codecs
import io
import random
import re
import time
import unicodedata
from decimal import Decimal

import docx
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from core.template import cell_specs
from synthetic import (
    SHAPES,
    TEXT_SHAPES,
    ReportTruth,
    check,
    iter_reports,
    make_truth,
    relations,
    render,
    supports_blanks,
)
from synthetic.render import RADICAL_SUPPLEMENT
from synthetic.truth import NARRATIVE_CELLS, T3_COLS, split, template_for

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
TEMPLATES = st.sampled_from(("2019", "2021"))
FAST = settings(max_examples=150, deadline=None)
_UNSUPPLEMENT = str.maketrans({v: k for k, v in RADICAL_SUPPLEMENT.items()})
HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


# ------------------------------------------------------------------------------------------------ helpers


def decode(data: bytes) -> str:
    """What a parser must do: BOM, else UTF-8, else GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def plain(text: str) -> str:
    """Radicals mapped back, NFKC, no spaces: for comparing labels."""
    return unicodedata.normalize("NFKC", text.translate(_UNSUPPLEMENT)).replace(" ", "")


def report_text(data: bytes, shape: str) -> str:
    if shape == "docx":
        document = docx.Document(io.BytesIO(data))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if shape == "html":
        return BeautifulSoup(data, "lxml").get_text("\n")
    return decode(data)


def t3_values(truth: ReportTruth) -> list[list[str]]:
    return [["" if (v := truth.cells[("三", r, c)]) is None else str(v) for c in T3_COLS] for r in truth.t3_rows()]


def between(text: str, start: str, end: str) -> list[str]:
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if start in plain(line))
    last = next(i for i, line in enumerate(lines) if i > first and end in plain(line))
    return lines[first:last]


def is_value(field: str) -> bool:
    return field == "" or re.fullmatch(r"-?\d+(\.\d+)?", field) is not None


# ------------------------------------------------------------------------------------------------ truth


@FAST
@given(seed=SEEDS, template=TEMPLATES, blanks=st.booleans())
def test_truth_has_every_catalogue_cell(seed: int, template: str, blanks: bool) -> None:
    truth = make_truth(random.Random(seed), template=template, blanks=blanks)
    specs = {s.key: s for s in cell_specs(template)}
    assert set(truth.cells) == set(specs)
    for key, value in truth.cells.items():
        if value is None:
            assert blanks or not truth.is_printed(key), key
            continue
        assert isinstance(value, Decimal)
        assert value >= 0 or specs[key].signed, (key, value)
        assert value == value.to_integral_value() or specs[key].decimal, (key, value)
    assert truth.template == template_for(truth.covers_year)


@FAST
@given(seed=SEEDS, template=TEMPLATES, blanks=st.booleans())
def test_relations_hold_unless_broken(seed: int, template: str, blanks: bool) -> None:
    truth = make_truth(random.Random(seed), template=template, blanks=blanks)
    assert truth.broken == ()
    assert check(truth) == ()
    for name, value in truth.narrative.items():
        if name in NARRATIVE_CELLS:
            assert value == sum(truth.number(k) for k in NARRATIVE_CELLS[name])


@FAST
@given(seed=SEEDS, template=TEMPLATES, blanks=st.booleans())
def test_broken_names_exactly_what_fails(seed: int, template: str, blanks: bool) -> None:
    truth = make_truth(random.Random(seed), template=template, broken=True, blanks=blanks)
    assert truth.broken == check(truth)
    assert 1 <= len(truth.broken) <= 2
    known = {r.id for r in relations(truth.template, truth.other_handling_form)} | {
        f"narrative:{n}" for n in NARRATIVE_CELLS
    }
    assert set(truth.broken) <= known


def test_relation_catalogue_has_the_template_relations() -> None:
    ids = [r.id for r in relations("2021", "items")]
    assert len(ids) == 25 + 7 + 7 + 3 == len(set(ids))  # 25 printed 表三 rows with the three （六） items
    assert "t3_row_total:new_applications" in ids and "t4_total:review" in ids and "t3_balance:total" in ids
    assert len(relations("2019", "single")) == 23 + 7 + 7 + 3


@given(total=st.integers(0, 100_000), weights=st.lists(st.floats(0.0, 5.0), min_size=1, max_size=25), seed=SEEDS)
def test_split_keeps_the_total(total: int, weights: list[float], seed: int) -> None:
    parts = split(random.Random(seed), total, tuple(weights), p_drop=0.3)
    assert sum(parts) == total and min(parts) >= 0 and len(parts) == len(weights)


def test_year_decides_template() -> None:
    rng = random.Random(1)
    assert [make_truth(rng, year=y).template for y in range(2019, 2025)] == ["2019", "2019"] + ["2021"] * 4
    assert {make_truth(rng, template="2019").covers_year for _ in range(40)} == {2019, 2020}
    with pytest.raises(ValueError):
        make_truth(rng, year=2022, template="2019")


def test_other_handling_forms() -> None:
    rng = random.Random(2)
    truths = [make_truth(rng, template="2021") for _ in range(200)]
    assert {t.other_handling_form for t in truths} == {"items", "single"}
    assert {make_truth(rng, template="2019").other_handling_form for _ in range(20)} == {"single"}
    for truth in truths:
        hidden = [k for k in truth.cells if not truth.is_printed(k)]
        assert len(hidden) == (7 if truth.other_handling_form == "items" else 21)
        assert all(truth.cells[k] is None for k in hidden)


def test_previous_continues_the_year_before() -> None:
    for seed in range(30):
        rng = random.Random(seed)
        chain = [make_truth(rng, year=2019, blanks=seed % 2 == 0)]
        for _ in range(5):
            chain.append(make_truth(rng, previous=chain[-1], blanks=seed % 3 == 0))
        for before, after in zip(chain, chain[1:]):
            assert (after.agency, after.covers_year) == (before.agency, before.covers_year + 1)
            for c in T3_COLS:
                assert after.number(("三", "carried_over", c)) == before.number(("三", "carried_forward", c))
            _assert_t2_continuity(before, after)


def _assert_t2_continuity(before: ReportTruth, after: ReportTruth) -> None:
    for row in ("rules", "normative_documents"):
        if before.template == after.template == "2021":
            expected = (
                before.number(("二", row, "in_force"))
                + after.number(("二", row, "issued"))
                - after.number(("二", row, "repealed"))
            )
            assert after.number(("二", row, "in_force")) == expected
        if before.template == after.template == "2019":
            expected = before.number(("二", row, "total_published")) + after.number(("二", row, "newly_published"))
            assert after.number(("二", row, "total_published")) == expected
    if before.template == after.template == "2019":
        for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
            expected = before.number(("二", row, "previous_items")) + before.number(("二", row, "change"))
            assert after.number(("二", row, "previous_items")) == expected


def test_magnitudes_look_real() -> None:
    rng = random.Random(3)
    truths = [make_truth(rng) for _ in range(600)]
    new = [t.number(("三", "new_applications", "total")) for t in truths]
    assert sum(n == 0 for n in new) > 60 and max(new) > 1000
    decisions = [t.number(k) for t in truths for k in t.cells if k[2] == "decisions"]
    assert max(decisions) > 1_000_000 and sum(d == 0 for d in decisions) > 100
    fees = [v for t in truths for k, v in t.cells.items() if k[2] in ("fee_amount", "procurement_amount") and v]
    assert any(-v.as_tuple().exponent >= 4 for v in fees) and any(v == v.to_integral_value() for v in fees)
    changes = [t.number(k) for t in truths for k in t.cells if k[2] == "change"]
    assert min(changes) < 0 < max(changes)


def test_blanks_are_few_and_mean_zero() -> None:
    rng = random.Random(4)
    truths = [make_truth(rng, blanks=True) for _ in range(200)]
    assert sum(bool(t.blank_keys) for t in truths) > 180
    assert all(len(t.blank_keys) <= 20 for t in truths)
    assert not any(make_truth(rng).blank_keys for _ in range(100))


# ------------------------------------------------------------------------------------------------ rendering


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("shape", [s for s in SHAPES if s != "web_truncated"])  # a cut-off copy: test_shapes.py
def test_every_shape_renders_a_full_report(shape: str, template: str) -> None:
    for seed in range(4):
        truth = make_truth(random.Random(seed), template=template, broken=seed == 3)
        rendered = render(truth, shape, random.Random(seed))
        assert rendered.shape == shape
        assert rendered.filename.endswith({"docx": ".docx", "html": ".html"}.get(shape, ".txt"))
        text = plain(report_text(rendered.data, shape))
        titles = (f"{truth.agency}{truth.covers_year}年政府信息公开工作年度报告",
                  f"{truth.covers_year}年{truth.agency}政府信息公开工作年度报告")  # year first: spaced OCR titles
        assert any(plain(t) in text.replace("\n", "") for t in titles)
        positions = [text.index(plain(h)) for h in HEADINGS]
        assert positions == sorted(positions)
        assert "行政复议" in text and plain(truth.agency) in text[positions[-1] :]
        assert re.search(rf"({truth.covers_year + 1}年1月\d+日|年一月)", text)
        for name, value in truth.narrative.items():
            assert value == 0 or f"{value}" in text, (name, value)


@pytest.mark.parametrize("shape", TEXT_SHAPES)
def test_text_shapes_print_every_value(shape: str) -> None:
    """Each 表三 row's seven values appear as one run of tokens (or one digit string when flattened)."""
    for seed in range(20):
        truth = make_truth(random.Random(seed))
        text = unicodedata.normalize("NFKC", decode(render(truth, shape, random.Random(seed)).data))
        lines = [re.split(r"[\s|]+", line.strip(" |")) for line in text.splitlines()]
        for values in t3_values(truth):
            if shape == "flattened":
                assert any(line.endswith("".join(values)) for line in text.splitlines())
            else:
                assert any(_contains_run(tokens, values) for tokens in lines), values


def _contains_run(tokens: list[str], run: list[str]) -> bool:
    return any(tokens[i : i + len(run)] == run for i in range(len(tokens) - len(run) + 1))


@FAST
@given(seed=SEEDS, template=TEMPLATES, blanks=st.booleans())
def test_tab_rows_end_with_the_values(seed: int, template: str, blanks: bool) -> None:
    truth = make_truth(random.Random(seed), template=template, blanks=blanks)
    text = decode(render(truth, "tab", random.Random(seed)).data)
    rows = [line.split("\t") for line in between(text, "申请人情况", "行政复议") if line.count("\t") >= 7]
    rows = [
        f[:-1] if f[-1] == "" and not truth.blank_keys else f for f in rows if "申请人情况" not in plain("".join(f))
    ]
    data = [f[-7:] for f in rows if all(is_value(x) for x in f[-7:]) and not all(x == "" for x in f[-7:])]
    assert data == t3_values(truth)


@FAST
@given(seed=SEEDS, template=TEMPLATES, blanks=st.booleans())
def test_pipe_rows_end_with_the_values(seed: int, template: str, blanks: bool) -> None:
    truth = make_truth(random.Random(seed), template=template, blanks=blanks)
    text = decode(render(truth, "pipe_ocr", random.Random(seed)).data)
    rows = [[f.strip() for f in line.strip().strip("|").split("|")] for line in between(text, "申请人情况", "行政复议")]
    rows = [f for f in rows if len(f) == 10 and not set("".join(f)) <= set("-") and all(is_value(x) for x in f[-7:])]
    assert [f[-7:] for f in rows if any(f[:3])] == t3_values(truth)


@FAST
@given(seed=SEEDS, template=TEMPLATES)
def test_flattened_rows_have_no_separators(seed: int, template: str) -> None:
    truth = make_truth(random.Random(seed), template=template)
    raw = decode(render(truth, "flattened", random.Random(seed)).data).splitlines()
    for row, values in zip(truth.t3_rows(), t3_values(truth)):
        digits = "".join(values)
        assert any(re.search(rf"(?<![\d\s|]){digits}$", line) for line in raw), (row, digits)
    assert "".join(str(truth.number(("四", "cases", c))) for c in _t4_columns()) in raw
    rows = [line for line in raw if "数量" in line or "总计" in line or "处理" in line]
    assert rows and not any(re.search(r"\d[\s|]+\d", line) for line in rows)


def _t4_columns() -> list[str]:
    return [s.column.key for s in cell_specs("2021") if s.table == "四"]


def test_docx_opens_with_the_tables() -> None:
    for seed in range(3):
        truth = make_truth(random.Random(seed), template=("2019", "2021")[seed % 2], blanks=True)
        document = docx.Document(io.BytesIO(render(truth, "docx", random.Random(seed)).data))
        assert len(document.tables) == 3
        t3 = document.tables[1]
        assert [[c.text for c in row.cells][-7:] for row in t3.rows[3:]] == t3_values(truth)
        t4 = [c.text for c in document.tables[2].rows[3].cells]
        assert t4 == ["" if (v := truth.cells[("四", "cases", c)]) is None else str(v) for c in _t4_columns()]


def test_html_parses_with_the_tables() -> None:
    for seed in range(12):
        truth = make_truth(random.Random(seed), blanks=seed % 2 == 0)
        soup = BeautifulSoup(render(truth, "html", random.Random(seed)).data, "lxml")
        tables = soup.find_all("table")
        assert len(tables) == 3 and soup.title is not None
        rows = [[td.get_text().strip() for td in tr.find_all(["td", "th"])][-7:] for tr in tables[1].find_all("tr")[3:]]
        assert rows == t3_values(truth)


@pytest.mark.parametrize("shape", SHAPES)
def test_rendering_is_deterministic(shape: str) -> None:
    truth = make_truth(random.Random(5), blanks=supports_blanks(shape))
    first, second = render(truth, shape, random.Random(9)), render(truth, shape, random.Random(9))
    assert first == second
    assert render(truth, shape, random.Random(10)).data != first.data


def test_blanks_refused_where_they_cannot_be_seen() -> None:
    truth = make_truth(random.Random(6), blanks=True)
    assert truth.blank_keys
    for shape in SHAPES:
        if supports_blanks(shape):
            render(truth, shape, random.Random(0))
        else:
            with pytest.raises(ValueError):
                render(truth, shape, random.Random(0))
    assert {s for s in SHAPES if not supports_blanks(s)} == {"space", "layout", "flattened", "web_oneline",
                                                             "cell_per_line", "web_truncated"}


def test_text_noise_shows_up_across_reports() -> None:
    rng = random.Random(7)
    seen: dict[str, int] = dict.fromkeys(("kangxi", "supplement", "page", "gb18030", "bom", "utf8", "formfeed"), 0)
    for i in range(300):
        data = render(make_truth(rng), TEXT_SHAPES[i % 5], rng).data
        text = decode(data)
        seen["kangxi"] += bool(re.search("[\u2f00-\u2fd5]", text))
        seen["supplement"] += any(ch in text for ch in RADICAL_SUPPLEMENT.values())
        seen["page"] += bool(re.search(r"^(-\s?\d+\s?-|\d+/\d+|第\s?\d+\s?页.*)$", text, re.M))
        seen["formfeed"] += "\f" in text
        seen["bom"] += data.startswith(codecs.BOM_UTF8)
        seen["gb18030"] += not data.startswith(codecs.BOM_UTF8) and _not_utf8(data)
        seen["utf8"] += not data.startswith(codecs.BOM_UTF8) and not _not_utf8(data)
    assert all(n > 5 for n in seen.values()), seen
    assert seen["utf8"] > seen["gb18030"]


def _not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def test_noise_never_touches_numbers() -> None:
    """Radicals and OCR typos change CJK characters only: the raw text (not normalised) keeps every number."""
    for seed in range(40):
        truth = make_truth(random.Random(seed))
        shape = ("pipe_ocr", "space", "layout")[seed % 3]
        text = decode(render(truth, shape, random.Random(seed)).data)
        tokens = [re.split(r"[\s|]+", line.strip(" |")) for line in text.splitlines()]
        assert all(any(_contains_run(t, values) for t in tokens) for values in t3_values(truth))
        assert all(f"{v}" in text for v in truth.narrative.values() if v)
        assert not re.search("[０-９]", text)


def test_iter_reports_numbers_files_and_chains_years() -> None:
    reports = list(iter_reports(11, 60, SHAPES[:5] + ("html",)))
    assert [r.filename.split(".")[0] for _, r in reports] == [f"synthetic_{i:06d}" for i in range(60)]
    pairs = list(zip(reports, reports[1:]))
    chained = [(a, b) for (a, _), (b, _) in pairs if b.agency == a.agency and b.covers_year == a.covers_year + 1]
    assert chained
    for a, b in chained:
        assert b.number(("三", "carried_over", "total")) == a.number(("三", "carried_forward", "total"))


def test_text_render_rate() -> None:
    rng = random.Random(8)
    truths = [make_truth(rng, broken=i % 10 == 0) for i in range(200)]
    start = time.perf_counter()
    for i in range(1000):
        render(truths[i % 200], TEXT_SHAPES[i % 5], rng)
    elapsed = time.perf_counter() - start
    print(f"\n1000 text renders in {elapsed:.2f} s: {1000 / elapsed:.0f} reports/s")


def test_score_damage_reports_unflagged_and_shifted_cells() -> None:
    from dataclasses import replace

    from ingest.pipeline import parse_bytes
    from synthetic import render
    from synthetic.score import score_damage

    rng = random.Random(7)
    truth = make_truth(rng)
    parsed = parse_bytes("clean.txt", render(truth, "tab", rng).data)
    damaged = next(k for k, v in truth.cells.items() if k[0] == "三" and v is not None)
    clean = score_damage(parsed, truth, [damaged])
    assert clean.unflagged == (damaged,) and clean.wrong_elsewhere == ()  # a clean parse reads the "damaged" cell
    other = next(c for c in parsed.cells if c.key != damaged and c.status == "ok")
    shifted = replace(parsed, cells=tuple(replace(c, value=c.value + 1) if c is other else c for c in parsed.cells))
    assert score_damage(shifted, truth, [damaged]).wrong_elsewhere == (other.key,)
