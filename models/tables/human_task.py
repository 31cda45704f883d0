"""Inbox items. A *human task* is work for a person; a Prefect *task* is code.
Each human task answers one obligation from the policy engine, by its stable key."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.tables.org import AppRole, StaffMember, _enum


class HumanTaskStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    ESCALATED = "escalated"  # still open, and its overdue state has gone up the chain


OPEN_STATUSES = (HumanTaskStatus.OPEN, HumanTaskStatus.ESCALATED)


class HumanTask(Base):
    __tablename__ = "human_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Found by organisation through ix_human_task_organisation_subject's prefix.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    # The obligation's stable key, e.g. "agreement:rel-42"; unique for ever within
    # the organisation (uq_human_task_organisation_key), so a reconcile can
    # insert-on-conflict-do-nothing and never duplicate. Not across organisations:
    # a key built from a case ID is the same in two councils holding that case ID.
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(60), index=True)
    # The lifecycle flow that owns it; a reconcile only touches its own lifecycle's tasks.
    lifecycle: Mapped[str] = mapped_column(String(60), index=True)
    title: Mapped[str] = mapped_column(String(300))
    # The obligation's subject as the engine names it ("rel-42", "staff-7", a case ID);
    # found with its organisation (ix_human_task_organisation_subject).
    subject: Mapped[str] = mapped_column(String(120))
    # Both indexed over every task, open or closed: a leaver's deletion finds
    # the tasks about them and their supervision (models/actions/retention.py)
    # through these rather than by reading every task the service has raised.
    relationship_id: Mapped[int | None] = mapped_column(
        ForeignKey("supervision_relationship.id"), index=True
    )
    subject_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"), index=True)
    # The team it counts for, so every figure rolls up: the subject's team (a
    # case's allocated worker's), a group's, or the team named; kept by the reconcile.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"), index=True)
    candidate_role: Mapped[AppRole | None] = mapped_column(_enum(AppRole, "candidate_role"))
    # The event the obligation runs from; the reconcile reads a unit's history
    # back to its earliest open human task (policy/frontier.py). None: unknown yet.
    opens_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[HumanTaskStatus] = mapped_column(
        _enum(HumanTaskStatus, "human_task_status"), default=HumanTaskStatus.OPEN
    )
    # A group task (candidate_role set, no assignee) is claimed by one person.
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Who it belonged to before cover or delegation moved it, so it can move back.
    original_assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    # "cover" (follows a cover arrangement; the reconcile moves it back on return)
    # or "delegated" (a person moved it with a reason; the reconcile leaves it).
    reassignment: Mapped[str | None] = mapped_column(String(20))
    reassigned_reason: Mapped[str | None] = mapped_column(Text)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The rule that produced it and where the council's policy says so.
    rule: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(200))
    rule_text: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    closed_reason: Mapped[str | None] = mapped_column(String(300))

    assignee: Mapped[StaffMember | None] = relationship(foreign_keys=[assignee_id])
    original_assignee: Mapped[StaffMember | None] = relationship(
        foreign_keys=[original_assignee_id]
    )
    subject_staff: Mapped[StaffMember | None] = relationship(foreign_keys=[subject_staff_id])
    completed_by: Mapped[StaffMember | None] = relationship(foreign_keys=[completed_by_id])

    # The inbox reads each of its branches in (due_on, id) order from an index,
    # so a page costs the same whatever the table's size (webapp/inbox/listing.py):
    # a person's open tasks, and the unclaimed open group tasks by role. Both are
    # partial, so the closed tasks (most of the table, over time) are not in them
    # and closing a task leaves them. Their predicates name OPEN_STATUSES.
    __table_args__ = (
        # Every lookup by key names the organisation too.
        UniqueConstraint("organisation_id", "key", name="uq_human_task_organisation_key"),
        Index(
            "ix_human_task_assignee_open",
            "assignee_id",
            "due_on",
            "id",
            postgresql_where=text("status IN ('open', 'escalated')"),
            sqlite_where=text("status IN ('open', 'escalated')"),
        ),
        Index(
            "ix_human_task_offered",
            "organisation_id",
            "candidate_role",
            "due_on",
            "id",
            postgresql_where=text("assignee_id IS NULL AND status IN ('open', 'escalated')"),
            sqlite_where=text("assignee_id IS NULL AND status IN ('open', 'escalated')"),
        ),
        Index("ix_human_task_organisation_subject", "organisation_id", "subject"),
        # A person's open tasks by due date: the people and supervisees pages'
        # overdue figures and filter.
        Index(
            "ix_human_task_subject_staff_open",
            "subject_staff_id",
            "due_on",
            postgresql_where=text("status IN ('open', 'escalated')"),
            sqlite_where=text("status IN ('open', 'escalated')"),
        ),
        Index("ix_human_task_organisation_team", "organisation_id", "team_id"),
        # The dashboard's figures (models/reports/work.py, timeliness.py): the
        # open tasks by kind and team read from the index alone, escalations by
        # when, and the tasks of a kind due in a date range.
        Index(
            "ix_human_task_organisation_open",
            "organisation_id",
            "kind",
            "team_id",
            "due_on",
            "subject_staff_id",
            postgresql_where=text("status IN ('open', 'escalated')"),
            sqlite_where=text("status IN ('open', 'escalated')"),
        ),
        Index(
            "ix_human_task_organisation_escalated",
            "organisation_id",
            "escalated_at",
            postgresql_where=text("escalated_at IS NOT NULL"),
            sqlite_where=text("escalated_at IS NOT NULL"),
        ),
        Index("ix_human_task_organisation_kind_due", "organisation_id", "kind", "due_on"),
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def complete(self, by_staff_id: int | None, reason: str = "completed in the inbox") -> None:
        """Close it as done by this person (None: by the system)."""
        self.status = HumanTaskStatus.COMPLETED
        self.completed_at = utcnow()
        self.completed_by_id = by_staff_id
        self.closed_reason = reason
