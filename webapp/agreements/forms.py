"""The supervisor's agreement form and the supervisee's countersignature."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from webapp.agreements.fields import (
    DECLARATION,
    FIELDS,
    FREQUENCY_MAX_WEEKS,
    FREQUENCY_MIN_WEEKS,
)

FREQUENCY_MESSAGE = (
    f"Enter how often supervision will happen, in weeks, as a number from "
    f"{FREQUENCY_MIN_WEEKS} to {FREQUENCY_MAX_WEEKS}"
)
DECLARATION_MESSAGE = (
    "Confirm that you have discussed the key functions and principles of supervision"
)
MAX_ANSWER = 5000


def _frequency_in_range(form, field) -> None:
    """A whole number of weeks in range. A StringField, so a wrong answer is shown
    back exactly as typed."""
    text = (field.data or "").strip()
    if not text.isdigit() or not FREQUENCY_MIN_WEEKS <= int(text) <= FREQUENCY_MAX_WEEKS:
        raise ValidationError(FREQUENCY_MESSAGE)


class _AgreementFormBase(FlaskForm):
    def frequency(self) -> int:
        return int(self.frequency_weeks.data.strip())

    def content(self) -> dict[str, str]:
        return {f.key: (getattr(self, f.key).data or "").strip() for f in FIELDS}


def _answer_field(spec):
    validators = [
        Length(max=MAX_ANSWER, message=f"{spec.label} must be {MAX_ANSWER} characters or fewer")
    ]
    validators.insert(
        0, InputRequired(message=spec.required_message) if spec.required_message else Optional()
    )
    if spec.multiline:
        return TextAreaField(
            spec.label, description=spec.hint, widget=GovTextArea(), validators=validators
        )
    return StringField(
        spec.label, description=spec.hint, widget=GovTextInput(), validators=validators
    )


def _build_agreement_form() -> type[FlaskForm]:
    """Fields in the page's order, so the error summary lists errors in that order."""
    fields = {
        "frequency_weeks": StringField(
            "Frequency of supervision, in weeks",
            description="Set out the frequency in weeks for supervision. For example, 4 means "
            "every 4 weeks.",
            widget=GovTextInput(),
            validators=[InputRequired(message=FREQUENCY_MESSAGE), _frequency_in_range],
        )
    }
    for spec in FIELDS:
        fields[spec.key] = _answer_field(spec)
    fields["declaration"] = BooleanField(
        DECLARATION,
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=DECLARATION_MESSAGE)],
    )
    fields["submit"] = SubmitField("Sign the agreement", widget=GovSubmitInput())
    return type("AgreementForm", (_AgreementFormBase,), fields)


AgreementForm = _build_agreement_form()


class CountersignForm(FlaskForm):
    declaration = BooleanField(
        DECLARATION,
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=DECLARATION_MESSAGE)],
    )
    submit = SubmitField("Countersign the agreement", widget=GovSubmitInput())
