"""The one way a test builds a council: `Council` adds facts to one
organisation, in the order called, through the factories in tests/factories,
inside a session the caller holds open. Every world in this package is a
short story told with it, and a test that needs a world of its own tells one.

    with db() as session, session.begin():
        council = Council.new(session, name="Testshire")
        team = council.team()
        grace = council.person("Grace Manager", role=StaffRole.TEAM_MANAGER, team=team)
        sam = council.person("Sam Worker", line_manager=grace, team=team)
        rel = council.supervises(grace, sam, started_on=date(2026, 1, 5))
        council.agreement(rel, signed_on=date(2026, 1, 12))
        council.account(sam, AppRole.SUPERVISEE, username="sam")

To add to a world already built, `Council.of(session, world.org_id)`."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from models import AppRole, Organisation, StaffMember, StaffRole
from tests import factories
from tests.factories.people import PASSWORD


class Council:
    def __init__(self, session: Session, org: Organisation):
        self.session = session
        self.org = org

    @classmethod
    def new(cls, session: Session, *, name: str = "Testshire", profile: str = "lancashire"):
        return cls(session, factories.make_organisation(session, profile=profile, name=name))

    @classmethod
    def of(cls, session: Session, org_id: int) -> Council:
        return cls(session, session.get(Organisation, org_id))

    @property
    def id(self) -> int:
        return self.org.id

    # --- people ---------------------------------------------------------------

    def team(self, name: str = "Assessment Team 1", **kw):
        return factories.make_team(self.session, self.org, name=name, **kw)

    def area(self, name: str = "Children's Social Care", **kw):
        return factories.make_service_area(self.session, self.org, name=name, **kw)

    def person(self, name: str | None = None, role: StaffRole = StaffRole.SOCIAL_WORKER, **kw):
        return factories.make_staff(self.session, self.org, name=name, role=role, **kw)

    def supervises(self, supervisor, supervisee, **kw):
        return factories.make_relationship(self.session, supervisor, supervisee, **kw)

    def account(self, staff, *roles: AppRole, username: str, password: str = PASSWORD, **kw):
        return factories.make_user(
            self.session, staff, *roles, username=username, password=password, **kw
        )

    def staff(self, staff_id: int) -> StaffMember:
        return self.session.get(StaffMember, staff_id)

    # --- facts ----------------------------------------------------------------

    def agreement(self, rel, **kw):
        return factories.make_agreement(self.session, rel, **kw)

    def held(self, rel, held_on: date, **kw):
        return factories.make_session(self.session, rel, held_on=held_on, **kw)

    def planned(self, rel, planned_on: date, **kw):
        return factories.make_session(self.session, rel, planned_on=planned_on, **kw)

    def case(self, worker, case_ref: str, **kw):
        return factories.make_case(self.session, worker, case_ref=case_ref, **kw)

    def case_supervision(self, case, **kw):
        return factories.make_case_supervision(self.session, case, **kw)

    def group_agreement(self, supervisor, **kw):
        return factories.make_group_agreement(self.session, supervisor, **kw)

    def observation(self, staff, **kw):
        return factories.make_observation(self.session, staff, **kw)

    def check(self, staff, **kw):
        return factories.make_check(self.session, staff, **kw)

    def absence(self, staff, **kw):
        return factories.make_absence(self.session, staff, **kw)

    def cover(self, absent, cover, **kw):
        return factories.make_cover(self.session, absent, cover, **kw)

    def task(self, **kw):
        return factories.make_human_task(self.session, self.org, **kw)
