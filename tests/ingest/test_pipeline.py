"""Ingestion into both stores: idempotence, replacement, removal, atomicity, cross-year checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.template import cell_specs
from ingest.pipeline import Ingestor
from store.sqlite import CellStore
from tests.golden import REAL, SAMPLES


@pytest.fixture
def ingestor(settings):
    ing = Ingestor.open(settings)
    yield ing
    ing.close()


def _table_counts(ing: Ingestor) -> tuple[int, ...]:
    q = ing.cells.conn.execute
    return tuple(q(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("reports", "cells", "findings", "chunks")) + (
        ing.index.count(),)


def test_samples_ingest_into_both_stores(ingestor: Ingestor) -> None:
    results = [ingestor.ingest(p) for p in sorted(SAMPLES.glob("*.txt"))]
    assert [r.status for r in results] == ["added"] * 5
    reports, cells, _, chunks, vectors = _table_counts(ingestor)
    per_template = {t: len([s for s in cell_specs(t) if s.row.key != "other_handling" or t == "2019"])
                    for t in ("2019", "2021")}  # 2021 samples print （六） as three sub-items
    assert per_template == {"2019": 198, "2021": 200}
    assert (reports, cells) == (5, 3 * per_template["2021"] + 2 * per_template["2019"])
    assert chunks == vectors > 0
    assert ingestor.index.report_ids() == ingestor.cells.report_ids()


def test_reingesting_the_same_file_changes_nothing(ingestor: Ingestor) -> None:
    path = sorted(SAMPLES.glob("*.txt"))[0]
    ingestor.ingest(path)
    before = _table_counts(ingestor)
    again = ingestor.ingest(path)
    assert again.status == "unchanged"
    assert _table_counts(ingestor) == before


def test_a_changed_file_replaces_its_old_version(ingestor: Ingestor, tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    shutil.copy(REAL / "suqian_city_2024.txt", path)
    first = ingestor.ingest(path)
    path.write_text(path.read_text(encoding="utf-8").replace("3440     75", "3439     75"), encoding="utf-8")
    second = ingestor.ingest(path)
    assert (first.status, second.status) == ("added", "replaced")
    assert ingestor.cells.report_ids() == {second.report.report_id}
    assert ingestor.index.report_ids() == {second.report.report_id}
    new = {c.key: c for c in ingestor.cells.cells(second.report.report_id)}
    assert str(new[("三", "new_applications", "natural_person")].value) == "3439"
    # the edit breaks the printed row total: the finding is stored, the number is not "fixed"
    assert any(f.relation == "t3_row_total" and f.row == "new_applications"
               for f in ingestor.cells.findings(second.report.report_id))


def test_a_report_can_be_removed_from_both_stores(ingestor: Ingestor) -> None:
    result = ingestor.ingest(REAL / "suqian_city_2023.txt")
    assert ingestor.remove(result.report.report_id)
    assert _table_counts(ingestor) == (0, 0, 0, 0, 0)


def test_a_failure_while_writing_leaves_no_half_written_report(ingestor: Ingestor, monkeypatch) -> None:
    original = CellStore._insert_report

    def crash_after_writing(self, conn, report, version):
        original(self, conn, report, version)  # report, cells, findings and chunks written, not committed
        raise RuntimeError("disk full")

    monkeypatch.setattr(CellStore, "_insert_report", crash_after_writing)
    result = ingestor.ingest(REAL / "suqian_city_2023.txt")
    assert result.status == "failed" and result.reason.startswith("写入数据库失败")
    assert _table_counts(ingestor) == (0, 0, 0, 0, 0)
    assert ingestor.index.report_ids() == set()


def test_one_failed_write_in_a_batch_leaves_the_others_stored(ingestor: Ingestor, monkeypatch) -> None:
    original = CellStore._insert_report
    victim = "suqian_city_2023.txt"

    def crash_on_one(self, conn, report, version):
        original(self, conn, report, version)
        if report.source == victim:
            raise RuntimeError("constraint")

    monkeypatch.setattr(CellStore, "_insert_report", crash_on_one)
    paths = [REAL / "suqian_city_2023.txt", *sorted(SAMPLES.glob("*.txt"))[:2]]
    results = list(ingestor.ingest_many(paths, batch=10))
    assert [r.status for r in results] == ["failed", "added", "added"]
    stored = {r.source for r in ingestor.cells.reports()}
    assert victim not in stored and len(stored) == 2
    assert ingestor.index.report_ids() == ingestor.cells.report_ids()


def test_vectors_left_by_a_crash_are_removed_on_open(settings) -> None:
    ing = Ingestor.open(settings)
    result = ing.ingest(REAL / "suqian_city_2023.txt")
    report_id = result.report.report_id
    # simulate a crash after the vectors were written but before SQLite committed
    ing.cells.conn.execute("DELETE FROM reports WHERE id = ?", (report_id,))
    assert report_id in ing.index.report_ids()
    ing.close()
    reopened = Ingestor.open(settings)
    assert reopened.index.report_ids() == set()
    reopened.close()


def test_vectors_missing_after_a_crash_are_rebuilt_on_open(settings) -> None:
    ing = Ingestor.open(settings)
    result = ing.ingest(REAL / "suqian_city_2023.txt")
    ing.index.delete(result.report.report_id)
    ing.close()
    reopened = Ingestor.open(settings)
    assert reopened.index.report_ids() == {result.report.report_id}
    assert reopened.index.count() == len(result.report.chunks)
    reopened.close()


def test_cross_year_continuity_holds_for_suqian(ingestor: Ingestor) -> None:
    later = ingestor.ingest(REAL / "suqian_city_2024.txt")
    ingestor.ingest(REAL / "suqian_city_2023.txt")
    relations = {f.relation for f in ingestor.cells.findings(later.report.report_id)}
    assert not {r for r in relations if r.startswith("cross_year")}


def test_cross_year_breaks_are_found_in_either_ingest_order(ingestor: Ingestor, tmp_path: Path) -> None:
    text = (REAL / "suqian_city_2024.txt").read_text(encoding="utf-8")
    text = text.replace("二、上年结转政府信息公开申请数量                  118      3     0   0    0     0   121",
                        "二、上年结转政府信息公开申请数量                  118      3     0   0    0     0   120")
    text = text.replace("行政规范性文件     50              227      420", "行政规范性文件     50              227      421")
    broken = tmp_path / "suqian_2024_edited.txt"
    broken.write_text(text, encoding="utf-8")
    later = ingestor.ingest(broken)  # the later year first: its findings appear when 2023 arrives
    earlier = ingestor.ingest(REAL / "suqian_city_2023.txt")
    found = {(f.relation, f.row, f.expected, f.printed, f.other_report)
             for f in ingestor.cells.findings(later.report.report_id) if f.relation.startswith("cross_year")}
    rid = earlier.report.report_id
    assert ("cross_year_carry_over", "carried_over", 121, 120, rid) in found
    assert ("cross_year_in_force", "normative_documents", 420, 421, rid) in found
    ingestor.remove(rid)  # removing the earlier year removes the findings that referred to it
    assert not [f for f in ingestor.cells.findings(later.report.report_id) if f.relation.startswith("cross_year")]


def test_a_corrected_year_is_logged_with_the_printed_one_and_the_checks_across_years_follow(
        ingestor: Ingestor, tmp_path: Path) -> None:
    text = (REAL / "suqian_city_2024.txt").read_text(encoding="utf-8")
    text = text.replace("二、上年结转政府信息公开申请数量                  118      3     0   0    0     0   121",
                        "二、上年结转政府信息公开申请数量                  118      3     0   0    0     0   120")
    broken = tmp_path / "suqian_2024_edited.txt"
    broken.write_text(text, encoding="utf-8")
    later = ingestor.ingest(broken).report.report_id
    earlier = ingestor.ingest(REAL / "suqian_city_2023.txt").report.report_id

    def across() -> set[tuple[str, str | None]]:
        return {(f.relation, f.other_report) for rid in (later, earlier) for f in ingestor.cells.findings(rid)
                if f.relation.startswith("cross_year")}

    assert ("cross_year_carry_over", earlier) in across()
    before = ingestor.cells.generation()
    made = ingestor.correct(later, "宿迁市", 2026, "测试：年份有误")
    assert [(c.field, c.printed, c.corrected, c.basis) for c in made] == [("covers_year", "2024", "2026", "测试：年份有误")]
    stored = ingestor.cells.report(later)
    assert (stored.meta.covers_year, stored.meta.year_basis, stored.meta.agency) == (2026, "correction", "宿迁市")
    assert across() == set() and ingestor.cells.generation() > before  # no 2025 report: nothing to continue from
    assert ingestor.correct(later, "宿迁市", 2026, "同样的值") == []  # nothing changed, nothing logged
    ingestor.correct(later, "宿迁市", 2024, "测试：改回")
    assert ("cross_year_carry_over", earlier) in across()  # its predecessor again
    log = ingestor.cells.corrections_of(later)
    assert [(c.printed, c.corrected) for c in log] == [("2024", "2026"), ("2024", "2024")]  # the printed year stays
    ingestor.remove(later)
    assert ingestor.cells.corrections_of(later) == []


def test_radical_code_points_are_searchable_as_ordinary_characters(ingestor: Ingestor) -> None:
    for path in sorted(SAMPLES.glob("*.txt")):
        ingestor.ingest(path)
    raw_002 = (SAMPLES / "002_27e23139f88dbf53.txt").read_text(encoding="utf-8")
    assert "人民" not in raw_002 and "⼈⺠" in raw_002  # printed only with radical code points
    rows = ingestor.cells.conn.execute(
        "SELECT DISTINCT r.source FROM chunks c JOIN reports r ON r.id = c.report_id WHERE c.text LIKE '%人民%'")
    assert "002_27e23139f88dbf53.txt" in {r[0] for r in rows}
    hits = {cid.split(":")[0] for cid, _ in ingestor.cells.search_terms(["人民"], limit=500)}  # the BM25 index
    assert {r.id for r in ingestor.cells.reports() if r.source == "002_27e23139f88dbf53.txt"} <= hits
    rows = ingestor.cells.conn.execute(
        "SELECT DISTINCT r.source FROM chunks c JOIN reports r ON r.id = c.report_id WHERE c.text LIKE '%部门%'")
    assert {"000_7061442731bc0513.txt", "002_27e23139f88dbf53.txt"} <= {r[0] for r in rows}  # printed 部⻔


def test_a_report_before_the_2019_template_is_kept_with_what_it_holds() -> None:
    from ingest.pipeline import parse_bytes

    text = "某某县人民政府2017年政府信息公开工作年度报告\n一、概述\n2017年，我县……。\n二、主动公开政府信息情况\n全年主动公开信息1200条。"
    report = parse_bytes("old.txt", text.encode())
    assert (report.meta.agency, report.meta.covers_year, report.meta.template) == ("某某县人民政府", 2017, "pre-2019")
    assert report.cells == () and any("2019年模板" in w for w in report.warnings) and report.chunks


def test_a_copy_cut_before_its_tables_is_kept_and_says_so() -> None:
    from ingest.pipeline import parse_bytes

    report = parse_bytes("cut.txt", "某某局2022年政府信息公开工作年度报告\n一、总体情况\n2022年，我局……".encode())
    assert (report.meta.template, report.meta.template_basis) == ("2021", "covers_year")
    assert any("未找到统计表格" in w for w in report.warnings)


def test_a_text_that_is_not_a_report_is_refused_naming_the_missing_signs() -> None:
    import pytest

    from ingest.loaders import LoadError
    from ingest.pipeline import parse_bytes

    with pytest.raises(LoadError) as err:
        parse_bytes("news.txt", "我局召开政务公开工作推进会\n会议强调，要持续深化政务公开。".encode())
    assert "没有报告标题" in err.value.reason and "统计表格" in err.value.reason
