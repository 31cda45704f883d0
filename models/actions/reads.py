"""Who opened which supervision record: one audit entry per person the record
is about, so each of them sees it on their "who opened my records" page
(Wokingham 003, "Confidentiality and Access"). One short transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import sessionmaker

from models.db import get_sessionmaker
from models.tables.audit import AuditEntry
from policy.keys import staff_fact_id

MAX_DETAIL = 2000


def record_read(
    *,
    actor_user_id: int,
    actor_staff_id: int,
    object_type: str,
    object_id: int | str,
    about: Iterable[int | None],
    detail: str,
    session_factory: sessionmaker | None = None,
) -> None:
    """Log that this login opened this record, once for each person in `about`."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        session.add_all(
            AuditEntry(
                actor_user_id=actor_user_id,
                actor=staff_fact_id(actor_staff_id),
                action="read",
                object_type=object_type,
                object_id=str(object_id),
                subject_staff_id=staff_id,
                detail=detail[:MAX_DETAIL],
            )
            for staff_id in about
        )
