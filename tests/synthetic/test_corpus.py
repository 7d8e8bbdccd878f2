"""synthetic.corpus: agency names, a numbered corpus with its manifest, the same whatever the worker count, and
what ingestion makes of it."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from core.names import agency_keys
from core.settings import Settings
from ingest.loaders import LoadError
from ingest.pipeline import Ingestor, parse_bytes
from synthetic import SHAPES, template_for
from synthetic.corpus import MANIFEST, CorpusFile, agency_names, iter_corpus, read_manifest, write_corpus
from synthetic.truth import DEPARTMENTS, PLACES

PATH = re.compile(r"^(\d{4})/report_(\d{7})(\.[a-z]+)$")
EXT = {"docx": ".docx", "html": ".html"}  # every other shape is a text file


@pytest.fixture(scope="module")
def corpus40() -> list[CorpusFile]:
    return list(iter_corpus(40, seed=1, workers=1))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "c"
    write_corpus(out, 30, seed=1)
    return out


# ------------------------------------------------------------------------------------------------ agency names


def _department(name: str) -> str:
    return max((d for d in DEPARTMENTS if name.endswith(d)), key=len)


def test_agency_names_are_distinct_and_deterministic() -> None:
    names = agency_names(500, seed=3)
    assert len(names) == len(set(names)) == 500
    assert names == agency_names(500, seed=3)
    assert names != agency_names(500, seed=4)
    assert agency_names(100, seed=3) == names[:100]  # a longer list extends a shorter one


def test_the_first_names_are_real_places_and_departments() -> None:
    real = {p + d for p in PLACES for d in DEPARTMENTS}
    names = agency_names(len(real) + 50, seed=1)
    assert set(names[:len(real)]) == real
    assert not set(names[len(real):]) & real
    assert set(agency_names(40, seed=1)) < real


def test_twenty_thousand_generated_names_never_collide() -> None:
    names = agency_names(20000, seed=1)
    assert len(set(names)) == 20000
    real_places = set(PLACES)
    generated: dict[str, set[str]] = defaultdict(set)  # place -> departments
    for name in names:
        department = _department(name)
        place = name[:-len(department)]
        if place not in real_places:
            assert re.fullmatch(r"..[县市区]", place), place
            generated[place].add(department)
    assert len(generated) > 400
    bases = [place[:2] for place in generated]
    assert len(bases) == len(set(bases)), "two generated places share their two-character base"
    taken = {p[:-1] for p in PLACES}
    assert not set(bases) & taken, "a generated place reuses a real place's name with another suffix"
    # and no name is another agency's name under core.names (one a region-prefixed form of the other)
    known = set(names)
    for name in names:
        assert not set(agency_keys(name)[1:]) & known, name


def test_asking_for_more_names_than_can_be_made_fails() -> None:
    with pytest.raises(ValueError, match="at most"):
        agency_names(10**6)


# ------------------------------------------------------------------------------------------------ the corpus


def test_exactly_count_files_numbered_in_order(corpus40: list[CorpusFile]) -> None:
    assert len(corpus40) == 40
    for n, item in enumerate(corpus40):
        m = PATH.match(item.path)
        assert m, item.path
        assert (int(m[1]), int(m[2])) == (n // 1000, n)
        assert item.record["path"] == item.path
        if item.record["expect"] == "report":
            assert m[3] == EXT.get(str(item.record["shape"]), ".txt")
            assert item.rendered.filename.endswith(m[3])


def test_folders_hold_a_thousand_files() -> None:
    from synthetic.corpus import _path

    assert _path(999, "x.txt") == "0000/report_0000999.txt"
    assert _path(1000, "x.docx") == "0001/report_0001000.docx"
    assert _path(1234567, "a.b.html") == "1234/report_1234567.html"


def test_the_corpus_is_the_same_with_two_workers(corpus40: list[CorpusFile]) -> None:
    parallel = list(iter_corpus(40, seed=1, workers=2))
    assert [c.record for c in parallel] == [c.record for c in corpus40]
    assert [c.rendered.data for c in parallel] == [c.rendered.data for c in corpus40]
    assert [c.path for c in parallel] == [c.path for c in corpus40]


def test_each_agency_has_a_run_of_consecutive_years(corpus40: list[CorpusFile]) -> None:
    years: dict[str, list[int]] = defaultdict(list)
    for item in corpus40:
        if item.record["expect"] == "report":
            years[str(item.record["agency"])].append(int(item.record["covers_year"]))
    assert len(years) > 3
    assert any(len(run) > 1 for run in years.values())
    for agency, run in years.items():
        assert len(run) == len(set(run)), f"{agency} has two reports for one year: {run}"
        assert run == list(range(run[0], run[0] + len(run))), f"{agency}: {run}"
        assert run[0] >= 2019 and run[-1] <= 2024


def test_an_agency_s_reports_are_next_to_each_other(corpus40: list[CorpusFile]) -> None:
    order = [item.record["agency"] for item in corpus40 if item.record["expect"] == "report"]
    runs = [a for i, a in enumerate(order) if i == 0 or order[i - 1] != a]
    assert len(runs) == len(set(runs))


def test_templates_and_shapes_vary(corpus40: list[CorpusFile]) -> None:
    reports = [item.record for item in corpus40 if item.record["expect"] == "report"]
    assert {r["template"] for r in reports} == {"2019", "2021"}
    assert len({r["shape"] for r in reports}) >= 4
    assert {r["shape"] for r in reports} <= set(SHAPES)


def test_report_records_say_what_the_report_states(corpus40: list[CorpusFile]) -> None:
    agencies = set(agency_names(40 // 2 + 64, seed=1))
    reports = [item for item in corpus40 if item.record["expect"] == "report"]
    assert len(reports) >= 35
    for item in reports:
        r = item.record
        assert r["agency"] in agencies
        assert isinstance(r["covers_year"], int)
        assert r["template"] == template_for(r["covers_year"])
        assert r["shape"] == item.rendered.shape
        assert isinstance(r["broken"], list)
        cells = r["cells"]
        assert isinstance(cells, dict) and len(cells) > 50
        assert all(isinstance(k, str) and k.count("/") == 2 for k in cells)
        assert all(v is None or re.fullmatch(r"-?\d+(\.\d+)?", v) for v in cells.values())
        assert isinstance(r["narrative"], dict)


def test_damaged_files_are_recorded_as_failed_and_do_not_parse() -> None:
    items = list(iter_corpus(40, seed=2, shapes=("tab",), damaged_rate=1.0))
    assert len(items) == 40
    damaged = [item for item in items if item.record["expect"] == "failed"]
    assert len(damaged) == 20  # before every report
    assert [item.record["expect"] for item in items[:4]] == ["failed", "report", "failed", "report"]
    assert {item.rendered.filename for item in damaged} == {"notice.txt", "empty.txt", "truncated.docx", "binary.txt"}
    for item in damaged:
        assert item.record == {"path": item.path, "expect": "failed", "shape": "damaged"}
        assert item.path.endswith(item.rendered.filename[item.rendered.filename.rindex("."):])
        with pytest.raises(LoadError):
            parse_bytes(Path(item.path).name, item.rendered.data)


def test_no_damaged_files_at_rate_zero() -> None:
    items = list(iter_corpus(30, seed=2, shapes=("tab",), damaged_rate=0.0, broken_rate=0.0))
    assert all(item.record["expect"] == "report" and item.record["broken"] == [] for item in items)


# ------------------------------------------------------------------------------------------------ on disk


def test_write_corpus_writes_files_and_manifest(written: Path, corpus40: list[CorpusFile]) -> None:
    manifest = read_manifest(written)
    assert len(manifest) == 30
    assert len((written / MANIFEST).read_text(encoding="utf-8").splitlines()) == 30
    assert not (written / (MANIFEST + ".part")).exists()
    files = sorted(p.relative_to(written).as_posix() for p in written.rglob("report_*"))
    assert files == sorted(r["path"] for r in manifest)
    # the same as the first 30 of a 40-file corpus: records and bytes
    assert manifest == [c.record for c in corpus40[:30]]
    for item in corpus40[:30]:
        assert (written / item.path).read_bytes() == item.rendered.data


def _ingest(settings: Settings, paths: list[Path], workers: int) -> list:
    ingestor = Ingestor.open(settings)
    try:
        results = list(ingestor.ingest_many(paths, workers=workers, batch=8))
        stored = {r.id: (r.meta.agency, r.meta.covers_year) for r in ingestor.cells.reports()}
        vectors = ingestor.index.report_ids()
    finally:
        ingestor.close()
    return [results, stored, vectors]


def test_ingesting_a_generated_corpus(written: Path, tmp_path: Path) -> None:
    manifest = read_manifest(written)[:25]
    paths = [written / r["path"] for r in manifest]
    assert {r["expect"] for r in manifest} == {"report", "failed"}

    settings = Settings.from_env(env={}, data_dir=tmp_path / "two", embedding_backend="fake")
    results, stored, vectors = _ingest(settings, paths, workers=2)
    # (a stored report's result names its resolved source path, a failed one the path as given)
    assert [Path(r.path).resolve() for r in results] == [p.resolve() for p in paths]
    for record, result in zip(manifest, results, strict=True):
        if record["expect"] == "failed":
            assert result.status == "failed", record
            assert result.report is None and result.reason
            continue
        assert result.status == "added", (record, result.reason)
        meta = result.report.meta
        assert (meta.agency, meta.covers_year, meta.template) == (
            record["agency"], record["covers_year"], record["template"]), record["path"]
        assert stored[result.report.report_id] == (record["agency"], record["covers_year"])
    assert set(stored) == vectors == {r.report.report_id for r in results if r.report is not None}

    one = Settings.from_env(env={}, data_dir=tmp_path / "one", embedding_backend="fake")
    serial, serial_stored, _ = _ingest(one, paths, workers=1)
    assert [r.status for r in serial] == [r.status for r in results]
    assert [r.report.report_id if r.report else None for r in serial] == [
        r.report.report_id if r.report else None for r in results]
    assert serial_stored == stored
