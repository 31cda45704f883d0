"""A small table of per-key dates passed to one query as a single JSON
parameter, to join against: "each person's cutoff", "each case's since";
or of keys alone: "the batch's subjects".

A CASE with a branch per key costs a comparison per key for every row read;
a join costs one lookup. An IN list of a batch's thousands of keys is parsed
and planned value by value, and the planner, estimating from the list, may
read the whole organisation's rows and filter them; a joined set of keys is
one parameter, and is read with one index lookup per key, the set driving
the join. (That order rests on the joined table's statistics: a table the
planner believes empty would be scanned with the set read again for each of
its rows; the bulk inserts that fill a table from empty analyse it,
models/engine/bulk.py.) PostgreSQL reads it with json_to_recordset, SQLite
with json_each, so the same query runs on both."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
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


def keyed_set(session: Session, name: str, keys: Iterable[int | str], *, key_type=String):
    """A SELECT of these keys, each once, to match a column against:
    `HumanTask.subject.in_(keyed_set(session, "batch_subject", subjects))`."""
    table = keyed_dates(session, name, {key: {} for key in keys}, (), key_type=key_type)
    return select(table.c.key)
