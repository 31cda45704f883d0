"""The audit checklist, built from the council's record_audit.yaml: one
question a radio field, the findings, the day of the audit; and the
supervisor's confirmation that the audit was discussed."""

from __future__ import annotations

from functools import cache

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
)
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired

from models.actions.record_audits import FINDINGS_LIMIT, NOTE_LIMIT
from policy.forms.record_audit import RecordAuditForm
from webapp.fields import optional_note, required_date, required_text

AUDIT_DATE_MESSAGE = "Enter the date of the audit, for example 27 3 2026"
DISCUSSED_MESSAGE = "Enter the date the audit was discussed with you, for example 27 3 2026"


def question_field(n: int) -> str:
    return f"question_{n}"


@cache
def checklist_form(checklist: RecordAuditForm) -> type[FlaskForm]:
    fields = {"audited_on": required_date("Date of the audit", AUDIT_DATE_MESSAGE)}
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
    fields["findings"] = required_text(
        checklist.findings_label,
        checklist.findings_message,
        FINDINGS_LIMIT,
        description=checklist.findings_hint,
    )
    fields["submit"] = SubmitField("Record the audit", widget=GovSubmitInput())
    return type("RecordAuditChecklistForm", (FlaskForm,), fields)


def answers_from(checklist: RecordAuditForm, form) -> dict[str, str]:
    return {q.id: form[question_field(n)].data or "" for n, q in enumerate(checklist.questions, 1)}


class DiscussedForm(FlaskForm):
    discussed_on = required_date("When was the audit discussed with you?", DISCUSSED_MESSAGE)
    note = optional_note("What you agreed (optional)", NOTE_LIMIT)
    submit = SubmitField("Confirm the audit was discussed", widget=GovSubmitInput())
