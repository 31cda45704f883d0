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

from models.actions.errors import ActionError
from models.actions.inbox import acknowledge_task, claim_task, reassign_tasks, release_task
from webapp import queries, scope
from webapp.access import logged_in, rule, task_assignee, task_viewer
from webapp.database import end_read, session_factory
from webapp.dates import today
from webapp.group_agreements.queries import group_for_viewer
from webapp.inbox import listing
from webapp.inbox.cursor import Cursor, CursorError
from webapp.inbox.forms import ButtonForm, ReassignForm, person_choices
from webapp.inbox.kinds import KINDS, action_url, group_id_of, held_in_cover_only, kind_of

bp = Blueprint("inbox", __name__, template_folder="templates")


@bp.route("/inbox")
@rule(logged_in)
def index():
    filters = listing.InboxFilters.from_args(request.args)
    on = today()
    page = listing.inbox_page(
        current_user,
        filters,
        on=on,
        size=current_app.config.get("INBOX_PAGE_SIZE", listing.PAGE_SIZE),
        cursor=_cursor_or_none(request.args.get("cursor", "")),
    )
    options = listing.filter_options(current_user)
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
        counts=listing.inbox_counts(current_user, filters, on=on),
        pagination=_pagination(page, filters),
        filters=filters,
        kind_options=kinds_here,
        team_options=teams,
        due_windows=listing.DUE_WINDOWS,
        statuses=listing.STATUSES,
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
        return listing.decode_cursor(token)
    except CursorError:
        return None


def _pagination(page: listing.InboxPage, filters: listing.InboxFilters) -> dict:
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
    task = scope.may_see_task(current_user, task_id)
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
    group = group_for_viewer(current_user, group_id) if group_id is not None else None
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
        may_delegate=mine and task.is_open and kind.delegable and not current_user.read_only,
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
    end_read()
    try:
        claim_task(
            task_id=task_id,
            staff_id=current_user.staff_id,
            actor_user_id=current_user.user_id,
            session_factory=session_factory(),
        )
    except ActionError as error:
        flash(str(error))
        return redirect(url_for("inbox.index"))
    flash("You claimed the task. It is in your inbox and no longer offered to others.", "success")
    return redirect(url_for("inbox.task", task_id=task_id))


@bp.route("/tasks/<int:task_id>/release", methods=["POST"])
@rule(task_assignee)
def release(task_id: int):
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("inbox.task", task_id=task_id))
    end_read()
    try:
        release_task(
            task_id=task_id,
            staff_id=current_user.staff_id,
            actor_user_id=current_user.user_id,
            session_factory=session_factory(),
        )
    except ActionError as error:
        flash(str(error))
        return redirect(url_for("inbox.task", task_id=task_id))
    flash("You released the task. It is offered to your group again.", "success")
    return redirect(url_for("inbox.index"))


@bp.route("/tasks/<int:task_id>/acknowledge", methods=["POST"])
@rule(task_assignee)
def acknowledge(task_id: int):
    task = queries.task_for_assignee(current_user, task_id)
    if not kind_of(task).acknowledge or not ButtonForm().validate_on_submit():
        return redirect(url_for("inbox.task", task_id=task_id))
    end_read()
    try:
        acknowledge_task(
            task_id=task_id,
            staff_id=current_user.staff_id,
            actor_user_id=current_user.user_id,
            session_factory=session_factory(),
        )
    except ActionError as error:
        flash(str(error))
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
    task = queries.task_for_assignee(current_user, task_id)
    if not task.is_open or not kind_of(task).delegable:
        flash("This task cannot be given to someone else.")
        return redirect(url_for("inbox.task", task_id=task_id))
    form = ReassignForm()
    form.to_staff.choices = person_choices(
        scope.people_who_can_take_tasks(current_user), exclude_ids={current_user.staff_id}
    )
    if form.validate_on_submit():
        end_read()
        try:
            reassign_tasks(
                task_ids=[task_id],
                by_staff_id=current_user.staff_id,
                to_staff_id=form.target_id(),
                reason=form.reason.data,
                actor_user_id=current_user.user_id,
                session_factory=session_factory(),
            )
        except ActionError as error:
            form.to_staff.errors = [*form.to_staff.errors, str(error)]
        else:
            name = dict(form.to_staff.choices)[form.to_staff.data].split(",")[0]
            flash(f"You gave “{task.title}” to {name}.", "success")
            return redirect(url_for("inbox.index"))
    return render_template("inbox/delegate.html", task=task, form=form, kind=kind_of(task))


def _filter_label(kind: str) -> str:
    """How the filter names a kind: its caption, and what you do where two kinds
    share a caption ("Supervision agreement: read and countersign the agreement")."""
    if kind not in KINDS:
        return kind.replace("_", " ").capitalize()
    label, action = KINDS[kind].label, KINDS[kind].action_text
    shared = sum(1 for other in KINDS.values() if other.label == label) > 1
    return f"{label}: {action[0].lower()}{action[1:]}" if shared and action else label
