"""The annual review's forms. The questionnaire is the council's
(policy/profiles/<council>/review_questionnaire.yaml; Lancashire 000
Appendix A, "Supervision Annual Review": its statements exactly as written,
each answered from the council's choices, and short lists); then the
supervisor's findings (§1.4) and signature."""

from __future__ import annotations

from functools import cache

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

from policy.forms.review_questionnaire import ReviewQuestionnaire

MAX_ITEM = 1000
MAX_FINDINGS = 5000
SUPERVISEE_DECLARATION = "These are my views of my supervision"
SUPERVISEE_DECLARATION_MESSAGE = "Confirm these are your views of your supervision"
SUPERVISOR_DECLARATION = "I have read this review and discussed it with the supervisee"
SUPERVISOR_DECLARATION_MESSAGE = "Confirm you have read this review and discussed it"


def statement_message(questionnaire: ReviewQuestionnaire, n: int) -> str:
    return (
        f"Select {questionnaire.answers_in_words.lower()} for statement {n}, "
        f"{questionnaire.statements[n - 1]}"
    )


def list_fields(questionnaire: ReviewQuestionnaire, key: str) -> list[str]:
    """The names of one list's lines on the form: improve_1, improve_2, ..."""
    return [f"{key}_{i}" for i in range(1, questionnaire.list_items + 1)]


@cache
def questionnaire_form(questionnaire: ReviewQuestionnaire) -> type[FlaskForm]:
    fields = {}
    for n, statement in enumerate(questionnaire.statements, start=1):
        fields[f"statement_{n}"] = RadioField(
            f"{n}. {statement}",
            choices=[SelectChoice(answer, answer) for answer in questionnaire.answers],
            widget=GovRadioInput(),
            validators=[InputRequired(message=statement_message(questionnaire, n))],
        )
    for key, label in questionnaire.lists:
        for i, name in enumerate(list_fields(questionnaire, key), start=1):
            fields[name] = StringField(
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


def statements_from(questionnaire: ReviewQuestionnaire, form) -> dict[int, str]:
    return {n: form[f"statement_{n}"].data for n in range(1, len(questionnaire.statements) + 1)}


def lists_from(questionnaire: ReviewQuestionnaire, form) -> dict[str, list[str]]:
    return {
        key: [
            (form[name].data or "").strip()
            for name in list_fields(questionnaire, key)
            if (form[name].data or "").strip()
        ]
        for key, _label in questionnaire.lists
    }


@cache
def supervisor_sign_form(questionnaire: ReviewQuestionnaire) -> type[FlaskForm]:
    """What the supervisor found, and their signature; forwarded with the form."""
    findings = questionnaire.findings
    fields = {
        "findings": TextAreaField(
            findings.label,
            description=findings.hint,
            widget=GovTextArea(),
            validators=[
                InputRequired(message=findings.message),
                Length(max=MAX_FINDINGS, message=f"Enter {MAX_FINDINGS} characters or fewer"),
            ],
        ),
        "declaration": BooleanField(
            SUPERVISOR_DECLARATION,
            widget=GovCheckboxInput(),
            validators=[InputRequired(message=SUPERVISOR_DECLARATION_MESSAGE)],
        ),
        "submit": SubmitField("Sign and forward to your line manager", widget=GovSubmitInput()),
    }
    return type("SupervisorSignForm", (FlaskForm,), fields)


class AcknowledgeForm(FlaskForm):
    submit = SubmitField("I have read this review", widget=GovSubmitInput())
