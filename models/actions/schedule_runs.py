"""The 12-month schedule of sessions (Nottingham 001 §2.4) for a whole
organisation: once a relationship's agreement is in force, its year of
sessions is planned as PLANNED rows by models.actions.schedule.plan_year,
which owns the dates and is safe to run again. This finds, in one query per
organisation, the relationships whose agreement in force has no planned
session yet, and plans each of them. Moving a cancelled session is
models.actions.schedule.cancel_session, done in the web app."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased, sessionmaker

from models.actions.schedule import ScheduleError, plan_years
from models.db import get_sessionmaker
from models.tables.org import StaffMember
from models.tables.supervision import (
    AgreementStatus,
    SessionStatus,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)
from policy.keys import parse_fact_id

ACTOR = "flow:schedule"
# Relationships planned in one transaction: their supervisees' histories are
# read together (a person at a time took about 40 ms each at council size).
BATCH_SIZE = 100


@dataclass(frozen=True)
class ScheduleCounts:
    organisation_id: int
    as_of: date
    relationships: int  # planned this run
    sessions: int  # PLANNED sessions created
    refused: tuple[str, ...] = ()  # "rel-4: why", for relationships plan_year refused
    failed: tuple[str, ...] = ()  # "rel-4: error", for relationships planning failed on

    def report_lines(self) -> list[str]:
        lines = [
            f"Planned {self.sessions} session(s) for the year ahead in "
            f"{self.relationships} supervision relationship(s) whose agreement came in force."
        ]
        lines += [f"- Not planned: {r}" for r in self.refused]
        lines += [f"- Planning failed: {r}" for r in self.failed]
        return lines


class PlanningFailed(RuntimeError):
    """Some relationships' year could not be planned; the message names them and why."""


def relationships_to_plan(
    organisation_id: int,
    as_of: date,
    relationship_ids: Sequence[int] | None = None,
    session_factory: sessionmaker | None = None,
) -> list[tuple[int, date]]:
    """(relationship id, plan from) for each relationship still running on
    as_of whose current agreement is in force and has nothing planned since it
    came in force: planned from that day, or from as_of if it came in force
    before (nothing is planned in the past)."""
    later = aliased(SupervisionSession)
    planned_since = exists().where(
        later.relationship_id == SupervisionRelationship.id,
        later.status == SessionStatus.PLANNED,
        later.planned_on >= SupervisionAgreement.in_force_on,
    )
    query = (
        select(SupervisionRelationship.id, SupervisionAgreement.in_force_on)
        .join(StaffMember, StaffMember.id == SupervisionRelationship.supervisee_id)
        .join(
            SupervisionAgreement,
            and_(
                SupervisionAgreement.relationship_id == SupervisionRelationship.id,
                SupervisionAgreement.status == AgreementStatus.IN_FORCE,
            ),
        )
        .where(
            StaffMember.organisation_id == organisation_id,
            SupervisionAgreement.in_force_on.is_not(None),
            SupervisionAgreement.in_force_on <= as_of,
            or_(
                SupervisionRelationship.ended_on.is_(None),
                SupervisionRelationship.ended_on > as_of,
            ),
            ~planned_since,
        )
        .order_by(SupervisionRelationship.id)
    )
    if relationship_ids is not None:
        query = query.where(SupervisionRelationship.id.in_(list(relationship_ids)))
    with (session_factory or get_sessionmaker())() as session:
        rows = session.execute(query).all()
    return [(rel_id, max(in_force_on, as_of)) for rel_id, in_force_on in rows]


def plan_schedules(
    organisation_id: int,
    as_of: date,
    subjects: Sequence[str] | None = None,
    session_factory: sessionmaker | None = None,
    batch_size: int = BATCH_SIZE,
) -> ScheduleCounts:
    """Plan the year for every relationship that needs it (or those among
    `subjects`, the engine's "rel-42" names), a batch of relationships to a
    transaction (models.actions.schedule.plan_years)."""
    rel_ids = None
    if subjects is not None:
        rel_ids = [i for i in (parse_fact_id(s, "rel") for s in subjects) if i is not None]
    todo = relationships_to_plan(organisation_id, as_of, rel_ids, session_factory)
    planned, sessions, refused, failed = 0, 0, [], []
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        outcomes = plan_years(organisation_id, batch, actor=ACTOR, session_factory=session_factory)
        for rel_id, from_date in batch:
            outcome = outcomes[rel_id]
            if isinstance(outcome, ScheduleError):  # the relationship ended meanwhile, say
                refused.append(f"rel-{rel_id}: {outcome}")
            elif isinstance(outcome, Exception):
                # One relationship's failure must not stop the others being planned;
                # the flow reports it, naming the relationship, once the rest is done.
                failed.append(f"rel-{rel_id} from {from_date.isoformat()}: "
                              f"{type(outcome).__name__}: {outcome}")  # fmt: skip
            else:
                planned += 1 if outcome.created else 0
                sessions += len(outcome.created)
    return ScheduleCounts(organisation_id, as_of, planned, sessions, tuple(refused), tuple(failed))


def raise_for_failures(counts: list[ScheduleCounts]) -> None:
    failed = [f"organisation {c.organisation_id}: {f}" for c in counts for f in c.failed]
    if failed:
        raise PlanningFailed(
            f"Could not plan the year's sessions for {len(failed)} relationship(s):\n"
            + "\n".join(failed)
        )
