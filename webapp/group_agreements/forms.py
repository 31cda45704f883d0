"""A council's group supervision agreement as forms, built from its
group_agreement.yaml (policy/forms/group_agreement.py): the supervisor draws
it up (or issues a new version), each named party signs it, and the
supervisor may end the group.

Labels, hints and limits are the document's own. The group's name, the
reason for a new version and ending the group are ours: a supervisor may run
several groups and needs to tell them apart."""

from __future__ import annotations

from functools import cache

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

from models.actions.group_agreements import GroupAgreementDraft
from policy.forms.agreement_form import MAX_ANSWER, AgreementField
from policy.forms.group_agreement import GroupAgreementDocument
from webapp.fields import chosen_name

REASON_MESSAGE = "Enter why you are issuing a new version"
END_MESSAGE = "Enter why the group has ended"
MAX_NAME = 120


def _answer_field(answer: AgreementField, message: str):
    # DataRequired (here and for the other typed answers): spaces alone are no answer.
    validators = [
        DataRequired(message=answer.required_message) if answer.required_message else Optional(),
        Length(max=answer.most_characters, message=message),
    ]
    if answer.multiline:
        return TextAreaField(
            answer.label, description=answer.hint, widget=GovTextArea(), validators=validators
        )
    return StringField(
        answer.label, description=answer.hint, widget=GovTextInput(), validators=validators
    )


def _reason(label: str, description: str, message: str) -> TextAreaField:
    return TextAreaField(
        label,
        description=description,
        widget=GovTextArea(),
        validators=[
            DataRequired(message=message),
            Length(max=MAX_ANSWER, message=f"The reason must be {MAX_ANSWER} characters or fewer"),
        ],
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
    most = form.document.frequency_most_weeks
    if not text.isdigit() or not 1 <= int(text) <= most:
        raise ValidationError(form.document.frequency_message)


class _GroupAgreementForm(FlaskForm):
    """The whole form; the view fills in the choices of team, coordinator and
    supervisees."""

    document: GroupAgreementDocument

    def validate_supervisee_ids(self, field) -> None:
        allowed = {value for value, _ in field.choices}
        chosen = list(dict.fromkeys(field.data or []))
        if (
            any(value not in allowed for value in chosen)
            or len(chosen) < self.document.least_supervisees
        ):
            raise ValidationError(self.document.supervisees_message)
        if self.coordinator_id.data in chosen:
            name = chosen_name(self.coordinator_id)
            coordinator = self.document.parties.coordinator.label.lower()
            raise ValidationError(
                f"{name} is the {coordinator}: untick them as a supervisee, or choose "
                f"another {coordinator}"
            )

    def draft(self) -> GroupAgreementDraft:
        return GroupAgreementDraft(
            name=self.name.data.strip(),
            team_id=int(self.team_id.data),
            coordinator_id=int(self.coordinator_id.data),
            supervisee_ids=[int(v) for v in dict.fromkeys(self.supervisee_ids.data)],
            venue=self.venue.data.strip(),
            frequency_weeks=int(self.frequency_weeks.data.strip()),
            content={
                a.key: (getattr(self, a.key).data or "").strip() for a in self.document.answers
            },
        )


@cache
def group_agreement_form(
    document: GroupAgreementDocument, *, new_version: bool = False
) -> type[FlaskForm]:
    """The form class for a council's group agreement, fields in the page's
    order (the error summary follows it). A new version asks why, and carries
    the version it was filled in from: sent twice, it issues once."""
    fields: dict = {"document": document}
    if new_version:
        fields["amendment_reason"] = _reason(
            "Why are you issuing a new version?",
            "For example the annual review, a new member, or a change to how the group works. "
            "Everyone named signs the new version.",
            REASON_MESSAGE,
        )
    fields.update(_parties(document))
    fields["frequency_weeks"] = StringField(
        document.frequency_label,
        description=document.frequency_hint,
        widget=GovTextInput(),
        validators=[DataRequired(message=document.frequency_message), _whole_weeks],
    )
    for answer in document.answers:
        message = f"{answer.heading} must be {answer.most_characters} characters or fewer"
        fields[answer.key] = _answer_field(answer, message)
    fields["declaration"] = BooleanField(
        document.declaration,
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=document.issuer_message)],
    )
    submit = "Sign and issue the new version" if new_version else "Sign and issue the agreement"
    fields["submit"] = SubmitField(submit, widget=GovSubmitInput())
    if new_version:
        fields["based_on"] = HiddenField()
    name = "NewVersionForm" if new_version else "NewGroupForm"
    return type(name, (_GroupAgreementForm,), fields)


def _parties(document: GroupAgreementDocument) -> dict:
    """The group's name, then who and where: the team, venue, coordinator and supervisees."""
    team, coordinator = document.team_message, document.parties.coordinator
    venue = document.venue
    return {
        "name": StringField(
            "Group name",
            description="So everyone can tell this group from others, for example the team and "
            "what the group is for",
            widget=GovTextInput(),
            validators=[
                DataRequired(message="Enter a name for the group"),
                Length(
                    max=MAX_NAME, message=f"The group name must be {MAX_NAME} characters or fewer"
                ),
            ],
        ),
        "team_id": SelectField(
            document.team_label,
            widget=GovSelect(),
            validators=[InputRequired(message=team), _one_of_the_choices(team)],
            validate_choice=False,
        ),
        "venue": _answer_field(
            venue,
            f"The {venue.label.lower()} must be {venue.most_characters} characters or fewer",
        ),
        "coordinator_id": SelectField(
            coordinator.label,
            description=coordinator.hint,
            widget=GovSelect(),
            validators=[
                InputRequired(message=coordinator.required_message),
                _one_of_the_choices(coordinator.required_message),
            ],
            validate_choice=False,
        ),
        "supervisee_ids": SelectMultipleField(
            document.parties.supervisees.label,
            description=f"Choose at least {document.least_supervisees}. Each of them signs the "
            "agreement.",
            widget=GovCheckboxesInput(),
            validate_choice=False,
        ),
    }


@cache
def signing_form(document: GroupAgreementDocument) -> type[FlaskForm]:
    """A named party's signature, in the words of the council's form."""
    return type(
        "SignForm",
        (FlaskForm,),
        {
            "declaration": BooleanField(
                document.declaration,
                widget=GovCheckboxInput(),
                validators=[InputRequired(message=document.declaration_message)],
            ),
            "submit": SubmitField("Sign this agreement", widget=GovSubmitInput()),
        },
    )


class EndForm(FlaskForm):
    reason = _reason(
        "Why has the group ended?",
        "For example, the team has merged with another. Nobody is asked to sign or review its "
        "agreement after today.",
        END_MESSAGE,
    )
    submit = SubmitField("End this group", widget=GovSubmitInput())
