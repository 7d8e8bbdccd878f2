"""The cell store on a real PostgreSQL server (tests/postgres.py): the same SQL code as SQLite, the same answers."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.eval import CORPUS, load_gold, run_assistant, source_texts
from core.settings import Settings
from ingest.pipeline import Ingestor, expand_paths, parse_path
from retrieval.assistant import Assistant
from store.db import PostgresDatabase, pg_sql
from store.sqlite import CellStore
from tests.golden import REAL, SAMPLES
from tests.postgres import fresh_database

_names = (f"t{i}" for i in itertools.count())


@pytest.fixture
def database_url(postgres_url: str) -> str:
    return fresh_database(postgres_url, next(_names))


@pytest.fixture
def pg_store(database_url: str) -> Iterator[CellStore]:
    store = CellStore(database=PostgresDatabase(database_url))
    yield store
    store.close()


def _reports() -> list:
    paths = [REAL / "suqian_city_2023.txt", REAL / "suqian_city_2024.txt", *sorted(SAMPLES.glob("*.txt"))]
    return [parse_path(p) for p in paths]


def test_sql_is_respelled_for_postgresql() -> None:
    assert pg_sql("SELECT * FROM t WHERE a = ? AND b LIKE 'x%' AND c IN (SELECT value FROM json_each(?))") == (
        "SELECT * FROM t WHERE a = %s AND b LIKE 'x%%' AND c IN "
        "(SELECT value FROM json_array_elements_text(%s::json))")
    assert pg_sql("BEGIN IMMEDIATE") == "BEGIN"


def test_the_same_reports_read_back_the_same_from_both_databases(pg_store: CellStore, tmp_path: Path) -> None:
    lite = CellStore(tmp_path / "lite.sqlite3")
    for report in _reports():
        for store in (lite, pg_store):
            store.save_report(report, "1")
    assert [r.id for r in pg_store.reports()] == [r.id for r in lite.reports()]
    assert pg_store.report_ids() == lite.report_ids() and len(lite.report_ids()) == 7
    for rid in lite.report_ids():
        assert sorted(pg_store.cells(rid), key=lambda c: c.key) == sorted(lite.cells(rid), key=lambda c: c.key)
        assert pg_store.findings(rid) == lite.findings(rid)
        assert pg_store.chunks(rid) == lite.chunks(rid)
        assert pg_store.counts(rid) == lite.counts(rid)
    suqian = [r for r in lite.reports() if r.meta.agency == "宿迁市"]
    assert [r.id for r in pg_store.same_agency("宿迁市", (2023, 2024))] == [r.id for r in suqian] and len(suqian) == 2
    assert pg_store.find(suqian[0].id[:8]) == lite.find(suqian[0].id[:8])
    assert pg_store.find("suqian_city_2024.txt")[0].meta.covers_year == 2024
    assert pg_store.chunk_count() == lite.chunk_count()
    for term in ("培训", "政务公开", "信息", "不存在的词"):
        assert pg_store.term_docs(term) == lite.term_docs(term)
    # removing a report removes its cells, chunks and names (ON DELETE CASCADE), in PostgreSQL too
    assert pg_store.remove_report(suqian[0].id) and suqian[0].id not in pg_store.report_ids()
    assert pg_store.cells(suqian[0].id) == [] and pg_store.chunks(suqian[0].id) == []
    assert [r.id for r in pg_store.same_agency("宿迁市", (2023, 2024))] == [suqian[1].id]


def test_a_correction_is_applied_and_logged_the_same_in_both_databases(pg_store: CellStore, tmp_path: Path) -> None:
    lite = CellStore(tmp_path / "lite.sqlite3")
    report = parse_path(REAL / "suqian_city_2023.txt")
    logs = []
    for store in (lite, pg_store):
        store.save_report(report, "1")
        store.correct_report(report.report_id, "宿迁市", 2022, "测试：年份有误", lambda: [])
        store.correct_report(report.report_id, "宿迁市人民政府", 2021, "测试：再改", lambda: [])
        stored = store.report(report.report_id)
        assert (stored.meta.agency, stored.meta.covers_year, stored.meta.agency_basis) == ("宿迁市人民政府", 2021,
                                                                                          "correction")
        assert [r.id for r in store.same_agency("宿迁市人民政府", (2021,))] == [report.report_id]
        logs.append([(c.field, c.printed, c.corrected) for c in store.corrections_of(report.report_id)])
    assert logs[0] == logs[1] == [("covers_year", "2023", "2022"), ("agency", "宿迁市", "宿迁市人民政府"),
                                  ("covers_year", "2023", "2021")]
    lite.close()


def test_lexical_search_finds_the_same_best_passages(pg_store: CellStore, tmp_path: Path) -> None:
    lite = CellStore(tmp_path / "lite.sqlite3")
    for report in _reports():
        for store in (lite, pg_store):
            store.save_report(report, "1")
    together = 0
    for terms in (["培训"], ["依申请", "公开"], ["政务", "新媒体"], ["信息", "处理费"], ["2023", "年"]):
        pg, sq = dict(pg_store.search_terms(terms, None, 10)), dict(lite.search_terms(terms, None, 10))
        assert pg and sq, terms
        # the same BM25: every chunk both return scores the same, and the best score is the same
        assert max(pg.values()) == pytest.approx(max(sq.values()), rel=1e-9), terms
        for cid in pg.keys() & sq.keys():
            assert pg[cid] == pytest.approx(sq[cid], rel=1e-9), (terms, cid)
        assert len(pg.keys() & sq.keys()) >= 8, terms  # ties at the cut may differ
        one = next(iter(pg)).split(":")[0]
        assert {cid.split(":")[0] for cid, _ in pg_store.search_terms(terms, {one}, 5)} == {one}
        every_pg = dict(pg_store.search_terms(terms, None, 100, every=True))
        every_sq = dict(lite.search_terms(terms, None, 100, every=True))
        assert every_pg.keys() == every_sq.keys(), terms  # the chunks holding every term
        together += len(every_sq) if len(terms) > 1 else 0
        assert all(every_pg[cid] == pytest.approx(every_sq[cid], rel=1e-9) for cid in every_pg), terms
    assert together  # some chunks hold both words of a pair


def test_a_failed_write_leaves_nothing_in_postgresql(pg_store: CellStore, monkeypatch) -> None:
    report = _reports()[0]
    original = CellStore._insert_report

    def crash(self, conn, r, version):
        original(self, conn, r, version)
        raise RuntimeError("disk full")

    monkeypatch.setattr(CellStore, "_insert_report", crash)
    with pytest.raises(RuntimeError):
        pg_store.save_report(report, "1")
    assert pg_store.report_ids() == set() and pg_store.chunk_count() == 0


def test_the_schema_is_made_once_and_a_newer_one_is_refused(database_url: str) -> None:
    first = CellStore(database=PostgresDatabase(database_url))
    second = CellStore(database=PostgresDatabase(database_url))  # already migrated: nothing to do
    assert second._version() == first._version()
    first.conn.execute("INSERT INTO govqa_schema VALUES (999)")
    with pytest.raises(RuntimeError, match="比程序新"):
        CellStore(database=PostgresDatabase(database_url))
    first.close()
    second.close()


def test_a_wrong_server_gives_a_chinese_error_without_the_password() -> None:
    with pytest.raises(RuntimeError, match="无法连接 PostgreSQL") as err:
        PostgresDatabase("postgresql://govqa:secret@127.0.0.1:1/none?connect_timeout=3")
    assert "secret" not in str(err.value)


def test_the_app_answers_the_gold_set_from_postgresql(database_url: str, tmp_path: Path) -> None:
    settings = Settings.from_env(env={}, data_dir=tmp_path / "data", embedding_backend="fake",
                                 database_url=database_url)
    ingestor = Ingestor.open(settings)
    results = list(ingestor.ingest_many(list(expand_paths(list(CORPUS))), batch=4))
    assert all(r.status == "added" for r in results), [r.reason for r in results]
    ingestor.close()
    assert not (tmp_path / "data" / "govqa.sqlite3").exists()  # the cells went to the server
    assistant = Assistant.open(settings)
    summary = run_assistant(assistant, load_gold(), source_texts())
    failed = [f"{i.id}:{i.detail}" for i in summary.items if not i.ok]
    assert all(i.ok for i in summary.items if i.numeric), failed
    assert all(i.ok for i in summary.items), failed  # the same bar as on SQLite (tests/retrieval/test_eval.py)
    assistant.close()


def test_the_term_index_on_postgresql_returns_what_fts5_returns(pg_store: CellStore, tmp_path: Path,
                                                                 monkeypatch) -> None:
    monkeypatch.setattr("store.terms.MERGE_FACTOR", 2)
    monkeypatch.setattr("store.terms.TIER_BASE", 5)
    lite = CellStore(tmp_path / "lite.sqlite3")
    for report in _reports():
        for store in (lite, pg_store):
            store.save_report(report, "1")  # one segment each, merged two at a time
    removed = _reports()[2].report_id
    for store in (lite, pg_store):
        assert store.remove_report(removed)
    assert pg_store.conn.execute("SELECT count(*) FROM term_segments").fetchone()[0] < 7
    for terms in (["培训"], ["依申请", "公开"], ["政务", "新媒体"], ["信息", "处理费"], ["网站", "公众号", "微博"]):
        tokens = [t.lower() for t in terms]
        for every in (False, True):
            want = lite._search_fts5(terms, None, 10_000, every)  # noqa: SLF001 - the reference
            assert pg_store.term_index.search(tokens, None, 10_000, every) == want, (terms, every)
            assert pg_store.search_terms(terms, None, 30, every) == want[:30]
        assert pg_store.term_docs(terms[0]) == lite.term_docs(terms[0])
