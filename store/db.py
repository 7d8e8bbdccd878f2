"""The two SQL databases the cell store runs on, behind one small connection interface.

SQLite (a file, the default) and PostgreSQL (a server, for several app servers or many users) run the same SQL,
written once in SQLite's dialect with ``?`` parameters. For PostgreSQL :func:`pg_sql` rewrites the few spellings
that differ: parameters (``%s``), ``json_each(?)`` (``json_array_elements_text``) and ``BEGIN IMMEDIATE``. What
cannot be the same (the schema's types and the full-text index) is chosen by :attr:`Database.dialect` in
``store.sqlite``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Any: ...


class Database(Protocol):
    dialect: str  # "sqlite" | "postgresql"

    def execute(self, sql: str, params: Sequence[object] = ()) -> Cursor: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None: ...

    def tuples(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """A query's rows as plain tuples (no by-name access): for results of 100k rows."""
        ...

    def close(self) -> None: ...


class SqliteDatabase:
    dialect = "sqlite"

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")  # WAL: a power cut may drop the last commit, never corrupt
        # 128 MiB of pages kept per connection (default 2 MiB): a big store's indexes take each write to scattered
        # pages, each a system call to read again without it (ingest at 100k reports is bound by the writer)
        self.conn.execute("PRAGMA cache_size = -131072")

    def execute(self, sql: str, params: Sequence[object] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        self.conn.executemany(sql, rows)

    def tuples(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        cursor = self.conn.cursor()
        cursor.row_factory = None
        return cursor.execute(sql, params).fetchall()

    def close(self) -> None:
        self.conn.close()


class Row(tuple):  # type: ignore[type-arg]
    """A result row readable by position and by column name, like ``sqlite3.Row``."""

    names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.names)


def _row_factory(cursor: Any) -> Any:
    names = {d.name: i for i, d in enumerate(cursor.description or ())}
    cls = type("Row", (Row,), {"names": names})
    return lambda values: cls(values)


class PostgresDatabase:
    dialect = "postgresql"

    def __init__(self, url: str):
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is in requirements.txt
            raise RuntimeError("使用 PostgreSQL 需要安装 psycopg（pip install \"psycopg[binary]\"）") from exc
        try:
            self.conn = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
        except psycopg.Error as exc:
            raise RuntimeError(f"无法连接 PostgreSQL 数据库（{type(exc).__name__}）：{_safe(url)}") from exc

    def execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        return self.conn.execute(pg_sql(sql), tuple(params))  # type: ignore[arg-type]

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(pg_sql(sql), [tuple(r) for r in rows])  # type: ignore[arg-type]

    def tuples(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        from psycopg.rows import tuple_row

        with self.conn.cursor(row_factory=tuple_row) as cursor:
            return cursor.execute(pg_sql(sql), tuple(params)).fetchall()  # type: ignore[arg-type]

    def close(self) -> None:
        self.conn.close()


@lru_cache(maxsize=512)
def pg_sql(sql: str) -> str:
    """SQLite's spelling to PostgreSQL's: ``?`` → ``%s`` (a literal ``%`` doubled), ``json_each(?)`` → the
    elements of a JSON array as text, ``BEGIN IMMEDIATE`` → ``BEGIN``."""
    sql = sql.replace("%", "%%")
    sql = re.sub(r"json_each\(\?\)", "json_array_elements_text(?::json)", sql)
    sql = re.sub(r"^\s*BEGIN IMMEDIATE\s*$", "BEGIN", sql)
    return sql.replace("?", "%s")


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def connect(sqlite_path: Path, database_url: str = "") -> Database:
    return PostgresDatabase(database_url) if database_url else SqliteDatabase(sqlite_path)
