"""The cell store: reports, cells, findings, narrative facts and chunks. The source of truth.

One SQL code path for SQLite (a file, the default) and PostgreSQL (``Settings.database_url``): the queries are
written once (``store.db`` adapts their spelling); only the schema's types and the full-text index differ by
dialect (SQLite: FTS5 with its BM25; PostgreSQL: a ``tsvector`` with a GIN index that finds the chunks, scored here
with the same BM25 so both databases rank alike).

Chroma holds vectors derived from the ``chunks`` table and is reconciled against it, so a crash between the two
stores never leaves a half-written report visible: a report exists exactly when its row here is committed, and one
report is written in one transaction. Schema changes are ordered, named migrations, per dialect, kept in step.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from core.names import agency_keys
from core.records import Cell, Chunk, Finding, NarrativeFact, ParsedReport, ReportMeta
from store import corrections, terms
from store.db import Database, SqliteDatabase, connect
from store.terms import BM25_B, BM25_K1
from store.terms import idf as terms_idf

if TYPE_CHECKING:
    from core.settings import Settings

log = logging.getLogger(__name__)

_REGION_COLUMNS = """
    ALTER TABLE reports ADD COLUMN region TEXT NOT NULL DEFAULT '';
    ALTER TABLE reports ADD COLUMN agency_printed TEXT;
    """
_ORIGINAL_COLUMN = "ALTER TABLE chunks ADD COLUMN original TEXT;"
MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("0001_initial", """
    CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        source_path TEXT NOT NULL,
        content_hash TEXT NOT NULL UNIQUE,
        text_hash TEXT NOT NULL,
        file_type TEXT NOT NULL,
        agency TEXT,
        agency_basis TEXT NOT NULL,
        covers_year INTEGER,
        year_basis TEXT NOT NULL,
        template TEXT,
        template_basis TEXT NOT NULL,
        title TEXT,
        pages INTEGER,
        encoding TEXT,
        warnings TEXT NOT NULL,
        parser_version TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX reports_source_path ON reports(source_path);
    CREATE INDEX reports_text_hash ON reports(text_hash);
    CREATE INDEX reports_agency_year ON reports(agency, covers_year);
    CREATE TABLE cells (
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        tbl TEXT NOT NULL,
        row_key TEXT NOT NULL,
        col_key TEXT NOT NULL,
        value TEXT,
        value_num REAL,
        status TEXT NOT NULL,
        candidates TEXT NOT NULL,
        row_label TEXT NOT NULL,
        column_label TEXT NOT NULL,
        page INTEGER,
        line INTEGER,
        raw TEXT NOT NULL,
        note TEXT NOT NULL,
        PRIMARY KEY (report_id, tbl, row_key, col_key)
    );
    CREATE INDEX cells_by_key ON cells(tbl, row_key, col_key);
    CREATE TABLE findings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        relation TEXT NOT NULL,
        tbl TEXT NOT NULL,
        row_key TEXT NOT NULL,
        col_key TEXT NOT NULL,
        expected TEXT,
        printed TEXT,
        cells TEXT NOT NULL,
        message TEXT NOT NULL,
        other_report TEXT REFERENCES reports(id) ON DELETE CASCADE,
        quote TEXT NOT NULL
    );
    CREATE INDEX findings_by_report ON findings(report_id);
    CREATE TABLE narrative (
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        quote TEXT NOT NULL,
        line INTEGER NOT NULL
    );
    CREATE TABLE chunks (
        id TEXT PRIMARY KEY,
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        section_no INTEGER NOT NULL,
        section_title TEXT NOT NULL,
        text TEXT NOT NULL,
        indexed_text TEXT NOT NULL,
        line_start INTEGER NOT NULL,
        line_end INTEGER NOT NULL,
        page_start INTEGER,
        page_end INTEGER
    );
    CREATE INDEX chunks_by_report ON chunks(report_id);
    """),
    # Full-text index of the chunks' jieba tokens (BM25 through FTS5); its rowid is the chunk's rowid.
    ("0002_chunk_terms", """
    CREATE VIRTUAL TABLE chunk_terms USING fts5(terms, chunk_id UNINDEXED, report_id UNINDEXED);
    CREATE TRIGGER chunks_delete_terms AFTER DELETE ON chunks BEGIN
        DELETE FROM chunk_terms WHERE rowid = old.rowid;
    END;
    """),
    # Every name an agency goes by (core.names.agency_keys), so a report's other years are found by equality.
    ("0003_report_names", """
    CREATE TABLE report_names (
        name TEXT NOT NULL,
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        printed INTEGER NOT NULL
    );
    CREATE INDEX report_names_by_name ON report_names(name);
    CREATE INDEX report_names_by_report ON report_names(report_id);
    CREATE INDEX reports_by_year ON reports(covers_year);
    """),
    # Document frequency of each term straight from the full-text index (no scan of the matching chunks).
    ("0004_chunk_vocab", """
    CREATE VIRTUAL TABLE chunk_vocab USING fts5vocab(chunk_terms, 'row');
    """),
    # A counter every write moves on, so readers (other processes, other app servers) notice new reports cheaply.
    ("0005_changes", """
    CREATE TABLE store_changes (n INTEGER NOT NULL);
    INSERT INTO store_changes VALUES (0);
    """),
    # One measure over every report (a list over a year or the whole corpus) is read from this index alone: one
    # key's entries lie together and carry what a list needs, so no table row is fetched. It replaces the index
    # on the key alone (a prefix of it).
    ("0006_cell_values", """
    CREATE INDEX cell_values ON cells(tbl, row_key, col_key, report_id, value, status);
    DROP INDEX cells_by_key;
    """),
    # The term index (store.terms): BM25 over postings arrays, for searches across many reports.
    ("0007_term_index", terms.SQLITE_SCHEMA),
    # The agency's place in the gazetteer ("江苏省/淮安市/洪泽区") and its printed name when a place was repaired.
    ("0008_report_region", _REGION_COLUMNS),
    # A chunk converted from traditional characters keeps the characters the report printed, for quotes.
    ("0009_chunk_original", _ORIGINAL_COLUMN),
    # Staff corrections of a report's agency or year, with what was read and the basis given (store.corrections).
    ("0010_corrections", corrections.SCHEMA),
)
SCHEMA_VERSION = len(MIGRATIONS)

#: The same tables on PostgreSQL, migration for migration. Chunks carry their tokens and a tsvector of them.
PG_MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("0001_initial", MIGRATIONS[0][1]
     .replace("id INTEGER PRIMARY KEY AUTOINCREMENT", "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
     .replace("value_num REAL", "value_num DOUBLE PRECISION")
     .replace("        page_end INTEGER\n    );", "        page_end INTEGER,\n        terms TEXT NOT NULL DEFAULT '',\n"
              "        n_tokens INTEGER NOT NULL DEFAULT 0,\n"
              "        terms_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED\n    );")
     + "CREATE INDEX chunks_terms ON chunks USING GIN (terms_tsv);"),
    ("0002_chunk_terms", "SELECT 1"),  # the tsvector is part of chunks from the start
    MIGRATIONS[2],
    ("0004_chunk_vocab", "SELECT 1"),  # document frequencies come from the GIN index
    MIGRATIONS[4],
    MIGRATIONS[5],
    ("0007_term_index", terms.PG_SCHEMA),
    ("0008_report_region", _REGION_COLUMNS),
    ("0009_chunk_original", _ORIGINAL_COLUMN),
    ("0010_corrections", corrections.SCHEMA),
)
assert len(PG_MIGRATIONS) == SCHEMA_VERSION


@dataclass(frozen=True)
class StoredReport:
    id: str
    source: str
    source_path: str
    content_hash: str
    file_type: str
    meta: ReportMeta
    pages: int | None
    warnings: tuple[str, ...]
    ingested_at: str


_TOKEN = re.compile(r"[^\W_]+")


def fts_tokens(text: str) -> list[str]:
    """Tokens as FTS5's unicode61 tokenizer makes them: runs of letters and digits, lower-cased, Latin letters
    without their diacritics (Café → cafe, as remove_diacritics=1 does)."""
    if _LATIN.search(text):
        text = _LATIN.sub(_plain, text)
    return _TOKEN.findall(text.lower())


_LATIN = re.compile("[\u00b5\u00c0-\u024f\u1e00-\u1eff]")  # micro sign, Latin-1 Supplement, Extended-A/B, Additional


def _plain(match: re.Match[str]) -> str:
    """A Latin letter without its diacritic (é → e, İ → I), as FTS5 folds it: a letter of one base and one
    diacritic; others (ờ: two marks; ø, ß: none) as they are; µ (micro) is Greek μ."""
    letter = match.group()
    if letter == "µ":
        return "μ"
    parts = unicodedata.normalize("NFD", letter)
    return parts[0] if len(parts) == 2 and unicodedata.combining(parts[1]) else letter


def bm25(tokens: Sequence[str], phrases: Sequence[tuple[str, ...]], idf: dict[tuple[str, ...], float],
         avgdl: float) -> float:
    """FTS5's bm25() for one document (positive, higher is better), in its order of operations, so the same to
    the last bit: Σ over the query's phrases (each as often as it is asked) of idf × (tf(k1+1) / (tf + k1(1 − b +
    b·dl/avgdl)))."""
    score = 0.0
    length = float(len(tokens))
    for phrase in phrases:
        k = len(phrase)
        tf = float(sum(1 for i in range(len(tokens) - k + 1) if tuple(tokens[i:i + k]) == phrase) if k > 1 else
                   tokens.count(phrase[0]))
        score += idf[phrase] * ((tf * (BM25_K1 + 1.0)) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * length / avgdl)))
    return score


FEW_REPORTS = 64  # up to this many reports, a lexical search looks inside each report's chunks


def chunk_id(report_id: str, ordinal: int) -> str:
    return f"{report_id}:{ordinal:04d}"


class CellStore:
    """The SQLite adapter. One connection per store object; use from one thread at a time."""

    def __init__(self, path: Path | None = None, database: Database | None = None):
        """The SQLite file at ``path``, or an open ``database`` (see :meth:`open` for PostgreSQL)."""
        if database is None:
            if path is None:
                raise ValueError("CellStore needs a path or a database")
            database = SqliteDatabase(path)
        self.path = path
        self.conn = database
        self.dialect = database.dialect
        self._depth = 0  # transaction nesting (savepoints)
        self._pending: list[terms.TermDoc] = []  # chunks written in the open transaction, indexed at its commit
        self._merge_due = False  # a commit added a segment: merge before the next write (or on close)
        self.term_index = terms.TermIndex(database)
        self._migrate()

    @classmethod
    def open(cls, settings: Settings) -> CellStore:
        """The store the settings name: PostgreSQL when ``database_url`` is set, else the SQLite file."""
        if settings.database_url:
            return cls(database=connect(settings.sqlite_path, settings.database_url))
        return cls(settings.sqlite_path)

    def _version(self) -> int:
        if self.dialect == "sqlite":
            return int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        self.conn.execute("CREATE TABLE IF NOT EXISTS govqa_schema (version INTEGER NOT NULL)")
        row = self.conn.execute("SELECT max(version) FROM govqa_schema").fetchone()
        return int(row[0] or 0)

    def _migrate(self) -> None:
        version = self._version()
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"数据库版本（{version}）比程序新（{SCHEMA_VERSION}），请升级程序")
        if version == SCHEMA_VERSION:
            return
        migrations = MIGRATIONS if self.dialect == "sqlite" else PG_MIGRATIONS
        with self.transaction():
            if self.dialect == "postgresql":  # several app servers may start at once: one migrates
                self.conn.execute("SELECT pg_advisory_xact_lock(7061442)")
                version = self._version()
            for number, (_, sql) in enumerate(migrations[version:], start=version + 1):
                for statement in _statements(sql):
                    self.conn.execute(statement)
                if number == 2 and self.dialect == "sqlite":
                    self._fill_chunk_terms()
                if number == 3:
                    for row in self.conn.execute("SELECT id, agency FROM reports").fetchall():
                        self._insert_names(self.conn, row[0], row[1])
                if number == 7:
                    terms.fill(self.conn, self._stored_terms())
                if self.dialect == "sqlite":
                    self.conn.execute(f"PRAGMA user_version = {number}")
                else:
                    self.conn.execute("INSERT INTO govqa_schema VALUES (?)", (number,))

    def _fill_chunk_terms(self) -> None:
        """Migration 0002 on a store written before it: index the chunks already there."""
        from core.terms import index_terms

        rows = self.conn.execute("SELECT rowid, id, report_id, indexed_text FROM chunks").fetchall()
        self.conn.executemany("INSERT INTO chunk_terms (rowid, terms, chunk_id, report_id) VALUES (?,?,?,?)",
                              [(r[0], index_terms(r[3]), r[1], r[2]) for r in rows])

    def _stored_terms(self) -> Iterator[tuple[str, str, int, Sequence[str]]]:
        """Every stored chunk's index tokens, in chunk id order (a report's chunks together), a page at a time."""
        after = ""
        while True:
            # only the columns migration 0007 has (this runs inside it): not the whole chunk row
            sql = ("SELECT c.id, c.report_id, c.ord, t.terms AS terms FROM chunks c LEFT JOIN chunk_terms t ON "
                   "t.rowid = c.rowid" if self.dialect == "sqlite" else "SELECT c.id, c.report_id, c.ord, c.terms FROM chunks c")
            page = self.conn.execute(sql + " WHERE c.id > ? ORDER BY c.id LIMIT 5000", (after,)).fetchall()
            for r in page:
                yield r["id"], r["report_id"], int(r["ord"]), fts_tokens(r["terms"] or "")
            if len(page) < 5000:
                return
            after = page[-1]["id"]

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One transaction; nested inside another it is a savepoint (undone alone on an error). The chunks it
        wrote are indexed (store.terms) just before it commits. Merges of the index's segments that a commit made
        due run at the start of the next transaction, so nothing after a commit can fail the write it ended."""
        if self._depth:
            name = f"sp{self._depth}"
            self.conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            mark = len(self._pending)
            try:
                yield self.conn
            except BaseException:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                del self._pending[mark:]
                self.term_index.invalidate()  # it may have read what was undone
                raise
            finally:
                self._depth -= 1
            self.conn.execute(f"RELEASE {name}")
            return
        if self._merge_due:
            self._merge_due = False
            self.merge_terms()
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
            indexed = terms.write_segment(self.conn, self._pending)
        except BaseException:
            self.conn.execute("ROLLBACK")
            self.term_index.invalidate()
            raise
        finally:
            self._depth = 0
            self._pending = []
        self.conn.execute("COMMIT")
        self._merge_due = self._merge_due or bool(indexed)

    def merge_terms(self) -> None:
        """Merge the term index's segments while a tier is full (each merge one transaction). A failed merge
        leaves the index as it was (correct, only in more pieces), so it is logged, not raised."""
        try:
            while True:
                with self.transaction() as conn:
                    if self.dialect == "postgresql":  # app servers and ingest runs may write at once
                        conn.execute("SELECT pg_advisory_xact_lock(7061443)")
                    due = terms.due_merge(conn)
                    if due:
                        terms.merge(conn, due)
                if not due:
                    return
        except Exception:  # noqa: BLE001 - the index stays valid; the next write tries again
            log.warning("合并全文索引分段失败", exc_info=True)

    def close(self) -> None:
        if self._merge_due:  # the last write's merges, before the connection goes
            self._merge_due = False
            self.merge_terms()
        self.conn.close()

    # ------------------------------------------------------------------------------------------- writing

    def save_report(self, report: ParsedReport, parser_version: str, replaces: Sequence[str] = (),
                    cross_findings: Sequence[tuple[str, Finding]] = ()) -> None:
        """Insert one report (cells, findings, narrative, chunks) and drop the versions it replaces, atomically.
        ``cross_findings`` are (report id, finding) pairs across years, for this report or its neighbours."""
        with self.transaction() as conn:
            conn.execute("UPDATE store_changes SET n = n + 1")
            for old in replaces:
                conn.execute("DELETE FROM reports WHERE id = ?", (old,))
            self._insert_report(conn, report, parser_version)
            touched = {rid for rid, _ in cross_findings} | {report.report_id}
            for rid in touched:
                conn.execute("DELETE FROM findings WHERE report_id = ? AND relation LIKE 'cross_year%'", (rid,))
            for rid, finding in cross_findings:
                _insert_finding(conn, rid, finding)

    def _insert_report(self, conn: Database, r: ParsedReport, parser_version: str) -> None:
        m = r.meta
        conn.execute(
            "INSERT INTO reports (id, source, source_path, content_hash, text_hash, file_type, agency, agency_basis, "
            "covers_year, year_basis, template, template_basis, title, pages, encoding, warnings, parser_version, "
            "ingested_at, region, agency_printed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (r.report_id, r.source, r.source_path, r.content_hash, r.text_hash, r.file_type, m.agency, m.agency_basis,
             m.covers_year, m.year_basis, m.template, m.template_basis, m.title, r.pages, r.encoding,
             json.dumps(list(r.warnings), ensure_ascii=False), parser_version,
             datetime.now(UTC).isoformat(timespec="seconds"), "/".join(m.region), m.agency_printed),
        )
        self._insert_names(conn, r.report_id, m.agency)
        if m.agency_printed and m.agency_printed != m.agency:  # the name as printed finds the report too
            conn.executemany("INSERT INTO report_names VALUES (?,?,?)",
                             [(k, r.report_id, 0) for k in agency_keys(m.agency_printed)])
        conn.executemany("INSERT INTO cells VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         [_cell_row(r.report_id, c) for c in r.cells])
        for finding in r.findings:
            _insert_finding(conn, r.report_id, finding)
        conn.executemany("INSERT INTO narrative VALUES (?,?,?,?,?)",
                         [(r.report_id, f.kind, str(f.value), f.quote, f.line) for f in r.narrative])
        if self.dialect == "sqlite":
            conn.executemany(f"INSERT INTO chunks ({_CHUNK_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                             [_chunk_row(r.report_id, c) for c in r.chunks])
            conn.executemany(
                "INSERT INTO chunk_terms (rowid, terms, chunk_id, report_id) "
                "SELECT rowid, ?, id, report_id FROM chunks WHERE id = ?",
                [(c.terms, chunk_id(r.report_id, c.ord)) for c in r.chunks])
        else:
            conn.executemany(f"INSERT INTO chunks ({_CHUNK_COLUMNS}, terms, n_tokens) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                             [(*_chunk_row(r.report_id, c), c.terms, len(fts_tokens(c.terms))) for c in r.chunks])
        self._pending += [terms.term_doc(chunk_id(r.report_id, c.ord), r.report_id, c.ord, fts_tokens(c.terms))
                          for c in r.chunks]

    @staticmethod
    def _insert_names(conn: Database, report_id: str, agency: str | None) -> None:
        if agency:
            conn.executemany("INSERT INTO report_names VALUES (?,?,?)",
                             [(k, report_id, int(i == 0)) for i, k in enumerate(agency_keys(agency))])

    def correct_report(self, report_id: str, agency: str, covers_year: int, basis: str,
                       cross_findings: Callable[[], Sequence[tuple[str, Finding]]]) -> list[corrections.Correction]:
        """Correct a report's agency and year (logged with the values read and ``basis``), atomically: its names,
        and its findings across years, dropped in both directions and replaced by ``cross_findings()`` (called
        once the report stands corrected)."""
        with self.transaction() as conn:
            stored = self.report(report_id)
            if stored is None:
                return []
            current = {"agency": stored.meta.agency,
                       "covers_year": str(stored.meta.covers_year) if stored.meta.covers_year else None}
            made = corrections.apply(conn, report_id, current, {"agency": agency, "covers_year": str(covers_year)},
                                     basis)
            if not made:
                return []
            conn.execute("UPDATE store_changes SET n = n + 1")
            conn.execute("DELETE FROM report_names WHERE report_id = ?", (report_id,))
            self._insert_names(conn, report_id, agency)
            conn.execute("DELETE FROM findings WHERE relation LIKE 'cross_year%' AND (report_id = ? OR other_report = ?)",
                         (report_id, report_id))
            pairs = cross_findings()
            for rid in {rid for rid, _ in pairs}:
                conn.execute("DELETE FROM findings WHERE report_id = ? AND relation LIKE 'cross_year%'", (rid,))
            for rid, finding in pairs:
                _insert_finding(conn, rid, finding)
            return made

    def corrections_of(self, report_id: str) -> list[corrections.Correction]:
        return corrections.corrections(self.conn, report_id)

    def remove_report(self, report_id: str) -> bool:
        with self.transaction() as conn:
            conn.execute("UPDATE store_changes SET n = n + 1")
            return conn.execute("DELETE FROM reports WHERE id = ?", (report_id,)).rowcount > 0

    # ------------------------------------------------------------------------------------------- reading

    def report(self, report_id: str) -> StoredReport | None:
        row = self.conn.execute("SELECT * FROM reports WHERE id = ?", (report_id,)).fetchone()
        return _stored(row) if row else None

    def reports(self) -> list[StoredReport]:
        rows = self.conn.execute("SELECT * FROM reports ORDER BY agency, covers_year, source").fetchall()
        return [_stored(r) for r in rows]

    def by_hash(self, content_hash: str) -> StoredReport | None:
        row = self.conn.execute("SELECT * FROM reports WHERE content_hash = ?", (content_hash,)).fetchone()
        return _stored(row) if row else None

    def by_text_hash(self, text_hash: str) -> StoredReport | None:
        row = self.conn.execute("SELECT * FROM reports WHERE text_hash = ?", (text_hash,)).fetchone()
        return _stored(row) if row else None

    def same_agency(self, agency: str, years: Collection[int]) -> list[StoredReport]:
        """Reports of this agency (under any of its names, see core.names.same_agency) covering ``years``."""
        keys = agency_keys(agency)
        if not keys:
            return []
        rows = self.conn.execute(
            "SELECT * FROM reports WHERE covers_year IN (SELECT CAST(value AS INTEGER) FROM json_each(?)) AND id IN ("
            "SELECT report_id FROM report_names WHERE name = ? OR (printed = 1 AND name IN "
            "(SELECT value FROM json_each(?)))) ORDER BY covers_year, id",
            (json.dumps(sorted(years)), keys[0], json.dumps(list(keys)))).fetchall()
        return [_stored(r) for r in rows]

    def by_source_path(self, source_path: str) -> list[StoredReport]:
        rows = self.conn.execute("SELECT * FROM reports WHERE source_path = ?", (source_path,)).fetchall()
        return [_stored(r) for r in rows]

    def find(self, ref: str) -> list[StoredReport]:
        """Reports matching an id, an id prefix (≥ 6 chars), a file name or a path."""
        prefix = ref + "%" if re.fullmatch(r"[0-9a-f]{6,}", ref) else ""  # an id prefix (hex: nothing to escape)
        rows = self.conn.execute("SELECT * FROM reports WHERE id = ? OR id LIKE ? OR source = ? OR source_path = ?",
                                 (ref, prefix, ref, ref)).fetchall()
        return [_stored(r) for r in rows]

    def cells(self, report_id: str) -> list[Cell]:
        rows = self.conn.execute("SELECT * FROM cells WHERE report_id = ?", (report_id,)).fetchall()
        return [_cell(r) for r in rows]

    def findings(self, report_id: str) -> list[Finding]:
        rows = self.conn.execute("SELECT * FROM findings WHERE report_id = ? ORDER BY id", (report_id,)).fetchall()
        return [_finding(r) for r in rows]

    def narrative(self, report_id: str) -> list[NarrativeFact]:
        """The counts the report's narrative states, in the order they were read."""
        rows = self.conn.execute("SELECT kind, value, quote, line FROM narrative WHERE report_id = ? ORDER BY line",
                                 (report_id,)).fetchall()
        return [NarrativeFact(r["kind"], Decimal(r["value"]), r["quote"], r["line"]) for r in rows]

    def chunks(self, report_id: str) -> list[tuple[str, Chunk]]:
        rows = self.conn.execute(self._chunks_sql + " WHERE c.report_id = ? ORDER BY c.ord", (report_id,)).fetchall()
        return [(r["id"], _chunk(r)) for r in rows]

    @property
    def _chunks_sql(self) -> str:
        return _CHUNKS if self.dialect == "sqlite" else f"SELECT {_CHUNK_COLUMNS}, terms FROM chunks c"

    def chunks_by_id(self, ids: Sequence[str]) -> dict[str, tuple[str, Chunk]]:
        """{chunk id: (report id, chunk)} for the ids that exist."""
        rows = self.conn.execute(self._chunks_sql + " WHERE c.id IN (SELECT value FROM json_each(?))",
                                 (json.dumps(list(ids)),)).fetchall()
        return {r["id"]: (r["report_id"], _chunk(r)) for r in rows}

    def search_terms(self, terms: Sequence[str], report_ids: Collection[str] | None = None,
                     limit: int = 20, every: bool = False) -> list[tuple[str, float]]:
        """BM25 (FTS5's) over the chunks' tokens: [(chunk id, score)], best first, ties by chunk id; score > 0,
        higher is better. A chunk matches when it contains any of the terms (``every``: all of them; the scores
        are the same); ``report_ids`` restricts the search. Across many reports the term index answers
        (store.terms); inside a few reports, or for a term of several tokens (a phrase), FTS5 (SQLite) or the
        tsvector (PostgreSQL) does, with the same scores."""
        if not terms:
            return []
        tokens = [fts_tokens(t) for t in terms]
        if (report_ids is None or len(report_ids) > FEW_REPORTS) and all(len(t) == 1 for t in tokens):
            # across many reports: the term index, which scores the same BM25 in a few array operations
            return self.term_index.search([t[0] for t in tokens], report_ids, limit, every)
        if self.dialect == "postgresql":
            return self._search_tsvector(terms, report_ids, limit, every)
        return self._search_fts5(terms, report_ids, limit, every)

    def _search_fts5(self, terms: Sequence[str], report_ids: Collection[str] | None, limit: int,
                     every: bool) -> list[tuple[str, float]]:
        match = (" AND " if every else " OR ").join('"' + t.replace('"', '""') + '"' for t in terms)
        sql = "SELECT chunk_id, bm25(chunk_terms) AS score FROM chunk_terms WHERE chunk_terms MATCH ?"
        if report_ids is not None and len(report_ids) <= FEW_REPORTS:
            # A few reports: the matching chunks inside each report's rowid range (a report's chunks are written
            # together), scored here with the whole index's statistics: FTS5's bm25() would count every phrase's
            # matches over the whole index again for each lookup (tens of ms at 100k reports).
            ranges = self.conn.execute(
                "SELECT report_id, min(rowid), max(rowid) FROM chunks WHERE report_id IN "
                "(SELECT value FROM json_each(?)) GROUP BY report_id", (json.dumps(sorted(report_ids)),)).fetchall()
            found = [(r[0], r[1]) for rid, lo, hi in ranges for r in self.conn.execute(
                "SELECT chunk_id, terms FROM chunk_terms WHERE chunk_terms MATCH ? AND rowid BETWEEN ? AND ? "
                "AND report_id = ?", (match, lo, hi, rid))]
            return self._scored(found, terms, limit)
        params: list[object] = [match]
        if report_ids is not None:
            sql += " AND report_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(sorted(report_ids)))
        sql += " ORDER BY score, chunk_id LIMIT ?"  # ties by id: the same order on every path and database
        params.append(limit)
        return [(r[0], -r[1]) for r in self.conn.execute(sql, params)]

    def _search_tsvector(self, terms: Sequence[str], report_ids: Collection[str] | None,
                         limit: int, every: bool = False) -> list[tuple[str, float]]:
        """PostgreSQL: the GIN index finds the chunks holding any term; they are scored with FTS5's BM25 (same
        tokens, same formula, same statistics), so both databases rank passages alike."""
        any_term = (" && " if every else " || ").join("plainto_tsquery('simple', ?)" for _ in terms)
        sql = f"SELECT id, terms FROM chunks WHERE terms_tsv @@ ({any_term})"
        params: list[object] = list(terms)
        if report_ids is not None:
            sql += " AND report_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(sorted(report_ids)))
        return self._scored([(r[0], r[1]) for r in self.conn.execute(sql, params)], terms, limit)

    def _scored(self, rows: Sequence[tuple[str, str]], terms: Sequence[str], limit: int) -> list[tuple[str, float]]:
        """Chunks (id, index tokens) scored with FTS5's BM25 and the whole index's statistics (from the term
        index), best first, ties by chunk id."""
        if not rows:
            return []
        n, avgdl = self.term_index.stats()
        phrases = [p for p in (tuple(fts_tokens(t)) for t in terms) if p]
        idf = {p: terms_idf(n, self.term_docs(" ".join(p))) for p in dict.fromkeys(phrases)}
        scored = [(cid, bm25(fts_tokens(text or ""), phrases, idf, avgdl)) for cid, text in rows]
        return sorted(((cid, s) for cid, s in scored if s > 0), key=lambda x: (-x[1], x[0]))[:limit]

    def cells_for(self, table: str, rows: Sequence[str], columns: Sequence[str],
                  report_ids: Collection[str]) -> list[tuple[str, Cell]]:
        """The named cells of the given reports: [(report id, cell)]."""
        sql = ("SELECT * FROM cells WHERE tbl = ? AND row_key IN (SELECT value FROM json_each(?)) "
               "AND col_key IN (SELECT value FROM json_each(?)) AND report_id IN (SELECT value FROM json_each(?))")
        got = self.conn.execute(sql, (table, json.dumps(list(rows)), json.dumps(list(columns)),
                                      json.dumps(sorted(report_ids)))).fetchall()
        return [(r["report_id"], _cell(r)) for r in got]

    def key_values(self, table: str, row: str, column: str,
                   report_ids: Collection[str] | None) -> list[tuple[str, str | None, int]]:
        """One cell's stored value text in many reports and whether it is ambiguous: [(report id, value, 0|1)],
        read from one index (``report_ids=None``: every report). For lists over thousands of reports, where
        :meth:`cells_for` would build a full cell (labels, source text) for each."""
        sql = ("SELECT report_id, value, CASE WHEN status = 'ambiguous' THEN 1 ELSE 0 END FROM cells "
               "WHERE tbl = ? AND row_key = ? AND col_key = ?")
        args: list[object] = [table, row, column]
        if report_ids is not None:
            sql += " AND report_id IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(sorted(report_ids)))
        return self.conn.tuples(sql, args)

    def findings_for(self, report_ids: Collection[str]) -> dict[str, list[Finding]]:
        rows = self.conn.execute("SELECT * FROM findings WHERE report_id IN (SELECT value FROM json_each(?)) "
                                 "ORDER BY id", (json.dumps(sorted(report_ids)),)).fetchall()
        out: dict[str, list[Finding]] = {}
        for r in rows:
            out.setdefault(r["report_id"], []).append(_finding(r))
        return out

    def generation(self) -> int:
        """Moves on with every write, by any process: a reader that saw another number re-reads the report list."""
        return int(self.conn.execute("SELECT n FROM store_changes").fetchone()[0])

    def report_counts(self) -> dict[str, dict[str, int]]:
        """Cells by status and findings, for every report, in three queries ({report id: counts})."""
        out: dict[str, dict[str, int]] = {rid: {"findings": 0} for rid in self.report_ids()}
        for rid, status, n in self.conn.execute("SELECT report_id, status, count(*) FROM cells "
                                                "GROUP BY report_id, status"):
            out.setdefault(rid, {"findings": 0})[status] = int(n)
        for rid, n in self.conn.execute("SELECT report_id, count(*) FROM findings GROUP BY report_id"):
            out.setdefault(rid, {})["findings"] = int(n)
        return out

    def term_docs(self, term: str) -> int:
        """How many chunks contain the term (its document frequency in the BM25 index)."""
        tokens = fts_tokens(term)
        if len(tokens) == 1:
            return self.term_index.df(tokens[0])
        if self.dialect == "postgresql":
            return int(self.conn.execute("SELECT count(*) FROM chunks WHERE terms_tsv @@ plainto_tsquery('simple', ?)",
                                         (term,)).fetchone()[0])
        row = self.conn.execute("SELECT doc FROM chunk_vocab WHERE term = ?", (term,)).fetchone()
        if row is None and not term.isalnum():  # "12.5" is two index tokens: count the phrase
            row = self.conn.execute("SELECT count(*) FROM chunk_terms WHERE chunk_terms MATCH ?",
                                    ('"' + term.replace('"', '""') + '"',)).fetchone()
        return int(row[0]) if row else 0

    def chunk_ids(self, report_ids: Collection[str]) -> list[str]:
        rows = self.conn.execute("SELECT id FROM chunks WHERE report_id IN (SELECT value FROM json_each(?)) ORDER BY id",
                                 (json.dumps(sorted(report_ids)),))
        return [r[0] for r in rows]

    def chunk_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM chunks").fetchone()[0])

    def report_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM reports")}

    def counts(self, report_id: str) -> dict[str, int]:
        q = "SELECT status, count(*) FROM cells WHERE report_id = ? GROUP BY status"
        out = {status: n for status, n in self.conn.execute(q, (report_id,))}
        out["findings"] = self.conn.execute("SELECT count(*) FROM findings WHERE report_id = ?",
                                            (report_id,)).fetchone()[0]
        return out


# ------------------------------------------------------------------------------------------------- mapping


def _statements(sql: str) -> list[str]:
    """Split a migration into statements; a trigger body (BEGIN … END) or a quoted function body ($$ … $$) stays
    one statement."""
    out: list[str] = []
    for piece in sql.split(";"):
        if out and (out[-1].count("$$") % 2 or out[-1].upper().split()[0] == "CREATE" and " BEGIN" in out[-1].upper()
                    and "$$" not in out[-1] and not out[-1].upper().rstrip().endswith("END")):
            out[-1] += ";" + piece
        elif piece.strip():
            out.append(piece.strip())
    return [s.strip() for s in out if s.strip()]


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _cell_row(report_id: str, c: Cell) -> tuple[object, ...]:
    return (report_id, c.table, c.row, c.column, _dec(c.value), None if c.value is None else float(c.value),
            c.status, json.dumps([str(v) for v in c.candidates]), c.row_label, c.column_label, c.page, c.line,
            c.raw, c.note)


_NO_CANDIDATES: tuple[Decimal, ...] = ()


def _cell(r: sqlite3.Row) -> Cell:
    return Cell(r["tbl"], r["row_key"], r["col_key"], None if r["value"] is None else Decimal(r["value"]),
                r["status"], r["row_label"], r["column_label"], r["line"], r["page"], r["raw"],
                _NO_CANDIDATES if r["candidates"] == "[]" else tuple(Decimal(v) for v in json.loads(r["candidates"])),
                r["note"])


def _insert_finding(conn: Database, report_id: str, f: Finding) -> None:
    conn.execute(
        "INSERT INTO findings (report_id, relation, tbl, row_key, col_key, expected, printed, cells, message, "
        "other_report, quote) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (report_id, f.relation, f.table, f.row, f.column, _dec(f.expected), _dec(f.printed),
         json.dumps([list(k) for k in f.cells], ensure_ascii=False), f.message, f.other_report, f.quote),
    )


def _finding(r: sqlite3.Row) -> Finding:
    return Finding(r["relation"], r["tbl"], r["row_key"], r["col_key"],
                   None if r["expected"] is None else Decimal(r["expected"]),
                   None if r["printed"] is None else Decimal(r["printed"]),
                   tuple(tuple(k) for k in json.loads(r["cells"])), r["message"], r["other_report"], r["quote"])


def _chunk_row(report_id: str, c: Chunk) -> tuple[object, ...]:
    return (chunk_id(report_id, c.ord), report_id, c.ord, c.section_no, c.section_title, c.text, c.indexed_text,
            c.line_start, c.line_end, c.page_start, c.page_end, c.original)


_CHUNK_COLUMNS = ("id, report_id, ord, section_no, section_title, text, indexed_text, line_start, line_end, "
                  "page_start, page_end, original")
_CHUNKS = "SELECT c.*, t.terms AS terms FROM chunks c LEFT JOIN chunk_terms t ON t.rowid = c.rowid"


def _chunk(r: sqlite3.Row) -> Chunk:
    return Chunk(r["ord"], r["section_no"], r["section_title"], r["text"], r["indexed_text"], r["line_start"],
                 r["line_end"], r["page_start"], r["page_end"], r["terms"] or "", r["original"])


def _stored(r: sqlite3.Row) -> StoredReport:
    meta = ReportMeta(r["agency"], r["covers_year"], r["template"], r["title"], r["agency_basis"],
                      r["year_basis"], r["template_basis"], r["agency_printed"],
                      tuple(p for p in (r["region"] or "").split("/") if p))
    return StoredReport(r["id"], r["source"], r["source_path"], r["content_hash"], r["file_type"], meta,
                        r["pages"], tuple(json.loads(r["warnings"])), r["ingested_at"])

