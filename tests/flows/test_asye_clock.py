"""Advancing the clock through an ASYE year, for each of the five profiles:
a newly qualified social worker starts on a Monday with a signed agreement;
on each day something falls due the lifecycle reconciles run (through the
flows' task functions) and the supervisor holds what is due that day. The
due dates must follow each profile's words, computed here independently of
the engine, the 3-, 6- and 12-month ASYE reviews must fall due 3, 6 and 12
months on where the profile has them, and the agreement review 12 months on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from models import (
    AsyeReview,
    GroupSupervisionAttendance,
    HumanTask,
    SessionKind,
    SessionStatus,
    StaffRole,
    SupervisionSession,
)
from models.actions.agreements import countersign_agreement, sign_agreement_as_supervisor
from models.engine.lifecycle_runs import reconcile_lifecycles
from tests.factories import make_organisation, make_relationship, make_staff, make_team

START = date(2026, 1, 5)  # a Monday
YEAR = START + relativedelta(months=12)  # 5 January 2027
END = YEAR + timedelta(days=70)  # ten weeks into the normal cadence
LIFECYCLES = ["agreement", "agreement_review", "personal_supervision", "asye"]
SESSION_KINDS = {"supervision", "asye_reflective_supervision", "group_supervision", "asye_review"}
WEEK, FORTNIGHT, FOUR_WEEKS = (relativedelta(weeks=n) for n in (1, 2, 4))
MONTH = relativedelta(months=1)
# The agreement review reaches the inbox six weeks ahead (models/engine/lead_times.py).
REVIEW_IN_INBOX = YEAR - timedelta(days=42)
MILESTONES = (REVIEW_IN_INBOX - timedelta(days=1), REVIEW_IN_INBOX, YEAR)


# The Skills for Care ASYE framework's reviews, for the profiles with an ASYE
# provision (policy/rules/asye.py).
ASYE_REVIEWS = [START + relativedelta(months=m) for m in (3, 6, 12)]


def cadence(phases: list[tuple[date | None, relativedelta]], until: date = END) -> list[date]:
    """Due dates when each session is held on its due date: the next is due the
    interval of the phase the last one fell in after it."""
    dues, last = [], START
    while True:
        step = next(step for ends, step in phases if ends is None or last < ends)
        due = last + step
        if due > until:
            return dues
        dues.append(due)
        last = due


EXPECTED = {
    # 000 §1.12: weekly in the first 6 weeks, fortnightly from week 7 to 6 months, at
    # least 4-weekly from 6 to 12 months; then the role's (§1.10 social workers 4 weeks).
    "lancashire": {
        "supervision": cadence(
            [
                (START + relativedelta(weeks=6), WEEK),
                (START + relativedelta(months=6), FORTNIGHT),
                (None, FOUR_WEEKS),
            ]
        ),
        "asye_review": ASYE_REVIEWS,
    },
    # 001 §1.4: newly qualified fortnightly for 3 months, new staff fortnightly for
    # 6 months (the stricter applies, so 6), then monthly.
    "nottingham": {
        "supervision": cadence([(START + relativedelta(months=6), FORTNIGHT), (None, MONTH)]),
        "asye_review": ASYE_REVIEWS,
    },
    # 002 §3.4: every four weeks for everyone; §6.1 group reflective supervision every
    # four weeks. The document has no ASYE cadence of its own.
    "bristol": {
        "supervision": cadence([(None, FOUR_WEEKS)]),
        "group_supervision": cadence([(None, FOUR_WEEKS)]),
    },
    # 003 standard 16: weekly for 6 weeks, fortnightly for the following 6 months, then
    # monthly; ASYE workers also have monthly reflective supervision in their year.
    "wokingham": {
        "supervision": cadence(
            [
                (START + relativedelta(weeks=6), WEEK),
                (START + relativedelta(weeks=6) + relativedelta(months=6), FORTNIGHT),
                (None, MONTH),
            ]
        ),
        "asye_reflective_supervision": cadence([(None, MONTH)], until=YEAR),
        "asye_review": ASYE_REVIEWS,
    },
    # 004 states principles, not numbers: it owes a written agreement and its review,
    # no session cadence.
    "north_west": {},
}


def newly_qualified_worker(db, profile: str) -> tuple[int, int]:
    with db() as session, session.begin():
        org = make_organisation(session, profile=profile)
        team = make_team(session, org)
        head = make_staff(session, org, name="Priya Shah", role=StaffRole.SENIOR_MANAGER)
        manager = make_staff(session, org, name="Grace Adeyemi", role=StaffRole.TEAM_MANAGER,
                             line_manager=head, team=team)  # fmt: skip
        worker = make_staff(session, org, name="Sam Okafor", line_manager=manager, team=team,
                            asye=True, started_on=START)  # fmt: skip
        rel = make_relationship(session, manager, worker, started_on=START)
        ids = org.id, rel.id, manager.id, worker.id
    org_id, rel_id, manager_id, worker_id = ids
    sign_agreement_as_supervisor(relationship_id=rel_id, signer_staff_id=manager_id, content={},
                                 frequency_weeks=None, on=START, session_factory=db)  # fmt: skip
    countersign_agreement(relationship_id=rel_id, signer_staff_id=worker_id, on=START,
                          session_factory=db)  # fmt: skip
    return org_id, rel_id


def hold(db, rel_id: int, task: HumanTask) -> None:
    """The session the human task asks for (or the ASYE review), held on its due date."""
    with db() as session, session.begin():
        if task.kind == "asye_review":
            stage = int(task.key.rsplit(":", 1)[1])
            session.add(AsyeReview(staff_id=task.subject_staff_id, stage=stage,
                                   reviewed_on=task.due_on, outcome="On track."))  # fmt: skip
            return
        if task.kind == "group_supervision":
            session.add(GroupSupervisionAttendance(staff_id=task.subject_staff_id,
                                                   attended_on=task.due_on))  # fmt: skip
            return
        kind = (
            SessionKind.ASYE_REFLECTIVE if task.kind.startswith("asye") else SessionKind.INDIVIDUAL
        )
        session.add(SupervisionSession(relationship_id=rel_id, kind=kind,
                                       status=SessionStatus.HELD, held_on=task.due_on,
                                       recorded_on=task.due_on))  # fmt: skip


def open_session_tasks(db, org_id: int) -> list[HumanTask]:
    with db() as session:
        return list(
            session.scalars(
                select(HumanTask)
                .where(
                    HumanTask.organisation_id == org_id,
                    HumanTask.kind.in_(SESSION_KINDS),
                    HumanTask.status.in_(("open", "escalated")),
                )
                .order_by(HumanTask.due_on, HumanTask.key)
            )
        )


def advance_through_the_year(db, org_id: int, rel_id: int):
    """Run the reconciles on each day something falls due (and weekly in
    between, to see what comes into the inbox), holding what is due."""
    held: list[tuple[str, date, str, str]] = []
    first_seen: dict[str, date] = {}
    day = START
    while day <= END:
        reconcile_lifecycles(org_id, LIFECYCLES, day)
        with db() as session:
            for key in session.scalars(select(HumanTask.key)):
                first_seen.setdefault(key, day)
        due_today = [t for t in open_session_tasks(db, org_id) if t.due_on <= day]
        for task in due_today:
            assert task.due_on == day, f"{task.key} was left overdue"
            hold(db, rel_id, task)
            held.append((task.kind, task.due_on, task.lifecycle, task.rule))
        if due_today:
            reconcile_lifecycles(org_id, LIFECYCLES, day)
        upcoming = [t.due_on for t in open_session_tasks(db, org_id) if t.due_on > day]
        upcoming += [d for d in MILESTONES if d > day]
        day = min([*upcoming, day + timedelta(days=7)])
    return held, first_seen


@pytest.mark.parametrize("profile", sorted(EXPECTED))
def test_the_asye_year_falls_due_on_the_days_the_profile_says(db, profile):
    org_id, rel_id = newly_qualified_worker(db, profile)

    held, first_seen = advance_through_the_year(db, org_id, rel_id)

    for kind in SESSION_KINDS:
        got = [due for k, due, *_ in held if k == kind]
        assert got == EXPECTED[profile].get(kind, []), f"{profile} {kind}"
    # The agreement review falls due 12 months after the agreement came in force,
    # and reaches the inbox six weeks ahead, not before.
    review = f"agreement-review:rel-{rel_id}:{YEAR.isoformat()}"
    assert first_seen[review] == REVIEW_IN_INBOX


@pytest.mark.parametrize("profile", ["lancashire", "wokingham"])
def test_the_asye_phase_owns_the_weekly_sessions_and_the_role_cadence_takes_over_at_twelve_months(
    db, profile
):
    org_id, rel_id = newly_qualified_worker(db, profile)

    held, _ = advance_through_the_year(db, org_id, rel_id)

    individual = [(due, lifecycle, rule) for kind, due, lifecycle, rule in held
                  if kind == "supervision"]  # fmt: skip
    weekly = [row for row in individual if row[0] <= START + relativedelta(weeks=6)]
    after_the_year = [row for row in individual if row[0] > YEAR]
    assert len(weekly) == 6
    assert {(lifecycle, rule) for _, lifecycle, rule in weekly} == {("asye", "asye.stages")}
    assert after_the_year
    assert {lifecycle for _, lifecycle, _ in after_the_year} == {"personal_supervision"}
    assert not any(rule.startswith("asye.") for *_, rule in after_the_year)
