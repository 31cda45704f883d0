"""A council's group supervision agreement (Lancashire Appendix A): the
groups a person may see, drawing one up, a new version, reading and signing
it, and ending the group. The pages' wording is the council's
(group_agreement.yaml); who may use each route is in access.py.

State changes go through models.actions.group_agreements (run by
webapp.perform), which records the signature, completes the human task,
reconciles the group and writes the outbox and audit rows in one transaction.
A version is never edited once issued: the supervisor issues a new one that
everyone signs again. Every view is audited (webapp.audit.record_read)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import GroupAgreementStatus, GroupParty, StaffMember, SupervisionGroup
from models.actions.group_agreements import (
    AlreadyIssued,
    DraftRefused,
    GroupAgreementDraft,
    end_supervision_group,
    issue_group_agreement,
    sign_group_agreement,
)
from webapp.access import rule
from webapp.audit import record_read
from webapp.database import db_session
from webapp.dates import long_date, today
from webapp.fields import person_choices
from webapp.group_agreements import queries
from webapp.group_agreements.access import (
    group_agreement_council,
    group_drafter,
    group_signer,
    group_supervisor,
    group_viewer,
)
from webapp.group_agreements.forms import EndForm, group_agreement_form, signing_form
from webapp.group_agreements.standing import standing, version_in_force, your_part
from webapp.perform import error_summary, perform

bp = Blueprint("group_agreements", __name__, template_folder="templates")

SIGNED_ONCE = "You had already signed this group agreement; it has been signed once."
ISSUED_ONCE = "This agreement was already issued; it has been issued once."


@bp.app_context_processor
def _navigation() -> dict:
    """The header links to the groups only where the council's policy has them."""
    return {
        "has_group_agreements": lambda: (
            current_user.is_authenticated and queries.council_has_group_agreements(current_user)
        )
    }


@bp.route("/group-agreements")
@rule(group_agreement_council)
def index():
    on = today()
    groups = queries.groups_for(current_user)
    return render_template(
        "group_agreements/index.html",
        rows=[(g, standing(g, on), your_part(g, current_user.staff_id)) for g in groups],
        may_draw_up=queries.may_draw_up(current_user),
        title=_wording().title,
    )


@bp.route("/group-agreements/new", methods=["GET", "POST"])
@rule(group_drafter)
def new():
    form = group_agreement_form(_wording())()
    _fill_choices(form)
    if request.method == "GET":
        me = db_session().get(StaffMember, current_user.staff_id)
        form.team_id.data = str(me.team_id) if me.team_id else ""
    if form.validate_on_submit():
        done = _issue(form, group=None, latest=None)
        if done is not None:
            return done
    return _form_page(form, group=None, latest=None)


@bp.route("/group-agreements/<int:group_id>/new-version", methods=["GET", "POST"])
@rule(group_supervisor)
def new_version(group_id: int):
    """A review, a change of members or an amendment: a new version that
    everyone named signs again (Appendix A: "This document should be reviewed
    at least annually, but can be revised sooner")."""
    group = group_supervisor.loaded()
    latest = group.versions[-1] if group.versions else None
    if group.ended_on is not None or latest is None:
        flash(f"This group ended on {long_date(group.ended_on)}; draw up a new group instead.")
        return redirect(url_for("group_agreements.view", group_id=group.id))
    form = group_agreement_form(_wording(), new_version=True)()
    _fill_choices(form, also_ids=[s.staff_id for s in latest.signatories])
    if request.method == "GET":
        _prefill(form, group, latest)
    elif form.based_on.data and form.based_on.data != str(latest.version):
        flash(ISSUED_ONCE)  # the same form sent twice, or from an old tab
        return redirect(url_for("group_agreements.view", group_id=group.id))
    if form.validate_on_submit():
        done = _issue(form, group=group, latest=latest)
        if done is not None:
            return done
    return _form_page(form, group=group, latest=latest)


@bp.route("/group-agreements/<int:group_id>")
@rule(group_viewer)
def view(group_id: int):
    """The latest version, or with ?version=N that version as it was issued."""
    return _show(group_viewer.loaded(), asked=request.args.get("version", ""))


@bp.route("/group-agreements/<int:group_id>/sign", methods=["POST"])
@rule(group_signer)
def sign(group_id: int):
    group = group_signer.loaded()
    latest = group.versions[-1]
    back = redirect(url_for("group_agreements.view", group_id=group.id))
    if group.ended_on is not None:
        flash(f"This group ended on {long_date(group.ended_on)}; its agreement is closed.")
        return back
    if latest.signatory(current_user.staff_id).signed_on is not None:
        flash(SIGNED_ONCE)
        return back
    form = signing_form(_wording())()
    if not form.validate_on_submit():
        return _show(group, sign_form=form)
    done = perform(
        sign_group_agreement,
        agreement_id=latest.id,
        signer_staff_id=current_user.staff_id,
        on=today(),
        actor_user_id=current_user.user_id,
    )
    if done.flashed(again=SIGNED_ONCE):
        return back
    then = (
        "Everyone named has now signed, so it is in force."
        if done.result.in_force
        else "It comes into force once everyone named has signed."
    )
    flash(f"You signed the group supervision agreement for {group.name}. {then}", "success")
    return back


@bp.route("/group-agreements/<int:group_id>/end", methods=["POST"])
@rule(group_supervisor)
def end(group_id: int):
    group = group_supervisor.loaded()
    back = redirect(url_for("group_agreements.view", group_id=group.id))
    if group.ended_on is not None:
        flash(f"This group ended on {long_date(group.ended_on)}.")
        return back
    form = EndForm()
    if not form.validate_on_submit():
        return _show(group, end_form=form)
    done = perform(
        end_supervision_group,
        group_id=group.id,
        organisation_id=current_user.organisation_id,
        by_staff_id=current_user.staff_id,
        reason=form.reason.data,
        on=today(),
        actor_user_id=current_user.user_id,
    )
    if not done.flashed():
        flash(
            f"You ended {group.name}. Nobody is asked to sign or review its agreement any more.",
            "success",
        )
    return back


def _wording():
    """The council's group agreement (the rules let only its councils here)."""
    return queries.council_group_agreement(current_user)


def _fill_choices(form, also_ids=()) -> None:
    people = person_choices(queries.people_to_name(current_user, also_ids))
    form.coordinator_id.choices = people
    form.supervisee_ids.choices = people[1:]  # no "Choose a person" checkbox
    teams = queries.teams_of_council(current_user)
    form.team_id.choices = [("", "Choose a team or unit")] + [(str(t.id), t.name) for t in teams]


def _prefill(form, group: SupervisionGroup, latest) -> None:
    """Start the new version from the latest one; people who can no longer be
    named (they have left) are left out, so the supervisor sees who is named."""
    named = {value for value, _ in form.supervisee_ids.choices}
    form.based_on.data = str(latest.version)
    form.name.data = group.name
    form.team_id.data = str(group.team_id) if group.team_id else ""
    form.venue.data = latest.venue
    for signatory in latest.signatories:
        if signatory.party == GroupParty.COORDINATOR and str(signatory.staff_id) in named:
            form.coordinator_id.data = str(signatory.staff_id)
    form.supervisee_ids.data = [
        str(s.staff_id)
        for s in latest.signatories
        if s.party == GroupParty.SUPERVISEE and str(s.staff_id) in named
    ]
    form.frequency_weeks.data = str(latest.frequency_weeks)
    for answer in form.document.answers:
        getattr(form, answer.key).data = (latest.content or {}).get(answer.key, "")


def _issue(form, *, group: SupervisionGroup | None, latest):
    """Sign and issue; a redirect once done, or None with the refusal on the form."""
    draft = form.draft()
    done = perform(
        issue_group_agreement,
        organisation_id=current_user.organisation_id,
        supervisor_staff_id=current_user.staff_id,
        draft=draft,
        on=today(),
        group_id=group.id if group else None,
        amendment_reason=form.amendment_reason.data if group is not None else None,
        replaces_version=latest.version if latest else None,
        actor_user_id=current_user.user_id,
    )
    refusal = done.refusal
    if isinstance(refusal, AlreadyIssued):
        if (group is not None and refusal.group_id == group.id) or _just_issued(
            refusal.group_id, draft
        ):
            flash(ISSUED_ONCE)
            return redirect(url_for("group_agreements.view", group_id=refusal.group_id))
        done.shown_on(form.name)
        return None
    if isinstance(refusal, DraftRefused) and getattr(form, refusal.part, None) is not None:
        done.shown_on(getattr(form, refusal.part))
        return None
    if done.failed:
        form.form_errors.append(done.error)
        return None
    flash(_issued_message(draft, group, latest), "success")
    return redirect(url_for("group_agreements.view", group_id=done.result.group_id))


def _issued_message(draft: GroupAgreementDraft, group: SupervisionGroup | None, latest) -> str:
    if group is None:
        return (
            f"You signed and issued the group supervision agreement for {draft.name}. It is now "
            "in the inboxes of the team coordinator and each supervisee to sign; it is in force "
            "once they all have."
        )
    in_force = version_in_force(group)
    stays = f" Version {in_force.version} stays in force until they have." if in_force else ""
    return (
        f"You signed and issued version {latest.version + 1} of the group supervision "
        f"agreement for {draft.name}. Everyone named is asked to sign it again.{stays}"
    )


def _just_issued(group_id: int, draft: GroupAgreementDraft) -> bool:
    """Whether the group with this name is this very draft, issued today: the
    same form sent twice rather than a second group with the same name."""
    group = db_session().get(SupervisionGroup, group_id)
    if group is None or not group.versions:
        return False
    latest = group.versions[-1]
    named = {(s.staff_id, s.party) for s in latest.signatories if s.party != GroupParty.SUPERVISOR}
    wanted = {(draft.coordinator_id, GroupParty.COORDINATOR)} | {
        (staff_id, GroupParty.SUPERVISEE) for staff_id in draft.supervisee_ids
    }
    return latest.issued_on == today() and named == wanted


def _form_page(form, *, group: SupervisionGroup | None, latest):
    task = queries.open_task_about(current_user, group, "group_agreement_review") if group else None
    return render_template(
        "group_agreements/form.html",
        form=form,
        group=group,
        latest=latest,
        in_force=version_in_force(group) if group else None,
        supervisor=db_session().get(StaffMember, current_user.staff_id),
        summary=error_summary(form),
        task=task,
        document=form.document,
    )


def _show(group: SupervisionGroup, *, asked: str = "", sign_form=None, end_form=None):
    """The group's page (with a sign or end form's errors), audited."""
    if not group.versions:
        abort(404)
    latest = group.versions[-1]
    shown = latest
    if asked:
        shown = next((v for v in group.versions if str(v.version) == asked), None)
        if shown is None:
            abort(404)
    mine = latest.signatory(current_user.staff_id)
    acting = not current_user.read_only and group.ended_on is None
    may_sign = (
        acting
        and shown is latest
        and latest.status == GroupAgreementStatus.AWAITING_SIGNATURES
        and mine is not None
        and mine.party != GroupParty.SUPERVISOR
        and mine.signed_on is None
    )
    is_supervisor = acting and group.supervisor_id == current_user.staff_id
    document = _wording()
    sign_form = sign_form or (signing_form(document)() if may_sign else None)
    end_form = end_form or (EndForm() if is_supervisor else None)
    page = render_template(
        "group_agreements/view.html",
        group=group,
        agreement=shown,
        latest=latest,
        versions=list(reversed(group.versions)),
        standing=standing(group, today()),
        may_sign=may_sign,
        is_supervisor=is_supervisor,
        sign_form=sign_form,
        end_form=end_form,
        summary=error_summary(sign_form, end_form),
        task=queries.open_task_about(current_user, group, "group_agreement_sign"),
        document=document,
    )
    record_read(
        "group_supervision_agreement",
        shown.id,
        subject_staff_id=group.supervisor_id,
        detail=f"Viewed version {shown.version} of {group.name} at {request.path}",
        # Everyone named on it is told who opened it (Wokingham: the supervisee
        # should be made aware when others access their record).
        also_about=[s.staff_id for s in shown.signatories],
    )
    return page
