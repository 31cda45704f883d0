"""The supervision agreement: the supervisor drafts and signs it, the
supervisee countersigns it, and the parties (and their managers) can read it.

State changes go through models.actions.agreements (run by webapp.perform),
which record the signature, complete the human task, reconcile the
relationship and write the outbox and audit rows in one transaction. Every
view of an agreement is audited (webapp.audit.record_read)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import AgreementStatus, SupervisionAgreement
from models.actions.agreements import countersign_agreement, sign_agreement_as_supervisor
from policy.forms.agreement_form import AgreementDefinition
from webapp import drafts, queries
from webapp.access import (
    agreement_viewer,
    relationship_supervisee,
    relationship_supervisor,
    rule,
)
from webapp.agreement_form import (
    countersign_form,
    definition_for_relationship,
    form_for_relationship,
)
from webapp.audit import record_read
from webapp.dates import today
from webapp.perform import perform

bp = Blueprint("agreements", __name__, template_folder="templates")

DOUBLE_SUBMIT_MESSAGE = "This agreement was already signed; it has been signed once."


@bp.app_template_global()
def agreement_definition_for(rel) -> AgreementDefinition:
    """The agreement form of a relationship's profile, for templates that show an
    agreement (webapp/agreements/templates/agreements/_agreement.html)."""
    return definition_for_relationship(rel)


@bp.route("/relationships/<int:relationship_id>/agreement")
@rule(agreement_viewer)
def view(relationship_id: int):
    """The latest version, or with ?version=N that version as it was signed."""
    rel = agreement_viewer.loaded()
    agreement = queries.latest_agreement(rel)
    latest = agreement
    asked = request.args.get("version", "")
    if asked:
        agreement = next((a for a in rel.agreements if str(a.version) == asked), None)
        if agreement is None:
            abort(404)
    context = _page_context(rel, agreement)
    context["latest"] = latest
    context["may_amend"] = agreement is latest and _may_amend(rel, agreement)
    _audit_read(agreement, rel)
    return render_template("agreements/view.html", **context)


@bp.route("/relationships/<int:relationship_id>/agreement/sign", methods=["GET", "POST"])
@rule(relationship_supervisor)
def sign(relationship_id: int):
    rel = relationship_supervisor.loaded()
    agreement = queries.latest_agreement(rel)
    open_task = queries.open_task_for_relationship(current_user, rel.id, "agreement")
    if not _supervisor_may_sign(agreement, open_task):
        # A signed version is never edited: show it instead of a form.
        if request.method == "POST":
            flash(DOUBLE_SUBMIT_MESSAGE)
        return redirect(url_for("agreements.view", relationship_id=rel.id))

    signed = (
        f"You signed the supervision agreement with {rel.supervisee.name}. "
        f"It is now in {rel.supervisee.name}'s inbox to countersign."
    )
    return _sign_page(rel, agreement, task=open_task, signed=signed, then=url_for("inbox.index"))


@bp.route("/relationships/<int:relationship_id>/agreement/amend", methods=["GET", "POST"])
@rule(relationship_supervisor)
def amend(relationship_id: int):
    """Amend the agreement in force: a new version, with the reason, that both
    sign again; the version in force stays in force until it is countersigned
    (Wokingham standard 19: "recorded (with reasoning) as an amendment to the
    Supervision Agreement"; Lancashire Appendix A: "can be revised sooner")."""
    rel = relationship_supervisor.loaded()
    agreement = queries.latest_agreement(rel)
    if not _may_amend(rel, agreement):
        if request.method == "POST":
            flash(
                DOUBLE_SUBMIT_MESSAGE
                if agreement is not None
                and agreement.status == AgreementStatus.AWAITING_COUNTERSIGNATURE
                else "There is no agreement in force to amend."
            )
        return redirect(url_for("agreements.view", relationship_id=rel.id))

    signed = (
        f"You signed the amended agreement. It is now in {rel.supervisee.name}'s inbox to "
        f"countersign; version {agreement.version} stays in force until they do."
    )
    return _sign_page(
        rel,
        agreement,
        amending=True,
        signed=signed,
        then=url_for("agreements.view", relationship_id=rel.id),
    )


@bp.route("/relationships/<int:relationship_id>/agreement/countersign", methods=["GET", "POST"])
@rule(relationship_supervisee)
def countersign(relationship_id: int):
    rel = relationship_supervisee.loaded()
    agreement = queries.latest_agreement(rel)
    if agreement is None or agreement.status != AgreementStatus.AWAITING_COUNTERSIGNATURE:
        if request.method == "POST":
            flash(
                DOUBLE_SUBMIT_MESSAGE
                if agreement is not None and agreement.status == AgreementStatus.IN_FORCE
                else "There is no agreement waiting for your countersignature."
            )
        return redirect(url_for("agreements.view", relationship_id=rel.id))

    form = countersign_form(definition_for_relationship(rel))()
    if form.validate_on_submit():
        done = perform(
            countersign_agreement,
            double_submit=DOUBLE_SUBMIT_MESSAGE,
            relationship_id=rel.id,
            signer_staff_id=current_user.staff_id,
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if not done.flashed(again=DOUBLE_SUBMIT_MESSAGE):
            flash("You countersigned your supervision agreement. It is now in force.", "success")
        return redirect(url_for("agreements.view", relationship_id=rel.id))

    context = _page_context(rel, agreement)
    task = queries.open_task_for_relationship(current_user, rel.id, "agreement_countersign")
    _audit_read(agreement, rel)
    return render_template("agreements/countersign.html", form=form, task=task, **context)


def _sign_page(rel, agreement, *, signed: str, then: str, task=None, amending=False):
    """The supervisor's form, started from `agreement` (or the document's
    suggested text); once signed, say `signed` and go to `then`."""
    definition = definition_for_relationship(rel)
    form = form_for_relationship(rel, definition, amending=amending)
    if request.method == "GET":
        _prefill(form, rel, definition, agreement)
        drafts.restore(form)
        _audit_read(agreement, rel)  # the form shows that version's answers
    saving = request.method == "POST" and form.save.data
    if saving and (saved := _saved_as_draft(rel)) is not None:
        return saved
    if not saving and form.validate_on_submit():
        done = perform(
            sign_agreement_as_supervisor,
            double_submit=DOUBLE_SUBMIT_MESSAGE,
            relationship_id=rel.id,
            signer_staff_id=current_user.staff_id,
            content=form.content(),
            frequency_weeks=form.frequency(),
            variation_reason=form.reason(),
            amendment_reason=form.amendment_reason.data.strip() if amending else None,
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if done.flashed(again=DOUBLE_SUBMIT_MESSAGE):
            return redirect(url_for("agreements.view", relationship_id=rel.id))
        drafts.discard()
        flash(signed, "success")
        return redirect(then)
    return render_template(
        "agreements/sign.html",
        form=form,
        task=task,
        amending=amending,
        in_force=agreement if amending else None,
        **_page_context(rel, None, definition),
    )


def _saved_as_draft(rel):
    """Save as a draft: the answers were kept as this supervisor's draft on
    the way in (webapp/drafts.py); nobody else sees them until it is signed."""
    kept = drafts.kept_on_submit()
    if kept is None or kept.failed:
        flash(kept.error if kept is not None else drafts.NOT_KEPT_MESSAGE)
        return None  # the form again, as typed
    flash(
        f"You saved the agreement with {rel.supervisee.name} as a draft. Only you can see it. "
        "Open it again from your inbox to finish and sign it.",
        "success",
    )
    return redirect(url_for("inbox.index"))


def _supervisor_may_sign(agreement: SupervisionAgreement | None, open_task) -> bool:
    if agreement is None or agreement.status == AgreementStatus.DRAFT:
        return True
    # An agreement in force is replaced by a new version only when one is owed.
    return agreement.status == AgreementStatus.IN_FORCE and open_task is not None


def _may_amend(rel, agreement: SupervisionAgreement | None) -> bool:
    """The supervisor may amend a version in force while no newer one awaits."""
    return (
        agreement is not None
        and agreement.status == AgreementStatus.IN_FORCE
        and rel.supervisor_id == current_user.staff_id
        and (rel.ended_on is None or rel.ended_on > today())
    )


def _prefill(form, rel, definition: AgreementDefinition, agreement) -> None:
    """Start a new version (or a saved draft) from the previous answers; a first
    agreement starts from the document's suggested text, where it has some."""
    if agreement is not None and agreement.frequency_weeks is not None:
        form.frequency_weeks.data = str(agreement.frequency_weeks)
    if agreement is not None and agreement.variation_reason:
        form.variation_reason.data = agreement.variation_reason
    previous = (agreement.content or {}) if agreement is not None else {}
    for key in definition.field_keys:
        value = previous.get(key) or (
            definition.suggested(
                key, supervisor=rel.supervisor.name, supervisee=rel.supervisee.name
            )
            if agreement is None
            else ""
        )
        if value:
            getattr(form, key).data = value


def _page_context(rel, agreement: SupervisionAgreement | None, definition=None) -> dict:
    supervisee = rel.supervisee
    line_manager = supervisee.line_manager
    team = supervisee.team
    return {
        "relationship": rel,
        "agreement": agreement,
        "versions": list(reversed(rel.agreements)),
        "line_manager": line_manager
        if line_manager is not None and line_manager.id != rel.supervisor_id
        else None,
        "team_name": team.name if team is not None else None,
        "definition": definition or definition_for_relationship(rel),
    }


def _audit_read(agreement: SupervisionAgreement | None, rel) -> None:
    """Record who opened this agreement."""
    if agreement is not None:
        record_read(
            "supervision_agreement",
            agreement.id,
            subject_staff_id=rel.supervisee_id,
            detail=f"Viewed version {agreement.version} at {request.path}",
        )
