"""New starters for the event measurement: each a supervision relationship
in the demo council whose first agreement the team manager (grace.adeyemi)
has still to draft and sign, reconciled so the task is in her inbox. Each run
adds its own, so the measurement can be repeated on the same database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bench.load.common import PASSWORD
from models.db import get_sessionmaker
from models.demo import DEMO_SLUG
from models.engine.reconcile import reconcile
from models.passwords import hash_password
from models.tables.org import AppRole, Organisation, StaffMember, StaffRole, UserAccount, UserRole
from models.tables.supervision import RelationshipReason, SupervisionRelationship
from policy import load_profile
from policy.variation import personal_cadence

SUPERVISOR = "grace.adeyemi"


@dataclass(frozen=True)
class Starter:
    relationship_id: int
    username: str


def add_starters(url: str, count: int, today: date) -> tuple[list[Starter], int]:
    """`count` new starters under the demo's team manager, and the agreed
    frequency (weeks) that is no variation for them under the demo's profile."""
    factory = get_sessionmaker(url)
    run = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    password_hash = hash_password(PASSWORD)
    with factory() as session, session.begin():
        org = session.scalars(select(Organisation).where(Organisation.slug == DEMO_SLUG)).one()
        manager = session.scalars(
            select(StaffMember)
            .join(UserAccount, UserAccount.staff_id == StaffMember.id)
            .where(UserAccount.username == SUPERVISOR)
        ).one()
        starters = []
        for n in range(1, count + 1):
            username = f"bench.starter.{run}.{n:02d}"
            person = StaffMember(
                organisation_id=org.id,
                team_id=manager.team_id,
                staff_number=f"B{run}{n:02d}",
                name=f"Bench Starter {run[-6:]}-{n:02d}",
                email=f"{username}@demo-council.example",
                job_title="Social Worker",
                role=StaffRole.SOCIAL_WORKER,
                started_on=today - timedelta(days=3),
                line_manager_id=manager.id,
            )
            session.add(person)
            session.flush()
            account = UserAccount(
                staff_id=person.id, username=username, password_hash=password_hash
            )
            account.roles = [UserRole(role=AppRole.SUPERVISEE)]
            rel = SupervisionRelationship(
                supervisor_id=manager.id,
                supervisee_id=person.id,
                started_on=person.started_on,
                reason=RelationshipReason.NEW_STARTER,
            )
            session.add_all([account, rel])
            session.flush()
            starters.append(Starter(rel.id, username))
        organisation_id, profile = org.id, org.profile
    reconcile(
        organisation_id=organisation_id,
        lifecycles={"agreement"},
        as_of=today,
        subjects={f"rel-{s.relationship_id}" for s in starters},
        session_factory=factory,
    )
    weeks = personal_cadence(
        load_profile(profile), StaffRole.SOCIAL_WORKER.value, today
    ).usual_weeks
    return starters, weeks or 4
