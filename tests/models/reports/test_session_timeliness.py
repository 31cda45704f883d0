"""Sessions on time, late and missed are judged from the sessions held
against the cadence the engine owes, with or without a reconcile: the
figure agrees with the engine's own cycles (policy.rules.personal_supervision,
replayed here in Python over the facts read from the tables), not with the
figure's query."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import StaffMember, SupervisionRelationship
from models.engine.facts_loader import load_facts
from models.reports import FIGURES, Period, ReportScope, figure_table
from models.reports.people import profile_of
from policy.context import Context
from policy.keys import relationship_fact_id
from policy.rules.personal_supervision import personal_steps
from tests.worlds.busy_organisation import build_organisation

AS_OF = date(2026, 11, 16)
PERIOD = Period(date(2025, 12, 1), date(2026, 11, 30), AS_OF)


def _expected(db, org_id: int, period: Period) -> Counter:
    """The engine's cycles for every relationship, counted by outcome the
    way the figure counts them."""
    with db() as session:
        profile = profile_of(session, org_id)
        ctx = Context(profile, load_facts(session, org_id), period.as_of)
        rels = session.scalars(select(SupervisionRelationship)).all()
        left = {s.id: s.left_on for s in session.scalars(select(StaffMember))}
        employment = {s.id: s.employment.value for s in session.scalars(select(StaffMember))}
    facts = {r.id: r for r in ctx.facts.relationships}
    counts = Counter()
    for row in rels:
        rel = facts.get(relationship_fact_id(row.id))
        if rel is None:
            continue
        casual = employment[row.supervisee_id] == "casual"
        if casual and profile.rule("supervision.casual_hours") is not None:
            continue
        for step in personal_steps(ctx, rel):
            if not period.starts_on <= step.due <= period.ends_on:
                continue
            if step.met_on is not None:
                counts["on_time" if step.met_on <= step.due else "late"] += 1
            elif (
                step.due < period.as_of
                and (row.ended_on is None or step.due < row.ended_on)
                and (left[row.supervisee_id] is None or step.due < left[row.supervisee_id])
            ):
                counts["missed"] += 1
    return counts


def _found(db, org_id: int, period: Period) -> Counter:
    with db() as session:
        table = figure_table(session, FIGURES["sessions"], ReportScope(org_id, "all"), period)
    return Counter(table.totals.counts)


@pytest.mark.parametrize("profile", ["wokingham", "nottingham", "lancashire", "bristol"])
def test_sessions_never_reconciled_are_judged_against_the_engines_cadence(db, profile):
    org_id = build_organisation(db, profile=profile, as_of=AS_OF, name="Unreconciled")
    expected = _expected(db, org_id, PERIOD)
    assert _found(db, org_id, PERIOD) == expected
    assert sum(expected.values()) > 0


def test_a_session_held_after_its_due_date_counts_late_and_one_never_held_missed(db):
    org_id = build_organisation(db, profile="wokingham", as_of=AS_OF, name="Late")
    counts = _found(db, org_id, PERIOD)
    assert counts["missed"] > 0 and counts["on_time"] + counts["late"] > 0


def test_the_figure_seen_as_of_an_earlier_day_ignores_sessions_held_after_it(db):
    org_id = build_organisation(db, profile="lancashire", as_of=AS_OF, name="Earlier")
    earlier = Period(PERIOD.starts_on, AS_OF - timedelta(days=45), AS_OF - timedelta(days=45))
    assert _found(db, org_id, earlier) == _expected(db, org_id, earlier)
