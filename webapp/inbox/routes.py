"""My inbox, a page at a time (with its counts, its bookmarkable filters and
the group tasks offered to me), one human task's page, and what a person
does to a task itself: claim and release a group task, delegate it with a
reason, acknowledge an escalation."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from models.actions.inbox import acknowledge_task, claim_task, reassign_tasks, release_task
from webapp import inbox_list, queries, scope
from webapp.access import logged_in, rule, task_assignee, task_viewer
from webapp.cursor import Cursor, CursorError
from webapp.dates import today
from webapp.fields import ButtonForm, ReassignForm, chosen_name, person_choices
from webapp.human_tasks import KINDS, action_url, group_id_of, held_in_cover_only, kind_of
from webapp.perform import perform

bp = Blueprint("inbox", __name__, template_folder="templates")


@bp.route("/inbox")
@rule(logged_in)
def index():
    filters = inbox_list.InboxFilters.from_args(request.args)
    on = today()
    page = inbox_list.inbox_page(
        current_user,
        filters,
        on=on,
        size=current_app.config.get("INBOX_PAGE_SIZE", inbox_list.PAGE_SIZE),
        cursor=_cursor_or_none(request.args.get("cursor", "")),
    )
    summary = inbox_list.inbox_summary(current_user, filters, on=on)
    options = summary.options
    kinds_here = sorted(
        set(options.kinds) | set(filters.kinds),
        key=lambda k: (KINDS[k].label if k in KINDS else k, k),
    )
    teams = options.teams
    known_team_ids = {t.id for t in teams}
    teams += queries.teams_by_id(
        current_user, [t for t in filters.teams if t not in known_team_ids]
    )
    return render_template(
        "inbox/index.html",
        tasks=[t for t in page.tasks if t.assignee_id is not None],
        offered=[t for t in page.tasks if t.assignee_id is None],
        counts=summary.counts,
        pagination=_pagination(page, filters),
        filters=filters,
        kind_options=kinds_here,
        team_options=teams,
        due_windows=inbox_list.DUE_WINDOWS,
        statuses=inbox_list.STATUSES,
        on=on,
        kind_of=kind_of,
        kind_label=_filter_label,
        button_form=ButtonForm(),
    )


def _cursor_or_none(token: str) -> Cursor | None:
    """A page's cursor; a missing or malformed one is the first page (a
    hand-edited or stale link is not worth an error page)."""
    if not token:
        return None
    try:
        return inbox_list.decode_cursor(token)
    except CursorError:
        return None


def _pagination(page: inbox_list.InboxPage, filters: inbox_list.InboxFilters) -> dict:
    """The GOV.UK pagination component's links, keeping the filters."""

    def link(cursor: Cursor) -> dict[str, str]:
        return {"href": url_for("inbox.index", **filters.as_args(), **cursor.query_args())}

    params = {}
    if page.previous is not None:
        params["previous"] = link(page.previous)
    if page.next is not None:
        params["next"] = link(page.next)
    return params


@bp.route("/tasks/<int:task_id>")
@rule(task_viewer)
def task(task_id: int):
    task = task_viewer.loaded()
    escalated = None
    if task.kind == "escalation" and task.payload and task.payload.get("escalates"):
        escalated = queries.task_by_key(current_user, task.payload["escalates"])
    subject_person = queries.staff_in_org(current_user, task.subject_staff_id)
    relationship = (
        queries.relationship_in_org(current_user, task.relationship_id)
        if task.relationship_id
        else None
    )
    group_id = group_id_of(task)
    # A group agreement's task (or its escalation) links to the group, if they may see it.
    group = scope.may_see_group(current_user, group_id)
    kind = kind_of(task)
    mine = task.assignee_id == current_user.staff_id
    return render_template(
        "inbox/task.html",
        task=task,
        kind=kind,
        mine=mine,
        action_url=action_url(task) if mine else None,
        cover_only=mine and held_in_cover_only(task),
        escalated=escalated,
        subject_person=subject_person,
        relationship=relationship,
        group=group,
        may_delegate=mine
        and task.is_open
        and kind.delegable
        and not kind.named_supervisor_only
        and not current_user.read_only,
        may_release=mine and task.is_open and task.candidate_role is not None,
        may_acknowledge=mine and task.is_open and kind.acknowledge,
        button_form=ButtonForm(),
        on=today(),
    )


@bp.route("/tasks/<int:task_id>/claim", methods=["POST"])
@rule(task_viewer)
def claim(task_id: int):
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("inbox.task", task_id=task_id))
    if _perform_on_task(claim_task, task_id).flashed():
        return redirect(url_for("inbox.index"))
    flash("You claimed the task. It is in your inbox and no longer offered to others.", "success")
    return redirect(url_for("inbox.task", task_id=task_id))


@bp.route("/tasks/<int:task_id>/release", methods=["POST"])
@rule(task_assignee)
def release(task_id: int):
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("inbox.task", task_id=task_id))
    if _perform_on_task(release_task, task_id).flashed():
        return redirect(url_for("inbox.task", task_id=task_id))
    flash("You released the task. It is offered to your group again.", "success")
    return redirect(url_for("inbox.index"))


@bp.route("/tasks/<int:task_id>/acknowledge", methods=["POST"])
@rule(task_assignee)
def acknowledge(task_id: int):
    task = task_assignee.loaded()
    if not kind_of(task).acknowledge or not ButtonForm().validate_on_submit():
        return redirect(url_for("inbox.task", task_id=task_id))
    if _perform_on_task(acknowledge_task, task_id).flashed():
        return redirect(url_for("inbox.task", task_id=task_id))
    flash(
        "You acknowledged it. If the work is still overdue at the next daily check, "
        "it comes back to your inbox.",
        "success",
    )
    return redirect(url_for("inbox.index"))


@bp.route("/tasks/<int:task_id>/delegate", methods=["GET", "POST"])
@rule(task_assignee)
def delegate(task_id: int):
    if current_user.read_only:
        abort(404)  # an auditor's login changes nothing, so it has no form to fill in
    task = task_assignee.loaded()
    kind = kind_of(task)
    if not task.is_open or not kind.delegable or kind.named_supervisor_only:
        flash("This task cannot be given to someone else.")
        return redirect(url_for("inbox.task", task_id=task_id))
    form = ReassignForm()
    form.to_staff.choices = person_choices(scope.people_who_can_take(current_user, task))
    if form.validate_on_submit():
        done = perform(
            reassign_tasks,
            task_ids=[task_id],
            by_staff_id=current_user.staff_id,
            to_staff_id=form.target_id(),
            reason=form.reason.data,
            actor_user_id=current_user.user_id,
        )
        if not done.shown_on(form.to_staff):
            flash(f"You gave “{task.title}” to {chosen_name(form.to_staff)}.", "success")
            return redirect(url_for("inbox.index"))
    return render_template("inbox/delegate.html", task=task, form=form, kind=kind_of(task))


def _perform_on_task(action, task_id: int):
    """Claim, release or acknowledge a task as the signed-in person."""
    return perform(
        action, task_id=task_id, staff_id=current_user.staff_id, actor_user_id=current_user.user_id
    )


def _filter_label(kind: str) -> str:
    """How the filter names a kind: its caption, and what you do where two kinds
    share a caption ("Supervision agreement: read and countersign the agreement")."""
    if kind not in KINDS:
        return kind.replace("_", " ").capitalize()
    label, action = KINDS[kind].label, KINDS[kind].action_text
    shared = sum(1 for other in KINDS.values() if other.label == label) > 1
    return f"{label}: {action[0].lower()}{action[1:]}" if shared and action else label
