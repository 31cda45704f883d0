"""Lancashire's Group Supervision Agreement in the tables: the supervisor
issues it, everyone named signs once, the last signature puts it in force,
and the next step is in the next inbox at once."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from models import (
    AuditEntry,
    GroupAgreementSignatory,
    GroupAgreementStatus,
    GroupSupervisionAgreement,
    HumanTask,
    HumanTaskStatus,
    OutboxEvent,
    StaffRole,
    SupervisionGroup,
)
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.group_agreements import (
    AlreadyIssued,
    GroupAgreementDraft,
    end_supervision_group,
    issue_group_agreement,
    sign_group_agreement,
)
from models.engine.reconcile import reconcile
from tests.factories import make_organisation, make_staff, make_team

ISSUED = date(2026, 3, 2)


@pytest.fixture
def people(db):
    """A team manager, their head of service, a coordinator and three workers."""
    with db() as session, session.begin():
        org = make_organisation(session)
        team = make_team(session, org)
        head = make_staff(session, org, name="Priya Shah", role=StaffRole.SENIOR_MANAGER)
        manager = make_staff(
            session, org, name="Grace Adeyemi", role=StaffRole.TEAM_MANAGER, line_manager=head
        )
        coordinator = make_staff(
            session, org, name="Chloe Ward", role=StaffRole.BUSINESS_SUPPORT, team=team
        )
        workers = [
            make_staff(session, org, name=f"Worker {n}", line_manager=manager, team=team)
            for n in range(3)
        ]
        return {
            "org": org.id,
            "team": team.id,
            "head": head.id,
            "manager": manager.id,
            "coordinator": coordinator.id,
            "workers": [w.id for w in workers],
        }


def _draft(people, **changes) -> GroupAgreementDraft:
    draft = GroupAgreementDraft(
        name="Assessment Team group supervision",
        team_id=people["team"],
        coordinator_id=people["coordinator"],
        supervisee_ids=people["workers"],
        venue="Room 2, County Hall",
        frequency_weeks=4,
        content={"length": "90 minutes", "recording": "Workbook, by the team coordinator"},
    )
    return replace(draft, **changes)


def _issue(db, people, on=ISSUED, **kw):
    return issue_group_agreement(
        organisation_id=people["org"],
        supervisor_staff_id=people["manager"],
        draft=kw.pop("draft", None) or _draft(people),
        on=on,
        session_factory=db,
        **kw,
    )


def _open(db, assignee_id):
    with db() as session:
        return sorted(
            t.kind
            for t in session.scalars(
                select(HumanTask).where(
                    HumanTask.assignee_id == assignee_id,
                    HumanTask.status.in_(("open", "escalated")),
                )
            )
        )


def _sign(db, result, staff_id, on=date(2026, 3, 4)):
    return sign_group_agreement(
        agreement_id=result.agreement_id, signer_staff_id=staff_id, on=on, session_factory=db
    )


def test_issuing_puts_a_signature_in_the_coordinators_and_each_supervisees_inbox(db, people):
    result = _issue(db, people)
    assert len(result.next_task_ids) == 4  # coordinator + three supervisees
    for staff_id in [people["coordinator"], *people["workers"]]:
        assert _open(db, staff_id) == ["group_agreement_sign"]
    assert _open(db, people["manager"]) == []
    with db() as session:
        task = session.get(HumanTask, result.next_task_ids[0])
        assert (
            task.title
            == "Sign the group supervision agreement for Assessment Team group supervision"
        )
        assert task.due_on == date(2026, 4, 13)
        assert task.subject == f"grp-{result.group_id}"
        assert task.subject_staff_id == people["manager"]
        agreement = session.get(GroupSupervisionAgreement, result.agreement_id)
        assert agreement.status == GroupAgreementStatus.AWAITING_SIGNATURES
        assert [s.signed_on for s in agreement.signatories] == [ISSUED, None, None, None, None]


def test_the_last_signature_puts_it_in_force_with_its_annual_review(db, people):
    result = _issue(db, people)
    for staff_id in [people["coordinator"], *people["workers"][:2]]:
        assert not _sign(db, result, staff_id).in_force
    last = _sign(db, result, people["workers"][2], on=date(2026, 3, 9))
    assert last.in_force
    with db() as session:
        agreement = session.get(GroupSupervisionAgreement, result.agreement_id)
        assert agreement.status == GroupAgreementStatus.IN_FORCE
        assert (agreement.in_force_on, agreement.review_due_on) == (
            date(2026, 3, 9),
            date(2027, 3, 9),
        )
        events = session.scalars(select(OutboxEvent.event).order_by(OutboxEvent.id)).all()
        assert events[-1] == "oversight.group-agreement.in-force"
    # The review is a year away, so not in anyone's inbox yet.
    for staff_id in [people["manager"], people["coordinator"], *people["workers"]]:
        assert _open(db, staff_id) == []


def test_signing_twice_signs_once(db, people):
    result = _issue(db, people)
    _sign(db, result, people["workers"][0])
    with pytest.raises(AlreadySigned):
        _sign(db, result, people["workers"][0])
    with db() as session:
        signed = session.scalar(
            select(func.count())
            .select_from(GroupAgreementSignatory)
            .where(GroupAgreementSignatory.signed_on.isnot(None))
        )
        assert signed == 2  # the supervisor, and this worker once


def test_someone_not_named_on_the_agreement_cannot_sign_it(db, people):
    result = _issue(db, people)
    with pytest.raises(NotPermitted):
        _sign(db, result, people["head"])


def test_amending_issues_a_new_version_everyone_signs_again_and_the_old_stays_in_force(db, people):
    first = _issue(db, people)
    for staff_id in [people["coordinator"], *people["workers"]]:
        _sign(db, first, staff_id)
    with pytest.raises(ActionError, match="Say why"):
        _issue(db, people, on=date(2026, 6, 1), group_id=first.group_id)
    second = _issue(
        db,
        people,
        on=date(2026, 6, 1),
        group_id=first.group_id,
        draft=_draft(people, frequency_weeks=3),
        amendment_reason="Meeting every three weeks while the team takes on new cases",
    )
    with db() as session:
        group = session.get(SupervisionGroup, first.group_id)
        assert [(v.version, v.status.value) for v in group.versions] == [
            (1, "in_force"),
            (2, "awaiting_signatures"),
        ]
    for staff_id in [people["coordinator"], *people["workers"]]:
        assert _open(db, staff_id) == ["group_agreement_sign"]
        _sign(db, second, staff_id, on=date(2026, 6, 3))
    with db() as session:
        group = session.get(SupervisionGroup, first.group_id)
        assert [(v.version, v.status.value) for v in group.versions] == [
            (1, "superseded"),
            (2, "in_force"),
        ]


def test_reissuing_before_everyone_signed_replaces_the_old_version_and_its_tasks(db, people):
    first = _issue(db, people)
    _sign(db, first, people["workers"][0])
    second = _issue(
        db,
        people,
        on=date(2026, 3, 9),
        group_id=first.group_id,
        draft=_draft(people, supervisee_ids=people["workers"][:2]),
        amendment_reason="Worker 2 has moved to another team",
    )
    assert _open(db, people["workers"][2]) == []
    assert _open(db, people["workers"][0]) == ["group_agreement_sign"]
    with pytest.raises(ActionError, match="replaced by version 2"):
        _sign(db, first, people["workers"][1])
    with db() as session:
        cancelled = session.scalars(
            select(HumanTask.key).where(HumanTask.status == HumanTaskStatus.CANCELLED)
        ).all()
        assert len(cancelled) == 3  # version 1's outstanding signatures
        assert session.get(GroupSupervisionAgreement, second.agreement_id).version == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"supervisee_ids": []}, "at least 2 supervisees"),
        ({"name": "  "}, "Enter a name for the group"),
        ({"frequency_weeks": 0}, "between 1 and 52 weeks"),
    ],
)
def test_a_bad_draft_says_what_to_fix_and_stores_nothing(db, people, change, message):
    with pytest.raises(ActionError, match=message):
        _issue(db, people, draft=_draft(people, **change))
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionGroup)) == 0
        assert session.scalar(select(func.count()).select_from(HumanTask)) == 0


def test_the_supervisor_cannot_also_be_a_member(db, people):
    draft = _draft(people, coordinator_id=people["manager"])
    with pytest.raises(ActionError, match="do not name yourself"):
        _issue(db, people, draft=draft)


def test_a_council_whose_policy_has_no_group_agreement_cannot_issue_one(db, people):
    with db() as session, session.begin():
        org = make_organisation(session, profile="bristol")
        manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER)
        members = [make_staff(session, org) for _ in range(3)]
        ids = (org.id, manager.id, [m.id for m in members])
    with pytest.raises(ActionError, match="no group supervision agreement"):
        issue_group_agreement(
            organisation_id=ids[0],
            supervisor_staff_id=ids[1],
            draft=GroupAgreementDraft("Group", None, ids[2][0], ids[2][1:], "", 4, {}),
            on=ISSUED,
            session_factory=db,
        )


def test_an_overdue_signature_goes_to_the_supervisors_line_manager(db, people):
    result = _issue(db, people)
    reconcile(
        organisation_id=people["org"],
        lifecycles={"agreement"},
        as_of=date(2026, 4, 15),
        session_factory=db,
    )
    escalations = _open(db, people["head"])
    assert escalations == ["escalation"] * 4
    with db() as session:
        titles = session.scalars(
            select(HumanTask.title).where(HumanTask.kind == "escalation").order_by(HumanTask.key)
        ).all()
        assert titles[0] == (
            "Overdue group supervision agreement: Chloe Ward has not signed "
            "(Assessment Team group supervision)"
        )
    assert result.group_id


def test_ending_the_group_closes_what_was_owed_and_is_audited(db, people):
    result = _issue(db, people)
    end_supervision_group(
        group_id=result.group_id,
        organisation_id=people["org"],
        by_staff_id=people["manager"],
        reason="The team has merged with Assessment Team 2",
        on=date(2026, 3, 10),
        session_factory=db,
    )
    assert _open(db, people["workers"][0]) == []
    with pytest.raises(ActionError, match="ended"):
        _sign(db, result, people["workers"][0], on=date(2026, 3, 11))
    with db() as session:
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == "group_supervision_agreement")
            .order_by(AuditEntry.id)
        ).all()
        assert actions == ["sign", "end"]


def test_two_people_signing_at_once_both_count_and_it_comes_into_force_once(
    db, people, postgres_only
):
    result = _issue(db, people)
    _sign(db, result, people["coordinator"])
    _sign(db, result, people["workers"][0])
    errors = []

    def sign(staff_id):
        try:
            _sign(db, result, staff_id, on=date(2026, 3, 5))
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=sign, args=(s,)) for s in people["workers"][1:]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db() as session:
        agreement = session.get(GroupSupervisionAgreement, result.agreement_id)
        assert agreement.status == GroupAgreementStatus.IN_FORCE
        assert agreement.outstanding == []
        events = session.scalars(
            select(OutboxEvent.event).where(OutboxEvent.event.like("%in-force"))
        ).all()
        assert events == ["oversight.group-agreement.in-force"]


def test_a_form_sent_twice_issues_once(db, people):
    """The web form says which version it was filled in from, and a supervisor's
    groups that have not ended have different names."""
    first = _issue(db, people)
    with pytest.raises(AlreadyIssued, match="already have a group called") as clash:
        _issue(db, people)
    assert clash.value.group_id == first.group_id
    second = _issue(
        db, people, group_id=first.group_id, amendment_reason="A review", replaces_version=1
    )
    with pytest.raises(AlreadyIssued, match="Version 2 of this group's agreement"):
        _issue(db, people, group_id=first.group_id, amendment_reason="A review", replaces_version=1)
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionGroup)) == 1
        assert session.get(GroupSupervisionAgreement, second.agreement_id).version == 2


def test_an_ended_group_gets_no_new_version(db, people):
    result = _issue(db, people)
    end_supervision_group(
        group_id=result.group_id,
        organisation_id=people["org"],
        by_staff_id=people["manager"],
        reason="Merged",
        on=date(2026, 3, 10),
        session_factory=db,
    )
    with pytest.raises(ActionError, match="draw up a new group instead"):
        _issue(db, people, group_id=result.group_id, amendment_reason="Restart")
    # Its name is free again for a new group.
    assert _issue(db, people, on=date(2026, 3, 11)).group_id != result.group_id
