"""The inspection evidence pack: what a council hands inspectors on the first
day, for a date range and the whole organisation or one service area, as one
zip: the supervision report over the range (models/reports/workbook.py), a
sample of supervision records drawn the way the heads of service's
quarterly sampling draws it (models/actions/sample_population.py: the same
population and weighted draw, its seed recorded so it can be drawn again),
the audit and sampling findings, the escalation log, and the policy profile
with its version as a readable document. Producing one is audited: an audit
entry says who produced which pack, for what, when, and its digest."""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actions.sample_population import (
    SESSION,
    Candidate,
    candidates,
    choose,
    derive_seed,
)
from models.actions.sample_population import Period as SamplePeriod
from models.reports.catalogue import FIGURES
from models.reports.tables import figure_items
from models.reports.window import Period, ReportScope
from models.reports.workbook import build_report, profile_version, workbook_bytes
from models.tables.audit import AuditEntry
from models.tables.org import Organisation, ServiceArea, StaffMember, Team
from models.tables.supervision import SupervisionRelationship, SupervisionSession
from policy import load_profile

SAMPLE_RECORDS = 10  # per service area, as a quarterly sample (sampling.DEFAULT_SAMPLE_SIZE)
ITEM_HEADINGS = ["Person", "Team", "Outcome", "Reference", "Date"]


class EvidenceError(ValueError):
    """A pack that cannot be produced, with what is wrong."""


@dataclass(frozen=True)
class EvidencePack:
    name: str
    content: bytes
    digest: str
    seeds: dict[str, str]


def pack_scope(session: Session, organisation_id: int, area_id: int | None) -> ReportScope:
    """The whole organisation, or one of its service areas' teams."""
    if area_id is None:
        return ReportScope(organisation_id, "the whole organisation")
    area = session.get(ServiceArea, area_id)
    if area is None or area.organisation_id != organisation_id:
        raise EvidenceError(f"No service area with id {area_id} in this organisation.")
    teams = tuple(session.scalars(select(Team.id).where(Team.service_area_id == area.id)))
    return ReportScope(organisation_id, area.name, teams)


def _areas(session: Session, scope: ReportScope) -> list[ServiceArea]:
    query = select(ServiceArea).where(ServiceArea.organisation_id == scope.organisation_id)
    if scope.team_ids is not None:
        query = query.where(
            ServiceArea.id.in_(select(Team.service_area_id).where(Team.id.in_(scope.team_ids)))
        )
    return list(session.scalars(query.order_by(ServiceArea.name)))


def draw_records(
    session: Session, scope: ReportScope, period: Period, drawn_at: datetime
) -> tuple[list[Candidate], dict[str, str]]:
    """A sample per service area from the records of the range, drawn as the
    quarterly sampling draws (overdue records likelier), and the seeds."""
    end = period.ends_on + timedelta(days=1)
    window = SamplePeriod(period.starts_on, end, period.as_of, drawn_at)
    chosen, seeds = [], {}
    for area in _areas(session, scope):
        label = f"evidence {period.starts_on}..{period.ends_on}"
        seed = derive_seed(area.id, label, secrets.token_hex(8))
        seeds[area.name] = seed
        chosen += choose(candidates(session, area, window), seed, SAMPLE_RECORDS)
    return chosen, seeds


def _sample_csv(session: Session, chosen: list[Candidate]) -> str:
    """The sampled records: sessions with their record, agreements and
    relationships with no agreement, with the people they are about."""
    session_ids = [c.object_id for c in chosen if c.object_type == SESSION]
    held = {
        s.id: s
        for s in session.scalars(
            select(SupervisionSession).where(SupervisionSession.id.in_(session_ids))
        )
    }
    pairs = _pairs(session, {s.relationship_id for s in held.values()})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Record", "Id", "Overdue when drawn", "Supervisee", "Supervisor",
                     "Held on", "Recorded on", "Record status", "Record"])  # fmt: skip
    for c in chosen:
        row = held.get(c.object_id) if c.object_type == SESSION else None
        supervisee, supervisor = pairs.get(row.relationship_id, ("", "")) if row else ("", "")
        writer.writerow(
            [c.object_type, c.object_id, "yes" if c.overdue else "no", supervisee, supervisor,
             row.held_on if row else "", row.recorded_on if row else "",
             row.record_status.value if row else "", _record_text(row.record) if row else ""]
        )  # fmt: skip
    return out.getvalue()


def _pairs(session: Session, rel_ids) -> dict[int, tuple[str, str]]:
    supervisee, supervisor = StaffMember.__table__.alias(), StaffMember.__table__.alias()
    rows = session.execute(
        select(SupervisionRelationship.id, supervisee.c.name, supervisor.c.name)
        .join(supervisee, supervisee.c.id == SupervisionRelationship.supervisee_id)
        .join(supervisor, supervisor.c.id == SupervisionRelationship.supervisor_id)
        .where(SupervisionRelationship.id.in_(sorted(rel_ids)))
    )
    return {rel_id: (a, b) for rel_id, a, b in rows}


def _record_text(record: dict | None) -> str:
    return "; ".join(f"{k}: {v}" for k, v in (record or {}).items() if v not in (None, ""))


def _items_csv(session: Session, name: str, scope: ReportScope, period: Period) -> str:
    figure = FIGURES[name]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ITEM_HEADINGS)
    rows = figure_items(session, figure, scope, period, {}, None, limit=None)
    for item in rows:
        writer.writerow(
            [item.name, item.team, figure.outcome_label(item.outcome), item.ref or "", item.day]
        )
    return out.getvalue()


def profile_html(name: str) -> str:
    """The policy profile as a readable document: every rule, its wording,
    where the document says it, and the reading chosen where it is loose."""
    profile = load_profile(name)
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(profile.title)}</title></head><body>",
        f"<h1>{escape(profile.title)}</h1>",
        f"<p>Profile {escape(profile.name)}, version {escape(profile_version(name))}; "
        f"source document {escape(profile.source_file)}.</p>",
    ]
    for rule in profile.rules:
        parts.append(f"<h2 id='{escape(rule.id)}'>{escape(rule.id)}</h2>")
        parts.append(f"<p><strong>Where:</strong> {escape(str(rule.source))}</p>")
        if rule.text:
            parts.append(f"<blockquote>{escape(rule.text)}</blockquote>")
        if rule.params:
            values = ", ".join(f"{k}: {v}" for k, v in rule.params.items())
            parts.append(f"<p><strong>Values:</strong> {escape(values)}</p>")
        if rule.note:
            parts.append(f"<p><strong>Our reading:</strong> {escape(rule.note)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def build_pack(
    session: Session, scope: ReportScope, period: Period, produced_at: datetime, by: str
) -> EvidencePack:
    """The zip, read-only on the database."""
    org = session.get(Organisation, scope.organisation_id)
    report = build_report(session, scope, period, produced_at)
    chosen, seeds = draw_records(session, scope, period, produced_at)
    stem = f"evidence-{org.slug}-{period.starts_on}-{period.ends_on}"
    readme = [
        f"Inspection evidence pack: {org.name}, {scope.label}.",
        f"Dates: {period.describe}.",
        f"Policy profile: {report.profile_version}.",
        f"Produced at {produced_at.isoformat(timespec='seconds')} UTC by {by}.",
        f"Records sampled: {len(chosen)}, drawn per service area with the seeds:",
        *(f"  {area}: {seed}" for area, seed in seeds.items()),
    ]
    files = {
        "README.txt": "\n".join(readme) + "\n",
        "report.xlsx": workbook_bytes(report),
        "sampled-records.csv": _sample_csv(session, chosen),
        "audit-and-sampling-findings.csv": _items_csv(session, "findings", scope, period),
        "escalation-log.csv": _items_csv(session, "escalations", scope, period),
        "policy-profile.html": profile_html(org.profile),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"{stem}/{name}", content)
    content = buffer.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    return EvidencePack(f"{stem}.zip", content, digest, seeds)


def record_production(
    session: Session,
    pack: EvidencePack,
    scope: ReportScope,
    *,
    actor_user_id: int | None,
    actor: str,
) -> None:
    """The audit entry for a pack produced (the caller's transaction)."""
    session.add(
        AuditEntry(
            actor_user_id=actor_user_id,
            actor=actor,
            action="produce",
            object_type="evidence_pack",
            object_id=pack.name[:60],
            detail=f"{scope.label}; sha256 {pack.digest}",
        )
    )


def produce(
    session_factory, scope: ReportScope, period: Period, *, actor_user_id, actor, by, now
) -> EvidencePack:
    """Build the pack and record its production, one transaction."""
    with session_factory() as session, session.begin():
        pack = build_pack(session, scope, period, now, by)
        record_production(session, pack, scope, actor_user_id=actor_user_id, actor=actor)
    return pack


def day_range(starts_on: date, ends_on: date, as_of: date | None = None) -> Period:
    return Period(starts_on, ends_on, as_of or ends_on)
