"""The plain functions under the Prefect tasks: no server needed."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import select

from models import HumanTask
from models.engine.lifecycle_runs import ReconcileCounts, ReconcileFailed, reconcile_lifecycle
from models.engine.organisations import (
    UnknownSubject,
    organisation_of_relationship,
    organisations_to_run,
)
from models.engine.transient import is_transient_error
from policy import load_profile
from tasks.artifacts import artifact_key, render_report
from tasks.retries import is_transient_failure

AS_OF = date(2026, 11, 9)


def open_tasks(db, organisation_id):
    with db() as session:
        return session.scalars(
            select(HumanTask).where(HumanTask.organisation_id == organisation_id)
        ).all()


def test_reconciling_an_organisation_puts_the_agreement_in_the_supervisors_inbox(
    db, new_relationships
):
    counts = reconcile_lifecycle(new_relationships["organisation_id"], "agreement", AS_OF)

    assert counts.created == 2
    tasks = sorted(open_tasks(db, new_relationships["organisation_id"]), key=lambda t: t.key)
    deadline = load_profile("lancashire").rule("agreement.deadline")["within"]
    assert [t.title for t in tasks] == [
        f"Draft and sign the supervision agreement with {name}"
        for name in new_relationships["supervisee_names"]
    ]
    assert {t.assignee_id for t in tasks} == {new_relationships["supervisor_id"]}
    assert {t.due_on for t in tasks} == {deadline.after(date(2026, 11, 2))}
    assert [t.key for t in tasks] == [
        f"agreement:rel-{i}" for i in new_relationships["relationship_ids"]
    ]


def test_reconciling_again_creates_nothing_new(db, new_relationships):
    org = new_relationships["organisation_id"]
    reconcile_lifecycle(org, "agreement", AS_OF)

    again = reconcile_lifecycle(org, "agreement", AS_OF)

    assert (again.created, again.completed, again.cancelled, again.escalated) == (0, 0, 0, 0)
    assert again.open_total == 2
    assert len(open_tasks(db, org)) == 2


def test_reconciling_one_relationship_touches_only_that_subject(db, new_relationships):
    org = new_relationships["organisation_id"]
    first, _second = new_relationships["relationship_ids"]

    counts = reconcile_lifecycle(org, "agreement", AS_OF, subjects=[f"rel-{first}"])

    assert counts.created == 1
    assert counts.subjects == (f"rel-{first}",)
    assert [t.subject for t in open_tasks(db, org)] == [f"rel-{first}"]


def test_an_overdue_agreement_is_counted_against_the_supervisees_team(db, new_relationships):
    org = new_relationships["organisation_id"]

    counts = reconcile_lifecycle(org, "agreement", date(2027, 3, 1))

    assert counts.overdue_by_team == {"Assessment Team 1": counts.overdue_total}
    assert counts.overdue_total >= 2
    assert counts.escalated >= 1


def test_a_failed_reconcile_names_the_organisation_subjects_and_cause(db):
    with pytest.raises(ReconcileFailed) as failure:
        reconcile_lifecycle(9999, "agreement", AS_OF, subjects=["rel-7"])

    message = str(failure.value)
    assert "organisation 9999" in message
    assert "rel-7" in message
    assert "No organisation with id 9999" in message
    assert not is_transient_error(failure.value)


def test_organisations_to_run_are_all_of_them_or_the_one_asked_for(db, new_relationships):
    org = new_relationships["organisation_id"]

    assert organisations_to_run() == {org: "Testshire County Council"}
    assert organisations_to_run(org) == {org: "Testshire County Council"}
    with pytest.raises(UnknownSubject, match="No organisation with id 9999"):
        organisations_to_run(9999)


def test_a_relationship_is_found_in_its_organisation(db, new_relationships):
    first, _ = new_relationships["relationship_ids"]

    assert organisation_of_relationship(first) == new_relationships["organisation_id"]
    with pytest.raises(UnknownSubject, match="No supervision relationship with id 9999"):
        organisation_of_relationship(9999)


def operational_error(message: str) -> sa_exc.OperationalError:
    return sa_exc.OperationalError("SELECT 1", {}, Exception(message))


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (operational_error("database is locked"), True),
        (operational_error("server closed the connection unexpectedly"), True),
        (sa_exc.DBAPIError("SELECT 1", {}, Exception("gone"), connection_invalidated=True), True),
        (sa_exc.TimeoutError("QueuePool limit reached"), True),
        (operational_error("no such table: human_task"), False),
        (sa_exc.IntegrityError("INSERT", {}, Exception("duplicate key")), False),
        (LookupError("No organisation with id 3"), False),
        (ValueError("bad profile"), False),
    ],
)
def test_only_passing_database_faults_are_retried(error, transient):
    assert is_transient_error(error) is transient


def test_a_wrapped_database_fault_is_still_retried():
    try:
        try:
            raise operational_error("could not connect to server")
        except sa_exc.OperationalError as cause:
            raise ReconcileFailed("Could not reconcile ...") from cause
    except ReconcileFailed as wrapped:
        assert is_transient_error(wrapped)


def test_the_retry_condition_reads_the_error_from_the_failed_state():
    from prefect.states import Failed

    assert is_transient_failure(None, None, Failed(data=operational_error("database is locked")))
    assert not is_transient_failure(None, None, Failed(data=ValueError("bad profile")))


def counts(**changes) -> ReconcileCounts:
    values = {
        "organisation_id": 3,
        "lifecycle": "agreement",
        "as_of": date(2026, 12, 1),
        "subjects": None,
        "created": 2,
        "completed": 1,
        "cancelled": 0,
        "reopened": 0,
        "escalated": 1,
        "open_total": 5,
        "overdue_by_team": {"Children in Care": 2, "Court | Appeals": 1},
    }
    values.update(changes)
    return ReconcileCounts(**values)


def test_the_report_shows_the_counts_and_overdue_by_team():
    report = render_report(counts(), "Demo County Council")

    assert report.startswith("# Agreement lifecycle: Demo County Council\n")
    assert "As of 1 December 2026." in report
    assert "| 2 | 1 | 0 | 0 | 1 | 0 | 5 | 3 |" in report
    assert "| Children in Care | 0 | 0 | 0 | 0 | 2 |" in report
    assert "| Court \\| Appeals | 0 | 0 | 0 | 0 | 1 |" in report


def test_the_report_says_when_nothing_is_overdue():
    report = render_report(counts(overdue_by_team={}, subjects=("rel-4",)))

    assert "# Agreement lifecycle: Organisation 3 for rel-4" in report
    assert "Nothing is overdue." in report


def test_a_lifecycle_named_by_its_initials_reads_as_them_in_the_report():
    report = render_report([counts(lifecycle="asye"), counts(lifecycle="personal_supervision")])

    assert report.startswith("# ASYE lifecycle: Organisation 3\n")
    assert "| ASYE | 2 |" in report
    assert "| Personal supervision | 2 |" in report


def test_a_report_for_several_lifecycles_has_a_row_each_and_adds_up_teams_and_escalations():
    first = counts(
        by_team_counts={"Children in Care": {"created": 2, "escalated": 1}},
        escalations=("Hold supervision with Sam Okafor (Children in Care, due 20 November 2026)",),
    )
    second = counts(
        lifecycle="recording",
        created=1,
        escalated=0,
        overdue_by_team={"Children in Care": 1},
        by_team_counts={"Children in Care": {"created": 1}},
    )

    report = render_report([first, second], "Demo", title="Personal supervision and recording",
                           extra=["Planned 12 session(s)."])  # fmt: skip

    assert report.startswith("# Personal supervision and recording: Demo\n")
    assert "Planned 12 session(s)." in report
    assert "| Agreement | 2 | 1 | 0 | 0 | 1 | 0 | 5 | 3 |" in report
    assert "| Recording | 1 | 1 | 0 | 0 | 0 | 0 | 5 | 1 |" in report
    assert "| Children in Care | 3 | 0 | 0 | 1 | 3 |" in report
    assert "- Hold supervision with Sam Okafor (Children in Care, due 20 November 2026)" in report


def test_artifact_keys_are_stable_and_valid_for_prefect():
    key = artifact_key("personal_supervision", 12)
    assert key == "personal-supervision-lifecycle-org-12"
    assert (
        artifact_key("agreement", 1, one_subject_run=True) == "agreement-lifecycle-org-1-subjects"
    )
    assert artifact_key("escalation-mail", 1, lifecycle=False) == "escalation-mail-org-1"
    assert (
        artifact_key("schedule", 1, one_subject_run=True, lifecycle=False)
        == "schedule-org-1-subjects"
    )
    assert re.fullmatch(r"[a-z0-9-]+", key)


def test_several_lifecycles_are_reconciled_in_one_go_with_counts_for_each(db, new_relationships):
    from models.engine.lifecycle_runs import reconcile_lifecycles

    org = new_relationships["organisation_id"]

    agreement, review = reconcile_lifecycles(org, ["agreement", "agreement_review"], AS_OF)

    assert (agreement.lifecycle, agreement.created, agreement.open_total) == ("agreement", 2, 2)
    assert (review.lifecycle, review.created) == ("agreement_review", 0)
    assert agreement.by_team_counts == {"Assessment Team 1": {"created": 2}}


def test_an_escalation_is_counted_by_team_and_named_in_the_counts(db, new_relationships):
    from models.engine.lifecycle_runs import reconcile_lifecycles

    org = new_relationships["organisation_id"]
    reconcile_lifecycles(org, ["agreement"], AS_OF)

    [later] = reconcile_lifecycles(org, ["agreement"], date(2027, 3, 1))

    assert later.escalated == 2
    team = later.by_team_counts["Assessment Team 1"]
    assert team["escalated"] == 2
    assert team["overdue"] == later.overdue_total
    assert sorted(later.escalations)[0].startswith(
        "Draft and sign the supervision agreement with Ella Price (Assessment Team 1, due "
    )


def test_a_person_run_covers_their_relationships_either_side_and_a_case_run_its_case(
    db, new_relationships
):
    from models import CaseAllocation, CaseType
    from models.engine.organisations import scope_for

    org = new_relationships["organisation_id"]
    first, second = new_relationships["relationship_ids"]
    supervisor = new_relationships["supervisor_id"]
    with db() as session, session.begin():
        session.add(
            CaseAllocation(
                organisation_id=org,
                case_ref="LCS-123456",
                case_type=CaseType.CHILD_IN_NEED,
                worker_id=supervisor,
                allocated_on=AS_OF,
            )
        )

    person = scope_for(staff_id=supervisor)
    case = scope_for(case_ref="lcs-123456")
    relationship = scope_for(relationship_id=first)

    assert person.organisation_id == org
    assert set(person.subjects) == {f"staff-{supervisor}", f"rel-{first}", f"rel-{second}",
                                    "LCS-123456"}  # fmt: skip
    assert (case.organisation_id, case.subjects) == (org, ("LCS-123456",))
    assert relationship.subjects == (f"rel-{first}",)
    assert scope_for(organisation_id=org).subjects is None


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ({"staff_id": 9999}, "No member of staff with id 9999"),
        ({"case_ref": "LCS-999999"}, "No case LCS-999999 has been allocated"),
        ({"case_ref": "Jane Smith"}, "is not a case ID"),
        ({"relationship_id": 1, "staff_id": 2}, "one subject at a time"),
    ],
)
def test_a_run_for_a_subject_that_does_not_exist_says_which(db, asked, message):
    from models.engine.organisations import scope_for

    with pytest.raises((UnknownSubject, ValueError), match=message):
        scope_for(**asked)
