"""load_facts reads every fact the engine takes from the tables: the
database-backed reconcile reads the same facts a facts file gives the
command line."""

from __future__ import annotations

from datetime import date

from models import (
    AgreementStatus,
    CaseType,
    CheckKind,
    ServiceArea,
    SessionStatus,
    StaffRole,
)
from models.db import get_engine
from models.engine.fact_rows import registration_renews_on
from models.engine.facts_loader import load_facts
from policy.facts import Decision
from tests.factories import (
    make_absence,
    make_agreement,
    make_asye_review,
    make_case,
    make_case_file_audit,
    make_case_supervision,
    make_check,
    make_cover,
    make_group_attendance,
    make_hours_worked,
    make_observation,
    make_organisation,
    make_relationship,
    make_review_questionnaire,
    make_sample,
    make_session,
    make_staff,
    make_team,
)
from tests.statements import statements_during


def _people(session):
    org = make_organisation(session)
    team = make_team(session, org)
    manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER, team=team)
    worker = make_staff(session, org, line_manager=manager, team=team)
    rel = make_relationship(session, manager, worker)
    return org, team, manager, worker, rel


def _allocation(session, worker, case_ref="LCS-104233", **kw):
    kw.setdefault("case_type", CaseType.CHILD_PROTECTION)
    kw.setdefault("allocated_on", date(2026, 3, 2))
    return make_case(session, worker, case_ref=case_ref, **kw)


def _case_supervision(session, allocation, supervisor, supervised_on, **kw):
    return make_case_supervision(
        session, allocation, supervisor=supervisor, supervised_on=supervised_on, **kw
    )


def test_staff_carry_their_team_and_the_date_their_records_were_deleted(db):
    with db() as session, session.begin():
        org, team, _manager, worker, _ = _people(session)
        worker.left_on = date(2020, 3, 31)
        worker.records_deleted_on = date(2025, 4, 7)
        org_id, team_id, worker_id = org.id, team.id, worker.id
    with db() as session:
        person = load_facts(session, org_id).staff_by_id()[f"staff-{worker_id}"]
    assert person.team == f"team-{team_id}"
    assert person.records_deleted_on == date(2025, 4, 7)


def test_registration_uses_the_latest_check_and_the_swe_renewal_window_closing_date(db):
    with db() as session, session.begin():
        org, _, _manager, worker, _ = _people(session)
        for checked_on in (date(2025, 11, 3), date(2026, 10, 12)):
            make_check(session, worker, kind=CheckKind.REGISTRATION, checked_on=checked_on)
        # A later DBS check is not a registration check.
        make_check(session, worker, kind=CheckKind.DBS, checked_on=date(2026, 11, 1))
        org_id, worker_id = org.id, worker.id
    with db() as session:
        person = load_facts(session, org_id).staff_by_id()[f"staff-{worker_id}"]
    assert person.registration_checked_on == date(2026, 10, 12)
    assert person.registration_renews_on == date(2026, 11, 30)


def test_a_check_after_the_renewal_window_closes_looks_ahead_to_next_years_renewal():
    assert registration_renews_on(date(2026, 12, 2)) == date(2027, 11, 30)
    assert registration_renews_on(date(2026, 11, 30)) == date(2026, 11, 30)
    assert registration_renews_on(date(2026, 12, 2), date(2027, 6, 1)) == date(2027, 6, 1)


def test_cases_come_from_open_allocations_with_their_supervisions_and_records(db):
    with db() as session, session.begin():
        org, _, manager, worker, _ = _people(session)
        open_case = _allocation(session, worker, frequency_weeks=6)
        _case_supervision(
            session, open_case, manager, date(2026, 3, 20), recorded_on=date(2026, 3, 23)
        )
        _case_supervision(session, open_case, manager, date(2026, 4, 24))
        _allocation(session, worker, case_ref="LCS-200001", ended_on=date(2026, 4, 1))
        org_id, worker_id = org.id, worker.id
    with db() as session:
        cases = load_facts(session, org_id).cases
    assert [c.id for c in cases] == ["LCS-104233"]
    (case,) = cases
    assert (case.type, case.worker, case.allocated_on, case.frequency_weeks) == (
        "child_protection",
        f"staff-{worker_id}",
        date(2026, 3, 2),
        6,
    )
    assert case.supervised_on == (date(2026, 3, 20), date(2026, 4, 24))
    assert case.recorded_on == (date(2026, 3, 23),)


def test_a_reallocated_case_restarts_with_the_new_worker_and_keeps_its_decisions(db):
    with db() as session, session.begin():
        org, team, manager, worker, _ = _people(session)
        new_worker = make_staff(session, org, line_manager=manager, team=team)
        old = _allocation(session, worker, ended_on=date(2026, 5, 1))
        _case_supervision(session, old, manager, date(2026, 4, 28), important_decision=True)
        _allocation(session, new_worker, allocated_on=date(2026, 5, 1))
        org_id, new_id = org.id, new_worker.id
    with db() as session:
        facts = load_facts(session, org_id)
    (case,) = facts.cases
    assert (case.worker, case.allocated_on, case.supervised_on) == (
        f"staff-{new_id}",
        date(2026, 5, 1),
        (),
    )
    assert facts.decisions == (Decision("LCS-104233", date(2026, 4, 28), None),)


def test_held_sessions_carry_a_late_reason_and_group_attendance_is_a_group_session(db):
    with db() as session, session.begin():
        org, _, manager, worker, rel = _people(session)
        make_session(
            session, rel, held_on=date(2026, 4, 20), late_reason="Supervisor on sick leave"
        )
        make_session(session, rel, status=SessionStatus.PLANNED, planned_on=date(2026, 5, 18))
        make_group_attendance(session, worker, attended_on=date(2026, 4, 9), facilitator=manager)
        org_id, worker_id, manager_id = org.id, worker.id, manager.id
    with db() as session:
        sessions = load_facts(session, org_id).sessions
    assert [(s.held_on, s.kind, s.late_reason_recorded) for s in sessions] == [
        (date(2026, 4, 9), "group", False),
        (date(2026, 4, 20), "individual", True),
    ]
    assert sessions[0].supervisee == f"staff-{worker_id}"
    assert sessions[0].supervisor == f"staff-{manager_id}"


def test_absence_cover_is_the_earliest_arrangement_overlapping_the_absence(db):
    with db() as session, session.begin():
        org, team, manager, _worker, _ = _people(session)
        cover = make_staff(session, org, role=StaffRole.TEAM_MANAGER, team=team)
        make_absence(session, manager, starts_on=date(2026, 3, 2), ends_on=date(2026, 5, 1))
        make_absence(session, manager, starts_on=date(2026, 9, 1))
        # Cover for an earlier absence does not count for these.
        make_cover(session, manager, cover, starts_on=date(2025, 12, 1), ends_on=date(2025, 12, 19))
        make_cover(session, manager, cover, starts_on=date(2026, 3, 16), ends_on=date(2026, 5, 1))
        org_id = org.id
    with db() as session:
        absences = load_facts(session, org_id).absences
    assert [(a.started_on, a.cover_arranged_on) for a in absences] == [
        (date(2026, 3, 2), date(2026, 3, 16)),
        (date(2026, 9, 1), None),
    ]


def test_observations_hours_samples_audits_and_questionnaires_are_read(db):
    with db() as session, session.begin():
        org, team, manager, worker, rel = _people(session)
        hos = make_staff(session, org, role=StaffRole.SENIOR_MANAGER)
        area = session.get(ServiceArea, team.service_area_id)
        allocation = _allocation(session, worker)
        signed = {"supervisee": date(2026, 4, 6), "supervisor": date(2026, 4, 7)}
        make_observation(
            session,
            worker,
            observer=manager,
            observed_on=date(2026, 4, 2),
            with_family=True,
            signatures=signed,
        )
        # Planned and its date passed, but nobody signed it: it may not have happened.
        make_observation(session, worker, observer=manager, observed_on=date(2026, 3, 2))
        make_hours_worked(session, worker, worked_on=date(2026, 4, 3), hours=7.5)
        for quarter, seed, drawn_on, completed_on in (
            ("2026-Q1", "a", date(2026, 3, 2), date(2026, 3, 20)),
            ("2026-Q2", "b", date(2026, 4, 6), None),
        ):
            make_sample(
                session,
                area,
                sampler=hos,
                quarter=quarter,
                seed=seed,
                size=5,
                drawn_on=drawn_on,
                completed_on=completed_on,
            )
        make_case_file_audit(session, allocation, audited_on=date(2026, 4, 14), audited_by=manager)
        make_review_questionnaire(
            session, rel, reviewed_on=date(2026, 4, 15), forwarded_on=date(2026, 4, 17)
        )
        ids = org.id, worker.id, manager.id, hos.id, rel.id
    org_id, worker_id, manager_id, hos_id, rel_id = ids
    with db() as session:
        facts = load_facts(session, org_id)
    (observation,) = facts.observations
    assert (observation.staff, observation.kind, observation.with_family, observation.observer) == (
        f"staff-{worker_id}",
        "practice",
        True,
        f"staff-{manager_id}",
    )
    assert [(h.worked_on, h.hours) for h in facts.hours_worked] == [(date(2026, 4, 3), 7.5)]
    # Only the completed sample counts, on the day it was completed.
    assert [(s.by, s.sampled_on) for s in facts.samplings] == [
        (f"staff-{hos_id}", date(2026, 3, 20))
    ]
    assert [(a.case, a.audited_on, a.audited_by) for a in facts.audits] == [
        ("LCS-104233", date(2026, 4, 14), f"staff-{manager_id}")
    ]
    assert [
        (q.relationship, q.reviewed_on, q.forwarded_on) for q in facts.review_questionnaires
    ] == [(f"rel-{rel_id}", date(2026, 4, 15), date(2026, 4, 17))]


def test_another_organisations_facts_are_not_read(db):
    with db() as session, session.begin():
        org, _, _, _, _ = _people(session)
        _, _, _, other_worker, _ = _people(session)
        _allocation(session, other_worker)
        org_id = org.id
    with db() as session:
        facts = load_facts(session, org_id)
    assert facts.cases == ()
    assert len(facts.staff) == 2 and len(facts.relationships) == 1


def test_loading_takes_the_same_few_queries_however_many_cases_there_are(db):
    def count_queries(org_id):
        def load():
            with db() as session:
                load_facts(session, org_id)

        return statements_during(get_engine(), load)[1]

    with db() as session, session.begin():
        org, _, manager, worker, _ = _people(session)
        allocation = _allocation(session, worker)
        _case_supervision(session, allocation, manager, date(2026, 3, 9))
        org_id = org.id
    few = count_queries(org_id)
    with db() as session, session.begin():
        org = session.get(type(org), org_id)
        worker = session.get(type(worker), worker.id)
        manager = session.get(type(manager), manager.id)
        for n in range(20):
            allocation = _allocation(session, worker, case_ref=f"LCS-3000{n:02d}")
            _case_supervision(session, allocation, manager, date(2026, 3, 9))
    assert count_queries(org_id) == few


def test_a_version_superseded_at_the_annual_review_still_counts_as_signed(db):
    with db() as session, session.begin():
        org, _, _, _, rel = _people(session)
        for version, signed_on, status in (
            (1, date(2025, 2, 3), AgreementStatus.SUPERSEDED),
            (2, date(2026, 1, 26), AgreementStatus.IN_FORCE),
        ):
            make_agreement(session, rel, version=version, status=status, signed_on=signed_on)
        org_id = org.id
    with db() as session:
        agreements = load_facts(session, org_id).agreements
    assert [a.signed_on for a in agreements] == [date(2025, 2, 3), date(2026, 1, 26)]


def test_the_dbs_re_check_falls_due_the_configured_years_after_the_latest_dbs_check(
    db, monkeypatch
):
    with db() as session, session.begin():
        org, _, manager, worker, _ = _people(session)
        for checked_on in (date(2022, 5, 3), date(2024, 2, 29)):
            make_check(session, worker, kind=CheckKind.DBS, checked_on=checked_on)
        # A later registration check is not a DBS check.
        make_check(session, worker, kind=CheckKind.REGISTRATION, checked_on=date(2026, 10, 12))
        org_id, worker_id, manager_id = org.id, worker.id, manager.id

    def staff(years: str | None):
        if years is None:
            monkeypatch.delenv("OVERSIGHT_DBS_RECHECK_YEARS", raising=False)
        else:
            monkeypatch.setenv("OVERSIGHT_DBS_RECHECK_YEARS", years)
        with db() as session:
            return load_facts(session, org_id).staff_by_id()

    person = staff(None)[f"staff-{worker_id}"]
    assert person.dbs_checked_on == date(2024, 2, 29)
    assert person.dbs_recheck_due_on == date(2027, 2, 28)  # the default, 3 years
    assert staff("2")[f"staff-{worker_id}"].dbs_recheck_due_on == date(2026, 2, 28)
    nobody_checked = staff(None)[f"staff-{manager_id}"]
    assert (nobody_checked.dbs_checked_on, nobody_checked.dbs_recheck_due_on) == (None, None)


def test_asye_reviews_are_read_with_their_stage_and_date(db):
    from policy.facts import AsyeReview as AsyeReviewFact

    with db() as session, session.begin():
        org, _, manager, worker, _ = _people(session)
        worker.asye = True
        for stage, reviewed_on in ((6, date(2026, 7, 6)), (3, date(2026, 4, 2))):
            make_asye_review(
                session,
                worker,
                stage=stage,
                reviewed_on=reviewed_on,
                outcome="On track.",
                recorded_by_id=manager.id,
            )
        org_id, worker_id = org.id, worker.id
    with db() as session:
        facts = load_facts(session, org_id)
    assert facts.asye_reviews == (
        AsyeReviewFact(f"staff-{worker_id}", 3, date(2026, 4, 2)),
        AsyeReviewFact(f"staff-{worker_id}", 6, date(2026, 7, 6)),
    )
