"""The database reads enough history for cycles that run on across a change of
supervisor: a development discussion (Lancashire §1.16) or a group session
(Bristol §6.1) held before the new relationship is read, so a unit read from
the tables owes what the whole history owes, and a record still to share is
read whenever its session was held."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from models import Employment, SessionKind, StaffRole
from models.engine.facts_loader import load_facts
from models.engine.unit_facts import load_unit_facts
from policy import ObligationStatus, load_profile
from policy.frontier import evaluate
from policy.units import partition
from tests.factories import (
    make_group_attendance,
    make_hours_worked,
    make_organisation,
    make_relationship,
    make_session,
    make_staff,
)

CHANGE = date(2026, 2, 2)


def _read_owing_what_the_whole_history_owes(db, org_id: int, policy, as_of: date):
    """Each person's facts as a batch reads them from the tables, and what they
    owe from those, having held each to owing what their whole history owes."""
    with db() as session:
        whole = partition(load_facts(session, org_id))
        people = [unit for unit in whole if unit.kind == "person"]
        read = load_unit_facts(
            session, org_id, people, profile=policy, as_of=as_of, since=dict.fromkeys(people)
        )
    for unit in people:
        expected = evaluate(policy, unit, whole[unit], as_of).obligations
        assert evaluate(policy, unit, read[unit], as_of).obligations == expected, unit
    return read, [
        o for unit in people for o in evaluate(policy, unit, read[unit], as_of).obligations
    ]


def _handed_over(session, profile: str, started_on: date, change: date, **worker):
    """An organisation where a worker who started on `started_on` was supervised
    by one team manager until `change`, then by another: (organisation, worker,
    the relationship before, the relationship after)."""
    org = make_organisation(session, profile=profile)
    first = make_staff(session, org, role=StaffRole.TEAM_MANAGER, started_on=date(2019, 9, 2))
    second = make_staff(session, org, role=StaffRole.TEAM_MANAGER, started_on=date(2018, 5, 7))
    person = make_staff(session, org, started_on=started_on, line_manager=second, **worker)
    before = make_relationship(session, first, person, started_on=started_on, ended_on=change)
    after = make_relationship(
        session, second, person, started_on=change, reason="change_of_supervisor"
    )
    return org, person, before, after


def _organisation(db, profile: str) -> int:
    """A worker supervised by one manager until CHANGE, then by another; their
    last development discussion and group session were with the first, and the
    first record after the change was written but never shared."""
    with db() as session, session.begin():
        org, worker, before, after = _handed_over(session, profile, date(2024, 9, 2), CHANGE)
        make_session(
            session,
            before,
            held_on=date(2026, 1, 12),
            recorded_on=date(2026, 1, 12),
            development_discussed=True,
        )
        make_group_attendance(session, worker, attended_on=date(2026, 1, 20))
        make_session(
            session,
            after,
            held_on=date(2026, 2, 16),
            recorded_on=date(2026, 2, 17),
            shared_on=None,
        )
        return org.id


@pytest.mark.parametrize("profile", ["lancashire", "bristol"])
@pytest.mark.parametrize("days_on", [0, 30, 90])
def test_a_unit_read_from_the_tables_owes_what_the_whole_history_owes(db, profile, days_on):
    org_id = _organisation(db, profile)
    as_of = date(2026, 3, 2) + timedelta(days=days_on)
    policy = load_profile(profile)
    _, owed = _read_owing_what_the_whole_history_owes(db, org_id, policy, as_of)
    keys = {o.key for o in owed}
    if profile == "lancashire":
        # A quarter after 12 January, not after 2 February; the record never shared.
        assert any(k.startswith("development:") and k.endswith(":2026-04-12") for k in keys)
        assert any(k.startswith("record-shared:") and k.endswith(":2026-02-16") for k in keys)
    else:
        # Four weeks after the group on 20 January, under the new relationship.
        assert days_on or any(k.startswith("group:") and k.endswith(":2026-02-17") for k in keys)


def _asye_reflective_never_recorded(db, profile: str) -> int:
    """An ASYE worker whose reflective session of 6 October 2025 was never
    written up, though every session of either kind since was."""
    with db() as session, session.begin():
        org = make_organisation(session, profile=profile)
        manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER, started_on=date(2018, 5, 7))
        worker = make_staff(
            session, org, started_on=date(2025, 9, 1), line_manager=manager, asye=True
        )
        rel = make_relationship(session, manager, worker, started_on=date(2025, 9, 1))
        make_session(
            session,
            rel,
            held_on=date(2025, 10, 6),
            kind=SessionKind.ASYE_REFLECTIVE,
            recorded_on=None,
        )
        for held_on in (date(2026, 1, 5), date(2026, 2, 2), date(2026, 3, 2)):
            make_session(session, rel, held_on=held_on, recorded_on=held_on)
            make_session(
                session,
                rel,
                held_on=held_on + timedelta(days=7),
                kind=SessionKind.ASYE_REFLECTIVE,
                recorded_on=held_on + timedelta(days=7),
            )
        return org.id


@pytest.mark.parametrize("profile", ["nottingham", "north_west", "wokingham"])
def test_an_asye_reflective_session_never_recorded_is_read_however_long_ago(db, profile):
    """Nottingham §2.5 ("all supervision sessions"), North West ("properly and
    promptly recorded") and Wokingham standard 8 owe a record of the ASYE
    reflective session too: the tables are read for it whenever it was held."""
    org_id = _asye_reflective_never_recorded(db, profile)
    as_of = date(2026, 3, 16)
    policy = load_profile(profile)
    _, owed = _read_owing_what_the_whole_history_owes(db, org_id, policy, as_of)
    records = {o.key for o in owed if o.key.startswith("record:") and o.key.endswith(":2025-10-06")}
    assert len(records) == 1


LONG_AGO = date(2025, 3, 2)


def _records_signed_long_ago(db) -> int:
    """A worker supervised monthly for two years, each record written, signed
    and countersigned within the week, except two held in March 2025: one the
    supervisee never countersigned, one they countersigned only in May 2026."""
    with db() as session, session.begin():
        org = make_organisation(session, profile="nottingham")
        manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER, started_on=date(2018, 5, 7))
        worker = make_staff(session, org, started_on=date(2024, 9, 2), line_manager=manager)
        rel = make_relationship(session, manager, worker, started_on=date(2024, 9, 2))
        for month in range(24):
            held_on = date(2024 + (month + 9) // 12, (month + 9) % 12 + 1, 2)
            countersigned = None if held_on == LONG_AGO else held_on + timedelta(days=3)
            make_session(
                session,
                rel,
                held_on=held_on,
                recorded_on=held_on + timedelta(days=1),
                signatures={"supervisor": held_on + timedelta(days=1)}
                | ({"supervisee": countersigned} if countersigned else {}),
            )
        make_session(
            session,
            rel,
            held_on=LONG_AGO + timedelta(days=14),
            recorded_on=LONG_AGO + timedelta(days=15),
            signatures={
                "supervisor": LONG_AGO + timedelta(days=15),
                "supervisee": date(2026, 5, 11),
            },
        )
        return org.id


@pytest.mark.parametrize("as_of", [date(2026, 4, 20), date(2026, 9, 7)])
def test_a_record_signed_long_ago_and_not_countersigned_by_as_of_is_read(db, as_of):
    """Nottingham §1.10: the supervisee countersigns each record the supervisor
    has signed. A record signed in March 2025 and never countersigned, or
    countersigned only after as_of, is still owed; a record countersigned
    long ago is not read at all."""
    org_id = _records_signed_long_ago(db)
    policy = load_profile("nottingham")
    read, owed = _read_owing_what_the_whole_history_owes(db, org_id, policy, as_of)
    held_on = {o.key.rsplit(":", 2)[-2] for o in owed if o.kind == "record_countersign"}
    late = str(LONG_AGO + timedelta(days=14))
    assert held_on == ({str(LONG_AGO), late} if as_of < date(2026, 5, 11) else {str(LONG_AGO)})
    held = {s.held_on for facts in read.values() for s in facts.sessions}
    assert date(2025, 4, 2) not in held  # countersigned within the week: not read


def _casual_worker_handed_over(db) -> int:
    """A casual worker (Bristol §3.5: monthly or after 74 hours worked, whichever
    the less frequent) supervised monthly by one manager for eighteen months,
    then by another from 2 March 2026, with 80 hours worked in February."""
    with db() as session, session.begin():
        org, worker, before, _ = _handed_over(
            session, "bristol", date(2024, 9, 2), date(2026, 3, 2), employment=Employment.CASUAL
        )
        for month in range(18):
            held_on = date(2024 + (month + 9) // 12, (month + 9) % 12 + 1, 2)
            make_session(session, before, held_on=held_on, recorded_on=held_on)
        for day in (10, 20):
            make_hours_worked(session, worker, worked_on=date(2026, 2, day), hours=40)
        return org.id


@pytest.mark.parametrize("as_of", [date(2026, 3, 10), date(2026, 4, 20)])
def test_a_session_and_hours_carried_into_a_new_relationship_are_read_not_its_whole_history(
    db, as_of
):
    """The new relationship's first session is due a month after the last one
    with the old supervisor (2 February), the hours having reached 74 by then:
    the tables are read for that session and those hours, and not for the
    sixteen sessions before it."""
    org_id = _casual_worker_handed_over(db)
    policy = load_profile("bristol")
    read, owed = _read_owing_what_the_whole_history_owes(db, org_id, policy, as_of)
    due = {o.due for o in owed if o.kind == "supervision" and o.status is not ObligationStatus.MET}
    assert due == {date(2026, 3, 2)}
    held = sorted(s.held_on for facts in read.values() for s in facts.sessions)
    assert held[0] == date(2026, 2, 2)


def test_a_long_relationship_is_read_from_its_last_session_not_from_its_start(db):
    """Lancashire §1.10, monthly: a worker whose supervisor changed in January
    2025 and who has met monthly since. The first cycle of the relationship
    counted from the last session before it; today only the latest session
    (and that one carried in) decide what is owed, not two years of sessions."""
    with db() as session, session.begin():
        org, _, before, after = _handed_over(
            session, "lancashire", date(2023, 9, 4), date(2025, 1, 6)
        )
        make_session(
            session,
            before,
            held_on=date(2024, 12, 9),
            recorded_on=date(2024, 12, 9),
        )
        for month in range(23):
            held_on = date(2025 + month // 12, month % 12 + 1, 20)
            make_session(session, after, held_on=held_on, recorded_on=held_on)
        org_id = org.id
    as_of, policy = date(2026, 11, 23), load_profile("lancashire")
    read, _ = _read_owing_what_the_whole_history_owes(db, org_id, policy, as_of)
    held = sorted({s.held_on for facts in read.values() for s in facts.sessions})
    assert held == [date(2024, 12, 9), date(2026, 11, 20)]


def test_each_relationship_of_someone_with_two_supervisors_reads_the_session_carried_into_it(db):
    """Lancashire §1.10, every 4 weeks: a worker handed over on 2 March 2026
    who took on a second supervisor on 4 May. Each relationship's first cycle
    counts from the last session before it began: 16 February for the handover,
    20 April (held with the first) for the second, due 18 May; the first has
    met since, on 6 May, so is due again on 3 June."""
    with db() as session, session.begin():
        org, worker, before, after = _handed_over(
            session, "lancashire", date(2024, 9, 2), date(2026, 3, 2)
        )
        second = make_staff(session, org, role=StaffRole.TEAM_MANAGER, started_on=date(2017, 1, 9))
        make_relationship(session, second, worker, started_on=date(2026, 5, 4))
        held = ((date(2026, 2, 16), before), (date(2026, 4, 20), after), (date(2026, 5, 6), after))
        for held_on, rel in held:
            make_session(session, rel, held_on=held_on, recorded_on=held_on)
        org_id = org.id
    policy = load_profile("lancashire")
    read, owed = _read_owing_what_the_whole_history_owes(db, org_id, policy, date(2026, 5, 11))
    assert sorted({s.held_on for facts in read.values() for s in facts.sessions}) == [
        day for day, _ in held
    ]
    due = {o.due for o in owed if o.kind == "supervision"}
    assert due == {date(2026, 5, 18), date(2026, 6, 3)}
