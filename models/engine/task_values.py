"""What a human task holds for an obligation: its title, subject person,
assignee (or their cover), due date and citation. Names and links are read
for a whole batch of obligations at once."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.engine.among import among
from models.engine.escalation_holders import EscalationHolders
from models.engine.task_titles import title_for
from models.tables.group_agreement import SupervisionGroup
from models.tables.human_task import HumanTask
from models.tables.org import AppRole, StaffMember
from models.tables.oversight import CoverArrangement
from models.tables.supervision import SupervisionRelationship
from policy.dates import long_date
from policy.keys import parse_fact_id
from policy.obligations import Obligation

# Fields a reconcile keeps in line with the obligation. A person's delegation,
# or a group task someone claimed, stands until the obligation changes hands;
# cover follows the arrangement's dates.
REFRESHED = ("due_on", "opens_on", "candidate_role", "title", "rule", "source", "rule_text")
ASSIGNMENT = ("assignee_id", "original_assignee_id", "reassignment", "reassigned_reason")


def cover_arrangements(session: Session, organisation_id: int, as_of: date):
    """Cover arrangements of this organisation's supervisors not over by as_of."""
    return session.scalars(
        select(CoverArrangement)
        .join(StaffMember, StaffMember.id == CoverArrangement.absent_supervisor_id)
        .where(
            StaffMember.organisation_id == organisation_id,
            (CoverArrangement.ends_on.is_(None)) | (CoverArrangement.ends_on >= as_of),
        )
        .order_by(CoverArrangement.starts_on, CoverArrangement.id)
    ).all()


class TaskValues:
    """Names and links for a batch's obligations, read in a few queries rather
    than one per obligation, and the cover arrangements that move tasks."""

    def __init__(
        self,
        session: Session,
        obligations: list[Obligation],
        *,
        as_of: date,
        covers,
        case_workers: dict[str, int],
    ):
        self.as_of = as_of
        self.case_workers = case_workers
        # absent supervisor's staff id -> (cover supervisor's staff id, cover's last day)
        self.covers: dict[int, tuple[int, date | None]] = {}
        # absent supervisor -> days their cover starts or ends after as_of
        self.cover_changes: dict[int, list[date]] = {}
        for c in covers:
            if c.starts_on <= as_of:
                self.covers.setdefault(c.absent_supervisor_id, (c.cover_supervisor_id, c.ends_on))
            changes = self.cover_changes.setdefault(c.absent_supervisor_id, [])
            changes += [c.starts_on] if c.starts_on > as_of else []
            changes += [c.ends_on + timedelta(days=1)] if c.ends_on is not None else []
        rel_ids = {parse_fact_id(o.subject, "rel") for o in obligations} - {None}
        self.relationships = {
            r.id: r
            for r in _rows(session, SupervisionRelationship, SupervisionRelationship.id, rel_ids)
        }
        group_ids = {parse_fact_id(o.subject, "grp") for o in obligations} - {None}
        self.groups = {
            g.id: g for g in _rows(session, SupervisionGroup, SupervisionGroup.id, group_ids)
        }
        staff_ids = {parse_fact_id(o.assignee, "staff") for o in obligations}
        # A group escalation names the signatory in the escalated key's last part.
        staff_ids |= {
            parse_fact_id((o.escalates or "").rsplit(":", 1)[-1], "staff") for o in obligations
        }
        staff_ids |= {parse_fact_id(o.subject, "staff") for o in obligations}
        staff_ids |= set(case_workers.values())
        for rel in self.relationships.values():
            staff_ids |= {rel.supervisor_id, rel.supervisee_id}
        staff_ids.discard(None)
        self.staff = {s.id: s for s in _rows(session, StaffMember, StaffMember.id, staff_ids)}
        self.escalations = EscalationHolders(session, obligations, self.staff)

    def relationship_for(self, obligation: Obligation) -> SupervisionRelationship | None:
        return self.relationships.get(parse_fact_id(obligation.subject, "rel"))

    def group_for(self, obligation: Obligation) -> SupervisionGroup | None:
        return self.groups.get(parse_fact_id(obligation.subject, "grp"))

    def subject_staff_id(self, obligation: Obligation) -> int | None:
        """The person a task is about, whose team counts it: a relationship's
        supervisee, a case's worker, a group's supervisor, or the person named."""
        rel = self.relationship_for(obligation)
        if rel is not None:
            return rel.supervisee_id
        group = self.group_for(obligation)
        if group is not None:
            # The group's supervisor answers for it: their team counts it, and
            # whoever oversees them sees it.
            return group.supervisor_id
        if obligation.subject in self.case_workers:
            return self.case_workers[obligation.subject]
        return parse_fact_id(obligation.subject, "staff")

    def values(self, obligation: Obligation) -> dict:
        rel = self.relationship_for(obligation)
        subject_staff_id = self.subject_staff_id(obligation)
        owner_id, candidate_role = self.holder(obligation, subject_staff_id)
        return {
            "kind": obligation.kind,
            "lifecycle": obligation.lifecycle,
            "title": title_for(obligation, self.staff, rel, self.group_for(obligation)),
            "subject": obligation.subject,
            "relationship_id": rel.id if rel else None,
            "subject_staff_id": subject_staff_id,
            **self.assignment(owner_id, subject_staff_id),
            "candidate_role": candidate_role,
            "opens_on": obligation.opens_on,
            "due_on": obligation.due,
            "rule": obligation.rule,
            "source": obligation.source,
            "rule_text": obligation.rule_text,
            "payload": {"escalates": obligation.escalates} if obligation.escalates else {},
        }

    def holder(self, obligation: Obligation, subject_staff_id: int | None):
        """(owner, candidate role): whom the obligation names, or the group it is
        offered to; an escalation never reaches whoever owes the overdue work."""
        return self.escalations.holder(
            obligation,
            parse_fact_id(obligation.assignee, "staff"),
            _candidate_role(obligation),
            subject_staff_id,
        )

    def assignment(self, owner_id: int | None, subject_staff_id: int | None) -> dict:
        """Who holds the human task: the obligation's owner, or their cover while
        a cover arrangement is in force (Wokingham standards 12-13). Work about
        the cover supervisor themselves stays with its owner: nobody supervises
        themselves."""
        cover = self.covers.get(owner_id) if owner_id is not None else None
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
        until = f" until {long_date(last_day)}" if last_day else ""
        return {
            "assignee_id": cover_id,
            "original_assignee_id": owner_id,
            "reassignment": "cover",
            "reassigned_reason": f"Cover arrangement{until}",
        }

    def refresh(self, task: HumanTask, obligation: Obligation) -> bool:
        """Bring an existing human task in line with its obligation (a due date or
        an assignee can move: a new line manager, a recorded variation)."""
        changed = False
        values = self.values(obligation)
        fields = [*REFRESHED, "subject_staff_id"]
        owner = values["original_assignee_id"] or values["assignee_id"]
        delegated = task.reassignment == "delegated" and task.original_assignee_id == owner
        claimed = values["candidate_role"] is not None and task.claimed_at is not None
        if not (delegated or claimed):
            fields += ASSIGNMENT
        for field in fields:
            if getattr(task, field) != values[field]:
                setattr(task, field, values[field])
                changed = True
        return changed


def _rows(session: Session, table, key, ids) -> list:
    """The rows with these ids; no statement at all for none (an action's
    batch often has no group, a met batch no obligation)."""
    if not ids:
        return []
    return list(session.scalars(select(table).where(among(key, sorted(ids)))))


def _candidate_role(obligation: Obligation) -> AppRole | None:
    if obligation.assignee is not None:
        return None
    try:
        return AppRole(obligation.assignee_role)
    except ValueError:
        return AppRole.WORKFORCE_TEAM
