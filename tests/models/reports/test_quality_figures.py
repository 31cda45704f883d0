"""Sessions shorter than the minimum, ASYE progress, observations against
the requirement, and audit and sample findings agree with counts made here
from the rows of the tables, read whole and judged in Python by the
profile's rules (not by the figures' queries)."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from models import (
    AsyeReview,
    Observation,
    Organisation,
    Sample,
    SampleItem,
    StaffMember,
    SupervisionRecordAudit,
    SupervisionRelationship,
    SupervisionSession,
)
from models.reports import FIGURES, Period, ReportScope, figure_items, figure_table
from models.reports.workbook import build_report, workbook_bytes
from policy import load_profile
from policy.schedule import minimum_session_minutes
from tests.worlds.quality_records import build_quality_records

AS_OF = date(2026, 11, 16)
PERIOD = Period(date(2025, 12, 1), date(2026, 11, 30), AS_OF)
PROFILES = ["wokingham", "lancashire", "nottingham", "bristol"]


@pytest.fixture(params=PROFILES)
def world(request, db):
    org_id = build_quality_records(db, profile=request.param, as_of=AS_OF, name="Quality")
    with db() as session:
        rows = {
            model: session.scalars(select(model)).all()
            for model in (
                AsyeReview,
                Observation,
                Sample,
                SampleItem,
                StaffMember,
                SupervisionRecordAudit,
                SupervisionRelationship,
                SupervisionSession,
            )
        }
        profile = load_profile(session.get(Organisation, org_id).profile)
    return org_id, profile, rows


def _totals(db, name, org_id):
    with db() as session:
        table = figure_table(session, FIGURES[name], ReportScope(org_id, "all"), PERIOD)
    return Counter(table.totals.counts)


def _in_post(person, on):
    return person.started_on <= on and (person.left_on is None or person.left_on > on)


def test_sessions_shorter_than_the_documents_minimum_match_the_sessions_measured(db, world):
    org_id, profile, rows = world
    people = {p.id: p for p in rows[StaffMember]}
    supervisee = {r.id: people[r.supervisee_id] for r in rows[SupervisionRelationship]}
    expected = Counter()
    for s in rows[SupervisionSession]:
        if s.status.value != "held" or not PERIOD.starts_on <= s.held_on <= AS_OF:
            continue
        least = minimum_session_minutes(profile, asye=supervisee[s.relationship_id].asye)
        if s.duration_minutes is None:
            expected["not_recorded"] += 1
        elif least is not None and s.duration_minutes < least:
            expected["short"] += 1
        else:
            expected["long_enough"] += 1
    if (
        minimum_session_minutes(profile) is None
        and minimum_session_minutes(profile, asye=True) is None
    ):
        expected = Counter()
    assert _totals(db, "short_sessions", org_id) == expected


def test_asye_progress_matches_each_review_against_its_milestone(db, world):
    org_id, profile, rows = world
    rule = profile.rule("asye.reviews")
    expected = Counter()
    reviews = {(r.staff_id, r.stage): r.reviewed_on for r in rows[AsyeReview]}
    for person in rows[StaffMember]:
        if rule is None or not person.asye or not _in_post(person, AS_OF):
            continue
        start = person.asye_started_on or person.started_on
        for milestone in rule["at"]:
            due = milestone.after(start)
            done = reviews.get((person.id, milestone.amount))
            if done is not None:
                expected["on_time" if done <= due else "late"] += 1
            else:
                expected["overdue" if due < AS_OF else "not_yet_due"] += 1
    assert _totals(db, "asye_progress", org_id) == expected
    if rule is not None:
        assert expected["on_time"] == 1 and expected["overdue"] == 1


def _signed(observation) -> bool:
    return {s.party.value for s in observation.signatures} >= {"supervisor", "supervisee"}


def test_observations_match_each_persons_requirement_counted_by_hand(db, world):
    org_id, profile, rows = world
    practice, asye = profile.rule("observation.practice"), profile.rule("asye.observations")
    done = [o for o in rows[Observation] if o.kind.value == "practice" and _signed(o)]
    expected = Counter()
    for person in rows[StaffMember]:
        if not _in_post(person, AS_OF):
            continue
        start = person.asye_started_on or person.started_on
        if asye is not None and person.asye and start <= AS_OF < asye["within"].after(start):
            required, deadline, since = asye["count"], asye["within"].after(start), start
        elif practice is not None and person.role.value in practice.get("roles", [person.role]):
            first = practice.get("first_within") or practice["per"]
            required, deadline = practice["count"], first.after(person.started_on)
            since = practice["per"].before(AS_OF) + timedelta(days=1)
        else:
            continue
        n = sum(1 for o in done if o.staff_id == person.id and since <= o.observed_on <= AS_OF)
        if n >= required:
            expected["met"] += 1
        else:
            expected["not_yet_due" if deadline > AS_OF else "short"] += 1
    assert _totals(db, "observations", org_id) == expected


def test_audit_and_sample_findings_match_the_samples_and_audits_read_back(db, world):
    org_id, _profile, rows = world
    drawn = {s.id for s in rows[Sample] if PERIOD.starts_on <= s.drawn_on <= AS_OF}
    expected = Counter()
    for item in rows[SampleItem]:
        if item.sample_id in drawn:
            finding = {True: "meets", False: "falls_short", None: "not_reviewed"}
            expected[finding[item.meets_standard]] += 1
    for audit in rows[SupervisionRecordAudit]:
        if PERIOD.starts_on <= audit.audited_on <= AS_OF:
            expected["falls_short" if audit.shortfalls else "meets"] += 1
    assert _totals(db, "findings", org_id) == expected
    assert sum(expected.values()) == 5


def test_a_sampled_record_is_listed_under_the_supervisee_it_is_about(db, world):
    org_id, _profile, rows = world
    with db() as session:
        items = figure_items(
            session,
            FIGURES["findings"],
            ReportScope(org_id, "all"),
            PERIOD,
            {"source": "quarterly_sample"},
            "falls_short",
        )
    asye = next(p for p in rows[StaffMember] if p.asye)
    assert [(i.staff_id, i.ref) for i in items] == [(asye.id, "2026-Q3")]


def test_records_written_and_shared_match_each_sessions_dates_against_the_deadlines(db, world):
    org_id, profile, rows = world
    expected = Counter()
    for s in rows[SupervisionSession]:
        if s.status.value != "held" or not PERIOD.starts_on <= s.held_on <= AS_OF:
            continue
        for rule_id, done in (
            ("recording.session", s.recorded_on),
            ("recording.shared", s.shared_on),
        ):
            rule = profile.rule(rule_id)
            if rule is None:
                continue
            deadline = rule["within"].after(s.held_on)
            if done is not None:
                expected["on_time" if done <= deadline else "late"] += 1
            else:
                expected["overdue" if deadline < AS_OF else "not_yet_due"] += 1
    assert _totals(db, "records", org_id) == expected


def test_the_monthly_workbook_has_a_sheet_for_each_new_figure_with_its_totals(db, world):
    org_id, _profile, _rows = world
    with db() as session:
        report = build_report(session, ReportScope(org_id, "all"), PERIOD, datetime(2026, 11, 16))
    book = load_workbook(io.BytesIO(workbook_bytes(report)))
    for name in ("short_sessions", "records", "asye_progress", "observations", "findings"):
        sheet = book[name]
        last = [c.value for c in list(sheet.iter_rows())[-1]]
        total = _totals(db, name, org_id)
        assert last[0] == "All" and sum(total.values()) in last
