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

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from models.engine import fact_rows as rows
from models.engine.history_bounds import (
    CYCLES,
    SLACK,
    bounded_decisions,
    bounded_sessions,
    observation_bounds,
    session_cutoffs,
    supervision_cuts,
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
)
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
) -> dict[Unit, Facts]:
    """Each unit's facts; the units must all be of one kind. `since`: per unit,
    the day (or a day per lifecycle) from which met obligations are wanted."""
    kinds = {u.kind for u in units}
    if len(kinds) > 1:
        raise ValueError(f"a batch holds one kind of unit, not {sorted(kinds)}")
    if not units:
        return {}
    reader = {"person": _people, "case": _cases, "team": _teams, "group": _groups}[kinds.pop()]
    bounded = {u: SinceDays(since.get(u), as_of) for u in units}
    return reader(session, organisation_id, list(units), profile, as_of, bounded)


def _staff_around(session, organisation_id, people) -> tuple:
    """These people and their line managers."""
    managers = session.scalars(
        select(StaffMember.line_manager_id).where(
            StaffMember.id.in_(people), StaffMember.line_manager_id.is_not(None)
        )
    ).all()
    return rows.staff_facts(session, organisation_id, set(people) | set(managers))


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
                rel.supervisee_id.in_(staff_ids),
                and_(
                    rel.supervisor_id.in_(staff_ids),
                    or_(rel.ended_on.is_(None), rel.ended_on > as_of),
                ),
            ),
        )
        .order_by(rel.id)
    ).all()


def _people(session, organisation_id, units, profile, as_of, since) -> dict[Unit, Facts]:
    ids = sorted({parse_fact_id(u.id, "staff") for u in units} - {None})
    rels = person_relationships(session, organisation_id, ids, as_of)
    own = {r.id: r for r in rels if r.supervisee_id in ids}
    people = set(ids) | {r.supervisor_id for r in rels} | {r.supervisee_id for r in rels}
    base = Facts(
        staff=_staff_around(session, organisation_id, people),
        relationships=rows.relationship_facts(rels),
        agreements=rows.agreement_facts(session, own),
    )
    since_of = {parse_fact_id(u.id, "staff"): d for u, d in since.items()}
    bounds = session_cutoffs(session, base, ids, profile, as_of, since_of)
    for staff_id, observed_from in observation_bounds(base, ids, profile, as_of).items():
        bounds.setdefault(staff_id, {})["observed_from"] = observed_from
    for staff_id, days in since_of.items():
        bounds.setdefault(staff_id, {})["records"] = days.feeding("records")
    bound = keyed_dates(session, "bound", bounds, (*CYCLES, "records", "observed_from"))
    hours = select(HoursRow.id).join(bound, bound.c.key == HoursRow.staff_id)
    observed = select(ObservationRow.id).join(bound, bound.c.key == ObservationRow.staff_id)
    facts = Facts(
        staff=base.staff,
        relationships=base.relationships,
        agreements=base.agreements,
        sessions=bounded_sessions(session, own, ids, profile, as_of, bound),
        hours_worked=rows.hours_facts(
            session,
            HoursRow.id.in_(hours.where(HoursRow.worked_on >= bound.c.individual)),
        ),
        absences=rows.absence_facts(
            session,
            and_(
                AbsenceRow.staff_id.in_(ids),
                or_(AbsenceRow.ends_on.is_(None), AbsenceRow.ends_on > as_of),
            ),
        ),
        observations=rows.observation_facts(
            session,
            ObservationRow.id.in_(
                observed.where(ObservationRow.observed_on >= bound.c.observed_from)
            ),
            people,
        ),
        samplings=rows.sampling_facts(
            session,
            organisation_id,
            ids,
            since=calendar_from(profile, "sampling.records", as_of) - SLACK,
        ),
        review_questionnaires=rows.questionnaire_facts(session, own),
        asye_reviews=rows.asye_review_facts(session, AsyeReviewRow.staff_id.in_(ids)),
        record_audits=rows.record_audit_facts(session, RecordAuditRow.supervisor_id.in_(ids)),
        actions=rows.action_facts(session, _open_or_done_since(ids, since)),
        missed_sessions=rows.missed_session_facts(session, MissedRow.relationship_id.in_(own)),
    )
    index = UnitIndex(facts)
    return {u: person_facts(index, u.id) for u in units}


def _open_or_done_since(ids, since) -> ColumnElement[bool]:
    """The batch's agreed actions not yet done, or done since the earliest day
    the batch wants met recording obligations from (policy/rules/actions.py)."""
    done_from = min(days.of("recording") for days in since.values())
    return and_(
        SupervisionRelationship.supervisee_id.in_(ids),
        or_(SessionAction.done_on.is_(None), SessionAction.done_on >= done_from),
    )


# --- cases ------------------------------------------------------------------------------


def _cases(session, organisation_id, units, profile, as_of, since) -> dict[Unit, Facts]:
    since_of = {u.id: d for u, d in since.items()}
    current = rows.open_allocations(
        session, organisation_id, CaseAllocation.case_ref.in_(sorted(since_of))
    )
    cuts = supervision_cuts(session, profile, current, as_of, since_of)
    cut = keyed_dates(
        session, "cut", {a.id: {"day": cuts[ref]} for ref, a in current.items()}, ("day",)
    )
    supervised = CaseSupervision.supervised_on
    wanted = (
        select(CaseSupervision.id)
        .join(cut, cut.c.key == CaseSupervision.allocation_id)
        .where(or_(supervised >= cut.c.day, CaseSupervision.recorded_on >= cut.c.day))
    )
    decisions = ()
    if profile.rule("recording.decision") is not None:
        every_allocation = rows.allocation_refs(session, organisation_id, current)
        decisions = bounded_decisions(session, every_allocation, as_of, since_of)
    workers = {a.worker_id for a in current.values()}
    rels = session.scalars(
        select(SupervisionRelationship).where(SupervisionRelationship.supervisee_id.in_(workers))
    ).all()
    facts = Facts(
        staff=_staff_around(session, organisation_id, workers | {r.supervisor_id for r in rels}),
        relationships=rows.relationship_facts(rels),
        cases=rows.case_facts_for(
            session,
            list(current.values()),
            or_(CaseSupervision.id.in_(wanted), supervised > as_of),
        ),
        decisions=decisions,
        case_oversights=_case_oversights(session, organisation_id, profile, current, as_of),
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


def _teams(session, organisation_id, units, profile, as_of, since) -> dict[Unit, Facts]:
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


def _groups(session, organisation_id, units, profile, as_of, since) -> dict[Unit, Facts]:
    group_ids = sorted({parse_fact_id(u.id, "grp") for u in units} - {None})
    found = rows.group_agreement_facts(session, organisation_id, SupervisionGroup.id.in_(group_ids))
    people = {parse_fact_id(v.supervisor, "staff") for v in found["group_agreements"]}
    people |= {parse_fact_id(s.staff, "staff") for s in found["group_signatories"]}
    facts = Facts(staff=_staff_around(session, organisation_id, people), **found)
    index = UnitIndex(facts)
    return {u: group_facts(index, u.id) for u in units}
