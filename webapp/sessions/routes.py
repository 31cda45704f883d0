"""Holding and recording supervision: the supervisor (or the colleague
covering for them) records the session and its record, as a draft or signed
and shared; and the inbox's session, record and case tasks sent to the form
that completes them. The area's other routes: records.py (reading,
countersigning, amending), schedule.py (the year's schedule),
group_attendance.py; they register on the one blueprint imported here.

State changes go through models.actions (sessions, records, schedule,
group_attendance); every read of a supervision record is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import (
    HumanTask,
    Organisation,
    RecordStatus,
    SessionKind,
    SessionStatus,
    SupervisionRelationship,
    SupervisionSession,
)
from models.actions.records import previous_actions
from models.actions.sessions import record_session
from policy import keys, load_profile
from policy.forms.record_form import Agenda, record_form
from policy.profile import Profile
from webapp import drafts, queries
from webapp.access import rule, task_assignee
from webapp.audit import record_read
from webapp.database import db_session
from webapp.dates import long_date, today
from webapp.perform import listed_once, perform
from webapp.sessions import (  # noqa: F401 (their routes)
    group_attendance,
    records,
    schedule,
    sharing,
)
from webapp.sessions import queries as session_queries
from webapp.sessions.access import relationship_recorder, session_supervisor
from webapp.sessions.blueprint import bp
from webapp.sessions.forms import record_form_class
from webapp.sessions.record_page import (
    DOUBLE_SUBMIT_MESSAGE,
    KIND_LABELS,
    action_owners,
    cross_checks,
    late_check,
    match_reviews,
    prefill,
    record_input,
    wtforms_error_list,
)

__all__ = ["bp"]


@bp.route("/relationships/<int:relationship_id>/sessions/new", methods=["GET", "POST"])
@rule(relationship_recorder)
def new(relationship_id: int):
    """The "hold supervision" task's form: record a session just held (by the
    supervisor, or by the colleague covering for them)."""
    task_id = request.args.get("task", type=int)
    task = queries.task_for_assignee(current_user, task_id) if task_id else None
    return _record_page(relationship_recorder.loaded(), None, _kind_arg(), task)


@bp.route("/relationships/<int:relationship_id>/sessions/record")
@rule(relationship_recorder)
def open_record(relationship_id: int):
    """The "record" and "late reason" tasks name a session by its day: open its record."""
    held_on = request.args.get("held_on", type=date.fromisoformat)
    row = session_queries.held_on_day(relationship_id, held_on) if held_on else None
    if row is None:
        abort(404)
    if row.record_status in (RecordStatus.NOT_STARTED, RecordStatus.DRAFT):
        return redirect(url_for("sessions.edit", session_id=row.id))
    return redirect(url_for("sessions.view", session_id=row.id))


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@rule(session_supervisor)
def edit(session_id: int):
    """Record a planned session, or change a draft (a signed version is never edited)."""
    row = session_supervisor.loaded()
    if row.status == SessionStatus.CANCELLED or row.record_status in (
        RecordStatus.AWAITING_COUNTERSIGNATURE,
        RecordStatus.SIGNED,
    ):
        if request.method == "POST":
            flash(DOUBLE_SUBMIT_MESSAGE)
        return redirect(url_for("sessions.view", session_id=row.id))
    return _record_page(row.supervision_relationship, row, row.kind.value, None)


def _kind_arg() -> str:
    kind = request.args.get("kind", SessionKind.INDIVIDUAL.value)
    return kind if kind in {k.value for k in SessionKind} else SessionKind.INDIVIDUAL.value


def _record_page(rel, row, kind: str, task: HumanTask | None):
    profile = load_profile(db_session().get(Organisation, current_user.organisation_id).profile)
    agenda = record_form(profile).agenda_for(rel.supervisee.role.value)
    form = record_form_class(agenda)()
    if row is None and request.method == "POST" and form.held_on.data:
        done = session_queries.held_on_day(rel.id, form.held_on.data)
        if done is not None and done.record_status in (
            RecordStatus.AWAITING_COUNTERSIGNATURE,
            RecordStatus.SIGNED,
        ):
            # A second submission of the same form: it was recorded and signed once.
            flash(
                f"The session held on {long_date(done.held_on)} is already recorded and signed; "
                "it has been signed once."
            )
            return redirect(url_for("sessions.view", session_id=done.id))
    previous = previous_actions(db_session(), rel.id, row)
    page = _RecordPage(form, agenda, profile, rel, row, kind, task, previous, action_owners(rel))
    if request.method == "GET":
        prefill(form, agenda, row, profile, kind)
        drafts.restore(form)  # what was typed before an expired login, or a failed submit
        if row is not None and row.status == SessionStatus.HELD:
            record_read(
                "supervision_session",
                row.id,
                subject_staff_id=rel.supervisee_id,
                detail="Opened the record to edit it",
            )
    match_reviews(form, previous)
    if request.method == "POST" and (form.add_action.data or form.add_case.data):
        (form.actions if form.add_action.data else form.cases).append_entry()
        return page.render([])
    page.set_owners()
    check = late_check(profile, rel, form.held_on.data or today(), kind, row)
    if not form.validate_on_submit():
        return page.render([], check)
    problems = cross_checks(form, check, previous)
    if problems:
        return page.render(problems, check)
    return _save(page, check)


def _save(page: _RecordPage, check):
    form, rel, row, task = page.form, page.rel, page.row, page.task
    done = perform(
        record_session,
        double_submit=DOUBLE_SUBMIT_MESSAGE,
        relationship_id=rel.id,
        recorder_staff_id=current_user.staff_id,
        record=record_input(form, page.previous),
        sign=form.signing,
        on=today(),
        kind=page.kind,
        session_id=row.id if row is not None else None,
        task_key=task.key if task is not None else None,
        actor_user_id=current_user.user_id,
    )
    if done.again:
        done.flashed()
        return redirect(url_for("inbox.index"))
    if done.failed:
        return page.render([done.summary_item("#held_on")], check)
    drafts.discard()
    if form.signing:
        flash(
            f"You signed the supervision record. It is now in "
            f"{rel.supervisee.name}'s inbox to countersign.",
            "success",
        )
    else:
        flash("You saved the record as a draft. Sign it when it is ready.", "success")
    return redirect(url_for("sessions.view", session_id=done.result.session_id))


@dataclass
class _RecordPage:
    """The record form's page, rendered with its errors."""

    form: Any
    agenda: Agenda
    profile: Profile
    rel: SupervisionRelationship
    row: SupervisionSession | None
    kind: str
    task: HumanTask | None
    previous: list
    owners: list[tuple[str, str]]

    def set_owners(self) -> None:
        for entry in self.form.actions:
            entry.form.owner.choices = self.owners

    def render(self, extra_errors: list[dict], check=None):
        form, rel, row, task, kind = self.form, self.rel, self.row, self.task, self.kind
        self.set_owners()
        if check is None:
            check = late_check(self.profile, rel, form.held_on.data or today(), kind, row)
        return render_template(
            "sessions/record_form.html",
            form=form,
            agenda=self.agenda,
            relationship=rel,
            session=row,
            kind=kind,
            kind_label=KIND_LABELS[SessionKind(kind)],
            task=task,
            previous=list(zip(self.previous, form.reviews, strict=False)),
            owners=dict(self.owners),
            check=check,
            error_list=listed_once(wtforms_error_list(form) + extra_errors),
            action_url=url_for("sessions.edit", session_id=row.id)
            if row is not None
            else url_for(
                "sessions.new",
                relationship_id=rel.id,
                kind=kind,
                **({"task": task.id} if task else {}),
            ),
        )


# --- from an inbox task to its form --------------------------------------------------


@bp.route("/tasks/<int:task_id>/supervision")
@rule(task_assignee)
def from_task(task_id: int):
    """Send a session, record or case task to the form that completes it, by
    what its key (policy/keys.py) names: the relationship's session or the
    record of a day, or the case."""
    task = task_assignee.loaded()
    if task.kind in ("supervision", "asye_reflective_supervision", "development"):
        if task.relationship_id is None:
            abort(404)
        kind = "asye_reflective" if task.kind == "asye_reflective_supervision" else "individual"
        return redirect(
            url_for("sessions.new", relationship_id=task.relationship_id, kind=kind, task=task.id)
        )
    if task.kind in ("record", "late_reason") and task.relationship_id is not None:
        held_on = keys.day_of(task.key)
        return redirect(
            url_for("sessions.open_record", relationship_id=task.relationship_id, held_on=held_on)
        )
    if task.kind == "record_countersign" and task.relationship_id is not None:
        key = keys.parse(task.key)  # record-countersign:{rel}:{held_on}:v{version}
        row = session_queries.held_on_day(task.relationship_id, key["day"])
        if row is None or row.record_version != key["version"]:
            abort(404)
        return redirect(url_for("sessions.countersign", session_id=row.id))
    if task.kind == "record_shared" and task.relationship_id is not None:
        row = session_queries.held_on_day(task.relationship_id, keys.day_of(task.key))
        if row is None:
            abort(404)
        return redirect(url_for("sessions.shared", session_id=row.id))
    if task.kind == "case_supervision":
        return redirect(url_for("cases.supervise", case_ref=task.subject, task=task.id))
    if task.kind in ("case_record", "decision_record"):
        return redirect(url_for("cases.recorded", case_ref=task.subject, on=keys.day_of(task.key)))
    abort(404)
