"""The web tests' council, Testshire: a head of service, a team manager who
supervises two social workers and line-manages them, and in another council
a manager and a worker (for the "not yours" cases). Each has a login named
after their part ("head", "manager", "worker", "colleague", "outsider"), all
with the factories' one password. The web tests run on TODAY."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from models import AppRole, StaffRole
from tests.worlds.builder import Council

TODAY = date(2026, 3, 2)


@dataclass(frozen=True)
class World:
    org_id: int
    other_org_id: int
    head_id: int
    manager_id: int  # team manager: supervises worker and colleague; line manager of both
    worker_id: int  # a new starter; supervisee in rel_id
    colleague_id: int  # another supervisee of the same manager, in colleague_rel_id
    rel_id: int
    colleague_rel_id: int
    outsider_id: int  # a worker in another council
    outsider_rel_id: int

    # The logins (usernames) of the people above.
    head: str = "head"
    manager: str = "manager"
    worker: str = "worker"
    colleague: str = "colleague"
    outsider: str = "outsider"


def build_world(db) -> World:
    with db() as session, session.begin():
        testshire = Council.new(session, name="Testshire")
        team = testshire.team()
        head = testshire.person("Helen Head", StaffRole.SENIOR_MANAGER)
        manager = testshire.person(
            "Grace Manager",
            StaffRole.TEAM_MANAGER,
            line_manager=head,
            team=team,
            job_title="Team manager",
        )
        worker = testshire.person(
            "Sam Worker", line_manager=manager, team=team, job_title="Social worker"
        )
        colleague = testshire.person("Chloe Colleague", line_manager=manager, team=team)
        rel = testshire.supervises(manager, worker)
        colleague_rel = testshire.supervises(manager, colleague)

        elsewhere = Council.new(session, name="Elsewhere")
        other_manager = elsewhere.person("Olga Other", StaffRole.TEAM_MANAGER)
        outsider = elsewhere.person("Oscar Outsider", line_manager=other_manager)
        outsider_rel = elsewhere.supervises(other_manager, outsider)

        testshire.account(head, AppRole.HEAD_OF_SERVICE, AppRole.LINE_MANAGER, username="head")
        testshire.account(manager, AppRole.SUPERVISOR, AppRole.LINE_MANAGER, username="manager")
        testshire.account(worker, AppRole.SUPERVISEE, username="worker")
        testshire.account(colleague, AppRole.SUPERVISEE, username="colleague")
        elsewhere.account(outsider, AppRole.SUPERVISEE, username="outsider")
        return World(
            org_id=testshire.id,
            other_org_id=elsewhere.id,
            head_id=head.id,
            manager_id=manager.id,
            worker_id=worker.id,
            colleague_id=colleague.id,
            rel_id=rel.id,
            colleague_rel_id=colleague_rel.id,
            outsider_id=outsider.id,
            outsider_rel_id=outsider_rel.id,
        )


def add_every_role(db, world: World) -> dict[str, str]:
    """Logins for the roles the small council lacks: a principal social
    worker, the workforce team and an auditor (access for 30 more days), each
    named after the role ("principal_social_worker", ...): role -> username."""
    logins = {}
    with db() as session, session.begin():
        testshire = Council.of(session, world.org_id)
        for role, name in [
            (AppRole.PRINCIPAL_SOCIAL_WORKER, "Priya Principal"),
            (AppRole.WORKFORCE_TEAM, "Wendy Workforce"),
            (AppRole.AUDITOR, "Arthur Auditor"),
        ]:
            person = testshire.person(name, StaffRole.NON_DIRECT_STAFF)
            account = testshire.account(person, role, username=role.value)
            if role == AppRole.AUDITOR:
                account.access_expires_on = TODAY + timedelta(days=30)
            logins[role.value] = role.value
    return logins


def add_team_coordinator(db, world: World) -> int:
    """Cara Coordinator, in Grace's team with the login "coordinator": with Sam
    and Chloe, enough people for a group supervision agreement."""
    with db() as session, session.begin():
        testshire = Council.of(session, world.org_id)
        manager = testshire.staff(world.manager_id)
        cara = testshire.person(
            "Cara Coordinator",
            StaffRole.BUSINESS_SUPPORT,
            team=manager.team,
            line_manager=manager,
            job_title="Team Coordinator",
        )
        testshire.account(cara, AppRole.SUPERVISEE, username="coordinator")
        return cara.id
