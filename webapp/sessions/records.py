"""A supervision record once written: either party, and anyone whose scope
covers the supervisee, reads it; the supervisee countersigns it; the
supervisor (or the colleague covering for them) amends it as a new version.
Every read is audited (webapp/audit.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from models import CaseSupervision, Organisation, RecordStatus, SignatoryParty, StaffMember
from models.actions.records import amend_record, countersign_record, previous_actions
from policy import load_profile
from policy.forms.record_form import record_form
from policy.schedule import is_short_session, minimum_session_minutes
from webapp.access import rule
from webapp.audit import record_read
from webapp.database import db_session
from webapp.dates import today
from webapp.perform import perform
from webapp.sessions import queries as session_queries
from webapp.sessions.access import session_supervisee, session_supervisor, session_viewer
from webapp.sessions.blueprint import bp
from webapp.sessions.forms import AmendForm, CountersignForm
from webapp.sessions.record_page import DOUBLE_SUBMIT_MESSAGE, KIND_LABELS


@bp.route("/sessions/<int:session_id>")
@rule(session_viewer)
def view(session_id: int):
    row = session_viewer.loaded()
    context = _view_context(row)
    _audit_read(row, f"Viewed version {row.record_version} at {request.path}")
    return render_template("sessions/view.html", **context)


@bp.route("/sessions/<int:session_id>/countersign", methods=["GET", "POST"])
@rule(session_supervisee)
def countersign(session_id: int):
    row = session_supervisee.loaded()
    if row.record_status != RecordStatus.AWAITING_COUNTERSIGNATURE:
        if request.method == "POST":
            flash(
                DOUBLE_SUBMIT_MESSAGE
                if row.record_status == RecordStatus.SIGNED
                else "There is no record waiting for your countersignature."
            )
        return redirect(url_for("sessions.view", session_id=row.id))
    form = CountersignForm()
    if form.validate_on_submit():
        done = perform(
            countersign_record,
            double_submit=DOUBLE_SUBMIT_MESSAGE,
            session_id=row.id,
            signer_staff_id=current_user.staff_id,
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if not done.flashed():
            flash(
                "You countersigned your supervision record. Both of you have now signed it.",
                "success",
            )
        return redirect(url_for("sessions.view", session_id=row.id))
    context = _view_context(row)
    _audit_read(row, f"Opened version {row.record_version} to countersign it")
    return render_template("sessions/countersign.html", form=form, **context)


@bp.route("/sessions/<int:session_id>/amend", methods=["GET", "POST"])
@rule(session_supervisor)
def amend(session_id: int):
    row = session_supervisor.loaded()
    if row.record_status not in (RecordStatus.AWAITING_COUNTERSIGNATURE, RecordStatus.SIGNED):
        return redirect(url_for("sessions.edit", session_id=row.id))
    form = AmendForm()
    if form.validate_on_submit():
        done = perform(
            amend_record,
            session_id=row.id,
            by_staff_id=current_user.staff_id,
            reason=form.reason.data,
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if done.flashed():
            return redirect(url_for("sessions.view", session_id=row.id))
        flash(
            "You started a new version of the record. The signed version is kept. Change it "
            "and sign it; it will go back to the supervisee to countersign.",
            "success",
        )
        return redirect(url_for("sessions.edit", session_id=row.id))
    return render_template(
        "sessions/amend.html",
        form=form,
        session=row,
        relationship=row.supervision_relationship,
    )


def _view_context(row) -> dict:
    rel = row.supervision_relationship
    profile = load_profile(db_session().get(Organisation, current_user.organisation_id).profile)
    directions = db_session().scalars(
        select(CaseSupervision)
        .where(CaseSupervision.session_id == row.id)
        .order_by(CaseSupervision.id)
    )
    reviewed = [
        a for a in previous_actions(db_session(), rel.id, row) if a.reviewed_in_session_id == row.id
    ]
    return {
        "session": row,
        "relationship": rel,
        "agenda": record_form(profile).agenda_for(rel.supervisee.role.value),
        "kind_label": KIND_LABELS[row.kind],
        "staff": _people_named(row, rel),
        "directions": list(directions),
        "reviewed": reviewed,
        "supervisor_signature": row.signature_by(SignatoryParty.SUPERVISOR),
        "supervisee_signature": row.signature_by(SignatoryParty.SUPERVISEE),
        "signatures_of": lambda version: (
            row.signature_by(SignatoryParty.SUPERVISOR, version),
            row.signature_by(SignatoryParty.SUPERVISEE, version),
        ),
        "is_supervisor": rel.supervisor_id == current_user.staff_id,
        "is_supervisee": rel.supervisee_id == current_user.staff_id,
        # The supervisor, or the colleague covering for them: records and amends.
        "may_record": session_queries.relationship_as_recorder(current_user, rel.id) is not None,
        "covering_for": (row.record or {}).get("covering_for"),
        "short_session": short_session_note(profile, row, rel.supervisee.asye),
    }


def short_session_note(profile, row, asye: bool) -> str:
    """Why the session is flagged as short, in the council's words, or ""."""
    if not is_short_session(profile, row.duration_minutes, asye=asye):
        return ""
    sessions = record_form(profile).sessions
    least = minimum_session_minutes(profile, asye=asye)
    return (
        f"Shorter than the {least} minutes your council's policy sets for a session "
        f"({sessions.minimum_source})"
    )


def _people_named(row, rel) -> dict[int, StaffMember]:
    """The parties, the actions' owners, the signatories and who recorded it."""
    ids = [
        rel.supervisor_id,
        rel.supervisee_id,
        *(a.owner_id for a in row.actions if a.owner_id),
        *(s.staff_id for s in row.signatures),
        (row.record or {}).get("recorded_by") or rel.supervisor_id,
    ]
    people = db_session().scalars(select(StaffMember).where(StaffMember.id.in_(ids)))
    return {person.id: person for person in people}


def _audit_read(row, detail: str) -> None:
    record_read(
        "supervision_session",
        row.id,
        subject_staff_id=row.supervision_relationship.supervisee_id,
        detail=detail,
    )
