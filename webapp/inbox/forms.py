"""Forms on human tasks: delegate or reassign with a reason, and the one-button
forms (claim, release, acknowledge) that carry only the CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from models.actions.inbox import MAX_REASON

PERSON_MESSAGE = "Choose who to give the task to"
REASON_MESSAGE = "Enter why you are giving the task to someone else"


def person_choices(people, exclude_ids=()) -> list[tuple[str, str]]:
    """A select's choices: a blank prompt, then each person with their job title."""
    choices = [("", "Choose a person")]
    for person in people:
        if person.id in exclude_ids:
            continue
        label = f"{person.name}, {person.job_title}" if person.job_title else person.name
        choices.append((str(person.id), label))
    return choices


class ButtonForm(FlaskForm):
    """A form that is only a button (and its CSRF token)."""


class ReassignForm(FlaskForm):
    to_staff = SelectField(
        "Who should do it instead?",
        widget=GovSelect(),
        validators=[InputRequired(message=PERSON_MESSAGE)],
        validate_choice=False,  # checked against the list in validate_to_staff
    )
    reason = TextAreaField(
        "Why are you giving it to them?",
        description="They will see this reason with the task, and it is kept in the audit log.",
        widget=GovTextArea(),
        validators=[
            InputRequired(message=REASON_MESSAGE),
            Length(max=MAX_REASON, message=f"The reason must be {MAX_REASON} characters or fewer"),
        ],
    )
    submit = SubmitField("Reassign", widget=GovSubmitInput())

    def validate_to_staff(self, field) -> None:
        from wtforms.validators import ValidationError

        allowed = {value for value, _ in self.to_staff.choices if value}
        if field.data not in allowed:
            raise ValidationError(PERSON_MESSAGE)

    def target_id(self) -> int:
        return int(self.to_staff.data)
