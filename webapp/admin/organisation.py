"""The admin pages for absences and cover, logins and their roles, and service
areas and teams; and the page where an invited person sets their password.
Each change is checked by the person before it is saved, and saved by one
action in models/actions/ (admin_absences, admin_logins, admin_teams)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from models.actions.accounts import set_password_from_invitation
from models.actions.admin_absences import record_absence, shorten_absence
from models.actions.admin_logins import save_login, send_invitation
from models.actions.admin_teams import (
    close_service_area,
    close_team,
    save_service_area,
    save_team,
)
from webapp.access import rule
from webapp.admin import queries as admin_queries
from webapp.admin.access import (
    area_admin,
    invitation_token,
    organisation_admin,
    staff_admin,
    team_admin,
    workforce_admin,
)
from webapp.admin.forms import (
    APP_ROLE_LABELS,
    AbsenceForm,
    AreaForm,
    CloseAreaForm,
    CloseTeamForm,
    LoginForm,
    SetPasswordForm,
    ShortenAbsenceForm,
    TeamForm,
    choices,
)
from webapp.admin.routes import bp, nobody_numbered, numbered_person
from webapp.admin.steps import form_page, form_then_check
from webapp.dates import today
from webapp.perform import Outcome, error_summary, perform, perform_as_user


def _from_the_teams_page(form, **options):
    """A change to a service area or a team, made from the teams page and
    going back to it."""
    return form_then_check(
        form,
        back=url_for("admin.teams"),
        done_url=lambda done: url_for("admin.teams"),
        **options,
    )


@bp.route("/staff/<int:staff_id>/absence", methods=["GET", "POST"])
@rule(staff_admin)
def absence(staff_id: int):
    person = staff_admin.loaded()
    form = AbsenceForm()
    cover = numbered_person(form.cover)
    away = admin_queries.absences_of(person.id, today())
    intro = "; ".join(
        f"Absent from {a.starts_on:%-d %B %Y}" + (f" to {a.ends_on:%-d %B %Y}" if a.ends_on else "")
        for a in away
    )
    return form_then_check(
        form,
        title=f"Record {person.name}'s absence",
        intro=intro or "Name someone to cover if they supervise anyone while they are away.",
        links=[
            {
                "href": url_for("admin.end_absence", staff_id=person.id),
                "text": "End or shorten an absence, and its cover",
            }
        ]
        if away
        else [],
        check=lambda: nobody_numbered(cover, form.cover),
        act=lambda: perform_as_user(
            record_absence,
            staff_id=person.id,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            reason=form.reason.data or "",
            cover_staff_id=cover().id if form.cover.data else None,
        ),
        done_message=lambda done: (
            f"{person.name}'s absence is recorded"
            + (" and cover arranged." if done.result.cover_arrangement_id else ".")
        ),
    )


def _absence_label(absence) -> str:
    until = f"{absence.ends_on:%-d %B %Y}" if absence.ends_on else "no last day yet"
    reason = f" ({absence.reason})" if absence.reason else ""
    return f"From {absence.starts_on:%-d %B %Y} to {until}{reason}"


@bp.route("/staff/<int:staff_id>/absence/end", methods=["GET", "POST"])
@rule(staff_admin)
def end_absence(staff_id: int):
    """End an absence early, or bring its last day forward; its cover ends with it."""
    person = staff_admin.loaded()
    away = admin_queries.absences_of(person.id, today())
    if not away:
        flash(f"{person.name} has no absence that is not over.", "error")
        return redirect(url_for("admin.absence", staff_id=person.id))
    form = ShortenAbsenceForm()
    form.absence.choices = choices((str(a.id), _absence_label(a)) for a in away)
    if request.method == "GET" and len(away) == 1:
        form.absence.data = str(away[0].id)
    return form_then_check(
        form,
        title=f"End or shorten {person.name}'s absence",
        intro="Cover arranged for the absence ends on the same day; the tasks it held go "
        "back to them once it is over.",
        back=url_for("admin.absence", staff_id=person.id),
        act=lambda: perform_as_user(
            shorten_absence,
            absence_id=int(form.absence.data),
            ends_on=form.ends_on.data,
        ),
        done_message=lambda done: (
            f"{person.name}'s absence now ends on {form.ends_on.data:%-d %B %Y}."
        ),
    )


@bp.route("/staff/<int:staff_id>/login", methods=["GET", "POST"])
@rule(staff_admin)
def login(staff_id: int):
    person = staff_admin.loaded()
    account = admin_queries.login_of(person.id)
    form = LoginForm()
    if request.method == "GET":
        form.username.data = account.username if account else person.email
        form.roles.data = sorted(account.role_names) if account else ["supervisee"]
        form.active.data = "yes" if account is None or account.active else "no"
    roles = request.form.getlist("roles")
    return form_then_check(
        form,
        title=f"{person.name}'s login" if account else f"Give {person.name} a login",
        intro="They will be emailed a link to set their own password; it works once, for 7 days."
        if account is None
        else "",
        shown={"roles": ", ".join(APP_ROLE_LABELS.get(r, r) for r in roles)},
        act=lambda: perform_as_user(
            save_login,
            staff_id=person.id,
            username=form.username.data,
            roles=set(form.roles.data or ()),
            active=form.active.data != "no",
        ),
        done_message=lambda done: (
            f"{person.name}'s login is saved"
            + (" and an invitation sent." if done.result.invited else ".")
        ),
    )


@bp.route("/staff/<int:staff_id>/invitation", methods=["POST"])
@rule(staff_admin)
def invite(staff_id: int):
    person = staff_admin.loaded()
    done = perform_as_user(send_invitation, staff_id=person.id)
    if not done.flashed():
        flash(f"A new invitation is on its way to {person.email}.", "success")
    return redirect(url_for("admin.login", staff_id=person.id))


@bp.route("/teams")
@rule(organisation_admin)
def teams():
    return render_template(
        "admin/teams.html",
        rows=admin_queries.areas_and_teams(current_user, today()),
        may_add_areas=admin_queries.is_workforce(current_user),
    )


@bp.route("/areas/new", endpoint="add_area", methods=["GET", "POST"])
@rule(workforce_admin)
def add_area():
    return _area_page(None)


@bp.route("/areas/<int:area_id>", methods=["GET", "POST"])
@rule(area_admin)
def area(area_id: int):
    return _area_page(area_admin.loaded())


def _area_page(area):
    form = AreaForm()
    head = numbered_person(form.head)
    if request.method == "GET" and area is not None:
        form.name.data = area.name
        form.head.data = area.head_of_service.staff_number if area.head_of_service else ""
    return _from_the_teams_page(
        form,
        title=f"Change {area.name}" if area else "Add a service area",
        check=lambda: nobody_numbered(head, form.head),
        act=lambda: perform_as_user(
            save_service_area,
            area_id=area.id if area else None,
            name=form.name.data,
            head_id=head().id if form.head.data else None,
        ),
        done_message=lambda done: f"{form.name.data} is saved.",
    )


@bp.route("/areas/<int:area_id>/close", methods=["GET", "POST"])
@rule(area_admin)
def close_area(area_id: int):
    area = area_admin.loaded()
    return _close_page(
        CloseAreaForm(),
        area.name,
        "Close or move its teams first.",
        lambda closed_on: perform_as_user(close_service_area, area_id=area.id, closed_on=closed_on),
    )


@bp.route("/teams/new", endpoint="add_team", methods=["GET", "POST"])
@rule(organisation_admin)
def add_team():
    return _team_page(None)


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@rule(team_admin)
def team(team_id: int):
    return _team_page(team_admin.loaded())


def _team_page(team):
    form = TeamForm()
    form.area.choices = choices(admin_queries.area_choices(current_user))
    if request.method == "GET" and team is not None:
        form.name.data, form.area.data = team.name, str(team.service_area_id)
    return _from_the_teams_page(
        form,
        title=f"Rename or move {team.name}" if team else "Add a team",
        act=lambda: perform_as_user(
            save_team,
            team_id=team.id if team else None,
            name=form.name.data,
            area_id=int(form.area.data),
        ),
        done_message=lambda done: f"{form.name.data} is saved.",
    )


@bp.route("/teams/<int:team_id>/close", methods=["GET", "POST"])
@rule(team_admin)
def close(team_id: int):
    team = team_admin.loaded()
    return _close_page(
        CloseTeamForm(),
        team.name,
        "Move its people to another team first.",
        lambda closed_on: perform_as_user(close_team, team_id=team.id, closed_on=closed_on),
    )


def _close_page(form, name: str, first: str, close: Callable[[date], Outcome]):
    """Closing a service area or a team from a day (what must happen first
    is said); its history is kept."""
    return _from_the_teams_page(
        form,
        title=f"Close {name}",
        intro=f"{first} Its history is kept.",
        act=lambda: close(form.closed_on.data),
        done_message=lambda done: f"{name} is closed.",
    )


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@rule(invitation_token)
def set_password(token: str):
    """The invitation's link: the person chooses their own password, once."""
    if len(token) > 100 or admin_queries.live_invitation(token) is None:
        flash(
            "That link has been used or is out of date. Sign in, or ask the workforce team "
            "for a new one.",
            "error",
        )
        return redirect(url_for("auth.login"))
    form = SetPasswordForm()
    summary = None
    if form.validate_on_submit():
        done = perform(set_password_from_invitation, token=token, password=form.password.data)
        if not done.failed:
            flash("Your password is set. Sign in with it now.", "success")
            return redirect(url_for("auth.login"))
        done.shown_on(form.password)
    if request.method == "POST":
        summary = error_summary(form)
    form.password.data = ""
    return form_page(form, "Set your password", url_for("auth.login"), summary)
