"""The manager's bulk reassignment and the cover form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from models.actions.inbox import MAX_REASON
from webapp.fields import PlainDateField, ReassignForm


class BulkReassignForm(ReassignForm):
    """ReassignForm's person and reason, for the tasks ticked in the table
    (the checkboxes are named task_id and read from the request)."""

    submit = SubmitField("Reassign the selected tasks", widget=GovSubmitInput())


class CoverForm(FlaskForm):
    cover_staff = SelectField(
        "Who will cover?",
        description="They will get the open supervision tasks while the supervisor is away.",
        widget=GovSelect(),
        validators=[InputRequired(message="Choose who will cover")],
        validate_choice=False,
    )
    starts_on = PlainDateField(
        "First day away",
        description="For example, 27 3 2026",
        invalid_message="Enter the first day away as a real date, for example 27 3 2026",
        validators=[InputRequired(message="Enter the first day away")],
    )
    ends_on = PlainDateField(
        "Last day away",
        description="For example, 17 4 2026. Tasks go back to the supervisor the day after.",
        invalid_message="Enter the last day away as a real date, for example 17 4 2026",
        validators=[InputRequired(message="Enter the last day away")],
    )
    reason = TextAreaField(
        "Reason (optional)",
        description="For example, annual leave. Do not give medical details.",
        widget=GovTextArea(),
        validators=[
            Optional(),
            Length(max=MAX_REASON, message=f"The reason must be {MAX_REASON} characters or fewer"),
        ],
    )
    submit = SubmitField("Arrange cover", widget=GovSubmitInput())

    def validate_cover_staff(self, field) -> None:
        allowed = {value for value, _ in self.cover_staff.choices if value}
        if field.data not in allowed:
            raise ValidationError("Choose who will cover")

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The last day away must be on or after the first day away")
