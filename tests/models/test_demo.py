"""The demo organisation: deterministic, idempotent, and a live inbox at once."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from models import (
    CaseAllocation,
    HumanTask,
    Observation,
    RecordStatus,
    SessionAction,
    SignatoryParty,
    StaffMember,
    SupervisionSession,
    UserAccount,
)
from models.demo import load_demo
from models.engine.facts_loader import load_facts
from models.engine.reconcile import reconcile
from models.tables.cases import CASE_ID_PATTERN
from policy import ObligationStatus, compute_obligations, load_profile
from policy.facts import CASE_TYPES
from policy.forms.record_form import record_form
from tests.conftest import _empty_all_tables

TODAY = date(2026, 11, 23)


def _inbox(db, username):
    with db() as session:
        user = session.scalars(select(UserAccount).where(UserAccount.username == username)).one()
        return sorted(
            t.title
            for t in session.scalars(
                select(HumanTask).where(
                    HumanTask.assignee_id == user.staff_id,
                    HumanTask.status.in_(("open", "escalated")),
                )
            )
        )


def test_loading_the_demo_twice_creates_it_once(db):
    first = load_demo(today=TODAY, session_factory=db)
    second = load_demo(today=TODAY, session_factory=db)
    assert first.created and not second.created
    assert first.organisation_id == second.organisation_id
    with db() as session:
        assert 35 <= session.scalar(select(func.count(StaffMember.id))) <= 45


def test_the_demo_gives_each_highlighted_login_a_live_inbox(db):
    summary = load_demo(today=TODAY, session_factory=db)
    reconcile(
        organisation_id=summary.organisation_id,
        lifecycles={"agreement"},
        as_of=TODAY,
        session_factory=db,
    )
    assert _inbox(db, "grace.adeyemi") == [
        "Draft and sign the supervision agreement with Sam Okafor"
    ]
    assert _inbox(db, "chloe.ward") == ["Countersign your supervision agreement"]
    assert "Draft and sign the supervision agreement with Jordan Ellis" in _inbox(db, "tom.hughes")
    assert _inbox(db, "priya.shah") == [
        "Overdue supervision agreement: Tom Hughes and Jordan Ellis"
    ]


def _demo_facts(db):
    summary = load_demo(today=TODAY, session_factory=db)
    with db() as session:
        return load_facts(session, summary.organisation_id)


def _owed(profile, facts, lifecycle=None):
    return [
        o
        for o in compute_obligations(load_profile(profile), facts, TODAY)
        if o.status is not ObligationStatus.MET and (lifecycle is None or o.lifecycle == lifecycle)
    ]


def test_every_lancashire_lifecycle_has_something_owed_on_the_day_the_demo_loads(db):
    facts = _demo_facts(db)
    profile = load_profile("lancashire")
    lifecycles = {o.lifecycle for o in compute_obligations(profile, facts, TODAY)}
    assert lifecycles >= {
        "agreement",
        "agreement_review",
        "personal_supervision",
        "asye",
        "case_supervision",
        "recording",
        "observation",
        "development",
        "sampling",
        "registration",
    }
    live = {o.lifecycle for o in _owed("lancashire", facts)}
    assert live == lifecycles


def test_the_demo_has_cases_of_every_type_by_case_id_some_overdue_one_reallocated(db):
    facts = _demo_facts(db)
    assert {c.type for c in facts.cases} == set(CASE_TYPES)
    assert all(CASE_ID_PATTERN.fullmatch(c.id) for c in facts.cases)
    assert [c.allocated_on for c in facts.cases if c.allocated_on == TODAY - timedelta(days=8)]
    overdue = {
        o.subject
        for o in _owed("lancashire", facts, "case_supervision")
        if o.status is ObligationStatus.OVERDUE
    }
    assert overdue and overdue < {c.id for c in facts.cases}
    with db() as session:
        reallocated = session.scalars(
            select(CaseAllocation.case_ref).where(CaseAllocation.ended_on.is_not(None))
        ).all()
    assert len(reallocated) == 1 and reallocated[0] in {c.id for c in facts.cases}


def test_the_demo_has_a_direction_and_a_decision_to_record(db):
    facts = _demo_facts(db)
    recording = {o.kind for o in _owed("lancashire", facts, "recording")}
    # and Ella Price's latest record, which her supervisor has signed, awaits hers;
    # and the actions agreed at Ben Foster's last session (models/demo/session_details.py)
    assert recording == {"case_record", "decision_record", "record_countersign", "session_action"}
    assert [d.recorded_on for d in facts.decisions].count(None) == 1


def test_the_demo_has_a_student_an_agency_worker_and_one_registration_check_due(db):
    facts = _demo_facts(db)
    assert [s.role for s in facts.staff].count("student") == 1
    assert [s.employment for s in facts.staff].count("agency") == 1
    (due,) = _owed("lancashire", facts, "registration")
    assert due.status is ObligationStatus.DUE


def test_the_demo_records_are_signed_by_both_but_one_awaits_countersignature(db):
    load_demo(today=TODAY, session_factory=db)
    with db() as session:
        statuses = session.scalars(select(SupervisionSession.record_status)).all()
        awaiting = session.scalars(
            select(SupervisionSession).where(
                SupervisionSession.record_status == RecordStatus.AWAITING_COUNTERSIGNATURE
            )
        ).all()
        assert len(awaiting) == 1
        assert [s.party for s in awaiting[0].signatures] == [SignatoryParty.SUPERVISOR]
    assert statuses.count(RecordStatus.SIGNED) > 100


def test_the_demo_shows_retention_under_nottingham_and_absence_without_cover_under_wokingham(db):
    facts = _demo_facts(db)
    (deletion,) = _owed("nottingham", facts, "retention")
    assert deletion.status is ObligationStatus.OVERDUE
    (absence,) = _owed("wokingham", facts, "supervisor_absence")
    assert absence.status is ObligationStatus.OVERDUE and absence.met_on is None


def test_every_signed_demo_record_has_content_with_children_by_case_id_only(db):
    load_demo(today=TODAY, session_factory=db)
    agenda = record_form(load_profile("lancashire")).worker
    with db() as session:
        signed = session.scalars(
            select(SupervisionSession).where(
                SupervisionSession.record_status.in_(
                    (RecordStatus.SIGNED, RecordStatus.AWAITING_COUNTERSIGNATURE)
                )
            )
        ).all()
        names = set(session.scalars(select(StaffMember.name)))
        case_ids = set(session.scalars(select(CaseAllocation.case_ref)))
        reviewed = session.scalar(
            select(func.count(SessionAction.id)).where(
                SessionAction.reviewed_in_session_id.is_not(None),
                SessionAction.done_on.is_not(None),
            )
        )
    assert signed
    for row in signed:
        sections = row.record["sections"]
        assert set(sections) == {s.key for s in agenda.sections}
        assert all(text.strip() for text in sections.values())
        children = sections[agenda.cases_section]
        assert not any(name in children for name in names)
    discussed = {line.split(":")[0] for r in signed
                 for line in r.record["sections"][agenda.cases_section].splitlines()}  # fmt: skip
    assert discussed - {"No cases held."} <= case_ids and len(discussed & case_ids) > 20
    # Every record after the first reviews an action agreed at the one before, done.
    assert reviewed > 50


def test_the_demo_writes_the_same_records_every_time(db):
    def contents():
        with db() as session:
            return session.scalars(
                select(SupervisionSession.record).order_by(
                    SupervisionSession.relationship_id, SupervisionSession.held_on
                )
            ).all()

    load_demo(today=TODAY, session_factory=db)
    first = contents()
    _empty_all_tables()
    load_demo(today=TODAY, session_factory=db)
    assert contents() == first


def test_every_signed_demo_observation_has_each_part_written_by_its_author(db):
    load_demo(today=TODAY, session_factory=db)
    form = load_profile("lancashire").document("observation_form").form("practice")
    with db() as session:
        signed = session.scalars(select(Observation).where(Observation.signatures.any())).all()
        names = set(session.scalars(select(StaffMember.name)))
        assert signed
        for observation in signed:
            parts = observation.content["parts"]
            assert list(parts) == [p.key for p in form.parts]
            for part in form.parts:
                written = parts[part.key]
                author = (
                    observation.observer_id if part.author == "observer" else (observation.staff_id)
                )
                assert written["by"] == author
                assert all(written[q].strip() for q in part.fields)
                assert not any(name in written[q] for q in part.fields for name in names)
