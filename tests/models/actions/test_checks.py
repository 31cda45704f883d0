"""Registration and DBS checks: recording one completes the task the engine
owed, and the next falls due when the check runs out."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import AuditEntry, CheckKind, HumanTask, RegistrationCheck
from models.actions.checks import record_registration_check, registration_valid_until
from models.actions.errors import ActionError, NotPermitted
from models.engine.reconcile import reconcile
from tests.models.actions.supervised_worker import TODAY, build, count_rows, open_tasks


@pytest.fixture
def people(db):
    return build(db)


def _record(db, people, *, by="manager", on=TODAY, **check):
    """Record a check of Sam's, made today by Grace unless told otherwise."""
    check = {"kind": CheckKind.REGISTRATION, "checked_on": on, "reference": "SW1", **check}
    return record_registration_check(
        staff_id=people["worker"],
        checker_staff_id=people[by],
        on=on,
        session_factory=db,
        **check,
    )


@pytest.mark.parametrize(
    ("checked_on", "renewed", "valid_until"),
    [
        (date(2026, 3, 2), False, date(2026, 11, 30)),
        (date(2026, 10, 1), False, date(2026, 11, 30)),
        (date(2026, 10, 1), True, date(2027, 11, 30)),
        (date(2026, 12, 5), False, date(2027, 11, 30)),
        (date(2026, 3, 2), True, date(2026, 11, 30)),  # outside the window: no renewal yet
    ],
)
def test_a_registration_check_holds_until_the_next_social_work_england_renewal(
    checked_on, renewed, valid_until
):
    assert registration_valid_until(checked_on, renewed) == valid_until


def test_recording_a_registration_check_completes_the_task_and_the_next_is_a_year_on(db, people):
    # Registration renews on 30 November 2026; the check opens a month before.
    with db() as session, session.begin():
        session.add(
            RegistrationCheck(
                staff_id=people["worker"],
                kind=CheckKind.REGISTRATION,
                checked_on=date(2025, 11, 20),
                valid_until=date(2026, 11, 30),
                reference="SW1",
            )
        )
    as_of = date(2026, 11, 2)
    reconcile(
        organisation_id=people["org"], lifecycles={"registration"}, as_of=as_of, session_factory=db
    )
    [task] = open_tasks(db, people["manager"], "registration_check")
    result = _record(db, people, on=as_of, reference="SW123456", renewed_for_next_year=True)
    assert result.valid_until == date(2027, 11, 30)
    assert result.completed_task_id == task.id
    assert open_tasks(db, people["manager"], "registration_check") == []
    with db() as session:
        assert session.get(HumanTask, task.id).status.value == "completed"
        [audit] = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "registration_check")
        )
        assert audit.subject_staff_id == people["worker"]


def test_a_dbs_recheck_is_due_after_the_configured_number_of_years(db, people, monkeypatch):
    monkeypatch.setenv("OVERSIGHT_DBS_RECHECK_YEARS", "2")
    result = _record(db, people, kind=CheckKind.DBS, reference="001234567890")
    assert result.valid_until == date(2028, 3, 2)


def test_a_dbs_recheck_defaults_to_three_years(db, people, monkeypatch):
    monkeypatch.delenv("OVERSIGHT_DBS_RECHECK_YEARS", raising=False)
    result = _record(db, people, kind=CheckKind.DBS, reference="001234567890")
    assert result.valid_until == date(2029, 3, 2)


@pytest.mark.parametrize("who", ["stranger", "head", "worker"])
def test_only_the_supervisor_records_a_check(db, people, who):
    with pytest.raises(NotPermitted):
        _record(db, people, by=who)
    assert count_rows(db, RegistrationCheck) == 0


def test_a_check_dated_in_the_future_is_refused(db, people):
    with pytest.raises(ActionError, match="today or in the past"):
        _record(db, people, checked_on=date(2026, 3, 3))
