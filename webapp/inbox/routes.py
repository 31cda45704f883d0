"""My inbox, and one human task's page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from webapp import queries
from webapp.access import logged_in, rule, task_assignee
from webapp.dates import today
from webapp.inbox.kinds import action_url, kind_of

bp = Blueprint("inbox", __name__, template_folder="templates")


@bp.route("/inbox")
@rule(logged_in)
def index():
    tasks = queries.open_tasks_for(current_user)
    return render_template(
        "inbox/index.html",
        tasks=tasks,
        on=today(),
        kind_of=kind_of,
    )


@bp.route("/tasks/<int:task_id>")
@rule(task_assignee)
def task(task_id: int):
    task = queries.task_for_assignee(current_user, task_id)
    escalated = None
    if task.kind == "escalation" and task.payload and task.payload.get("escalates"):
        escalated = queries.task_by_key(current_user, task.payload["escalates"])
    subject_person = queries.staff_in_org(current_user, task.subject_staff_id)
    relationship = (
        queries.relationship_in_org(current_user, task.relationship_id)
        if task.relationship_id
        else None
    )
    return render_template(
        "inbox/task.html",
        task=task,
        kind=kind_of(task),
        action_url=action_url(task),
        escalated=escalated,
        subject_person=subject_person,
        relationship=relationship,
        on=today(),
    )
