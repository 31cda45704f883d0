"""Marking an action done: when, and what was done."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from models.actions.session_actions import NOTE_LIMIT
from webapp.fields import PlainDateField

DATE_MESSAGE = "Enter the date it was done, for example 27 3 2026"
NOTE_MESSAGE = "Enter what was done"


class ActionDoneForm(FlaskForm):
    done_on = PlainDateField(
        "When was it done?",
        format="%d %m %Y",
        widget=GovDateInput(),
        description="For example, 27 3 2026",
        invalid_message=DATE_MESSAGE,
        validators=[InputRequired(message=DATE_MESSAGE)],
    )
    note = TextAreaField(
        "What was done",
        widget=GovTextArea(),
        validators=[
            InputRequired(message=NOTE_MESSAGE),
            Length(max=NOTE_LIMIT, message=f"Use {NOTE_LIMIT} characters or fewer"),
        ],
    )
    submit = SubmitField("Mark it done", widget=GovSubmitInput())
