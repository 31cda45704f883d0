"""Recording management oversight: when it went on the child's record, and what it said."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from models.actions.case_oversight import SUMMARY_LIMIT
from webapp.fields import required_date, required_text

DATE_MESSAGE = "Enter the date it went on the child's record, for example 27 3 2026"
SUMMARY_MESSAGE = "Enter the oversight recorded on the child's record"


class CaseOversightForm(FlaskForm):
    recorded_on = required_date("When did it go on the child's record?", DATE_MESSAGE)
    summary = required_text(
        "Management oversight",
        SUMMARY_MESSAGE,
        SUMMARY_LIMIT,
        description="Your view of the case and the rationale for any decision. Refer to "
        "children by case ID only.",
    )
    submit = SubmitField("Record the oversight", widget=GovSubmitInput())
