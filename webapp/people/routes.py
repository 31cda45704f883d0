"""People: everyone I may see (webapp.scope), one person's supervision page,
and "who has opened my records"."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from webapp import lists, scope
from webapp.access import logged_in, rule
from webapp.audit import record_label, record_read
from webapp.database import db_session
from webapp.dates import today
from webapp.people import listing, queries
from webapp.people import supervisees as supervisee_standing
from webapp.people.access import (
    staff_self_or_organisation_wide,
    staff_viewer,
    supervisor_of_anyone,
)
from webapp.people.standing import chart_for, standing_for

bp = Blueprint("people", __name__, template_folder="templates")


@bp.app_context_processor
def _supervisor_link() -> dict:
    """`supervises_anyone()` for the inbox's link to the supervisees page,
    asked only by the pages that show it."""
    return {
        "supervises_anyone": lambda: (
            current_user.is_authenticated
            and supervisee_standing.supervises_anyone(current_user, today())
        )
    }


@bp.route("/people")
@rule(logged_in)
def index():
    on = today()
    reading = listing.read_filters(current_user, request.args)
    wanted = reading.values
    rows, total = listing.people_page(current_user, wanted, on)
    return render_template(
        "people/index.html",
        rows=rows,
        total=total,
        wanted=wanted,
        errors=reading.error_summary(),
        teams=listing.team_options(current_user),
        roles=lists.ROLE_LABELS,
        statuses=listing.STATUSES,
        shown=lists.showing(wanted["page"], total),
        pagination=lists.pagination("people.index", wanted, wanted["page"], total),
        filtered=any(wanted[k] for k in ("q", "team", "role", "overdue"))
        or wanted["status"] != "current",
        on=on,
    )


@bp.route("/people/<int:staff_id>")
@rule(staff_viewer)
def person(staff_id: int):
    on = today()
    person = staff_viewer.loaded()
    relationships = queries.relationships(person, on)
    standing = standing_for(db_session(), person, relationships.pop("as_supervisee"), on)
    is_me = staff_id == current_user.staff_id
    page = render_template(
        "people/person.html",
        person=person,
        **relationships,
        visible_ids=set(db_session().scalars(scope.visible_staff_ids(current_user))),
        **queries.observations(person),
        tasks=queries.open_tasks_about(person),
        standing=standing,
        chart=chart_for(standing, on),
        is_me=is_me,
        # Cover is arranged by someone who manages the absent supervisor, never
        # by the supervisor themselves (their page says who to tell instead).
        may_arrange_cover=bool(relationships["supervisees"])
        and not is_me
        and scope.may_manage_staff(current_user, staff_id) is not None
        and not current_user.read_only,
        on=on,
    )
    record_read("person_page", staff_id, subject_staff_id=staff_id)
    return page


@bp.route("/people/<int:staff_id>/opened")
@rule(staff_self_or_organisation_wide)
def opened(staff_id: int):
    person = staff_self_or_organisation_wide.loaded()
    return render_template(
        "people/opened.html",
        person=person,
        rows=queries.opened_by_others(person),
        record_label=record_label,
        is_me=staff_id == current_user.staff_id,
        limit=queries.OPENED_LIMIT,
    )


@bp.route("/supervisees")
@rule(supervisor_of_anyone)
def supervisees():
    on = today()
    return render_template(
        "people/supervisees.html",
        rows=supervisee_standing.standing(current_user, on),
        on=on,
    )
