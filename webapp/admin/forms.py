"""The admin pages' forms. People are named by employee number (a council of
thousands does not pick from a list); children by case ID and case type only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from models import Employment
from models.tables.cases import CaseType
from models.tables.supervision import RelationshipReason
from webapp.fields import PlainDateField, case_id_field
from webapp.lists import ROLE_LABELS

EMPLOYMENT_LABELS = {e.value: e.value.replace("_", " ").capitalize() for e in Employment}
REASON_LABELS = {
    RelationshipReason.NEW_STARTER.value: "New starter",
    RelationshipReason.CHANGE_OF_POST.value: "Change of post",
    RelationshipReason.CHANGE_OF_SUPERVISOR.value: "Change of supervisor",
}
CASE_TYPE_LABELS = {t.value: t.value.replace("_", " ").capitalize() for t in CaseType}
IMPORT_KINDS = {"staff": "Staff", "relationships": "Supervisors", "cases": "Case allocations"}


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms wants its choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def _choices(labels: dict[str, str]) -> list[SelectChoice]:
    return choices(labels.items())


def _date(label: str, required: bool = True) -> PlainDateField:
    return PlainDateField(
        label,
        description="For example, 27 3 2026",
        invalid_message=f"{label} must be a real date, for example 27 3 2026",
        validators=[InputRequired(message=f"Enter the {label.lower()}")]
        if required
        else [Optional()],
    )


def _employee_number(label: str, required: bool = True) -> StringField:
    return StringField(
        label,
        description="Their employee number from the HR system.",
        widget=GovTextInput(),
        validators=[InputRequired(message=f"Enter the {label.lower()}'s employee number")]
        if required
        else [Optional()],
    )


class StaffForm(FlaskForm):
    staff_number = StringField(
        "Employee number",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the employee number"), Length(max=40)],
    )
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter their full name"), Length(max=200)],
    )
    email = StringField(
        "Work email address",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter their work email address"), Length(max=254)],
    )
    job_title = StringField("Job title", widget=GovTextInput(), validators=[Length(max=200)])
    role = SelectField("Role", choices=_choices(ROLE_LABELS), widget=GovSelect())
    employment = SelectField("Employment", choices=_choices(EMPLOYMENT_LABELS), widget=GovSelect())
    started_on = _date("Start date")
    asye = RadioField(
        "Are they in their ASYE year?",
        choices=_choices({"no": "No", "yes": "Yes"}),
        default="no",
        widget=GovRadioInput(),
    )
    asye_started_on = _date("ASYE start date", required=False)
    probation_ends_on = _date("Probation end date", required=False)
    team = SelectField("Team", widget=GovSelect(), validators=[InputRequired("Select a team")])
    line_manager = _employee_number("Line manager", required=False)
    submit = SubmitField("Continue", widget=GovSubmitInput())


class LeavingForm(FlaskForm):
    left_on = _date("Last day of employment")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class SupervisorForm(FlaskForm):
    supervisor = _employee_number("Supervisor")
    reason = RadioField(
        "Why is the supervisor being named?",
        choices=_choices(REASON_LABELS),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select why the supervisor is being named")],
    )
    started_on = _date("Date the supervision starts")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class EndRelationshipForm(FlaskForm):
    ended_on = _date("Date the supervision ends")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class AllocateForm(FlaskForm):
    case_ref = case_id_field()
    case_type = RadioField(
        "Type of case",
        description="Only needed for a case not yet allocated here.",
        choices=_choices(CASE_TYPE_LABELS),
        widget=GovRadioInput(),
        validators=[Optional()],
    )
    worker = _employee_number("Worker")
    allocated_on = _date("Date allocated")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class CloseCaseForm(FlaskForm):
    closed_on = _date("Date the case closed")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ImportForm(FlaskForm):
    kind = RadioField(
        "What does the file hold?",
        choices=_choices(IMPORT_KINDS),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select what the file holds")],
    )
    mapping = SelectField("Which system's layout is it in?", widget=GovSelect())
    file = FileField(
        "Upload the file (CSV or XLSX)",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select the file to import")],
    )
    partial = BooleanField("If some rows are wrong, import the others", widget=GovCheckboxInput())
    submit = SubmitField("Preview the import", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField("Import", widget=GovSubmitInput())


class AbsenceForm(FlaskForm):
    starts_on = _date("First day of the absence")
    ends_on = _date("Last day of the absence", required=False)
    reason = StringField(
        "Reason",
        description="For example, sick leave or annual leave. No health details.",
        widget=GovTextInput(),
        validators=[Length(max=120)],
    )
    cover = _employee_number("Who covers their supervision", required=False)
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ShortenAbsenceForm(FlaskForm):
    absence = RadioField(
        "Which absence?",
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the absence to end or shorten")],
    )
    ends_on = _date("New last day of the absence")
    submit = SubmitField("Continue", widget=GovSubmitInput())


APP_ROLE_LABELS = {
    "supervisee": "Supervisee",
    "supervisor": "Supervisor",
    "line_manager": "Line manager",
    "head_of_service": "Head of service",
    "principal_social_worker": "Principal social worker",
    "workforce_team": "Workforce team",
}


class LoginForm(FlaskForm):
    username = StringField(
        "Username",
        description="What they type to sign in; their work email address is usual.",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter a username"), Length(max=120)],
    )
    roles = SelectMultipleField(
        "What may they do?",
        choices=_choices(APP_ROLE_LABELS),
        widget=GovCheckboxesInput(),
        validators=[InputRequired(message="Select at least one role")],
    )
    active = RadioField(
        "May they sign in?",
        choices=_choices({"yes": "Yes", "no": "No, stop this login"}),
        default="yes",
        widget=GovRadioInput(),
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class AreaForm(FlaskForm):
    name = StringField(
        "Name of the service area",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the name"), Length(max=200)],
    )
    head = _employee_number("Head of service", required=False)
    submit = SubmitField("Continue", widget=GovSubmitInput())


class TeamForm(FlaskForm):
    name = StringField(
        "Name of the team",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the name"), Length(max=200)],
    )
    area = SelectField("Service area", widget=GovSelect(), validators=[InputRequired()])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class CloseTeamForm(FlaskForm):
    closed_on = _date("Date the team closes")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class CloseAreaForm(FlaskForm):
    closed_on = _date("Date the service area closes")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "Choose a password",
        description="At least 12 characters. Three random words make a good one.",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter a password")],
    )
    submit = SubmitField("Set my password", widget=GovSubmitInput())
