"""The supervision record form (built per council and role from the agenda in
its record_form.yaml), the countersignature, an amendment, cancelling a
planned session, and group supervision attendance.

Answers are StringFields where a number or ID is typed, so a wrong answer is
shown back exactly as typed with a plain-English message."""

from __future__ import annotations

from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from models.actions.cases import open_allocation
from models.actions.permissions import may_supervise_case
from models.tables.cases import CaseIdError, check_case_id
from policy.forms.record_form import Agenda
from webapp.database import db_session
from webapp.dates import today
from webapp.fields import PlainDateField, whole_number

MAX_TEXT = 10000
BLANK_ACTIONS = 3
BLANK_CASES = 2


def _minutes(form, field) -> None:
    if whole_number(field.data, 5, 600) is None:
        raise ValidationError(
            "Enter how long the session lasted, in minutes, as a number from 5 to 600"
        )


def case_out_of_scope(ref: str) -> str | None:
    """Why the signed-in person may not write a direction on this case, if they
    may not: it is not open, or its allocated worker is nobody they
    supervise, cover for or manage (the action checks the same, on the day
    held; this puts the message on the field)."""
    session = db_session()
    allocation = open_allocation(session, current_user.organisation_id, ref)
    if allocation is None or not may_supervise_case(
        session, current_user.staff_id, allocation.worker_id, today()
    ):
        return (
            f"There is no open case {ref} allocated to anyone you supervise, cover for or "
            "manage. Check the case ID, or allocate the case first."
        )
    return None


class ReviewEntry(Form):
    """One action from the previous session, marked done or not done."""

    action_id = HiddenField()
    outcome = RadioField(
        "Was this action done?",
        choices=[SelectChoice("done", "Done"), SelectChoice("not_done", "Not done")],
        widget=GovRadioInput(),
        validators=[Optional()],
    )
    note = StringField("Note (optional)", widget=GovTextInput(), validators=[Length(max=2000)])


class ActionEntry(Form):
    # An action already recorded on this session keeps its id across edits
    # (its task and its owner's done mark with it).
    action_id = HiddenField()
    description = StringField("Action", widget=GovTextInput(), validators=[Length(max=2000)])
    # The choices (either party, or the colleague covering) are set by the
    # page; validate_owner checks what was sent against them.
    owner = SelectField("Who", widget=GovSelect(), validate_choice=False)
    due_on = PlainDateField(
        "By when",
        invalid_message="Enter the date the action is due, for example 27 3 2026",
        validators=[Optional()],
    )

    def validate_owner(self, field):
        allowed = {value for value, _ in (field.choices or []) if value}
        if field.data and field.data not in allowed:
            raise ValidationError("Choose who owns the action from the list")

    def validate_description(self, field):
        if not (field.data or "").strip() and self.due_on.data:
            raise ValidationError("Enter the action, or clear its date")


class CaseEntry(Form):
    """One case discussed: the case direction (Bristol §4.8 "the plans and next
    steps ... along with the rationale for any decisions made")."""

    case_ref = StringField(
        "Case ID",
        description="The ID from the case system, for example LCS-123456. Never a child's name.",
        widget=GovTextInput(),
        validators=[Length(max=40)],
    )
    decision = TextAreaField(
        "Decision or case direction", widget=GovTextArea(), validators=[Length(max=MAX_TEXT)]
    )
    rationale = TextAreaField("Rationale", widget=GovTextArea(), validators=[Length(max=MAX_TEXT)])
    next_steps = TextAreaField(
        "Next steps", widget=GovTextArea(), validators=[Length(max=MAX_TEXT)]
    )
    important = BooleanField(
        "This is an important decision (RAG rating, safeguarding or legal)",
        description="Lancashire §1.8: recorded as soon as possible, at least within 24 hours",
        widget=GovCheckboxInput(),
    )

    def validate_case_ref(self, field):
        text = (field.data or "").strip()
        if not text:
            if any(
                (f.data or "").strip() for f in (self.decision, self.rationale, self.next_steps)
            ):
                raise ValidationError("Enter the case ID for this case discussion")
            return
        try:
            ref = check_case_id(text)
        except CaseIdError as error:
            raise ValidationError(str(error)) from None
        problem = case_out_of_scope(ref)
        if problem:
            raise ValidationError(problem)

    @property
    def is_blank(self) -> bool:
        return not any(
            (f.data or "").strip()
            for f in (self.case_ref, self.decision, self.rationale, self.next_steps)
        )


class _RecordFormBase(FlaskForm):
    agenda: Agenda

    def section_values(self) -> dict[str, str]:
        return {s.key: (self[f"s_{s.key}"].data or "").strip() for s in self.agenda.sections}

    def question_values(self) -> dict[str, str]:
        return {q.key: (self[f"q_{q.key}"].data or "").strip() for q in self.agenda.questions}

    @property
    def signing(self) -> bool:
        return bool(self.sign.data)


def record_form_class(agenda: Agenda) -> type[FlaskForm]:
    """A form class for one agenda, fields in the page's order (so the error
    summary lists errors in that order)."""
    fields: dict = {
        "agenda": agenda,
        "held_on": PlainDateField(
            "Date of supervision",
            description="For example, 27 3 2026",
            invalid_message="Enter the date the session was held, for example 27 3 2026",
            validators=[InputRequired(message="Enter the date the session was held")],
        ),
        "duration_minutes": StringField(
            "How long did the session last?",
            widget=GovTextInput(),
            validators=[InputRequired(message="Enter how long the session lasted"), _minutes],
        ),
        "late_reason": TextAreaField(
            "If yes, why?",
            widget=GovTextArea(),
            validators=[Length(max=MAX_TEXT)],
        ),
        "reviews": FieldList(FormField(ReviewEntry), min_entries=0),
    }
    for section in agenda.sections:
        fields[f"s_{section.key}"] = TextAreaField(
            section.title,
            description=section.hint,
            widget=GovTextArea(),
            validators=[Length(max=MAX_TEXT)],
        )
    for question in agenda.questions:
        fields[f"q_{question.key}"] = TextAreaField(
            question.title,
            description=question.hint,
            widget=GovTextArea(),
            validators=[Length(max=MAX_TEXT)],
        )
    fields["development_discussed"] = BooleanField(
        "The supervisee's professional development was discussed",
        description="Lancashire §1.16: development is discussed at least every quarter",
        widget=GovCheckboxInput(),
    )
    fields["actions"] = FieldList(FormField(ActionEntry), min_entries=BLANK_ACTIONS)
    fields["cases"] = FieldList(FormField(CaseEntry), min_entries=BLANK_CASES)
    fields["add_action"] = SubmitField("Add another action", widget=GovSubmitInput())
    fields["add_case"] = SubmitField("Add another case", widget=GovSubmitInput())
    fields["save"] = SubmitField("Save as a draft", widget=GovSubmitInput())
    fields["sign"] = SubmitField("Sign and share the record", widget=GovSubmitInput())
    return type("RecordForm", (_RecordFormBase,), fields)


class CountersignForm(FlaskForm):
    declaration = BooleanField(
        "This record is an accurate reflection of what was discussed and agreed",
        widget=GovCheckboxInput(),
        validators=[
            InputRequired(
                message="Confirm that the record is an accurate reflection of what was discussed"
            )
        ],
    )
    submit = SubmitField("Countersign the record", widget=GovSubmitInput())


class ShareForm(FlaskForm):
    """The day the record was shared with (copied to) the supervisee."""

    shared_on = PlainDateField(
        "Date the supervisee was given the record",
        description="For example, 27 3 2026",
        invalid_message="Enter the date the record was shared, for example 27 3 2026",
        validators=[InputRequired(message="Enter the date the record was shared")],
    )
    submit = SubmitField("Save the date shared", widget=GovSubmitInput())


class AmendForm(FlaskForm):
    reason = TextAreaField(
        "Why does the record need to change?",
        description="The signed version is kept. The new version is signed by both of you again.",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter why the record needs to be amended"),
            Length(max=2000),
        ],
    )
    submit = SubmitField("Start a new version", widget=GovSubmitInput())


class CancelForm(FlaskForm):
    reason = TextAreaField(
        "Why is the session cancelled?",
        description="The reason is kept with the session. It moves to the next available "
        "working day.",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter why the session is cancelled"),
            Length(max=2000),
        ],
    )
    submit = SubmitField("Cancel and reschedule", widget=GovSubmitInput())


class PlanForm(FlaskForm):
    submit = SubmitField("Plan the next 12 months", widget=GovSubmitInput())


class GroupAttendanceForm(FlaskForm):
    """Attendance at group reflective supervision (Bristol §6.5), with the
    model used, from those the council's document names (`set_models`), and,
    if a colleague, who facilitated it."""

    attended_on = PlainDateField(
        "Date attended",
        description="For example, 27 3 2026",
        invalid_message="Enter the date they attended group supervision, for example 27 3 2026",
        validators=[InputRequired(message="Enter the date they attended group supervision")],
    )
    model = RadioField(
        "Which model of group supervision was used?",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired(message="Select the model of group supervision used")],
    )
    facilitator_id = SelectField(
        "Who facilitated it? (optional)",
        description="Leave this as it is if the facilitator is not recorded or is from "
        "outside the council.",
        widget=GovSelect(),
        validate_choice=False,
    )
    submit = SubmitField("Record attendance", widget=GovSubmitInput())

    def set_models(self, models: dict[str, str], hint: str) -> None:
        self.model.choices = [SelectChoice(key, label) for key, label in models.items()]
        self.model.description = hint

    def validate_model(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Select the model of group supervision used")

    def validate_facilitator_id(self, field):
        if field.data and field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Select the facilitator from the list, or leave it blank")
