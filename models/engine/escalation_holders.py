"""Who holds an escalation: never the person whose work is overdue. The
profile's step names who acts (the supervisor's line manager, or the heads of
service when there is none); when that would put the overdue work back in its
owner's own inbox (a head of service behind on supervising her own team
managers, a supervisee told of their own unsigned countersignature) it goes to
the next person up: the owner's line manager, then the head of the subject's
service area, then the principal social worker, who owns the policy
(Lancashire 000 §2.1), then the workforce team, passing over any role the
person it is about holds. Read for a whole batch of
obligations in two queries."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.engine.among import among
from models.tables.org import AppRole, ServiceArea, StaffMember, Team, UserAccount, UserRole
from policy.keys import parse_fact_id
from policy.obligations import Obligation

# The group roles an escalation climbs when nobody is named, lowest first.
LADDER = (AppRole.HEAD_OF_SERVICE, AppRole.PRINCIPAL_SOCIAL_WORKER, AppRole.WORKFORCE_TEAM)


class EscalationHolders:
    def __init__(self, session: Session, obligations: list[Obligation], staff: dict):
        by_key = {o.key: o for o in obligations}
        # escalation key -> staff id of whoever owes the escalated obligation
        self.owner_of: dict[str, int] = {}
        for o in obligations:
            owed = by_key.get(o.escalates) if o.escalates else None
            owner = parse_fact_id(owed.assignee, "staff") if owed else None
            if owner is not None:
                self.owner_of[o.key] = owner
        self.staff = staff
        owners = sorted(set(self.owner_of.values()))
        self.roles: dict[int, set[AppRole]] = defaultdict(set)
        self.area_head: dict[int, int] = {}
        if not owners:
            return
        for staff_id, role in session.execute(
            select(UserAccount.staff_id, UserRole.role)
            .join(UserRole, UserRole.user_id == UserAccount.id)
            .where(
                among(UserAccount.staff_id, set(staff) | set(owners)),
                UserAccount.active.is_(True),
            )
        ):
            self.roles[staff_id].add(role)
        self.area_head = dict(
            session.execute(
                select(StaffMember.id, ServiceArea.head_of_service_id)
                .join(Team, Team.id == StaffMember.team_id)
                .join(ServiceArea, ServiceArea.id == Team.service_area_id)
                .where(
                    among(StaffMember.id, set(staff) | set(owners)),
                    ServiceArea.head_of_service_id.is_not(None),
                )
            ).all()
        )

    def owner(self, obligation: Obligation) -> int | None:
        """Whose overdue work an escalation is about (None for any other task)."""
        return self.owner_of.get(obligation.key)

    def holder(
        self,
        obligation: Obligation,
        named: int | None,
        role: AppRole | None,
        subject_staff_id: int | None,
    ) -> tuple[int | None, AppRole | None]:
        """(assignee, candidate role) for the task: as the profile says, unless
        that would reach the overdue work's owner, then the next person up."""
        owner = self.owner(obligation)
        if owner is None:
            return named, role
        if named is not None:
            if named != owner:
                return named, None
            manager = getattr(self.staff.get(owner), "line_manager_id", None)
            if manager is not None and manager != owner:
                return manager, None
            role = AppRole.HEAD_OF_SERVICE
        # Nor to the person it is about: the principal social worker is not
        # offered the escalation of their own supervision.
        involved = self.roles[owner] | self.roles.get(subject_staff_id, set())
        if role is None or role not in involved:
            return None, role
        head = self.area_head.get(subject_staff_id) or self.area_head.get(owner)
        if role == AppRole.HEAD_OF_SERVICE and head is not None and head != owner:
            return head, None
        higher = LADDER[LADDER.index(role) + 1 :] if role in LADDER else LADDER
        for candidate in higher:
            if candidate not in involved:
                return None, candidate
        return None, AppRole.WORKFORCE_TEAM
