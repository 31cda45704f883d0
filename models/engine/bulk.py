"""Many rows into a table at once. On PostgreSQL the rows are COPYed into a
temporary table and inserted from there in one statement (insert on conflict
do nothing, returning what was inserted): a first run of a council creates
tens of thousands of human tasks, and one INSERT per thousand rows spends most
of its time building the statement. Elsewhere (SQLite) a plain multi-row
insert does."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from enum import Enum

from sqlalchemy import Table
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

NULL = r"\N"
CHUNK = 1000
ANALYSE_AFTER_ROWS = 500  # the smallest insert worth analysing a table after


def _cell(value) -> str:
    if value is None:
        return NULL
    # Most cells are text or whole numbers: answered before the isinstance
    # tests (a bool is not `int` by type, so it still reaches its own test).
    if type(value) is str:
        return value
    if type(value) is int:
        return str(value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _with_defaults(table: Table, rows: Sequence[dict]) -> list[dict]:
    """The rows with the table's Python-side column defaults filled in, as an
    INSERT through SQLAlchemy would (COPY knows nothing of them)."""
    missing = [
        c
        for c in table.columns
        if c.name not in rows[0] and c.default is not None and c.name != "id"
    ]
    if not missing:
        return list(rows)
    # A callable default is wrapped by SQLAlchemy to take the execution context.
    fill = {
        c.name: (c.default.arg(None) if c.default.is_callable else c.default.arg) for c in missing
    }
    return [{**fill, **row} for row in rows]


def upsert_rows(session: Session, table: Table, rows: Sequence[dict], *, update: str) -> None:
    """Insert rows, or where one with the same primary key is there (another
    run wrote it meanwhile), set its `update` column."""
    if not rows:
        return
    rows = _with_defaults(table, rows)
    keys = [c.name for c in table.primary_key.columns]
    if session.get_bind().dialect.name != "postgresql":
        statement = sqlite.insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=keys, set_={update: statement.excluded[update]}
        )
        session.execute(statement, list(rows))
        return
    columns = list(rows[0])
    names = ", ".join(columns)
    cursor = _staged(session, table, rows, columns)
    cursor.execute(
        f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {table.name}_incoming "  # nosec B608 # names come from the Table's own metadata; the values go by COPY
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {update} = excluded.{update}"
    )
    analyse_if_outgrown(cursor, table, cursor.rowcount)


def _staged(session: Session, table: Table, rows: Sequence[dict], columns: list[str]):
    """COPY the rows into a temporary table shaped like `table`; its cursor."""
    cursor = session.connection().connection.dbapi_connection.cursor()
    incoming = f"{table.name}_incoming"
    names = ", ".join(columns)
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {incoming} AS SELECT {names} FROM {table.name} "  # nosec B608 # names come from the Table's own metadata; the values go by COPY
        "WITH NO DATA"
    )
    cursor.execute(f"TRUNCATE {incoming}")
    cursor.copy_expert(
        f"COPY {incoming} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
        _csv(rows, columns),
    )
    return cursor


# Values the csv module writes as PostgreSQL reads them (str() of each), once
# None is NULL: a column holding only these needs no call per cell.
PLAIN = frozenset({str, int, float, date, datetime, type(None)})


def _column(values: list) -> list:
    """One column's cells: most columns are plain (text, numbers, dates), and
    are only checked for NULL; others (enums, JSON, booleans) go cell by cell."""
    if PLAIN.issuperset(map(type, values)):
        return [NULL if v is None else v for v in values]
    return [_cell(v) for v in values]


def _csv(rows: Sequence[dict], columns: list[str]) -> io.StringIO:
    buffer = io.StringIO()
    cells = [_column([row[c] for row in rows]) for c in columns]
    csv.writer(buffer).writerows(zip(*cells, strict=True))
    buffer.seek(0)
    return buffer


def insert_new(
    session: Session,
    table: Table,
    rows: Sequence[dict],
    *,
    unique: tuple[str, ...],
    returning: tuple[str, ...],
) -> list[tuple]:
    """Insert the rows whose values of the `unique` columns (a unique
    constraint's, all of them: a human task's key is unique only within its
    organisation) are not in the table yet; the `returning` columns of each
    row inserted."""
    if not rows:
        return []
    rows = _with_defaults(table, rows)
    columns = list(rows[0])
    if session.get_bind().dialect.name != "postgresql":
        statement = (
            sqlite.insert(table)
            .on_conflict_do_nothing(index_elements=list(unique))
            .returning(*(table.c[name] for name in returning))
        )
        found: list[tuple] = []
        for start in range(0, len(rows), CHUNK):
            found += session.connection().execute(statement, rows[start : start + CHUNK]).all()
        return [tuple(r) for r in found]
    names = ", ".join(columns)
    cursor = _staged(session, table, rows, columns)
    cursor.execute(
        f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {table.name}_incoming "  # nosec B608 # names come from the Table's own metadata; the values go by COPY
        f"ON CONFLICT ({', '.join(unique)}) DO NOTHING RETURNING {', '.join(returning)}"
    )
    inserted = [tuple(r) for r in cursor.fetchall()]
    analyse_if_outgrown(cursor, table, len(inserted))
    return inserted


def analyse_if_outgrown(cursor, table: Table, inserted: int) -> None:
    """Analyse the table when this insert more than doubled what it held at its
    last analysis (PostgreSQL). A first run fills an empty human_task table
    batch by batch; until autovacuum gets round to it (a minute or more) the
    planner believes the table empty, and finds a batch's tasks, its open-since
    days and its escalations by filtering the whole organisation's open tasks
    rather than through the key's index. Analysing samples a bounded number of
    rows, and happens a few times as the table grows from empty, not per batch.
    Inside the batch's transaction it counts the batch's own rows."""
    if inserted < ANALYSE_AFTER_ROWS:
        return
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", (table.name,))
    (held,) = cursor.fetchone()
    if inserted > held:
        cursor.execute(f"ANALYZE {table.name}")  # nosec B608 # the name is the Table's own
