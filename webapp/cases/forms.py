"""Case forms: allocate, reallocate, close, per-case frequency, a case
discussion (case direction), and "entered on the child's record on"."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from models.tables.cases import CaseType
from webapp.fields import PlainDateField, case_id_field

CASE_TYPE_LABELS = {
    CaseType.CHILD_PROTECTION: "Child protection",
    CaseType.CHILD_IN_NEED: "Child in need",
    CaseType.CHILD_IN_CARE: "Child in care",
    CaseType.EARLY_HELP: "Early help",
    CaseType.CARE_LEAVER: "Care leaver",
    CaseType.SUPERVISING_SOCIAL_WORKER: "Supervising social worker (foster carer)",
    CaseType.CHILDREN_WITH_DISABILITIES: "Children with disabilities",
}


class AllocateForm(FlaskForm):
    case_ref = case_id_field()
    case_type = RadioField(
        "Type of case",
        choices=[SelectChoice(t.value, label) for t, label in CASE_TYPE_LABELS.items()],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the type of case")],
    )
    worker = SelectField(
        "Allocated worker",
        widget=GovSelect(),
        validators=[InputRequired(message="Select the worker the case is allocated to")],
    )
    allocated_on = PlainDateField(
        "Date allocated",
        description="For example, 27 3 2026",
        invalid_message="Enter the date the case was allocated, for example 27 3 2026",
        validators=[InputRequired(message="Enter the date the case was allocated")],
    )
    submit = SubmitField("Allocate the case", widget=GovSubmitInput())


class ReallocateForm(FlaskForm):
    worker = SelectField(
        "New allocated worker",
        description="The first case supervision is due again from today (Wokingham standard "
        "21: this includes allocation to a new worker).",
        widget=GovSelect(),
        validators=[InputRequired(message="Select the worker to reallocate the case to")],
    )
    submit = SubmitField("Reallocate the case", widget=GovSubmitInput())


class CloseForm(FlaskForm):
    submit = SubmitField("Close the case", widget=GovSubmitInput())


class FrequencyForm(FlaskForm):
    weeks = StringField(
        "How often will this case be supervised, in weeks?",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter how often, in weeks, as a number")],
    )
    reason = TextAreaField(
        "Why does this case need this frequency?",
        description="Lancashire §1.9: record the frequency in the most recent management "
        "oversight, with the reason.",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter why"), Length(max=2000)],
    )
    submit = SubmitField("Record the frequency", widget=GovSubmitInput())

    def validate_weeks(self, field):
        text = (field.data or "").strip()
        if not text.isdigit() or not 1 <= int(text) <= 52:
            raise ValidationError("Enter how often, in weeks, as a number from 1 to 52")


class CaseSupervisionForm(FlaskForm):
    supervised_on = PlainDateField(
        "Date of the discussion",
        description="For example, 27 3 2026",
        invalid_message="Enter the date of the discussion, for example 27 3 2026",
        validators=[InputRequired(message="Enter the date of the discussion")],
    )
    decision = TextAreaField(
        "Decision or case direction",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter the decision or case direction"),
            Length(max=10000),
        ],
    )
    rationale = TextAreaField(
        "Rationale",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter the rationale for the decision"),
            Length(max=10000),
        ],
    )
    next_steps = TextAreaField("Next steps", widget=GovTextArea(), validators=[Length(max=10000)])
    important = BooleanField(
        "This is an important decision (RAG rating, safeguarding or legal)",
        description="Lancashire §1.8: recorded as soon as possible, at least within 24 hours",
        widget=GovCheckboxInput(),
    )
    outside = BooleanField(
        "This was decided in a discussion outside formal supervision",
        description="Informal supervision and management direction are recorded as case "
        "directions too (Bristol §5.7: within 24 hours)",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Record the case direction", widget=GovSubmitInput())


class RecordedForm(FlaskForm):
    recorded_on = PlainDateField(
        "Entered on the child's record on",
        description="The date the direction was entered in the case system. For example, 27 3 2026",
        invalid_message="Enter the date it was entered on the child's record, for example "
        "27 3 2026",
        validators=[InputRequired(message="Enter the date it was entered on the child's record")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
