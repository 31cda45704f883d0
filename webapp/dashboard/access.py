"""Who sees the dashboard, and whose figures: the principal social worker,
the workforce team (and a current auditor) the whole organisation; a head of
service the teams of the areas they head; a team manager their own team.
Anyone else is not shown it (404). The rule hands the scope to the view."""

from __future__ import annotations

from sqlalchemy import select

from models import AppRole, ServiceArea, StaffRole, Team
from models.reports import ReportScope
from webapp import scope
from webapp.access import Rule
from webapp.database import db_session
from webapp.users import AppUser


def dashboard_scope(user: AppUser) -> ReportScope | None:
    """Whose figures this person sees, or None: no dashboard for them."""
    organisation_id = user.organisation_id
    if scope.sees_whole_organisation(user):
        return ReportScope(organisation_id, "the whole organisation")
    session = db_session()
    if _heads_an_area(user):
        areas = session.execute(
            select(ServiceArea.name, Team.id)
            .outerjoin(Team, Team.service_area_id == ServiceArea.id)
            .where(
                ServiceArea.organisation_id == organisation_id,
                ServiceArea.head_of_service_id == user.staff_id,
            )
            .order_by(ServiceArea.name, Team.id)
        ).all()
        names = ", ".join(dict.fromkeys(name for name, _ in areas))
        return ReportScope(organisation_id, names, tuple(t for _, t in areas if t is not None))
    if _manages_a_team(user):
        team = session.get(Team, user.team_id)
        return ReportScope(organisation_id, team.name, (team.id,))
    return None


def _heads_an_area(user: AppUser) -> bool:
    return user.has_role(AppRole.HEAD_OF_SERVICE.value) and user.heads_area


def _manages_a_team(user: AppUser) -> bool:
    return user.staff_role == StaffRole.TEAM_MANAGER.value and user.team_id is not None


dashboard_viewer = Rule(
    "dashboard_viewer",
    "The principal social worker, the workforce team and a current auditor (the whole "
    "organisation); a head of service (the teams of their areas); a team manager (their team).",
    load=lambda user, args: dashboard_scope(user),
)


figures_refresher = Rule(
    "figures_refresher",
    "The principal social worker and the workforce team: the whole organisation's kept "
    "figures computed again on demand (an auditor's login is read-only).",
    load=lambda user, args: (
        ReportScope(user.organisation_id, "the whole organisation")
        if scope.sees_whole_organisation(user) and not user.read_only
        else None
    ),
)


def may_see_dashboard(user: AppUser) -> bool:
    """For the site navigation's link: whether dashboard_scope gives a scope,
    decided from what the user loader read (no query on every page)."""
    return user.is_authenticated and (
        scope.sees_whole_organisation(user) or _heads_an_area(user) or _manages_a_team(user)
    )


def evidence_areas(user: AppUser) -> list[tuple[int | None, str]] | None:
    """The packs this person may produce, as (service area id, name): the
    whole organisation (None) and every area for those who see it all; the
    areas a head of service heads; None for anyone else (a team manager's
    team is not a unit inspectors ask for)."""
    session = db_session()
    areas = select(ServiceArea.id, ServiceArea.name).where(
        ServiceArea.organisation_id == user.organisation_id
    )
    if scope.sees_whole_organisation(user):
        rows = session.execute(areas.order_by(ServiceArea.name)).tuples().all()
        return [(None, "The whole organisation"), *rows]
    if user.has_role(AppRole.HEAD_OF_SERVICE.value):
        rows = session.execute(
            areas.where(ServiceArea.head_of_service_id == user.staff_id).order_by(ServiceArea.name)
        )
        return list(rows.tuples()) or None
    return None


evidence_producer = Rule(
    "evidence_producer",
    "The principal social worker, the workforce team and a current auditor (the whole "
    "organisation or any service area); a head of service (the areas they head).",
    load=lambda user, args: evidence_areas(user),
)
