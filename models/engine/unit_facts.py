"""Facts for a batch of units (policy/units.py), read with set-based SQL and
bounded by what can still decide an answer (policy/frontier.py).

For each kind of unit a few queries read the batch's rows: its people, their
relationships, and of their events only the recent ones: from the last event
of each recurring cycle before `since`, plus records not yet written or
signed, windows in view, absences not over. The bounds here are generous
(a few days' slack on a month's arithmetic, a person's earliest cycle for all
of their cycles); the engine's own `trim` then cuts to exactly what it needs,
so a unit's answer is the same as from the whole history (tests/models show it).

The batch's rows are cut into units by the same functions that partition a
whole facts file (policy.units), so the two paths cannot drift apart."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import date

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from models.engine import fact_rows as rows
from models.engine.among import among
from models.engine.case_bounds import bounded_decisions, supervision_cuts
from models.engine.history_bounds import (
    CYCLES,
    SLACK,
    bounded_sessions,
    observation_bounds,
    session_cutoffs,
)
from models.engine.keyed import keyed_dates
from models.tables.case_oversight import CaseOversight as OversightRow
from models.tables.cases import CaseAllocation, CaseFileAudit, CaseSupervision
from models.tables.group_agreement import SupervisionGroup
from models.tables.missed_session import MissedSession as MissedRow
from models.tables.org import StaffMember
from models.tables.oversight import Absence as AbsenceRow
from models.tables.oversight import AsyeReview as AsyeReviewRow
from models.tables.oversight import HoursWorked as HoursRow
from models.tables.oversight import Observation as ObservationRow
from models.tables.record_audit import SupervisionRecordAudit as RecordAuditRow
from models.tables.supervision import (
    SessionAction,
    SupervisionRelationship,
    SupervisionSession,
)
from policy.engine import facts_read
from policy.facts import Facts
from policy.frontier import Since, SinceDays, calendar_from
from policy.keys import parse_fact_id
from policy.profile import Profile
from policy.rules.case_oversight import window_bound
from policy.units import (
    Unit,
    UnitIndex,
    case_facts,
    group_facts,
    person_facts,
    team_facts,
    team_of,
)


def load_unit_facts(
    session: Session,
    organisation_id: int,
    units: Sequence[Unit],
    *,
    profile: Profile,
    as_of: date,
    since: Mapping[Unit, Since],
    lifecycles: Collection[str] | None = None,
) -> dict[Unit, Facts]:
    """Each unit's facts; the units must all be of one kind. `since`: per unit,
    the day (or a day per lifecycle) from which met obligations are wanted.
    With `lifecycles`, only the sections their rules read (policy.engine.FACTS_READ):
    an action reconciling one subject reads what its lifecycles need, no more."""
    kinds = {u.kind for u in units}
    if len(kinds) > 1:
        raise ValueError(f"a batch holds one kind of unit, not {sorted(kinds)}")
    if not units:
        return {}
    reader = {"person": _people, "case": _cases, "team": _teams, "group": _groups}[kinds.pop()]
    bounded = {u: SinceDays(since.get(u), as_of) for u in units}
    wanted = facts_read(lifecycles)
    return reader(session, organisation_id, list(units), profile, as_of, bounded, wanted)


def _staff_around(session, organisation_id, people) -> tuple:
    """These people and their line managers."""
    return rows.staff_facts(session, organisation_id, people, with_line_managers=True)


# --- people ---------------------------------------------------------------------------


def person_relationships(session: Session, organisation_id: int, staff_ids, as_of: date):
    """Relationships a batch of people are supervised in (all of them) or
    supervise (those not over by as_of), both parties in the organisation."""
    supervisor = aliased(StaffMember)
    rel = SupervisionRelationship
    return session.scalars(
        select(rel)
        .join(StaffMember, StaffMember.id == rel.supervisee_id)
        .join(supervisor, supervisor.id == rel.supervisor_id)
        .where(
            StaffMember.organisation_id == organisation_id,
            supervisor.organisation_id == organisation_id,
            or_(
                among(rel.supervisee_id, staff_ids),
                and_(
                    among(rel.supervisor_id, staff_ids),
                    or_(rel.ended_on.is_(None), rel.ended_on > as_of),
                ),
            ),
        )
        .order_by(rel.id)
    ).all()


def _people(session, organisation_id, units, profile, as_of, since, wanted) -> dict[Unit, Facts]:
    ids = sorted({parse_fact_id(u.id, "staff") for u in units} - {None})
    rels = person_relationships(session, organisation_id, ids, as_of)
    own = {r.id: r for r in rels if r.supervisee_id in ids}
    people = set(ids) | {r.supervisor_id for r in rels} | {r.supervisee_id for r in rels}
    base = Facts(
        staff=_staff_around(session, organisation_id, people),
        relationships=rows.relationship_facts(rels),
        agreements=rows.agreement_facts(session, own) if "agreements" in wanted else (),
    )
    since_of = {parse_fact_id(u.id, "staff"): d for u, d in since.items()}
    bound, carried = _person_bounds(session, base, ids, profile, as_of, since_of, wanted)
    hours = select(HoursRow.id).join(bound, bound.c.key == HoursRow.staff_id)
    observed = select(ObservationRow.id).join(bound, bound.c.key == ObservationRow.staff_id)
    readers = {
        "sessions": lambda: bounded_sessions(session, own, ids, profile, as_of, bound, carried),
        "hours_worked": lambda: rows.hours_facts(
            session,
            HoursRow.id.in_(hours.where(HoursRow.worked_on >= bound.c.hours)),
        ),
        "absences": lambda: rows.absence_facts(
            session,
            and_(
                among(AbsenceRow.staff_id, ids),
                or_(AbsenceRow.ends_on.is_(None), AbsenceRow.ends_on > as_of),
            ),
        ),
        "observations": lambda: rows.observation_facts(
            session,
            ObservationRow.id.in_(
                observed.where(ObservationRow.observed_on >= bound.c.observed_from)
            ),
            people,
        ),
        "samplings": lambda: rows.sampling_facts(
            session,
            organisation_id,
            ids,
            since=calendar_from(profile, "sampling.records", as_of) - SLACK,
        ),
        "review_questionnaires": lambda: rows.questionnaire_facts(session, own),
        "asye_reviews": lambda: rows.asye_review_facts(session, among(AsyeReviewRow.staff_id, ids)),
        "record_audits": lambda: rows.record_audit_facts(
            session, among(RecordAuditRow.supervisor_id, ids)
        ),
        "actions": lambda: rows.action_facts(session, _open_or_done_since(ids, since, as_of)),
        "missed_sessions": lambda: rows.missed_session_facts(
            session, among(MissedRow.relationship_id, own)
        ),
    }
    facts = dataclasses.replace(
        base, **{name: read() for name, read in readers.items() if name in wanted}
    )
    index = UnitIndex(facts)
    return {u: person_facts(index, u.id) for u in units}


def _person_bounds(session, base, ids, profile, as_of, since_of, wanted):
    """Per person, the day each kind of event is read from (keyed_dates): each
    cycle's replay start, hours that can count, records owed since, observations
    that still count, the days of the sessions carried into a relationship
    (and those columns' names). Only what the wanted sections need is worked out."""
    bounds: dict[int, dict[str, date]] = {}
    carried: list[str] = []
    if wanted & {"sessions", "hours_worked"}:
        bounds, carried = session_cutoffs(session, base, ids, profile, as_of, since_of)
    if "observations" in wanted:
        for staff_id, observed_from in observation_bounds(base, ids, profile, as_of).items():
            bounds.setdefault(staff_id, {})["observed_from"] = observed_from
    for staff_id, days in since_of.items():
        bounds.setdefault(staff_id, {})["records"] = days.feeding("records")
    columns = (*CYCLES, "hours", "records", "observed_from", *carried)
    return keyed_dates(session, "bound", bounds, columns), carried


def _open_or_done_since(ids, since, as_of) -> ColumnElement[bool]:
    """The batch's agreed actions not yet done, or done since the earliest day
    the batch wants met recording obligations from (policy/rules/actions.py),
    or due after as_of (a date still to come wakes the unit, as from the whole
    history)."""
    done_from = min(days.of("recording") for days in since.values())
    return and_(
        among(SupervisionRelationship.supervisee_id, ids),
        or_(
            SessionAction.done_on.is_(None),
            SessionAction.done_on >= done_from,
            SessionAction.due_on > as_of,
            SupervisionSession.held_on > as_of,
        ),
    )


# --- cases ------------------------------------------------------------------------------


def _cases(session, organisation_id, units, profile, as_of, since, wanted) -> dict[Unit, Facts]:
    since_of = {u.id: d for u, d in since.items()}
    current = rows.open_allocations(
        session, organisation_id, among(CaseAllocation.case_ref, sorted(since_of))
    )
    cuts = supervision_cuts(session, profile, current, as_of, since_of)
    cut = keyed_dates(
        session, "cut", {a.id: {"day": cuts[ref]} for ref, a in current.items()}, ("day",)
    )
    supervised = CaseSupervision.supervised_on
    since_cut = (
        select(CaseSupervision.id)
        .join(cut, cut.c.key == CaseSupervision.allocation_id)
        .where(or_(supervised >= cut.c.day, CaseSupervision.recorded_on >= cut.c.day))
    )
    decisions = ()
    if "decisions" in wanted and profile.rule("recording.decision") is not None:
        every_allocation = rows.allocation_refs(session, organisation_id, current)
        decisions = bounded_decisions(session, every_allocation, as_of, since_of)
    workers = {a.worker_id for a in current.values()}
    rels = session.scalars(
        select(SupervisionRelationship).where(among(SupervisionRelationship.supervisee_id, workers))
    ).all()
    facts = Facts(
        staff=_staff_around(session, organisation_id, workers | {r.supervisor_id for r in rels}),
        relationships=rows.relationship_facts(rels),
        cases=rows.case_facts_for(
            session,
            list(current.values()),
            or_(CaseSupervision.id.in_(since_cut), supervised > as_of),
        ),
        decisions=decisions,
        case_oversights=_case_oversights(session, organisation_id, profile, current, as_of)
        if "case_oversights" in wanted
        else (),
    )
    index = UnitIndex(facts)
    return {u: case_facts(index, u.id) for u in units}


def _case_oversights(session, organisation_id, profile, current, as_of):
    """Oversight entries recent enough to meet a window still in view."""
    rule = profile.rule("case_oversight")
    if rule is None:
        return ()
    every_allocation = rows.allocation_refs(session, organisation_id, current)
    since = window_bound(as_of, rule["every"])
    return rows.case_oversight_facts(session, every_allocation, OversightRow.recorded_on >= since)


# --- teams and groups -------------------------------------------------------------------


def _teams(session, organisation_id, units, profile, as_of, since, wanted) -> dict[Unit, Facts]:
    team_ids = sorted({parse_fact_id(u.id, "team") for u in units} - {None})
    named = sorted({parse_fact_id(u.id, "staff") for u in units} - {None})
    members = session.scalars(
        select(StaffMember.id).where(
            StaffMember.organisation_id == organisation_id,
            or_(
                StaffMember.team_id.in_(team_ids),
                and_(StaffMember.team_id.is_(None), StaffMember.line_manager_id.in_(named)),
            ),
        )
    ).all()
    current = rows.open_allocations(session, organisation_id, CaseAllocation.worker_id.in_(members))
    refs = rows.allocation_refs(session, organisation_id, current)
    window_from = calendar_from(profile, "case_file_audit", as_of)
    newest = (
        select(
            CaseFileAudit.id,
            func.row_number()
            .over(
                partition_by=CaseAllocation.case_ref,
                order_by=(CaseFileAudit.audited_on.desc(), CaseFileAudit.id.desc()),
            )
            .label("n"),
        )
        .join(CaseAllocation, CaseAllocation.id == CaseFileAudit.allocation_id)
        .where(CaseFileAudit.allocation_id.in_(list(refs)), CaseFileAudit.audited_on <= as_of)
        .subquery()
    )
    people = set(members) | {a.worker_id for a in current.values()} | set(named)
    facts = Facts(
        staff=rows.staff_facts(session, organisation_id, people),
        cases=rows.case_facts_for(session, list(current.values()), false()),
        audits=rows.audit_facts(
            session,
            refs,
            people,
            or_(
                CaseFileAudit.audited_on >= window_from - SLACK,
                CaseFileAudit.audited_on > as_of,
                CaseFileAudit.id.in_(select(newest.c.id).where(newest.c.n == 1)),
            ),
        ),
    )
    index = UnitIndex(facts)
    by_team = defaultdict(list)
    for c in facts.cases:
        by_team[team_of(index.staff.get(c.worker))].append(c)
    return {u: team_facts(index, u.id, by_team.get(u.id, [])) for u in units}


def _groups(session, organisation_id, units, profile, as_of, since, wanted) -> dict[Unit, Facts]:
    group_ids = sorted({parse_fact_id(u.id, "grp") for u in units} - {None})
    found = rows.group_agreement_facts(session, organisation_id, SupervisionGroup.id.in_(group_ids))
    people = {parse_fact_id(v.supervisor, "staff") for v in found["group_agreements"]}
    people |= {parse_fact_id(s.staff, "staff") for s in found["group_signatories"]}
    facts = Facts(staff=_staff_around(session, organisation_id, people), **found)
    index = UnitIndex(facts)
    return {u: group_facts(index, u.id) for u in units}
