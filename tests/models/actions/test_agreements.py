"""Signing is two-party, each step is one transaction, and the next step is in
the next inbox at once, with or without Prefect."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models import (
    AgreementStatus,
    AuditEntry,
    HumanTask,
    HumanTaskStatus,
    OutboxEvent,
    SupervisionAgreement,
)
from models.actions.agreements import countersign_agreement, sign_agreement_as_supervisor
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.engine.reconcile import reconcile
from tests.worlds import START
from tests.worlds import new_starter as _new_starter

CONTENT = {"length": "2 hours", "venue": "Team office"}


def _open_tasks(db, assignee_id):
    with db() as session:
        return [
            t.kind
            for t in session.scalars(
                select(HumanTask).where(
                    HumanTask.assignee_id == assignee_id,
                    HumanTask.status.in_(("open", "escalated")),
                )
            )
        ]


@pytest.fixture
def relationship(db):
    org_id, rel_id, manager_id, worker_id, _head_id = _new_starter(db)
    reconcile(organisation_id=org_id, lifecycles={"agreement"}, as_of=START, session_factory=db)
    return rel_id, manager_id, worker_id


def test_the_supervisor_signs_then_the_supervisee_gets_the_countersign_task(db, relationship):
    rel_id, manager_id, worker_id = relationship
    assert _open_tasks(db, manager_id) == ["agreement"]

    result = sign_agreement_as_supervisor(
        relationship_id=rel_id,
        signer_staff_id=manager_id,
        content=CONTENT,
        frequency_weeks=4,
        on=date(2026, 1, 19),
        session_factory=db,
    )
    assert _open_tasks(db, manager_id) == []
    assert _open_tasks(db, worker_id) == ["agreement_countersign"]
    with db() as session:
        countersign = session.get(HumanTask, result.next_task_ids[0])
        assert countersign.title == "Countersign your supervision agreement"
        assert countersign.due_on == date(2026, 2, 16)
        agreement = session.get(SupervisionAgreement, result.agreement_id)
        assert agreement.status == AgreementStatus.AWAITING_COUNTERSIGNATURE


def test_when_both_have_signed_the_agreement_is_in_force_with_its_annual_review_date(
    db, relationship
):
    rel_id, manager_id, worker_id = relationship
    sign_agreement_as_supervisor(
        relationship_id=rel_id,
        signer_staff_id=manager_id,
        content=CONTENT,
        frequency_weeks=4,
        on=date(2026, 1, 19),
        session_factory=db,
    )
    result = countersign_agreement(
        relationship_id=rel_id, signer_staff_id=worker_id, on=date(2026, 1, 20), session_factory=db
    )
    assert _open_tasks(db, worker_id) == []
    with db() as session:
        agreement = session.get(SupervisionAgreement, result.agreement_id)
        assert agreement.status == AgreementStatus.IN_FORCE
        assert agreement.in_force_on == date(2026, 1, 20)
        assert agreement.review_due_on == date(2027, 1, 20)
        statuses = session.scalars(select(HumanTask.status).order_by(HumanTask.key)).all()
        assert set(statuses) == {HumanTaskStatus.COMPLETED}
        events = session.scalars(select(OutboxEvent.event).order_by(OutboxEvent.id)).all()
        assert events == [
            "oversight.agreement.signed-by-supervisor",
            "oversight.agreement.in-force",
        ]
        assert session.scalar(select(func.count(AuditEntry.id))) == 2


def test_a_supervisee_cannot_sign_as_the_supervisor(db, relationship):
    rel_id, _, worker_id = relationship
    with pytest.raises(NotPermitted):
        sign_agreement_as_supervisor(
            relationship_id=rel_id,
            signer_staff_id=worker_id,
            content=CONTENT,
            frequency_weeks=4,
            on=START,
            session_factory=db,
        )
    with db() as session:
        assert session.scalar(select(func.count(SupervisionAgreement.id))) == 0


def test_signing_twice_signs_once_and_says_so(db, relationship):
    rel_id, manager_id, _ = relationship
    sign_agreement_as_supervisor(
        relationship_id=rel_id,
        signer_staff_id=manager_id,
        content=CONTENT,
        frequency_weeks=4,
        on=START,
        session_factory=db,
    )
    with pytest.raises(AlreadySigned, match="already signed"):
        sign_agreement_as_supervisor(
            relationship_id=rel_id,
            signer_staff_id=manager_id,
            content=CONTENT,
            frequency_weeks=4,
            on=START,
            session_factory=db,
        )
    with db() as session:
        assert session.scalar(select(func.count(SupervisionAgreement.id))) == 1


def test_countersigning_before_the_supervisor_has_signed_is_refused_plainly(db, relationship):
    rel_id, _, worker_id = relationship
    with pytest.raises(ActionError, match="no agreement waiting for your countersignature"):
        countersign_agreement(
            relationship_id=rel_id, signer_staff_id=worker_id, on=START, session_factory=db
        )


def test_an_action_that_fails_half_way_stores_nothing(db, relationship, monkeypatch):
    rel_id, manager_id, _ = relationship
    import models.actions.unit_of_work

    def explode(*args, **kwargs):
        raise RuntimeError("the reconcile crashed")

    # Every action ends in the one unit of work, which reconciles.
    monkeypatch.setattr(models.actions.unit_of_work, "reconcile_in_session", explode)
    with pytest.raises(RuntimeError):
        sign_agreement_as_supervisor(
            relationship_id=rel_id,
            signer_staff_id=manager_id,
            content=CONTENT,
            frequency_weeks=4,
            on=START,
            session_factory=db,
        )
    with db() as session:
        assert session.scalar(select(func.count(SupervisionAgreement.id))) == 0
        assert session.scalar(select(func.count(OutboxEvent.id))) == 0
        assert session.scalars(select(HumanTask.status)).one() == HumanTaskStatus.OPEN


def test_re_signing_at_review_puts_the_new_version_in_the_supervisees_inbox_to_countersign(
    db, relationship
):
    rel_id, manager_id, worker_id = relationship
    sign_agreement_as_supervisor(
        relationship_id=rel_id,
        signer_staff_id=manager_id,
        content=CONTENT,
        frequency_weeks=4,
        on=START,
        session_factory=db,
    )
    first = countersign_agreement(
        relationship_id=rel_id, signer_staff_id=worker_id, on=START, session_factory=db
    )
    review_day = date(2026, 12, 14)  # within six weeks of the review falling due
    from models.engine.reconcile import reconcile as run

    with db() as session:
        org_id = session.get(
            SupervisionAgreement, first.agreement_id
        ).supervision_relationship.supervisee.organisation_id
    run(
        organisation_id=org_id,
        lifecycles={"agreement_review"},
        as_of=review_day,
        session_factory=db,
    )
    assert "agreement_review" in _open_tasks(db, manager_id)

    resigned = sign_agreement_as_supervisor(
        relationship_id=rel_id,
        signer_staff_id=manager_id,
        content=CONTENT,
        frequency_weeks=2,
        variation_reason="Practice issues agreed at the review (Lancashire §1.10).",
        on=review_day,
        session_factory=db,
    )
    assert "agreement_review" not in _open_tasks(db, manager_id)
    assert "agreement_countersign" in _open_tasks(db, worker_id)
    countersign_agreement(
        relationship_id=rel_id, signer_staff_id=worker_id, on=date(2026, 12, 15), session_factory=db
    )
    assert "agreement_countersign" not in _open_tasks(db, worker_id)
    with db() as session:
        statuses = {a.version: a.status for a in session.scalars(select(SupervisionAgreement))}
        assert statuses == {1: AgreementStatus.SUPERSEDED, 2: AgreementStatus.IN_FORCE}
        resigned_row = session.get(SupervisionAgreement, resigned.agreement_id)
        assert resigned_row.frequency_weeks == 2
        assert resigned_row.variation_reason.startswith("Practice issues")


def test_under_nottingham_the_year_of_sessions_is_planned_when_the_agreement_comes_in_force(db):
    from models import SessionStatus, SupervisionSession

    org_id, rel_id, manager_id, worker_id, _ = _new_starter(db, profile="nottingham")
    reconcile(organisation_id=org_id, lifecycles={"agreement"}, as_of=START, session_factory=db)
    sign_agreement_as_supervisor(
        relationship_id=rel_id,
        signer_staff_id=manager_id,
        content=CONTENT,
        frequency_weeks=4,
        on=date(2026, 1, 12),
        session_factory=db,
    )
    countersign_agreement(
        relationship_id=rel_id, signer_staff_id=worker_id, on=date(2026, 1, 13), session_factory=db
    )
    with db() as session:
        planned = session.scalars(
            select(SupervisionSession.planned_on)
            .where(SupervisionSession.status == SessionStatus.PLANNED)
            .order_by(SupervisionSession.planned_on)
        ).all()
    # 001 §2.4 "a schedule of supervision sessions covering the 12-month period"; new
    # staff fortnightly for their first 6 months (§1.4), then monthly.
    assert planned[0] > date(2026, 1, 13) and planned[-1] <= date(2027, 1, 13)
    assert 17 <= len(planned) <= 20
    assert all(day.weekday() < 5 for day in planned)


def test_under_lancashire_no_schedule_is_planned_automatically(db, relationship):
    from models import SupervisionSession

    rel_id, manager_id, worker_id = relationship
    sign_agreement_as_supervisor(
        relationship_id=rel_id,
        signer_staff_id=manager_id,
        content=CONTENT,
        frequency_weeks=4,
        on=START,
        session_factory=db,
    )
    countersign_agreement(
        relationship_id=rel_id, signer_staff_id=worker_id, on=START, session_factory=db
    )
    with db() as session:
        assert session.scalar(select(func.count(SupervisionSession.id))) == 0
