"""Recording management oversight: when it went on the child's record, and what it said."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from models.actions.case_oversight import SUMMARY_LIMIT
from webapp.fields import PlainDateField

DATE_MESSAGE = "Enter the date it went on the child's record, for example 27 3 2026"
SUMMARY_MESSAGE = "Enter the oversight recorded on the child's record"


class CaseOversightForm(FlaskForm):
    recorded_on = PlainDateField(
        "When did it go on the child's record?",
        format="%d %m %Y",
        widget=GovDateInput(),
        description="For example, 27 3 2026",
        invalid_message=DATE_MESSAGE,
        validators=[InputRequired(message=DATE_MESSAGE)],
    )
    summary = TextAreaField(
        "Management oversight",
        description="Your view of the case and the rationale for any decision. Refer to "
        "children by case ID only.",
        widget=GovTextArea(),
        validators=[
            InputRequired(message=SUMMARY_MESSAGE),
            Length(max=SUMMARY_LIMIT, message=f"Use {SUMMARY_LIMIT} characters or fewer"),
        ],
    )
    submit = SubmitField("Record the oversight", widget=GovSubmitInput())
