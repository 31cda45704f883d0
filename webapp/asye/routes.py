"""ASYE reviews. The seeds name the ASYE year and its supervision but not its
reviews; each profile with an ASYE provision follows the Skills for Care ASYE
framework: reviews at 3 months, 6 months (interim) and 12 months (final
assessment) (policy/rules/asye.py)."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from models import AsyeReview, AuditEntry
from models.actions.asye import ASYE_REVIEW_STAGES, record_asye_review
from models.actions.errors import ActionError
from webapp import scope
from webapp.access import rule, staff_asye_reviews
from webapp.asye.forms import STAGE_LABELS, AsyeReviewForm
from webapp.checks.queries import supervisee_of
from webapp.database import db_session, end_read, session_factory
from webapp.dates import today

bp = Blueprint("asye", __name__, template_folder="templates")


@bp.route("/staff/<int:staff_id>/asye-reviews", methods=["GET", "POST"])
@rule(staff_asye_reviews)
def reviews(staff_id: int):
    """Anyone whose scope covers the person reads their ASYE reviews; their
    supervisor (or the colleague covering for them) records one."""
    recorder = None if current_user.read_only else supervisee_of(current_user, staff_id, today())
    person = recorder or scope.may_see_staff(current_user, staff_id)
    form = AsyeReviewForm()
    if recorder is not None and form.validate_on_submit():
        end_read()
        stage = int(form.stage.data)
        try:
            record_asye_review(
                staff_id=person.id,
                recorder_staff_id=current_user.staff_id,
                stage=stage,
                reviewed_on=form.reviewed_on.data,
                outcome=form.outcome.data,
                on=today(),
                actor_user_id=current_user.user_id,
                session_factory=session_factory(),
            )
        except ActionError as error:
            form.stage.errors.append(str(error))
        else:
            flash(f"You recorded the {STAGE_LABELS[stage]} for {person.name}.", "success")
            return redirect(url_for("asye.reviews", staff_id=person.id))
    recorded = {
        review.stage: (review.reviewed_on, review.outcome)
        for review in db_session().scalars(
            select(AsyeReview).where(AsyeReview.staff_id == person.id)
        )
    }
    started = person.started_on
    due = {stage: started + relativedelta(months=stage) for stage in ASYE_REVIEW_STAGES}
    name, asye = person.name, person.asye
    end_read()
    with session_factory().begin() as audit_session:
        audit_session.add(
            AuditEntry(
                actor_user_id=current_user.user_id,
                actor=f"staff-{current_user.staff_id}",
                action="read",
                object_type="asye_review",
                object_id=f"staff-{staff_id}",
                subject_staff_id=staff_id,
                detail="Viewed ASYE reviews",
            )
        )
    return render_template(
        "asye/reviews.html",
        form=form,
        staff_id=staff_id,
        name=name,
        asye=asye,
        recorded=recorded,
        due=due,
        labels=STAGE_LABELS,
        may_record=recorder is not None and asye,
    )
