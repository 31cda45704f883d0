"""A case's category, where the council's document sets its discussion by it
(Nottingham §1.6: a settled child in care or a child in need stepping down is
discussed at least bi-monthly; safeguarding concerns, plans to drive and
complex care proceedings monthly). The form offers only the categories the
council's rules name; it is for the worker's supervisor or line manager."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from models import Organisation
from models.actions.case_category import CATEGORY_LABELS, categories_of, set_case_category
from policy import load_profile
from webapp.access import rule
from webapp.cases.access import case_overseer
from webapp.cases.routes import bp
from webapp.database import db_session
from webapp.dates import today
from webapp.perform import perform

NONE = "none"
LABELS = {**CATEGORY_LABELS, NONE: "None of these"}


class CategoryForm(FlaskForm):
    category = RadioField(
        "What does this case need?",
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select what this case needs, or none of these")],
    )
    submit = SubmitField("Save the category", widget=GovSubmitInput())


@bp.route("/cases/<case_ref>/category", methods=["GET", "POST"])
@rule(case_overseer)
def category(case_ref: str):
    allocation = case_overseer.loaded()
    back = url_for("cases.view", case_ref=allocation.case_ref)
    profile = load_profile(db_session().get(Organisation, current_user.organisation_id).profile)
    offered = categories_of(profile)
    if allocation.ended_on is not None or not offered:
        flash(
            f"Case {allocation.case_ref} is closed."
            if allocation.ended_on is not None
            else "Your council's policy does not set case discussion by category."
        )
        return redirect(back)
    form = CategoryForm()
    form.category.choices = [(c, LABELS[c]) for c in (*offered, NONE)]
    if request.method == "GET":
        form.category.data = allocation.category or NONE
    problem = None
    if form.validate_on_submit():
        chosen = None if form.category.data == NONE else form.category.data
        done = perform(
            set_case_category,
            case_ref=allocation.case_ref,
            category=chosen,
            on=today(),
            by_staff_id=current_user.staff_id,
            actor_user_id=current_user.user_id,
        )
        problem = done.error
        if not done.failed:
            flash(f"Case {allocation.case_ref}: {LABELS[form.category.data]}.", "success")
            return redirect(back)
    return render_template(
        "cases/simple_form.html",
        form=form,
        allocation=allocation,
        title=f"What case {allocation.case_ref} needs",
        intro="Your council's policy sets how often a case is discussed by what it needs, "
        "as well as by its type (Nottingham §1.6).",
        action=url_for("cases.category", case_ref=allocation.case_ref),
        problem=problem,
    )
