"""Which units a reconcile looks at, and what it remembers for next time.

- `subjects_of`: a unit's obligation subjects ("rel-42", "staff-7", a case ID),
  so its human tasks can be found;
- `units_for_subjects`: the units an action's or an event's subjects belong to;
- `all_units` / `touched_units`: every unit of an organisation (a full run) or
  only those whose facts changed or whose wake date has come (a daily run),
  streamed in key order, a batch at a time;
- `mark_changed`: log that a unit's facts changed, in the caller's transaction;
- `write_wakes`: store each unit's next wake date per lifecycle."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date

from sqlalchemy import String, and_, cast, delete, func, insert, literal, select, union
from sqlalchemy.orm import Session

from models.engine.among import among
from models.engine.bulk import upsert_rows
from models.tables.cases import CaseAllocation
from models.tables.group_agreement import SupervisionGroup
from models.tables.human_task import OPEN_STATUSES, HumanTask
from models.tables.org import StaffMember
from models.tables.reconcile_state import FactChange, ReconcileWake, ReconcileWatermark
from models.tables.supervision import SupervisionRelationship
from policy.engine import LIFECYCLES, kinds_owing
from policy.keys import parse_fact_id, relationship_fact_id, staff_fact_id
from policy.units import Unit, case, person

TEAM_LIFECYCLE = "case_file_audit"  # the one lifecycle whose subjects are teams


def kinds_of(lifecycles: Iterable[str]) -> list[str]:
    """The kinds of unit these lifecycles have rules for, in a stable order."""
    wanted = {kind for name in lifecycles for kind in LIFECYCLES[name]}
    return [k for k in ("person", "case", "team", "group") if k in wanted]


def kinds_to_run(
    session: Session, organisation_id: int, profile, lifecycles: Collection[str]
) -> list[str]:
    """The kinds of unit a run must look at: those that can owe something under
    the profile, and any other with an open human task still to close."""
    owing = kinds_owing(profile, lifecycles)
    kinds = []
    for kind in kinds_of(lifecycles):
        if kind in owing:
            kinds.append(kind)
            continue
        subjects = {"team": "%", "group": "grp-%"}.get(kind, "%")
        lifecycle = [TEAM_LIFECYCLE] if kind == "team" else list(lifecycles)
        if session.scalar(
            select(HumanTask.id)
            .where(
                HumanTask.organisation_id == organisation_id,
                HumanTask.lifecycle.in_(lifecycle),
                HumanTask.subject.like(subjects),
                HumanTask.status.in_(OPEN_STATUSES),
            )
            .limit(1)
        ):
            kinds.append(kind)
    return kinds


def subjects_of(session: Session, units: Sequence[Unit]) -> dict[Unit, set[str]]:
    """Each unit's obligation subjects: a person's own id and every relationship
    they are supervised in; a case, team or group its own id."""
    out: dict[Unit, set[str]] = {u: {u.id} for u in units}
    people = {parse_fact_id(u.id, "staff"): u for u in units if u.kind == "person"}
    if people:
        for rel_id, supervisee in session.execute(
            select(SupervisionRelationship.id, SupervisionRelationship.supervisee_id).where(
                among(SupervisionRelationship.supervisee_id, [p for p in people if p is not None])
            )
        ):
            out[people[supervisee]].add(relationship_fact_id(rel_id))
    return out


def units_for_subjects(
    session: Session, subjects: Iterable[str], lifecycles: Collection[str]
) -> list[Unit]:
    """The units whose obligations these subjects are (relationships belong to
    their supervisee; "staff-7" is a person, and a team too where the case-file
    audit names a team after its line manager)."""
    units: set[Unit] = set()
    rel_ids = []
    for subject in subjects:
        if (rel_id := parse_fact_id(subject, "rel")) is not None:
            rel_ids.append(rel_id)
        elif parse_fact_id(subject, "staff") is not None:
            units.add(person(subject))
            if TEAM_LIFECYCLE in lifecycles:
                units.add(Unit("team", subject))
        elif parse_fact_id(subject, "team") is not None:
            units.add(Unit("team", subject))
        elif parse_fact_id(subject, "grp") is not None:
            units.add(Unit("group", subject))
        else:
            units.add(case(subject))
    if rel_ids:
        units |= {
            person(staff_fact_id(s))
            for s in session.scalars(
                select(SupervisionRelationship.supervisee_id).where(
                    SupervisionRelationship.id.in_(rel_ids)
                )
            )
        }
    return sorted(units)


def with_dependents(session: Session, units: Iterable[Unit]) -> list[Unit]:
    """These units and the units whose obligations read their facts: a person's
    open cases (supervised by that person's supervisor), the people they
    supervise and who supervises them (supervisor load and absence)."""
    units = set(units)
    people = [parse_fact_id(u.id, "staff") for u in units if u.kind == "person"]
    people = [p for p in people if p is not None]
    if people:
        units |= {
            case(ref)
            for ref in session.scalars(
                select(CaseAllocation.case_ref).where(
                    CaseAllocation.worker_id.in_(people), CaseAllocation.ended_on.is_(None)
                )
            )
        }
        rel = SupervisionRelationship
        for supervisor, supervisee in session.execute(
            select(rel.supervisor_id, rel.supervisee_id).where(
                (rel.supervisee_id.in_(people)) | (rel.supervisor_id.in_(people))
            )
        ):
            units |= {person(staff_fact_id(supervisor)), person(staff_fact_id(supervisee))}
    return sorted(units)


def _key(prefix: str, column):
    return literal(prefix) + cast(column, String)


def _unit_keys(organisation_id: int, kind: str, lifecycles: Collection[str]):
    """A SELECT of every unit key of one kind in the organisation: everything
    that can owe something, and everything that still has an open human task."""
    in_org = HumanTask.organisation_id == organisation_id
    open_tasks = and_(in_org, HumanTask.status.in_(OPEN_STATUSES))
    if kind == "person":
        return select(_key("person:staff-", StaffMember.id).label("key")).where(
            StaffMember.organisation_id == organisation_id
        )
    if kind == "case":
        return union(
            select(_key("case:", CaseAllocation.case_ref).label("key")).where(
                CaseAllocation.organisation_id == organisation_id,
                CaseAllocation.ended_on.is_(None),
            ),
            select(_key("case:", HumanTask.subject).label("key")).where(
                open_tasks,
                HumanTask.lifecycle.in_(["case_supervision", "recording"]),
                ~HumanTask.subject.like("rel-%"),
                ~HumanTask.subject.like("staff-%"),
            ),
        )
    if kind == "team":
        staff = StaffMember
        team = func.coalesce(_key("team-", staff.team_id), _key("staff-", staff.line_manager_id))
        return union(
            select(_key("team:", team).label("key"))
            .join(CaseAllocation, CaseAllocation.worker_id == staff.id)
            .where(staff.organisation_id == organisation_id, CaseAllocation.ended_on.is_(None)),
            select(_key("team:", HumanTask.subject).label("key")).where(
                open_tasks, HumanTask.lifecycle == TEAM_LIFECYCLE
            ),
        )
    return select(_key("group:grp-", SupervisionGroup.id).label("key")).where(
        SupervisionGroup.organisation_id == organisation_id
    )


def all_units(
    session: Session,
    organisation_id: int,
    lifecycles: Collection[str],
    batch_size: int,
    *,
    kinds: Collection[str] | None = None,
    after: str | None = None,
    last: str | None = None,
) -> Iterator[list[Unit]]:
    """Every unit the lifecycles have rules for (of these kinds, with keys in
    (after, last]), a batch of one kind at a time, in key order."""
    for kind in kinds_of(lifecycles):
        if kinds is None or kind in kinds:
            keys = _unit_keys(organisation_id, kind, lifecycles).subquery()
            yield from _stream(session, select(keys.c.key), keys.c.key, batch_size, after, last)


def touched_units(
    session: Session,
    organisation_id: int,
    lifecycles: Collection[str],
    as_of: date,
    batch_size: int,
    since_change: int,
    *,
    kinds: Collection[str] | None = None,
    after: str | None = None,
    last: str | None = None,
) -> Iterator[list[Unit]]:
    """Units whose wake date has come or whose facts changed after the change
    `since_change`, a batch of one kind at a time, in key order."""
    woken = select(ReconcileWake.unit.label("key")).where(
        ReconcileWake.organisation_id == organisation_id,
        ReconcileWake.lifecycle.in_(list(lifecycles)),
        ReconcileWake.wake_on <= as_of,
    )
    changed = select(FactChange.unit.label("key")).where(
        FactChange.organisation_id == organisation_id, FactChange.id > since_change
    )
    keys = union(woken, changed).subquery()
    for kind in kinds_of(lifecycles):
        if kinds is None or kind in kinds:
            query = select(keys.c.key).where(keys.c.key.like(f"{kind}:%"))
            yield from _stream(session, query, keys.c.key, batch_size, after, last)


def _stream(session, query, key_column, batch_size, after, last) -> Iterator[list[Unit]]:
    """Unit keys in key order, a batch at a time, from one ordered statement (a
    server-side cursor on PostgreSQL): memory holds one batch, not the
    organisation, and the keys are found and sorted once, not again for every
    batch as a keyset page per batch did."""
    if after is not None:
        query = query.where(key_column > after)
    if last is not None:
        query = query.where(key_column <= last)
    ordered = query.order_by(key_column).execution_options(yield_per=batch_size)
    for keys in session.execute(ordered).scalars().partitions(batch_size):
        yield [Unit.parse(k) for k in keys]


# --- facts changed --------------------------------------------------------------------


def mark_changed(
    session: Session, organisation_id: int, units: Iterable[Unit | str], *, dependents=True
) -> None:
    """Log, in the caller's transaction, that these units' facts changed, so
    every lifecycle's next daily run reconciles them, with (by default) the
    units whose obligations read those facts (with_dependents)."""
    units = [Unit.parse(u) if isinstance(u, str) else u for u in units]
    if dependents:
        units = with_dependents(session, units)
    keys = sorted({u.key for u in units})
    if keys:
        # One executemany, not an ORM object a row: an import logs thousands.
        session.execute(
            insert(FactChange), [{"organisation_id": organisation_id, "unit": k} for k in keys]
        )


def latest_change(session: Session, organisation_id: int) -> int:
    return session.scalar(
        select(func.coalesce(func.max(FactChange.id), 0)).where(
            FactChange.organisation_id == organisation_id
        )
    )


def watermark(session: Session, organisation_id: int, lifecycles: Collection[str]) -> int:
    """The last change every one of these lifecycles has reconciled (0: none)."""
    found = dict(
        session.execute(
            select(ReconcileWatermark.lifecycle, ReconcileWatermark.last_change_id).where(
                ReconcileWatermark.organisation_id == organisation_id,
                ReconcileWatermark.lifecycle.in_(list(lifecycles)),
            )
        ).all()
    )
    return min((found.get(name, 0) for name in lifecycles), default=0)


def advance_watermark(
    session: Session, organisation_id: int, lifecycles: Collection[str], change_id: int
) -> None:
    for name in lifecycles:
        row = session.get(ReconcileWatermark, (organisation_id, name))
        if row is None:
            session.add(
                ReconcileWatermark(
                    organisation_id=organisation_id, lifecycle=name, last_change_id=change_id
                )
            )
        elif row.last_change_id < change_id:
            row.last_change_id = change_id


# --- wake dates -----------------------------------------------------------------------


def write_wakes(
    session: Session, organisation_id: int, wakes: Mapping[tuple[str, str], date | None]
) -> int:
    """Store (lifecycle, unit key) -> wake date for the units just reconciled,
    writing only what changed (two statements); returns the rows written."""
    if not wakes:
        return 0
    table = ReconcileWake.__table__
    units = sorted({unit for _lifecycle, unit in wakes})
    stored = {
        (lifecycle, unit): day
        for lifecycle, unit, day in session.execute(
            select(table.c.lifecycle, table.c.unit, table.c.wake_on).where(
                table.c.organisation_id == organisation_id,
                table.c.lifecycle.in_(sorted({name for name, _unit in wakes})),
                among(table.c.unit, units),
            )
        )
    }
    changed = [key for key, day in wakes.items() if stored.get(key) != day]
    if not changed:
        return 0
    # Rewrite every row of a unit with any change: a delete and an insert, each
    # on the primary key's prefix, rather than a statement per row.
    dirty = sorted({unit for _name, unit in changed})
    session.execute(
        delete(table).where(
            table.c.organisation_id == organisation_id,
            table.c.lifecycle.in_(sorted({name for name, _unit in wakes})),
            among(table.c.unit, dirty),
        )
    )
    dirty_units = set(dirty)
    rows = [
        {"organisation_id": organisation_id, "lifecycle": name, "unit": unit, "wake_on": day}
        for (name, unit), day in wakes.items()
        if unit in dirty_units and day is not None
    ]
    upsert_rows(session, table, rows, update="wake_on")
    return len(changed)


def forget_wakes(session: Session, organisation_id: int, lifecycles: Collection[str]) -> None:
    """Drop stored wakes (a full run writes them afresh)."""
    session.execute(
        delete(ReconcileWake).where(
            ReconcileWake.organisation_id == organisation_id,
            ReconcileWake.lifecycle.in_(list(lifecycles)),
        )
    )


def wake_rows(session: Session, organisation_id: int) -> list[tuple[str, str, date]]:
    return sorted(
        session.execute(
            select(ReconcileWake.lifecycle, ReconcileWake.unit, ReconcileWake.wake_on).where(
                ReconcileWake.organisation_id == organisation_id
            )
        ).tuples()
    )


__all__ = [
    "advance_watermark",
    "all_units",
    "kinds_of",
    "latest_change",
    "mark_changed",
    "subjects_of",
    "touched_units",
    "units_for_subjects",
    "wake_rows",
    "watermark",
    "write_wakes",
]
