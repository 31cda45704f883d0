"""A JSON API for the inbox: list my human tasks (and those offered to my
group) a page at a time with their counts, read one, claim, release,
complete (where completing is a plain acknowledgement) and reassign. The
same access rules as the pages (webapp.access, webapp.scope) decide who may
do what, and an object the caller may not see is 404, as on the pages.

Authentication is the web app's session cookie. CSRF: the API blueprint is
exempt from the form token and instead every state-changing request must
carry `X-Requested-With: XMLHttpRequest` and, if the browser says where it
came from (Origin, Sec-Fetch-Site), come from this site. A page on another
site cannot set a custom header on a cross-site request without a CORS
preflight, which this app never approves, and the cookie is SameSite=Lax, so
a forged request is refused before it reaches a view. This keeps API clients
simple (no token to fetch first) without weakening the forms' protection.

The OpenAPI 3 document at /api/openapi.json describes every route here."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from models import HumanTask
from models.actions.inbox import (
    MAX_REASON,
    TaskChanged,
    acknowledge_task,
    claim_task,
    reassign_tasks,
    release_task,
)
from webapp import inbox_list, scope
from webapp.access import SAFE_METHODS, logged_in, public, rule, task_assignee, task_viewer
from webapp.api import access as api_access
from webapp.api.access import task_assignee_or_manager
from webapp.api.openapi import API_HEADER, API_HEADER_VALUE, MAX_PAGE_SIZE, openapi_document
from webapp.cursor import AFTER, Cursor, CursorError, a_name, a_row_id, decode
from webapp.database import MAX_ID, db_session
from webapp.dates import today
from webapp.extensions import csrf
from webapp.human_tasks import action_url, kind_of
from webapp.perform import perform

bp = Blueprint("api", __name__, url_prefix="/api")
COLLEAGUES_PAGE_SIZE = 100
csrf.exempt(bp)


def _error(status: int, message: str):
    response = jsonify({"error": message})
    response.status_code = status
    return response


@bp.before_request
def _authenticate_and_check_origin():
    if request.endpoint == "api.openapi":
        return None
    if not current_user.is_authenticated:
        return _error(401, "Sign in first: the API uses the web app's session.")
    if request.method not in SAFE_METHODS:
        if request.headers.get(API_HEADER) != API_HEADER_VALUE:
            return _error(403, f"Send the header {API_HEADER}: {API_HEADER_VALUE}.")
        origin = request.headers.get("Origin")
        if origin and origin.rstrip("/") != request.host_url.rstrip("/"):
            return _error(403, "Requests must come from this site.")
        if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return _error(403, "Requests must come from this site.")
    return None


@bp.errorhandler(400)
@bp.errorhandler(404)
@bp.errorhandler(405)
@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    messages = {
        400: "The request could not be read.",
        404: "Not found, or not yours to see.",
        405: "That method is not allowed here.",
    }
    return _error(error.code or 500, messages.get(error.code, error.description or "Error"))


@bp.route("/openapi.json")
@rule(public)
def openapi():
    return jsonify(openapi_document())


@bp.route("/tasks")
@rule(logged_in)
def list_tasks():
    filters = inbox_list.InboxFilters.from_args(request.args)
    try:
        size = _page_size(inbox_list.PAGE_SIZE)
        cursor = _cursor(inbox_list.decode_cursor)
    except ValueError as error:
        return _error(400, str(error))
    on = today()
    page = inbox_list.inbox_page(current_user, filters, on=on, size=size, cursor=cursor)
    counts = inbox_list.inbox_counts(current_user, filters, on=on)

    def link(to: Cursor | None) -> str | None:
        if to is None:
            return None
        return url_for("api.list_tasks", **filters.as_args(), page_size=size, **to.query_args())

    return jsonify(
        {
            "tasks": [_task_json(t) for t in page.tasks],
            "count": counts.matching,
            "counts": {
                "total": counts.total,
                "overdue": counts.overdue,
                "due_this_week": counts.due_this_week,
                "later": counts.later,
                "offered": counts.offered,
            },
            "page_size": size,
            "links": {"next": link(page.next), "previous": link(page.previous)},
        }
    )


def _page_size(default: int) -> int:
    """The page_size argument, 1 to MAX_PAGE_SIZE (ValueError says what is wrong)."""
    raw = request.args.get("page_size", "")
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_PAGE_SIZE):
        raise ValueError(f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}.")
    return int(raw)


def _cursor(decode) -> Cursor | None:
    """The cursor argument, read by this list's decoder (ValueError if malformed)."""
    token = request.args.get("cursor", "")
    if not token:
        return None
    try:
        return decode(token)
    except CursorError as error:
        raise ValueError(
            "The cursor is not one this API gave out. Use the links.next or "
            "links.previous of a list response, or leave cursor out for the first page."
        ) from error


@bp.route("/tasks/<int:task_id>")
@rule(task_viewer)
def get_task(task_id: int):
    return jsonify(_task_json(task_viewer.loaded()))


@bp.route("/tasks/<int:task_id>/claim", methods=["POST"])
@rule(task_viewer)
def claim(task_id: int):
    return _act(claim_task, task_id)


@bp.route("/tasks/<int:task_id>/release", methods=["POST"])
@rule(task_assignee)
def release(task_id: int):
    return _act(release_task, task_id)


@bp.route("/tasks/<int:task_id>/complete", methods=["POST"])
@rule(task_assignee)
def complete(task_id: int):
    task = task_assignee.loaded()
    kind = kind_of(task)
    if task.is_open and not kind.acknowledge:
        form = action_url(task)
        where = f" Use its form: {form}" if form else ""
        return _error(
            409,
            f"A {kind.label.lower()} task is completed by doing the work, not through the API; "
            f"it closes itself when the work is recorded.{where}",
        )
    return _act(acknowledge_task, task_id)


@bp.route("/tasks/<int:task_id>/reassign", methods=["POST"])
@rule(task_assignee_or_manager)
def reassign(task_id: int):
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _error(422, "Send a JSON object with to_staff_id and reason.")
    to_staff_id, reason = body.get("to_staff_id"), body.get("reason")
    if not isinstance(to_staff_id, int) or isinstance(to_staff_id, bool):
        return _error(422, "to_staff_id must be the ID of a colleague (a whole number).")
    if not 1 <= to_staff_id <= MAX_ID:
        return _error(422, "to_staff_id is not a colleague's ID.")
    if not isinstance(reason, str) or not reason.strip():
        return _error(422, "Give a reason: why is someone else doing it?")
    if len(reason) > MAX_REASON:
        return _error(422, f"The reason must be {MAX_REASON} characters or fewer.")
    task = task_assignee_or_manager.loaded()
    kind = kind_of(task)
    if not kind.delegable or kind.named_supervisor_only:
        return _error(409, "Only the person it is for can do this task.")
    colleagues = {p.id for p in scope.people_who_can_take(current_user, task)}
    if to_staff_id not in colleagues:
        return _error(422, "to_staff_id is not a colleague who may do this task for its subject.")
    managed = set(db_session().scalars(scope.managed_staff_ids(current_user)))
    done = perform(
        reassign_tasks,
        task_ids=[task_id],
        by_staff_id=current_user.staff_id,
        to_staff_id=to_staff_id,
        reason=reason,
        allowed_assignee_ids=managed,
        actor_user_id=current_user.user_id,
    )
    if done.failed:
        return _error(409 if isinstance(done.refusal, TaskChanged) else 422, done.error)
    return jsonify(_task_json(_fresh(task_id)))


@bp.route("/colleagues")
@rule(logged_in)
def colleagues():
    """Whom the caller may hand their open tasks to, or, given task_id (a task
    they hold or manage), whom that one task may go to: the rule reassign and
    delegation check (models.actions.eligibility), so nobody listed is refused."""
    try:
        size = _page_size(COLLEAGUES_PAGE_SIZE)
        cursor = _cursor(_decode_colleague_cursor)
        task_id = _task_id_argument()
    except ValueError as error:
        return _error(400, str(error))
    # scope orders by name in the database, so the page is cut from its list
    # by position (a keyset on (name, id) in Python's order would disagree
    # with the database's collation).
    if task_id is None:
        people = scope.people_who_can_take_my_tasks(current_user)
    else:
        task = api_access.task_held_or_managed(current_user, task_id)
        if task is None:
            return _error(404, "Not found, or not yours to see.")
        people = scope.people_who_can_take(current_user, task)
    for_task = {} if task_id is None else {"task_id": task_id}
    start = 0
    if cursor is not None:
        key = cursor.key
        start = next(
            (i + 1 for i, p in enumerate(people) if (p.name, p.id) == key),
            len([p for p in people if (p.name, p.id) <= key]),
        )
    page = people[start : start + size]
    more = start + size < len(people)
    following = Cursor(AFTER, (page[-1].name, page[-1].id)) if more else None
    return jsonify(
        {
            "colleagues": [
                {"id": p.id, "name": p.name, "job_title": p.job_title or ""} for p in page
            ],
            "count": len(people),
            "page_size": size,
            "links": {
                "next": url_for(
                    "api.colleagues", **for_task, page_size=size, **following.query_args()
                )
                if following
                else None
            },
        }
    )


def _task_id_argument() -> int | None:
    """The task_id argument, if given: a task's ID (ValueError says what is wrong)."""
    raw = request.args.get("task_id", "")
    if raw == "":
        return None
    if not (raw.isascii() and raw.isdigit() and int(raw) <= MAX_ID):
        raise ValueError("task_id must be the ID of a task (a whole number).")
    return int(raw)


def _decode_colleague_cursor(token: str) -> Cursor:
    cursor = decode(token, a_name, a_row_id)
    if cursor.backwards:
        raise CursorError("colleagues only page forwards")
    return cursor


def _act(action, task_id: int):
    done = perform(
        action, task_id=task_id, staff_id=current_user.staff_id, actor_user_id=current_user.user_id
    )
    if done.failed:
        return _error(409, done.error)
    return jsonify(_task_json(_fresh(task_id)))


def _fresh(task_id: int) -> HumanTask:
    """The task as the action left it (not as this request first read it)."""
    db = db_session()
    db.expire_all()
    return db.get(HumanTask, task_id)


def _task_json(task: HumanTask) -> dict[str, Any]:
    kind = kind_of(task)
    form = action_url(task) if task.assignee_id == current_user.staff_id else None
    return {
        "id": task.id,
        "key": task.key,
        "kind": task.kind,
        "label": kind.label,
        "title": task.title,
        "status": task.status.value,
        "due_on": task.due_on.isoformat(),
        "overdue": task.is_open and task.due_on < today(),
        "assignee": (
            {"id": task.assignee.id, "name": task.assignee.name} if task.assignee else None
        ),
        "candidate_role": task.candidate_role.value if task.candidate_role else None,
        "claimed_at": task.claimed_at.isoformat() if task.claimed_at else None,
        "reassignment": task.reassignment,
        "reassigned_reason": task.reassigned_reason,
        "subject_staff_id": task.subject_staff_id,
        "relationship_id": task.relationship_id,
        "rule": task.rule,
        "rule_text": task.rule_text,
        "source": task.source,
        "completes_by": "acknowledgement" if kind.acknowledge else "form",
        "links": {
            "self": url_for("api.get_task", task_id=task.id),
            "page": url_for("inbox.task", task_id=task.id),
            "form": form,
        },
    }
