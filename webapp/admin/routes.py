"""The workforce team's admin pages: the staff list (searched, filtered and
paged by the database), adding and changing a person, recording leaving,
naming a supervisor and ending a relationship, allocating and closing cases
by case ID, and importing files (imports.py). Every change is checked by the
person before it is saved, and saved by one action in models/actions/."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from models import Employment, StaffRole
from models.actions.admin_cases import allocate_or_reallocate, close_allocated_case
from models.actions.admin_relationships import end_relationship, name_supervisor
from models.actions.admin_staff import add_staff, edit_staff, record_leaving
from webapp.access import rule
from webapp.admin import queries as admin_queries
from webapp.admin.access import case_admin, organisation_admin, relationship_admin, staff_admin
from webapp.admin.forms import (
    AllocateForm,
    CloseCaseForm,
    EndRelationshipForm,
    LeavingForm,
    StaffForm,
    SupervisorForm,
    choices,
)
from webapp.admin.steps import form_then_check
from webapp.dates import today
from webapp.lists import ROLE_LABELS
from webapp.perform import perform_as_user

bp = Blueprint("admin", __name__, template_folder="templates", url_prefix="/admin")


@bp.app_context_processor
def admin_link() -> dict:
    """Whether the site navigation offers the staff admin pages (asked per page)."""
    return {
        "may_administer": lambda: (
            current_user.is_authenticated and admin_queries.is_admin(current_user)
        )
    }


def _whole(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 9 else None


@bp.route("/staff")
@rule(organisation_admin)
def staff():
    wanted = admin_queries.StaffFilter(
        text=(request.args.get("q") or "").strip()[:100],
        team_id=_whole(request.args.get("team")),
        role=request.args.get("role") or "",
        status=request.args.get("status")
        if request.args.get("status") in ("left", "all")
        else "current",
        page=_whole(request.args.get("page")) or 1,
    )
    people, total = admin_queries.staff_page(current_user, wanted, today())
    pages = max(1, -(-total // admin_queries.PAGE_SIZE))
    return render_template(
        "admin/staff.html",
        people=people,
        total=total,
        wanted=wanted,
        teams=admin_queries.team_choices(current_user),
        roles=list(ROLE_LABELS.items()),
        role_labels=ROLE_LABELS,
        pagination=_pagination(wanted, pages),
    )


def _pagination(wanted, pages: int) -> dict | None:
    if pages <= 1:
        return None

    def link(page: int) -> str:
        return url_for(
            "admin.staff",
            q=wanted.text,
            team=wanted.team_id or "",
            role=wanted.role,
            status=wanted.status,
            page=page,
        )

    items = [
        {"number": p, "href": link(p), "current": p == wanted.page}
        for p in range(max(1, wanted.page - 3), min(pages, wanted.page + 3) + 1)
    ]
    return {
        "items": items,
        **({"previous": {"href": link(wanted.page - 1)}} if wanted.page > 1 else {}),
        **({"next": {"href": link(wanted.page + 1)}} if wanted.page < pages else {}),
    }


def _staff_values(form: StaffForm) -> dict:
    manager = admin_queries.staff_by_number(current_user, form.line_manager.data or "")
    return {
        "name": form.name.data.strip(),
        "email": form.email.data.strip(),
        "job_title": (form.job_title.data or "").strip(),
        "role": StaffRole(form.role.data),
        "employment": Employment(form.employment.data),
        "started_on": form.started_on.data,
        "asye": form.asye.data == "yes",
        "asye_started_on": form.asye_started_on.data,
        "probation_ends_on": form.probation_ends_on.data,
        "team_id": _whole(form.team.data),
        "line_manager_id": manager.id if manager else None,
    }


def _line_manager_known(form: StaffForm):
    number = (form.line_manager.data or "").strip()
    if number and admin_queries.staff_by_number(current_user, number) is None:
        return f"There is nobody with employee number {number}."
    return None


@bp.route("/staff/new", endpoint="add_staff", methods=["GET", "POST"])
@rule(organisation_admin)
def add_staff_page():
    form = StaffForm()
    form.team.choices = choices([("", "Select a team"), *admin_queries.team_choices(current_user)])
    return form_then_check(
        form,
        title="Add a member of staff",
        check=lambda: _line_manager_known(form),
        act=lambda: perform_as_user(
            add_staff,
            staff_number=form.staff_number.data,
            values=_staff_values(form),
        ),
        done_message=lambda done: f"{form.name.data} is added.",
        done_url=lambda done: url_for("admin.supervisor", staff_id=done.result.staff_id),
    )


@bp.route("/staff/<int:staff_id>", endpoint="edit_staff", methods=["GET", "POST"])
@rule(staff_admin)
def edit_staff_page(staff_id: int):
    person = staff_admin.loaded()
    form = StaffForm(obj=None if request.method == "POST" else person)
    form.team.choices = choices([("", "Select a team"), *admin_queries.team_choices(current_user)])
    if request.method == "GET":
        form.staff_number.data = person.staff_number
        form.role.data, form.employment.data = person.role.value, person.employment.value
        form.asye.data = "yes" if person.asye else "no"
        form.team.data = str(person.team_id or "")
        form.line_manager.data = person.line_manager.staff_number if person.line_manager else ""
    form.staff_number.render_kw = {"readonly": True}
    return form_then_check(
        form,
        title=f"Change {person.name}'s details",
        check=lambda: _line_manager_known(form),
        act=lambda: perform_as_user(edit_staff, staff_id=person.id, values=_staff_values(form)),
        done_message=lambda done: f"{person.name}'s details are saved.",
    )


@bp.route("/staff/<int:staff_id>/leaving", methods=["GET", "POST"])
@rule(staff_admin)
def leaving(staff_id: int):
    person = staff_admin.loaded()
    form = LeavingForm()
    return form_then_check(
        form,
        title=f"Record {person.name} leaving",
        intro="Their supervision relationships end on their last day, and their records are "
        "kept for the retention period and then deleted.",
        act=lambda: perform_as_user(record_leaving, staff_id=person.id, left_on=form.left_on.data),
        done_message=lambda done: f"{person.name}'s leaving is recorded.",
    )


def numbered_person(field):
    """The person whose employee number the field holds, looked up once per
    request however often the check, the action and the message ask."""
    found = []

    def person():
        if not found:
            found.append(admin_queries.staff_by_number(current_user, field.data))
        return found[0]

    return person


def nobody_numbered(person, field) -> str | None:
    """An employee number typed but matching nobody (blank: nobody is named)."""
    if field.data and person() is None:
        return f"There is nobody with employee number {field.data}."
    return None


@bp.route("/staff/<int:staff_id>/supervisor", methods=["GET", "POST"])
@rule(staff_admin)
def supervisor(staff_id: int):
    person = staff_admin.loaded()
    current = admin_queries.open_relationship_of(person.id)
    form = SupervisorForm()
    named = numbered_person(form.supervisor)
    intro = (
        f"Their supervisor is {current.supervisor.name} from {current.started_on:%-d %B %Y}."
        if current
        else "They have no supervisor."
    )
    if current:
        intro += " To end it without naming another, use " + url_for(
            "admin.end_supervision", relationship_id=current.id
        )
    return form_then_check(
        form,
        title=f"Name {person.name}'s supervisor",
        intro=intro,
        check=lambda: nobody_numbered(named, form.supervisor),
        act=lambda: perform_as_user(
            name_supervisor,
            supervisee_id=person.id,
            supervisor_id=named().id,
            reason=form.reason.data,
            started_on=form.started_on.data,
        ),
        done_message=lambda done: f"{named().name} now supervises {person.name}.",
    )


@bp.route("/relationships/<int:relationship_id>/end", methods=["GET", "POST"])
@rule(relationship_admin)
def end_supervision(relationship_id: int):
    rel = relationship_admin.loaded()
    form = EndRelationshipForm()
    return form_then_check(
        form,
        title=f"End {rel.supervisor.name}'s supervision of {rel.supervisee.name}",
        act=lambda: perform_as_user(
            end_relationship, relationship_id=rel.id, ended_on=form.ended_on.data
        ),
        done_message=lambda done: "The supervision has ended.",
    )


@bp.route("/cases/allocate", methods=["GET", "POST"])
@rule(organisation_admin)
def allocate_case():
    form = AllocateForm()
    worker = numbered_person(form.worker)
    return form_then_check(
        form,
        title="Allocate or reallocate a case",
        check=lambda: nobody_numbered(worker, form.worker),
        act=lambda: perform_as_user(
            allocate_or_reallocate,
            case_ref=form.case_ref.data,
            case_type=form.case_type.data,
            worker_id=worker().id,
            allocated_on=form.allocated_on.data,
        ),
        done_message=lambda done: f"Case {done.result.case_ref} is allocated.",
    )


@bp.route("/cases/<case_ref>/close", methods=["GET", "POST"])
@rule(case_admin)
def close_case(case_ref: str):
    allocation = case_admin.loaded()
    form = CloseCaseForm()
    return form_then_check(
        form,
        title=f"Close case {allocation.case_ref}",
        act=lambda: perform_as_user(
            close_allocated_case,
            case_ref=allocation.case_ref,
            closed_on=form.closed_on.data,
        ),
        done_message=lambda done: f"Case {allocation.case_ref} is closed.",
    )


@bp.route("/")
@rule(organisation_admin)
def index():
    return redirect(url_for("admin.staff"))


# The other admin pages register themselves on bp: imports; absences, logins and teams.
from webapp.admin import imports, organisation  # noqa: E402, F401
