"""What a reconcile did, by lifecycle and team, counted by the database: the
human tasks a batch created, completed, cancelled, reopened, escalated and
updated (read by their keys, so the cost is the batch's changes), and the
open and overdue picture afterwards (one aggregate query)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from models.engine.among import MOST_VALUES, among
from models.engine.reconcile import ReconcileResult
from models.tables.human_task import OPEN_STATUSES, HumanTask
from models.tables.org import StaffMember, Team
from policy.dates import long_date

NO_TEAM = "No team"
# What a run did, in the order the report lists it.
CHANGES = ("created", "completed", "cancelled", "reopened", "escalated", "updated")
# The escalations a report lists by name; the counts cover the rest.
MAX_LISTED = 50


@dataclass
class ChangeCounts:
    """Changes by lifecycle, and by lifecycle and team; mergeable across batches."""

    by_lifecycle: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    by_team: dict[str, dict[str, Counter]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Counter))
    )
    escalations: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    units: int = 0

    def merge(self, other: ChangeCounts) -> ChangeCounts:
        for lifecycle, counts in other.by_lifecycle.items():
            self.by_lifecycle[lifecycle].update(counts)
        for lifecycle, teams in other.by_team.items():
            for team, counts in teams.items():
                self.by_team[lifecycle][team].update(counts)
        for lifecycle, titles in other.escalations.items():
            listed = self.escalations[lifecycle]
            listed += titles[: max(MAX_LISTED - len(listed), 0)]
        self.units += other.units
        return self


def _team():
    return func.coalesce(Team.name, NO_TEAM)


def task_team_id(subject: type[StaffMember] = StaffMember):
    """The team a human task counts for: the one the reconcile keeps on it
    (models/engine/task_teams.py), else, for a task opened outside the
    reconcile, the team of the person it is about (joined as `subject`)."""
    return func.coalesce(HumanTask.team_id, subject.team_id)


def count_changes(session: Session, organisation_id: int, result: ReconcileResult) -> ChangeCounts:
    change_of: dict[str, str] = {}
    for name in CHANGES:
        if name != "escalated":  # counted on its own: created and escalated in one run
            for key in getattr(result, name):
                change_of.setdefault(key, name)
    escalated = set(result.escalated)
    out = ChangeCounts(units=result.units)
    keys = sorted(change_of.keys() | escalated)
    for start in range(0, len(keys), MOST_VALUES):
        rows = session.execute(
            select(HumanTask.key, HumanTask.lifecycle, HumanTask.due_on, HumanTask.title, _team())
            .join(StaffMember, StaffMember.id == HumanTask.subject_staff_id, isouter=True)
            .join(Team, Team.id == task_team_id(), isouter=True)
            .where(
                HumanTask.organisation_id == organisation_id,
                among(HumanTask.key, keys[start : start + MOST_VALUES]),
            )
            .order_by(HumanTask.due_on, HumanTask.key)
        )
        for key, lifecycle, due_on, title, team in rows:
            happened = [change_of[key]] if key in change_of else []
            if key in escalated:
                happened.append("escalated")
                if len(out.escalations[lifecycle]) < MAX_LISTED:
                    out.escalations[lifecycle].append(f"{title} ({team}, due {long_date(due_on)})")
            for name in happened:
                out.by_lifecycle[lifecycle][name] += 1
                out.by_team[lifecycle][team][name] += 1
    return out


def open_and_overdue(
    session: Session,
    organisation_id: int,
    lifecycles: Collection[str],
    as_of: date,
    subjects: Collection[str] | None = None,
) -> dict[str, tuple[int, dict[str, int]]]:
    """lifecycle -> (open human tasks, overdue ones by team)."""
    query = (
        select(
            HumanTask.lifecycle,
            _team(),
            func.count(),
            func.sum(case((HumanTask.due_on < as_of, 1), else_=0)),
        )
        .select_from(HumanTask)
        .join(StaffMember, StaffMember.id == HumanTask.subject_staff_id, isouter=True)
        .join(Team, Team.id == task_team_id(), isouter=True)
        .where(
            HumanTask.organisation_id == organisation_id,
            HumanTask.lifecycle.in_(list(lifecycles)),
            HumanTask.status.in_(OPEN_STATUSES),
        )
        .group_by(HumanTask.lifecycle, _team())
    )
    if subjects is not None:
        query = query.where(HumanTask.subject.in_(list(subjects)))
    out: dict[str, tuple[int, dict[str, int]]] = {}
    for lifecycle, team, total, overdue in session.execute(query):
        open_total, teams = out.get(lifecycle, (0, {}))
        if overdue:
            teams[team] = int(overdue)
        out[lifecycle] = (open_total + total, teams)
    return out


def overdue_by_team(
    session: Session, organisation_id: int, lifecycles: Collection[str], as_of: date
) -> tuple[dict[str, int], int]:
    """Open human tasks past their due date by team, and how many are open in all."""
    teams: Counter = Counter()
    total = 0
    for open_total, overdue in open_and_overdue(
        session, organisation_id, lifecycles, as_of
    ).values():
        total += open_total
        teams.update(overdue)
    return dict(sorted(teams.items())), total
