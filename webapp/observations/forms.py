"""The observation forms: planning, each part, signing.

Practice observation: Lancashire 000 Appendix A, "Practice Observation", its
questions word for word. Supervision observation: Wokingham 003 "Quality
Assurance" gives no form; the questions follow national practice (what was
observed, strengths, areas for development, the supervisor's reflection and
when it was discussed in their own supervision)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import BooleanField, DateField, RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from models import ObservationKind

MAX_ANSWER = 5000
CASE_ID_HINT = "Refer to children by case ID only, never by name."


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    message: str  # shown when it is left empty
    hint: str = ""


QUESTIONS: dict[tuple[ObservationKind, str], tuple[Question, ...]] = {
    (ObservationKind.PRACTICE, "before"): (
        Question(
            "situation",
            "Practice situation being observed",
            "Enter the practice situation being observed",
            CASE_ID_HINT,
        ),
        Question(
            "preparation",
            "Supervisee's preparation (include confirmation the children, young people and "
            "family are happy for the observation to go ahead)",
            "Enter your preparation",
        ),
        Question(
            "desired_outcomes",
            "Supervisee's desired outcomes (both for themselves and the other children, young "
            "people, family and professionals involved)",
            "Enter your desired outcomes",
        ),
        Question(
            "feedback_areas",
            "Areas of practice the supervisee would like feedback on",
            "Enter the areas of practice you would like feedback on",
        ),
    ),
    (ObservationKind.PRACTICE, "supervisee_after"): (
        Question(
            "reflection",
            "Supervisee's reflection and analysis of the observation (reference the desired "
            "outcomes)",
            "Enter your reflection and analysis of the observation",
        ),
        Question(
            "strengths",
            "Supervisee's strengths and good practice (reference practice standards, "
            "specifically SWE and KSS)",
            "Enter your strengths and good practice",
        ),
        Question(
            "development",
            "Supervisee's areas for development (reference practice standards, specifically "
            "SWE and KSS)",
            "Enter your areas for development",
        ),
    ),
    (ObservationKind.PRACTICE, "supervisor_after"): (
        Question(
            "reflection",
            "Supervisor's reflection and analysis of the observation (reference the "
            "supervisee's preparation, desired outcomes and areas of practice to focus on)",
            "Enter your reflection and analysis of the observation",
        ),
        Question(
            "strengths",
            "Supervisee's strengths and good practice (reference practice standards, "
            "specifically SWE and KSS)",
            "Enter the supervisee's strengths and good practice",
        ),
        Question(
            "development",
            "Supervisee's areas for development (reference practice standards, specifically "
            "SWE and KSS)",
            "Enter the supervisee's areas for development",
        ),
    ),
    (ObservationKind.SUPERVISION, "observer"): (
        Question(
            "session_observed",
            "The supervision observed (all or part of the session)",
            "Enter the supervision you observed",
            CASE_ID_HINT,
        ),
        Question(
            "strengths",
            "Strengths of the supervision observed",
            "Enter the strengths of the supervision",
        ),
        Question(
            "development",
            "Areas for development",
            "Enter the areas for development",
        ),
    ),
    (ObservationKind.SUPERVISION, "reflection"): (
        Question(
            "reflection",
            "Supervisor's reflection on the observation",
            "Enter your reflection on the observation",
        ),
        Question(
            "discussed_in_supervision",
            "When it was discussed in your own personal supervision, and what was agreed",
            "Enter when the observation was discussed in your personal supervision",
            "Wokingham: observation should be discussed and recorded during the supervisor's "
            "individual personal supervision.",
        ),
    ),
}

PART_HEADINGS = {
    "before": "To be completed by the supervisee before the observation",
    "supervisee_after": "To be completed by the supervisee after the observation",
    "supervisor_after": "To be completed by the supervisor after the supervisee has completed "
    "their reflection and analysis",
    "observer": "To be completed by the observer after the observation",
    "reflection": "To be completed by the supervisor observed",
}

FAMILY_CONSENT = "The children, young people and family are happy for the observation to go ahead"
FAMILY_CONSENT_MESSAGE = (
    "Confirm the children, young people and family are happy for the observation to go ahead"
)
DATE_MESSAGE = "Enter the date of the observation, for example 27 3 2026"
WITH_FAMILY_MESSAGE = (
    "Select yes if the observation is of practice with children, young people and families"
)
SIGN_MESSAGE = "Confirm this is an accurate record of the observation"


class PlainDateField(DateField):
    """A day, month and year; a wrong one gets our plain-English message
    rather than WTForms' "Not a valid date value"."""

    def __init__(self, *args, invalid_message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.invalid_message) from error


class PlanForm(FlaskForm):
    observed_on = PlainDateField(
        "Date of observation",
        format="%d %m %Y",
        widget=GovDateInput(),
        description="For example, 27 3 2026",
        invalid_message=DATE_MESSAGE,
        validators=[InputRequired(message=DATE_MESSAGE)],
    )
    with_family = RadioField(
        "Will the supervisee be engaging with children, young people and families?",
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        widget=GovRadioInput(),
        validators=[InputRequired(message=WITH_FAMILY_MESSAGE)],
    )
    submit = SubmitField("Plan the observation", widget=GovSubmitInput())


class SupervisionPlanForm(FlaskForm):
    observed_on = PlanForm.observed_on
    submit = SubmitField("Plan the observation", widget=GovSubmitInput())


def part_form(kind: ObservationKind, part: str, with_family: bool) -> type[FlaskForm]:
    """A form class for one part, its questions in the page's order."""
    fields = {}
    for q in QUESTIONS[(kind, part)]:
        fields[q.key] = TextAreaField(
            q.label,
            description=q.hint,
            widget=GovTextArea(),
            validators=[
                InputRequired(message=q.message),
                Length(max=MAX_ANSWER, message=f"Answers must be {MAX_ANSWER} characters or fewer"),
            ],
        )
    if part == "before" and with_family:
        fields["family_consent"] = BooleanField(
            FAMILY_CONSENT,
            widget=GovCheckboxInput(),
            validators=[InputRequired(message=FAMILY_CONSENT_MESSAGE)],
        )
    fields["submit"] = SubmitField("Save this part", widget=GovSubmitInput())
    return type("PartForm", (FlaskForm,), fields)


class SignForm(FlaskForm):
    declaration = BooleanField(
        "I have read this observation and it is an accurate record",
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=SIGN_MESSAGE)],
    )
    submit = SubmitField("Sign the observation", widget=GovSubmitInput())
