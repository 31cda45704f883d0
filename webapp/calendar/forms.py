"""The calendar page's two buttons."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField


class CreateForm(FlaskForm):
    submit = SubmitField("Create a calendar link", widget=GovSubmitInput())


class RevokeForm(FlaskForm):
    submit = SubmitField("Stop the link working", widget=GovSubmitInput())
