"""A head of service's quarterly sample: from the sampling task, draw (or
open) the sample for each service area they head; read each record (every
read is audited) and record a finding; when every record has one, the sample
is complete and the quarter's sampling is met."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import (
    Organisation,
    ServiceArea,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)
from models.actions.sample_population import AGREEMENT, NO_AGREEMENT, SESSION
from models.actions.sampling import (
    complete_empty_sample,
    draw_for_head_of_service,
    quarter_of,
    record_finding,
    sample_title,
    samples_due_for,
)
from policy import load_profile
from policy.forms.record_form import record_form
from webapp.access import rule
from webapp.audit import record_read
from webapp.database import db_session
from webapp.dates import today
from webapp.perform import perform
from webapp.sampling import forms
from webapp.sampling.access import sample_reader, sample_reviewer, sampling_task_assignee
from webapp.sampling.queries import sample_for_reviewer

bp = Blueprint("sampling", __name__, template_folder="templates")


@bp.context_processor
def _wording() -> dict:
    # Pages name the months the records come from, never "2026-Q4".
    return {"sample_title": sample_title}


OBJECT_LABELS = {
    SESSION: "Supervision record",
    AGREEMENT: "Supervision agreement",
    NO_AGREEMENT: "Agreement in place?",
}


@bp.route("/tasks/<int:task_id>/sampling", methods=["GET", "POST"])
@rule(sampling_task_assignee)
def task(task_id: int):
    human_task = sampling_task_assignee.loaded()
    quarter = quarter_of(human_task.due_on)
    form = forms.DrawForm()
    if form.validate_on_submit():
        done = perform(
            draw_for_head_of_service,
            head_of_service_id=current_user.staff_id,
            quarter=quarter,
            drawn_on=today(),
        )
        if not done.flashed() and done.result:
            flash(f"The {_lower(sample_title(quarter))} is ready to read.", "success")
        return redirect(url_for("sampling.task", task_id=task_id))
    areas = samples_due_for(db_session(), current_user.staff_id, quarter)
    return render_template(
        "sampling/task.html", task=human_task, quarter=quarter, areas=areas, form=form
    )


@bp.route("/samples/<int:sample_id>")
@rule(sample_reader)
def view(sample_id: int):
    sample = sample_reader.loaded()
    area = db_session().get(ServiceArea, sample.service_area_id)
    return render_template(
        "sampling/sample.html",
        sample=sample,
        area=area,
        labels=OBJECT_LABELS,
        describe=_describe,
        empty_form=forms.ConfirmEmptyForm(),
        may_review=_may_review(sample),
    )


@bp.route("/samples/<int:sample_id>/complete", methods=["POST"])
@rule(sample_reviewer)
def complete_empty(sample_id: int):
    sample = sample_reviewer.loaded()
    if forms.ConfirmEmptyForm().validate_on_submit():
        done = perform(
            complete_empty_sample,
            sample_id=sample.id,
            reviewer_staff_id=current_user.staff_id,
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if not done.flashed():
            flash(f"The {_lower(sample_title(sample.quarter))} is complete.", "success")
    return redirect(url_for("sampling.view", sample_id=sample.id))


@bp.route("/samples/<int:sample_id>/items/<int:item_id>", methods=["GET", "POST"])
@rule(sample_reader)
def item(sample_id: int, item_id: int):
    """A sampled record and its finding. Reading it is audited; the rule lets
    only the sample's reviewers post a finding."""
    sample = sample_reader.loaded()
    entry = next((i for i in sample.items if i.id == item_id), None)
    if entry is None:
        abort(404)
    form = forms.FindingForm()
    if request.method == "GET" and entry.reviewed_on is not None:
        form.meets_standard.data = "yes" if entry.meets_standard else "no"
        form.finding.data = entry.finding
    if sample.completed_on is None and form.validate_on_submit():
        done = perform(
            record_finding,
            sample_id=sample.id,
            item_id=entry.id,
            reviewer_staff_id=current_user.staff_id,
            meets_standard=form.meets_standard.data == "yes",
            finding=form.finding.data,
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if not done.flashed():
            flash(
                f"Finding saved. The {_lower(sample_title(sample.quarter))} is complete."
                if done.result.sample_complete
                else "Finding saved.",
                "success",
            )
            return redirect(url_for("sampling.view", sample_id=sample.id))
    elif request.method == "POST" and sample.completed_on is not None:
        flash("This sample is complete; its findings can no longer change.")
        return redirect(url_for("sampling.view", sample_id=sample.id))
    record = _record(entry)
    if record["subject_staff_id"] is not None:
        record_read(
            entry.object_type,
            entry.object_id,
            subject_staff_id=record["subject_staff_id"],
            detail=f"Read for the quarterly sample (sample item {entry.id}) at {request.path}",
        )
    return render_template(
        "sampling/item.html",
        sample=sample,
        entry=entry,
        form=form,
        labels=OBJECT_LABELS,
        may_review=_may_review(sample),
        agenda=_agenda(record["relationship"]) if record["session"] else None,
        **record,
    )


def _agenda(rel):
    """The council's record form for this supervisee, so the sampled record is
    read section by section under the titles its writer saw."""
    profile = load_profile(db_session().get(Organisation, rel.supervisee.organisation_id).profile)
    return record_form(profile).agenda_for(rel.supervisee.role.value)


def _lower(title: str) -> str:
    return title[:1].lower() + title[1:]


def _may_review(sample) -> bool:
    return not current_user.read_only and sample_for_reviewer(current_user, sample.id) is not None


def _describe(entry) -> str:
    record = _record(entry)
    rel = record["relationship"]
    if rel is None:
        return "Deleted under the retention rule"
    who = f"{rel.supervisor.name} and {rel.supervisee.name}"
    if entry.object_type == SESSION and record["session"] is not None:
        held = record["session"].held_on
        return f"{who}, held {held.day} {held:%B %Y}"
    if entry.object_type == AGREEMENT and record["agreement"] is not None:
        return f"{who}, version {record['agreement'].version}"
    return who


def _record(entry) -> dict:
    """The sampled record, or Nones if it has since been deleted."""
    db = db_session()
    session = agreement = rel = None
    if entry.object_type == SESSION:
        session = db.get(SupervisionSession, entry.object_id)
        rel = db.get(SupervisionRelationship, session.relationship_id) if session else None
    elif entry.object_type == AGREEMENT:
        agreement = db.get(SupervisionAgreement, entry.object_id)
        rel = db.get(SupervisionRelationship, agreement.relationship_id) if agreement else None
    elif entry.object_type == NO_AGREEMENT:
        rel = db.get(SupervisionRelationship, entry.object_id)
    return {
        "session": session,
        "agreement": agreement,
        "relationship": rel,
        "subject_staff_id": rel.supervisee_id if rel else None,
    }
