"""The relationship's schedule of sessions: the sessions planned, held and
cancelled; the supervisor plans the next 12 months (Nottingham §2.4 requires
it; any council may); either party cancels a planned session, which moves to
the next day both can meet."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from models import Organisation, SessionStatus
from models.actions.schedule import cancel_session, plan_year
from policy import load_profile
from policy import schedule as planning
from policy.keys import staff_fact_id
from webapp.access import relationship_supervisor, relationship_viewer, rule, session_party
from webapp.database import db_session
from webapp.dates import long_date, today
from webapp.perform import perform
from webapp.sessions import queries as session_queries
from webapp.sessions.blueprint import bp
from webapp.sessions.forms import CancelForm, PlanForm
from webapp.sessions.record_page import KIND_LABELS


@bp.route("/relationships/<int:relationship_id>/sessions")
@rule(relationship_viewer)
def schedule(relationship_id: int):
    rel = relationship_viewer.loaded()
    profile = load_profile(db_session().get(Organisation, current_user.organisation_id).profile)
    rows = session_queries.sessions_of(rel.id)
    return render_template(
        "sessions/schedule.html",
        relationship=rel,
        planned=sorted(
            (r for r in rows if r.status == SessionStatus.PLANNED),
            key=lambda r: (r.planned_on, r.id),
        ),
        held=[r for r in rows if r.status == SessionStatus.HELD],
        cancelled=[r for r in rows if r.status == SessionStatus.CANCELLED],
        required_by=planning.schedule_required_by(profile),
        is_supervisor=rel.supervisor_id == current_user.staff_id,
        may_record=session_queries.relationship_as_recorder(current_user, rel.id) is not None,
        is_party=current_user.staff_id in (rel.supervisor_id, rel.supervisee_id),
        plan_form=PlanForm(),
        kind_labels=KIND_LABELS,
        on=today(),
    )


@bp.route("/relationships/<int:relationship_id>/sessions/plan", methods=["POST"])
@rule(relationship_supervisor)
def plan(relationship_id: int):
    rel = relationship_supervisor.loaded()
    if PlanForm().validate_on_submit():
        done = perform(
            plan_year,
            relationship_id=rel.id,
            from_date=today(),
            actor=staff_fact_id(current_user.staff_id),
            actor_user_id=current_user.user_id,
        )
        if not done.flashed():
            count = len(done.result.created)
            flash(
                f"Planned {count} session{'s' if count != 1 else ''} for the next 12 months."
                if count
                else "The next 12 months are already planned; nothing new was added.",
                "success",
            )
    return redirect(url_for("sessions.schedule", relationship_id=rel.id))


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@rule(session_party)
def cancel(session_id: int):
    row = session_party.loaded()
    rel = row.supervision_relationship
    if row.status != SessionStatus.PLANNED:
        flash("This session is not planned any more, so it cannot be cancelled.")
        return redirect(url_for("sessions.schedule", relationship_id=rel.id))
    form = CancelForm()
    if form.validate_on_submit():
        done = perform(
            cancel_session,
            session_id=row.id,
            reason=form.reason.data,
            by=current_user.staff_id,
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if not done.flashed():
            flash(
                f"The session is cancelled and moved to {long_date(done.result.moved_to)}.",
                "success",
            )
        return redirect(url_for("sessions.schedule", relationship_id=rel.id))
    return render_template("sessions/cancel.html", form=form, session=row, relationship=rel)
