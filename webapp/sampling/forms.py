"""The finding on one sampled record: does it meet the standard, and what was found."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

MEETS_MESSAGE = "Select yes if the record meets the standard"
FINDING_MESSAGE = "Enter your finding"
MAX_FINDING = 5000


class FindingForm(FlaskForm):
    meets_standard = RadioField(
        "Does this record meet the standard?",
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        widget=GovRadioInput(),
        validators=[InputRequired(message=MEETS_MESSAGE)],
    )
    finding = TextAreaField(
        "Your finding",
        description="What you found, and anything the supervisor should do. Refer to children "
        "by case ID only.",
        widget=GovTextArea(),
        validators=[
            InputRequired(message=FINDING_MESSAGE),
            Length(max=MAX_FINDING, message=f"Enter {MAX_FINDING} characters or fewer"),
        ],
    )
    submit = SubmitField("Save the finding", widget=GovSubmitInput())


class DrawForm(FlaskForm):
    submit = SubmitField("Draw this quarter's sample", widget=GovSubmitInput())


class ConfirmEmptyForm(FlaskForm):
    submit = SubmitField("Confirm there was nothing to sample", widget=GovSubmitInput())
