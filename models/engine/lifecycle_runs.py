"""A lifecycle run for one organisation and what it did: the one result type
of a run, `ReconcileCounts` (one per lifecycle: what was created, completed,
cancelled, reopened, escalated and updated, by team, and what is open and
overdue afterwards), and the steps Prefect runs as tasks (tasks/reconcile.py):
the subjects of an event in one transaction, or a plan's batches, each in its
own, then the finish. `reconcile_lifecycles` runs the same steps one after
another without Prefect.

A batch's changes are tallied by models/engine/reconcile_counts.py as a
ChangeCounts, merged across batches, and become the run's ReconcileCounts in
`summarise`, the one place a run is counted per lifecycle."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import sessionmaker

from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation, reconcile_in_session
from models.engine.reconcile_counts import CHANGES, ChangeCounts, count_changes, open_and_overdue
from models.engine.reconcile_runs import UnitBatch, plan_run, run_batch, run_every_batch
from models.engine.transient import is_transient_error
from policy import LIFECYCLES


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
    units: int = 0  # units the run looked at (its cost follows this, not the organisation)

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


def actor_for(lifecycles: Sequence[str]) -> str:
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


def _failed(description: str, error: BaseException) -> ReconcileFailed:
    kind = "transient database error" if is_transient_error(error) else "error"
    return ReconcileFailed(
        f"Could not reconcile {description}: {kind}: {type(error).__name__}: {_cause(error)}"
    )


def reconcile_subjects_now(
    organisation_id: int,
    lifecycles: Sequence[str],
    as_of: date,
    subjects: Sequence[str],
    session_factory: sessionmaker | None = None,
) -> ChangeCounts:
    """The units of these subjects, in one transaction."""
    try:
        with (session_factory or get_sessionmaker())() as session, session.begin():
            lock_organisation(session, organisation_id)
            result = reconcile_in_session(
                session,
                organisation_id=organisation_id,
                lifecycles=lifecycles,
                as_of=as_of,
                subjects=subjects,
                actor=actor_for(lifecycles),
                facts_changed=False,
            )
            return count_changes(session, organisation_id, result)
    except Exception as error:
        raise _failed(describe_run(organisation_id, lifecycles, as_of, subjects), error) from error


def reconcile_batch_now(
    organisation_id: int,
    lifecycles: Sequence[str],
    as_of: date,
    batch: UnitBatch,
    session_factory: sessionmaker | None = None,
) -> ChangeCounts:
    try:
        factory = session_factory or get_sessionmaker()
        result = run_batch(
            organisation_id,
            lifecycles,
            as_of,
            batch,
            actor=actor_for(lifecycles),
            session_factory=factory,
        )
        with factory() as session:
            return count_changes(session, organisation_id, result)
    except Exception as error:
        description = describe_run(organisation_id, lifecycles, as_of, None)
        raise _failed(f"{description}, units {batch.label}", error) from error


def summarise(
    organisation_id: int,
    lifecycles: Sequence[str],
    as_of: date,
    subjects: Sequence[str] | None,
    changes: ChangeCounts,
    session_factory: sessionmaker | None = None,
) -> list[ReconcileCounts]:
    """One ReconcileCounts per lifecycle: what changed, and what is open and overdue."""
    with (session_factory or get_sessionmaker())() as session:
        picture = open_and_overdue(session, organisation_id, lifecycles, as_of, subjects)
    out = []
    for lifecycle in lifecycles:
        counts = changes.by_lifecycle.get(lifecycle, {})
        open_total, overdue = picture.get(lifecycle, (0, {}))
        teams = {
            team: {name: n for name, n in sorted(c.items()) if n}
            for team, c in changes.by_team.get(lifecycle, {}).items()
        }
        for team, n in overdue.items():
            teams.setdefault(team, {})["overdue"] = n
        out.append(
            ReconcileCounts(
                organisation_id=organisation_id,
                lifecycle=lifecycle,
                as_of=as_of,
                subjects=tuple(subjects) if subjects is not None else None,
                **{name: counts.get(name, 0) for name in CHANGES},
                open_total=open_total,
                overdue_by_team=dict(sorted(overdue.items())),
                by_team_counts={t: c for t, c in sorted(teams.items()) if c},
                escalations=tuple(changes.escalations.get(lifecycle, ())),
                units=changes.units,
            )
        )
    return out


def reconcile_lifecycles(
    organisation_id: int,
    lifecycles: Sequence[str],
    as_of: date,
    subjects: Sequence[str] | None = None,
    session_factory: sessionmaker | None = None,
    *,
    changed_only: bool = False,
) -> list[ReconcileCounts]:
    """Make one organisation's human tasks for these lifecycles match what is
    owed, batch by batch (or the subjects' units in one transaction); one
    ReconcileCounts per lifecycle."""
    lifecycles = list(dict.fromkeys(lifecycles))
    if subjects is not None:
        changes = reconcile_subjects_now(
            organisation_id, lifecycles, as_of, subjects, session_factory
        )
    else:
        try:
            plan = plan_run(
                organisation_id,
                lifecycles,
                as_of,
                touched_only=changed_only,
                session_factory=session_factory,
            )
        except Exception as error:
            raise _failed(describe_run(organisation_id, lifecycles, as_of, None), error) from error
        changes = ChangeCounts()
        for counts in run_every_batch(
            plan,
            lambda batch: reconcile_batch_now(
                organisation_id, plan.lifecycles, as_of, batch, session_factory
            ),
            session_factory,
        ):
            changes.merge(counts)
    return summarise(organisation_id, lifecycles, as_of, subjects, changes, session_factory)


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
