"""Audits of supervision records: a supervisor's audits, the checklist their
manager completes (the council's questions, policy/profiles/<council>/
record_audit.yaml), and one audit's page, where the supervisor confirms it
was discussed with them. Every view of an audit is audited."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import Organisation, StaffMember
from models.actions.record_audits import checklist_of, confirm_audit_discussed, record_audit
from policy.forms.record_audit import RecordAuditForm
from policy.keys import staff_fact_id
from webapp.access import rule
from webapp.audit import record_read
from webapp.database import db_session
from webapp.perform import perform_as_user
from webapp.record_audits import forms, queries
from webapp.record_audits.access import record_audit_page, supervisor_record_audits

bp = Blueprint("record_audits", __name__, template_folder="templates")


def _checklist() -> RecordAuditForm | None:
    """The signed-in person's council's checklist; None where its policy asks
    for no audit of supervision records (the pages say so, and offer no form)."""
    return checklist_of(db_session().get(Organisation, current_user.organisation_id).profile)


@bp.route("/staff/<int:staff_id>/record-audits", methods=["GET", "POST"])
@rule(supervisor_record_audits)
def audits(staff_id: int):
    """A supervisor's audits; their manager records a new one on the checklist."""
    supervisor = supervisor_record_audits.loaded()
    checklist = _checklist()
    may_audit = (
        checklist is not None
        and not current_user.read_only
        and (request.method == "POST" or queries.supervisor_to_audit(current_user, staff_id))
    )
    form = forms.checklist_form(checklist)() if checklist else forms.DiscussedForm()
    if may_audit and form.validate_on_submit():
        done = perform_as_user(
            record_audit,
            supervisor_id=supervisor.id,
            auditor_staff_id=current_user.staff_id,
            audited_on=form.audited_on.data,
            answers=forms.answers_from(checklist, form),
            findings=form.findings.data,
        )
        if not done.shown_on(form.audited_on):
            flash(
                f"You recorded an audit of the supervision records kept by {supervisor.name}.",
                "success",
            )
            return redirect(url_for("record_audits.view", audit_id=done.result.audit_id))
    questions = checklist.questions if checklist else ()
    record_read(
        "supervision_record_audit",
        staff_fact_id(staff_id),
        subject_staff_id=staff_id,
        detail="Viewed audits of supervision records",
    )
    return render_template(
        "record_audits/audits.html",
        supervisor=supervisor,
        audits=queries.audits_of(staff_id),
        checklist=checklist,
        form=form,
        questions=[forms.question_field(n) for n in range(1, len(questions) + 1)],
        may_audit=may_audit,
        mine=current_user.staff_id == staff_id,
    )


@bp.route("/record-audits/<int:audit_id>", methods=["GET", "POST"])
@rule(record_audit_page)
def view(audit_id: int):
    """One audit: its answers and findings; the audited supervisor confirms
    it was discussed with them (where the council asks)."""
    audit = record_audit_page.loaded()
    checklist = _checklist()
    form = forms.DiscussedForm()
    if request.method == "POST" and form.validate_on_submit():
        done = perform_as_user(
            confirm_audit_discussed,
            audit_id=audit.id,
            supervisor_staff_id=current_user.staff_id,
            discussed_on=form.discussed_on.data,
            note=form.note.data,
        )
        if not done.shown_on(form.discussed_on):
            flash("You confirmed the audit was discussed with you.", "success")
            return redirect(url_for("record_audits.audits", staff_id=audit.supervisor_id))
    record_read(
        "supervision_record_audit",
        audit.id,
        subject_staff_id=audit.supervisor_id,
        detail="Viewed an audit of supervision records",
    )
    session = db_session()
    answer_label = {a.value: a.label for a in checklist.answers} if checklist else {}
    return render_template(
        "record_audits/view.html",
        audit=audit,
        supervisor=session.get(StaffMember, audit.supervisor_id),
        auditor=session.get(StaffMember, audit.auditor_id),
        rows=[
            (n, q, answer_label.get(audit.answers.get(q.id), "Not answered"))
            for n, q in enumerate(checklist.questions if checklist else (), 1)
        ],
        checklist=checklist,
        form=form,
        may_confirm=(
            not current_user.read_only
            and current_user.staff_id == audit.supervisor_id
            and audit.discussed_on is None
        ),
    )
