"""The factories and the world builder (tests/factories, tests/worlds) build
every fact the engine reads, as the engine reads it: a test built on them
tests the product, not a row the product would never write."""

from __future__ import annotations

from datetime import date

import pytest

from models import AppRole, CheckKind, HumanTask, StaffRole
from models.engine.facts_loader import load_facts
from policy import kinds
from tests.worlds import Council, build_organisation

DAY = date(2026, 3, 2)


def test_one_of_each_fact_built_with_the_council_builder_reaches_the_engine(db):
    with db() as session, session.begin():
        council = Council.new(session, name="Everyfact")
        team = council.team()
        head = council.person("Helen Head", StaffRole.SENIOR_MANAGER, team=team)
        grace = council.person("Grace", StaffRole.TEAM_MANAGER, line_manager=head, team=team)
        sam = council.person("Sam", line_manager=grace, team=team, asye=True)
        rel = council.supervises(grace, sam)
        council.account(sam, AppRole.SUPERVISEE, username="sam")
        council.agreement(rel, signed_on=DAY)
        council.held(rel, DAY, recorded_on=DAY)
        council.planned(rel, date(2026, 3, 30))
        case = council.case(sam, "LCS-100001", allocated_on=DAY)
        council.case_supervision(case, supervisor=grace, supervised_on=DAY)
        both = {"supervisee": DAY, "supervisor": DAY}
        council.observation(sam, observer=grace, observed_on=DAY, signatures=both)
        council.check(sam, kind=CheckKind.DBS, checked_on=DAY)
        council.absence(grace, starts_on=DAY)
        council.cover(grace, head, starts_on=DAY)
        council.group_agreement(grace, issued_on=DAY, signatories=[(sam, "supervisee", None)])
        org_id = council.id
    with db() as session:
        facts = load_facts(session, org_id)
    assert len(facts.staff) == 3 and len(facts.relationships) == 1
    assert facts.agreements[0].signed_on == DAY
    assert [s.held_on for s in facts.sessions] == [DAY]
    assert facts.cases[0].supervised_on == (DAY,)
    assert facts.observations[0].observed_on == DAY
    assert facts.absences[0].cover_arranged_on == DAY
    assert len(facts.group_signatories) == 1


@pytest.mark.parametrize("kind", sorted(kinds.KINDS))
def test_a_human_task_of_every_declared_kind_can_be_put_in_an_inbox(db, kind):
    with db() as session, session.begin():
        council = Council.new(session)
        person = council.person()
        task = council.task(kind=kind, assignee=person, due_on=DAY, lifecycle="test")
        assert (task.kind, task.subject, task.status) == (kind, f"staff-{person.id}", "open")
        assert session.query(HumanTask).count() == 1


def test_a_kind_of_human_task_nobody_declared_is_refused(db):
    with db() as session, session.begin(), pytest.raises(ValueError, match="no kind of human task"):
        Council.new(session).task(kind="made_up", due_on=DAY)


def test_the_busy_organisation_has_something_live_in_every_fact_it_promises(db):
    org_id = build_organisation(db, profile="lancashire", as_of=DAY, name="Busy")
    with db() as session:
        facts = load_facts(session, org_id)
    assert len(facts.staff) == 8 and len(facts.relationships) == 5
    assert len(facts.agreements) == 3 and len(facts.sessions) == 3 and len(facts.cases) == 2
    assert len(facts.absences) == 1 and len(facts.group_signatories) == 4
