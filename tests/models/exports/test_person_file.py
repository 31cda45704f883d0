"""One person's whole supervision file: a zip of printable HTML documents,
every version of their agreements and records, their observations and
reviews and who opened them, nobody else's; the export itself audited."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from models import AppRole, AuditEntry, RecordStatus, SessionRecordVersion
from models.exports.person_file import OBJECT_TYPE, NoSuchPerson, export_person_file
from tests.factories.oversight import make_asye_review, make_observation, make_review_questionnaire
from tests.factories.people import make_organisation, make_staff, make_user
from tests.factories.supervision import make_agreement, make_relationship, make_session

PRINTED = date(2026, 12, 7)


@dataclass
class FileWorld:
    organisation_id: int
    sam: int
    sue_user: int
    fay_user: int
    session_id: int


def _agreements(session, rel):
    """Version 1, and version 2 amended, both signed."""
    make_agreement(session, rel, signed_on=date(2026, 2, 1), content={"venue": "Room 2"})
    make_agreement(
        session,
        rel,
        version=2,
        signed_on=date(2026, 6, 1),
        content={"venue": "Room <b>3</b>"},
        amendment_reason="Fortnightly while on duty",
    )


def _amended_record(session, rel):
    """A record signed at version 2, its version 1 archived."""
    held = make_session(
        session,
        rel,
        held_on=date(2026, 10, 5),
        record_version=2,
        record_status=RecordStatus.SIGNED,
        record={"wellbeing": "Tired but coping"},
        signatures={"supervisor": date(2026, 10, 9), "supervisee": date(2026, 10, 10)},
    )
    session.add(
        SessionRecordVersion(
            session_id=held.id,
            version=1,
            held_on=date(2026, 10, 5),
            record={"wellbeing": "Tired"},
            amended_reason="Wellbeing said too little",
        )
    )
    return held


def _observation_and_reviews(session, rel, sam, sue):
    make_observation(
        session,
        sam,
        observer=sue,
        observed_on=date(2026, 9, 1),
        content={"focus": "Home visit"},
        signatures={"supervisee": date(2026, 9, 2)},
    )
    make_review_questionnaire(
        session, rel, reviewed_on=date(2026, 11, 1), answers={"what_helps": "Reflection"}
    )
    make_asye_review(session, sam, stage=3, reviewed_on=date(2026, 4, 1), outcome="On track")


@pytest.fixture
def world(db) -> FileWorld:
    """Sam's records (supervised by Sue, who opened one), and Olu's, which
    are not Sam's."""
    with db() as session, session.begin():
        org = make_organisation(session, name="Printshire")
        sue = make_staff(session, org, name="Sue Supervisor")
        sam = make_staff(session, org, name="Sam Supervisee", line_manager=sue)
        other = make_staff(session, org, name="Olu Other", line_manager=sue)
        fay = make_staff(session, org, name="Fay Workforce")
        rel = make_relationship(session, sue, sam)
        _agreements(session, rel)
        held = _amended_record(session, rel)
        _observation_and_reviews(session, rel, sam, sue)
        make_agreement(
            session,
            make_relationship(session, sue, other),
            signed_on=date(2026, 2, 1),
            content={"venue": "Olu's room"},
        )
        sue_user = make_user(session, sue, AppRole.SUPERVISOR)
        fay_user = make_user(session, fay, AppRole.WORKFORCE_TEAM)
        session.flush()
        session.add(
            AuditEntry(
                actor_user_id=sue_user.id,
                actor=f"staff-{sue.id}",
                action="read",
                object_type="supervision_session",
                object_id=str(held.id),
                subject_staff_id=sam.id,
                detail="Opened /sessions/1",
            )
        )
        return FileWorld(org.id, sam.id, sue_user.id, fay_user.id, held.id)


def _export(db, world, **kw):
    return export_person_file(
        world.sam,
        organisation_id=world.organisation_id,
        printed_on=PRINTED,
        reason="subject access request",
        actor_user_id=world.fay_user,
        actor="staff-fay",
        session_factory=db,
        **kw,
    )


def _read(produced) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(produced.content)) as zipped:
        return {n.split("/", 1)[1]: zipped.read(n).decode() for n in zipped.namelist()}


def test_the_file_holds_every_version_of_their_agreements_and_records_and_their_reviews(db, world):
    produced = _export(db, world)

    files = _read(produced)
    assert produced.filename.endswith(f"-{PRINTED}.zip")
    names = sorted(files)
    assert [n for n in names if n.startswith("agreement-")] == [
        n for n in names if n.startswith("agreement-") and n.endswith(("-v1.html", "-v2.html"))
    ]
    assert len([n for n in names if n.startswith("agreement-")]) == 2
    assert f"record-{world.session_id}-v1.html" in files
    assert f"record-{world.session_id}-v2.html" in files
    assert "Wellbeing said too little" in files[f"record-{world.session_id}-v1.html"]
    assert "Tired but coping" in files[f"record-{world.session_id}-v2.html"]
    assert sum(n.startswith("observation-") for n in names) == 1
    assert sum(n.startswith("review-") for n in names) == 1
    assert sum(n.startswith("asye-review-") for n in names) == 1
    assert "Olu" not in "".join(files.values())
    for name in names:
        if name != "index.html":
            assert f'href="{name}"' in files["index.html"]


def test_each_document_prints_the_council_the_version_and_the_print_date(db, world):
    files = _read(_export(db, world))

    v2 = next(
        html for name, html in files.items() if name.startswith("agreement-") and "-v2" in name
    )
    assert "Printshire County Council" in v2
    assert "version 2" in v2
    assert "printed 7 December 2026" in v2
    assert "@page" in v2 and "@media print" in v2
    # What people typed is text, never markup.
    assert "Room &lt;b&gt;3&lt;/b&gt;" in v2


def test_the_export_is_audited_and_listed_in_the_files_own_record_of_who_opened_it(db, world):
    files = _read(_export(db, world))

    with db() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == OBJECT_TYPE)
        ).one()
    assert (entry.subject_staff_id, entry.actor_user_id, entry.action) == (
        world.sam,
        world.fay_user,
        "read",
    )
    assert "subject access request" in entry.detail
    assert "Sue Supervisor" in files["opened.html"]
    assert "Fay Workforce" in files["opened.html"]


def test_someone_in_another_organisation_is_not_found_and_nothing_is_audited(db, world):
    with pytest.raises(NoSuchPerson):
        export_person_file(
            world.sam,
            organisation_id=world.organisation_id + 100,
            printed_on=PRINTED,
            reason="move",
            session_factory=db,
        )
    with db() as session:
        assert (
            session.scalars(select(AuditEntry).where(AuditEntry.object_type == OBJECT_TYPE)).all()
            == []
        )
