"""One step of the missed-session chain: which session, when, and a note."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput, GovTextArea
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from models.actions.missed_sessions import NOTE_LIMIT
from webapp.fields import PlainDateField

DATE_MESSAGE = "Enter the date, for example 27 3 2026"


class MissedStepForm(FlaskForm):
    due = HiddenField(validators=[InputRequired(message="Choose which session this is about")])
    done_on = PlainDateField(
        "When?",
        format="%d %m %Y",
        widget=GovDateInput(),
        description="For example, 27 3 2026",
        invalid_message=DATE_MESSAGE,
        validators=[InputRequired(message=DATE_MESSAGE)],
    )
    note = TextAreaField(
        "What was said (optional)",
        widget=GovTextArea(),
        validators=[Length(max=NOTE_LIMIT, message=f"Use {NOTE_LIMIT} characters or fewer")],
    )
    submit = SubmitField("Record it", widget=GovSubmitInput())
