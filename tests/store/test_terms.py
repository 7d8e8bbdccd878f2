"""The term index (store.terms) returns what FTS5 returns: the same chunks, the same BM25 scores to the last bit,
the same order of ties; after removals, replacements, merges, a migration of an older store, a rolled-back write,
and in a second process's view."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import store.terms as terms_module
from core.records import ParsedReport
from ingest.pipeline import parse_path
from store.sqlite import CellStore, fts_tokens
from synthetic.corpus import write_corpus
from tests.golden import REAL, SAMPLES

QUERIES = (["培训"], ["政务公开", "业务", "培训"], ["依申请", "公开"], ["政务", "新媒体"], ["信息", "处理费"],
           ["网站", "公众号", "微博"], ["不存在的词"], ["信息", "信息"], ["2023年"])


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> list[ParsedReport]:
    root = tmp_path_factory.mktemp("terms")
    write_corpus(root, 70, seed=11)
    paths = [*sorted(root.rglob("report_*"))[:70], REAL / "suqian_city_2023.txt", REAL / "suqian_city_2024.txt",
             *sorted(SAMPLES.glob("*.txt"))]
    out = []
    for path in paths:
        try:
            out.append(parse_path(path))
        except Exception:  # noqa: BLE001 - the corpus holds a few files that are not reports
            continue
    assert len(out) > 60
    return out


def _saved(tmp_path: Path, reports: list[ParsedReport], batch: int = 16) -> CellStore:
    """A store written ``batch`` reports per transaction, as ``Ingestor.ingest_many`` writes."""
    s = CellStore(tmp_path / "govqa.sqlite3")
    for start in range(0, len(reports), batch):
        with s.transaction():
            for report in reports[start:start + batch]:
                s.save_report(report, "1")
    return s


def _same_as_fts5(s: CellStore, report_ids: set[str] | None = None, limit: int = 25) -> int:
    """Every query, any/every term, through the term index and through FTS5: identical results. Returns how
    many chunks were compared."""
    compared = 0
    for query in QUERIES:
        tokens = [fts_tokens(t)[0] for t in query]
        for every in (False, True):
            for cut in (limit, 10_000):
                got = s.term_index.search(tokens, report_ids, cut, every)
                want = s._search_fts5(query, report_ids, cut, every)  # noqa: SLF001 - the reference
                assert got == want, (query, every, cut)  # same ids, same order, bit-identical scores
                compared += len(got)
    return compared


def test_the_term_index_returns_exactly_what_fts5_returns(tmp_path: Path, parsed: list[ParsedReport]) -> None:
    s = _saved(tmp_path, parsed)
    assert s.conn.execute("SELECT count(*) FROM term_segments").fetchone()[0] == -(-len(parsed) // 16)
    assert _same_as_fts5(s) > 1000
    some = {r.report_id for r in parsed[::3]}
    assert _same_as_fts5(s, some) > 100
    for token in ("培训", "政务公开", "信息", "不存在的词", "2023年"):
        row = s.conn.execute("SELECT doc FROM chunk_vocab WHERE term = ?", (token,)).fetchone()
        assert s.term_index.df(token) == (row[0] if row else 0)
    assert s.term_index.chunk_count() == s.chunk_count()


def test_searches_inside_a_few_reports_score_exactly_as_fts5(tmp_path: Path, parsed: list[ParsedReport],
                                                              monkeypatch) -> None:
    s = _saved(tmp_path, parsed)
    s.remove_report(parsed[7].report_id)  # statistics with a deleted report awaiting a merge
    few = {r.report_id for r in parsed[::9]}
    asked = [(q, every) for q in (*QUERIES, ["12.5"]) for every in (False, True)]
    narrow = [s.search_terms(q, few, 30, every) for q, every in asked]
    monkeypatch.setattr("store.sqlite.FEW_REPORTS", 0)  # FTS5's own bm25() over the filtered index
    for (query, every), got in zip(asked, narrow, strict=True):
        assert got == s._search_fts5(query, few, 30, every), (query, every)  # noqa: SLF001 - the reference
    assert sum(map(len, narrow)) > 100


def test_a_chunk_without_tokens_counts_as_fts5_counts_it(tmp_path: Path, parsed: list[ParsedReport]) -> None:
    from dataclasses import replace

    report = parsed[0]
    empty = replace(report.chunks[0], terms="", text="——", indexed_text="——")
    s = _saved(tmp_path, [replace(report, chunks=(*report.chunks, replace(empty, ord=99))), *parsed[1:10]])
    assert s.term_index.chunk_count() == s.chunk_count()  # the statistics count it, as FTS5's do
    assert _same_as_fts5(s) > 100


def test_ties_are_broken_by_chunk_id(tmp_path: Path, parsed: list[ParsedReport]) -> None:
    s = _saved(tmp_path, parsed)
    found = s.term_index.search(["信息"], None, 10_000)
    scores = [score for _, score in found]
    assert len(scores) > len(set(scores))  # generated reports repeat sentences: ties exist
    assert found == sorted(found, key=lambda x: (-x[1], x[0]))


def test_removed_and_replaced_reports_leave_the_index_and_merges_purge_them(
        tmp_path: Path, parsed: list[ParsedReport], monkeypatch) -> None:
    monkeypatch.setattr(terms_module, "MERGE_FACTOR", 3)
    monkeypatch.setattr(terms_module, "TIER_BASE", 40)
    s = _saved(tmp_path, parsed, batch=4)
    segments = s.conn.execute("SELECT count(*) FROM term_segments").fetchone()[0]
    assert segments < len(parsed) // 4  # merged as it went
    assert s.conn.execute("SELECT max(tier) FROM term_segments").fetchone()[0] >= 2
    gone = [r.report_id for r in parsed[5:40:3]]
    for rid in gone:
        assert s.remove_report(rid)
    assert s.conn.execute("SELECT count(*) FROM term_deleted").fetchone()[0] > 0
    assert _same_as_fts5(s) > 500
    assert not {cid.split(":")[0] for cid, _ in s.term_index.search(["信息"], None, 10_000)} & set(gone)
    with s.transaction():  # a report replaced by itself: its old chunks deleted, the new ones indexed
        s.save_report(parsed[0], "1", replaces=[parsed[0].report_id])
    assert _same_as_fts5(s) > 500
    dead = s.conn.execute("SELECT count(*) FROM term_deleted").fetchone()[0]
    for _ in range(6):  # more writes: merges drop deleted chunks from the segments they rewrite
        with s.transaction():
            s.save_report(parsed[1], "1", replaces=[parsed[1].report_id])
    assert _same_as_fts5(s) > 500
    assert s.conn.execute("SELECT count(*) FROM term_deleted").fetchone()[0] < dead + 6 * len(parsed[1].chunks)
    held = set()
    for (docs,) in s.conn.execute("SELECT docs FROM term_segments"):
        held |= set(np.frombuffer(docs, "<i4").tolist())
    assert {r[0] for r in s.conn.execute("SELECT doc FROM term_deleted")} <= held  # no tombstone outlives its chunk


def test_merging_everything_keeps_every_posting(tmp_path: Path, parsed: list[ParsedReport], monkeypatch) -> None:
    s = _saved(tmp_path, parsed, batch=2)
    before = {q[0]: s.term_index.search([fts_tokens(q[0])[0]], None, 10_000) for q in QUERIES}
    monkeypatch.setattr(terms_module, "MERGE_FACTOR", 2)
    monkeypatch.setattr(terms_module, "_PAGE", 7)  # many pages per segment while merging
    s.merge_terms()
    assert s.conn.execute("SELECT count(*) FROM term_segments").fetchone()[0] <= 6
    assert {q[0]: s.term_index.search([fts_tokens(q[0])[0]], None, 10_000) for q in QUERIES} == before
    assert _same_as_fts5(s) > 1000


def test_an_older_store_is_indexed_when_it_is_opened(tmp_path: Path, parsed: list[ParsedReport]) -> None:
    s = _saved(tmp_path, parsed)
    want = {q[0]: s._search_fts5(q, None, 50, False) for q in QUERIES}  # noqa: SLF001
    for statement in ("DROP TRIGGER term_docs_delete", "DROP TABLE term_postings", "DROP TABLE term_segments",
                      "DROP TABLE term_deleted", "DROP TABLE term_docs", "DROP TABLE term_meta",
                      "ALTER TABLE reports DROP COLUMN region", "ALTER TABLE reports DROP COLUMN agency_printed",
                      "ALTER TABLE chunks DROP COLUMN original", "DROP TABLE corrections",
                      "PRAGMA user_version = 6"):
        s.conn.execute(statement)
    s.close()
    again = CellStore(tmp_path / "govqa.sqlite3")  # migration 0007 indexes the chunks already there
    assert again.conn.execute("SELECT count(*) FROM term_docs").fetchone()[0] == again.chunk_count()
    assert {q[0]: again.search_terms(q, None, 50) for q in QUERIES} == want
    assert _same_as_fts5(again) > 1000


def test_a_rolled_back_report_is_not_indexed(tmp_path: Path, parsed: list[ParsedReport], monkeypatch) -> None:
    s = CellStore(tmp_path / "govqa.sqlite3")
    victim = parsed[3]
    with s.transaction():
        for report in parsed[:8]:
            try:
                with s.transaction():
                    s.save_report(report, "1")
                    if report is victim:
                        raise RuntimeError("constraint")
            except RuntimeError:
                pass
    indexed = {r[0].split(":")[0] for r in s.conn.execute("SELECT chunk_id FROM term_docs")}
    assert indexed == {r.report_id for r in parsed[:8]} - {victim.report_id}
    assert _same_as_fts5(s) > 100

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(terms_module, "write_segment", fail)  # indexing fails: the whole write is undone
    with pytest.raises(RuntimeError):
        s.save_report(parsed[9], "1")
    assert parsed[9].report_id not in s.report_ids()


def test_another_connection_sees_new_and_removed_reports(tmp_path: Path, parsed: list[ParsedReport]) -> None:
    writer = _saved(tmp_path, parsed[:30])
    reader = CellStore(tmp_path / "govqa.sqlite3")
    assert reader.term_index.search(["信息"], None, 10_000) == writer._search_fts5(["信息"], None, 10_000, False)
    with writer.transaction():
        for report in parsed[30:50]:
            writer.save_report(report, "1")
    writer.remove_report(parsed[0].report_id)
    assert _same_as_fts5(reader) > 500  # the reader refreshed: new segments, the deleted chunks
    assert parsed[0].report_id not in {c.split(":")[0] for c, _ in reader.term_index.search(["信息"], None, 10_000)}


def test_a_read_inside_a_rolled_back_write_is_forgotten(tmp_path: Path, parsed: list[ParsedReport]) -> None:
    s = _saved(tmp_path, parsed[:12])
    victim = parsed[3].report_id
    with pytest.raises(RuntimeError), s.transaction() as conn:
        conn.execute("DELETE FROM reports WHERE id = ?", (victim,))
        assert victim not in {c.split(":")[0] for c, _ in s.search_terms(["信息"], None, 10_000)}
        raise RuntimeError("undo")
    assert victim in s.report_ids()
    assert _same_as_fts5(s) > 100  # the report's chunks count again


def test_tokens_are_the_ones_fts5_makes() -> None:
    import sqlite3

    texts = ["Café au lait", "İstanbul STRASSE straße", "àéîõü ñ ç ø æ œ ß ł đ", "µ ½ ² Ⅻ ｆｕｌｌ", "ờ ǅ Ḁḁ",
             "政务 公开 app APP 12.5 e-mail 2023年"]
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    conn.executemany("INSERT INTO t (rowid, x) VALUES (?, ?)", list(enumerate(texts)))
    for i, text in enumerate(texts):
        assert fts_tokens(text) == [r[0] for r in conn.execute("SELECT term FROM v WHERE doc = ? ORDER BY offset",
                                                                (i,))], text


def test_an_index_read_while_writers_keep_committing_is_still_whole(tmp_path: Path, parsed: list[ParsedReport],
                                                                    monkeypatch) -> None:
    s = _saved(tmp_path, parsed[:12])
    reader = CellStore(tmp_path / "govqa.sqlite3")
    ticks = iter(range(10**6))
    monkeypatch.setattr(type(reader.term_index), "_version_now", lambda self: next(ticks))  # moves on every look
    assert _same_as_fts5(reader) > 100  # no retry saw one version: the last read answers, whole
    assert reader.term_index.chunk_count() == s.chunk_count()
