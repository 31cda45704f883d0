"""Case supervision entries out, as the CSV a case system's bulk upload
takes, so a supervisor's case directions and important decisions reach the
child's record without being typed twice. One set-based query streams the
entries of an organisation for a date range (optionally only those in a
person's scope), written through an export layout (mapping.py). Who
exported whose entries is audited first, in its own transaction, one entry
per allocated worker whose entries leave (one INSERT ... SELECT), so each
sees it on their "who opened my records" page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, insert, literal, or_, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from models.base import utcnow
from models.db import get_sessionmaker
from models.exports.mapping import ExportMapping
from models.tables.audit import AuditEntry
from models.tables.cases import CaseAllocation, CaseSupervision
from models.tables.org import Organisation, StaffMember

OBJECT_TYPE = "case_supervision_export"
BATCH = 1000
# A cell a spreadsheet would run as a formula is written as text (OWASP's
# advice for CSV files people open in Excel before uploading them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportError(ValueError):
    pass


@dataclass(frozen=True)
class CaseExport:
    """What to export: an organisation's entries supervised from `first` to
    `last` (both included), all of them or those `scope` allows."""

    organisation_id: int
    first: date
    last: date
    # A SELECT of staff IDs: only entries about their cases or written by them.
    scope: Select | None = None

    def check(self) -> None:
        if self.last < self.first:
            raise ExportError(
                f"The end date {self.last:%d/%m/%Y} is before the start date {self.first:%d/%m/%Y}."
            )


def organisation_by_slug(session: Session, slug: str) -> int:
    found = session.scalar(select(Organisation.id).where(Organisation.slug == slug))
    if found is None:
        raise ExportError(f"There is no organisation {slug!r}.")
    return found


def _entries(export: CaseExport) -> Select:
    """The one query: each entry with its case and the two people's numbers and names."""
    worker, supervisor = aliased(StaffMember), aliased(StaffMember)
    entry = CaseSupervision
    query = (
        select(
            entry.id.label("entry_id"),
            CaseAllocation.case_ref.label("case_id"),
            CaseAllocation.case_type,
            entry.important_decision,
            entry.supervised_on,
            entry.recorded_on,
            worker.id.label("worker_id"),
            worker.staff_number.label("worker_staff_number"),
            worker.name.label("worker_name"),
            supervisor.staff_number.label("supervisor_staff_number"),
            supervisor.name.label("supervisor_name"),
            entry.decision,
            entry.rationale,
            entry.next_steps,
        )
        .join(CaseAllocation, CaseAllocation.id == entry.allocation_id)
        .join(worker, worker.id == CaseAllocation.worker_id)
        .join(supervisor, supervisor.id == entry.supervisor_id)
        .where(
            CaseAllocation.organisation_id == export.organisation_id,
            entry.supervised_on >= export.first,
            entry.supervised_on <= export.last,
        )
    )
    if export.scope is not None:
        query = query.where(or_(worker.id.in_(export.scope), supervisor.id.in_(export.scope)))
    return query


def audit_export(
    session: Session,
    export: CaseExport,
    mapping: ExportMapping,
    *,
    actor_user_id: int | None,
    actor: str,
) -> int:
    """One audit entry per allocated worker whose entries are exported, in
    one INSERT ... SELECT; how many workers."""
    workers = _entries(export).with_only_columns(CaseAllocation.worker_id).distinct().subquery()
    detail = (
        f"Exported their case supervision entries from {export.first:%d/%m/%Y} to "
        f"{export.last:%d/%m/%Y} ({mapping.description})"
    )
    columns = ("at", "actor_user_id", "actor", "action", "object_type", "object_id")
    values = (utcnow(), actor_user_id, actor, "read", OBJECT_TYPE, f"{export.first}..{export.last}")
    rows = select(
        *(
            literal(v, AuditEntry.__table__.c[c].type).label(c)
            for c, v in zip(columns, values, strict=True)
        ),
        workers.c.worker_id,
        literal(detail).label("detail"),
    )
    result = session.execute(
        insert(AuditEntry).from_select([*columns, "subject_staff_id", "detail"], rows)
    )
    return result.rowcount


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _direction(row) -> str:
    parts = [
        ("Decision", row.decision),
        ("Rationale", row.rationale),
        ("Next steps", row.next_steps),
    ]
    return "\n".join(f"{label}: {text}" for label, text in parts if text)


def _value(mapping: ExportMapping, name: str, row) -> str:
    if name == "entry_type":
        value = "important_decision" if row.important_decision else "case_direction"
    elif name == "important_decision":
        value = "yes" if row.important_decision else "no"
    elif name == "direction":
        return _direction(row)
    elif name == "case_id":
        ref = row.case_id
        return ref.removeprefix(mapping.case_id_prefix) if mapping.case_id_prefix else ref
    elif name in ("supervised_on", "recorded_on"):
        day = getattr(row, name)
        return day.strftime(mapping.date_format) if day else ""
    else:
        value = getattr(row, name)
        value = value.value if hasattr(value, "value") else value
    return mapping.values.get(name, {}).get(str(value), "" if value is None else str(value))


def csv_line(cells: list[object]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([_cell(c) for c in cells])
    return out.getvalue()


def lines(session: Session, export: CaseExport, mapping: ExportMapping) -> Iterator[str]:
    """The CSV, a line at a time: the header, then each entry by case ID and day."""
    yield csv_line(mapping.headers)
    query = _entries(export).order_by(
        CaseAllocation.case_ref, CaseSupervision.supervised_on, CaseSupervision.id
    )
    for row in session.execute(query.execution_options(yield_per=BATCH)):
        yield csv_line(
            [c.text if c.field is None else _value(mapping, c.field, row) for c in mapping.columns]
        )


def export_case_supervision(
    export: CaseExport,
    mapping: ExportMapping,
    *,
    actor_user_id: int | None = None,
    actor: str = "command line",
    session_factory: sessionmaker | None = None,
) -> Iterator[str]:
    """Check the dates and audit the export (committed before a line is
    written), then return the CSV's lines, streamed from the database."""
    export.check()
    factory = session_factory or get_sessionmaker()
    with factory() as session, session.begin():
        audit_export(session, export, mapping, actor_user_id=actor_user_id, actor=actor)
    return _streamed(factory, export, mapping)


def _streamed(factory: sessionmaker, export: CaseExport, mapping: ExportMapping) -> Iterator[str]:
    with factory() as session:
        yield from lines(session, export, mapping)
