"""Recording a supervisee's group or peer reflective supervision (Bristol
002_d53851039f9fa32d.txt §6.1-6.5).

§6.1: practitioners working directly with children and families "should have
access to good quality group or peer reflective supervision once every four
weeks"; §6.2: "The supervisee's line manager must support practitioners to
access reflective group supervision"; §6.3 names the models; §6.5:
"Attendance at group/reflective supervision sessions should be captured and
recorded within the personal supervision record".

The engine owes the relationship's supervisor a `group_supervision` human task
every four weeks (policy/rules/personal_supervision.py `group_obligations`,
key group:{rel}:{due}); a GroupSupervisionAttendance row is the fact that
meets it. Like models/actions/sessions.py: one transaction; lock the
organisation; record the fact; complete the human task it meets; reconcile
that subject; an outbox row; an audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from models.actions.errors import ActionError, NotPermitted
from models.actions.sessions import may_record_for
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation, reconcile_in_session
from models.tables.audit import AuditEntry
from models.tables.human_task import OPEN_STATUSES, HumanTask, HumanTaskStatus
from models.tables.org import Organisation, StaffMember
from models.tables.outbox import OutboxEvent
from models.tables.supervision import GroupSupervisionAttendance, SupervisionRelationship
from policy import load_profile
from policy.keys import relationship_fact_id

RULE = "supervision.group"
TASK_KIND = "group_supervision"
EVENT = "oversight.session.group-attended"

# §6.3 "it is recommended that the group supervision be set up and facilitated
# using one of the following models", in the document's words (the SoS entry
# reads "The SoS model of reflective practice model" there), and any other.
GROUP_MODELS: dict[str, str] = {
    "restorative_circles": "Restorative circles",
    "bells_that_ring": "The \u2018Bells that Ring\u2019 group supervision model",
    "intervision": "The intervision model of group supervision",
    "sos": "The SoS model of reflective practice",
    "another": "Another model",
}


@dataclass(frozen=True)
class GroupAttendanceResult:
    attendance_id: int
    # False when this day was already recorded (the same form sent twice):
    # nothing new was stored.
    recorded: bool
    completed_task_ids: tuple[int, ...]
    next_task_ids: tuple[int, ...]


def council_records_group_supervision(profile: str) -> bool:
    """Whether the council's policy owes group reflective supervision."""
    return load_profile(profile).rule(RULE) is not None


def record_group_attendance(
    *,
    relationship_id: int,
    recorder_staff_id: int,
    attended_on: date,
    model: str,
    facilitator_staff_id: int | None = None,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> GroupAttendanceResult:
    """Record that the relationship's supervisee attended group reflective
    supervision on `attended_on`, by its supervisor or the colleague covering
    for them. The same day recorded twice is stored once."""
    if model not in GROUP_MODELS:
        raise ActionError("Select the model of group supervision used.")
    if attended_on > on:
        raise ActionError("The date attended must be today or in the past.")
    with (session_factory or get_sessionmaker())() as session, session.begin():
        rel = session.get(SupervisionRelationship, relationship_id)
        if rel is None:
            raise ActionError("That supervision relationship does not exist.")
        organisation_id = rel.supervisee.organisation_id
        lock_organisation(session, organisation_id)
        session.refresh(rel)
        org = session.get(Organisation, organisation_id)
        if not council_records_group_supervision(org.profile):
            raise ActionError(
                "Your council's supervision policy has no group reflective supervision to record."
            )
        if recorder_staff_id == rel.supervisee_id:
            raise NotPermitted("You cannot record your own group supervision.")
        if not may_record_for(session, rel, recorder_staff_id, on):
            raise NotPermitted(
                "Only the supervisor in this relationship, or a colleague covering for them "
                "while the cover is in force, can record group supervision attendance."
            )
        if attended_on < rel.started_on:
            raise ActionError(
                f"The date attended must be on or after supervision with "
                f"{rel.supervisee.name} began ({_long(rel.started_on)})."
            )
        if rel.ended_on is not None and attended_on >= rel.ended_on:
            raise ActionError(
                f"The date attended must be before supervision with {rel.supervisee.name} "
                f"ended ({_long(rel.ended_on)})."
            )
        if facilitator_staff_id is not None:
            facilitator = session.get(StaffMember, facilitator_staff_id)
            if facilitator is None or facilitator.organisation_id != organisation_id:
                raise ActionError("Select the facilitator from the list, or leave it blank.")

        existing = session.scalars(
            select(GroupSupervisionAttendance).where(
                GroupSupervisionAttendance.staff_id == rel.supervisee_id,
                GroupSupervisionAttendance.attended_on == attended_on,
            )
        ).one_or_none()
        if existing is not None:
            # The same form sent twice (or the day recorded already by a
            # colleague): one row, nothing more to do.
            return GroupAttendanceResult(existing.id, False, (), ())

        subject = relationship_fact_id(rel.id)
        open_before = list(
            session.scalars(
                select(HumanTask).where(
                    HumanTask.organisation_id == organisation_id,
                    HumanTask.subject == subject,
                    HumanTask.kind == TASK_KIND,
                    HumanTask.status.in_(OPEN_STATUSES),
                )
            )
        )
        row = GroupSupervisionAttendance(
            staff_id=rel.supervisee_id,
            attended_on=attended_on,
            facilitator_id=facilitator_staff_id,
            model=model,
        )
        session.add(row)
        session.flush()
        reconciled = reconcile_in_session(
            session,
            organisation_id=organisation_id,
            lifecycles={"personal_supervision"},
            as_of=on,
            subjects={subject},
            actor=f"staff-{recorder_staff_id}",
        )
        # The tasks this attendance meets are the ones the engine now calls met:
        # completed by the person who recorded it, as if done in the inbox.
        completed = [t for t in open_before if t.status == HumanTaskStatus.COMPLETED]
        for task in completed:
            task.completed_by_id = recorder_staff_id
            task.closed_reason = "completed in the inbox"
        session.add(
            OutboxEvent(
                event=EVENT,
                resource_id=f"oversight.relationship.{rel.id}",
                payload={
                    "relationship_id": rel.id,
                    "attendance_id": row.id,
                    "organisation_id": organisation_id,
                    "attended_on": attended_on.isoformat(),
                    "on": on.isoformat(),
                },
            )
        )
        session.add(
            AuditEntry(
                actor_user_id=actor_user_id,
                actor=f"staff-{recorder_staff_id}",
                action="create",
                object_type="group_supervision_attendance",
                object_id=str(row.id),
                subject_staff_id=rel.supervisee_id,
                detail=(
                    f"{EVENT}: attended on {attended_on.isoformat()} ({GROUP_MODELS[model]})"
                    + (
                        f", facilitated by staff-{facilitator_staff_id}"
                        if facilitator_staff_id
                        else ""
                    )
                ),
            )
        )
        session.flush()
        return GroupAttendanceResult(
            attendance_id=row.id,
            recorded=True,
            completed_task_ids=tuple(sorted(t.id for t in completed)),
            next_task_ids=reconciled.created_ids,
        )


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
