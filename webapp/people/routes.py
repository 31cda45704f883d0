"""People: everyone I may see (webapp.scope), one person's supervision page,
and "who has opened my records"."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from webapp import scope
from webapp.access import logged_in, rule
from webapp.audit import record_label, record_read
from webapp.database import db_session
from webapp.dates import today
from webapp.people import queries
from webapp.people.access import staff_self_or_organisation_wide, staff_viewer
from webapp.people.standing import chart_for, standing_for

bp = Blueprint("people", __name__, template_folder="templates")


@bp.route("/people")
@rule(logged_in)
def index():
    return render_template("people/index.html", people=queries.visible_people(current_user))


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
        may_arrange_cover=bool(relationships["supervisees"])
        and (is_me or scope.may_manage_staff(current_user, staff_id) is not None)
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
