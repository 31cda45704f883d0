"""The team each human task counts for, so every figure rolls up by team: a
relationship's supervisee's team, a case's allocated worker's team (case
supervision, case records and decisions, and their escalations), a group's
own team (else its supervisor's), the team a team-wide obligation names (a
case-file audit), or the team of the person named. Read for a whole batch of
obligations in at most one query."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.engine.task_values import TaskValues
from models.tables.org import StaffMember
from policy.keys import parse_fact_id
from policy.obligations import Obligation


def task_teams(session: Session, values: TaskValues, obligations: list[Obligation]) -> dict:
    """Obligation key -> the team id its human task counts for (None: the
    person it is about belongs to no team, as a head of service may not)."""
    people = {o.key: values.subject_staff_id(o) for o in obligations}
    wanted = {staff_id for staff_id in people.values() if staff_id is not None}
    # Most are read already (values.staff): ask only for the others (a group's supervisor).
    team_of = {i: values.staff[i].team_id for i in wanted if i in values.staff}
    missing = sorted(wanted - team_of.keys())
    if missing:
        team_of |= dict(
            session.execute(
                select(StaffMember.id, StaffMember.team_id).where(StaffMember.id.in_(missing))
            )
            .tuples()
            .all()
        )
    out: dict[str, int | None] = {}
    for o in obligations:
        named = parse_fact_id(o.subject, "team")
        group = values.group_for(o)
        if named is not None:
            out[o.key] = named
        elif group is not None and group.team_id is not None:
            out[o.key] = group.team_id
        else:
            out[o.key] = team_of.get(people[o.key])
    return out
