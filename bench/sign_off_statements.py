"""Count the SQL statements of two sign-offs on the demo organisation: a
supervision record countersigned and an agreement countersigned, each as the
web app runs it (the action, its own reconcile of the subject, the outbox and
the audit in one transaction). Prints the statements of the whole action and
those of its reconcile, and how long each took:

    python -m bench.sign_off_statements [--database-url URL] [--today 2026-12-07] [--show]

The database is dropped and created afresh (default bench_sign_off), migrated,
loaded with the demo organisation and reconciled once, as the launcher does."""

from __future__ import annotations

import argparse
import time
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event, select

from bench import database
from models.actions import unit_of_work
from models.actions.agreements import countersign_agreement
from models.actions.records import countersign_record
from models.db import get_engine, get_sessionmaker, normalise_url
from models.demo import load_demo
from models.engine.reconcile import reconcile
from models.tables.supervision import (
    AgreementStatus,
    RecordStatus,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)
from policy import LIFECYCLES

DEFAULT_URL = database.default_url("sign_off")


class Statements:
    """Every statement sent on the engine, and those sent inside the action's reconcile."""

    def __init__(self):
        self.all: list[str] = []
        self.reconcile: list[str] = []
        self.seconds: list[float] = []  # each reconcile statement's time in the database
        self.in_reconcile = False
        self.started = 0.0

    def before(self, conn, cursor, statement, parameters, context, executemany):
        self.all.append(statement)
        if self.in_reconcile:
            self.reconcile.append(statement)
        self.started = time.perf_counter()

    def after(self, conn, cursor, statement, parameters, context, executemany):
        if self.in_reconcile:
            self.seconds.append(time.perf_counter() - self.started)


@contextmanager
def counting(engine, statements: Statements):
    """Count the engine's statements, and mark those inside finish_action's reconcile."""
    original = unit_of_work.reconcile_in_session

    def counted(*args, **kwargs):
        statements.in_reconcile = True
        try:
            return original(*args, **kwargs)
        finally:
            statements.in_reconcile = False

    unit_of_work.reconcile_in_session = counted
    event.listen(engine, "before_cursor_execute", statements.before)
    event.listen(engine, "after_cursor_execute", statements.after)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", statements.before)
        event.remove(engine, "after_cursor_execute", statements.after)
        unit_of_work.reconcile_in_session = original


def _awaiting(factory):
    """A record and an agreement waiting for the supervisee's countersignature."""
    with factory() as session:
        record, record_signer = session.execute(
            select(SupervisionSession.id, SupervisionRelationship.supervisee_id)
            .join(SupervisionRelationship)
            .where(SupervisionSession.record_status == RecordStatus.AWAITING_COUNTERSIGNATURE)
            .order_by(SupervisionSession.id)
            .limit(1)
        ).one()
        rel, agreement_signer = session.execute(
            select(SupervisionRelationship.id, SupervisionRelationship.supervisee_id)
            .join(SupervisionAgreement)
            .where(SupervisionAgreement.status == AgreementStatus.AWAITING_COUNTERSIGNATURE)
            .order_by(SupervisionRelationship.id)
            .limit(1)
        ).one()
    return (record, record_signer), (rel, agreement_signer)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 7))
    parser.add_argument("--show", action="store_true", help="print each statement's first line")
    args = parser.parse_args(argv)
    url = normalise_url(args.database_url)
    database.prepare(url, replace=True)
    factory = get_sessionmaker(url)
    demo = load_demo(today=args.today, session_factory=factory)
    reconcile(
        organisation_id=demo.organisation_id,
        lifecycles=set(LIFECYCLES),
        as_of=args.today,
        session_factory=factory,
    )
    (record, record_signer), (rel, agreement_signer) = _awaiting(factory)
    actions = {
        "record countersigned": lambda: countersign_record(
            session_id=record, signer_staff_id=record_signer, on=args.today, session_factory=factory
        ),
        "agreement countersigned": lambda: countersign_agreement(
            relationship_id=rel,
            signer_staff_id=agreement_signer,
            on=args.today,
            session_factory=factory,
        ),
    }
    for name, action in actions.items():
        with counting(get_engine(url), Statements()) as statements:
            started = time.perf_counter()
            done = action()
            seconds = time.perf_counter() - started
        print(
            f"{name}: {len(statements.all)} statements, {len(statements.reconcile)} in its "
            f"reconcile, {seconds * 1000:.0f} ms; next tasks {list(done.next_task_ids)}"
        )
        if args.show:
            for statement, seconds in zip(statements.reconcile, statements.seconds, strict=True):
                print(f"  {seconds * 1000:6.1f} ms  {statement.strip().splitlines()[0][:100]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
