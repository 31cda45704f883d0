"""A large import is reconciled in the engine's batches once it has
committed, not inside its one transaction: its human tasks end as a full
reconcile leaves them, and its units are logged as changed with the import,
so a run that stopped half-way is finished by the next daily run."""

from __future__ import annotations

from sqlalchemy import func, select

from models import FactChange, HumanTask
from models.actions import admin_imports
from models.actions.cases import CASE_LIFECYCLES
from models.engine.reconcile_runs import reconcile_organisation
from models.imports.importer import import_file
from tests.models.imports.conftest import TODAY, a_staff_file, write_csv

CASES = [
    [f"LCS-{100000 + n}", "child_protection", f"E10{1 + n % 3}", "2026-10-01"] for n in range(9)
]


def _tasks(db) -> list[tuple]:
    with db() as session:
        return session.execute(
            select(
                HumanTask.key, HumanTask.assignee_id, HumanTask.due_on, HumanTask.status
            ).order_by(HumanTask.key)
        ).all()


def test_a_large_import_reconciled_in_batches_leaves_what_a_full_reconcile_would(
    db, council, tmp_path, monkeypatch
):
    import_file("staff", a_staff_file(tmp_path), on=TODAY, organisation_slug=council.slug)
    path = write_csv(
        tmp_path / "cases.csv", ["case_id", "case_type", "worker", "allocated_on"], CASES
    )
    # Nine cases count as a large file here, in batches of two.
    monkeypatch.setattr(admin_imports, "RECONCILE_IN_BATCHES_FROM", 5)
    monkeypatch.setenv("OVERSIGHT_RECONCILE_BATCH", "2")
    with db() as session:
        changes_before = session.scalar(select(func.count(FactChange.id)))

    report = import_file("cases", path, on=TODAY, organisation_slug=council.slug)

    assert report.exit_status == 0
    tasks = _tasks(db)
    case_keys = {k for k, *_ in tasks if any(ref in k for ref, *_ in CASES)}
    assert len({ref for ref, *_ in CASES if any(ref in k for k in case_keys)}) == 9
    with db() as session:
        assert session.scalar(select(func.count(FactChange.id))) - changes_before >= 9
    full = reconcile_organisation(
        council.organisation_id, as_of=TODAY, lifecycles=sorted(CASE_LIFECYCLES), session_factory=db
    )
    assert not full.result.changed
    assert _tasks(db) == tasks


def test_a_small_import_still_reconciles_in_its_own_transaction(db, council, tmp_path, monkeypatch):
    def no_batches(*args, **kwargs):
        raise AssertionError("a small import needs no batches")

    monkeypatch.setattr(admin_imports, "_reconcile_in_batches", no_batches)
    import_file("staff", a_staff_file(tmp_path), on=TODAY, organisation_slug=council.slug)
    path = write_csv(
        tmp_path / "cases.csv", ["case_id", "case_type", "worker", "allocated_on"], CASES[:2]
    )

    assert import_file("cases", path, on=TODAY, organisation_slug=council.slug).exit_status == 0
    assert any("LCS-100000" in key for key, *_ in _tasks(db))
