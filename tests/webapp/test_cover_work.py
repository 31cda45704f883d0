"""While a supervisor is absent, the colleague covering for them does the
supervision (Wokingham 003 standards 12-13): they hold the absent supervisor's
open human tasks, record and sign the covered supervisees' sessions (held by
the cover supervisor, the relationship unchanged), record case directions and
registration checks. They may not sign the supervision agreement in the
absent supervisor's name: that task stays in their inbox, saying so. When the
cover ends, so does all of this; a supervisor who is not covering never could."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import (
    AppRole,
    CaseAllocation,
    CaseSupervision,
    CaseType,
    CoverArrangement,
    HumanTask,
    Organisation,
    RecordStatus,
    RegistrationCheck,
    StaffRole,
    SupervisionRelationship,
    SupervisionSession,
)
from models.actions.errors import NotPermitted
from models.actions.records import amend_record
from models.actions.sessions import RecordInput, record_session
from models.engine.reconcile import reconcile
from tests.factories import make_staff, make_user
from tests.webapp.conftest import TODAY, login, text_of

HELD_ON = date(2026, 2, 23)
RECORD = {
    "held_on": ["23", "2", "2026"],
    "duration_minutes": "90",
    "late_reason": "Grace was off sick in February",
    "s_review": "First session with Colin covering.",
    "s_personal": "Well.",
    "s_role": "Settling in.",
    "s_development": "Court skills.",
    "s_workload": "Caseload of 12.",
    "s_children": "Discussed by case ID.",
    "actions-0-description": "Book court skills training",
    "actions-0-due_on": ["20", "3", "2026"],
    "sign": "Sign and share the record",
}


@pytest.fixture
def people(db, world):
    """Colin covers for Grace (the worker's supervisor); Rita supervises nobody
    here and covers for nobody."""
    with db() as session, session.begin():
        org = session.get(Organisation, world.org_id)
        colin = make_staff(session, org, name="Colin Cover", role=StaffRole.TEAM_MANAGER)
        rita = make_staff(session, org, name="Rita Random", role=StaffRole.TEAM_MANAGER)
        make_user(session, colin, AppRole.SUPERVISOR, username="colin")
        make_user(session, rita, AppRole.SUPERVISOR, username="rita")
        return {"colin": colin.id, "rita": rita.id}


def _cover(db, world, people, *, starts_on=date(2026, 2, 16), ends_on=TODAY + timedelta(days=10)):
    with db() as session, session.begin():
        session.add(
            CoverArrangement(
                absent_supervisor_id=world.manager_id,
                cover_supervisor_id=people["colin"],
                starts_on=starts_on,
                ends_on=ends_on,
                reason="Sick leave",
                arranged_by_id=world.head_id,
            )
        )
    reconcile(
        organisation_id=world.org_id,
        lifecycles={"agreement", "personal_supervision"},
        as_of=TODAY,
        session_factory=db,
    )


def _end_cover(db):
    with db() as session, session.begin():
        for cover in session.scalars(select(CoverArrangement)):
            cover.ends_on = TODAY - timedelta(days=1)


def _record(db, world, staff_id, held_on=HELD_ON):
    return record_session(
        relationship_id=world.rel_id,
        recorder_staff_id=staff_id,
        record=RecordInput(
            held_on=held_on,
            duration_minutes=90,
            sections={"review": "Covered."},
            late_reason="Grace was off sick",
        ),
        sign=True,
        on=TODAY,
        session_factory=db,
    )


# --- the permission, in models/actions/permissions.py --------------------------------


def test_the_cover_supervisor_records_a_session_as_held_by_them_with_the_relationship_unchanged(
    db, world, people
):
    _cover(db, world, people)
    result = _record(db, world, people["colin"])
    with db() as session:
        row = session.get(SupervisionSession, result.session_id)
        assert row.record_status == RecordStatus.AWAITING_COUNTERSIGNATURE
        (signature,) = row.signatures
        assert signature.staff_id == people["colin"]
        assert row.record["recorded_by"] == people["colin"]
        assert row.record["covering_for"] == world.manager_id
        rel = session.get(SupervisionRelationship, world.rel_id)
        assert rel.supervisor_id == world.manager_id


def test_after_the_cover_ends_the_cover_supervisor_cannot_record_or_amend(db, world, people):
    _cover(db, world, people)
    signed = _record(db, world, people["colin"])
    _end_cover(db)
    with pytest.raises(NotPermitted, match="covering for them while the cover is in force"):
        _record(db, world, people["colin"], held_on=HELD_ON + timedelta(days=1))
    with pytest.raises(NotPermitted):
        amend_record(
            session_id=signed.session_id,
            by_staff_id=people["colin"],
            reason="Typo",
            on=TODAY,
            session_factory=db,
        )


def test_a_supervisor_who_is_not_covering_cannot_record_the_session(db, world, people):
    _cover(db, world, people)
    with pytest.raises(NotPermitted, match="Only the supervisor in this relationship"):
        _record(db, world, people["rita"])


def test_the_cover_supervisor_cannot_record_a_session_held_before_the_cover_began(
    db, world, people
):
    _cover(db, world, people, starts_on=date(2026, 2, 25))
    with pytest.raises(NotPermitted, match="sessions held from then on"):
        _record(db, world, people["colin"])


def test_the_absent_supervisor_still_records_their_own_relationships_sessions(db, world, people):
    _cover(db, world, people)
    result = _record(db, world, world.manager_id)
    with db() as session:
        row = session.get(SupervisionSession, result.session_id)
        assert row.record["covering_for"] is None


# --- the web app ---------------------------------------------------------------------


def _inbox_task_id(client, title: str) -> int:
    html = client.get("/inbox").get_data(as_text=True)
    match = re.search(rf'href="/tasks/(\d+)">\s*{re.escape(title)}\s*</a>', html)
    assert match, f"{title!r} is not in the inbox"
    return int(match.group(1))


def test_the_cover_supervisor_records_and_signs_from_the_moved_task_and_the_supervisee_countersigns(
    client, db, world, people
):
    _cover(db, world, people)
    login(client, "colin")
    task_id = _inbox_task_id(client, "Hold supervision with Sam Worker")
    page = text_of(client.get(f"/tasks/{task_id}"))
    assert "You are covering for Grace Manager" in page
    form = client.get(f"/tasks/{task_id}/supervision", follow_redirects=True)
    assert form.status_code == 200
    assert "Colin Cover" in text_of(form)  # may own an action
    response = client.post(
        f"/relationships/{world.rel_id}/sessions/new?task={task_id}",
        data={**RECORD, "actions-0-owner": str(world.worker_id)},
    )
    assert response.status_code == 302, text_of(response)[:1500]
    view = text_of(client.get(response.location))
    assert "Held and recorded by Colin Cover, covering for Grace Manager" in view
    assert "Colin Cover (covering for Grace Manager)" in view
    with db() as session:
        task = session.get(HumanTask, task_id)
        assert task.status == "completed" and task.completed_by_id == people["colin"]
    client.post("/logout")

    login(client, world.worker)
    countersign = _inbox_task_id(
        client, "Read and countersign your supervision record of 23 February 2026"
    )
    assert client.get(f"/tasks/{countersign}/supervision").status_code == 302


@pytest.mark.parametrize("who", ["rita", "colin_after_the_cover"])
def test_without_cover_in_force_the_session_forms_are_not_found(client, db, world, people, who):
    _cover(db, world, people)
    signed = _record(db, world, people["colin"])
    if who == "colin_after_the_cover":
        _end_cover(db)
    login(client, who.split("_")[0])
    assert client.get(f"/relationships/{world.rel_id}/sessions/new").status_code == 404
    assert (
        client.post(f"/relationships/{world.rel_id}/sessions/new", data=RECORD).status_code == 404
    )
    assert client.get(f"/sessions/{signed.session_id}/amend").status_code == 404
    assert client.get(f"/sessions/{signed.session_id}/edit").status_code == 404


def test_while_covering_the_session_forms_open_and_the_agreement_form_does_not(
    client, db, world, people
):
    _cover(db, world, people)
    login(client, "colin")
    assert client.get(f"/relationships/{world.rel_id}/sessions/new").status_code == 200
    assert client.get(f"/relationships/{world.rel_id}/sessions").status_code == 200
    assert client.get(f"/relationships/{world.rel_id}/agreement/sign").status_code == 404
    assert client.post(f"/relationships/{world.rel_id}/sessions/plan").status_code == 404


def test_the_agreement_task_stays_in_the_cover_supervisors_inbox_saying_only_the_supervisor_signs(
    client, db, world, people
):
    _cover(db, world, people)
    login(client, "colin")
    task_id = _inbox_task_id(client, "Draft and sign the supervision agreement with Sam Worker")
    page = client.get(f"/tasks/{task_id}")
    text = text_of(page)
    assert "Only Grace Manager can sign this" in text
    assert "between the named supervisor and Sam Worker" in text
    assert "/agreement/sign" not in page.get_data(as_text=True)
    assert "Draft and sign the agreement" not in text  # no button to a form they cannot use
    # The API says the same: no form.
    assert client.get(f"/api/tasks/{task_id}").get_json()["links"]["form"] is None


def _case(db, world) -> str:
    with db() as session, session.begin():
        session.add(
            CaseAllocation(
                organisation_id=world.org_id,
                case_ref="LCS-200001",
                case_type=CaseType.CHILD_IN_NEED,
                worker_id=world.worker_id,
                allocated_on=TODAY - timedelta(days=20),
            )
        )
    return "LCS-200001"


def test_the_cover_supervisor_records_a_case_direction_but_does_not_manage_the_case(
    client, db, world, people
):
    ref = _case(db, world)
    _cover(db, world, people)
    login(client, "colin")
    assert client.get(f"/cases/{ref}/supervise").status_code == 200
    response = client.post(
        f"/cases/{ref}/supervise",
        data={
            "supervised_on": [str(TODAY.day), str(TODAY.month), str(TODAY.year)],
            "decision": "Continue the plan",
            "rationale": "Progress is good",
        },
    )
    assert response.location == f"/cases/{ref}", text_of(response)[:1500]
    with db() as session:
        (direction,) = session.scalars(select(CaseSupervision)).all()
        assert direction.supervisor_id == people["colin"]
    for action in ("close", "reallocate", "frequency"):
        assert client.get(f"/cases/{ref}/{action}").status_code == 404, action


@pytest.mark.parametrize("who", ["rita", "colin_after_the_cover"])
def test_without_cover_in_force_case_supervision_is_not_found(client, db, world, people, who):
    ref = _case(db, world)
    _cover(db, world, people)
    if who == "colin_after_the_cover":
        _end_cover(db)
    login(client, who.split("_")[0])
    assert client.get(f"/cases/{ref}/supervise").status_code == 404
    assert client.get(f"/cases/{ref}/recorded").status_code == 404


def test_the_cover_supervisor_records_a_registration_check_and_not_after_the_cover(
    client, db, world, people
):
    _cover(db, world, people)
    login(client, "colin")
    check = {
        "kind": "registration",
        "checked_on": ["1", "3", "2026"],
        "reference": "SW123456",
    }
    response = client.post(f"/staff/{world.worker_id}/checks", data=check)
    assert response.status_code == 302, text_of(response)[:1500]
    _end_cover(db)
    assert client.post(f"/staff/{world.worker_id}/checks", data=check).status_code == 404
    with db() as session:
        assert len(session.scalars(select(RegistrationCheck)).all()) == 1


# --- nobody supervises themselves -------------------------------------------------


@pytest.fixture
def worker_covers_own_supervisor(db, world):
    """The worker (Grace's supervisee) covers for Grace, as a senior
    practitioner might; their colleague's work moves to them, their own does not."""
    with db() as session, session.begin():
        session.add(
            CoverArrangement(
                absent_supervisor_id=world.manager_id,
                cover_supervisor_id=world.worker_id,
                starts_on=date(2026, 2, 16),
                ends_on=TODAY + timedelta(days=10),
                reason="Annual leave",
                arranged_by_id=world.head_id,
            )
        )
    reconcile(
        organisation_id=world.org_id,
        lifecycles={"agreement", "personal_supervision"},
        as_of=TODAY,
        session_factory=db,
    )


def test_a_supervisee_covering_for_their_own_supervisor_cannot_record_their_own_session(
    db, world, worker_covers_own_supervisor
):
    with pytest.raises(NotPermitted, match="your own supervision"):
        _record(db, world, world.worker_id)


def test_work_about_the_cover_supervisor_stays_with_the_absent_supervisor_and_the_rest_moves(
    db, world, worker_covers_own_supervisor
):
    from models.actions.permissions import supervises_or_covers

    with db() as session:
        tasks = session.scalars(select(HumanTask)).all()
        about_worker = [t for t in tasks if t.subject_staff_id == world.worker_id and t.is_open]
        about_colleague = [
            t for t in tasks if t.subject_staff_id == world.colleague_id and t.is_open
        ]
        assert world.manager_id in {t.assignee_id for t in about_worker}
        assert all(t.reassignment != "cover" for t in about_worker)
        moved = [t for t in about_colleague if t.reassignment == "cover"]
        assert moved and {t.assignee_id for t in moved} == {world.worker_id}
        assert not supervises_or_covers(session, world.worker_id, world.worker_id, TODAY)
        assert supervises_or_covers(session, world.worker_id, world.colleague_id, TODAY)
