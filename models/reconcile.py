"""Apply the policy engine's obligations to human tasks: level-triggered and
idempotent (DESIGN.md, "The engine").

Create the missing (insert on conflict do nothing, on the obligation's stable
key), close the met and the no-longer-owed, reopen what is owed again, mark
the escalated. Each run holds the organisation's row lock for its whole
transaction, so two runs at once serialise instead of racing, and a run that
dies half-way rolls back to where it started."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from models.base import utcnow
from models.db import get_sessionmaker
from models.facts_loader import load_facts, parse_fact_id
from models.group_agreement import SupervisionGroup
from models.human_task import OPEN_STATUSES, HumanTask, HumanTaskStatus
from models.lead_times import is_in_inbox_window, lead_days
from models.org import AppRole, Organisation, StaffMember, Team
from models.oversight import CoverArrangement
from models.supervision import SupervisionRelationship
from models.task_titles import title_for
from policy import compute_obligations, load_profile
from policy.obligations import Obligation, ObligationStatus


@dataclass(frozen=True)
class ReconcileResult:
    created: tuple[str, ...] = ()
    created_ids: tuple[int, ...] = ()  # the new human tasks' ids, for "what is next"
    completed: tuple[str, ...] = ()
    cancelled: tuple[str, ...] = ()
    reopened: tuple[str, ...] = ()
    escalated: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    overdue_by_team: dict[str, int] | None = None
    open_total: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.created,
                self.completed,
                self.cancelled,
                self.reopened,
                self.escalated,
                self.updated,
            )
        )


def organisation_ids(session_factory: sessionmaker | None = None) -> list[int]:
    with (session_factory or get_sessionmaker())() as session:
        return list(session.scalars(select(Organisation.id).order_by(Organisation.id)))


def reconcile(
    *,
    organisation_id: int,
    lifecycles: Collection[str],
    as_of: date,
    subjects: Collection[str] | None = None,
    actor: str = "system",
    session_factory: sessionmaker | None = None,
) -> ReconcileResult:
    """One transaction: compute what is owed and make the human tasks match."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        lock_organisation(session, organisation_id)
        return reconcile_in_session(
            session,
            organisation_id=organisation_id,
            lifecycles=lifecycles,
            as_of=as_of,
            subjects=subjects,
            actor=actor,
        )


def lock_organisation(session: Session, organisation_id: int) -> Organisation:
    """Serialise writers per organisation. On PostgreSQL a row lock; on SQLite
    the connection already began with BEGIN IMMEDIATE (models/db.py)."""
    org = session.scalars(
        select(Organisation).where(Organisation.id == organisation_id).with_for_update()
    ).one_or_none()
    if org is None:
        raise LookupError(f"No organisation with id {organisation_id}")
    return org


def reconcile_in_session(
    session: Session,
    *,
    organisation_id: int,
    lifecycles: Collection[str],
    as_of: date,
    subjects: Collection[str] | None = None,
    actor: str = "system",
) -> ReconcileResult:
    """The reconcile inside a caller's transaction (the web app's actions use
    this so the fact, the completion and the next step commit together)."""
    lifecycles = frozenset(lifecycles)
    subject_filter = frozenset(subjects) if subjects is not None else None
    org = session.get(Organisation, organisation_id)
    profile = load_profile(org.profile)
    facts = load_facts(session, organisation_id)
    obligations = [
        o
        for o in compute_obligations(profile, facts, as_of, lifecycles=lifecycles)
        if subject_filter is None or o.subject in subject_filter
    ]
    owed = {o.key: o for o in obligations if o.status != ObligationStatus.MET}
    met = {o.key for o in obligations if o.status == ObligationStatus.MET}
    window = lead_days()
    to_create = {k: o for k, o in owed.items() if is_in_inbox_window(o, as_of, window)}

    query = select(HumanTask).where(
        HumanTask.organisation_id == organisation_id, HumanTask.lifecycle.in_(lifecycles)
    )
    if subject_filter is not None:
        query = query.where(HumanTask.subject.in_(subject_filter))
    existing = {t.key: t for t in session.scalars(query.with_for_update())}
    names = _NameIndex(session, obligations, covers=active_cover(session, as_of))

    inserted = _insert_missing(session, organisation_id, to_create, existing, names, actor)
    created = [key for key, _id in inserted]
    now = utcnow()
    completed, cancelled, reopened, updated = [], [], [], []
    for key, task in sorted(existing.items()):
        obligation = owed.get(key)
        if obligation is None:
            if task.is_open:
                task.status = HumanTaskStatus.COMPLETED if key in met else HumanTaskStatus.CANCELLED
                task.completed_at = now
                task.closed_reason = "met" if key in met else "no longer owed"
                (completed if key in met else cancelled).append(key)
            continue
        if not task.is_open:
            task.status = HumanTaskStatus.OPEN
            task.completed_at = None
            task.completed_by_id = None
            task.closed_reason = None
            reopened.append(key)
        if _refresh(task, obligation, names):
            updated.append(key)

    escalated = _mark_escalated(session, organisation_id, owed, now)
    session.flush()
    overdue, open_total = _overdue_by_team(session, organisation_id, lifecycles, as_of)
    return ReconcileResult(
        created=tuple(created),
        created_ids=tuple(sorted(task_id for _key, task_id in inserted)),
        completed=tuple(completed),
        cancelled=tuple(cancelled),
        reopened=tuple(reopened),
        escalated=tuple(escalated),
        updated=tuple(updated),
        overdue_by_team=overdue,
        open_total=open_total,
    )


class _NameIndex:
    """Names and links for the obligations' people and relationships, read in
    two queries rather than one per obligation."""

    def __init__(self, session: Session, obligations: list[Obligation], covers=None):
        # absent supervisor's staff id -> (cover supervisor's staff id, cover's last day)
        self.covers: dict[int, tuple[int, date | None]] = covers or {}
        rel_ids = {parse_fact_id(o.subject, "rel") for o in obligations} - {None}
        self.relationships = {
            r.id: r
            for r in session.scalars(
                select(SupervisionRelationship).where(SupervisionRelationship.id.in_(rel_ids))
            )
        }
        group_ids = {parse_fact_id(o.subject, "grp") for o in obligations} - {None}
        self.groups = {
            g.id: g
            for g in session.scalars(
                select(SupervisionGroup).where(SupervisionGroup.id.in_(group_ids))
            )
        }
        staff_ids = {parse_fact_id(o.assignee, "staff") for o in obligations}
        # A group escalation names the signatory in the escalated key's last part.
        staff_ids |= {
            parse_fact_id((o.escalates or "").rsplit(":", 1)[-1], "staff") for o in obligations
        }
        staff_ids |= {parse_fact_id(o.subject, "staff") for o in obligations}
        for rel in self.relationships.values():
            staff_ids |= {rel.supervisor_id, rel.supervisee_id}
        staff_ids.discard(None)
        self.staff = {
            s.id: s
            for s in session.scalars(select(StaffMember).where(StaffMember.id.in_(staff_ids)))
        }

    def relationship_for(self, obligation: Obligation) -> SupervisionRelationship | None:
        return self.relationships.get(parse_fact_id(obligation.subject, "rel"))

    def group_for(self, obligation: Obligation) -> SupervisionGroup | None:
        return self.groups.get(parse_fact_id(obligation.subject, "grp"))

    def subject_staff_id(self, obligation: Obligation) -> int | None:
        rel = self.relationship_for(obligation)
        if rel is not None:
            return rel.supervisee_id
        group = self.group_for(obligation)
        if group is not None:
            # The group's supervisor answers for it: their team counts it, and
            # whoever oversees them sees it.
            return group.supervisor_id
        return parse_fact_id(obligation.subject, "staff")


def _candidate_role(obligation: Obligation) -> AppRole | None:
    if obligation.assignee is not None:
        return None
    try:
        return AppRole(obligation.assignee_role)
    except ValueError:
        return AppRole.WORKFORCE_TEAM


def active_cover(session: Session, as_of: date) -> dict[int, tuple[int, date | None]]:
    """Cover arrangements in force on as_of: absent supervisor -> (cover, last day)."""
    rows = session.scalars(
        select(CoverArrangement)
        .where(CoverArrangement.in_force_on(as_of))
        .order_by(CoverArrangement.starts_on, CoverArrangement.id)
    )
    return {c.absent_supervisor_id: (c.cover_supervisor_id, c.ends_on) for c in rows}


def _assignment(owner_id: int | None, names: _NameIndex, subject_staff_id: int | None) -> dict:
    """Who holds the human task: the obligation's owner, or their cover while
    a cover arrangement is in force (Wokingham standards 12-13). Work about
    the cover supervisor themselves stays with its owner: nobody supervises
    themselves."""
    cover = names.covers.get(owner_id) if owner_id is not None else None
    if cover is not None and cover[0] == subject_staff_id:
        cover = None
    if cover is None:
        return {
            "assignee_id": owner_id,
            "original_assignee_id": None,
            "reassignment": None,
            "reassigned_reason": None,
        }
    cover_id, last_day = cover
    until = f" until {last_day.isoformat()}" if last_day else ""
    return {
        "assignee_id": cover_id,
        "original_assignee_id": owner_id,
        "reassignment": "cover",
        "reassigned_reason": f"Cover arrangement{until}",
    }


def _task_values(obligation: Obligation, names: _NameIndex) -> dict:
    rel = names.relationship_for(obligation)
    subject_staff_id = names.subject_staff_id(obligation)
    return {
        "kind": obligation.kind,
        "lifecycle": obligation.lifecycle,
        "title": title_for(obligation, names.staff, rel, names.group_for(obligation)),
        "subject": obligation.subject,
        "relationship_id": rel.id if rel else None,
        "subject_staff_id": subject_staff_id,
        **_assignment(parse_fact_id(obligation.assignee, "staff"), names, subject_staff_id),
        "candidate_role": _candidate_role(obligation),
        "due_on": obligation.due,
        "rule": obligation.rule,
        "source": obligation.source,
        "rule_text": obligation.rule_text,
        "payload": {"escalates": obligation.escalates} if obligation.escalates else {},
    }


def _insert_missing(
    session, organisation_id, owed, existing, names, actor
) -> list[tuple[str, int]]:
    rows = [
        {
            "key": key,
            "organisation_id": organisation_id,
            "created_by": actor,
            "created_at": utcnow(),
            "status": HumanTaskStatus.OPEN,
            **_task_values(obligation, names),
        }
        for key, obligation in sorted(owed.items())
        if key not in existing
    ]
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(HumanTask)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(HumanTask.key, HumanTask.id)
    )
    return sorted(session.execute(statement).tuples())


def _refresh(task: HumanTask, obligation: Obligation, names: _NameIndex) -> bool:
    """Bring an existing human task in line with its obligation (a due date or
    an assignee can move: a new line manager, a recorded variation)."""
    changed = False
    values = _task_values(obligation, names)
    fields = ["due_on", "candidate_role", "title", "rule", "source", "rule_text"]
    owner = parse_fact_id(obligation.assignee, "staff")
    delegated = task.reassignment == "delegated" and task.original_assignee_id == owner
    claimed = values["candidate_role"] is not None and task.claimed_at is not None
    if not (delegated or claimed):
        # A person's delegation, or a group task someone claimed, stands until the
        # obligation itself changes hands; cover follows the arrangement's dates.
        fields += ["assignee_id", "original_assignee_id", "reassignment", "reassigned_reason"]
    for field in fields:
        if getattr(task, field) != values[field]:
            setattr(task, field, values[field])
            changed = True
    return changed


def _mark_escalated(session, organisation_id, owed, now) -> list[str]:
    escalated_keys = sorted(o.escalates for o in owed.values() if o.escalates)
    if not escalated_keys:
        return []
    keys = list(
        session.scalars(
            update(HumanTask)
            .where(
                HumanTask.organisation_id == organisation_id,
                HumanTask.key.in_(escalated_keys),
                HumanTask.status == HumanTaskStatus.OPEN,
            )
            .values(
                status=HumanTaskStatus.ESCALATED,
                escalated_at=now,
                escalation_level=HumanTask.escalation_level + 1,
            )
            .returning(HumanTask.key)
            .execution_options(synchronize_session=False)
        )
    )
    return sorted(keys)


def _overdue_by_team(session, organisation_id, lifecycles, as_of) -> tuple[dict[str, int], int]:
    rows = session.execute(
        select(HumanTask.due_on, Team.name)
        .join(StaffMember, StaffMember.id == HumanTask.subject_staff_id, isouter=True)
        .join(Team, Team.id == StaffMember.team_id, isouter=True)
        .where(
            HumanTask.organisation_id == organisation_id,
            HumanTask.lifecycle.in_(lifecycles),
            HumanTask.status.in_(OPEN_STATUSES),
        )
    ).all()
    overdue = Counter((team or "No team") for due_on, team in rows if due_on < as_of)
    return dict(sorted(overdue.items())), len(rows)
