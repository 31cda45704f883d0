"""Management oversight recorded on a child's record between case
supervisions (Wokingham standards 25-27; policy/rules/case_oversight.py), by
the worker's supervisor or line manager (or a colleague covering for the
supervisor). One transaction, ended by unit_of_work.finish_action: the case's
earliest open oversight task completed, the case reconciled, announced and
audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import sessionmaker

from models import events
from models.actions.answers import answered, earliest_open
from models.actions.cases import checked_case_id, locked_org_of, open_case
from models.actions.errors import ActionError, NotPermitted
from models.actions.permissions import may_supervise_case
from models.actions.unit_of_work import Audit, Finish, finish_action
from models.db import get_sessionmaker
from models.tables.case_oversight import CaseOversight
from policy import kinds
from policy.dates import long_date

__all__ = ["OversightRecorded", "record_case_oversight"]

SUMMARY_LIMIT = 4000
KIND = "case_oversight"


@dataclass(frozen=True)
class OversightRecorded:
    oversight_id: int
    completed_task_id: int | None


def record_case_oversight(
    *,
    case_ref: str,
    staff_id: int,
    recorded_on: date,
    summary: str,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> OversightRecorded:
    """The day the oversight went on the child's record, and what it said
    (the manager's view of the case and the rationale for any decision)."""
    ref = checked_case_id(case_ref)
    summary = (summary or "").strip()
    with (session_factory or get_sessionmaker())() as session, session.begin():
        organisation_id = locked_org_of(session, staff_id)
        allocation = open_case(session, organisation_id, ref)
        if not may_supervise_case(session, staff_id, allocation.worker_id, on):
            raise NotPermitted(
                f"Only the supervisor or line manager of the worker holding {ref} records "
                "management oversight on it."
            )
        _check(allocation.allocated_on, recorded_on, summary, on)
        row = CaseOversight(
            allocation_id=allocation.id, recorded_on=recorded_on, recorded_by_id=staff_id,
            summary=summary,
        )  # fmt: skip
        session.add(row)
        session.flush()
        task = earliest_open(session, organisation_id, ref, KIND)
        done = finish_action(
            session,
            Finish(
                organisation_id=organisation_id,
                actor_staff_id=staff_id,
                actor_user_id=actor_user_id,
                on=on,
                completed=answered(task),
                subjects={ref},
                lifecycles=kinds.kind(KIND).lifecycles,
                event=events.CASE_OVERSIGHT_RECORDED,
                subject_id=ref,
                payload={"case_oversight_id": row.id},
                audit=Audit(
                    "create",
                    "case_oversight",
                    row.id,
                    allocation.worker_id,
                    f"Management oversight on {ref} recorded on {long_date(recorded_on)}",
                ),
            ),
        )
        completed = done.completed_task_ids
        return OversightRecorded(row.id, completed[0] if completed else None)


def _check(allocated_on: date, recorded_on: date, summary: str, on: date) -> None:
    if recorded_on > on:
        raise ActionError("The date it was recorded must be today or in the past.")
    if recorded_on < allocated_on:
        raise ActionError("The date it was recorded must be on or after the case was allocated.")
    if not summary:
        raise ActionError("Enter the oversight recorded on the child's record.")
    if len(summary) > SUMMARY_LIMIT:
        raise ActionError(f"The oversight must be {SUMMARY_LIMIT} characters or fewer.")
