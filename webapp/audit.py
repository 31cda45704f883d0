"""Every read of a supervision record is logged against the person it is
about, so they can see who opened it (Wokingham 003, "Confidentiality and
Access": "The supervisee should be made aware when others are required to
access the supervision record").

A view that shows a record calls `record_read` once, after loading it (the
entry is written in its own short transaction, models.actions.reads)::

    from webapp.audit import record_read

    page = render_template("observations/view.html", observation=observation)
    record_read("observation", observation.id, subject_staff_id=observation.staff_id)
    return page

`detail` says what was opened where (default: "Opened <the path>"; cut to
2,000 characters); a record about several people (a group agreement) names
the others in `also_about`, so each of them sees who opened it. A person opening their own record is
logged too; their "who opened my records" page leaves those out. Add a label
to RECORD_LABELS for a new kind of record."""

from __future__ import annotations

from collections.abc import Iterable

from flask import request
from flask_login import current_user

from models.actions import reads
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
    "supervision_record_audit": "Audit of supervision records",
    "session_action": "Actions agreed in supervision",
    "missed_session": "Missed supervision raised and escalated",
    "case_oversight": "Management oversight on a case",
    "group_supervision_agreement": "Group supervision agreement",
    "group_supervision_attendance": "Group reflective supervision attendance",
    "case_supervision_export": "Case supervision entries exported for the case system",
    "supervision_file_export": "Whole supervision file exported",
}


def record_label(object_type: str) -> str:
    return RECORD_LABELS.get(object_type, object_type.replace("_", " ").capitalize())


def record_read(
    object_type: str,
    object_id: int | str,
    *,
    subject_staff_id: int | None,
    detail: str = "",
    also_about: Iterable[int] = (),
) -> None:
    """Log that the signed-in person opened this record about this member of
    staff, and about each of `also_about` too."""
    end_read()  # SQLite: the request's read holds the write lock until it ends
    people = [subject_staff_id, *sorted(set(also_about) - {subject_staff_id})]
    reads.record_read(
        actor_user_id=current_user.user_id,
        actor_staff_id=current_user.staff_id,
        object_type=object_type,
        object_id=object_id,
        about=people,
        detail=detail or f"Opened {request.path}",
        session_factory=session_factory(),
    )
