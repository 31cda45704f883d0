"""One way for a view to run an action and report why it could not be done.

An action (models/actions/) owns its transaction and raises ActionError with
a plain-English reason when it refuses; nothing is stored then. `perform`
ends the request's read transaction first (SQLite holds its write lock from
BEGIN), hands the action the app's session factory, and returns an Outcome
instead of raising. The view then shows the reason the way its page does::

    from webapp.perform import perform

    done = perform(
        claim_task,
        task_id=task_id,
        staff_id=current_user.staff_id,
        actor_user_id=current_user.user_id,
    )
    if done.flashed():  # the reason is flashed; go back
        return redirect(url_for("inbox.index"))
    flash("You claimed the task.", "success")

On a form, show the reason on a field (it reaches the error summary with the
form's own errors), or add it to the summary yourself::

    done = perform(arrange_cover, ..., double_submit="You have already done that.")
    if done.shown_on(form.cover_staff):
        return render_template("team/cover.html", form=form, summary=error_summary(form))
    if done.again: ...  # the form was sent twice (AlreadySigned, or a duplicate row)

A page's action done by the signed-in person today gets who and when from
`perform_as_user(record_audit, supervisor_id=..., ...)` (actor_user_id, on).

`double_submit` says what to tell someone whose form reached the database
twice (a unique constraint refused the second copy); without it such an
IntegrityError is not expected and propagates. `done.result` is what the
action returned."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import flash
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from models.actions.errors import ActionError, AlreadySigned
from webapp.database import end_read, session_factory
from webapp.dates import today

TITLE = "There is a problem"


@dataclass(frozen=True)
class Outcome:
    result: Any = None
    error: str | None = None  # why it was not done, in plain English
    again: bool = False  # it was done already: the form was sent twice
    refusal: ActionError | None = None  # the action's own error, to tell kinds apart

    @property
    def failed(self) -> bool:
        return self.error is not None

    def flashed(self, again: str | None = None) -> bool:
        """If it failed, flash why (or `again` if it had been done already)
        and say True, so the view can go back."""
        if self.failed:
            flash(again if again is not None and self.again else self.error)
        return self.failed

    def shown_on(self, field) -> bool:
        """If it failed, put why on this form field and say True."""
        if self.failed:
            field.errors = [*field.errors, self.error]
        return self.failed

    def summary_item(self, href: str = "#main-content") -> dict[str, str]:
        """The reason as one item of a GOV.UK error summary's errorList."""
        return {"text": self.error or "", "href": href}


def perform(
    action: Callable[..., Any], /, double_submit: str | None = None, **arguments: Any
) -> Outcome:
    """Run `action(**arguments, session_factory=...)` in its own transaction."""
    end_read()
    try:
        result = action(**arguments, session_factory=session_factory())
    except AlreadySigned as error:
        return Outcome(error=str(error), again=True, refusal=error)
    except ActionError as error:
        return Outcome(error=str(error), refusal=error)
    except IntegrityError:
        if double_submit is None:
            raise
        return Outcome(error=double_submit, again=True)
    return Outcome(result=result)


def perform_as_user(action: Callable[..., Any], /, **arguments: Any) -> Outcome:
    """`perform` an action as the signed-in person, today: the arguments
    every action done from a page is given (`actor_user_id`, `on`) added."""
    return perform(action, actor_user_id=current_user.user_id, on=today(), **arguments)


def error_summary(*forms, extra: Iterable[dict[str, str]] = ()) -> dict | None:
    """The GOV.UK error summary's parameters: each form's problems, linked to
    their fields, then `extra` items (an Outcome's `summary_item()`); None
    when there are none."""
    items = []
    for form in forms:
        if form is None:
            continue
        items += [{"text": message} for message in form.form_errors]
        items += [{"text": f.errors[0], "href": f"#{f.id}"} for f in form if f.errors]
    items = listed_once([*items, *extra])
    return {"titleText": TITLE, "errorList": items} if items else None


def listed_once(items: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """An error summary's items, each listed once: a problem put on its field
    (which the form's errors list) and also handed in as an extra item is the
    same problem, so the summary must not repeat it."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for item in items:
        key = (item.get("text", ""), item.get("href", ""))
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique
