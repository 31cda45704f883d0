"""Reconcile lifecycles for one organisation: the unit of work of every
lifecycle flow. One task run per organisation, never one per person: the
reconcile itself is set-based, and every lifecycle a flow owns is reconciled
in the one transaction, under the organisation's lock."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from prefect import task
from prefect.logging import get_run_logger
from sqlalchemy import exc as sa_exc
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from models import OPEN_STATUSES, HumanTask, StaffMember, Team
from models.db import get_sessionmaker
from models.reconcile import ReconcileResult, lock_organisation, reconcile_in_session
from policy import LIFECYCLES
from tasks.retries import (
    TRANSIENT_RETRIES,
    TRANSIENT_RETRY_DELAYS,
    is_transient_error,
    is_transient_failure,
)

NO_TEAM = "No team"
# What a run did, in the order the report lists it.
CHANGES = ("created", "completed", "cancelled", "reopened", "escalated", "updated")
# The escalations a report lists by name; the counts cover the rest.
MAX_LISTED = 50


@dataclass(frozen=True)
class ReconcileCounts:
    """What one reconcile did to one lifecycle's human tasks in one
    organisation, as plain values a flow can return and publish."""

    organisation_id: int
    lifecycle: str
    as_of: date
    subjects: tuple[str, ...] | None
    created: int
    completed: int
    cancelled: int
    reopened: int
    escalated: int
    open_total: int
    overdue_by_team: dict[str, int] = field(default_factory=dict)
    updated: int = 0
    # team -> {"created": n, "escalated": n, "overdue": n, ...}, by the subject's team.
    by_team_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    # "title (team, due 2026-12-01)" for each human task escalated by this run.
    escalations: tuple[str, ...] = ()

    @property
    def overdue_total(self) -> int:
        return sum(self.overdue_by_team.values())

    @property
    def changed(self) -> bool:
        return any(getattr(self, name) for name in CHANGES)


class ReconcileFailed(RuntimeError):
    """A reconcile failed; the message names the organisation, lifecycle, subjects and cause."""


def describe_run(
    organisation_id: int,
    lifecycle: str | Sequence[str],
    as_of: date,
    subjects: Sequence[str] | None,
) -> str:
    names = lifecycle if isinstance(lifecycle, str) else ", ".join(lifecycle)
    plural = "" if isinstance(lifecycle, str) or len(lifecycle) == 1 else "s"
    scope = f"subjects {', '.join(subjects)}" if subjects else "every subject"
    return (
        f"the {names} lifecycle{plural} for organisation {organisation_id} "
        f"({scope}) as of {as_of.isoformat()}"
    )


def reconcile_lifecycles(
    organisation_id: int,
    lifecycles: Sequence[str],
    as_of: date,
    subjects: Sequence[str] | None = None,
    session_factory: sessionmaker | None = None,
) -> list[ReconcileCounts]:
    """Make one organisation's human tasks for these lifecycles match what is
    owed, in one transaction; one ReconcileCounts per lifecycle."""
    lifecycles = list(dict.fromkeys(lifecycles))
    try:
        with (session_factory or get_sessionmaker())() as session, session.begin():
            lock_organisation(session, organisation_id)
            result = reconcile_in_session(
                session,
                organisation_id=organisation_id,
                lifecycles=lifecycles,
                as_of=as_of,
                subjects=subjects,
                actor=_actor(lifecycles),
            )
            return _counts(session, organisation_id, lifecycles, as_of, subjects, result)
    except Exception as error:
        kind = "transient database error" if is_transient_error(error) else "error"
        raise ReconcileFailed(
            f"Could not reconcile {describe_run(organisation_id, lifecycles, as_of, subjects)}: "
            f"{kind}: {type(error).__name__}: {_cause(error)}"
        ) from error


def _actor(lifecycles: Sequence[str]) -> str:
    """Who created a human task, as human_task.created_by records it."""
    if set(lifecycles) == set(LIFECYCLES):
        return "flow:every-lifecycle"
    return ("flow:" + "+".join(lifecycles))[:120]


def _cause(error: BaseException) -> str:
    """The database's own words, without the statement and its parameters."""
    if isinstance(error, sa_exc.DBAPIError) and error.orig is not None:
        text = str(error.orig).strip()
    else:
        text = str(error)
    return text if len(text) <= 500 else text[:500] + "..."


def reconcile_lifecycle(
    organisation_id: int,
    lifecycle: str,
    as_of: date,
    subjects: Sequence[str] | None = None,
    session_factory: sessionmaker | None = None,
) -> ReconcileCounts:
    """One lifecycle: `reconcile_lifecycles` with a list of one."""
    [counts] = reconcile_lifecycles(organisation_id, [lifecycle], as_of, subjects, session_factory)
    return counts


def _counts(
    session: Session,
    organisation_id: int,
    lifecycles: list[str],
    as_of: date,
    subjects: Sequence[str] | None,
    result: ReconcileResult,
) -> list[ReconcileCounts]:
    """Split the reconcile's result by lifecycle and team in one query: the
    human tasks it changed, and every open one (for the overdue picture)."""
    change_of: dict[str, str] = {}
    for name in CHANGES:
        if name == "escalated":
            continue  # counted on its own: a task can be created and escalated in one run
        for key in getattr(result, name):
            change_of.setdefault(key, name)
    escalated_keys = set(result.escalated)
    rows = session.execute(
        select(
            HumanTask.key,
            HumanTask.lifecycle,
            HumanTask.status,
            HumanTask.due_on,
            HumanTask.title,
            Team.name,
        )
        .join(StaffMember, StaffMember.id == HumanTask.subject_staff_id, isouter=True)
        .join(Team, Team.id == StaffMember.team_id, isouter=True)
        .where(
            HumanTask.organisation_id == organisation_id,
            HumanTask.lifecycle.in_(lifecycles),
            or_(
                HumanTask.status.in_(OPEN_STATUSES),
                HumanTask.key.in_(sorted(change_of.keys() | escalated_keys)),
            ),
        )
        .order_by(HumanTask.due_on, HumanTask.key)
    ).all()
    changes: dict[str, Counter] = defaultdict(Counter)
    by_team: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    overdue: dict[str, Counter] = defaultdict(Counter)
    open_total: Counter = Counter()
    escalations: dict[str, list[str]] = defaultdict(list)
    for key, lifecycle, status, due_on, title, team in rows:
        team = team or NO_TEAM
        happened = [change_of[key]] if key in change_of else []
        if key in escalated_keys:
            happened.append("escalated")
            escalations[lifecycle].append(f"{title} ({team}, due {due_on.isoformat()})")
        for name in happened:
            changes[lifecycle][name] += 1
            by_team[lifecycle][team][name] += 1
        if status in OPEN_STATUSES:
            open_total[lifecycle] += 1
            if due_on < as_of:
                overdue[lifecycle][team] += 1
                by_team[lifecycle][team]["overdue"] += 1
    out = []
    for lifecycle in lifecycles:
        counts = changes[lifecycle]
        out.append(
            ReconcileCounts(
                organisation_id=organisation_id,
                lifecycle=lifecycle,
                as_of=as_of,
                subjects=tuple(subjects) if subjects is not None else None,
                created=counts["created"],
                completed=counts["completed"],
                cancelled=counts["cancelled"],
                reopened=counts["reopened"],
                escalated=counts["escalated"],
                updated=counts["updated"],
                open_total=open_total[lifecycle],
                overdue_by_team=dict(sorted(overdue[lifecycle].items())),
                by_team_counts={
                    team: {name: n for name, n in sorted(c.items()) if n}
                    for team, c in sorted(by_team[lifecycle].items())
                    if any(c.values())
                },
                escalations=tuple(escalations[lifecycle][:MAX_LISTED]),
            )
        )
    return out


def _task_run_name() -> str:
    from prefect.runtime import task_run

    params = task_run.parameters
    names = params.get("lifecycles") or [params.get("lifecycle", "lifecycle")]
    what = "every-lifecycle" if set(names) == set(LIFECYCLES) else "+".join(names)
    subjects = params.get("subjects") or []
    scope = f" for {', '.join(subjects[:3])}" + (" and more" if len(subjects) > 3 else "")
    return f"{what}-org-{params['organisation_id']}{scope if subjects else ''}"


@task(
    name="Reconcile the lifecycles' human tasks for one organisation",
    task_run_name=_task_run_name,
    retries=TRANSIENT_RETRIES,
    retry_delay_seconds=TRANSIENT_RETRY_DELAYS,
    retry_condition_fn=is_transient_failure,
)
def reconcile_organisation(
    organisation_id: int,
    lifecycles: list[str],
    as_of: date,
    subjects: list[str] | None = None,
) -> list[ReconcileCounts]:
    results = reconcile_lifecycles(organisation_id, lifecycles, as_of, subjects)
    logger = get_run_logger()
    for counts in results:
        logger.info(
            "Reconciled %s: %d created, %d completed, %d cancelled, %d reopened, "
            "%d escalated, %d updated; %d open, %d overdue",
            describe_run(organisation_id, counts.lifecycle, as_of, subjects),
            counts.created,
            counts.completed,
            counts.cancelled,
            counts.reopened,
            counts.escalated,
            counts.updated,
            counts.open_total,
            counts.overdue_total,
        )
    return results
