"""Capacity and what-if: the hours a profile demands over the same facts
differ between two profiles whose cadences differ, are the same for the
same profile, follow the document's session length and each person's
contracted hours; and the command line prints them by team."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest

from models.engine.facts_loader import load_facts
from models.imports.cli import main as oversight
from models.reports.capacity import (
    FULL_TIME_HOURS,
    WEEKS_PER_MONTH,
    capacity,
    per_month,
    side_by_side,
)
from models.reports.capacity_facts import capacity_facts
from policy import load_profile
from policy.context import Context
from policy.facts import Facts, Relationship, Staff
from policy.rules.personal_supervision import base_cadence
from policy.schedule import session_minutes
from tests.worlds.busy_organisation import build_organisation

AS_OF = date(2026, 11, 16)


def _pair(contracted: float | None = None) -> Facts:
    """One settled social worker and their supervisor, in one team."""
    return Facts(
        staff=(
            Staff("boss", "team_manager", date(2015, 1, 5), team="t1", contracted_hours=contracted),
            Staff("sw", "social_worker", date(2020, 1, 6), line_manager="boss", team="t1"),
        ),
        relationships=(Relationship("r1", "boss", "sw", date(2020, 1, 6)),),
    )


@pytest.fixture
def busy_facts(db):
    org_id = build_organisation(db, profile="lancashire", as_of=AS_OF, name="Busy")
    with db() as session:
        return load_facts(session, org_id)


def test_two_profiles_demand_different_hours_over_the_same_facts(busy_facts):
    lancashire = capacity(load_profile("lancashire"), busy_facts, AS_OF)
    nottingham = capacity(load_profile("nottingham"), busy_facts, AS_OF)
    assert lancashire.total()[0] != nottingham.total()[0]
    rows = side_by_side(lancashire, nottingham)
    assert any(row.difference for row in rows)
    assert sum(r.demand for r in rows) == pytest.approx(lancashire.total()[0], abs=0.2)


def test_the_same_profile_over_the_same_facts_demands_the_same_hours(busy_facts):
    first = capacity(load_profile("wokingham"), busy_facts, AS_OF)
    again = capacity(load_profile("wokingham"), busy_facts, AS_OF)
    assert first.teams() == again.teams() and first.total()[0] > 0
    assert all(row.difference == 0 for row in side_by_side(first, again))


@pytest.mark.parametrize("name", ["lancashire", "bristol", "nottingham", "wokingham"])
def test_a_settled_workers_sessions_are_their_cadences_times_the_documents_length(name):
    profile = load_profile(name)
    facts = _pair()
    every = base_cadence(Context(profile, facts, AS_OF), facts.staff[1])["every"]
    expected = per_month(every) * session_minutes(profile) / 60
    group = profile.rule("supervision.group")
    if group is not None and "social_worker" in group["roles"]:
        expected += per_month(group["every"]) * session_minutes(profile) / 60
    load = capacity(profile, facts, AS_OF).loads["boss"]
    assert load.hours["sessions"] == pytest.approx(expected, abs=0.01)


def test_contracted_hours_are_the_persons_or_full_time():
    full = capacity(load_profile("lancashire"), _pair(), AS_OF).loads["boss"]
    part = capacity(load_profile("lancashire"), _pair(18.5), AS_OF).loads["boss"]
    assert full.contracted == round(FULL_TIME_HOURS * WEEKS_PER_MONTH, 1)
    assert part.contracted == round(18.5 * WEEKS_PER_MONTH, 1)


def test_the_command_line_prints_both_profiles_by_team_and_the_difference(
    tmp_path, capsys, busy_facts
):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(_as_json(busy_facts), default=str), encoding="utf-8")
    status = oversight(
        ["capacity", "--profile", "lancashire", "--compare", "bristol", "--facts", str(path),
         "--as-of", AS_OF.isoformat()]
    )  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert lines[0].split("\t")[2:] == [
        "Demand h/month (lancashire)",
        "Demand h/month (bristol)",
        "Difference",
    ]
    total = lines[-2].split("\t")
    lancashire = capacity(load_profile("lancashire"), busy_facts, AS_OF).total()[0]
    assert total[0] == "Whole organisation" and float(total[2]) == pytest.approx(lancashire)


def test_an_unknown_profile_on_the_command_line_is_one_clear_error(tmp_path, capsys):
    path = tmp_path / "facts.json"
    path.write_text("{}", encoding="utf-8")
    status = oversight(["capacity", "--profile", "atlantis", "--facts", str(path)])
    err = capsys.readouterr().err
    assert status == 2 and "atlantis" in err and "Traceback" not in err


def _as_json(facts: Facts) -> dict:
    """The facts file the command line reads: a list per section."""
    out = {}
    for f in dataclasses.fields(facts):
        items = getattr(facts, f.name)
        if isinstance(items, tuple) and items:
            out[f.name] = [
                {k: v for k, v in dataclasses.asdict(i).items() if v not in (None, (), [])}
                for i in items
            ]
    return out


def test_the_lighter_facts_the_page_reads_give_the_same_demand_as_every_fact(db):
    org_id = build_organisation(db, profile="nottingham", as_of=AS_OF, name="Light")
    with db() as session:
        every, light = load_facts(session, org_id), capacity_facts(session, org_id, AS_OF)
    for name in ("nottingham", "bristol", "lancashire"):
        profile = load_profile(name)
        assert capacity(profile, light, AS_OF).teams() == capacity(profile, every, AS_OF).teams()
