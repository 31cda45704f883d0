"""Registration and DBS checks a supervisor records for their supervisee.

Lancashire 000 §1.16: "Supervisors must check that the professional
registration of their staff is maintained". Nottingham 001 §1.5: "update and
review HCPC and Disclosure and Barring Service (DBS) registrations". The
engine owes them (policy/rules/workforce.py); recording one completes the
owed human task and reconciles the person, in one transaction ended by
finish_action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.errors import ActionError
from models.actions.permissions import supervised_person
from models.actions.unit_of_work import Audit, Finish, finish_action, open_tasks
from models.configuration import dbs_recheck_years
from models.db import get_sessionmaker
from models.tables.oversight import CheckKind, RegistrationCheck
from policy.dates import long_date
from policy.keys import staff_fact_id

LIFECYCLES = frozenset({"registration"})
# The human task each check answers, and the event that announces it.
TASK_KIND = {CheckKind.REGISTRATION: "registration_check", CheckKind.DBS: "dbs_check"}
EVENT = {
    CheckKind.REGISTRATION: events.REGISTRATION_CHECK_RECORDED,
    CheckKind.DBS: events.DBS_CHECK_RECORDED,
}


@dataclass(frozen=True)
class CheckResult:
    check_id: int
    valid_until: date
    completed_task_id: int | None


def registration_valid_until(checked_on: date, renewed_for_next_year: bool) -> date:
    """Social Work England registration is renewed every year between
    1 September and 30 November (national rule; the seeds say only that it
    must be maintained, Lancashire §1.16). A check confirms registration up to
    the next 30 November; a check in the renewal window that sees the renewal
    done confirms it to the following 30 November."""
    deadline = date(checked_on.year, 11, 30)
    if checked_on > deadline:
        deadline = date(checked_on.year + 1, 11, 30)
    in_window = date(checked_on.year, 9, 1) <= checked_on <= date(checked_on.year, 11, 30)
    if renewed_for_next_year and in_window:
        deadline = date(deadline.year + 1, 11, 30)
    return deadline


def valid_until(kind: CheckKind, checked_on: date, renewed_for_next_year: bool) -> date:
    """Until when a check holds: registration to a 30 November, a DBS
    certificate for the local re-check interval (OVERSIGHT_DBS_RECHECK_YEARS)."""
    if kind == CheckKind.REGISTRATION:
        return registration_valid_until(checked_on, renewed_for_next_year)
    return checked_on + relativedelta(years=dbs_recheck_years())


def record_registration_check(
    *,
    staff_id: int,
    checker_staff_id: int,
    kind: CheckKind,
    checked_on: date,
    reference: str,
    renewed_for_next_year: bool = False,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CheckResult:
    """Record a check of this person's registration or DBS certificate, made
    by their supervisor or a colleague covering for the supervisor that day."""
    kind = CheckKind(kind)
    with (session_factory or get_sessionmaker())() as session, session.begin():
        person = _checked_person(session, staff_id, checker_staff_id, checked_on, on)
        check = RegistrationCheck(
            staff_id=staff_id,
            kind=kind,
            checked_on=checked_on,
            valid_until=valid_until(kind, checked_on, renewed_for_next_year),
            reference=reference.strip(),
            checked_by_id=checker_staff_id,
        )
        session.add(check)
        session.flush()
        subject = staff_fact_id(staff_id)
        # A DBS check moves the re-check's due date on (models/engine/facts_loader.py), so
        # the owed one is completed here; the reconcile then opens the next.
        owed = open_tasks(session, person.organisation_id, subject=subject, kinds={TASK_KIND[kind]})
        finish_action(
            session,
            Finish(
                organisation_id=person.organisation_id,
                actor_staff_id=checker_staff_id,
                actor_user_id=actor_user_id,
                on=on,
                completed=owed,
                subjects={subject},
                lifecycles=LIFECYCLES,
                event=EVENT[kind],
                subject_id=staff_id,
                payload={"check_id": check.id},
                audit=Audit(
                    "create",
                    "registration_check",
                    check.id,
                    staff_id,
                    f"Recorded a {kind.value} check dated {long_date(checked_on)}",
                ),
            ),
        )
        return CheckResult(check.id, check.valid_until, owed[0].id if owed else None)


def _checked_person(session: Session, staff_id: int, checker_staff_id: int, checked_on, on):
    """The person, with the organisation locked, if this checker may record
    this check of them today."""
    person = supervised_person(session, staff_id, checker_staff_id, on, "their checks")
    if checked_on > on:
        raise ActionError("The date of the check must be today or in the past.")
    if checked_on < on - relativedelta(years=1):
        raise ActionError("The date of the check must be within the last year.")
    return person
