"""Revision 0010 (facts the policies need): a record signed before it was
shared with the supervisee the day the supervisor signed it (recorded_on), so
no old record owes its sharing again; a draft was never shared. The columns go
on the way down and come back on the way up, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, inspect, text

from models.db import normalise_url
from models.migrate import alembic_config
from tests.models.test_migrations import scratch_database_url  # noqa: F401 (fixture)

SESSIONS = (
    "INSERT INTO supervision_session (relationship_id, kind, status, held_on, recorded_on,"
    " record_status, development_discussed, record, record_version, created_at) VALUES"
    " (1, 'individual', 'held', '2026-02-02', '2026-02-04', 'signed', false, '{}', 1,"
    " '2026-02-02'),"
    " (1, 'individual', 'held', '2026-03-02', NULL, 'draft', false, '{}', 1, '2026-03-02')"
)


def _columns(engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def test_signed_records_were_shared_the_day_recorded_and_drafts_not_at_all(
    scratch_database_url,  # noqa: F811
):
    config = alembic_config(scratch_database_url)
    command.upgrade(config, "0009")
    engine = create_engine(normalise_url(scratch_database_url))
    with engine.begin() as c:
        c.execute(
            text("INSERT INTO organisation (name, slug, profile) VALUES ('A', 'a', 'lancashire')")
        )
        c.execute(
            text(
                "INSERT INTO staff_member (organisation_id, staff_number, name, email, job_title,"
                " role, employment, started_on, asye) VALUES (1, 'E1', 'Ann', 'a@x', '',"
                " 'team_manager', 'permanent', '2020-01-06', false),"
                " (1, 'E2', 'Bo', 'b@x', '', 'social_worker', 'permanent', '2026-01-05', false)"
            )
        )
        c.execute(
            text(
                "INSERT INTO supervision_relationship (supervisor_id, supervisee_id, started_on,"
                " reason, created_at) VALUES (1, 2, '2026-01-05', 'new_starter', '2026-01-05')"
            )
        )
        c.execute(text(SESSIONS))
    command.upgrade(config, "0010")
    with engine.connect() as c:
        shared = c.execute(
            text("SELECT record_status, shared_on FROM supervision_session ORDER BY held_on")
        ).all()
        made_in = c.execute(text("SELECT count(*) FROM case_supervision")).scalar()
    assert [(status, str(day) if day else None) for status, day in shared] == [
        ("signed", "2026-02-04"),
        ("draft", None),
    ]
    assert made_in == 0
    assert "made_in" in _columns(engine, "case_supervision")
    assert "category" in _columns(engine, "case_allocation")
    command.downgrade(config, "0009")
    assert "shared_on" not in _columns(engine, "supervision_session")
    assert "category" not in _columns(engine, "case_allocation")
    command.upgrade(config, "0010")
    assert "shared_on" in _columns(engine, "supervision_session")
    engine.dispose()
