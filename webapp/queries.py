"""Reads the pages and access rules share. Everything is scoped to the
signed-in person's organisation, and returns None for anything they may not
see, so a view can answer 404 whether the row is missing or someone else's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased, selectinload

from models import (
    OPEN_STATUSES,
    HumanTask,
    HumanTaskStatus,
    ServiceArea,
    StaffMember,
    SupervisionAgreement,
    SupervisionRelationship,
    Team,
)
from webapp import scope
from webapp.database import db_session
from webapp.dates import today
from webapp.users import AppUser


def open_tasks_for(user: AppUser) -> list[HumanTask]:
    """My inbox: open and escalated human tasks assigned to me, soonest due first."""
    return list(
        db_session().scalars(
            select(HumanTask)
            .where(
                HumanTask.organisation_id == user.organisation_id,
                HumanTask.assignee_id == user.staff_id,
                HumanTask.status.in_(OPEN_STATUSES),
            )
            .order_by(HumanTask.due_on, HumanTask.id)
        )
    )


def task_for_assignee(user: AppUser, task_id: int) -> HumanTask | None:
    return (
        db_session()
        .scalars(
            select(HumanTask).where(
                HumanTask.id == task_id,
                HumanTask.organisation_id == user.organisation_id,
                HumanTask.assignee_id == user.staff_id,
            )
        )
        .one_or_none()
    )


def task_by_key(user: AppUser, key: str) -> HumanTask | None:
    return (
        db_session()
        .scalars(
            select(HumanTask).where(
                HumanTask.key == key, HumanTask.organisation_id == user.organisation_id
            )
        )
        .one_or_none()
    )


def relationship_in_org(user: AppUser, relationship_id: int) -> SupervisionRelationship | None:
    supervisor = aliased(StaffMember)
    return (
        db_session()
        .scalars(
            select(SupervisionRelationship)
            .join(supervisor, supervisor.id == SupervisionRelationship.supervisor_id)
            .where(
                SupervisionRelationship.id == relationship_id,
                supervisor.organisation_id == user.organisation_id,
            )
        )
        .one_or_none()
    )


def relationship_as_supervisor(user: AppUser, relationship_id: int):
    rel = relationship_in_org(user, relationship_id)
    return rel if rel is not None and rel.supervisor_id == user.staff_id else None


def relationship_as_supervisee(user: AppUser, relationship_id: int):
    rel = relationship_in_org(user, relationship_id)
    return rel if rel is not None and rel.supervisee_id == user.staff_id else None


def relationship_for_viewer(user: AppUser, relationship_id: int):
    """The two parties, anyone whose scope covers the supervisee (webapp.scope),
    and anyone who has been given a human task about this relationship."""
    return scope.may_see_relationship(user, relationship_id)


def latest_agreement(rel: SupervisionRelationship) -> SupervisionAgreement | None:
    return (
        db_session()
        .scalars(
            select(SupervisionAgreement)
            .where(SupervisionAgreement.relationship_id == rel.id)
            .order_by(SupervisionAgreement.version.desc())
            .limit(1)
        )
        .one_or_none()
    )


def staff_in_org(user: AppUser, staff_id: int | None) -> StaffMember | None:
    if staff_id is None:
        return None
    return (
        db_session()
        .scalars(
            select(StaffMember).where(
                StaffMember.id == staff_id, StaffMember.organisation_id == user.organisation_id
            )
        )
        .one_or_none()
    )


def open_task_for_relationship(user: AppUser, relationship_id: int, kind: str):
    """My open human task of this kind about this relationship, if any."""
    return (
        db_session()
        .scalars(
            select(HumanTask)
            .where(
                HumanTask.relationship_id == relationship_id,
                HumanTask.assignee_id == user.staff_id,
                HumanTask.kind == kind,
                HumanTask.status.in_(OPEN_STATUSES),
            )
            .order_by(HumanTask.due_on)
            .limit(1)
        )
        .one_or_none()
    )


# The inbox's filters. They live in the query string, so a filtered inbox can
# be bookmarked; unknown values are ignored rather than refused.

DUE_WINDOWS = {
    "overdue": "Overdue",
    "week": "Due this week",
    "four_weeks": "Due in the next 4 weeks",
    "later": "Due later than 4 weeks from now",
}
STATUSES = {
    "open": "Open",
    "escalated": "Escalated (overdue and gone up the chain)",
    "offered": "Offered to your group, not yet claimed",
}


_KIND = re.compile(r"[a-z_]{1,60}")


@dataclass(frozen=True)
class InboxFilters:
    kinds: tuple[str, ...] = ()
    teams: tuple[int, ...] = ()
    due: str = ""
    statuses: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, args) -> InboxFilters:
        return cls(
            kinds=tuple(sorted({k for k in args.getlist("kind") if _KIND.fullmatch(k)})),
            teams=tuple(
                sorted({int(t) for t in args.getlist("team") if t.isdigit() and len(t) < 10})
            ),
            due=args.get("due", "") if args.get("due", "") in DUE_WINDOWS else "",
            statuses=tuple(sorted({s for s in args.getlist("status") if s in STATUSES})),
        )

    @property
    def active(self) -> bool:
        return bool(self.kinds or self.teams or self.due or self.statuses)

    def as_args(self) -> dict[str, list[str] | str]:
        args: dict[str, list[str] | str] = {}
        if self.kinds:
            args["kind"] = list(self.kinds)
        if self.teams:
            args["team"] = [str(t) for t in self.teams]
        if self.due:
            args["due"] = self.due
        if self.statuses:
            args["status"] = list(self.statuses)
        return args


def due_window(window: str, on: date) -> tuple[date | None, date | None]:
    """The first and last due date (either may be open) a window covers. "This
    week" runs to Sunday; "the next 4 weeks" to 28 days from today."""
    if window == "overdue":
        return None, on - timedelta(days=1)
    if window == "week":
        return on, on + timedelta(days=6 - on.weekday())
    if window == "four_weeks":
        return on, on + timedelta(days=28)
    if window == "later":
        return on + timedelta(days=29), None
    return None, None


def inbox_tasks(user: AppUser, filters: InboxFilters | None = None, on: date | None = None):
    """My open human tasks and the group tasks offered to me, soonest due first."""
    filters = filters or InboxFilters()
    on = on or today()
    mine = (HumanTask.assignee_id == user.staff_id) & HumanTask.status.in_(OPEN_STATUSES)
    offered = HumanTask.id.in_(scope.offered_to(user).with_only_columns(HumanTask.id))
    query = select(HumanTask).where(
        HumanTask.organisation_id == user.organisation_id, or_(mine, offered)
    )
    if filters.kinds:
        query = query.where(HumanTask.kind.in_(filters.kinds))
    if filters.teams:
        query = query.where(
            HumanTask.subject_staff_id.in_(
                select(StaffMember.id).where(StaffMember.team_id.in_(filters.teams))
            )
        )
    first, last = due_window(filters.due, on)
    if first is not None:
        query = query.where(HumanTask.due_on >= first)
    if last is not None:
        query = query.where(HumanTask.due_on <= last)
    if filters.statuses:
        wanted = []
        if "open" in filters.statuses:
            wanted.append(mine & (HumanTask.status == HumanTaskStatus.OPEN))
        if "escalated" in filters.statuses:
            wanted.append(HumanTask.status == HumanTaskStatus.ESCALATED)
        if "offered" in filters.statuses:
            wanted.append(HumanTask.assignee_id.is_(None))
        query = query.where(or_(*wanted))
    query = query.options(
        selectinload(HumanTask.subject_staff).selectinload(StaffMember.team),
        selectinload(HumanTask.original_assignee),
    )
    return list(db_session().scalars(query.order_by(HumanTask.due_on, HumanTask.id)))


def teams_of(tasks) -> list[Team]:
    """The teams of the people these human tasks are about, by name."""
    staff_ids = {t.subject_staff_id for t in tasks if t.subject_staff_id}
    if not staff_ids:
        return []
    return list(
        db_session().scalars(
            select(Team)
            .where(Team.id.in_(select(StaffMember.team_id).where(StaffMember.id.in_(staff_ids))))
            .order_by(Team.name, Team.id)
        )
    )


def teams_by_id(user: AppUser, team_ids) -> list[Team]:
    if not team_ids:
        return []
    return list(
        db_session().scalars(
            select(Team)
            .join(ServiceArea, ServiceArea.id == Team.service_area_id)
            .where(Team.id.in_(team_ids), ServiceArea.organisation_id == user.organisation_id)
            .order_by(Team.name)
        )
    )
