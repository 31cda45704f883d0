"""Recording a supervisee's group or peer reflective supervision (Bristol
002_d53851039f9fa32d.txt §6.1-6.5).

§6.1: practitioners working directly with children and families "should have
access to good quality group or peer reflective supervision once every four
weeks"; §6.2: "The supervisee's line manager must support practitioners to
access reflective group supervision"; §6.3 names the models (the council's
record_form.yaml, group_supervision); §6.5:
"Attendance at group/reflective supervision sessions should be captured and
recorded within the personal supervision record".

The engine owes the relationship's supervisor a `group_supervision` human task
every four weeks (policy/rules/personal_supervision.py `group_obligations`,
key group:{rel}:{due}); a GroupSupervisionAttendance row is the fact that
meets it, by the person who recorded it as if done in the inbox. The action
ends with unit_of_work.finish_action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.errors import ActionError, NotPermitted
from models.actions.permissions import may_record_for
from models.actions.unit_of_work import Audit, Finish, finish_action, open_tasks
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.tables.human_task import HumanTaskStatus
from models.tables.org import Organisation, StaffMember
from models.tables.supervision import GroupSupervisionAttendance, SupervisionRelationship
from policy import kinds, load_profile
from policy.dates import long_date
from policy.forms.record_form import record_form
from policy.keys import relationship_fact_id, staff_fact_id

RULE = "supervision.group"
TASK_KIND = "group_supervision"


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


def group_models(profile: str) -> dict[str, str]:
    """The models of group supervision the council's document names, in its
    words (Bristol §6.3), and any other: key -> label (its record_form.yaml)."""
    group = record_form(load_profile(profile)).group_supervision
    return dict(group.models) if group else {}


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
    with (session_factory or get_sessionmaker())() as session, session.begin():
        rel = _checked_relationship(
            session, relationship_id, recorder_staff_id, model, attended_on, on
        )
        organisation_id = rel.supervisee.organisation_id
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
        open_before = open_tasks(session, organisation_id, subject=subject, kinds={TASK_KIND})
        row = GroupSupervisionAttendance(
            staff_id=rel.supervisee_id,
            attended_on=attended_on,
            facilitator_id=facilitator_staff_id,
            model=model,
        )
        session.add(row)
        session.flush()
        done = _finish(session, rel, row, recorder_staff_id, actor_user_id, on)
        # The tasks this attendance meets are the ones the engine now calls met:
        # completed by the person who recorded it, as if done in the inbox.
        completed = [t for t in open_before if t.status == HumanTaskStatus.COMPLETED]
        for task in completed:
            task.completed_by_id = recorder_staff_id
            task.closed_reason = "completed in the inbox"
        return GroupAttendanceResult(
            attendance_id=row.id,
            recorded=True,
            completed_task_ids=tuple(sorted(t.id for t in completed)),
            next_task_ids=done.next_task_ids,
        )


def _checked_relationship(
    session: Session,
    relationship_id: int,
    recorder_staff_id: int,
    model: str,
    attended_on: date,
    on: date,
) -> SupervisionRelationship:
    """The relationship, under its organisation's lock, if this person may
    record its supervisee's group supervision of this model on `attended_on`."""
    rel = session.get(SupervisionRelationship, relationship_id)
    if rel is None:
        raise ActionError("That supervision relationship does not exist.")
    lock_organisation(session, rel.supervisee.organisation_id)
    session.refresh(rel)
    org = session.get(Organisation, rel.supervisee.organisation_id)
    if not council_records_group_supervision(org.profile):
        raise ActionError(
            "Your council's supervision policy has no group reflective supervision to record."
        )
    if model not in group_models(org.profile):
        raise ActionError("Select the model of group supervision used.")
    if attended_on > on:
        raise ActionError("The date attended must be today or in the past.")
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
    return rel


def _finish(
    session: Session,
    rel: SupervisionRelationship,
    row: GroupSupervisionAttendance,
    recorder_staff_id: int,
    actor_user_id: int | None,
    on: date,
):
    event = events.SESSION_GROUP_ATTENDED
    org = session.get(Organisation, rel.supervisee.organisation_id)
    facilitated = (
        f", facilitated by {staff_fact_id(row.facilitator_id)}" if row.facilitator_id else ""
    )
    return finish_action(
        session,
        Finish(
            organisation_id=rel.supervisee.organisation_id,
            actor_staff_id=recorder_staff_id,
            actor_user_id=actor_user_id,
            on=on,
            subjects={relationship_fact_id(rel.id)},
            lifecycles=kinds.kind(TASK_KIND).lifecycles,
            event=event,
            subject_id=rel.id,
            payload={
                "relationship_id": rel.id,
                "attendance_id": row.id,
                "attended_on": row.attended_on.isoformat(),
            },
            audit=Audit(
                "create",
                "group_supervision_attendance",
                row.id,
                rel.supervisee_id,
                f"{event.name}: attended on {long_date(row.attended_on)} "
                f"({group_models(org.profile)[row.model]}){facilitated}",
            ),
        ),
    )


def _long(day: date) -> str:
    return long_date(day)
