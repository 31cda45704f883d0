"""The benchmark's generator is deterministic: the demo size loaded twice with
the same seed holds the same rows, ids included; another seed does not.
Quick: the demo size is one small council, loaded into SQLite files."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import date

from bench import generate
from bench.sink import CountSink, SqliteSink
from bench.tables import COLUMNS
from models.migrate import upgrade

AS_OF = date(2026, 11, 23)


def _load(path) -> str:
    connection = sqlite3.connect(path)
    try:
        generate.generate("demo", 1, AS_OF, SqliteSink(connection))
        digest = hashlib.sha256()
        for table, columns in COLUMNS.items():
            rows = connection.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")
            for row in rows:
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        connection.close()


class _DigestSink(CountSink):
    def __init__(self):
        super().__init__()
        self.digest = hashlib.sha256()

    def add(self, table, row):
        super().add(table, row)
        self.digest.update(repr((table, row)).encode())


def test_the_same_seed_gives_the_same_rows_and_another_seed_does_not(tmp_path):
    empty = tmp_path / "empty.sqlite"
    upgrade(f"sqlite:///{empty}")  # migrate once; each load starts from a copy
    for name in ("first.sqlite", "second.sqlite"):
        shutil.copy(empty, tmp_path / name)
    first = _load(tmp_path / "first.sqlite")
    second = _load(tmp_path / "second.sqlite")
    assert first == second

    same, other = _DigestSink(), _DigestSink()
    generate.generate("demo", 1, AS_OF, same)
    generate.generate("demo", 2, AS_OF, other)
    assert same.counts["staff_member"] > 100
    assert same.digest.hexdigest() != other.digest.hexdigest()
