"""Where generated rows go: PostgreSQL through COPY (psycopg2 copy_expert
from an in-memory buffer, a chunk of rows at a time, so memory stays bounded
whatever the size), SQLite through executemany (the quick determinism test),
or nowhere (a dry run that only counts)."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from datetime import date

from bench.tables import COLUMNS

CHUNK_ROWS = 20_000


class RowLengthError(ValueError):
    pass


def _check(table: str, row: tuple) -> None:
    if len(row) != len(COLUMNS[table]):
        raise RowLengthError(f"{table}: {len(row)} values for columns {COLUMNS[table]}: {row!r}")


def _escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        text = text.replace("\r", "\\r")
    return text


def copy_value(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return _escape(value)
    return str(value)  # int, and date as YYYY-MM-DD


class CountSink:
    """Counts rows and writes nothing (--dry-run)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(self, table: str, row: tuple) -> None:
        _check(table, row)
        self.counts[table] += 1

    def end_organisation(self) -> None:
        pass

    def close(self) -> None:
        pass


class CopySink(CountSink):
    """COPY into PostgreSQL, one commit per organisation.

    Foreign-key triggers are off while loading (session_replication_role =
    replica, which needs a superuser): ids are allocated by the generator, rows
    of different tables arrive in whatever order their buffers fill, and
    staff and service areas refer to each other. Every foreign key is checked
    once the load is done (bench/database.check_foreign_keys)."""

    def __init__(self, connection, on_rows=None) -> None:
        super().__init__()
        self.connection = connection
        self.cursor = connection.cursor()
        self.cursor.execute("SET session_replication_role = replica")
        self.cursor.execute("SET synchronous_commit = off")
        self.buffers: dict[str, list[str]] = defaultdict(list)
        self.on_rows = on_rows or (lambda n: None)

    def add(self, table: str, row: tuple) -> None:
        _check(table, row)
        buffer = self.buffers[table]
        buffer.append("\t".join(map(copy_value, row)))
        if len(buffer) >= CHUNK_ROWS:
            self._flush(table)

    def _flush(self, table: str) -> None:
        lines = self.buffers.pop(table, [])
        if not lines:
            return
        data = io.StringIO("\n".join(lines) + "\n")
        self.cursor.copy_expert(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN", data)
        self.counts[table] += len(lines)
        self.on_rows(len(lines))

    def end_organisation(self) -> None:
        # Parents first, so a reader of a half-loaded database sees whole organisations.
        for table in COLUMNS:
            self._flush(table)
        self.connection.commit()

    def close(self) -> None:
        self.end_organisation()
        self.cursor.execute("SET session_replication_role = DEFAULT")
        self.connection.commit()


def _sqlite_value(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


class SqliteSink(CountSink):
    """executemany into SQLite: small sizes only (the determinism test)."""

    def __init__(self, connection) -> None:
        super().__init__()
        self.connection = connection
        self.rows: dict[str, list[tuple]] = defaultdict(list)

    def add(self, table: str, row: tuple) -> None:
        _check(table, row)
        self.rows[table].append(tuple(map(_sqlite_value, row)))

    def end_organisation(self) -> None:
        for table in COLUMNS:
            rows = self.rows.pop(table, [])
            if rows:
                columns = COLUMNS[table]
                marks = ", ".join("?" for _ in columns)
                self.connection.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
                )
                self.counts[table] += len(rows)
        self.connection.commit()

    def close(self) -> None:
        self.end_organisation()
