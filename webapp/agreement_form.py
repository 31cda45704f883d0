"""The supervisor's agreement form, built from the council's agreement_form.yaml
(policy/forms/agreement_form.py), and the supervisee's countersignature. Shared:
the agreements area signs and amends with it, and the reviews area signs the
agreement again at its annual review.

The frequency is checked against the profile the way the engine applies it
(policy.variation): more frequent is always allowed, less frequent only where
the document allows, and a frequency that differs from the profile's cadence
for the person needs its reason recorded (and, where the profile's form asks,
its review arrangements: Wokingham standard 19)."""

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
from policy.forms.agreement_form import MAX_ANSWER, AgreementDefinition, agreement_definition
from policy.variation import PersonalCadence, describe_every, personal_cadence
from webapp.database import db_session
from webapp.dates import today

VARIATION_REASON_MESSAGE = "Enter why you have agreed a different frequency"
AMENDMENT_REASON_MESSAGE = "Enter why you are amending the agreement"

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

    def varies(self) -> bool:
        """Whether the agreed frequency is a variation from the profile's cadence."""
        return self.cadence is not None and self.cadence.differs(self.frequency())

    def content(self) -> dict[str, str]:
        """The answers by field key; a variation's own answers (Wokingham's review
        arrangements) only when the frequency is a variation, like its reason."""
        varies = self.varies()
        return {
            f.key: (getattr(self, f.key).data or "").strip()
            for f in self.definition.fields
            if varies or not f.variation_only
        }

    def reason(self) -> str | None:
        """The variation's reason, kept only when the frequency is a variation."""
        text = (self.variation_reason.data or "").strip()
        if not self.varies():
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
        if not self.cadence.differs(weeks):
            return valid
        # A variation is recorded with its reason and, where the document asks
        # for more (Wokingham standard 19's review arrangements), that too.
        wanted = [(self.variation_reason, VARIATION_REASON_MESSAGE)] + [
            (getattr(self, spec.key), spec.required_message)
            for spec in self.definition.fields
            if spec.variation_only
        ]
        missing = False
        for field, message in wanted:
            if not (field.data or "").strip():
                field.errors = [*field.errors, message]
                missing = True
        return valid and not missing


def _answer_field(spec):
    # A variation's own answer is required only of a variation: see validate().
    required = spec.required_message and not spec.variation_only
    validators = [
        InputRequired(message=spec.required_message) if required else Optional(),
        Length(
            max=spec.most_characters,
            message=f"{spec.label} must be {spec.most_characters} characters or fewer",
        ),
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
    # Keeps the answers as the supervisor's own draft (webapp/drafts.py), unchecked.
    fields["save"] = SubmitField("Save as a draft", widget=GovSubmitInput())
    name = f"{definition.profile.title().replace('_', '')}{'Amend' if amending else ''}Agreement"
    return type(f"{name}Form", (_AgreementFormBase,), fields)


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


def definition_for_relationship(rel) -> AgreementDefinition:
    """The agreement form of the supervisee's council."""
    return agreement_definition(_profile_of(rel))


def form_for_relationship(rel, definition: AgreementDefinition | None = None, *, amending=False):
    """The council's form, told the supervisee's cadence so it can check the frequency."""
    profile = _profile_of(rel)
    definition = definition or agreement_definition(profile)
    form = agreement_form(definition, amending=amending)()
    role = rel.supervisee.role.value
    form.cadence = personal_cadence(profile, role, today())
    form.role = role
    form.variation_reason.description = cadence_hint(definition, form.cadence, role)
    return form


def _profile_of(rel):
    org = db_session().get(Organisation, rel.supervisee.organisation_id)
    return load_profile(org.profile)
