"""Lancashire's Group Supervision Agreement (seed 000, Appendix A) as forms:
the supervisor draws it up (or issues a new version), each named party signs
it, and the supervisor may end the group.

Labels and hints are the document's own words. The group's name is ours: a
supervisor may run several groups and needs to tell them apart."""

from __future__ import annotations

from dataclasses import dataclass

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from models.actions.group_agreements import (
    MAX_FREQUENCY_WEEKS,
    MIN_SUPERVISEES,
    GroupAgreementDraft,
)
from webapp.agreements.fields import FUNCTIONS, PRINCIPLES

SOURCE = "000_b775b8e7712f1ef5.txt Appendix A, Group Supervision Agreement"
TITLE = "Group Supervision Agreement"
MAX_ANSWER = 5000

# The form's preamble, in its own words ("LCC" spelt out).
INTRODUCTION = (
    "Supervision is central to ensuring positive outcomes for children, young people, and "
    "their families. Supervisors should use supervision to lead by example demonstrating the "
    "values, skills, practice, and behaviour expected by our service, Lancashire County "
    "Council and the national bodies to which we are affiliated."
)
FUNCTIONS_INTRO = "The four key functions of supervision are:"
PRINCIPLES_INTRO = "Our principles in supervision are:"
CORE_STANDARDS = (
    "Refer to the Core Practice Standards in our Supervision Procedure before completing "
    "this supervision agreement."
)
# (paragraph, its bullet points), for the pages.
PREAMBLE = (
    (INTRODUCTION, ()),
    (FUNCTIONS_INTRO, FUNCTIONS),
    (PRINCIPLES_INTRO, PRINCIPLES),
    (CORE_STANDARDS, ()),
)
STATEMENT = (
    "Before signing this agreement the supervisor/manager, team coordinator and supervisees "
    "must have discussed the key functions and principles of supervision to ensure there is "
    "a shared understanding of the purpose and function of group supervision."
)
DECLARATION = "We have discussed the key functions and principles of supervision"
DECLARATION_MESSAGE = (
    "Confirm that you have discussed the key functions and principles of supervision"
)
REVIEW_NOTE = (
    "This document should be reviewed at least annually, but can be revised sooner and more "
    "frequently, if necessary."
)

FREQUENCY_MESSAGE = (
    f"Enter how often the group will meet, in weeks, as a number from 1 to {MAX_FREQUENCY_WEEKS}"
)
SUPERVISEES_MESSAGE = f"Choose at least {MIN_SUPERVISEES} supervisees: this is a group agreement"
COORDINATOR_MESSAGE = "Choose the team coordinator"
TEAM_MESSAGE = "Choose the team or unit"
REASON_MESSAGE = "Enter why you are issuing a new version"
END_MESSAGE = "Enter why the group has ended"


@dataclass(frozen=True)
class Answer:
    """One of the form's questions, stored in the agreement's content."""

    key: str
    label: str
    hint: str
    required_message: str | None  # None: optional
    multiline: bool = True

    @property
    def heading(self) -> str:
        return self.label.removesuffix(" (optional)")


ANSWERS: tuple[Answer, ...] = (
    Answer(
        "length",
        "Length of supervision",
        "Set out expected length of each supervision session",
        "Enter the expected length of each group supervision session",
        multiline=False,
    ),
    Answer(
        "preparation",
        "Preparation for supervision",
        "Set out the expectations of supervisor and supervisee in how they will prepare for "
        "supervision sessions",
        "Enter how the supervisor and supervisees will prepare for group supervision",
    ),
    Answer(
        "recording",
        "Recording of supervision",
        "Set out how supervision will be recorded and stored",
        "Enter how group supervision will be recorded and stored",
    ),
    Answer(
        "confidentiality",
        "Confidentiality of supervision",
        "Set out how confidentiality is protected in supervision, the boundaries of "
        "confidentiality and who might have access to supervision records",
        "Enter how confidentiality will be protected in group supervision",
    ),
    Answer(
        "disagreements",
        "Dealing with disagreements",
        "Detail how any disagreements in supervision will be resolved, who will be contacted "
        "to support finding a resolution",
        "Enter how disagreements in group supervision will be resolved",
    ),
    Answer(
        "additional_reporting",
        "Any additional reporting arrangements (optional)",
        "Detail any additional arrangements, for example professional consultation / "
        "additional line management chains",
        None,
    ),
    Answer(
        "other",
        "Other (optional)",
        "Specific arrangements for group supervision, boundaries / limits to this supervision "
        "might be set out here",
        None,
    ),
)


_ANSWER = {answer.key: answer for answer in ANSWERS}


def _answer_field(answer: Answer):
    # DataRequired (here and for the other typed answers): spaces alone are no answer.
    validators = [
        DataRequired(message=answer.required_message) if answer.required_message else Optional(),
        Length(
            max=MAX_ANSWER, message=f"{answer.heading} must be {MAX_ANSWER} characters or fewer"
        ),
    ]
    if answer.multiline:
        return TextAreaField(
            answer.label, description=answer.hint, widget=GovTextArea(), validators=validators
        )
    return StringField(
        answer.label, description=answer.hint, widget=GovTextInput(), validators=validators
    )


def _one_of_the_choices(message: str):
    """Selects check the posted value against their choices, with our message."""

    def check(form, field) -> None:
        if field.data not in {value for value, _ in field.choices if value}:
            raise ValidationError(message)

    return check


def _whole_weeks(form, field) -> None:
    """A StringField, so a wrong answer is shown back exactly as typed."""
    text = (field.data or "").strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_FREQUENCY_WEEKS:
        raise ValidationError(FREQUENCY_MESSAGE)


class GroupAgreementForm(FlaskForm):
    """The whole form, in the page's order (the error summary follows it).
    The view fills in the choices of team, coordinator and supervisees."""

    # Only when issuing a new version (NewVersionForm).
    amendment_reason = TextAreaField(
        "Why are you issuing a new version?",
        description="For example the annual review, a new member, or a change to how the group "
        "works. Everyone named signs the new version.",
        widget=GovTextArea(),
        validators=[
            DataRequired(message=REASON_MESSAGE),
            Length(max=MAX_ANSWER, message=f"The reason must be {MAX_ANSWER} characters or fewer"),
        ],
    )
    name = StringField(
        "Group name",
        description="So everyone can tell this group from others, for example the team and "
        "what the group is for",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter a name for the group"),
            Length(max=120, message="The group name must be 120 characters or fewer"),
        ],
    )
    team_id = SelectField(
        "Team/Unit",
        widget=GovSelect(),
        validators=[InputRequired(message=TEAM_MESSAGE), _one_of_the_choices(TEAM_MESSAGE)],
        validate_choice=False,
    )
    venue = StringField(
        "Standard venue",
        description="Where the group usually meets",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter the standard venue for group supervision"),
            Length(max=200, message="The standard venue must be 200 characters or fewer"),
        ],
    )
    coordinator_id = SelectField(
        "Team coordinator",
        description="They sign the agreement too",
        widget=GovSelect(),
        validators=[
            InputRequired(message=COORDINATOR_MESSAGE),
            _one_of_the_choices(COORDINATOR_MESSAGE),
        ],
        validate_choice=False,
    )
    supervisee_ids = SelectMultipleField(
        "Supervisees",
        description=f"Choose at least {MIN_SUPERVISEES}. Each of them signs the agreement.",
        widget=GovCheckboxesInput(),
        validate_choice=False,
    )
    frequency_weeks = StringField(
        "Frequency of supervision",
        description="Set out the frequency in weeks for supervision. For example, 4 means "
        "every 4 weeks.",
        widget=GovTextInput(),
        validators=[DataRequired(message=FREQUENCY_MESSAGE), _whole_weeks],
    )
    length = _answer_field(_ANSWER["length"])
    preparation = _answer_field(_ANSWER["preparation"])
    recording = _answer_field(_ANSWER["recording"])
    confidentiality = _answer_field(_ANSWER["confidentiality"])
    disagreements = _answer_field(_ANSWER["disagreements"])
    additional_reporting = _answer_field(_ANSWER["additional_reporting"])
    other = _answer_field(_ANSWER["other"])
    declaration = BooleanField(
        DECLARATION,
        widget=GovCheckboxInput(),
        validators=[
            InputRequired(
                message=f"{DECLARATION_MESSAGE} with the team coordinator and supervisees"
            )
        ],
    )
    submit = SubmitField("Sign and issue the agreement", widget=GovSubmitInput())

    def validate_supervisee_ids(self, field) -> None:
        allowed = {value for value, _ in field.choices}
        chosen = list(dict.fromkeys(field.data or []))
        if any(value not in allowed for value in chosen) or len(chosen) < MIN_SUPERVISEES:
            raise ValidationError(SUPERVISEES_MESSAGE)
        if self.coordinator_id.data in chosen:
            name = dict(field.choices)[self.coordinator_id.data].split(",")[0]
            raise ValidationError(
                f"{name} is the team coordinator: untick them as a supervisee, or choose "
                "another team coordinator"
            )

    def draft(self) -> GroupAgreementDraft:
        return GroupAgreementDraft(
            name=self.name.data.strip(),
            team_id=int(self.team_id.data),
            coordinator_id=int(self.coordinator_id.data),
            supervisee_ids=[int(v) for v in dict.fromkeys(self.supervisee_ids.data)],
            venue=self.venue.data.strip(),
            frequency_weeks=int(self.frequency_weeks.data.strip()),
            content={a.key: (getattr(self, a.key).data or "").strip() for a in ANSWERS},
        )


class NewGroupForm(GroupAgreementForm):
    amendment_reason = None  # a first version has no reason


class NewVersionForm(GroupAgreementForm):
    # The version the form was filled in from: sent twice, it issues once.
    based_on = HiddenField()
    submit = SubmitField("Sign and issue the new version", widget=GovSubmitInput())


class SignForm(FlaskForm):
    declaration = BooleanField(
        DECLARATION,
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=DECLARATION_MESSAGE)],
    )
    submit = SubmitField("Sign this agreement", widget=GovSubmitInput())


class EndForm(FlaskForm):
    reason = TextAreaField(
        "Why has the group ended?",
        description="For example, the team has merged with another. Nobody is asked to sign "
        "or review its agreement after today.",
        widget=GovTextArea(),
        validators=[
            DataRequired(message=END_MESSAGE),
            Length(max=MAX_ANSWER, message=f"The reason must be {MAX_ANSWER} characters or fewer"),
        ],
    )
    submit = SubmitField("End this group", widget=GovSubmitInput())
