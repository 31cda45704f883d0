"""Who sees the dashboard, and whose figures: the principal social worker,
the workforce team (and a current auditor) the whole organisation; a head of
service the teams of the areas they head; a team manager their own team.
Anyone else is not shown it (404). The rule hands the scope to the view."""

from __future__ import annotations

from sqlalchemy import select

from models import AppRole, ServiceArea, StaffMember, StaffRole, Team
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
    if user.has_role(AppRole.HEAD_OF_SERVICE.value):
        areas = session.execute(
            select(ServiceArea.name, Team.id)
            .join(Team, Team.service_area_id == ServiceArea.id)
            .where(
                ServiceArea.organisation_id == organisation_id,
                ServiceArea.head_of_service_id == user.staff_id,
            )
            .order_by(ServiceArea.name, Team.id)
        ).all()
        if areas:
            names = ", ".join(dict.fromkeys(name for name, _ in areas))
            return ReportScope(organisation_id, names, tuple(team_id for _, team_id in areas))
    me = session.get(StaffMember, user.staff_id)
    if me is not None and me.role == StaffRole.TEAM_MANAGER and me.team_id is not None:
        team = session.get(Team, me.team_id)
        return ReportScope(organisation_id, team.name, (team.id,))
    return None


dashboard_viewer = Rule(
    "dashboard_viewer",
    "The principal social worker, the workforce team and a current auditor (the whole "
    "organisation); a head of service (the teams of their areas); a team manager (their team).",
    load=lambda user, args: dashboard_scope(user),
)


def may_see_dashboard(user: AppUser) -> bool:
    """For the site navigation's link."""
    return user.is_authenticated and dashboard_scope(user) is not None
