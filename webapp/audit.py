"""Every read of a supervision record is logged against the person it is
about, so they can see who opened it (Wokingham 003, "Confidentiality and
Access": "The supervisee should be made aware when others are required to
access the supervision record").

Views that show a record call `record_read(...)` after loading it; the entry
is written in its own short transaction (end_read() first, as SQLite holds
its write lock from BEGIN). A person opening their own record is logged too,
and their "who opened my records" page leaves those out."""

from __future__ import annotations

from collections.abc import Iterable

from flask import request
from flask_login import current_user

from models import AuditEntry
from webapp.database import end_read, session_factory

# How the "who opened my records" page names each kind of record.
RECORD_LABELS = {
    "supervision_agreement": "Supervision agreement",
    "supervision_session": "Supervision record",
    "observation": "Observation",
    "review_questionnaire": "Annual review of supervision",
    "person_page": "Supervision overview page",
    "case_supervision": "Case supervision record",
    "sample_item": "Record sampled for quality assurance",
    "group_supervision_agreement": "Group supervision agreement",
    "group_supervision_attendance": "Group reflective supervision attendance",
}


def record_label(object_type: str) -> str:
    return RECORD_LABELS.get(object_type, object_type.replace("_", " ").capitalize())


def record_read(
    *,
    object_type: str,
    object_id: int | str,
    subject_staff_id: int | None,
    detail: str = "",
    also_about: Iterable[int] = (),
) -> None:
    """Log that the signed-in person opened this record (one transaction).
    A record about several people (a group agreement) is logged once for each
    of `also_about` too, so each of them sees who opened it."""
    end_read()
    about = [subject_staff_id, *sorted(set(also_about) - {subject_staff_id})]
    with session_factory().begin() as session:
        session.add_all(
            AuditEntry(
                actor_user_id=current_user.user_id,
                actor=f"staff-{current_user.staff_id}",
                action="read",
                object_type=object_type,
                object_id=str(object_id),
                subject_staff_id=staff_id,
                detail=(detail or f"Opened {request.path}")[:2000],
            )
            for staff_id in about
        )
