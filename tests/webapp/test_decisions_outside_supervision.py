"""A case direction records whether it was decided outside formal supervision
(Bristol §5.7: informal supervision and management direction are case
directions too, on the child's record within 24 hours)."""

from __future__ import annotations

from sqlalchemy import select

from models import CaseSupervision
from tests.webapp.conftest import login, text_of

ALLOCATE = {
    "case_ref": "LCS-204511",
    "case_type": "child_in_need",
    "allocated_on": ["16", "2", "2026"],
}
DIRECTION = {
    "supervised_on": ["27", "2", "2026"],
    "decision": "Convene a strategy discussion.",
    "rationale": "New information from school.",
    "important": "y",
}


def _direction(client, world, **more):
    login(client, world.manager)
    client.post("/cases/allocate", data={**ALLOCATE, "worker": str(world.worker_id)})
    form = text_of(client.get("/cases/LCS-204511/supervise"))
    assert "This was decided in a discussion outside formal supervision" in form
    response = client.post("/cases/LCS-204511/supervise", data={**DIRECTION, **more})
    assert response.status_code == 302, text_of(response)[:1000]


def test_a_direction_decided_outside_formal_supervision_says_so(client, world, db):
    _direction(client, world, outside="y")
    with db() as session:
        assert session.scalars(select(CaseSupervision.made_in)).one() == "outside_supervision"


def test_a_direction_is_from_formal_supervision_unless_ticked(client, world, db):
    _direction(client, world)
    with db() as session:
        assert session.scalars(select(CaseSupervision.made_in)).one() == "supervision"
