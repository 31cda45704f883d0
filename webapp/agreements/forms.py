"""The supervisor's agreement form, built from the profile's definition
(webapp.agreements.fields), and the supervisee's countersignature.

The frequency is checked against the profile the way the engine applies it
(policy.variation): more frequent is always allowed, less frequent only where
the document allows, and a frequency that differs from the profile's cadence
for the person needs its reason recorded."""

from __future__ import annotations

from functools import cache

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from models import Organisation
from policy import load_profile
from policy.variation import PersonalCadence, describe_every, personal_cadence
from webapp.agreements.fields import LANCASHIRE, AgreementDefinition, definition_for
from webapp.database import db_session
from webapp.dates import today

FREQUENCY_MESSAGE = LANCASHIRE.frequency_message
DECLARATION_MESSAGE = LANCASHIRE.declaration_message
VARIATION_REASON_MESSAGE = "Enter why you have agreed a different frequency"
AMENDMENT_REASON_MESSAGE = "Enter why you are amending the agreement"
MAX_ANSWER = 5000

ROLE_NAMES = {
    "senior_manager": "a senior manager",
    "manager": "a manager",
    "team_manager": "a team manager",
    "social_worker": "a social worker",
    "iro": "an independent reviewing officer",
    "support_worker": "a support worker",
    "non_direct_staff": "staff not working directly with children and families",
    "residential": "residential staff",
    "business_support": "business support staff",
    "student": "a student social worker",
}


def _frequency_in_range(form, field) -> None:
    """A whole number of weeks in range. A StringField, so a wrong answer is shown
    back exactly as typed."""
    definition = form.definition
    text = (field.data or "").strip()
    if not text.isdigit() or not (
        definition.frequency_min_weeks <= int(text) <= definition.frequency_max_weeks
    ):
        raise ValidationError(definition.frequency_message)


def refusal_message(definition: AgreementDefinition, cadence: PersonalCadence, role: str) -> str:
    """Why a less frequent supervision cannot be agreed, naming the floor."""
    who = ROLE_NAMES.get(role, "this role")
    message = (
        f"Enter {cadence.loosest_weeks} weeks or fewer. Supervision for {who} must be at "
        f"least {describe_every(cadence.loosest)}"
    )
    if definition.variation is not None:
        v = definition.variation
        message += f" ({v.floor_cite}: “{v.floor_quote}”)"
    return message + ". An agreed frequency can make it more frequent, not less."


def cadence_hint(definition: AgreementDefinition, cadence: PersonalCadence, role: str) -> str:
    """The variation reason's hint: the profile's cadence for this person, and the rule."""
    if cadence.rule is None:
        return "The policy sets no frequency for this role, so no reason is needed."
    who = ROLE_NAMES.get(role, "this role")
    hint = (
        f"Only if you agree a frequency other than every {cadence.usual_weeks} weeks, the "
        f"policy's frequency for {who} ({describe_every(cadence.every)}). Say why"
    )
    if definition.variation is not None:
        v = definition.variation
        hint += f". {v.reason_cite}: “{v.reason_quote}”"
    return hint + "."


class _AgreementFormBase(FlaskForm):
    definition: AgreementDefinition
    # Set by the view before validating: the person's cadence under the profile.
    cadence: PersonalCadence | None = None
    role: str = ""

    def frequency(self) -> int:
        return int(self.frequency_weeks.data.strip())

    def content(self) -> dict[str, str]:
        return {f.key: (getattr(self, f.key).data or "").strip() for f in self.definition.fields}

    def reason(self) -> str | None:
        """The variation's reason, kept only when the frequency is a variation."""
        text = (self.variation_reason.data or "").strip()
        if self.cadence is None or not self.cadence.differs(self.frequency()):
            return None
        return text or None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.cadence is None or self.frequency_weeks.errors:
            return valid
        weeks = self.frequency()
        if not self.cadence.allows(weeks):
            self.frequency_weeks.errors = [
                *self.frequency_weeks.errors,
                refusal_message(self.definition, self.cadence, self.role),
            ]
            return False
        if self.cadence.differs(weeks) and not (self.variation_reason.data or "").strip():
            self.variation_reason.errors = [
                *self.variation_reason.errors,
                VARIATION_REASON_MESSAGE,
            ]
            return False
        return valid


def _answer_field(spec):
    validators = [
        InputRequired(message=spec.required_message) if spec.required_message else Optional(),
        Length(max=MAX_ANSWER, message=f"{spec.label} must be {MAX_ANSWER} characters or fewer"),
    ]
    if spec.multiline:
        return TextAreaField(
            spec.label, description=spec.hint, widget=GovTextArea(), validators=validators
        )
    return StringField(
        spec.label, description=spec.hint, widget=GovTextInput(), validators=validators
    )


def _reason_field(label: str, validators) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        validators=[
            *validators,
            Length(max=MAX_ANSWER, message=f"{label} must be {MAX_ANSWER} characters or fewer"),
        ],
    )


@cache
def agreement_form(definition: AgreementDefinition, *, amending: bool = False) -> type[FlaskForm]:
    """The form class for a profile's agreement, fields in the page's order so
    the error summary lists errors in that order. Amending adds the reason."""
    fields: dict = {"definition": definition}
    if amending:
        fields["amendment_reason"] = _reason_field(
            "Why are you amending the agreement?",
            [InputRequired(message=AMENDMENT_REASON_MESSAGE)],
        )
    fields["frequency_weeks"] = StringField(
        definition.frequency_label,
        description=definition.frequency_hint,
        widget=GovTextInput(),
        validators=[InputRequired(message=definition.frequency_message), _frequency_in_range],
    )
    fields["variation_reason"] = _reason_field(
        "Reason for agreeing a different frequency (if you have)", [Optional()]
    )
    for spec in definition.fields:
        fields[spec.key] = _answer_field(spec)
    fields["declaration"] = BooleanField(
        definition.declaration,
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=definition.declaration_message)],
    )
    fields["submit"] = SubmitField(
        "Sign the amended agreement" if amending else "Sign the agreement",
        widget=GovSubmitInput(),
    )
    name = f"{definition.profile.title().replace('_', '')}{'Amend' if amending else ''}Agreement"
    return type(f"{name}Form", (_AgreementFormBase,), fields)


# Lancashire's one-to-one form, for callers that predate the profile's forms.
AgreementForm = agreement_form(LANCASHIRE)


@cache
def countersign_form(definition: AgreementDefinition) -> type[FlaskForm]:
    """The supervisee's declaration, in the words of the profile's form."""
    return type(
        f"{definition.profile.title().replace('_', '')}CountersignForm",
        (FlaskForm,),
        {
            "declaration": BooleanField(
                definition.declaration,
                widget=GovCheckboxInput(),
                validators=[InputRequired(message=definition.declaration_message)],
            ),
            "submit": SubmitField("Countersign the agreement", widget=GovSubmitInput()),
        },
    )


CountersignForm = countersign_form(LANCASHIRE)


def definition_for_relationship(rel) -> AgreementDefinition:
    """The agreement form of the supervisee's organisation's profile."""
    org = db_session().get(Organisation, rel.supervisee.organisation_id)
    return definition_for(org.profile)


def form_for_relationship(rel, definition: AgreementDefinition | None = None, *, amending=False):
    """The profile's form, told the supervisee's cadence so it can check the frequency."""
    org = db_session().get(Organisation, rel.supervisee.organisation_id)
    definition = definition or definition_for(org.profile)
    form = agreement_form(definition, amending=amending)()
    role = rel.supervisee.role.value
    form.cadence = personal_cadence(load_profile(org.profile), role, today())
    form.role = role
    form.variation_reason.description = cadence_hint(definition, form.cadence, role)
    return form
