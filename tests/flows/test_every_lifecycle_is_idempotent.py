"""The whole-organisation run of every lifecycle (flows/whole_organisation.py,
through the plain functions under its tasks): run twice it changes nothing
the second time; two runs at once leave the same tables as one; a run killed
half-way and run again leaves the same tables as one clean run. Every table
is compared whole, every column but row ids and timestamps."""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap
import threading
from datetime import date

from sqlalchemy import DateTime, func, select

import tests.factories
from models import HumanTask, Sample, StaffMember, SupervisionSession
from models.base import Base
from models.db import database_url
from tests.conftest import _empty_all_tables
from tests.flows.whole_organisation import run_every_lifecycle
from tests.worlds import build_organisation

AS_OF = date(2026, 10, 1)  # the first working day of a quarter: samples are drawn
PROFILES = ("lancashire", "nottingham", "wokingham")
# Ids of rows a run creates, held in another row's JSON: they depend on the order
# concurrent runs happened to create them in, not on what was created.
RUN_ORDER_PAYLOAD_KEYS = {"session_ids", "sample_id"}


def build(db) -> list[int]:
    tests.factories._numbers = itertools.count(1)  # the same names and numbers every build
    return [
        build_organisation(db, profile=profile, as_of=AS_OF, name=profile.title())
        for profile in PROFILES
    ]


def snapshot(db) -> dict[str, list[str]]:
    tables = {}
    with db() as session:
        for table in Base.metadata.sorted_tables:
            columns = [
                c for c in table.columns if c.name != "id" and not isinstance(c.type, DateTime)
            ]
            rows = []
            for row in session.execute(select(*columns)).mappings():
                row = dict(row)
                if isinstance(row.get("payload"), dict):
                    row["payload"] = {
                        k: v for k, v in row["payload"].items() if k not in RUN_ORDER_PAYLOAD_KEYS
                    }
                rows.append(repr(sorted(row.items())))
            tables[table.name] = sorted(rows)
    return tables


def count(db, model) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(model))


def one_clean_run(db) -> dict[str, list[str]]:
    _empty_all_tables()
    run_every_lifecycle(build(db), AS_OF)
    return snapshot(db)


def test_the_run_touches_every_kind_of_work_it_owns(db):
    org_ids = build(db)
    counts = run_every_lifecycle(org_ids, AS_OF)

    created = {c.lifecycle for c in counts if c.created}
    assert {"agreement", "agreement_review", "personal_supervision", "asye",
            "case_supervision", "registration", "supervisor_absence",
            "sampling"} <= created  # fmt: skip
    assert sum(c.escalated for c in counts) > 0
    with db() as session:
        group_work = session.execute(
            select(HumanTask.organisation_id, HumanTask.kind)
            .where(HumanTask.subject.like("grp-%"))
            .order_by(HumanTask.key)
        ).all()
    # Lancashire only (Appendix A): the agency worker's overdue signature, escalated.
    lancashire = org_ids[PROFILES.index("lancashire")]
    assert group_work == [(lancashire, "escalation"), (lancashire, "group_agreement_sign")]
    assert count(db, Sample) == len(PROFILES)
    with db() as session:
        planned = session.scalar(
            select(func.count())
            .select_from(SupervisionSession)
            .where(SupervisionSession.status == "planned")
        )
    assert planned > 0
    with db() as session:
        deleted = session.execute(
            select(StaffMember.name, StaffMember.records_deleted_on).where(
                StaffMember.records_deleted_on.is_not(None)
            )
        ).all()
    assert deleted == [("Nottingham Leaver", AS_OF)]  # only Nottingham deletes (§3.5)


def test_running_every_lifecycle_twice_changes_nothing_the_second_time(db):
    org_ids = build(db)
    run_every_lifecycle(org_ids, AS_OF)
    first = snapshot(db)

    again = run_every_lifecycle(org_ids, AS_OF)

    assert [c for c in again if c.changed] == []
    assert snapshot(db) == first


def test_two_runs_at_once_create_no_duplicate_and_lose_no_update(db, postgres_only):
    expected = one_clean_run(db)
    _empty_all_tables()
    org_ids = build(db)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run():
        try:
            barrier.wait()
            run_every_lifecycle(org_ids, AS_OF)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert snapshot(db) == expected


def test_a_run_killed_half_way_and_run_again_leaves_the_same_tables_as_one_clean_run(
    db, postgres_only
):
    expected = one_clean_run(db)
    _empty_all_tables()
    org_ids = build(db)
    last = org_ids[-1]
    # A real process runs everything, then, inside the last organisation's reconcile,
    # after it has written its human tasks but before it commits, is killed (SIGKILL).
    script = textwrap.dedent(f"""
        import time
        from datetime import date
        import models.engine.reconcile_scope
        from tests.flows.whole_organisation import run_every_lifecycle

        real = models.engine.reconcile_scope.write_wakes

        def written_not_committed(session, organisation_id, *args):
            if organisation_id == {last}:
                print("written, not committed", flush=True)
                time.sleep(120)
            return real(session, organisation_id, *args)

        models.engine.reconcile_scope.write_wakes = written_not_committed
        run_every_lifecycle({org_ids!r}, date.fromisoformat("{AS_OF.isoformat()}"))
    """)
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        env={"DATABASE_URL": database_url(), "PATH": "/usr/bin:/bin"},
        cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]),
    )
    try:
        assert process.stdout.readline().strip() == "written, not committed"
    finally:
        process.kill()
        process.wait()
    with db() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(HumanTask).where(HumanTask.organisation_id == last)
            )
            == 0
        )
    assert count(db, HumanTask) > 0  # the organisations before it committed

    run_every_lifecycle(org_ids, AS_OF)

    assert snapshot(db) == expected
