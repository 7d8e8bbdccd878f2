"""Vectors already computed, by model and text hash: boilerplate that repeats across reports is embedded once.

A small SQLite file next to the vector index (derived data: deleting it only costs time). Vectors are float32.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from array import array
from collections.abc import Sequence
from pathlib import Path


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class VectorCache:
    def __init__(self, path: Path, model: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.model = model
        self.conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, key TEXT NOT NULL, "
                          "vector BLOB NOT NULL, PRIMARY KEY (model, key)) WITHOUT ROWID")
        self.hits = self.misses = 0

    def close(self) -> None:
        self.conn.close()

    def get(self, keys: Sequence[str]) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        for start in range(0, len(keys), 900):
            rows = self.conn.execute(
                "SELECT key, vector FROM vectors WHERE model = ? AND key IN (SELECT value FROM json_each(?))",
                (self.model, json.dumps(list(keys[start:start + 900]))))
            for key, blob in rows:
                out[key] = array("f", blob).tolist()
        return out

    def put(self, vectors: dict[str, Sequence[float]]) -> None:
        self.conn.execute("BEGIN")
        try:
            self.conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?,?,?)",
                                  [(self.model, k, array("f", v).tobytes()) for k, v in vectors.items()])
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")
