"""Check your answers, for every admin change: a valid form is shown back as
a summary list with its answers carried in hidden fields; "Confirm and save"
runs the action (in models/actions/), "Change your answers" shows the form
again, filled in. An action's refusal is shown on the field it is about."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from webapp.perform import Outcome, error_summary

# The action's name for a field (FieldProblem.field) -> the form's.
FIELD_NAMES = {"team_id": "team", "line_manager_id": "line_manager", "ended_on": "ended_on"}


def _carried() -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in ("confirm", "change", "submit")
    ]


def _summary_rows(form: FlaskForm, shown: dict[str, str]) -> list[dict]:
    rows = []
    for field in form:
        if field.name in ("csrf_token", "submit") or field.type == "FileField":
            continue
        value = shown.get(field.name)
        if value is None:
            labels = {c.value: c.label for c in getattr(field, "choices", None) or []}
            value = labels.get(field.data, field.data)
            value = field.data.strftime("%-d %B %Y") if hasattr(field.data, "strftime") else value
        rows.append({"key": {"text": field.label.text}, "value": {"text": str(value or "")}})
    return rows


def _put_on_field(form: FlaskForm, done: Outcome) -> dict | None:
    name = getattr(done.refusal, "field", None)
    field = getattr(form, FIELD_NAMES.get(name, name or ""), None) if name else None
    if field is not None and hasattr(field, "errors"):
        done.shown_on(field)
        return error_summary(form)
    return error_summary(form, extra=[done.summary_item()])


def form_then_check(
    form: FlaskForm,
    *,
    title: str,
    act: Callable[[], Outcome],
    done_message: Callable[[Outcome], str],
    back: str | None = None,
    done_url: Callable[[Outcome], str] | None = None,
    shown: dict[str, str] | None = None,
    intro: str = "",
    links: list[dict] | None = None,
    check: Callable[[], str | None] = lambda: None,
):
    """The form; its answers to check; then the change, saved. Back and, once
    saved, onward go to the staff list unless the page says otherwise."""
    back = back or url_for("admin.staff")
    done_url = done_url or (lambda done: url_for("admin.staff"))
    summary = None
    if request.method == "POST" and form.validate_on_submit():
        problem = check()
        if problem:
            summary = error_summary(form, extra=[{"text": problem, "href": "#main-content"}])
        elif "confirm" in request.form:
            done = act()
            if not done.failed:
                flash(done_message(done), "success")
                return redirect(done_url(done))
            summary = _put_on_field(form, done)
        elif "change" not in request.form:
            return render_template(
                "admin/check.html",
                title=title,
                back=back,
                rows=_summary_rows(form, shown or {}),
                carried=_carried(),
            )
    elif request.method == "POST":
        summary = error_summary(form)
    return form_page(form, title, back, summary, intro=intro, links=links or [])


def form_page(form: FlaskForm, title: str, back: str, summary: dict | None, **page):
    """The admin pages' form (admin/form.html), with its error summary;
    `page`: its intro, links, and whether it uploads a file (multipart)."""
    page.setdefault("intro", "")
    return render_template(
        "admin/form.html", form=form, title=title, back=back, summary=summary, **page
    )
