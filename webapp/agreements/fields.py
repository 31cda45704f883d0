"""The supervision agreement form each profile's document sets out, as data.

One definition per profile, each citing its seed: Lancashire's Appendix A
"One to One Supervision Agreement" (000), Nottingham's supervision contract
(001 §2.1's required contents; Appendices 2a/2b are named but not reproduced),
Bristol's Appendix 1 "Individual Supervision Agreement" (002), Wokingham's
Appendix B "Supervision Agreement" (003) and, for the North West guidance
(004), which asks for a written agreement but gives no form, a minimal one
from its "Key Messages for Supervisors" (national practice).

Each field is stored in SupervisionAgreement.content under its key; the
frequency is also stored as SupervisionAgreement.frequency_weeks, because it
can vary the profile's session cadence (policy.variation). Field text is the
document's own wording, adapted into questions and hints."""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = "000_b775b8e7712f1ef5.txt Appendix A, One to One Supervision Agreement"

FREQUENCY_MIN_WEEKS = 1
FREQUENCY_MAX_WEEKS = 6  # Lancashire's §1.10 table: the least frequent is 6 weeks

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
    # The document's suggested text, offered on a new agreement. "{supervisor}"
    # and "{supervisee}" are filled in with the parties' names.
    suggested: str = ""
    # Asked only of a variation: required (with `required_message`) when the
    # agreed frequency differs from the policy's, and kept in the content only
    # then, like the variation's reason (webapp.agreements.forms).
    variation_only: bool = False


@dataclass(frozen=True)
class Section:
    heading: str | None
    fields: tuple[AgreementField, ...]


@dataclass(frozen=True)
class Purpose:
    """A paragraph of the form's preamble, with its bullet points."""

    text: str
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Variation:
    """What the document says about varying the frequency, for the messages:
    `floor` when a frequency is refused, `reason` when one is recorded."""

    floor_cite: str
    floor_quote: str
    reason_cite: str
    reason_quote: str


@dataclass(frozen=True)
class AgreementDefinition:
    profile: str
    title: str  # the form's own name
    source: str  # seed file and appendix or paragraph
    purpose: tuple[Purpose, ...]
    frequency_label: str
    frequency_hint: str
    sections: tuple[Section, ...]
    declaration: str  # the checkbox both parties confirm
    declaration_intro: str
    declaration_message: str
    review_note: str
    variation: Variation | None
    frequency_max_weeks: int = 12
    note: str = ""  # where the document gives no form: what we follow instead
    frequency_min_weeks: int = FREQUENCY_MIN_WEEKS

    @property
    def fields(self) -> tuple[AgreementField, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    @property
    def field_keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    @property
    def frequency_message(self) -> str:
        return (
            "Enter how often supervision will happen, in weeks, as a number from "
            f"{self.frequency_min_weeks} to {self.frequency_max_weeks}"
        )

    def suggested(self, key: str, *, supervisor: str, supervisee: str) -> str:
        spec = next((f for f in self.fields if f.key == key), None)
        if spec is None or not spec.suggested:
            return ""
        return spec.suggested.format(supervisor=supervisor, supervisee=supervisee)


def display_label(spec: AgreementField) -> str:
    return spec.label.removesuffix(" (optional)")


def _f(
    key, label, hint, required_message=None, *, multiline=True, suggested="", variation_only=False
):
    return AgreementField(key, label, hint, required_message, multiline, suggested, variation_only)


# Lancashire 000, Appendix A "One to One Supervision Agreement", in the form's order.
FIELDS: tuple[AgreementField, ...] = (
    _f(
        "length",
        "Length of supervision",
        "Set out expected length of each supervision session",
        "Enter the expected length of each supervision session",
        multiline=False,
    ),
    _f(
        "venue",
        "Standard venue",
        "Where supervision will usually take place",
        "Enter the standard venue for supervision",
        multiline=False,
    ),
    _f(
        "preparation",
        "Preparation for supervision",
        "Set out the expectations of supervisor and supervisee in how they will prepare "
        "for supervision sessions",
        "Enter how the supervisor and supervisee will prepare for supervision",
    ),
    _f(
        "recording",
        "Recording of supervision",
        "Set out how supervision will be recorded and stored by the supervisor",
        "Enter how supervision will be recorded and stored",
    ),
    _f(
        "ad_hoc_recording",
        "Recording of ad hoc supervision",
        "Set out the recording expectations for the supervisor for any ad hoc supervision, "
        "advice or decision making",
        "Enter how ad hoc supervision, advice and decisions will be recorded",
    ),
    _f(
        "practice_observation",
        "Practice observation arrangements",
        "Detail the frequency, preparation, feedback, recording and use of practice observation",
        "Enter the practice observation arrangements",
    ),
    _f(
        "confidentiality",
        "Confidentiality of supervision",
        "Set out how confidentiality is protected in supervision, the boundaries of "
        "confidentiality and who might have access to supervision records",
        "Enter how confidentiality will be protected in supervision",
    ),
    _f(
        "disagreements",
        "Dealing with disagreements",
        "Detail how any disagreements in supervision will be resolved, who will be contacted "
        "to support finding a resolution",
        "Enter how disagreements in supervision will be resolved",
    ),
    _f(
        "additional_reporting",
        "Any additional reporting arrangements (optional)",
        "Detail any additional arrangements, for example professional consultation / "
        "additional line management chains",
    ),
    _f(
        "other",
        "Other (optional)",
        "Additional support from an Advanced Practitioner may be detailed here, explicitly "
        "setting out the arrangements, boundaries, recording and confidentiality related to "
        "this support",
    ),
)

FIELD_KEYS = tuple(f.key for f in FIELDS)

LANCASHIRE = AgreementDefinition(
    profile="lancashire",
    title="One to one supervision agreement",
    source=SOURCE,
    purpose=(
        Purpose(
            "Supervision is central to ensuring positive outcomes for children, young people, "
            "and their families."
        ),
        Purpose("The four key functions of supervision are:", FUNCTIONS),
        Purpose("Our principles in supervision are:", PRINCIPLES),
        Purpose(
            "Refer to the Core Practice Standards in the Supervision Procedure before "
            "completing this agreement."
        ),
    ),
    frequency_label="Frequency of supervision, in weeks",
    frequency_hint="Set out the frequency in weeks for supervision. For example, 4 means "
    "every 4 weeks.",
    sections=(Section(None, FIELDS),),
    declaration=DECLARATION,
    declaration_intro="Before signing this agreement both the supervisor and supervisee must "
    "have discussed the key functions and principles of supervision to ensure there is a "
    "shared understanding of the purpose and function of supervision.",
    declaration_message="Confirm that you have discussed the key functions and principles of "
    "supervision",
    review_note="This document should be reviewed at least annually, but can be revised "
    "sooner and more frequently, if necessary.",
    variation=Variation(
        floor_cite="Lancashire §1.10",
        floor_quote="These should be considered as minimum standards that can be increased "
        "for staff experiencing performance or practice issues",
        reason_cite="Lancashire §1.1",
        reason_quote="if they are deviating from these standards, there is the expectation "
        "they have discussed, agreed, and recorded this with their own manager and the "
        "supervisee",
    ),
    frequency_max_weeks=FREQUENCY_MAX_WEEKS,
)

# Bristol 002, Appendix 1 "Individual Supervision Agreement". "This pro-forma
# provides suggested text. You should amend this text to reflect the specific
# supervision agreements between the supervisor and supervisee."
BRISTOL = AgreementDefinition(
    profile="bristol",
    title="Individual supervision agreement",
    source="002_d53851039f9fa32d.txt Appendix 1, Individual Supervision Agreement",
    purpose=(
        Purpose(
            "Purpose of supervision: the supervision relationship will be based upon mutual "
            "respect for each other's skills, knowledge and experience.",
            (
                "Accountability: supervision will provide an opportunity to reflect on work "
                "objectives; ensure they are in line with children's services policies and "
                "procedures; and ensure quality services are delivered to the public",
                "Professional development: supervision will provide an opportunity to "
                "discuss and plan professional development as well as identifying learning "
                "needs",
                "Support: supervision will provide an opportunity to discuss any support "
                "needs that may arise",
            ),
        ),
        Purpose(
            "This pro-forma provides suggested text. Amend it to reflect the specific "
            "supervision agreement between you."
        ),
    ),
    frequency_label="Frequency, in weeks",
    frequency_hint="Formal supervision arrangements will take place every four weeks; informal "
    "support via meetings and telephone contact will happen as required. If supervision is "
    "cancelled for any reason, it will be rearranged at the earliest opportunity and the reason "
    "for cancellation or delay recorded in the next supervision session.",
    sections=(
        Section(
            "Supervision arrangements",
            (
                _f(
                    "time",
                    "Time",
                    "How long each supervision session will last",
                    "Enter how long supervision sessions will last",
                    multiline=False,
                    suggested="Supervision sessions should last no less than one hour.",
                ),
                _f(
                    "place",
                    "Place",
                    "The venue for supervision sessions will normally be… Interruptions will be "
                    "kept to a minimum and telephone calls not made or accepted unless both "
                    "agree, and only for operational reasons.",
                    "Enter where supervision sessions will normally take place",
                    multiline=False,
                ),
                _f(
                    "agenda",
                    "Agenda",
                    "What every session covers, and when additional items are tabled",
                    "Enter what the supervision agenda will cover",
                    suggested="Any additional items for discussion should be tabled at the start "
                    "of the supervision session. Supervision sessions should always cover the "
                    "following: children allocated, professional development, personal support, "
                    "HR issues (pay, leave, sickness). Issues of equality and diversity should be "
                    "integral to all areas of supervision and not a standalone item.",
                ),
                _f(
                    "appraisal",
                    "Link to appraisal objectives",
                    "How supervision links to the objectives set in the annual appraisal",
                    "Enter how supervision will link to appraisal objectives",
                    suggested="The supervision session will be used to reflect on progress made "
                    "against objectives set in the annual appraisal.",
                ),
                _f(
                    "session_content",
                    "Content",
                    "What each of you brings to supervision sessions",
                    "Enter what each of you will bring to supervision",
                    suggested="Both participants are expected to contribute fully to supervision "
                    "sessions and should actively bring items or topics for discussion.",
                ),
                _f(
                    "preparation",
                    "Preparation",
                    "The agreed requirements for preparing for supervision",
                    "Enter the agreed requirements for preparing for supervision",
                ),
                _f(
                    "accountability",
                    "Accountability",
                    "The line of accountability, and who the practitioner should contact in the "
                    "line manager's absence",
                    "Enter the line of accountability and who to contact in the line manager's "
                    "absence",
                ),
                _f(
                    "expectations",
                    "Expectations",
                    "What you expect of each other",
                    "Enter what you expect of each other in supervision",
                    suggested="For supervision to be effective both participants need to be open "
                    "to reflection and challenge in order to support best outcomes for children.",
                ),
                _f(
                    "confidentiality",
                    "Confidentiality",
                    "What is confidential, and who may review supervision notes",
                    "Enter how confidentiality will be handled in supervision",
                    suggested="Information relevant to children and families is not "
                    "confidential; it may need to be shared with a variety of other "
                    "professionals and colleagues. The supervisor will clarify whether other "
                    "matters discussed during supervision are considered confidential. Where it "
                    "is necessary to share information with others this will be discussed before "
                    "this happens. Supervision notes will remain confidential but may be "
                    "reviewed by senior managers and the quality assurance co-ordinator in line "
                    "with the current quality assurance framework.",
                ),
                _f(
                    "recording",
                    "Recording of supervision sessions",
                    "Who records the sessions, and when the notes are shared (within 48 hours)",
                    "Enter who will record supervision and when the notes will be shared",
                    suggested="{supervisor} will record the sessions and ensure that "
                    "{supervisee} has a copy of the supervision notes. These will be shared "
                    "within 48 hours of supervision having taken place.",
                ),
                _f(
                    "equality_diversity",
                    "Equality and diversity",
                    "How your relationship enables open discussion of equality and diversity",
                    "Enter how equality and diversity will be part of supervision",
                    suggested="Both {supervisor} and {supervisee} have responsibility for "
                    "ensuring that their relationship enables the open and free discussion of "
                    "any issue relating to equality and diversity. Consideration of these issues "
                    "should be integral to all areas of discussion within supervision sessions.",
                ),
                _f(
                    "review",
                    "Review and evaluation",
                    "When and why this agreement is reviewed",
                    "Enter how this agreement will be reviewed",
                    suggested="This supervision agreement should be reviewed annually. Either "
                    "party may request a review at any time should there be a need to do so "
                    "(for example failure by one or other party to adhere to the provisions of "
                    "the agreement, or a need to vary the frequency of supervision sessions).",
                ),
            ),
        ),
    ),
    declaration="We agree the supervision arrangements in this agreement",
    declaration_intro="The agreement is signed and dated by the supervisor and the supervisee.",
    declaration_message="Confirm that you agree the supervision arrangements in this agreement",
    review_note="This agreement is to be reviewed 1 year from the date of completion.",
    variation=Variation(
        floor_cite="Bristol §3.4",
        floor_quote="All members of the children's workforce, including part time members of "
        "staff, should receive supervision every four weeks",
        reason_cite="Bristol Appendix 1, Review/Evaluation",
        reason_quote="Either party may request a review at any time should there be a need to "
        "do so (i.e. … need to vary frequency of supervision sessions etc)",
    ),
)


def _w(key, question, hint=""):
    return _f(key, question, hint, WOKINGHAM_MESSAGES[key])


WOKINGHAM_MESSAGES = {
    "supervisee_brings": "Enter what the supervisee brings to this relationship",
    "supervisee_expectations": "Enter the supervisee's expectations of the supervisor",
    "supervisor_expectations": "Enter the supervisor's expectations of the supervisee",
    "best_supervision": "Enter what made the supervisee's best supervision so good",
    "what_might_change": "Enter what might need to change to make supervision the best it can be",
    "cultural": "Enter any cultural similarities or differences, or say there are none",
    "permissions": "Enter the permissions you have agreed",
    "feedback_excellent": "Enter how feedback about excellent work will be given",
    "feedback_concerns": "Enter how feedback about performance concerns will be given",
    "career_development": "Enter how the supervisee will be supported with career development",
    "not_working": "Enter how you will recognise when the supervisory relationship is not working",
    "resolving_difficulties": "Enter how you will resolve difficulties in working together",
}


# Wokingham 003, Appendix B "Supervision Agreement" (practical considerations,
# content, "making supervision work"), with the named manager the section
# "Disputes and Complaints" says the agreement must indicate.
WOKINGHAM = AgreementDefinition(
    profile="wokingham",
    title="Supervision agreement",
    source="003_a24710131ec71e13.txt Appendix B, Supervision Agreement",
    purpose=(
        Purpose(
            "This agreement is designed to be a working tool to underpin the development and "
            "maintenance of an effective supervisory relationship. The expectations of the "
            "organisation regarding the Supervision Policy are non-negotiable."
        ),
        Purpose(
            "The effectiveness of the supervision agreement depends upon the quality of "
            "conversation between the supervisor and supervisee and provides a foundation for "
            "discussion. It should be completed at the conclusion of an exploration of the "
            "issues and not become a form filling exercise."
        ),
    ),
    frequency_label="Frequency of one to one supervision will be, in weeks",
    frequency_hint="For example, 4 means every 4 weeks. Standard 16 sets personal supervision "
    "on a monthly basis.",
    sections=(
        # Standard 19: a variation from the recommended frequency is recorded
        # "as an amendment to the Supervision Agreement this should include
        # details of review arrangements". First, without a heading, so every
        # form that lists the sections (signing, amending, the annual review)
        # asks it straight after the variation's reason.
        Section(
            None,
            (
                _f(
                    "variation_review",
                    "Review arrangements for this variation",
                    "Only if you agree a different frequency. Standard 19: a variation should "
                    "include details of review arrangements, for example when and how you will "
                    "look at the frequency again",
                    "Enter the review arrangements for the different frequency",
                    variation_only=True,
                ),
            ),
        ),
        Section(
            "1. Practical considerations",
            (
                _f(
                    "duration",
                    "Supervision will last",
                    "Standard 20: sessions should normally last a minimum of 1.5 hours when "
                    "conducted monthly",
                    "Enter how long supervision will last",
                    multiline=False,
                ),
                _f(
                    "venue",
                    "Venue for supervisions",
                    "",
                    "Enter the venue for supervisions",
                    multiline=False,
                ),
                _f(
                    "cancellation",
                    "Arrangements if either party needs to cancel",
                    "",
                    "Enter the arrangements if either party needs to cancel",
                ),
                _f(
                    "interruptions",
                    "Circumstances under which supervision may be interrupted",
                    "",
                    "Enter the circumstances under which supervision may be interrupted",
                ),
                _f(
                    "ad_hoc_availability",
                    "Availability of the supervisor for ad hoc discussions between sessions "
                    "will be",
                    "",
                    "Enter the supervisor's availability for ad hoc discussions between sessions",
                ),
            ),
        ),
        Section(
            "Content",
            (
                _f(
                    "agenda",
                    "Who will prepare the supervision agenda",
                    "",
                    "Enter who will prepare the supervision agenda",
                    multiline=False,
                ),
                _f(
                    "preparation",
                    "Preparation for supervision will include",
                    "Standard 6: ensuring actions agreed at previous supervisions have been "
                    "completed and areas for discussion are identified in advance",
                    "Enter what preparation for supervision will include",
                ),
                _f(
                    "case_recording",
                    "Case discussions and decisions from supervision and ad hoc discussions "
                    "will be recorded on the child's record by",
                    "Standard 11: each child discussed in supervision has a record entered into "
                    "their MOSAIC case file",
                    "Enter who will record case discussions and decisions on the child's record",
                    multiline=False,
                ),
                _f(
                    "recording",
                    "How supervision will be recorded: where, when, how and by whom",
                    "Standard 8: within a maximum of 5 days after the session",
                    "Enter where, when, how and by whom supervision will be recorded",
                ),
                _f(
                    "sharing",
                    "When will the record be shared",
                    "",
                    "Enter when the supervision record will be shared",
                    multiline=False,
                ),
            ),
        ),
        Section(
            "2. Making supervision work",
            (
                _w(
                    "supervisee_brings",
                    "What does the supervisee bring to this relationship?",
                    "Previous work experience, experience of being supervised, preferred "
                    "learning style",
                ),
                _w(
                    "supervisee_expectations",
                    "What are the supervisee's expectations of the supervisor?",
                ),
                _w(
                    "supervisor_expectations",
                    "What are the supervisor's expectations of the supervisee?",
                ),
                _w(
                    "best_supervision",
                    "For the supervisee: what made the best supervision you have ever had so good?",
                    "What factors contributed to the success of this supervision?",
                ),
                _w(
                    "what_might_change",
                    "Both: what might need to change to make supervisory meetings the best they "
                    "can be?",
                ),
                _w(
                    "cultural",
                    "Are there any cultural similarities or differences that could affect the "
                    "supervisory relationship?",
                    "For example race, gender, religion, impairment. If so, what might we need "
                    "to think about (and agree) to enable a relationship based on trust, care "
                    "and mutual respect?",
                ),
                _w(
                    "permissions",
                    "Permissions: is it okay for the supervisor not to know all the answers or "
                    "the supervisee to say they are stuck?",
                ),
                _w(
                    "feedback_excellent",
                    "How will feedback about excellent work by the supervisee or supervisor be "
                    "given?",
                    "How will it be recorded? Who else will it be shared with?",
                ),
                _w(
                    "feedback_concerns",
                    "How will feedback about performance concerns be given?",
                    "When, and where?",
                ),
                _w(
                    "career_development",
                    "How will the supervisee be supported to explore and develop areas of "
                    "interest and career development opportunities?",
                ),
                _w(
                    "not_working",
                    "How will we recognise when the supervisory relationship is not working "
                    "effectively?",
                ),
                _w(
                    "resolving_difficulties",
                    "What methods will be used to resolve any difficulties in working together?",
                ),
                _f(
                    "named_manager",
                    "Named manager to contact if a dispute cannot be resolved between you",
                    "Disputes and Complaints: also where either of you feels the terms of this "
                    "agreement are not being met",
                    "Enter the named manager to contact if a dispute cannot be resolved",
                    multiline=False,
                ),
                _f(
                    "other",
                    "Any other relevant issues for this agreement? (optional)",
                    "",
                ),
            ),
        ),
    ),
    declaration="We have completed, agreed and signed this supervision agreement together",
    declaration_intro="Standard 4: the Individual Supervision Agreement will be completed, "
    "agreed and signed within 1 month of the supervision relationship commencing.",
    declaration_message="Confirm that you have completed and agreed this supervision agreement "
    "together",
    review_note="This agreement is reviewed at least once a year; it is a working document, "
    "updated on an ongoing basis to meet the changing needs of the supervisee.",
    variation=Variation(
        floor_cite="Wokingham standard 19",
        floor_quote="in all cases supervision should still take place in line with Standards 16-18",
        reason_cite="Wokingham standard 19",
        reason_quote="Any variation from the recommended frequency … should be by agreement "
        "between the supervisor and supervisee and clearly recorded (with reasoning) as an "
        "amendment to the Supervision Agreement; this should include details of review "
        "arrangements",
    ),
)

# Nottingham 001 §2.1 "The supervision contract must cover" (its Appendix 2a
# "Supervision Contract" and 2b "Management Supervision Contract" are named but
# not reproduced in the document).
NOTTINGHAM = AgreementDefinition(
    profile="nottingham",
    title="Supervision contract",
    source="001_223e21d801bb36c8.txt §2.1 (Appendix 2a: Supervision Contract)",
    purpose=(
        Purpose(
            "The purpose of the supervision contract is to provide a framework for supervision "
            "to help ensure it happens in practice. It should embrace the whole supervisory "
            "relationship as well as agreeing the practical arrangements for holding regular "
            "supervision meetings."
        ),
        Purpose(
            "A supervision contract should be drawn up jointly at the beginning of every new "
            "supervisory relationship."
        ),
    ),
    frequency_label="Frequency of supervision, in weeks",
    frequency_hint="§1.4: the frequency and duration of supervision should be specified in the "
    "supervision contract; the minimum is monthly supervision of at least 90 minutes. For "
    "example, 4 means every 4 weeks.",
    sections=(
        Section(
            None,
            (
                _f(
                    "duration",
                    "Duration of supervision",
                    "§1.4: a minimum duration of 90 minutes",
                    "Enter the duration of each supervision session",
                    multiline=False,
                ),
                _f(
                    "format",
                    "Format of supervision",
                    "",
                    "Enter the format of supervision",
                ),
                _f(
                    "future_dates",
                    "Dates of future supervision sessions",
                    "§2.4: you will also be given a schedule of sessions covering the next 12 "
                    "months when this contract comes into force",
                    "Enter the dates of future supervision sessions",
                ),
                _f(
                    "key_tasks",
                    "Agreed key tasks of the supervisee that will provide the focus for "
                    "supervision",
                    "",
                    "Enter the agreed key tasks that will provide the focus for supervision",
                ),
                _f(
                    "standards",
                    "Supervision standards, including roles and responsibilities of both "
                    "supervisee and supervisor",
                    "",
                    "Enter the supervision standards, including the roles and responsibilities of "
                    "both of you",
                ),
                _f(
                    "disagreements",
                    "The process for dealing with any disagreements, or if the supervisee does "
                    "not feel that their supervision is meeting the policy requirements",
                    "",
                    "Enter the process for dealing with disagreements",
                    suggested="If issues arise that cannot be resolved between the parties, in "
                    "the first instance, both parties should submit a written statement "
                    "detailing the issues to the supervisor's Line Manager. If there is no "
                    "resolution, the Department's Disciplinary or Grievance Procedure could be "
                    "invoked.",
                ),
            ),
        ),
    ),
    declaration="We have drawn up this supervision contract jointly",
    declaration_intro="The contract should be signed and dated by both parties.",
    declaration_message="Confirm that you have drawn up this supervision contract jointly",
    review_note="Date for review of supervision contract: this will normally be after 12 months "
    "unless either the supervisor or the supervisee feels an earlier review is needed.",
    variation=Variation(
        floor_cite="Nottingham §1.4",
        floor_quote="For all staff, the minimum standards will be as follows: monthly "
        "supervision and of a minimum duration of 90 minutes",
        reason_cite="Nottingham §1.4",
        reason_quote="Beyond these minimum standards the frequency and duration will vary "
        "according to the type of job performed",
    ),
)

# North West 004: "supervision that is: based on a written agreement or
# contract" (Key Messages for Supervisors). It gives no form and no frequency,
# so this follows national practice: an agreement covering the other key
# messages for supervisors.
NORTH_WEST = AgreementDefinition(
    profile="north_west",
    title="Written supervision agreement",
    source="004_a4837a5d4747be33.txt Key Messages for Supervisors",
    note="The North West guidance asks that supervision be based on a written agreement or "
    "contract but gives no form. Following national practice, this agreement covers its "
    "other Key Messages for Supervisors.",
    purpose=(
        Purpose(
            "The key functions of supervision are:",
            (
                "Management (ensuring competent and accountable performance/practice)",
                "Development (continuing professional development)",
                "Support (supportive/restorative function)",
                "Engagement/mediation (engaging the individual with the organisation)",
            ),
        ),
    ),
    frequency_label="Frequency of supervision, in weeks",
    frequency_hint="The guidance sets no frequency: agree one. For example, 4 means every 4 weeks.",
    sections=(
        Section(
            None,
            (
                _f(
                    "planning",
                    "How sessions will be planned",
                    "Planned well in advance and only changed in exceptional circumstances",
                    "Enter how supervision sessions will be planned",
                ),
                _f(
                    "agenda",
                    "Agenda",
                    "Well-structured, allowing both of you to contribute to the agenda",
                    "Enter how the agenda will be set",
                ),
                _f(
                    "setting",
                    "Setting",
                    "Provided in an appropriate setting and free of interruptions",
                    "Enter where supervision will take place",
                    multiline=False,
                ),
                _f(
                    "recording",
                    "Recording",
                    "Properly and promptly recorded, with notes copied to the supervisee",
                    "Enter how supervision will be recorded and the notes copied",
                ),
            ),
        ),
    ),
    declaration="We have discussed the key functions of supervision",
    declaration_intro="Supervision should be inclusive of all its functions.",
    declaration_message="Confirm that you have discussed the key functions of supervision",
    review_note="National practice: the agreement is reviewed annually.",
    variation=None,
)

DEFINITIONS: dict[str, AgreementDefinition] = {
    d.profile: d for d in (LANCASHIRE, NOTTINGHAM, BRISTOL, WOKINGHAM, NORTH_WEST)
}


def definition_for(profile: str) -> AgreementDefinition:
    """The profile's agreement form; an unknown profile gets the national-practice one."""
    return DEFINITIONS.get(profile, NORTH_WEST)
