"""Task titles tell apart tasks of one kind about one person: the practice
observations owed in one year say which of the year's they are
(Lancashire §1.16: three a year, two of them with children and families)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import HumanTask
from models.engine.reconcile import reconcile
from tests.factories import make_organisation, make_relationship, make_staff, make_team
from tests.factories.oversight import make_observation

STARTED = date(2025, 4, 1)
AS_OF = date(2026, 3, 28)  # within the inbox lead time of the year's end


def test_the_practice_observations_owed_in_one_year_each_say_which_they_are(db):
    with db() as session, session.begin():
        org = make_organisation(session, profile="lancashire")
        team = make_team(session, org)
        supervisor = make_staff(session, org, name="Sue Visor", team=team)
        worker = make_staff(
            session, org, name="Wes Worker", team=team, line_manager=supervisor, started_on=STARTED
        )
        make_relationship(session, supervisor, worker, started_on=STARTED)
        org_id = org.id
    reconcile(organisation_id=org_id, lifecycles={"observation"}, as_of=AS_OF, session_factory=db)
    with db() as session:
        titles = sorted(
            session.scalars(
                select(HumanTask.title).where(HumanTask.kind.like("practice_observation%"))
            )
        )
    assert titles, "Lancashire owes practice observations in the worker's first year"
    assert len(titles) == len(set(titles)), titles
    assert all(" of 3 in the year from " in t for t in titles), titles
    assert "Observe Wes Worker's practice with a child or family (1 of 3 in the year from " in (
        "\n".join(titles)
    )


def test_a_first_run_counts_the_observations_the_year_owes_even_when_one_is_already_done(db):
    """With the year's third slot met before the first run, the open slots still
    say "of 3", and a second run has no title to correct."""
    with db() as session, session.begin():
        org = make_organisation(session, profile="lancashire")
        team = make_team(session, org)
        supervisor = make_staff(session, org, name="Sue Visor", team=team)
        worker = make_staff(
            session, org, name="Wes Worker", team=team, line_manager=supervisor, started_on=STARTED
        )
        make_relationship(session, supervisor, worker, started_on=STARTED)
        make_observation(
            session,
            worker,
            observer=supervisor,
            observed_on=date(2025, 9, 1),
            with_family=False,
            signatures={"supervisee": date(2025, 9, 2), "supervisor": date(2025, 9, 3)},
        )
        org_id = org.id
    first = reconcile(
        organisation_id=org_id, lifecycles={"observation"}, as_of=AS_OF, session_factory=db
    )
    with db() as session:
        titles = list(session.scalars(select(HumanTask.title).where(HumanTask.status == "open")))
    assert first.created and titles, "two observations with families are still owed"
    assert all(" of 3 in the year from " in t for t in titles), titles
    again = reconcile(
        organisation_id=org_id, lifecycles={"observation"}, as_of=AS_OF, session_factory=db
    )
    assert again.updated == (), again.updated
