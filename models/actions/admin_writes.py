"""Writing the rows an admin change or an import changes, a batch at a time
in one statement, whatever the batch's size (the admin page's one change is
a batch of one): new rows in one INSERT (their ids returned), changed columns
in one UPDATE, each column a CASE on the row's id. The session's objects for
the rows written by UPDATE are expired, so nothing after reads them stale."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import case, insert, literal, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key


def update_by_id(session: Session, model: type, rows: Mapping[int, Mapping[str, Any]]) -> None:
    """Set each row's new values (by id), in one UPDATE."""
    if not rows:
        return
    table = model.__table__
    settings = {}
    for name in sorted({name for values in rows.values() for name in values}):
        column = table.c[name]
        whens = {
            row_id: literal(values[name], column.type)
            for row_id, values in rows.items()
            if name in values
        }
        settings[name] = case(whens, value=table.c.id, else_=column)
    session.execute(update(table).where(table.c.id.in_(list(rows))).values(settings))
    for row_id in rows:
        held = session.identity_map.get(identity_key(model, row_id))
        if held is not None:
            session.expire(held)


def insert_returning(
    session: Session, model: type, rows: Iterable[dict[str, Any]], key: str | tuple[str, ...]
) -> dict[Any, int]:
    """Insert the rows and give their new ids by `key` (a column, or a tuple
    of columns, unique among them): one INSERT for each set of columns the
    rows give (a file gives one)."""
    table = model.__table__
    names = (key,) if isinstance(key, str) else key
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        by_columns.setdefault(tuple(sorted(row)), []).append(row)
    ids: dict[Any, int] = {}
    for same in by_columns.values():
        written = session.execute(
            insert(table).returning(table.c.id, *(table.c[name] for name in names)), same
        )
        for row_id, *found in written:
            ids[found[0] if isinstance(key, str) else tuple(found)] = row_id
    return ids
