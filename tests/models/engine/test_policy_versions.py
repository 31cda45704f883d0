"""A council's policy changes (policy/versions.py): the human tasks the
reconcile writes carry the version each obligation is owed under, in the
source they cite, and adopting a version rewrites no task already written.
Harrowby (tests/fixtures/profiles/harrowby, made up) moves from v2 (agreement
within 6 weeks) to v3 (within 4 weeks) on 1 April 2024."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from models import HumanTask
from models.engine.reconcile import reconcile
from policy.documents import citation
from policy.profile import PROFILES_ENV
from tests.worlds import new_starter

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "profiles"


@pytest.fixture
def harrowby(monkeypatch):
    monkeypatch.setenv(PROFILES_ENV, str(FIXTURES))


def _agreement_task(db, rel_id: int) -> tuple[date, str, str]:
    with db() as session:
        task = session.scalars(
            select(HumanTask).where(HumanTask.key == f"agreement:rel-{rel_id}")
        ).one()
        return task.due_on, task.source, citation(task.source)


@pytest.mark.parametrize(
    ("started", "due", "cited"),
    [
        (
            date(2024, 3, 31),
            date(2024, 5, 12),
            "Harrowby Council: Supervision Policy v2 (2022), §2.1",
        ),
        (
            date(2024, 4, 1),
            date(2024, 4, 29),
            "Harrowby Council: Supervision Policy v3 (2024), §2.1",
        ),
    ],
)
def test_the_agreement_task_is_due_and_cited_under_the_version_in_force_when_it_began(
    db, harrowby, started, due, cited
):
    org_id, rel_id, *_ = new_starter(db, "harrowby", started_on=started)
    reconcile(
        organisation_id=org_id,
        lifecycles={"agreement"},
        as_of=date(2024, 4, 15),
        session_factory=db,
    )
    task_due, _source, task_cited = _agreement_task(db, rel_id)
    assert (task_due, task_cited) == (due, cited)


def test_a_task_written_before_a_new_version_takes_effect_is_not_rewritten_after(db, harrowby):
    org_id, rel_id, *_ = new_starter(db, "harrowby", started_on=date(2024, 3, 25))
    reconcile(
        organisation_id=org_id,
        lifecycles={"agreement"},
        as_of=date(2024, 3, 25),
        session_factory=db,
    )
    before = _agreement_task(db, rel_id)
    result = reconcile(
        organisation_id=org_id, lifecycles={"agreement"}, as_of=date(2024, 4, 2), session_factory=db
    )
    assert not result.changed
    assert (
        _agreement_task(db, rel_id)
        == before
        == (
            date(2024, 5, 6),
            "902_0a1b2c3d4e5f6071.txt §2.1",
            "Harrowby Council: Supervision Policy v2 (2022), §2.1",
        )
    )
