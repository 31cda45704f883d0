"""Form fields and small forms every area shares: the one GOV.UK date field
(and a required date), required and optional free text, a child's case ID,
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

import math
from collections.abc import Iterable

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from models.actions.inbox import MAX_REASON
from models.tables.cases import CaseIdError, check_case_id

DATE_FORMAT = "%d %m %Y"
# The years a date typed into a form may fall in.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


DATE_PARTS = ("day", "month", "year")


class PlainDateField(DateField):
    """A GOV.UK date input (day, month, year) whose errors follow the GOV.UK
    date-input pattern, not WTForms' "Not a valid date value": some boxes
    left blank, "Date of the check must include a month and year"; a date
    that cannot be (31 2 2026, month 13, letters, year 1), "Date of the check
    must be a real date".

    What the date is (`subject`) comes from the field's `invalid_message`
    ("Enter the date of the check, for example ..." -> "Date of the check"),
    so every form words its dates one way; otherwise from its label."""

    def __init__(self, *args, invalid_message: str, **kwargs):
        kwargs.setdefault("format", DATE_FORMAT)
        kwargs.setdefault("widget", GovDateInput())
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    @property
    def subject(self) -> str:
        return date_subject(self.invalid_message, self.label.text)

    def validate(self, form, extra_validators=()) -> bool:
        # Something was typed but it is no date: say that alone. (InputRequired
        # would look at the day box only and call a blank day no date at all.)
        if self.process_errors:
            self.errors = list(self.process_errors)
            return False
        return super().validate(form, extra_validators)

    def process_formdata(self, valuelist):
        # The widget reads day, month and year back from raw_data: always three.
        if self.raw_data is not None and len(self.raw_data) != 3:
            self.raw_data = [*self.raw_data, "", "", ""][:3] if self.raw_data else None
        if not valuelist or not any(v.strip() for v in valuelist):
            self.data = None
            return
        missing = [part for part, v in zip(DATE_PARTS, valuelist, strict=False) if not v.strip()]
        if len(valuelist) == len(DATE_PARTS) and missing:
            self.data = None
            raise ValueError(f"{self.subject} must include a {' and '.join(missing)}")
        try:
            super().process_formdata([" ".join(v.strip() for v in valuelist)])
        except ValueError:
            self.data = None
            raise ValueError(f"{self.subject} must be a real date") from None
        if self.data is not None and not EARLIEST_YEAR <= self.data.year <= LATEST_YEAR:
            # Year 1 or 9999 is a typing slip, and date arithmetic at the
            # calendar's edges overflows: refused here, as no real date.
            self.data = None
            raise ValueError(f"{self.subject} must be a real date")


def date_subject(invalid_message: str, label: str) -> str:
    """What a date field's messages call it: "Enter the date of the check,
    for example 27 3 2026" -> "Date of the check"; "Enter the first day away
    as a real date" -> "First day away"; anything else, the label."""
    text = invalid_message.split(", for example")[0].strip().removesuffix(" as a real date")
    if not text.startswith("Enter the ") or len(text) <= len("Enter the "):
        return label
    words = text.removeprefix("Enter the ")
    return words[0].upper() + words[1:]


DATE_EXAMPLE = "For example, 27 3 2026"


def required_date(label: str, message: str) -> PlainDateField:
    """A date the form cannot do without, with the example under its label:
    `message` ("Enter the date of the audit, for example 27 3 2026") when it
    is left blank, and the words of its other problems come from it."""
    return PlainDateField(
        label,
        description=DATE_EXAMPLE,
        invalid_message=message,
        validators=[InputRequired(message=message)],
    )


def required_text(label: str, message: str, limit: int, description: str = "") -> TextAreaField:
    """Free text the form cannot do without (`message` when it is blank), of
    `limit` characters at most."""
    return TextAreaField(
        label,
        description=description,
        widget=GovTextArea(),
        validators=[
            InputRequired(message=message),
            Length(max=limit, message=f"Use {limit} characters or fewer"),
        ],
    )


def optional_note(label: str, limit: int) -> TextAreaField:
    """Free text that may be left blank, of `limit` characters at most."""
    return TextAreaField(
        label,
        widget=GovTextArea(),
        validators=[Length(max=limit, message=f"Use {limit} characters or fewer")],
    )


def _case_id(form, field) -> None:
    try:
        check_case_id(field.data or "")
    except CaseIdError as error:
        raise ValidationError(str(error)) from None


def case_id_field() -> StringField:
    """A child's case ID as the case system writes it (never a name), checked
    by `check_case_id`."""
    return StringField(
        "Case ID",
        description="The ID from the case system, for example LCS-123456. Never a child's name.",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the case ID"), Length(max=40), _case_id],
    )


def whole_number(text: str | None, least: int, most: int) -> int | None:
    """The whole number typed, if it is one made of the digits 0 to 9 and is
    from `least` to `most`; otherwise None. ("²" passes str.isdigit() but is
    not a number int() reads; a 5,000-digit number fits no column.)"""
    value = (text or "").strip()
    if not value or len(value) > 12 or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if least <= number <= most else None


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


# The largest whole number a database integer column holds.
MAX_INTEGER = 2_147_483_647
MAX_JSON_DEPTH = 32
# Values kept as text, never read as numbers, where a long run of digits is
# legitimate (a password, a DBS certificate number, an employee number, a
# note): the number checks pass them by; the null character check does not.
FREE_TEXT_VALUES = frozenset(
    {
        "password",
        "token",
        "csrf_token",
        "next",
        "reference",
        "staff_number",
        "username",
        "email",
        "name",
        "job_title",
        "note",
        "description",
        "reason",
        "decision",
        "rationale",
        "next_steps",
    }
)
FREE_TEXT_PREFIXES = ("s_", "q_")  # a record's sections and questions


def unusable_value(name: str, value: str, *, numbers_only: bool = False) -> str | None:
    """Why a value sent in a form or a URL can be used by no field, or None:
    a null character (no database column stores one), digits such as "²"
    that look like a number but are not one, or a whole number too large
    for any column. Checked for every request before any view sees it."""
    label = name.replace("-", " ").replace("_", " ").strip() or "a field"
    if "\x00" in value and not numbers_only:
        return (
            f"“{label}” contains a null character, which cannot be stored. "
            "Remove it and send the form again"
        )
    field = name.rsplit("-", 1)[-1]  # "cases-0-decision": the entry's own field
    if field in FREE_TEXT_VALUES or field.startswith(FREE_TEXT_PREFIXES):
        return None
    text = value.strip()
    if text.isdigit() and not text.isascii():
        return f"Enter “{label}” using the digits 0 to 9"
    if text.isascii() and text.isdigit() and (len(text) > 12 or int(text) > MAX_INTEGER):
        return f"The number in “{label}” is too large"
    return None


def unusable_values(pairs, *, numbers_only: bool = False) -> list[dict]:
    """The problems of a request's values as a GOV.UK error summary's list
    (`numbers_only`: only the numbers, for a page's query string)."""
    problems = []
    for name, value in pairs:
        problem = (
            unusable_value(str(name), value, numbers_only=numbers_only)
            if isinstance(value, str)
            else None
        )
        if problem is not None:
            problems.append({"text": problem, "href": f"#{name}"})
    return problems


def unusable_json(document) -> list[dict]:
    """The same checks through a JSON body (its keys and strings), walked
    without recursion; a body nested deeper than MAX_JSON_DEPTH is refused."""
    problems: list[dict] = []
    stack = [("body", document, 0)]
    while stack:
        name, value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return [{"text": "The JSON body is nested too deeply", "href": "#body"}]
        if isinstance(value, dict):
            stack.extend((str(k), v, depth + 1) for k, v in value.items())
            problems += unusable_values((k, k) for k in value if isinstance(k, str))
        elif isinstance(value, list):
            stack.extend((name, v, depth + 1) for v in value)
        elif isinstance(value, str):
            problems += unusable_values([(name, value)])
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
            problems.append({"text": f"The number in “{name}” is too large", "href": f"#{name}"})
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append({"text": f"“{name}” must be a finite number", "href": f"#{name}"})
    return problems


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
