"""The one-to-one supervision agreement form: Lancashire's Appendix A
("One to One Supervision Agreement", seed 000_b775b8e7712f1ef5.txt).

Each field is stored in SupervisionAgreement.content under its key; the
frequency is also stored as SupervisionAgreement.frequency_weeks, because it
can tighten the profile's session cadence."""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = "000_b775b8e7712f1ef5.txt Appendix A, One to One Supervision Agreement"

FREQUENCY_MIN_WEEKS = 1
FREQUENCY_MAX_WEEKS = 6

FUNCTIONS = (
    "Quality Assurance / Governance",
    "Organisational Engagement / Mediation",
    "Professional Development",
    "Wellbeing",
)

PRINCIPLES = (
    "Achieving the best outcomes for children, young people and their families",
    "Accountable practice",
    "Roles and responsibilities",
    "Development and improvement",
    "Support",
)

DECLARATION = "We have discussed the key functions and principles of supervision"


@dataclass(frozen=True)
class AgreementField:
    key: str
    label: str
    hint: str
    required_message: str | None  # None: optional
    multiline: bool = True


# In the form's order. "frequency_weeks" is a number and lives in its own column.
FIELDS: tuple[AgreementField, ...] = (
    AgreementField(
        "length",
        "Length of supervision",
        "Set out expected length of each supervision session",
        "Enter the expected length of each supervision session",
        multiline=False,
    ),
    AgreementField(
        "venue",
        "Standard venue",
        "Where supervision will usually take place",
        "Enter the standard venue for supervision",
        multiline=False,
    ),
    AgreementField(
        "preparation",
        "Preparation for supervision",
        "Set out the expectations of supervisor and supervisee in how they will prepare "
        "for supervision sessions",
        "Enter how the supervisor and supervisee will prepare for supervision",
    ),
    AgreementField(
        "recording",
        "Recording of supervision",
        "Set out how supervision will be recorded and stored by the supervisor",
        "Enter how supervision will be recorded and stored",
    ),
    AgreementField(
        "ad_hoc_recording",
        "Recording of ad hoc supervision",
        "Set out the recording expectations for the supervisor for any ad hoc supervision, "
        "advice or decision making",
        "Enter how ad hoc supervision, advice and decisions will be recorded",
    ),
    AgreementField(
        "practice_observation",
        "Practice observation arrangements",
        "Detail the frequency, preparation, feedback, recording and use of practice observation",
        "Enter the practice observation arrangements",
    ),
    AgreementField(
        "confidentiality",
        "Confidentiality of supervision",
        "Set out how confidentiality is protected in supervision, the boundaries of "
        "confidentiality and who might have access to supervision records",
        "Enter how confidentiality will be protected in supervision",
    ),
    AgreementField(
        "disagreements",
        "Dealing with disagreements",
        "Detail how any disagreements in supervision will be resolved, who will be contacted "
        "to support finding a resolution",
        "Enter how disagreements in supervision will be resolved",
    ),
    AgreementField(
        "additional_reporting",
        "Any additional reporting arrangements (optional)",
        "Detail any additional arrangements, for example professional consultation / "
        "additional line management chains",
        None,
    ),
    AgreementField(
        "other",
        "Other (optional)",
        "Additional support from an Advanced Practitioner may be detailed here, explicitly "
        "setting out the arrangements, boundaries, recording and confidentiality related to "
        "this support",
        None,
    ),
)

FIELD_KEYS = tuple(f.key for f in FIELDS)


def display_label(field: AgreementField) -> str:
    return field.label.removesuffix(" (optional)")
