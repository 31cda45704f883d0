"""What a reconcile remembers between runs, so a daily run touches only the
units whose answer can have changed (policy/frontier.py):

- `ReconcileWake`: per lifecycle and unit, the next day its obligations can
  change with no new fact (an inbox window opening, an escalation step, a
  window rolling over). No row: never, until a fact changes.
- `FactChange`: an append-only log of units whose facts changed, written in
  the same transaction as the change; each lifecycle keeps a watermark
  (`ReconcileWatermark`) of the last change it has reconciled.

Both are derived state: a full run rebuilds them, and losing them costs one
full run, never a wrong inbox."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class ReconcileWake(Base):
    __tablename__ = "reconcile_wake"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    lifecycle: Mapped[str] = mapped_column(String(60), primary_key=True)
    unit: Mapped[str] = mapped_column(String(200), primary_key=True)  # policy.units.Unit.key
    wake_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (Index("ix_reconcile_wake_due", "organisation_id", "lifecycle", "wake_on"),)


class FactChange(Base):
    __tablename__ = "fact_change"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    unit: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (Index("ix_fact_change_organisation_id", "organisation_id", "id"),)


class ReconcileWatermark(Base):
    __tablename__ = "reconcile_watermark"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    lifecycle: Mapped[str] = mapped_column(String(60), primary_key=True)
    # The last FactChange.id this lifecycle has reconciled.
    last_change_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), default=0
    )
    reconciled_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
