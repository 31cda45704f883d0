"""Who read or changed what. Supervision records are personal data; every read
of one is logged so the supervisee can see who opened their record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    # None for the system (a flow run); otherwise the login that acted.
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))  # read, create, sign, complete, delete
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str] = mapped_column(String(60))
    # Whose personal data it was, so their "who opened my record" page can find it.
    subject_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
