"""The case export's date range and layout (sent by GET, a download link
anyone may bookmark, so no CSRF token), and the person file's reason."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput
from wtforms import RadioField, SelectField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from webapp.fields import PlainDateField

REASONS = [
    ("subject access request", "A subject access request"),
    ("move to another council", "A move to another council"),
]
# More than a year of entries is not one upload.
MOST_DAYS = 366


class CaseExportForm(FlaskForm):
    class Meta:
        csrf = False

    starts_on = PlainDateField(
        "From",
        description="The first day of supervision to include, for example 1 11 2026",
        invalid_message="Enter the first day as a real date, for example 1 11 2026",
        validators=[InputRequired(message="Enter the first day to include")],
    )
    ends_on = PlainDateField(
        "To",
        description="The last day to include, for example 30 11 2026",
        invalid_message="Enter the last day as a real date, for example 30 11 2026",
        validators=[InputRequired(message="Enter the last day to include")],
    )
    mapping = SelectField(
        "Case system layout",
        widget=GovSelect(),
        validators=[InputRequired(message="Choose the case system's layout")],
    )
    submit = SubmitField("Download the CSV file", widget=GovSubmitInput())

    def validate_ends_on(self, field):
        first = self.starts_on.data
        if first and field.data and field.data < first:
            raise ValidationError("The last day must be on or after the first day")
        if first and field.data and (field.data - first).days >= MOST_DAYS:
            raise ValidationError("Export at most a year at a time")


class PersonFileForm(FlaskForm):
    reason = RadioField(
        "Why is the file being exported?",
        choices=REASONS,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose why the file is being exported")],
    )
    submit = SubmitField("Download the supervision file", widget=GovSubmitInput())
