"""Records out: case supervision entries as a case system's bulk upload
(streamed CSV, one query) and one person's whole supervision file (a zip of
printable documents). Both are audited before anything is sent."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from models.exports import mapping as layouts
from models.exports.cases import CaseExport, export_case_supervision
from models.exports.person_file import export_person_file
from models.tables.org import StaffMember
from webapp.access import rule
from webapp.database import end_read, session_factory
from webapp.dates import today
from webapp.exports.access import case_export_scope, case_exporter, person_file_exporter
from webapp.exports.forms import CaseExportForm, PersonFileForm

bp = Blueprint("exports", __name__, template_folder="templates")


@bp.app_context_processor
def _navigation() -> dict:
    """The site navigation's link, for those who may export case supervision."""
    return {
        "may_export_cases": lambda: (
            current_user.is_authenticated and case_export_scope(current_user) is not None
        )
    }


def _layouts() -> list[tuple[str, str]]:
    return [(name, layouts.load(name).description) for name in layouts.available()]


@bp.route("/exports/cases")
@rule(case_exporter)
def cases():
    """The form; with its fields in the query string, the CSV download."""
    export_scope = case_exporter.loaded()
    form = CaseExportForm(formdata=request.args if request.args else None)
    form.mapping.choices = _layouts()
    if not request.args or not form.validate():
        page = render_template("exports/cases.html", form=form, scope=export_scope)
        return page, (400 if request.args else 200)
    export = CaseExport(
        export_scope.organisation_id,
        form.starts_on.data,
        form.ends_on.data,
        export_scope.staff_ids,
    )
    end_read()  # SQLite: the audit entry is written in its own transaction
    lines = export_case_supervision(
        export,
        layouts.load(form.mapping.data),
        actor_user_id=current_user.user_id,
        actor=f"staff-{current_user.staff_id}",
        session_factory=session_factory(),
    )
    name = f"case-supervision-{form.mapping.data}-{export.first}-to-{export.last}.csv"
    return Response(
        lines,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/exports/people/<int:staff_id>", methods=["GET", "POST"])
@rule(person_file_exporter)
def person_file(staff_id: int):
    person: StaffMember = person_file_exporter.loaded()
    form = PersonFileForm()
    if not form.validate_on_submit():
        page = render_template("exports/person_file.html", form=form, person=person)
        return page, (400 if request.method == "POST" else 200)
    organisation_id = person.organisation_id
    end_read()
    produced = export_person_file(
        staff_id,
        organisation_id=organisation_id,
        printed_on=today(),
        reason=form.reason.data,
        actor_user_id=current_user.user_id,
        actor=f"staff-{current_user.staff_id}",
        session_factory=session_factory(),
    )
    return Response(
        produced.content,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{produced.filename}"'},
    )
