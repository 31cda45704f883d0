"""The audit checklist, built from the council's record_audit.yaml: one
question a radio field, the findings, the day of the audit; and the
supervisor's confirmation that the audit was discussed."""

from __future__ import annotations

from functools import cache

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length

from models.actions.record_audits import FINDINGS_LIMIT, NOTE_LIMIT
from policy.forms.record_audit import RecordAuditForm
from webapp.fields import PlainDateField

AUDIT_DATE_MESSAGE = "Enter the date of the audit, for example 27 3 2026"
DISCUSSED_MESSAGE = "Enter the date the audit was discussed with you, for example 27 3 2026"


def question_field(n: int) -> str:
    return f"question_{n}"


@cache
def checklist_form(checklist: RecordAuditForm) -> type[FlaskForm]:
    fields = {
        "audited_on": PlainDateField(
            "Date of the audit",
            format="%d %m %Y",
            widget=GovDateInput(),
            description="For example, 27 3 2026",
            invalid_message=AUDIT_DATE_MESSAGE,
            validators=[InputRequired(message=AUDIT_DATE_MESSAGE)],
        )
    }
    choices = [SelectChoice(a.value, a.label) for a in checklist.answers]
    for n, question in enumerate(checklist.questions, start=1):
        message = f"Answer question {n}, {question.text}"
        fields[question_field(n)] = RadioField(
            f"{n}. {question.text}",
            description=question.cite,
            choices=choices,
            widget=GovRadioInput(),
            # An answer the council's form does not offer gets the same message.
            validate_choice=False,
            validators=[
                InputRequired(message=message),
                AnyOf([a.value for a in checklist.answers], message=message),
            ],
        )
    fields["findings"] = TextAreaField(
        checklist.findings_label,
        description=checklist.findings_hint,
        widget=GovTextArea(),
        validators=[
            InputRequired(message=checklist.findings_message),
            Length(max=FINDINGS_LIMIT, message=f"Use {FINDINGS_LIMIT} characters or fewer"),
        ],
    )
    fields["submit"] = SubmitField("Record the audit", widget=GovSubmitInput())
    return type("RecordAuditChecklistForm", (FlaskForm,), fields)


def answers_from(checklist: RecordAuditForm, form) -> dict[str, str]:
    return {q.id: form[question_field(n)].data or "" for n, q in enumerate(checklist.questions, 1)}


class DiscussedForm(FlaskForm):
    discussed_on = PlainDateField(
        "When was the audit discussed with you?",
        format="%d %m %Y",
        widget=GovDateInput(),
        description="For example, 27 3 2026",
        invalid_message=DISCUSSED_MESSAGE,
        validators=[InputRequired(message=DISCUSSED_MESSAGE)],
    )
    note = TextAreaField(
        "What you agreed (optional)",
        widget=GovTextArea(),
        validators=[Length(max=NOTE_LIMIT, message=f"Use {NOTE_LIMIT} characters or fewer")],
    )
    submit = SubmitField("Confirm the audit was discussed", widget=GovSubmitInput())
