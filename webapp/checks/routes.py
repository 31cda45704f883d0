"""Registration and DBS checks. Lancashire 000 §1.16: "Supervisors must check
that the professional registration of their staff is maintained." Nottingham
001 §1.5: "To update and review HCPC and Disclosure and Barring Service (DBS)
registrations". Social Work England replaced the HCPC for social workers in
2019; its registration is renewed every year between 1 September and
30 November (national rule). DBS re-checks follow local practice
(OVERSIGHT_DBS_RECHECK_YEARS, default 3)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from models import CheckKind
from models.actions.checks import record_registration_check
from models.configuration import dbs_recheck_years
from policy.keys import staff_fact_id
from webapp import queries
from webapp.access import rule
from webapp.audit import record_read
from webapp.checks.access import staff_checks
from webapp.checks.forms import CheckForm
from webapp.checks.queries import checks_for
from webapp.dates import today
from webapp.perform import perform

bp = Blueprint("checks", __name__, template_folder="templates")


@bp.route("/staff/<int:staff_id>/checks", methods=["GET", "POST"])
@rule(staff_checks)
def record(staff_id: int):
    """Anyone whose scope covers the person reads their checks; their
    supervisor (or the colleague covering for them) records one (the rule
    refuses anyone else's POST)."""
    person = staff_checks.loaded()
    recorder = (
        None if current_user.read_only else queries.supervisee_of(current_user, staff_id, today())
    )
    form = CheckForm()
    if recorder is not None and form.validate_on_submit():
        done = perform(
            record_registration_check,
            staff_id=person.id,
            checker_staff_id=current_user.staff_id,
            kind=CheckKind(form.kind.data),
            checked_on=form.checked_on.data,
            reference=form.cleaned_reference(),
            renewed_for_next_year=bool(form.renewed_for_next_year.data),
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if not done.shown_on(form.checked_on):
            until = done.result.valid_until
            flash(
                f"You recorded the check for {person.name}. The next one is due by "
                f"{until.day} {until:%B %Y}.",
                "success",
            )
            return redirect(url_for("checks.record", staff_id=person.id))
    checks = checks_for(person.id)
    record_read(
        "registration_check",
        staff_fact_id(person.id),
        subject_staff_id=person.id,
        detail="Viewed registration and DBS checks",
    )
    return render_template(
        "checks/record.html",
        form=form,
        person=person,
        checks=checks,
        dbs_years=dbs_recheck_years(),
        may_record=recorder is not None,
    )
