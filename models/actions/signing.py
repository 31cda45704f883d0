"""Two-party signing, one concept: an agreement, a session record, an
observation, a review or a group agreement is signed by each party once.

`sign` adds a party's signature to a record in the caller's transaction with
an insert that does nothing when the signature is there already (two
submissions of one form, or two people's racing clicks, sign once), and
raises AlreadySigned, typed, when it was: views tell the person "it has been
signed once" from the type, never from the message's words.

Where the parties are named before anyone signs (a group agreement names its
coordinator and supervisees, each a row waiting for their signature),
`sign_named` fills in a named party's signature once, the same way."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.actions.errors import AlreadySigned
from models.base import utcnow


def signed_on(session: Session, signature_table, **record: Any) -> date | None:
    """The day a party signed a record (record: the columns naming the record,
    the party and any version), or None."""
    table = signature_table.__table__
    query = select(table.c.signed_on).where(*(table.c[k] == v for k, v in record.items()))
    return session.scalar(query)


def sign(
    session: Session,
    signature_table,
    *,
    staff_id: int,
    on: date,
    already: str = "This has already been signed.",
    **record: Any,
) -> None:
    """Add a party's signature (staff_id, signed on `on`) to the record that
    `record`'s columns name (e.g. agreement_id=7, party=SUPERVISOR). Raises
    AlreadySigned(already) if that party has signed it."""
    table = signature_table.__table__
    values = {**record, "staff_id": staff_id, "signed_on": on}
    if "signed_at" in table.c:
        values["signed_at"] = utcnow()
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    keys = [c.name for c in _unique_columns(table, record)]
    inserted = session.execute(
        insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
    ).rowcount
    if not inserted:
        raise AlreadySigned(already)


def sign_named(
    session: Session,
    signatory: Any,
    *,
    on: date,
    already: str = "This has already been signed.",
) -> None:
    """Sign, on `on`, as the named party this row stands for (a row waiting
    for its signature, `signed_on` empty): an update of that row that only
    happens while it is unsigned, so a form sent twice signs once. Raises
    AlreadySigned(already) if it was signed. The row is read again after."""
    mapper = inspect(signatory).mapper
    table = mapper.local_table
    values = {"signed_on": on}
    if "signed_at" in table.c:
        values["signed_at"] = utcnow()
    identity = zip(mapper.primary_key, mapper.primary_key_from_instance(signatory), strict=True)
    signed = session.execute(
        update(table)
        .where(*(column == value for column, value in identity), table.c.signed_on.is_(None))
        .values(**values)
    ).rowcount
    session.refresh(signatory)
    if not signed:
        raise AlreadySigned(already)


def _unique_columns(table, record):
    """The unique constraint a signature sits under: the one made of the record's columns."""
    for constraint in table.constraints:
        names = {c.name for c in getattr(constraint, "columns", ())}
        if names and names == set(record) and constraint is not table.primary_key:
            return list(constraint.columns)
    raise ValueError(f"{table.name} has no unique constraint on {sorted(record)}")
