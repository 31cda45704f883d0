"""Form fields and small forms every area shares: the one GOV.UK date field,
the person select's choices, the one-button form and the hand-it-on form.

A date (day, month, year boxes) with a plain-English message when what was
typed is not a date; what was typed is shown back::

    from webapp.fields import PlainDateField

    class CheckForm(FlaskForm):
        checked_on = PlainDateField(
            "Date of the check",
            description="For example, 27 3 2026",
            invalid_message="Enter the date of the check, for example 27 3 2026",
            validators=[InputRequired(message="Enter the date of the check")],
        )

Blank boxes are no date (`data` is None), for `Optional()` or
`InputRequired()` to judge. A person select::

    form.to_staff.choices = person_choices(people, exclude_ids={current_user.staff_id})

A button that only carries the CSRF token: `ButtonForm().validate_on_submit()`."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSelect, GovSubmitInput, GovTextArea
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from models.actions.inbox import MAX_REASON

DATE_FORMAT = "%d %m %Y"


class PlainDateField(DateField):
    """A GOV.UK date input (day, month, year) with our own message, not
    WTForms' "Not a valid date value", when what was typed is not a date."""

    def __init__(self, *args, invalid_message: str, **kwargs):
        kwargs.setdefault("format", DATE_FORMAT)
        kwargs.setdefault("widget", GovDateInput())
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        # The widget reads day, month and year back from raw_data: always three.
        if self.raw_data is not None and len(self.raw_data) != 3:
            self.raw_data = [*self.raw_data, "", "", ""][:3] if self.raw_data else None
        if not valuelist or not any(v.strip() for v in valuelist):
            self.data = None
            return
        try:
            super().process_formdata([" ".join(v.strip() for v in valuelist)])
        except ValueError:
            self.data = None
            raise ValueError(self.invalid_message) from None


def person_choices(people: Iterable, exclude_ids=()) -> list[tuple[str, str]]:
    """A select's choices: a blank prompt, then each person with their job title."""
    choices = [("", "Choose a person")]
    for person in people:
        if person.id in exclude_ids:
            continue
        label = f"{person.name}, {person.job_title}" if person.job_title else person.name
        choices.append((str(person.id), label))
    return choices


def chosen_name(field: SelectField) -> str:
    """The name of the person chosen in a `person_choices` select (without
    their job title), for the confirmation message."""
    return dict(field.choices)[field.data].split(",")[0]


class ButtonForm(FlaskForm):
    """A form that is only a button (and its CSRF token)."""


PERSON_MESSAGE = "Choose who to give the task to"
REASON_MESSAGE = "Enter why you are giving the task to someone else"


class ReassignForm(FlaskForm):
    """Give human tasks to a colleague, with the reason they will see (the
    inbox's delegation and the team page's bulk reassignment)."""

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
        allowed = {value for value, _ in self.to_staff.choices if value}
        if field.data not in allowed:
            raise ValidationError(PERSON_MESSAGE)

    def target_id(self) -> int:
        return int(self.to_staff.data)
