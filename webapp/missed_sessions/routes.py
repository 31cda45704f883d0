"""Missed supervision (Wokingham standards 14-15, policy/rules/missed_sessions.py):
the chain for a relationship (each missed session, when it was raised,
escalated and answered, and what is still owed by whom), and one form for
the signed-in person's next step. Every view is audited."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from models import SupervisionRelationship
from models.actions.missed_sessions import STEPS, record_missed_step
from policy import keys
from policy.kinds import kind
from webapp.access import rule
from webapp.audit import record_read
from webapp.missed_sessions import queries
from webapp.missed_sessions.access import chain_reader, line_manager_step, supervisee_step
from webapp.missed_sessions.forms import MissedStepForm
from webapp.perform import perform_as_user

bp = Blueprint("missed_sessions", __name__, template_folder="templates")

STEP_OF_KIND = {step.kind: name for name, step in STEPS.items()}
DONE = {
    "raise": "You recorded raising the missed supervision with your supervisor.",
    "escalate": "You recorded escalating the missed supervision to your supervisor's manager.",
    "respond": "You recorded your response to the escalated missed supervision.",
}


@bp.route("/relationships/<int:relationship_id>/missed-sessions")
@rule(chain_reader)
def chain(relationship_id: int):
    return _page(chain_reader.loaded(), MissedStepForm())


@bp.route("/relationships/<int:relationship_id>/missed-sessions/raise", methods=["POST"])
@rule(supervisee_step)
def raise_it(relationship_id: int):
    return _record("raise", supervisee_step.loaded())


@bp.route("/relationships/<int:relationship_id>/missed-sessions/escalate", methods=["POST"])
@rule(supervisee_step)
def escalate(relationship_id: int):
    return _record("escalate", supervisee_step.loaded())


@bp.route("/relationships/<int:relationship_id>/missed-sessions/respond", methods=["POST"])
@rule(line_manager_step)
def respond(relationship_id: int):
    return _record("respond", line_manager_step.loaded())


def _due(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def _record(step: str, rel: SupervisionRelationship):
    form = MissedStepForm()
    if form.validate_on_submit():
        due = _due(form.due.data)
        if due is None:
            form.done_on.errors = [*form.done_on.errors, "Choose which session this is about"]
        else:
            done = perform_as_user(
                record_missed_step,
                step=step,
                relationship_id=rel.id,
                staff_id=current_user.staff_id,
                due=due,
                done_on=form.done_on.data,
                note=form.note.data,
            )
            if not done.shown_on(form.done_on):
                flash(DONE[step], "success")
                return redirect(url_for("missed_sessions.chain", relationship_id=rel.id))
    return _page(rel, form)


def _page(rel: SupervisionRelationship, form: MissedStepForm):
    record_read(
        "missed_session",
        keys.relationship_fact_id(rel.id),
        subject_staff_id=rel.supervisee_id,
        detail="Viewed missed supervision raised and escalated",
    )
    steps = queries.open_steps(rel)
    me = None if current_user.read_only else current_user.staff_id
    mine = next((t for t in steps if me is not None and t.assignee_id == me), None)
    if mine is not None and not form.due.data:
        form.due.data = keys.day_of(mine.key).isoformat()
    return render_template(
        "missed_sessions/chain.html",
        rel=rel,
        chain=queries.chain_of(rel),
        steps=[(t, kind(t.kind).label, keys.day_of(t.key)) for t in steps],
        mine=mine,
        my_step=STEP_OF_KIND.get(mine.kind) if mine else None,
        my_action=kind(mine.kind).action_text if mine else None,
        form=form,
    )
