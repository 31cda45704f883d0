"""Group reflective supervision (where the council's rules owe it: Bristol
§6): the supervisor, or the colleague covering for them, records that the
supervisee attended, with the model used from those the council's document
names (its record_form.yaml) and who facilitated it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import Organisation
from models.actions.group_attendance import (
    council_records_group_supervision,
    record_group_attendance,
)
from policy import load_profile
from policy.forms.record_form import record_form
from webapp.access import rule
from webapp.database import db_session
from webapp.dates import long_date, today
from webapp.perform import perform
from webapp.scope import people_who_can_take_tasks
from webapp.sessions.access import relationship_recorder
from webapp.sessions.blueprint import bp
from webapp.sessions.forms import GroupAttendanceForm
from webapp.sessions.record_page import error_list_with_date

RECORDED_ONCE = (
    "Attendance at group supervision on {day} was already recorded; it has been recorded once."
)


@bp.route("/relationships/<int:relationship_id>/group-supervision/new", methods=["GET", "POST"])
@rule(relationship_recorder)
def group_attendance(relationship_id: int):
    """The "group_supervision" task's form (Bristol §6.1 every four weeks;
    §6.5 attendance is recorded in the personal supervision record)."""
    rel = relationship_recorder.loaded()
    profile = db_session().get(Organisation, current_user.organisation_id).profile
    if not council_records_group_supervision(profile):
        flash("Your council's supervision policy has no group reflective supervision to record.")
        return redirect(url_for("sessions.schedule", relationship_id=rel.id))
    group = record_form(load_profile(profile)).group_supervision
    form = GroupAttendanceForm()
    form.set_models(group.models, group.models_hint)
    form.facilitator_id.choices = [("", "Not recorded, or from outside the council")] + [
        (str(p.id), p.name) for p in people_who_can_take_tasks(current_user)
    ]
    if request.method == "GET":
        form.attended_on.data = today()
    extra_errors: list[dict] = []
    if form.validate_on_submit():
        supervisee, day = rel.supervisee.name, long_date(form.attended_on.data)
        done = perform(
            record_group_attendance,
            double_submit=RECORDED_ONCE.format(day=day),
            relationship_id=rel.id,
            recorder_staff_id=current_user.staff_id,
            attended_on=form.attended_on.data,
            model=form.model.data,
            facilitator_staff_id=int(form.facilitator_id.data)
            if form.facilitator_id.data
            else None,
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if done.again:
            done.flashed()
            return redirect(url_for("inbox.index"))
        if not done.shown_on(form.attended_on):
            flash(
                f"You recorded that {supervisee} attended group reflective supervision on {day}."
                if done.result.recorded
                else RECORDED_ONCE.format(day=day),
                "success" if done.result.recorded else "message",
            )
            return redirect(url_for("inbox.index"))
        extra_errors.append(done.summary_item("#attended_on-day"))
    errors = extra_errors or error_list_with_date(form, "attended_on")
    return render_template(
        "sessions/group_attendance.html",
        form=form,
        relationship=rel,
        group=group,
        error_list=errors,
    )
