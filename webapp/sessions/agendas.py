"""The supervision record's agenda for each council, as its document words it.

Every agenda has a "review of previous actions" block (the structured list of
last time's actions, each marked done or not done with a note) and a case
discussion block (case IDs and case directions, one CaseSupervision row per
case) under the section the document puts them in. Section text is stored in
SupervisionSession.record["sections"] under each section's key."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    hint: str


@dataclass(frozen=True)
class Agenda:
    name: str  # the form's name in the document
    source: str  # seed file and paragraph
    sections: tuple[Section, ...]
    review_section: str  # the section previous actions are reviewed under
    cases_section: str  # the section case discussions are recorded under
    questions: tuple[Section, ...] = ()  # further questions on the form (Bristol)
    note: str = ""  # where the document is silent, the practice we follow

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


LANCASHIRE = Agenda(
    name="Employee Supervision Record",
    source="000_b775b8e7712f1ef5.txt Appendix A, Employee Supervision Record; §1.7",
    sections=(
        Section(
            "review",
            "1. Review of previous supervision",
            "Check any issues carrying over / check actions have been completed, record outcomes "
            "and progress",
        ),
        Section(
            "personal",
            "2. Personal",
            "Support for supervisee: work / home / health and safety / emotional and physical "
            "health and wellbeing / leave",
        ),
        Section(
            "role",
            "3. Role and organisation",
            "Update on wider organisational changes / check clarity on role expectations / record "
            "progress and achievements / if ASYE or probationary period note progress",
        ),
        Section(
            "development",
            "4. Professional development",
            "Feedback on performance and quality of practice / link to organisational and national "
            "standards / learning / training - consider professional level and aspirations / make "
            "plans, set clear goals and timescales / reference observations of practice",
        ),
        Section(
            "workload",
            "5. Workload overview",
            "Quality assurance / governance / priorities and diary management / size of caseload / "
            "deadlines / set specific (SMART) actions",
        ),
        Section(
            "children",
            "6. Children, young people and families discussed",
            "Note case numbers for recording in LCS, never names. Strengths-based / focus on "
            "outcomes and impact / review plan / note progress / barriers / risks / decisions "
            "with evidence / actions (SMART)",
        ),
    ),
    review_section="review",
    cases_section="children",
)

_BRISTOL_COMMON_END = (
    Section(
        "equality",
        "4. Equality and diversity",
        "Consider issues of equality and diversity which may have arisen either in practice, "
        "within the workforce or systemically; in the team; and in the supervisory relationship "
        "or work with children and families (self-reflection)",
    ),
    Section("hr", "5. HR matters (pay, leave, sickness)", "Pay, leave, sickness, TOIL"),
    Section(
        "matters_arising",
        "6. Matters arising from last, not covered by agenda",
        "Issues carried over from the last session that the agenda has not covered",
    ),
    Section(
        "cases",
        "7. Case discussion and management oversight",
        "Record the LCS number of all children discussed, never names. Case directions are "
        "recorded below and entered on LCS within 24 hours; they are not part of this record "
        "(§5.2)",
    ),
    Section(
        "reflection",
        "Additional summary of reflective discussion",
        "Anything not captured in case directions: use of self, testing hypothesis, impact on "
        "worker, relationships, identity and culture",
    ),
)

_BRISTOL_QUESTIONS = (
    Section(
        "group_supervision",
        "Has the supervisee accessed group supervision since your last 1:1 supervision? If not, "
        "why not?",
        "Bristol §6.5: attendance at group reflective supervision is captured in the personal "
        "supervision record",
    ),
)

BRISTOL_WORKER = Agenda(
    name="Notes of Supervision Session - Social Worker / Family Support Worker / Personal Adviser",
    source="002_d53851039f9fa32d.txt Appendix 3; §4.1-4.9; §5.2",
    sections=(
        Section(
            "check_in",
            "1. Check-in (personal support)",
            "How are you? How are you feeling? What's going well? Is there anything you are "
            "worried about?",
        ),
        Section(
            "performance",
            "2. Performance",
            "Consider strengths and areas of improvement: key performance areas (timeliness of "
            "assessments, visits, recording), key practice areas; feedback from any recent audit",
        ),
        Section(
            "development",
            "3. Professional development",
            "Link to appraisal objectives and career progression routes; learning and development "
            "needs; training, mentoring and coaching opportunities",
        ),
        *_BRISTOL_COMMON_END,
    ),
    review_section="matters_arising",
    cases_section="cases",
    questions=_BRISTOL_QUESTIONS,
)

BRISTOL_MANAGER = Agenda(
    name="Notes of Supervision Session - Team Manager / Practice Lead / CSW",
    source="002_d53851039f9fa32d.txt Appendix 3; §4.1-4.9; §5.2",
    sections=(
        Section(
            "check_in",
            "1. Check-in (personal support)",
            "What do you particularly want to cover in this session? How is your team doing? "
            "How are you doing (management style, personal wellbeing)?",
        ),
        Section(
            "performance",
            "2. Performance",
            "Consider strengths and areas of improvement: auditing, performance and caseload data",
        ),
        Section(
            "development",
            "3. Professional development",
            "Link to appraisal objectives; learning and development needs; training, mentoring "
            "and coaching opportunities",
        ),
        *_BRISTOL_COMMON_END,
    ),
    review_section="matters_arising",
    cases_section="cases",
    questions=_BRISTOL_QUESTIONS,
)

NOTTINGHAM_WORKER = Agenda(
    name="Supervision Record (P/SUP/3a)",
    source="001_223e21d801bb36c8.txt §1.5 (worker supervision); §1.6-1.8; §1.10",
    sections=(
        Section(
            "workload",
            "1. Workload management and file audit",
            "Activities undertaken; case consultation and discussion; case file audit discussion; "
            "caseload management and supportive measures (co-worker, meetings, court, debriefing)",
        ),
        Section(
            "development",
            "2. Professional development",
            "Training requirements and Personal Performance Plans; induction; longer term "
            "development plans; post-registration training; HCPC/Social Work England and DBS "
            "registrations, driving licence and insurance",
        ),
        Section(
            "welfare",
            "3. Welfare and support issues",
            "Practice and personnel issues; stress and supportive measures; absence; health and "
            "safety; the supervisory relationship; equal opportunities",
        ),
        Section(
            "other",
            "Any other issues",
            "Third party discussions, joint supervisions, special requirements or adjustments "
            "for the supervisee (§1.10)",
        ),
    ),
    review_section="workload",
    cases_section="workload",
    note=(
        "The policy lists the areas to cover (§1.5); its record form (Appendix 3a) is not in the "
        "document, so the record follows the §1.5 headings. Case discussions are recorded "
        "separately on the Case Consultation Record (§1.10)."
    ),
)

NOTTINGHAM_MANAGER = Agenda(
    name="Supervision Record - Manager (P/SUP/3b)",
    source="001_223e21d801bb36c8.txt §1.5 (management supervision); §1.10",
    sections=(
        Section(
            "management",
            "1. Management issues",
            "Practice, personnel, strategic and budget issues in their team or area; complaints "
            "and compliments; performance management",
        ),
        Section(
            "workload",
            "2. Workload management",
            "Team plans; relevant action plans; project work; additional activities",
        ),
        Section(
            "development",
            "3. Professional development",
            "Induction; training and Performance Development Reviews; career development; "
            "HCPC/Social Work England and DBS registrations, driving licence and insurance",
        ),
        Section(
            "welfare",
            "4. Welfare and support issues",
            "Factors affecting performance; health and safety; stress; absence; personal issues; "
            "equal opportunities",
        ),
        Section(
            "other",
            "5. Other issues",
            "Leave arrangements, any specific support measures required",
        ),
    ),
    review_section="workload",
    cases_section="workload",
)

WOKINGHAM = Agenda(
    name="Record of individual supervision",
    source=(
        "003_a24710131ec71e13.txt Individual Supervision (Morrison 4x4x4: Management, "
        "Development, Mediation, Support); Appendix A standards 6, 9-11"
    ),
    sections=(
        Section(
            "review",
            "Actions from previous supervision",
            "Standard 6: ensure actions agreed at previous supervisions have been completed",
        ),
        Section(
            "management",
            "Management",
            "Oversight and joint accountability for day-to-day work and quality of service; "
            "resources and caseloads; targets and overall performance",
        ),
        Section(
            "development",
            "Development",
            "Achievements and learning needs; skills, knowledge and attributes; developmental "
            "opportunities. Record any conduct or practice development actions and the support "
            "offered (standard 10)",
        ),
        Section(
            "mediation",
            "Mediation",
            "The supervisee's roles, relationships and partnerships within and outside the "
            "organisation",
        ),
        Section(
            "support",
            "Support and wellbeing",
            "Reflecting on practice, its purpose, pace and impact; wellbeing; constructive "
            "feedback and observation of practice",
        ),
        Section(
            "cases",
            "Case supervision",
            "Each child by MOSAIC ID only, never a name (standard 9); a record of this "
            "supervision goes on the child's MOSAIC file (standard 11)",
        ),
    ),
    review_section="review",
    cases_section="cases",
    note=(
        "The policy has no record template; the record follows its four functions of "
        "supervision and standards 6 and 9-11."
    ),
)

NORTH_WEST = Agenda(
    name="Record of supervision",
    source=(
        "004_a4837a5d4747be33.txt Key functions of supervision (Working Together 2010 4.49); "
        "Key Messages for Organisations (agendas for supervision sessions)"
    ),
    sections=(
        Section(
            "review",
            "Review of notes and actions from the previous meeting",
            "Key Messages for Individuals: review notes from the previous meeting and follow "
            "through agreed actions",
        ),
        Section(
            "management",
            "Management",
            "Ensuring competent and accountable performance and practice",
        ),
        Section("development", "Development", "Continuing professional development"),
        Section("support", "Support", "Supportive and restorative function; emotional impact"),
        Section(
            "engagement",
            "Engagement and mediation",
            "Engaging the individual with the organisation",
        ),
        Section(
            "cases",
            "Child protection cases discussed",
            "All child protection cases must be regularly discussed; case IDs only",
        ),
    ),
    review_section="review",
    cases_section="cases",
    note=(
        "The guidance asks for agendas but gives none; national practice is to structure the "
        "record on its four key functions of supervision."
    ),
)

MANAGER_ROLES = frozenset({"senior_manager", "manager", "team_manager"})

AGENDAS: dict[str, dict[str, Agenda]] = {
    "lancashire": {"worker": LANCASHIRE, "manager": LANCASHIRE},
    "bristol": {"worker": BRISTOL_WORKER, "manager": BRISTOL_MANAGER},
    "nottingham": {"worker": NOTTINGHAM_WORKER, "manager": NOTTINGHAM_MANAGER},
    "wokingham": {"worker": WOKINGHAM, "manager": WOKINGHAM},
    "north_west": {"worker": NORTH_WEST, "manager": NORTH_WEST},
}


def agenda_for(profile: str, supervisee_role: str) -> Agenda:
    """The record form for this council and the supervisee's role (Bristol and
    Nottingham have a separate form for managers)."""
    variants = AGENDAS.get(profile, AGENDAS["north_west"])
    return variants["manager" if supervisee_role in MANAGER_ROLES else "worker"]
