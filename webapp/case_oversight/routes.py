"""Management oversight on a case between supervisions (Wokingham standards
25-27, policy/rules/case_oversight.py): the entries on the case, and the
form for the worker's supervisor or line manager. Every view is audited."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import CaseAllocation, StaffMember
from models.actions.case_oversight import record_case_oversight
from webapp.access import rule
from webapp.audit import record_read
from webapp.case_oversight import queries
from webapp.case_oversight.access import case_oversight_page
from webapp.case_oversight.forms import CaseOversightForm
from webapp.database import db_session
from webapp.perform import perform_as_user

bp = Blueprint("case_oversight", __name__, template_folder="templates")


@bp.route("/cases/<case_ref>/oversight", methods=["GET", "POST"])
@rule(case_oversight_page)
def record(case_ref: str):
    allocation: CaseAllocation = case_oversight_page.loaded()
    may_record = not current_user.read_only and (
        request.method == "POST" or queries.case_to_oversee(current_user, case_ref)
    )
    form = CaseOversightForm()
    if may_record and form.validate_on_submit():
        done = perform_as_user(
            record_case_oversight,
            case_ref=allocation.case_ref,
            staff_id=current_user.staff_id,
            recorded_on=form.recorded_on.data,
            summary=form.summary.data,
        )
        if not done.shown_on(form.recorded_on):
            flash(f"You recorded management oversight on {allocation.case_ref}.", "success")
            return redirect(url_for("case_oversight.record", case_ref=allocation.case_ref))
    record_read(
        "case_oversight",
        allocation.case_ref,
        subject_staff_id=allocation.worker_id,
        detail=f"Viewed management oversight on {allocation.case_ref}",
    )
    return render_template(
        "case_oversight/record.html",
        allocation=allocation,
        worker=db_session().get(StaffMember, allocation.worker_id),
        entries=queries.entries_for(allocation),
        form=form,
        may_record=may_record,
    )
