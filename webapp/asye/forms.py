"""Recording an ASYE review: which review, when it took place, what it concluded."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from models.actions.asye import OUTCOME_LIMIT
from webapp.fields import PlainDateField

STAGE_MESSAGE = "Select which review took place"
DATE_MESSAGE = "Enter the date of the review, for example 27 3 2026"
OUTCOME_MESSAGE = "Enter what the review concluded"
STAGE_LABELS = {
    3: "3-month review",
    6: "6-month review (interim review)",
    12: "12-month review (final assessment)",
}


class AsyeReviewForm(FlaskForm):
    stage = RadioField(
        "Which review took place?",
        choices=[SelectChoice(str(stage), label) for stage, label in STAGE_LABELS.items()],
        widget=GovRadioInput(),
        validators=[InputRequired(message=STAGE_MESSAGE)],
    )
    reviewed_on = PlainDateField(
        "Date of the review",
        format="%d %m %Y",
        widget=GovDateInput(),
        description="For example, 27 3 2026",
        invalid_message=DATE_MESSAGE,
        validators=[InputRequired(message=DATE_MESSAGE)],
    )
    outcome = TextAreaField(
        "What the review concluded",
        description="Progress against the Professional Capabilities Framework and the "
        "Knowledge and Skills Statement, and what happens next",
        widget=GovTextArea(),
        validators=[
            InputRequired(message=OUTCOME_MESSAGE),
            Length(max=OUTCOME_LIMIT, message=f"Use {OUTCOME_LIMIT} characters or fewer"),
        ],
    )
    submit = SubmitField("Record the review", widget=GovSubmitInput())
