"""Actions agreed in supervision (policy/rules/actions.py): a supervisee's
actions, who owns each, by when, overdue or done; the owner marks theirs done
with a note, which completes the inbox task. Every view is audited."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import StaffMember, SupervisionRelationship, SupervisionSession
from models.actions.session_actions import mark_action_done
from policy.keys import staff_fact_id
from webapp.access import rule
from webapp.audit import record_read
from webapp.database import db_session
from webapp.dates import today
from webapp.perform import perform
from webapp.session_actions import queries
from webapp.session_actions.access import action_owner, supervisee_actions
from webapp.session_actions.forms import ActionDoneForm

bp = Blueprint("session_actions", __name__, template_folder="templates")


@bp.route("/staff/<int:staff_id>/actions")
@rule(supervisee_actions)
def index(staff_id: int):
    """The supervisee's actions; the signed-in person's own open ones have a form."""
    return _page(supervisee_actions.loaded(), ActionDoneForm(), failed_action_id=None)


@bp.route("/session-actions/<int:action_id>/done", methods=["POST"])
@rule(action_owner)
def done(action_id: int):
    """The owner marks their action done, with when and what was done."""
    action = action_owner.loaded()
    held = db_session().get(SupervisionSession, action.session_id)
    supervisee = db_session().get(StaffMember, _supervisee_id(held))
    form = ActionDoneForm()
    if form.validate_on_submit():
        outcome = perform(
            mark_action_done,
            action_id=action.id,
            owner_staff_id=current_user.staff_id,
            done_on=form.done_on.data,
            note=form.note.data,
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if not outcome.shown_on(form.done_on):
            flash(f"You marked “{action.description}” done.", "success")
            return redirect(url_for("session_actions.index", staff_id=supervisee.id))
    return _page(supervisee, form, failed_action_id=action.id)


def _supervisee_id(held: SupervisionSession) -> int:
    return db_session().get(SupervisionRelationship, held.relationship_id).supervisee_id


def _page(supervisee: StaffMember, form: ActionDoneForm, failed_action_id: int | None):
    record_read(
        "session_action",
        staff_fact_id(supervisee.id),
        subject_staff_id=supervisee.id,
        detail="Viewed actions agreed in supervision",
    )
    rows = queries.actions_of(supervisee.id, today())
    me = None if current_user.read_only else current_user.staff_id
    mine = [
        r["action"] for r in rows if me and r["action"].owner_id == me and not r["action"].done_on
    ]
    # One form a page: for the action that failed, else the one asked for, else the first.
    wanted = failed_action_id or request.args.get("mark", type=int)
    marking = next((a for a in mine if a.id == wanted), mine[0] if mine else None)
    return render_template(
        "session_actions/index.html",
        supervisee=supervisee,
        rows=rows,
        form=form,
        marking=marking,
        mine={a.id for a in mine},
    )
