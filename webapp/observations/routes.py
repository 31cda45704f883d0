"""Observations: the observer plans one from their inbox task; each part of
the form goes to its author's inbox in turn; then both sign. State changes go
through models.actions.oversight (one transaction each); every view of an
observation is audited, because it is part of the supervision record."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from models import AuditEntry, ObservationKind, SignatoryParty, StaffMember
from models.actions.oversight import (
    OBSERVATION_FORMS,
    ActionError,
    complete_observation_part,
    next_observation_part,
    observation_author_id,
    plan_observation,
    planned_observation_for_task,
    sign_observation,
)
from webapp import queries as core_queries
from webapp.access import observation_task_assignee, observation_viewer, rule
from webapp.database import db_session, end_read, session_factory
from webapp.dates import today
from webapp.observations import forms
from webapp.observations.queries import observation_for_viewer, observation_task

bp = Blueprint("observations", __name__, template_folder="templates")

SIGNED_ONCE = "This observation was already signed; it has been signed once."


@bp.route("/tasks/<int:task_id>/observation", methods=["GET", "POST"])
@rule(observation_task_assignee)
def plan(task_id: int):
    task = observation_task(current_user, task_id)
    existing = planned_observation_for_task(db_session(), task)
    if existing is not None:
        return redirect(url_for("observations.view", observation_id=existing.id))
    if not task.is_open:
        return redirect(url_for("inbox.task", task_id=task.id))
    supervision = task.kind == "supervision_observation"
    with_family_fixed = task.kind == "practice_observation_with_family"
    form = forms.SupervisionPlanForm() if supervision or with_family_fixed else forms.PlanForm()
    observed = core_queries.staff_in_org(current_user, task.subject_staff_id)
    if form.validate_on_submit():
        with_family = with_family_fixed or (
            not supervision
            and getattr(form, "with_family", None) is not None
            and form.with_family.data == "yes"
        )
        end_read()
        try:
            result = plan_observation(
                task_id=task.id,
                planner_staff_id=current_user.staff_id,
                observed_on=form.observed_on.data,
                with_family=with_family,
                on=today(),
                actor_user_id=current_user.user_id,
                session_factory=session_factory(),
            )
        except ActionError as error:
            form.observed_on.errors.append(str(error))
        else:
            flash(
                f"You planned the observation of {observed.name} for "
                f"{form.observed_on.data.day} {form.observed_on.data:%B %Y}.",
                "success",
            )
            return redirect(url_for("observations.view", observation_id=result.observation_id))
    return render_template(
        "observations/plan.html",
        form=form,
        task=task,
        observed=observed,
        supervision=supervision,
        with_family_fixed=with_family_fixed,
    )


@bp.route("/observations/<int:observation_id>")
@rule(observation_viewer)
def view(observation_id: int):
    observation = observation_for_viewer(current_user, observation_id)
    context = _context(observation)
    _audit_read(observation)
    return render_template("observations/view.html", sign_form=forms.SignForm(), **context)


@bp.route("/observations/<int:observation_id>/parts/<part>", methods=["GET", "POST"])
@rule(observation_viewer)
def part(observation_id: int, part: str):
    observation = observation_for_viewer(current_user, observation_id)
    spec = OBSERVATION_FORMS[observation.kind].part(part)
    if spec is None or observation_author_id(observation, spec) != current_user.staff_id:
        abort(404)
    context = _context(observation)
    if part not in context["editable"]:
        # Signed, not reached yet, or locked because the part after it is written.
        if request.method == "POST":
            flash("This part of the observation can no longer be changed.")
        return redirect(url_for("observations.view", observation_id=observation.id))
    form_class = forms.part_form(observation.kind, part, observation.with_family)
    form = form_class()
    saved = ((observation.content or {}).get("parts") or {}).get(part) or {}
    if request.method == "GET":
        for key, value in saved.items():
            field = getattr(form, key, None)
            if field is not None and key not in ("submit", "csrf_token"):
                field.data = value
    if form.validate_on_submit():
        answers = {
            name: (field.data.strip() if isinstance(field.data, str) else field.data)
            for name, field in form._fields.items()
            if name not in ("submit", "csrf_token")
        }
        end_read()
        try:
            complete_observation_part(
                observation_id=observation.id,
                part=part,
                author_staff_id=current_user.staff_id,
                answers=answers,
                on=today(),
                actor_user_id=current_user.user_id,
                session_factory=session_factory(),
            )
        except ActionError as error:
            flash(str(error))
        else:
            flash("You saved your part of the observation.", "success")
            return redirect(url_for("observations.view", observation_id=observation.id))
    return render_template(
        "observations/part.html",
        form=form,
        spec=spec,
        heading=forms.PART_HEADINGS[part],
        part_questions=forms.QUESTIONS[(observation.kind, part)],
        **context,
    )


@bp.route("/observations/<int:observation_id>/sign", methods=["POST"])
@rule(observation_viewer)
def sign(observation_id: int):
    observation = observation_for_viewer(current_user, observation_id)
    if current_user.staff_id not in (observation.observer_id, observation.staff_id):
        abort(404)
    form = forms.SignForm()
    if not form.validate_on_submit():
        context = _context(observation)
        return render_template("observations/view.html", sign_form=form, **context), 400
    end_read()
    try:
        result = sign_observation(
            observation_id=observation.id,
            signer_staff_id=current_user.staff_id,
            on=today(),
            actor_user_id=current_user.user_id,
            session_factory=session_factory(),
        )
    except IntegrityError:
        flash(SIGNED_ONCE)
    except ActionError as error:
        flash(SIGNED_ONCE if "already signed" in str(error) else str(error))
    else:
        flash(
            "You signed the observation. It is complete."
            if result.complete
            else "You signed the observation. It is waiting for the other signature.",
            "success",
        )
    return redirect(url_for("observations.view", observation_id=observation.id))


def _written_after(observation, key: str) -> bool:
    parts = (observation.content or {}).get("parts") or {}
    keys = [p.key for p in OBSERVATION_FORMS[observation.kind].parts]
    return any(k in parts for k in keys[keys.index(key) + 1 :])


def _context(observation) -> dict:
    db = db_session()
    observer = db.get(StaffMember, observation.observer_id)
    observed = db.get(StaffMember, observation.staff_id)
    form = OBSERVATION_FORMS[observation.kind]
    parts = (observation.content or {}).get("parts") or {}
    nxt = next_observation_part(observation)
    me = current_user.staff_id
    signatures = {s.party: s for s in observation.signatures}
    my_party = (
        SignatoryParty.SUPERVISOR
        if me == observation.observer_id
        else SignatoryParty.SUPERVISEE
        if me == observation.staff_id
        else None
    )
    editable = [
        p.key
        for p in form.parts
        if observation_author_id(observation, p) == me
        and not observation.signatures
        and (p == nxt or (p.key in parts and not _written_after(observation, p.key)))
    ]
    return {
        "observation": observation,
        "observer": observer,
        "observed": observed,
        "practice": observation.kind == ObservationKind.PRACTICE,
        "form_spec": form,
        "parts": parts,
        "next_part": nxt,
        "questions": forms.QUESTIONS,
        "headings": forms.PART_HEADINGS,
        "editable": editable,
        "signatures": signatures,
        "my_party": my_party,
        "may_sign": nxt is None and my_party is not None and my_party not in signatures,
        "author_of": lambda p: observer if p.author == SignatoryParty.SUPERVISOR else observed,
        "on": today(),
    }


def _audit_read(observation) -> None:
    end_read()
    with session_factory().begin() as audit_session:
        audit_session.add(
            AuditEntry(
                actor_user_id=current_user.user_id,
                actor=f"staff-{current_user.staff_id}",
                action="read",
                object_type="observation",
                object_id=str(observation.id),
                subject_staff_id=observation.staff_id,
                detail=f"Viewed at {request.path}",
            )
        )
