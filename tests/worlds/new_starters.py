"""Councils where supervision is just beginning: the agreement lifecycle's
worlds.

`new_starter`: Sam Okafor starts on a Monday in Grace Adeyemi's team; Priya
Shah heads the service. `new_relationships`: Grace supervises two new
starters, Sam Okafor and Ella Price, from 2 November 2026; Hana Moss is her
manager."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from models import StaffRole
from tests.worlds.builder import Council

START = date(2026, 1, 5)  # a Monday


class NewStarter(NamedTuple):
    org_id: int
    rel_id: int
    manager_id: int
    worker_id: int
    head_id: int


def new_starter(db, profile: str = "lancashire", started_on: date = START) -> NewStarter:
    with db() as session, session.begin():
        council = Council.new(session, profile=profile)
        team = council.team()
        head = council.person("Priya Shah", StaffRole.SENIOR_MANAGER)
        manager = council.person(
            "Grace Adeyemi", StaffRole.TEAM_MANAGER, line_manager=head, team=team
        )
        worker = council.person(
            "Sam Okafor", line_manager=manager, team=team, started_on=started_on
        )
        rel = council.supervises(manager, worker, started_on=started_on)
        return NewStarter(council.id, rel.id, manager.id, worker.id, head.id)


def new_relationships(db) -> dict:
    """The organisation, the supervisor, the two relationships and the two
    supervisees' names: the agreement lifecycle owes one agreement each."""
    starts = date(2026, 11, 2)
    with db() as session, session.begin():
        council = Council.new(session)
        team = council.team()
        manager = council.person("Hana Moss", "manager", team=team)
        grace = council.person("Grace Adeyemi", "team_manager", team=team, line_manager=manager)
        sam = council.person("Sam Okafor", team=team, line_manager=grace, started_on=starts)
        ella = council.person("Ella Price", team=team, line_manager=grace, started_on=starts)
        return {
            "organisation_id": council.id,
            "supervisor_id": grace.id,
            "relationship_ids": (
                council.supervises(grace, sam, started_on=starts).id,
                council.supervises(grace, ella, started_on=starts).id,
            ),
            "supervisee_names": (sam.name, ella.name),
        }
