"""A team whose quality records vary: sessions of different lengths (and one
with no length) whose records were written and shared sooner or later, an
ASYE worker part way through the year with one review on time and one
missed, practice observations signed and unsigned, a quarterly sample with
findings of every kind, and supervision record audits with and without
shortfalls. Every date is relative to `as_of`."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from models import SampleItem, SessionStatus, StaffRole
from tests import factories
from tests.factories.record_audits import make_record_audit
from tests.worlds.builder import Council


def build_quality_records(db, *, profile: str, as_of: date, name: str) -> int:
    def ago(days: int) -> date:
        return as_of - timedelta(days=days)

    with db() as session, session.begin():
        council = Council.new(session, profile=profile, name=name)
        team = council.team(f"{name} Team")
        head = council.person(f"{name} Head", StaffRole.SENIOR_MANAGER, started_on=ago(3000))
        team.service_area.head_of_service_id = head.id
        manager = council.person(
            f"{name} Manager", StaffRole.TEAM_MANAGER, team=team, started_on=ago(2000)
        )
        settled = council.person(f"{name} Settled", team=team, started_on=ago(900))
        asye = council.person(f"{name} ASYE", team=team, started_on=ago(200), asye=True)
        rel = council.supervises(manager, settled, started_on=ago(900))
        asye_rel = council.supervises(manager, asye, started_on=ago(200))
        sessions = []
        for days, minutes, whose in (
            (150, 95, rel),
            (120, 45, rel),
            (60, None, rel),
            (30, 90, rel),
            (100, 55, asye_rel),
            (20, 70, asye_rel),
        ):
            sessions.append(
                council.held(whose, ago(days), status=SessionStatus.HELD, duration_minutes=minutes)
            )
        # Written 0 to 5 days after the session; shared a day after writing,
        # except the last two (one written, never shared; one neither).
        for n, held in enumerate(sessions[:-1]):
            held.recorded_on = held.held_on + timedelta(days=n)
            held.shared_on = held.recorded_on + timedelta(days=1) if n < 4 else None
        factories.make_asye_review(session, asye, stage=3, reviewed_on=ago(200) + timedelta(80))
        both = {"supervisee": ago(40), "supervisor": ago(39)}
        council.observation(settled, observer=manager, observed_on=ago(45), signatures=both)
        council.observation(asye, observer=manager, observed_on=ago(50), signatures=both)
        council.observation(asye, observer=manager, observed_on=ago(10))  # unsigned
        sample = factories.make_sample(
            session,
            team.service_area,
            quarter="2026-Q3",
            drawn_on=ago(40),
            sampler=head,
            items=[
                ("supervision_session", sessions[0].id),
                ("supervision_session", sessions[4].id),
                ("supervision_relationship", rel.id),
            ],
        )
        items = session.scalars(
            select(SampleItem)
            .where(SampleItem.sample_id == sample.id)
            .order_by(SampleItem.position)
        ).all()
        for item, meets in zip(items, (True, False, None), strict=True):
            item.meets_standard, item.reviewed_on = meets, None if meets is None else ago(20)
        make_record_audit(session, manager, head, audited_on=ago(25), shortfalls=2)
        make_record_audit(session, manager, head, audited_on=ago(5))
        return council.id
