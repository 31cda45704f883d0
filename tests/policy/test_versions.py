"""Policies change; obligations say which version (policy/versions.py).

Harrowby (tests/fixtures/profiles/harrowby, made up) holds v2, in force from
1 April 2022, and v3, from 1 April 2024: v3 supervises everyone every 4 weeks
where v2 said 6, wants the agreement within 4 weeks not 6, adds child-in-need
case supervision and drops the development discussion. Each obligation is owed
under the version in force on the day it opens, and cites that version."""

from __future__ import annotations

import os
import shutil
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy import ObligationStatus, compute_obligations, load_profile
from policy.cli import main
from policy.documents import citation
from policy.frontier import compute_frontier, evaluate
from policy.profile import PROFILES_ENV, ProfileError
from policy.units import partition
from policy.versions import find_version, in_force, versions_of
from tests.policy.organisations import organisations
from tests.policy.policy_facts import case, d, facts, relationship, session, team
from tests.policy.test_frontier import EXAMPLES, comparable, owed_since, sinces

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "profiles"
V2 = "902_0a1b2c3d4e5f6071.txt"
V3 = "903_1b2c3d4e5f607182.txt"
EFFECTIVE = date(2024, 4, 1)  # v3 takes effect

with mock.patch.dict(os.environ, {PROFILES_ENV: str(FIXTURES)}):
    HARROWBY = load_profile("harrowby")


@pytest.fixture
def fixtures_found(monkeypatch):
    monkeypatch.setenv(PROFILES_ENV, str(FIXTURES))


def owed(as_of: str, **sections) -> list:
    sections.setdefault("relationships", [relationship(started_on="2023-01-02")])
    return compute_obligations(HARROWBY, facts(**sections), d(as_of))


def open_of_kind(obligations, kind: str) -> list:
    return [o for o in obligations if o.kind == kind and o.status is not ObligationStatus.MET]


# --- the versions a council holds ------------------------------------------------------


def test_a_council_holds_its_versions_earliest_first_each_with_the_day_it_takes_effect():
    assert [(v.version, v.effective_from, v.source_file) for v in versions_of(HARROWBY)] == [
        ("v2", date(2022, 4, 1), V2),
        ("v3", EFFECTIVE, V3),
    ]
    assert find_version(HARROWBY, "v2").rule("development.discussion") is not None


@pytest.mark.parametrize(
    ("day", "version"),
    [
        ("2020-06-01", "v2"),  # before any took effect: the earliest
        ("2024-03-31", "v2"),
        ("2024-04-01", "v3"),
        ("2026-12-07", "v3"),
    ],
)
def test_the_version_in_force_changes_on_the_day_it_takes_effect_not_a_day_either_side(
    day, version
):
    assert in_force(HARROWBY, d(day)).version == version


def test_every_bundled_council_names_its_documents_version_and_when_it_took_effect():
    wokingham = load_profile("wokingham")
    assert (wokingham.version, wokingham.effective_from) == ("3.0", date(2024, 1, 1))
    assert "January 2024" in wokingham.version_note
    assert versions_of(wokingham) == (wokingham,)


# --- each obligation under the version in force on the day it opens ----------------------


@pytest.mark.parametrize(
    ("held", "due", "source"),
    [
        ("2024-03-31", "2024-05-12", f"{V2} §3.1"),  # the day before v3: 6 weeks
        ("2024-04-01", "2024-04-29", f"{V3} §3.1"),  # the day v3 takes effect: 4 weeks
    ],
)
def test_the_next_session_is_due_under_the_version_in_force_on_the_last_session(held, due, source):
    (ob,) = open_of_kind(owed("2024-04-20", sessions=[session(held)]), "supervision")
    assert (ob.opens_on, ob.due, ob.source) == (d(held), d(due), source)


@pytest.mark.parametrize(
    ("started", "due", "source"),
    [("2024-03-31", "2024-05-12", f"{V2} §2.1"), ("2024-04-01", "2024-04-29", f"{V3} §2.1")],
)
def test_the_agreement_is_due_under_the_version_in_force_when_the_relationship_began(
    started, due, source
):
    obligations = owed(
        "2024-04-20",
        staff=team(sw_started=started),
        relationships=[relationship(started_on=started)],
    )
    (ob,) = open_of_kind(obligations, "agreement")
    assert (ob.due, ob.source) == (d(due), source)


def test_adopting_a_new_version_leaves_what_was_met_under_the_old_one_as_it_was():
    history = [session("2024-01-08"), session("2024-02-12"), session("2024-04-08")]
    before = {o.key: o for o in owed("2024-03-01", sessions=history[:2])}
    after = {o.key: o for o in owed("2024-06-30", sessions=history)}
    met_before = [o for o in before.values() if o.status is ObligationStatus.MET]
    assert met_before, "the history has met obligations under v2"
    for ob in met_before:
        assert after[ob.key] == ob
    # The session met on 8 April opened under v2 (6 weeks from 12 February);
    # the one after it opened on 8 April, under v3 (4 weeks).
    assert after["session:rel-1:2024-03-25"].source == f"{V2} §3.1"
    assert after["session:rel-1:2024-03-25"].met_on == d("2024-04-08")
    (next_one,) = open_of_kind(after.values(), "supervision")
    assert (next_one.due, next_one.source) == (d("2024-05-06"), f"{V3} §3.1")


def test_an_escalation_follows_the_version_of_the_obligation_it_escalates():
    """v2's session, due 18 March, is escalated 3 weeks later, on 8 April, after
    v3 took effect: it is still v2's session that is escalated, not v3's."""
    obligations = owed("2024-04-15", sessions=[session("2024-02-05")])
    escalated = {o.escalates for o in open_of_kind(obligations, "escalation")}
    assert "session:rel-1:2024-03-18" in escalated
    assert "session:rel-1:2024-03-04" not in escalated
    assert [o.key for o in open_of_kind(obligations, "supervision")] == ["session:rel-1:2024-03-18"]


def test_a_rule_the_new_version_drops_opens_nothing_after_it_takes_effect():
    before = open_of_kind(owed("2024-03-20"), "development")
    assert [o.source for o in before] == [f"{V2} §6.1"]
    discussed = [session("2024-04-02", development_discussed=True)]
    assert open_of_kind(owed("2024-06-20", sessions=discussed), "development") == []


@pytest.mark.parametrize(
    ("allocated", "due", "status"),
    [
        ("2024-04-01", "2024-05-27", "upcoming"),  # 8 weeks from allocation, under v3
        ("2024-03-31", "2024-05-26", "upcoming"),  # allocated under v2: v3 takes it over
        ("2023-06-01", "2024-04-01", "overdue"),  # never supervised: owed from v3's first day
    ],
)
def test_a_case_type_the_new_version_adds_is_owed_from_the_day_it_takes_effect(
    allocated, due, status
):
    cases = [case("100", "child_in_need", allocated)]
    (ob,) = open_of_kind(owed("2024-04-15", cases=cases), "case_supervision")
    assert (ob.due, ob.status, ob.source) == (d(due), status, f"{V3} §5.2")


def test_a_case_the_new_version_takes_over_is_not_owed_before_it_takes_effect():
    cases = [case("100", "child_in_need", "2023-06-01")]
    (ob,) = open_of_kind(owed("2024-03-31", cases=cases), "case_supervision")
    assert (ob.due, ob.status) == (EFFECTIVE, "due")
    supervised = [case("100", "child_in_need", "2023-06-01", supervised_on=["2023-09-01"])]
    owed_then = [o for o in owed("2024-03-31", cases=supervised) if o.kind == "case_supervision"]
    # The discussion in September met nothing: v2 asked for none.
    assert [(o.opens_on, o.due, o.met_on) for o in owed_then] == [
        (d("2023-09-01"), EFFECTIVE, None)
    ]


def test_the_citation_people_read_names_the_version(fixtures_found):
    (v2_session,) = open_of_kind(
        owed("2024-04-20", sessions=[session("2024-03-31")]), "supervision"
    )
    assert citation(v2_session.source) == "Harrowby Council: Supervision Policy v2 (2022), §3.1"
    wokingham = load_profile("wokingham").rule("supervision.default")
    assert citation(wokingham.source).startswith(
        "Wokingham Borough Council: Supervision Policy v3.0"
    )


def test_the_frontier_engine_owes_the_same_under_versions():
    data = facts(
        relationships=[relationship(started_on="2023-01-02")],
        sessions=[session("2024-02-05"), session("2024-03-31")],
        cases=[case("101", "child_in_need", "2024-04-01")],
    )
    for as_of in ("2024-03-31", "2024-04-01", "2024-05-20"):
        full = [o for o in compute_obligations(HARROWBY, data, d(as_of)) if o.status != "met"]
        assert comparable(compute_frontier(HARROWBY, data, d(as_of))) == comparable(full)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations(), sinces())
def test_the_frontier_owes_exactly_what_the_whole_history_owes_across_versions(organisation, back):
    facts_, as_of = organisation

    def day(days_back):
        return None if days_back is None else as_of - timedelta(days=days_back)

    since = (
        {name: day(b) for name, b in back.items() if b is not None}
        if isinstance(back, dict)
        else day(back)
    )
    full = owed_since(compute_obligations(HARROWBY, facts_, as_of), since, as_of)
    assert comparable(compute_frontier(HARROWBY, facts_, as_of, since=since)) == comparable(full)


@settings(max_examples=EXAMPLES // 4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations(), st.integers(1, 400))
def test_nothing_a_unit_owes_changes_before_it_wakes_even_when_a_version_takes_effect(
    organisation, ahead
):
    facts_, as_of = organisation
    later = as_of + timedelta(days=ahead)
    for unit, unit_facts in partition(facts_).items():
        now = evaluate(HARROWBY, unit, unit_facts, as_of)
        then = evaluate(HARROWBY, unit, unit_facts, later)
        for lifecycle, wake in now.wakes.items():
            if wake is not None and wake <= later:
                continue

            def open_keys(result, lifecycle=lifecycle):
                return sorted(
                    (o.key, o.assignee, o.due, o.escalates, o.source)
                    for o in result.obligations
                    if o.lifecycle == lifecycle and o.status is not ObligationStatus.MET
                )

            assert open_keys(then) == open_keys(now), (unit, lifecycle, wake)


# --- a wrong set of versions fails to load, naming the file, the line and the field ------


def council_copy(tmp_path, monkeypatch) -> Path:
    shutil.copytree(FIXTURES / "harrowby", tmp_path / "harrowby")
    monkeypatch.setenv(PROFILES_ENV, str(tmp_path))
    return tmp_path / "harrowby"


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            "effective_from: 2022-04-01",
            "effective_from: 2024-04-01",
            r"v2\.yaml:8: effective_from: 2024-04-01 is not before 2024-04-01",
        ),
        ("effective_from: 2022-04-01", "effective_from: 2022-02-30", r"v2\.yaml:8: effective_from"),
        ("version: v2", "version: v3", r"v2\.yaml:7: version: v3 is also in .*rules\.yaml"),
        (V2, V3, r"v2\.yaml:5: source_file: 903_1b2c3d4e5f607182\.txt is also in"),
        ("Policy v2 (2022)", "Policy (2022)", r"v2\.yaml:4: title: .* does not name its version"),
        ("name: harrowby", "name: harrowbie", r"v2\.yaml: name: 'harrowbie' does not match"),
    ],
)
def test_a_wrong_earlier_version_is_refused_naming_file_line_and_field(
    tmp_path, monkeypatch, old, new, error
):
    v2 = council_copy(tmp_path, monkeypatch) / "versions" / "v2.yaml"
    v2.write_text(v2.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(ProfileError, match=error):
        load_profile("harrowby")


def test_a_version_without_its_version_or_date_is_refused(tmp_path, monkeypatch):
    rules = council_copy(tmp_path, monkeypatch) / "rules.yaml"
    rules.write_text(rules.read_text().replace("version: v3\n", ""), encoding="utf-8")
    with pytest.raises(ProfileError, match=r"rules\.yaml:\d+: version: missing"):
        load_profile("harrowby")


# --- oversight explain shows the versions -------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "current", "other"), [("2024-03-31", "v2", "v3"), ("2024-04-01", "v3", "v2")]
)
def test_explain_lists_the_versions_and_explains_the_one_in_force_on_the_day(
    fixtures_found, capsys, as_of, current, other
):
    assert main(["explain", "--profile", "harrowby", "--as-of", as_of]) == 0
    out = capsys.readouterr().out
    shown = {line.split(":")[0].strip(): line for line in out.splitlines()[1:3]}
    assert shown[current].endswith(f"<- in force on {d(as_of).day} {d(as_of):%B %Y}")
    assert "in force on" not in shown[other]
    cited = V2 if current == "v2" else V3
    assert f"[{cited} §3.1]" in out and f"[{V3 if cited == V2 else V2} §3.1]" not in out


def test_explain_shows_a_single_version_council_and_its_reading(capsys):
    assert main(["explain", "--profile", "wokingham", "--as-of", "2026-12-07"]) == 0
    out = capsys.readouterr().out
    assert "3.0: from 1 January 2024" in out and "<- in force on 7 December 2026" in out


def test_explain_refuses_a_day_that_is_not_a_date(capsys):
    assert main(["explain", "--profile", "wokingham", "--as-of", "2026-13-01"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "--as-of" in err
