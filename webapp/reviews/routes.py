"""The annual review: the supervisor reviews the agreement with the
supervisee (Lancashire 000 §1.4 "This agreement to be reviewed at least
annually, and as part of this process, the supervisor should review how
supervision has been going with the supervisee"); the supervisee answers the
Supervision Annual Review; the supervisor signs it with what they found, and
it goes to the supervisor's line manager ("A copy of this completed form
should be forwarded to the supervisor's line manager"), who confirms they
read it. Every view of a questionnaire is audited."""

from __future__ import annotations

import html
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from models import (
    AgreementStatus,
    Organisation,
    StaffMember,
    SupervisionRelationship,
)
from models.actions.agreements import sign_agreement_as_supervisor
from models.actions.reviews import (
    AWAITING_SUPERVISOR,
    acknowledge_review,
    questionnaire_of,
    review_state,
    sign_review_as_supervisee,
    sign_review_as_supervisor,
)
from webapp import drafts
from webapp import queries as core_queries
from webapp.access import relationship_supervisee, relationship_supervisor, rule
from webapp.agreement_form import definition_for_relationship, form_for_relationship
from webapp.audit import record_read
from webapp.database import db_session
from webapp.dates import today
from webapp.perform import perform
from webapp.reviews import forms
from webapp.reviews.access import questionnaire_viewer
from webapp.reviews.queries import awaiting_supervisor, questionnaires_for

bp = Blueprint("reviews", __name__, template_folder="templates")

SIGNED_ONCE = "This review was already signed; it has been signed once."


@bp.route("/relationships/<int:relationship_id>/agreement/review", methods=["GET", "POST"])
@rule(relationship_supervisor)
def agreement_review(relationship_id: int):
    """Review the agreement: see how supervision has been going (the
    questionnaire), then sign the agreement again, amended or not; once the
    supervisee countersigns, the review is met."""
    rel = relationship_supervisor.loaded()
    agreement = core_queries.latest_agreement(rel)
    if agreement is None or agreement.status == AgreementStatus.DRAFT:
        return redirect(url_for("agreements.sign", relationship_id=rel.id))
    review_task = core_queries.open_task_for_relationship(current_user, rel.id, "agreement_review")
    definition = definition_for_relationship(rel)
    form = form_for_relationship(rel, definition)
    if request.method == "GET":
        _prefill(form, agreement, definition)
        drafts.restore(form)
    awaiting = agreement.status == AgreementStatus.AWAITING_COUNTERSIGNATURE
    if not awaiting and form.validate_on_submit():
        done = perform(
            sign_agreement_as_supervisor,
            relationship_id=rel.id,
            signer_staff_id=current_user.staff_id,
            content=form.content(),
            frequency_weeks=form.frequency(),
            variation_reason=form.reason(),
            on=today(),
            actor_user_id=current_user.user_id,
            double_submit=SIGNED_ONCE,
        )
        if not done.flashed():
            drafts.discard()
            flash(
                f"You signed the reviewed agreement. {rel.supervisee.name} can now countersign "
                "it; the review is complete when they do.",
                "success",
            )
        return redirect(url_for("agreements.view", relationship_id=rel.id))
    if request.method == "POST" and awaiting:
        flash(SIGNED_ONCE)
        return redirect(url_for("agreements.view", relationship_id=rel.id))
    reviews = questionnaires_for(rel.id)
    record_read(
        "supervision_agreement",
        agreement.id,
        subject_staff_id=rel.supervisee_id,
        detail=f"Viewed at {request.path}",
    )
    return render_template(
        "reviews/agreement_review.html",
        form=form,
        relationship=rel,
        agreement=agreement,
        awaiting=awaiting,
        task=review_task,
        questionnaires=reviews,
        review_state=review_state,
        definition=definition,
    )


@bp.route("/relationships/<int:relationship_id>/review-questionnaire", methods=["GET", "POST"])
@rule(relationship_supervisee)
def questionnaire(relationship_id: int):
    rel = relationship_supervisee.loaded()
    waiting = awaiting_supervisor(rel.id)
    if waiting is not None:
        if request.method == "POST":
            flash(SIGNED_ONCE)
        return redirect(url_for("reviews.view", questionnaire_id=waiting.id))
    council = _council_questionnaire()
    form = forms.questionnaire_form(council)()
    if request.method == "GET":
        drafts.restore(form)
    if form.validate_on_submit():
        done = perform(
            sign_review_as_supervisee,
            relationship_id=rel.id,
            supervisee_staff_id=current_user.staff_id,
            statements=forms.statements_from(council, form),
            lists=forms.lists_from(council, form),
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if done.flashed():
            return redirect(url_for("inbox.index"))
        drafts.discard()
        flash(
            f"You signed your annual supervision review. It is now with {rel.supervisor.name} "
            "to sign.",
            "success",
        )
        return redirect(url_for("reviews.view", questionnaire_id=done.result.questionnaire_id))
    task = core_queries.open_task_for_relationship(current_user, rel.id, "review_questionnaire")
    return render_template(
        "reviews/questionnaire.html",
        form=form,
        relationship=rel,
        task=task,
        questionnaire=council,
        # The policy's words, with their apostrophes as written (only <, > and & escaped).
        forwarding=Markup(html.escape(council.forwarding, quote=False)),  # nosec B704 # escaped on this line
        lists=[(label, forms.list_fields(council, key)) for key, label in council.lists],
    )


@bp.route("/relationships/<int:relationship_id>/review-questionnaire/to-sign")
@rule(relationship_supervisor)
def to_sign(relationship_id: int):
    """Where the supervisor's forwarding task leads: the review waiting for them."""
    rel = relationship_supervisor.loaded()
    waiting = awaiting_supervisor(rel.id)
    if waiting is None:
        latest = next(iter(questionnaires_for(rel.id)), None)
        if latest is None:
            abort(404)
        return redirect(url_for("reviews.view", questionnaire_id=latest.id))
    return redirect(url_for("reviews.view", questionnaire_id=waiting.id))


@bp.route("/review-questionnaires/<int:questionnaire_id>")
@rule(questionnaire_viewer)
def view(questionnaire_id: int):
    row = questionnaire_viewer.loaded()
    context = _context(row)
    record_read(
        "review_questionnaire",
        row.id,
        subject_staff_id=context["relationship"].supervisee_id,
        detail=f"Viewed at {request.path}",
    )
    return render_template(
        "reviews/view.html",
        sign_form=forms.supervisor_sign_form(context["council"])(),
        acknowledge_form=forms.AcknowledgeForm(),
        **context,
    )


@bp.route("/review-questionnaires/<int:questionnaire_id>/sign", methods=["POST"])
@rule(questionnaire_viewer)
def sign(questionnaire_id: int):
    row = questionnaire_viewer.loaded()
    context = _context(row)
    if context["relationship"].supervisor_id != current_user.staff_id:
        abort(404)
    if review_state(row) != AWAITING_SUPERVISOR:
        flash(SIGNED_ONCE)
        return redirect(url_for("reviews.view", questionnaire_id=row.id))
    form = forms.supervisor_sign_form(context["council"])()
    if not form.validate_on_submit():
        acknowledge = forms.AcknowledgeForm()
        page = render_template(
            "reviews/view.html", sign_form=form, acknowledge_form=acknowledge, **context
        )
        return page, 400
    done = perform(
        sign_review_as_supervisor,
        questionnaire_id=row.id,
        supervisor_staff_id=current_user.staff_id,
        findings=form.findings.data,
        on=today(),
        actor_user_id=current_user.user_id,
    )
    if not done.flashed(again=SIGNED_ONCE):
        forwarded_to = done.result.forwarded_to_id
        recipient = db_session().get(StaffMember, forwarded_to) if forwarded_to else None
        flash(
            f"You signed the annual supervision review. It has been forwarded to {recipient.name}."
            if recipient
            else "You signed the annual supervision review. No line manager is recorded for you, "
            "so it could not be forwarded; tell the workforce team.",
            "success",
        )
    return redirect(url_for("reviews.view", questionnaire_id=row.id))


@bp.route("/review-questionnaires/<int:questionnaire_id>/acknowledge", methods=["POST"])
@rule(questionnaire_viewer)
def acknowledge(questionnaire_id: int):
    row = questionnaire_viewer.loaded()
    if row.forwarded_to_id != current_user.staff_id:
        abort(404)
    if forms.AcknowledgeForm().validate_on_submit():
        done = perform(
            acknowledge_review,
            questionnaire_id=row.id,
            reader_staff_id=current_user.staff_id,
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if not done.flashed():
            flash("You confirmed you have read the annual supervision review.", "success")
            return redirect(url_for("inbox.index"))
    return redirect(url_for("reviews.view", questionnaire_id=row.id))


def _council_questionnaire():
    """The signed-in person's council's questionnaire; none: no such page."""
    council = questionnaire_of(db_session().get(Organisation, current_user.organisation_id).profile)
    if council is None:
        abort(404)
    return council


def _prefill(form, agreement, definition) -> None:
    if agreement.frequency_weeks is not None:
        form.frequency_weeks.data = str(agreement.frequency_weeks)
    if agreement.variation_reason:
        form.variation_reason.data = agreement.variation_reason
    for key in definition.field_keys:
        value = (agreement.content or {}).get(key)
        if value:
            getattr(form, key).data = value


def _signed(signature: dict | None) -> dict | None:
    """A signature in the form's answers, as the shared signatures template reads it."""
    if not signature:
        return None
    return {"signed_on": date.fromisoformat(signature["signed_on"])}


def _day(value: str | None) -> date | None:
    """A day stored in the form's answers (ISO), for the page to write out."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _context(row) -> dict:
    db = db_session()
    rel = db.get(SupervisionRelationship, row.relationship_id)
    council = _council_questionnaire()
    answers = row.answers or {}
    signatures = answers.get("signatures") or {}
    return {
        "questionnaire": row,
        "relationship": rel,
        "council": council,
        "state": review_state(row),
        "statements": council.statements,
        "answers": answers.get("statements") or {},
        "lists": [
            (label, (answers.get("lists") or {}).get(key) or []) for key, label in council.lists
        ],
        "findings": answers.get("supervisor_findings"),
        "signature_rows": [
            {
                "label": "Supervisee's signature and date",
                "name": rel.supervisee.name,
                "signature": _signed(signatures.get("supervisee")),
            },
            {
                "label": "Supervisor's signature and date",
                "name": rel.supervisor.name,
                "signature": _signed(signatures.get("supervisor")),
            },
        ],
        "forwarded_to": db.get(StaffMember, row.forwarded_to_id) if row.forwarded_to_id else None,
        "acknowledged_on": _day(answers.get("acknowledged_on")),
        "team_name": rel.supervisee.team.name if rel.supervisee.team else None,
    }
