"""A small table of per-key dates passed to one query as a single JSON
parameter, to join against: "each person's cutoff", "each case's since".

A CASE with a branch per key costs a comparison per key for every row read;
a join costs one lookup. PostgreSQL reads it with json_to_recordset, SQLite
with json_each, so the same query runs on both."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import Date, Integer, String, bindparam, column, func, select
from sqlalchemy.orm import Session


def keyed_dates(
    session: Session,
    name: str,
    rows: Mapping[int | str, Mapping[str, date | None]],
    columns: Sequence[str],
    *,
    key_type=Integer,
):
    """A derived table `name(key, *columns)` with a row per key; a missing date is NULL."""
    data = json.dumps(
        [
            {"key": key, **{c: (d.isoformat() if (d := values.get(c)) else None) for c in columns}}
            for key, values in rows.items()
        ]
    )
    parameter = bindparam(f"{name}_rows", data, type_=String)
    if session.get_bind().dialect.name == "postgresql":
        typed = [column("key", key_type), *(column(c, Date) for c in columns)]
        return (
            func.json_to_recordset(parameter)
            .table_valued(*typed)
            .render_derived(name=name, with_types=True)
        )
    each = func.json_each(parameter).table_valued("value")
    return select(
        func.json_extract(each.c.value, "$.key").label("key"),
        *(func.json_extract(each.c.value, f"$.{c}").label(c) for c in columns),
    ).subquery(name)
