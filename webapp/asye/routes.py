"""ASYE reviews. The seeds name the ASYE year and its supervision but not its
reviews; each profile with an ASYE provision follows the Skills for Care ASYE
framework: reviews at 3 months, 6 months (interim) and 12 months (final
assessment) (policy/rules/asye.py)."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from models import AsyeReview
from models.actions.asye import ASYE_REVIEW_STAGES, record_asye_review
from policy.keys import staff_fact_id
from webapp import queries
from webapp.access import rule
from webapp.asye.access import staff_asye_reviews
from webapp.asye.forms import STAGE_LABELS, AsyeReviewForm
from webapp.audit import record_read
from webapp.database import db_session
from webapp.dates import today
from webapp.perform import perform

bp = Blueprint("asye", __name__, template_folder="templates")


@bp.route("/staff/<int:staff_id>/asye-reviews", methods=["GET", "POST"])
@rule(staff_asye_reviews)
def reviews(staff_id: int):
    """Anyone whose scope covers the person reads their ASYE reviews; their
    supervisor (or the colleague covering for them) records one."""
    person = staff_asye_reviews.loaded()
    # Posting, the rule loaded the person as their supervisor's (or cover's).
    may_record = not current_user.read_only and (
        request.method == "POST"
        or queries.supervisee_of(current_user, staff_id, today()) is not None
    )
    form = AsyeReviewForm()
    if may_record and form.validate_on_submit():
        stage = int(form.stage.data)
        done = perform(
            record_asye_review,
            staff_id=person.id,
            recorder_staff_id=current_user.staff_id,
            stage=stage,
            reviewed_on=form.reviewed_on.data,
            outcome=form.outcome.data,
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if not done.shown_on(form.stage):
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
    record_read(
        "asye_review",
        staff_fact_id(staff_id),
        subject_staff_id=staff_id,
        detail="Viewed ASYE reviews",
    )
    return render_template(
        "asye/reviews.html",
        form=form,
        staff_id=staff_id,
        name=person.name,
        asye=person.asye,
        recorded=recorded,
        due=due,
        labels=STAGE_LABELS,
        may_record=may_record and person.asye,
    )
