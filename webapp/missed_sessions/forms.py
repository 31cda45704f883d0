"""One step of the missed-session chain: which session, when, and a note."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import HiddenField, SubmitField
from wtforms.validators import InputRequired

from models.actions.missed_sessions import NOTE_LIMIT
from webapp.fields import optional_note, required_date

DATE_MESSAGE = "Enter the date, for example 27 3 2026"


class MissedStepForm(FlaskForm):
    due = HiddenField(validators=[InputRequired(message="Choose which session this is about")])
    done_on = required_date("When?", DATE_MESSAGE)
    note = optional_note("What was said (optional)", NOTE_LIMIT)
    submit = SubmitField("Record it", widget=GovSubmitInput())
