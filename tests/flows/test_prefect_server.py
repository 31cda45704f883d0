"""Prefect 3.8.8's scheduler inserts flow runs in bulk with a "state" key, the
name of a hybrid property on its FlowRun model. SQLAlchemy 2.1 rejects that
("Can't evaluate bulk DML statement") and no scheduled run is ever created;
the pinned SQLAlchemy 2.0 accepts it. This guards the pin in pyproject.toml."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session


def test_prefects_scheduler_can_insert_flow_runs_with_the_pinned_sqlalchemy():
    from prefect.server.database import orm_models

    engine = sa.create_engine("sqlite://")
    orm_models.Base.metadata.create_all(
        engine, tables=[orm_models.Flow.__table__, orm_models.FlowRun.__table__]
    )
    with Session(engine) as session:
        flow_id = uuid.uuid4()
        session.execute(sa.insert(orm_models.Flow), [{"id": flow_id, "name": "a flow"}])
        session.execute(
            sa.insert(orm_models.FlowRun),
            [{"id": uuid.uuid4(), "flow_id": flow_id, "name": "a run", "state": {}}],
        )
        count = session.scalar(sa.select(sa.func.count()).select_from(orm_models.FlowRun))
    assert count == 1
