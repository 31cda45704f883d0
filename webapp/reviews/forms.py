"""Lancashire 000 Appendix A, "Supervision Annual Review": the 16 statements
exactly as written, each Usually / Sometimes / Never, and three lists of up
to three; then the supervisor's findings (§1.4) and signature."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from models.actions.oversight import REVIEW_ANSWERS, REVIEW_LISTS, REVIEW_STATEMENTS

MAX_ITEM = 1000
MAX_FINDINGS = 5000
SUPERVISEE_DECLARATION = "These are my views of my supervision"
SUPERVISEE_DECLARATION_MESSAGE = "Confirm these are your views of your supervision"
FINDINGS_LABEL = "What you found from this review, and how you will address any issues raised"
FINDINGS_MESSAGE = (
    "Enter what you found from this review and how you will address any issues raised"
)
SUPERVISOR_DECLARATION = "I have read this review and discussed it with the supervisee"
SUPERVISOR_DECLARATION_MESSAGE = "Confirm you have read this review and discussed it"


def statement_message(n: int) -> str:
    return f"Select usually, sometimes or never for statement {n}, {REVIEW_STATEMENTS[n - 1]}"


def _build_questionnaire_form() -> type[FlaskForm]:
    fields = {}
    for n, statement in enumerate(REVIEW_STATEMENTS, start=1):
        fields[f"statement_{n}"] = RadioField(
            f"{n}. {statement}",
            choices=[SelectChoice(answer, answer) for answer in REVIEW_ANSWERS],
            widget=GovRadioInput(),
            validators=[InputRequired(message=statement_message(n))],
        )
    for key, label in REVIEW_LISTS:
        for i in (1, 2, 3):
            fields[f"{key}_{i}"] = StringField(
                f"{label}: {i}",
                widget=GovTextInput(),
                validators=[
                    Optional(),
                    Length(
                        max=MAX_ITEM, message=f"Each answer must be {MAX_ITEM} characters or fewer"
                    ),
                ],
            )
    fields["declaration"] = BooleanField(
        SUPERVISEE_DECLARATION,
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=SUPERVISEE_DECLARATION_MESSAGE)],
    )
    fields["submit"] = SubmitField("Sign and send to your supervisor", widget=GovSubmitInput())
    return type("QuestionnaireForm", (FlaskForm,), fields)


QuestionnaireForm = _build_questionnaire_form()


def statements_from(form) -> dict[int, str]:
    return {n: form[f"statement_{n}"].data for n in range(1, len(REVIEW_STATEMENTS) + 1)}


def lists_from(form) -> dict[str, list[str]]:
    return {
        key: [
            (form[f"{key}_{i}"].data or "").strip()
            for i in (1, 2, 3)
            if (form[f"{key}_{i}"].data or "").strip()
        ]
        for key, _label in REVIEW_LISTS
    }


class SupervisorSignForm(FlaskForm):
    findings = TextAreaField(
        FINDINGS_LABEL,
        description="The supervisor should share with their own line manager what they found "
        "from this review and address any issues raised. This goes to your line manager with "
        "the form.",
        widget=GovTextArea(),
        validators=[
            InputRequired(message=FINDINGS_MESSAGE),
            Length(max=MAX_FINDINGS, message=f"Enter {MAX_FINDINGS} characters or fewer"),
        ],
    )
    declaration = BooleanField(
        SUPERVISOR_DECLARATION,
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=SUPERVISOR_DECLARATION_MESSAGE)],
    )
    submit = SubmitField("Sign and forward to your line manager", widget=GovSubmitInput())


class AcknowledgeForm(FlaskForm):
    submit = SubmitField("I have read this review", widget=GovSubmitInput())
