"""Recording a Social Work England registration check or a DBS re-check."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from webapp.fields import PlainDateField

KIND_MESSAGE = "Select which check you made"
DATE_MESSAGE = "Enter the date of the check, for example 27 3 2026"
SWE_MESSAGE = "Enter the Social Work England registration number, like SW123456"
DBS_MESSAGE = "Enter the 12-digit DBS certificate number"

# Social Work England numbers are "SW" and digits; DBS certificates are 12 digits.
SWE_NUMBER = re.compile(r"^SW\d{1,8}$")
DBS_NUMBER = re.compile(r"^\d{12}$")


def _reference_matches_kind(form, field) -> None:
    text = (field.data or "").strip().upper().replace(" ", "")
    if form.kind.data == "registration" and not SWE_NUMBER.match(text):
        raise ValidationError(SWE_MESSAGE)
    if form.kind.data == "dbs" and not DBS_NUMBER.match(text):
        raise ValidationError(DBS_MESSAGE)


class CheckForm(FlaskForm):
    kind = RadioField(
        "Which check did you make?",
        choices=[
            SelectChoice("registration", "Social Work England registration"),
            SelectChoice("dbs", "Disclosure and Barring Service (DBS) re-check"),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired(message=KIND_MESSAGE)],
    )
    checked_on = PlainDateField(
        "Date of the check",
        description="For example, 27 3 2026",
        invalid_message=DATE_MESSAGE,
        validators=[InputRequired(message=DATE_MESSAGE)],
    )
    reference = StringField(
        "Registration or certificate number",
        description="The Social Work England registration number (SW and digits) or the DBS "
        "certificate number (12 digits)",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the registration or certificate number"),
            Length(max=60),
            _reference_matches_kind,
        ],
    )
    renewed_for_next_year = BooleanField(
        "They have renewed their registration for the coming year",
        description="Only for a Social Work England check made between 1 September and "
        "30 November, the yearly renewal window",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Record the check", widget=GovSubmitInput())

    def cleaned_reference(self) -> str:
        return (self.reference.data or "").strip().upper().replace(" ", "")
