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
from datetime import date, timedelta

from sqlalchemy import and_, case, exists, false, func, not_, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from models.engine import fact_rows as rows
from models.engine.keyed import keyed_dates
from models.tables.cases import CaseAllocation, CaseFileAudit, CaseSupervision
from models.tables.group_agreement import SupervisionGroup
from models.tables.org import StaffMember
from models.tables.oversight import Absence as AbsenceRow
from models.tables.oversight import AsyeReview as AsyeReviewRow
from models.tables.oversight import HoursWorked as HoursRow
from models.tables.oversight import Observation as ObservationRow
from models.tables.supervision import (
    GroupSupervisionAttendance,
    SessionKind,
    SessionSignature,
    SessionStatus,
    SignatoryParty,
    SupervisionRelationship,
    SupervisionSession,
)
from policy.context import Context
from policy.facts import Facts
from policy.frontier import Since, SinceDays, calendar_from, observations_from
from policy.keys import parse_fact_id, staff_fact_id
from policy.profile import Profile
from policy.units import (
    Unit,
    UnitIndex,
    case_facts,
    group_facts,
    person_facts,
    team_facts,
    team_of,
)

FAR_PAST = date(1, 1, 1)
FAR_FUTURE = date(9999, 12, 31)
# Month arithmetic ends months early or late by up to three days; a bound
# read this much further back holds every event the exact bound would.
SLACK = timedelta(days=4)


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
    bounds = _session_cutoffs(session, base, ids, profile, as_of, since_of)
    for staff_id, observed_from in _observation_bounds(base, ids, profile, as_of).items():
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
        sessions=_bounded_sessions(session, own, ids, profile, as_of, bound),
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
    )
    index = UnitIndex(facts)
    return {u: person_facts(index, u.id) for u in units}


def _session_cutoffs(session, base: Facts, ids, profile, as_of, since_of) -> dict:
    """Per person, a day from which every session their recurring cycles can
    replay from is read: the earliest last-event-before-`since` over their
    cycles (policy/frontier.py), less the slack."""
    rel = SupervisionRelationship
    held = SupervisionSession.held_on
    cycles = {"individual": "session", "development": "development", "group": "group"}
    cycles["asye_reflective"] = "asye-reflective"
    since_rows = {
        k: {cycle: days.feeding(fed) for cycle, fed in cycles.items()}
        for k, days in since_of.items()
    }
    since = keyed_dates(session, "since", since_rows, tuple(cycles))

    def before(cycle: str):
        return held < func.coalesce(getattr(since.c, cycle), FAR_FUTURE)

    late = profile.rule("recording.late_reason")
    out_of_view = late["in_view"].before(as_of) - SLACK if late is not None else FAR_PAST
    latest: dict[int, dict] = defaultdict(dict)

    def later(mine, key, day):
        mine[key] = max(filter(None, (mine.get(key), day)), default=None)

    for supervisee, supervisor, kind, last, last_dev, last_out in session.execute(
        select(
            rel.supervisee_id,
            rel.supervisor_id,
            SupervisionSession.kind,
            func.max(
                case(
                    (
                        SupervisionSession.kind == SessionKind.INDIVIDUAL,
                        case((before("individual"), held)),
                    ),
                    else_=case((before("asye_reflective"), held)),
                )
            ),
            func.max(
                case((and_(before("development"), SupervisionSession.development_discussed), held))
            ),
            func.max(case((held <= out_of_view, held))),
        )
        .join(rel, rel.id == SupervisionSession.relationship_id)
        .join(since, since.c.key == rel.supervisee_id, isouter=True)
        .where(
            rel.supervisee_id.in_(ids),
            SupervisionSession.status == SessionStatus.HELD,
            held.is_not(None),
        )
        .group_by(rel.supervisee_id, rel.supervisor_id, SupervisionSession.kind)
    ):
        mine = latest[supervisee]
        if kind == SessionKind.INDIVIDUAL:
            mine[("individual", supervisor)] = last
            mine[("out_of_view", supervisor)] = last_out
        later(mine, kind.value, last)
        later(mine, "development", last_dev)
    attended = GroupSupervisionAttendance.attended_on
    staff = GroupSupervisionAttendance.staff_id
    before_since = attended < func.coalesce(since.c.group, FAR_FUTURE)
    for staff_id, last in session.execute(
        select(staff, func.max(case((before_since, attended))))
        .join(since, since.c.key == staff, isouter=True)
        .where(staff.in_(ids))
        .group_by(staff)
    ):
        later(latest[staff_id], "group", last)
    return _cutoffs_from(base, ids, latest, late is not None, as_of)


CYCLES = ("individual", "development", "group", "asye_reflective")


def _cutoffs_from(base: Facts, ids, latest, late: bool, as_of: date) -> dict[int, dict]:
    """Per person and cycle, the earliest replay start over their active relationships."""
    left = {s.id for s in base.staff if s.left_on is not None and s.left_on <= as_of}
    supervised_in: dict[str, list] = defaultdict(list)
    for r in base.relationships:
        if r.supervisee not in left and Context.relationship_active(r, as_of):
            supervised_in[r.supervisee].append(r)
    out: dict[int, dict[str, date]] = defaultdict(dict)
    for staff_id in ids:
        mine = latest.get(staff_id, {})
        for r in supervised_in.get(staff_fact_id(staff_id), ()):
            supervisor = parse_fact_id(r.supervisor, "staff")
            keys = {cycle: [cycle] for cycle in CYCLES}
            keys["individual"] = [("individual", supervisor)]
            keys["individual"] += [("out_of_view", supervisor)] if late else []
            for cycle, found in keys.items():
                for key in found:
                    day = mine.get(key)
                    start = day if day is not None and day >= r.started_on else r.started_on
                    earlier = out[staff_id].get(cycle, start)
                    out[staff_id][cycle] = min(earlier, start - SLACK)
    return out


def _bounded_sessions(session, own, ids, profile, as_of, bound) -> tuple:
    """Sessions from each person's cutoff for each cycle; records still to write
    or countersign whenever held; and every session on the day of one of those.
    `bound` holds each person's cutoffs and `since` (keyed_dates)."""
    rel = SupervisionRelationship
    held = SupervisionSession.held_on
    kind = SupervisionSession.kind
    wanted = [
        and_(kind == SessionKind.INDIVIDUAL, held >= bound.c.individual),
        and_(SupervisionSession.development_discussed, held >= bound.c.development),
        and_(kind == SessionKind.ASYE_REFLECTIVE, held >= bound.c.asye_reflective),
        held >= bound.c.records,
        held > as_of,
    ]
    if profile.rule("recording.session") is not None:
        recorded_in_time = and_(
            SupervisionSession.recorded_on.is_not(None),
            SupervisionSession.recorded_on >= held,
            SupervisionSession.recorded_on <= as_of,
        )
        wanted.append(and_(kind == SessionKind.INDIVIDUAL, not_(recorded_in_time)))
    if profile.rule("recording.countersign") is not None:
        wanted.append(_awaiting_countersignature(as_of, bound.c.records))
    candidates = select(rel.supervisee_id, held).join(
        rel, rel.id == SupervisionSession.relationship_id
    )
    days = session.execute(
        candidates.join(bound, bound.c.key == rel.supervisee_id, isouter=True)
        .where(
            SupervisionSession.relationship_id.in_(own),
            SupervisionSession.status == SessionStatus.HELD,
            held.is_not(None),
            or_(*wanted),
        )
        .distinct()
    ).all()
    same_day = SupervisionSession.id.in_(
        select(SupervisionSession.id)
        .join(rel, rel.id == SupervisionSession.relationship_id)
        .where(
            SupervisionSession.relationship_id.in_(own),
            tuple_(rel.supervisee_id, held).in_([tuple(d) for d in days]) if days else false(),
        )
    )
    attended = GroupSupervisionAttendance.attended_on
    staff = GroupSupervisionAttendance.staff_id
    in_view = select(GroupSupervisionAttendance.id).join(bound, bound.c.key == staff)
    return rows.session_facts(
        session,
        own,
        set(ids),
        individual_where=same_day,
        attendance_where=and_(
            staff.in_(ids),
            or_(
                GroupSupervisionAttendance.id.in_(in_view.where(attended >= bound.c.group)),
                attended > as_of,
            ),
        ),
    )


def _awaiting_countersignature(as_of: date, since):
    """A record version the supervisor has signed and the supervisee had not by
    as_of, or one the supervisor signed since `since` or after as_of."""
    signature = aliased(SessionSignature)

    def signed(party, *conditions):
        return exists().where(
            signature.session_id == SupervisionSession.id,
            signature.version == SupervisionSession.record_version,
            signature.party == party,
            *conditions,
        )

    return and_(
        signed(SignatoryParty.SUPERVISOR),
        or_(
            not_(signed(SignatoryParty.SUPERVISEE, signature.signed_on <= as_of)),
            signed(SignatoryParty.SUPERVISOR, signature.signed_on >= since),
            signed(SignatoryParty.SUPERVISOR, signature.signed_on > as_of),
        ),
    )


def _observation_bounds(base: Facts, ids, profile, as_of) -> dict[int, date]:
    out = {}
    index = UnitIndex(base)
    for staff_id in ids:
        home = staff_fact_id(staff_id)
        ctx = Context(profile, person_facts(index, home), as_of, home=home)
        out[staff_id] = observations_from(ctx, ctx.staff.get(home)) - SLACK
    return out


# --- cases ------------------------------------------------------------------------------


def _cases(session, organisation_id, units, profile, as_of, since) -> dict[Unit, Facts]:
    since_of = {u.id: d for u, d in since.items()}
    current = rows.open_allocations(
        session, organisation_id, CaseAllocation.case_ref.in_(sorted(since_of))
    )
    cuts = _supervision_cuts(session, profile, current, as_of, since_of)
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
        decisions = _bounded_decisions(session, every_allocation, as_of, since_of)
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
    )
    index = UnitIndex(facts)
    return {u: case_facts(index, u.id) for u in units}


def _supervision_cuts(session, profile, current, as_of, since_of) -> dict[str, date]:
    # since_of: case ID -> SinceDays
    """Per case, the day from which its supervisions are read: its cycle's last
    event before `since`, or the last day a direction was recorded, whichever
    is earlier (every supervision after that is a record still owed)."""
    by_allocation = {a.id: ref for ref, a in current.items()}
    supervised = CaseSupervision.supervised_on
    recorded = CaseSupervision.recorded_on
    since_rows = {a.id: {"since": since_of[ref].feeding("case")} for ref, a in current.items()}
    since = keyed_dates(session, "since", since_rows, ("since",))
    before_since = supervised < since.c.since
    found = {
        by_allocation[allocation]: (last, last_recorded)
        for allocation, last, last_recorded in session.execute(
            select(
                CaseSupervision.allocation_id,
                func.max(case((before_since, supervised))),
                func.max(case((recorded <= as_of, recorded))),
            )
            .join(since, since.c.key == CaseSupervision.allocation_id)
            .group_by(CaseSupervision.allocation_id)
        )
    }
    records_owed = profile.rule("recording.case") is not None
    cuts = {}
    for ref, allocation in current.items():
        last, last_recorded = found.get(ref, (None, None))
        start = allocation.allocated_on
        anchor = last if last is not None and last >= start else start
        cut = min(anchor, since_of[ref].feeding("records"))
        if records_owed:
            cut = min(cut, last_recorded or FAR_PAST)
        cuts[ref] = cut
    return cuts


def _bounded_decisions(session, every_allocation, as_of, since_of) -> tuple:
    """Important decisions not yet recorded in time, or made since `since`,
    with every other decision on the same case that day."""
    if not every_allocation:
        return ()
    made = CaseSupervision.supervised_on
    since = keyed_dates(
        session,
        "since",
        {a: {"since": since_of[ref].feeding("records")} for a, ref in every_allocation.items()},
        ("since",),
    )
    recorded_in_time = and_(
        CaseSupervision.recorded_on.is_not(None),
        CaseSupervision.recorded_on >= made,
        CaseSupervision.recorded_on <= as_of,
    )
    days = session.execute(
        select(CaseSupervision.allocation_id, made)
        .join(since, since.c.key == CaseSupervision.allocation_id)
        .where(
            CaseSupervision.important_decision.is_(True),
            or_(not_(recorded_in_time), made >= since.c.since, made > as_of),
        )
    ).all()
    wanted = {(every_allocation[a], day) for a, day in days}
    refs = {ref for ref, _ in wanted}
    return tuple(
        d
        for d in rows.decision_facts(
            session,
            {a: ref for a, ref in every_allocation.items() if ref in refs},
            made.in_(sorted({day for _, day in wanted})),
        )
        if (d.case, d.made_on) in wanted
    )


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
