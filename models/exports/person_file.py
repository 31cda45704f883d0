"""One person's whole supervision file, for a subject access request or a
move to another council: a zip of printable HTML documents (each names the
council, the record and its version, and the day it was printed) holding
every version of their supervision agreements, every version of their
supervision records, their observations, their annual and ASYE reviews, and
who opened their records. Each kind of record is read with one query.

The export is itself audited against the person, before the file is built,
so it is on their "who opened my records" page and in the file's own list."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, sessionmaker

from models.db import get_sessionmaker
from models.exports import person_records as records
from models.tables.audit import AuditEntry
from models.tables.org import Organisation, StaffMember, UserAccount
from policy.dates import long_date

OBJECT_TYPE = "supervision_file_export"

_templates = Environment(
    loader=PackageLoader("models.exports", "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _shown(value: Any) -> str:
    """A form's answer as a person reads it: lists joined, yes and no."""
    if value is None or value == "":
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return long_date(value)
    if isinstance(value, list):
        return "; ".join(_shown(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {_shown(v)}" for k, v in value.items())
    return str(value)


def _label(key: str) -> str:
    return str(key).replace("_", " ").capitalize()


_templates.filters["shown"] = _shown
_templates.filters["label"] = _label


@dataclass(frozen=True)
class PersonFile:
    filename: str
    content: bytes
    documents: list[str]


class NoSuchPerson(LookupError):
    pass


def audit_export(
    session: Session, staff_id: int, *, actor_user_id: int | None, actor: str, reason: str
) -> None:
    session.add(
        AuditEntry(
            actor_user_id=actor_user_id,
            actor=actor,
            action="read",
            object_type=OBJECT_TYPE,
            object_id=str(staff_id),
            subject_staff_id=staff_id,
            detail=f"Exported the whole supervision file ({reason})"[:2000],
        )
    )


def opened(session: Session, staff_id: int) -> list:
    """Every read of their records, oldest first, with who read it."""
    actor = aliased(StaffMember)
    return list(
        session.execute(
            select(AuditEntry, actor.name)
            .outerjoin(UserAccount, UserAccount.id == AuditEntry.actor_user_id)
            .outerjoin(actor, actor.id == UserAccount.staff_id)
            .where(AuditEntry.subject_staff_id == staff_id, AuditEntry.action == "read")
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )


def _documents(session: Session, person: StaffMember, council: str, printed_on: date):
    """(file name, HTML) for each document, the contents page first."""
    common = {"council": council, "person": person, "printed_on": printed_on}
    documents: list[tuple[str, str, str]] = []  # (name, title, html)

    def add(name: str, template: str, title: str, version: int | None = None, **values):
        html = _templates.get_template(template).render(
            **common, title=title, version=version, **values
        )
        documents.append((name, title, html))

    kinds = (records.agreements, records.session_records, records.observations, records.reviews)
    for kind in kinds:
        for doc in kind(session, person.id):
            add(doc.name, "document.html", doc.title, doc.version, doc=doc)
    add("opened.html", "opened.html", "Who opened these records", rows=opened(session, person.id))
    contents = _templates.get_template("contents.html").render(
        **common, title="Supervision file", version=None, documents=documents
    )
    return [("index.html", contents), *((name, html) for name, _, html in documents)]


def export_person_file(
    staff_id: int,
    *,
    organisation_id: int,
    printed_on: date,
    reason: str,
    actor_user_id: int | None = None,
    actor: str = "command line",
    session_factory: sessionmaker | None = None,
) -> PersonFile:
    """Audit the export, then build the zip. NoSuchPerson when the person is
    not in that organisation."""
    factory = session_factory or get_sessionmaker()
    with factory() as session, session.begin():
        person = session.get(StaffMember, staff_id)
        if person is None or person.organisation_id != organisation_id:
            raise NoSuchPerson(f"There is no member of staff {staff_id} in this organisation.")
        audit_export(session, staff_id, actor_user_id=actor_user_id, actor=actor, reason=reason)
    with factory() as session:
        person = session.get(StaffMember, staff_id)
        council = session.scalar(
            select(Organisation.name).where(Organisation.id == organisation_id)
        )
        documents = _documents(session, person, council, printed_on)
        number = person.staff_number
    buffer = io.BytesIO()
    folder = f"supervision-file-{number}-{printed_on.isoformat()}"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, html in documents:
            zipped.writestr(f"{folder}/{name}", html)
    return PersonFile(f"{folder}.zip", buffer.getvalue(), [name for name, _ in documents])
