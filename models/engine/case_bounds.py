"""How far back each case's history is read (policy/frontier.py decides why):
the last supervision before `since` or the last recorded direction, and
important decisions not yet recorded. A person's bounds are in history_bounds.py."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func, not_, or_, select

from models.engine import fact_rows as rows
from models.engine.history_bounds import FAR_PAST
from models.engine.keyed import keyed_dates
from models.tables.cases import CaseSupervision


def supervision_cuts(session, profile, current, as_of, since_of) -> dict[str, date]:
    """Per case, the day from which its supervisions are read: its cycle's last
    event before `since` (since_of: case ID -> SinceDays), or the last day a
    direction was recorded, whichever is earlier (every supervision after that
    is a record still owed)."""
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


def bounded_decisions(session, every_allocation, as_of, since_of) -> tuple:
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
