"""Observations: the observer plans one from their inbox task; each part of
the council's form goes to its author's inbox in turn; then both sign. State
changes go through models.actions.observations (one transaction each); every
view of an observation is audited, because it is part of the supervision
record."""

from __future__ import annotations

import html

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from models import ObservationKind, SignatoryParty, StaffMember
from models.actions.observation_steps import (
    author_id,
    find_form,
    kind_of_task,
    next_part,
    planned_observation_for_task,
    written_parts,
)
from models.actions.observations import (
    complete_observation_part,
    plan_observation,
    sign_observation,
)
from webapp import drafts
from webapp import queries as core_queries
from webapp.access import rule
from webapp.audit import record_read
from webapp.database import db_session
from webapp.dates import long_date, today
from webapp.observations import forms
from webapp.observations.access import observation_task_assignee, observation_viewer
from webapp.perform import perform

bp = Blueprint("observations", __name__, template_folder="templates")

SIGNED_ONCE = "This observation was already signed; it has been signed once."


@bp.route("/tasks/<int:task_id>/observation", methods=["GET", "POST"])
@rule(observation_task_assignee)
def plan(task_id: int):
    task = observation_task_assignee.loaded()
    existing = planned_observation_for_task(db_session(), task)
    if existing is not None:
        return redirect(url_for("observations.view", observation_id=existing.id))
    if not task.is_open:
        return redirect(url_for("inbox.task", task_id=task.id))
    council_form = _council_form(kind_of_task(task.kind))
    supervision = council_form.kind == ObservationKind.SUPERVISION
    with_family_fixed = task.kind == "practice_observation_with_family"
    form = forms.plan_form(council_form, not supervision and not with_family_fixed)()
    observed = core_queries.staff_in_org(current_user, task.subject_staff_id)
    if form.validate_on_submit():
        with_family = with_family_fixed or (
            "with_family" in form._fields and form.with_family.data == "yes"
        )
        done = perform(
            plan_observation,
            task_id=task.id,
            planner_staff_id=current_user.staff_id,
            observed_on=form.observed_on.data,
            with_family=with_family,
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if not done.shown_on(form.observed_on):
            flash(
                f"You planned the observation of {observed.name} for "
                f"{long_date(form.observed_on.data)}.",
                "success",
            )
            return redirect(url_for("observations.view", observation_id=done.result.observation_id))
    return render_template(
        "observations/plan.html",
        form=form,
        task=task,
        observed=observed,
        supervision=supervision,
        with_family_fixed=with_family_fixed,
        # The policy's words, with their apostrophes as written (only <, > and & escaped).
        guidance=Markup(html.escape(council_form.guidance, quote=False)),  # nosec B704 # escaped on this line
    )


@bp.route("/observations/<int:observation_id>")
@rule(observation_viewer)
def view(observation_id: int):
    observation = observation_viewer.loaded()
    context = _context(observation)
    _record_read(observation)
    return render_template("observations/view.html", sign_form=forms.SignForm(), **context)


@bp.route("/observations/<int:observation_id>/parts/<part>", methods=["GET", "POST"])
@rule(observation_viewer)
def part(observation_id: int, part: str):
    observation = observation_viewer.loaded()
    spec = _council_form(observation.kind).part(part)
    if spec is None or author_id(observation, spec) != current_user.staff_id:
        abort(404)
    context = _context(observation)
    if part not in context["editable"]:
        # Signed, not reached yet, or locked because the part after it is written.
        if request.method == "POST":
            flash("This part of the observation can no longer be changed.")
        return redirect(url_for("observations.view", observation_id=observation.id))
    form = forms.part_form(spec, observation.with_family)()
    if request.method == "GET":
        for key, value in (written_parts(observation).get(part) or {}).items():
            if key in form._fields and key not in ("submit", "csrf_token"):
                form[key].data = value
        drafts.restore(form)
    if form.validate_on_submit():
        done = perform(
            complete_observation_part,
            observation_id=observation.id,
            part=part,
            author_staff_id=current_user.staff_id,
            answers=_answers(form),
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if not done.flashed():
            drafts.discard()
            flash("You saved your part of the observation.", "success")
            return redirect(url_for("observations.view", observation_id=observation.id))
    return render_template("observations/part.html", form=form, spec=spec, **context)


@bp.route("/observations/<int:observation_id>/sign", methods=["POST"])
@rule(observation_viewer)
def sign(observation_id: int):
    observation = observation_viewer.loaded()
    if current_user.staff_id not in (observation.observer_id, observation.staff_id):
        abort(404)
    form = forms.SignForm()
    if not form.validate_on_submit():
        context = _context(observation)
        return render_template("observations/view.html", sign_form=form, **context), 400
    done = perform(
        sign_observation,
        observation_id=observation.id,
        signer_staff_id=current_user.staff_id,
        on=today(),
        actor_user_id=current_user.user_id,
        double_submit=SIGNED_ONCE,
    )
    if not done.flashed(again=SIGNED_ONCE):
        flash(
            "You signed the observation. It is complete."
            if done.result.complete
            else "You signed the observation. It is waiting for the other signature.",
            "success",
        )
    return redirect(url_for("observations.view", observation_id=observation.id))


def _council_form(kind: ObservationKind):
    """The council's form for this kind of observation; none: no such page."""
    form = find_form(db_session(), current_user.organisation_id, kind)
    if form is None:
        abort(404)
    return form


def _answers(form) -> dict:
    return {
        name: (field.data.strip() if isinstance(field.data, str) else field.data)
        for name, field in form._fields.items()
        if name not in ("submit", "csrf_token")
    }


def _editable(observation, form, me: int) -> list[str]:
    """The parts I may write now: the next one if it is mine, or one of mine
    already written while the part after it is not, and nobody has signed."""
    if observation.signatures:
        return []
    parts = written_parts(observation)
    nxt = next_part(observation, form)
    return [
        p.key
        for p in form.parts
        if author_id(observation, p) == me
        and (
            p == nxt
            or (p.key in parts and not any(after.key in parts for after in form.after(p.key)))
        )
    ]


def _context(observation) -> dict:
    db = db_session()
    observer = db.get(StaffMember, observation.observer_id)
    observed = db.get(StaffMember, observation.staff_id)
    form = _council_form(observation.kind)
    nxt = next_part(observation, form)
    me = current_user.staff_id
    signatures = {s.party: s for s in observation.signatures}
    my_party = {
        observation.observer_id: SignatoryParty.SUPERVISOR,
        observation.staff_id: SignatoryParty.SUPERVISEE,
    }.get(me)
    return {
        "observation": observation,
        "observer": observer,
        "observed": observed,
        "practice": observation.kind == ObservationKind.PRACTICE,
        "form_spec": form,
        "parts": written_parts(observation),
        "next_part": nxt,
        "editable": _editable(observation, form, me),
        "signatures": signatures,
        "my_party": my_party,
        "may_sign": nxt is None and my_party is not None and my_party not in signatures,
        "author_of": lambda p: observer if p.author == "observer" else observed,
        "on": today(),
    }


def _record_read(observation) -> None:
    record_read(
        "observation",
        observation.id,
        subject_staff_id=observation.staff_id,
        detail=f"Viewed at {request.path}",
    )
