"""Lancashire's Group Supervision Agreement (seed 000, Appendix A): the
groups a person may see, drawing one up, a new version, reading and signing
it, and ending the group.

State changes go through models.actions.group_agreements, which records the signature,
completes the human task, reconciles the group and writes the outbox and
audit rows in one transaction. A version is never edited once issued: the
supervisor issues a new one that everyone signs again. Every view is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import (
    GroupAgreementStatus,
    GroupParty,
    GroupSupervisionAgreement,
    StaffMember,
    SupervisionGroup,
)
from models.actions.errors import ActionError, AlreadySigned
from models.actions.group_agreements import (
    AlreadyIssued,
    GroupAgreementDraft,
    end_supervision_group,
    issue_group_agreement,
    sign_group_agreement,
)
from webapp.access import (
    group_agreement_council,
    group_drafter,
    group_signer,
    group_supervisor,
    group_viewer,
    rule,
)
from webapp.audit import record_read
from webapp.database import db_session, end_read, session_factory
from webapp.dates import long_date, today
from webapp.group_agreements import queries
from webapp.group_agreements.forms import (
    ANSWERS,
    PREAMBLE,
    REVIEW_NOTE,
    SOURCE,
    STATEMENT,
    TITLE,
    EndForm,
    GroupAgreementForm,
    NewGroupForm,
    NewVersionForm,
    SignForm,
)
from webapp.inbox.forms import person_choices

bp = Blueprint("group_agreements", __name__, template_folder="templates")

SIGNED_ONCE = "You had already signed this group agreement; it has been signed once."
ISSUED_ONCE = "This agreement was already issued; it has been issued once."
# Which field an action's refusal is about, by the words it uses; the first match wins.
ERROR_FIELDS = (
    ("name for the group", "name"),
    ("frequency", "frequency_weeks"),
    ("Say why", "amendment_reason"),
    ("team or unit", "team_id"),
    ("coordinator", "coordinator_id"),
    ("supervisee", "supervisee_ids"),
)


@bp.app_context_processor
def _navigation() -> dict:
    """The header links to the groups only where the council's policy has them."""
    return {
        "has_group_agreements": lambda: (
            current_user.is_authenticated and queries.council_has_group_agreements(current_user)
        )
    }


@dataclass(frozen=True)
class Standing:
    tag: str
    colour: str  # a govuk-tag modifier
    detail: str


def standing(group: SupervisionGroup, on: date) -> Standing:
    """Where a group's agreement stands, for the list and the page."""
    latest = group.versions[-1] if group.versions else None
    if group.ended_on is not None:
        return Standing("Ended", "grey", f"Ended on {long_date(group.ended_on)}.")
    if latest is None:
        return Standing("Not issued", "grey", "No agreement has been issued yet.")
    if latest.status == GroupAgreementStatus.AWAITING_SIGNATURES:
        waiting = len(latest.outstanding)
        detail = f"Version {latest.version} issued on {long_date(latest.issued_on)}."
        in_force = _in_force(group)
        if in_force is not None:
            detail += f" Version {in_force.version} stays in force until everyone has signed it."
        return Standing(
            f"Waiting for {waiting} signature{'' if waiting == 1 else 's'}", "yellow", detail
        )
    review = latest.review_due_on
    if review is not None and review < on:
        return Standing("Review overdue", "red", f"Its review was due on {long_date(review)}.")
    if review is not None:
        return Standing("In force", "green", f"In force until its review on {long_date(review)}.")
    return Standing("In force", "green", f"In force since {long_date(latest.in_force_on)}.")


def _in_force(group: SupervisionGroup) -> GroupSupervisionAgreement | None:
    return next(
        (v for v in reversed(group.versions) if v.status == GroupAgreementStatus.IN_FORCE), None
    )


def your_part(group: SupervisionGroup, staff_id: int) -> str:
    """What the latest version asks of this person, for the list."""
    if group.supervisor_id == staff_id:
        return "You are the supervisor"
    latest = group.versions[-1] if group.versions else None
    signatory = latest.signatory(staff_id) if latest else None
    if signatory is None:
        return ""
    if signatory.signed_on is not None:
        return f"You signed on {long_date(signatory.signed_on)}"
    return "You have not signed yet" if group.ended_on is None else ""


@bp.route("/group-agreements")
@rule(group_agreement_council)
def index():
    on = today()
    groups = queries.groups_for(current_user)
    return render_template(
        "group_agreements/index.html",
        rows=[(g, standing(g, on), your_part(g, current_user.staff_id)) for g in groups],
        may_draw_up=queries.may_draw_up(current_user),
        title=TITLE,
    )


@bp.route("/group-agreements/new", methods=["GET", "POST"])
@rule(group_drafter)
def new():
    form = NewGroupForm()
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
    group = queries.group_as_supervisor(current_user, group_id)
    latest = group.versions[-1] if group.versions else None
    if group.ended_on is not None or latest is None:
        flash(f"This group ended on {long_date(group.ended_on)}; draw up a new group instead.")
        return redirect(url_for("group_agreements.view", group_id=group.id))
    form = NewVersionForm()
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
    group = queries.group_for_viewer(current_user, group_id)
    return _show(group, asked=request.args.get("version", ""))


@bp.route("/group-agreements/<int:group_id>/sign", methods=["POST"])
@rule(group_signer)
def sign(group_id: int):
    group = queries.group_for_signer(current_user, group_id)
    latest = group.versions[-1]
    if group.ended_on is not None:
        flash(f"This group ended on {long_date(group.ended_on)}; its agreement is closed.")
        return redirect(url_for("group_agreements.view", group_id=group.id))
    if latest.signatory(current_user.staff_id).signed_on is not None:
        flash(SIGNED_ONCE)
        return redirect(url_for("group_agreements.view", group_id=group.id))
    form = SignForm()
    if not form.validate_on_submit():
        return _show(group, sign_form=form)
    end_read()
    try:
        result = sign_group_agreement(
            agreement_id=latest.id,
            signer_staff_id=current_user.staff_id,
            on=today(),
            actor_user_id=current_user.user_id,
            session_factory=session_factory(),
        )
    except AlreadySigned:
        flash(SIGNED_ONCE)
        return redirect(url_for("group_agreements.view", group_id=group.id))
    except ActionError as error:
        flash(str(error))
        return redirect(url_for("group_agreements.view", group_id=group.id))
    if result.in_force:
        flash(
            f"You signed the group supervision agreement for {group.name}. Everyone named has "
            "now signed, so it is in force.",
            "success",
        )
    else:
        flash(
            f"You signed the group supervision agreement for {group.name}. It comes into force "
            "once everyone named has signed.",
            "success",
        )
    return redirect(url_for("group_agreements.view", group_id=group.id))


@bp.route("/group-agreements/<int:group_id>/end", methods=["POST"])
@rule(group_supervisor)
def end(group_id: int):
    group = queries.group_as_supervisor(current_user, group_id)
    if group.ended_on is not None:
        flash(f"This group ended on {long_date(group.ended_on)}.")
        return redirect(url_for("group_agreements.view", group_id=group.id))
    form = EndForm()
    if not form.validate_on_submit():
        return _show(group, end_form=form)
    end_read()
    try:
        end_supervision_group(
            group_id=group.id,
            organisation_id=current_user.organisation_id,
            by_staff_id=current_user.staff_id,
            reason=form.reason.data,
            on=today(),
            actor_user_id=current_user.user_id,
            session_factory=session_factory(),
        )
    except ActionError as error:
        flash(str(error))
        return redirect(url_for("group_agreements.view", group_id=group.id))
    flash(
        f"You ended {group.name}. Nobody is asked to sign or review its agreement any more.",
        "success",
    )
    return redirect(url_for("group_agreements.view", group_id=group.id))


def _fill_choices(form: GroupAgreementForm, also_ids=()) -> None:
    people = person_choices(queries.people_to_name(current_user, also_ids))
    form.coordinator_id.choices = people
    form.supervisee_ids.choices = people[1:]  # no "Choose a person" checkbox
    teams = queries.teams_of_council(current_user)
    form.team_id.choices = [("", "Choose a team or unit")] + [(str(t.id), t.name) for t in teams]


def _prefill(form: NewVersionForm, group: SupervisionGroup, latest) -> None:
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
    for answer in ANSWERS:
        getattr(form, answer.key).data = (latest.content or {}).get(answer.key, "")


def _issue(form: GroupAgreementForm, *, group: SupervisionGroup | None, latest):
    """Sign and issue; a redirect once done, or None with the refusal on the form."""
    draft = form.draft()
    reason = form.amendment_reason.data if group is not None else None
    end_read()
    try:
        result = issue_group_agreement(
            organisation_id=current_user.organisation_id,
            supervisor_staff_id=current_user.staff_id,
            draft=draft,
            on=today(),
            group_id=group.id if group else None,
            amendment_reason=reason,
            replaces_version=latest.version if latest else None,
            actor_user_id=current_user.user_id,
            session_factory=session_factory(),
        )
    except AlreadyIssued as error:
        if (group is not None and error.group_id == group.id) or _just_issued(
            error.group_id, draft
        ):
            flash(ISSUED_ONCE)
            return redirect(url_for("group_agreements.view", group_id=error.group_id))
        form.name.errors = [*form.name.errors, str(error)]
        return None
    except ActionError as error:
        _attach(form, str(error))
        return None
    if group is None:
        flash(
            f"You signed and issued the group supervision agreement for {draft.name}. It is now "
            "in the inboxes of the team coordinator and each supervisee to sign; it is in force "
            "once they all have.",
            "success",
        )
    else:
        in_force = _in_force(group)
        stays = (
            f" Version {in_force.version} stays in force until they have."
            if in_force is not None
            else ""
        )
        flash(
            f"You signed and issued version {latest.version + 1} of the group supervision "
            f"agreement for {draft.name}. Everyone named is asked to sign it again.{stays}",
            "success",
        )
    return redirect(url_for("group_agreements.view", group_id=result.group_id))


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


def _attach(form: GroupAgreementForm, message: str) -> None:
    """Show an action's refusal on the field it is about, else above the form."""
    for words, name in ERROR_FIELDS:
        field = getattr(form, name, None)
        if words.lower() in message.lower() and field is not None:
            field.errors = [*field.errors, message]
            return
    form.form_errors.append(message)


def error_summary(*forms) -> dict | None:
    """The GOV.UK error summary's parameters: each problem, linked to its field."""
    items = []
    for form in forms:
        if form is None:
            continue
        items += [{"text": message} for message in form.form_errors]
        items += [{"text": f.errors[0], "href": f"#{f.id}"} for f in form if f.errors]
    return {"titleText": "There is a problem", "errorList": items} if items else None


def _form_page(form: GroupAgreementForm, *, group: SupervisionGroup | None, latest):
    task = queries.open_task_about(current_user, group, "group_agreement_review") if group else None
    return render_template(
        "group_agreements/form.html",
        form=form,
        group=group,
        latest=latest,
        in_force=_in_force(group) if group else None,
        supervisor=db_session().get(StaffMember, current_user.staff_id),
        summary=error_summary(form),
        task=task,
        **_document(),
    )


def _document() -> dict:
    """The form's own words, for the pages."""
    return {
        "title": TITLE,
        "source": SOURCE,
        "answers": ANSWERS,
        "preamble": PREAMBLE,
        "statement": STATEMENT,
        "review_note": REVIEW_NOTE,
    }


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
    me = current_user.staff_id
    mine = latest.signatory(me)
    acting = not current_user.read_only and group.ended_on is None
    may_sign = (
        acting
        and shown is latest
        and latest.status == GroupAgreementStatus.AWAITING_SIGNATURES
        and mine is not None
        and mine.party != GroupParty.SUPERVISOR
        and mine.signed_on is None
    )
    is_supervisor = acting and group.supervisor_id == me
    sign_form = sign_form or (SignForm() if may_sign else None)
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
        **_document(),
    )
    record_read(
        object_type="group_supervision_agreement",
        object_id=shown.id,
        subject_staff_id=group.supervisor_id,
        detail=f"Viewed version {shown.version} of {group.name} at {request.path}",
        # Everyone named on it is told who opened it (Wokingham: the supervisee
        # should be made aware when others access their record).
        also_about=[s.staff_id for s in shown.signatories],
    )
    return page
