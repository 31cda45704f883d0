"""The inspection evidence pack: one zip holding the report, a sample of
records drawn as the quarterly sampling draws them (the same sample again
from its recorded seed), the audit and sampling findings, the escalation
log and the policy profile as a readable document; its production audited;
on the command line too."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from models import AuditEntry, Organisation, Sample, SampleItem, ServiceArea, SupervisionRecordAudit
from models.actions.sample_population import Period as SamplePeriod
from models.actions.sample_population import candidates, choose
from models.base import utcnow
from models.imports.cli import main as oversight
from models.reports.evidence import SAMPLE_RECORDS, day_range, pack_scope, produce
from models.reports.workbook import ABOUT_SHEET
from tests.worlds.quality_records import build_quality_records

AS_OF = date(2026, 11, 16)
PERIOD = day_range(date(2026, 1, 1), AS_OF)


def _pack(db, org_id, area_id=None, now=None):
    """The pack drawn now: the draw sees only rows made before it, so the
    moment is taken after the world is built, not when the module loads."""
    with db() as session:
        scope = pack_scope(session, org_id, area_id)
    now = now or utcnow()
    return produce(db, scope, PERIOD, actor_user_id=None, actor="staff-1", by="Tester", now=now)


def _files(pack) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(pack.content)) as archive:
        return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))[1:]


def test_the_pack_holds_the_report_sample_findings_escalations_and_profile(db):
    org_id = build_quality_records(db, profile="wokingham", as_of=AS_OF, name="Pack")
    files = _files(_pack(db, org_id))
    assert set(files) == {
        "README.txt", "report.xlsx", "sampled-records.csv", "audit-and-sampling-findings.csv",
        "escalation-log.csv", "policy-profile.html",
    }  # fmt: skip
    book = load_workbook(io.BytesIO(files["report.xlsx"]))
    assert ABOUT_SHEET in book.sheetnames and "findings" in book.sheetnames
    profile = files["policy-profile.html"].decode()
    assert "Wokingham" in profile and "asye.reviews" in profile and "version" in profile


def test_the_findings_listed_are_every_sample_item_and_audit_in_the_range(db):
    org_id = build_quality_records(db, profile="wokingham", as_of=AS_OF, name="Pack")
    with db() as session:
        drawn = {s.id for s in session.scalars(select(Sample)) if s.drawn_on >= PERIOD.starts_on}
        items = [i for i in session.scalars(select(SampleItem)) if i.sample_id in drawn]
        audits = session.scalars(select(SupervisionRecordAudit)).all()
    rows = _csv(_files(_pack(db, org_id))["audit-and-sampling-findings.csv"])
    assert len(rows) == len(items) + len(audits) == 5
    assert sorted(r[2] for r in rows).count("Falls short") == 2


def test_the_sample_is_drawn_again_from_its_recorded_seed(db):
    org_id = build_quality_records(db, profile="wokingham", as_of=AS_OF, name="Pack")
    now = utcnow()
    pack = _pack(db, org_id, now=now)
    rows = _csv(_files(pack)["sampled-records.csv"])
    with db() as session:
        area = session.scalars(select(ServiceArea)).one()
        window = SamplePeriod(PERIOD.starts_on, date(2026, 11, 17), AS_OF, now)
        population = candidates(session, area, window)
    again = choose(population, pack.seeds[area.name], SAMPLE_RECORDS)
    assert [(r[0], int(r[1])) for r in rows] == [(c.object_type, c.object_id) for c in again]
    assert 0 < len(rows) <= SAMPLE_RECORDS


def test_producing_a_pack_is_audited_with_its_digest(db):
    org_id = build_quality_records(db, profile="wokingham", as_of=AS_OF, name="Pack")
    pack = _pack(db, org_id)
    with db() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "evidence_pack")
        ).all()
    assert [(e.action, e.actor, e.object_id) for e in entries] == [
        ("produce", "staff-1", pack.name)
    ]
    assert pack.digest in entries[0].detail


def test_the_command_line_writes_the_pack_and_audits_it(db, tmp_path, capsys):
    org_id = build_quality_records(db, profile="lancashire", as_of=AS_OF, name="Cli")
    with db() as session:
        slug = session.get(Organisation, org_id).slug
        area = session.scalars(select(ServiceArea)).one().name
    status = oversight(
        ["evidence", "--organisation", slug, "--from", "2026-01-01", "--to", "2026-11-16",
         "--area", area, "--out", str(tmp_path)]
    )  # fmt: skip
    written = capsys.readouterr().out.strip()
    assert status == 0 and written.endswith(".zip") and zipfile.is_zipfile(written)
    with db() as session:
        assert session.scalars(select(AuditEntry.actor).where(
            AuditEntry.object_type == "evidence_pack")).all() == ["cli"]  # fmt: skip


def test_an_unknown_service_area_on_the_command_line_is_one_clear_error(db, tmp_path, capsys):
    org_id = build_quality_records(db, profile="lancashire", as_of=AS_OF, name="Cli")
    with db() as session:
        slug = session.get(Organisation, org_id).slug
    status = oversight(
        ["evidence", "--organisation", slug, "--from", "2026-01-01", "--to", "2026-11-16",
         "--area", "Atlantis", "--out", str(tmp_path)]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert status == 2 and "Atlantis" in err and "Traceback" not in err
