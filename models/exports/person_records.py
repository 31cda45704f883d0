"""The records in one person's supervision file, each kind read with one
query (their signatures and versions come with them by `selectin`), as
documents a template prints: a title, the facts about the record, its
sections (the form's answers) and who signed it when. Records about the
person only: as a supervisee, and their own observations and reviews."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.tables.org import StaffMember
from models.tables.oversight import AsyeReview, Observation, ReviewQuestionnaire
from models.tables.supervision import (
    RecordStatus,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)
from policy.dates import long_date


@dataclass
class Document:
    name: str  # its file name in the zip
    title: str
    version: int | None = None
    facts: list[tuple[str, Any]] = field(default_factory=list)
    sections: list[tuple[str, Any]] = field(default_factory=list)
    signatures: list[tuple[str, str, date]] = field(default_factory=list)  # party, who, day


def _names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(
        select(StaffMember.id, StaffMember.name).where(StaffMember.id.in_(wanted))
    )
    return dict(rows.all())


def _as_supervisee(person_id: int):
    return select(SupervisionRelationship.id).where(
        SupervisionRelationship.supervisee_id == person_id
    )


def _relationships(session: Session, person_id: int) -> dict[int, SupervisionRelationship]:
    rels = session.scalars(
        select(SupervisionRelationship).where(SupervisionRelationship.supervisee_id == person_id)
    )
    return {r.id: r for r in rels}


def agreements(session: Session, person_id: int) -> list[Document]:
    """Every version of every agreement they were supervised under."""
    rels = _relationships(session, person_id)
    rows = list(
        session.scalars(
            select(SupervisionAgreement)
            .where(SupervisionAgreement.relationship_id.in_(_as_supervisee(person_id)))
            .order_by(SupervisionAgreement.relationship_id, SupervisionAgreement.version)
        )
    )
    names = _names(
        session,
        [r.supervisor_id for r in rels.values()] + [s.staff_id for a in rows for s in a.signatures],
    )
    documents = []
    for a in rows:
        rel = rels[a.relationship_id]
        facts = [
            ("Supervisor", names.get(rel.supervisor_id, "")),
            ("Status", _words(a.status)),
            ("In force from", a.in_force_on),
            ("Review due", a.review_due_on),
            ("Agreed frequency (weeks)", a.frequency_weeks),
            ("Why the frequency differs", a.variation_reason),
            ("Why it was amended", a.amendment_reason),
        ]
        documents.append(
            Document(
                f"agreement-{rel.id}-v{a.version}.html",
                f"Supervision agreement with {names.get(rel.supervisor_id, '')}",
                a.version,
                facts,
                sorted((a.content or {}).items()),
                [(_words(s.party), names.get(s.staff_id, ""), s.signed_on) for s in a.signatures],
            )
        )
    return documents


def session_records(session: Session, person_id: int) -> list[Document]:
    """Every version of every supervision record: the archived signed
    versions as they were signed, then the current one."""
    rels = _relationships(session, person_id)
    rows = list(
        session.scalars(
            select(SupervisionSession)
            .where(
                SupervisionSession.relationship_id.in_(_as_supervisee(person_id)),
                SupervisionSession.record_status != RecordStatus.NOT_STARTED,
            )
            .order_by(SupervisionSession.held_on, SupervisionSession.id)
        )
    )
    names = _names(
        session,
        [r.supervisor_id for r in rels.values()]
        + [s.staff_id for row in rows for s in row.signatures],
    )
    documents = []
    for row in rows:
        supervisor = names.get(rels[row.relationship_id].supervisor_id, "")
        documents += _record_versions(row, supervisor, names)
    return documents


def _record_versions(row: SupervisionSession, supervisor: str, names: dict) -> list[Document]:
    """A record's archived signed versions as they were signed, then the current one."""
    signed = {
        v: [
            (_words(s.party), names.get(s.staff_id, ""), s.signed_on)
            for s in row.signatures
            if s.version == v
        ]
        for v in range(1, row.record_version + 1)
    }
    documents = [
        Document(
            f"record-{row.id}-v{old.version}.html",
            f"Supervision record, {long_date(old.held_on or row.held_on)}, with {supervisor}",
            old.version,
            [
                ("Held on", old.held_on),
                ("Length (minutes)", old.duration_minutes),
                ("Reason it was late", old.late_reason),
                ("Replaced by a later version because", old.amended_reason),
            ],
            sorted((old.record or {}).items()),
            signed.get(old.version, []),
        )
        for old in row.versions
    ]
    current = Document(
        f"record-{row.id}-v{row.record_version}.html",
        f"Supervision record, {long_date(row.held_on)}, with {supervisor}",
        row.record_version,
        [
            ("Held on", row.held_on),
            ("Length (minutes)", row.duration_minutes),
            ("Status", _words(row.record_status)),
            ("Written up on", row.recorded_on),
            ("Reason it was late", row.late_reason),
            ("Development discussed", row.development_discussed),
        ],
        sorted((row.record or {}).items()),
        signed.get(row.record_version, []),
    )
    return [*documents, current]


def observations(session: Session, person_id: int) -> list[Document]:
    rows = list(
        session.scalars(
            select(Observation)
            .where(Observation.staff_id == person_id)
            .order_by(Observation.observed_on, Observation.id)
        )
    )
    names = _names(
        session, [o.observer_id for o in rows] + [s.staff_id for o in rows for s in o.signatures]
    )
    return [
        Document(
            f"observation-{o.id}.html",
            f"{_words(o.kind).capitalize()} observation, {long_date(o.observed_on)}",
            None,
            [
                ("Observer", names.get(o.observer_id, "")),
                ("Observed on", o.observed_on),
                ("With a family", o.with_family),
            ],
            sorted((o.content or {}).items()),
            [(_words(s.party), names.get(s.staff_id, ""), s.signed_on) for s in o.signatures],
        )
        for o in rows
    ]


def reviews(session: Session, person_id: int) -> list[Document]:
    """Their annual review questionnaires and ASYE reviews."""
    questionnaires = list(
        session.scalars(
            select(ReviewQuestionnaire)
            .where(ReviewQuestionnaire.relationship_id.in_(_as_supervisee(person_id)))
            .order_by(ReviewQuestionnaire.reviewed_on, ReviewQuestionnaire.id)
        )
    )
    asye = list(
        session.scalars(
            select(AsyeReview)
            .where(AsyeReview.staff_id == person_id)
            .order_by(AsyeReview.reviewed_on, AsyeReview.id)
        )
    )
    names = _names(
        session, [q.forwarded_to_id for q in questionnaires] + [r.recorded_by_id for r in asye]
    )
    documents = [
        Document(
            f"review-{q.id}.html",
            f"Annual review of supervision, {long_date(q.reviewed_on)}",
            None,
            [
                ("Reviewed on", q.reviewed_on),
                ("Forwarded to", names.get(q.forwarded_to_id)),
                ("Forwarded on", q.forwarded_on),
            ],
            sorted((q.answers or {}).items()),
        )
        for q in questionnaires
    ]
    documents += [
        Document(
            f"asye-review-{r.id}.html",
            f"ASYE {r.stage}-month review, {long_date(r.reviewed_on)}",
            None,
            [("Reviewed on", r.reviewed_on), ("Recorded by", names.get(r.recorded_by_id))],
            [("Outcome", r.outcome)],
        )
        for r in asye
    ]
    return documents


def _words(value: Any) -> str:
    return str(getattr(value, "value", value)).replace("_", " ")
