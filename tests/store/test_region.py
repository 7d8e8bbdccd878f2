"""The agency's place in the gazetteer and its printed name are stored with the report and read back."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import parse_path
from store.sqlite import CellStore
from tests.golden import REAL


def test_region_and_printed_name_round_trip(tmp_path: Path) -> None:
    store = CellStore(tmp_path / "govqa.sqlite3")
    for name in ("hongze_district_2024.pdf", "shuyang_county_2025.txt"):
        store.save_report(parse_path(REAL / name), "1")
    by_agency = {r.meta.agency: r.meta for r in store.reports()}
    assert by_agency["淮安市洪泽区人民政府"].region == ("江苏省", "淮安市", "洪泽区")
    assert by_agency["淮安市洪泽区人民政府"].agency_printed is None
    assert by_agency["沭阳县人民政府"].region == ("江苏省", "宿迁市", "沭阳县")
    assert by_agency["沭阳县人民政府"].agency_printed == "沐阳县人民政府"
    store.close()


def test_a_store_from_before_the_region_column_is_migrated(tmp_path: Path) -> None:
    store = CellStore(tmp_path / "govqa.sqlite3")
    store.save_report(parse_path(REAL / "suqian_city_2023.txt"), "1")
    store.conn.execute("ALTER TABLE reports DROP COLUMN region")
    store.conn.execute("ALTER TABLE reports DROP COLUMN agency_printed")
    store.conn.execute("ALTER TABLE chunks DROP COLUMN original")  # migration 0009's
    store.conn.execute("DROP TABLE corrections")  # migration 0010's
    store.conn.execute("PRAGMA user_version = 7")
    store.close()
    again = CellStore(tmp_path / "govqa.sqlite3")
    (report,) = again.reports()
    assert report.meta.region == () and report.meta.agency == "宿迁市"  # kept; re-ingesting fills the region
    again.close()


def test_a_store_from_before_chunk_originals_is_migrated(tmp_path: Path) -> None:
    store = CellStore(tmp_path / "govqa.sqlite3")
    store.save_report(parse_path(REAL / "suqian_city_2023.txt"), "1")
    store.conn.execute("ALTER TABLE chunks DROP COLUMN original")
    store.conn.execute("DROP TABLE corrections")
    store.conn.execute("PRAGMA user_version = 8")
    store.close()
    again = CellStore(tmp_path / "govqa.sqlite3")
    (report,) = again.reports()
    chunks = again.chunks(report.id)
    assert chunks and all(chunk.original is None for _, chunk in chunks)
    assert again.corrections_of(report.id) == []  # migration 0010 made the corrections table
    again.close()


def test_the_printed_name_of_a_repaired_agency_finds_its_report(tmp_path: Path) -> None:
    store = CellStore(tmp_path / "govqa.sqlite3")
    store.save_report(parse_path(REAL / "shuyang_county_2025.txt"), "1")
    assert [r.meta.covers_year for r in store.same_agency("沐阳县人民政府", (2025, 2025))] == [2025]
    assert [r.meta.covers_year for r in store.same_agency("沭阳县人民政府", (2025, 2025))] == [2025]
    store.close()
