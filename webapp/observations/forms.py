"""The observation forms: planning, each part, signing. Their questions and
wording are the council's (policy/profiles/<council>/observation_form.yaml),
so each form class is built from the council's form, once per form."""

from __future__ import annotations

from functools import cache

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import BooleanField, RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from policy.forms.observation_form import Form, Part
from webapp.fields import PlainDateField

MAX_ANSWER = 5000
DATE_MESSAGE = "Enter the date of the observation, for example 27 3 2026"
SIGN_MESSAGE = "Confirm this is an accurate record of the observation"
PLAN = "Plan the observation"


@cache
def plan_form(form: Form, asks_with_family: bool) -> type[FlaskForm]:
    """The date of the observation and, for practice where the task leaves it
    open, whether it is with children, young people and families."""
    fields = {
        "observed_on": PlainDateField(
            "Date of observation",
            description="For example, 27 3 2026",
            invalid_message=DATE_MESSAGE,
            validators=[InputRequired(message=DATE_MESSAGE)],
        )
    }
    if asks_with_family and form.with_family is not None:
        fields["with_family"] = RadioField(
            form.with_family.question,
            choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
            widget=GovRadioInput(),
            validators=[InputRequired(message=form.with_family.message)],
        )
    fields["submit"] = SubmitField(PLAN, widget=GovSubmitInput())
    return type("PlanForm", (FlaskForm,), fields)


@cache
def part_form(part: Part, with_family: bool) -> type[FlaskForm]:
    """A form class for one part, its questions in the page's order."""
    fields = {}
    for q in part.questions:
        fields[q.key] = TextAreaField(
            q.label,
            description=q.hint,
            widget=GovTextArea(),
            validators=[
                InputRequired(message=q.message),
                Length(max=MAX_ANSWER, message=f"Answers must be {MAX_ANSWER} characters or fewer"),
            ],
        )
    if part.family_consent is not None and with_family:
        fields["family_consent"] = BooleanField(
            part.family_consent.label,
            widget=GovCheckboxInput(),
            validators=[InputRequired(message=part.family_consent.message)],
        )
    fields["submit"] = SubmitField("Save this part", widget=GovSubmitInput())
    return type("PartForm", (FlaskForm,), fields)


class SignForm(FlaskForm):
    declaration = BooleanField(
        "I have read this observation and it is an accurate record",
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=SIGN_MESSAGE)],
    )
    submit = SubmitField("Sign the observation", widget=GovSubmitInput())
