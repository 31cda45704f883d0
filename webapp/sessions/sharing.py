"""Recording when a supervision record was shared with (copied to) the
supervisee, apart from when it was written (Lancashire §1.8 "shared with them
within 2 weeks", Bristol Appendix 1 "shared within 48 hours", North West
"notes copied to the individual"): the `record_shared` task's form. Signing
the record in Oversight shares it; this records a copy given before that."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import SessionStatus
from models.actions.records import share_record
from webapp.access import rule
from webapp.dates import long_date, today
from webapp.perform import perform
from webapp.sessions.access import session_supervisor
from webapp.sessions.blueprint import bp
from webapp.sessions.forms import ShareForm
from webapp.sessions.record_page import error_list_with_date

SHARED_ONCE = "This record was already shared with the supervisee."


@bp.route("/sessions/<int:session_id>/shared", methods=["GET", "POST"])
@rule(session_supervisor)
def shared(session_id: int):
    row = session_supervisor.loaded()
    back = url_for("sessions.view", session_id=row.id)
    if row.status != SessionStatus.HELD or row.shared_on is not None:
        if row.shared_on is not None:
            flash(f"{SHARED_ONCE} It was shared on {long_date(row.shared_on)}.")
        return redirect(back)
    rel = row.supervision_relationship
    form = ShareForm()
    if request.method == "GET":
        form.shared_on.data = today()
    extra_errors: list[dict] = []
    if form.validate_on_submit():
        done = perform(
            share_record,
            double_submit=SHARED_ONCE,
            session_id=row.id,
            by_staff_id=current_user.staff_id,
            shared_on=form.shared_on.data,
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if not done.shown_on(form.shared_on):
            flash(
                f"You recorded that {rel.supervisee.name} was given the record on "
                f"{long_date(form.shared_on.data)}.",
                "success",
            )
            return redirect(back)
        extra_errors.append(done.summary_item("#shared_on-day"))
    errors = extra_errors or error_list_with_date(form, "shared_on")
    return render_template(
        "sessions/shared.html",
        form=form,
        session=row,
        relationship=rel,
        back=back,
        error_list=errors,
    )
