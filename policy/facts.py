"""Facts the engine reasons over. They mirror the command-line facts file
and are what the database-backed reconcile builds from the tables,
so the command line and the reconcile give the same answer for the same facts.

Identifiers are opaque strings: the database uses "staff-7", "rel-42" and the
council's case IDs; a facts file may use anything unique."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

ROLES = (
    "senior_manager",
    "manager",
    "team_manager",
    "social_worker",
    "iro",
    "support_worker",
    "non_direct_staff",
    "residential",
    "business_support",
    "student",
)

EMPLOYMENT_TYPES = ("permanent", "part_time", "agency", "temporary", "casual")

CASE_TYPES = (
    "child_protection",
    "child_in_need",
    "child_in_care",
    "early_help",
    "care_leaver",
    "supervising_social_worker",
    "children_with_disabilities",
)

RELATIONSHIP_REASONS = ("new_starter", "change_of_post", "change_of_supervisor")

SESSION_KINDS = ("individual", "group", "asye_reflective")

OBSERVATION_KINDS = ("practice", "supervision")

# Where a decision on a case was made: in a formal supervision session, or in a
# discussion outside one (Bristol 002_d53851039f9fa32d.txt §5.7, "informal
# supervision/management direction").
DECISION_SETTINGS = ("supervision", "outside_supervision")

# What a case needs beyond its type, in Nottingham's words (001_223e21d801bb36c8.txt
# §1.6): "CIC & CIN cases where there are safeguarding concerns, cases where plans
# need to be driven and complex care proceedings" monthly; "CIC cases where the
# child is settled in placement and CIN cases where the plan is to step down" bi-monthly.
CASE_CATEGORIES = (
    "safeguarding_concerns",
    "plan_to_drive",
    "care_proceedings",
    "settled_in_placement",
    "stepping_down",
)

# The months of the ASYE year its reviews fall in (Skills for Care ASYE framework).
ASYE_STAGES = (3, 6, 12)

# A child's case is named by its case-system ID only, never by name (Wokingham
# standard 9): digits, optionally after a short upper-case system prefix
# ("LCS-123456", "EHM123456", "C204511", "1234567"). No space, no lower case.
CASE_ID_FORMAT = re.compile(r"(?:[A-Z]{1,5}-?)?[0-9]{4,12}")

# The parties named on Lancashire's Group Supervision Agreement (Appendix A).
GROUP_PARTIES = ("supervisor", "coordinator", "supervisee")


@dataclass(frozen=True)
class Staff:
    id: str
    role: str
    started_on: date
    left_on: date | None = None
    asye: bool = False
    employment: str = "permanent"
    line_manager: str | None = None
    # Optional, for the rules that need them (policy/rules/*):
    probation_ends_on: date | None = None  # default: started_on + the profile's probation
    asye_started_on: date | None = None  # default: started_on
    team: str | None = None  # default: the line manager's team (line_manager id)
    registration_renews_on: date | None = None  # Social Work England renewal date
    registration_checked_on: date | None = None
    # The latest DBS check, and when the next re-check is due: the database
    # layer applies the configured interval (OVERSIGHT_DBS_RECHECK_YEARS).
    dbs_checked_on: date | None = None
    dbs_recheck_due_on: date | None = None
    records_deleted_on: date | None = None  # supervision records deleted after leaving
    # Contracted hours a week; None: full time (models/reports/capacity.py).
    contracted_hours: float | None = None


@dataclass(frozen=True)
class Relationship:
    id: str
    supervisor: str
    supervisee: str
    started_on: date
    ended_on: date | None = None
    reason: str = "new_starter"


@dataclass(frozen=True)
class Agreement:
    """A version of the written agreement. `signed_on` is the day the second
    party signed (the agreement is in force from then); `supervisor_signed_on`
    alone means it awaits the supervisee's countersignature."""

    supervisee: str
    supervisor: str
    signed_on: date | None = None
    supervisor_signed_on: date | None = None
    relationship: str | None = None
    frequency_weeks: int | None = None
    variation_reason: str | None = None


@dataclass(frozen=True)
class Session:
    supervisee: str
    held_on: date
    recorded_on: date | None = None
    supervisor: str | None = None
    kind: str = "individual"  # one of SESSION_KINDS
    development_discussed: bool = False
    # Bristol §3.4: the record of a session held late says why it was late.
    late_reason_recorded: bool = False
    # The record's current version and its signatures (Nottingham §1.10: both sign).
    record_version: int = 1
    record_signed_on: date | None = None  # the supervisor signed this version
    countersigned_on: date | None = None  # the supervisee signed this version
    # How long it lasted, against the document's minimum (record_form.yaml).
    duration_minutes: int | None = None
    # The record shared with (copied to) the supervisee, apart from when it was
    # written (Lancashire §1.8, Bristol Appendix 1, North West "notes copied").
    shared_on: date | None = None


@dataclass(frozen=True)
class Case:
    id: str
    type: str
    worker: str
    allocated_on: date
    supervised_on: tuple[date, ...] = ()
    frequency_weeks: int | None = None  # recorded per-case frequency (a variation)
    closed_on: date | None = None
    recorded_on: tuple[date, ...] = ()  # case notes / directions entered on the child's record
    category: str | None = None  # one of CASE_CATEGORIES (Nottingham §1.6)


@dataclass(frozen=True)
class HoursWorked:
    """Hours a casual or sessional worker worked on a day (Bristol §3.5)."""

    staff: str
    worked_on: date
    hours: float


@dataclass(frozen=True)
class Absence:
    staff: str
    started_on: date
    ended_on: date | None = None  # planned or actual return; None while open-ended
    cover_arranged_on: date | None = None


@dataclass(frozen=True)
class Observation:
    """An observation of `staff`: of their practice, or of a supervision they led."""

    staff: str
    observed_on: date
    kind: str = "practice"  # one of OBSERVATION_KINDS
    with_family: bool = False  # the supervisee engaging with children and families
    observer: str | None = None


@dataclass(frozen=True)
class Sampling:
    """A head of service or senior manager sampling supervision records."""

    by: str
    sampled_on: date


@dataclass(frozen=True)
class Audit:
    """A case-file audit (Nottingham §1.5)."""

    case: str
    audited_on: date
    audited_by: str | None = None


@dataclass(frozen=True)
class Decision:
    """An important decision on a case (RAG rating, safeguarding, legal)."""

    case: str
    made_on: date
    recorded_on: date | None = None
    made_in: str = "supervision"  # one of DECISION_SETTINGS


@dataclass(frozen=True)
class ReviewQuestionnaire:
    """Lancashire's Supervision Annual Review form, completed at the annual
    review of a relationship's agreement and forwarded to the supervisor's line
    manager (§1.4, Appendix A)."""

    relationship: str
    reviewed_on: date
    forwarded_on: date | None = None


@dataclass(frozen=True)
class AsyeReview:
    """A review of a newly qualified social worker's ASYE year: `stage` is the
    month it falls in (3, 6 or 12; Skills for Care ASYE framework)."""

    staff: str
    stage: int
    reviewed_on: date


@dataclass(frozen=True)
class GroupAgreement:
    """A version of a group supervision agreement (Lancashire Appendix A,
    "Group Supervision Agreement"): the supervisor / team manager drew it up
    and signed it on `issued_on`, asking the team coordinator and each
    supervisee to sign. `group` names the group across its versions."""

    group: str
    version: int
    supervisor: str
    issued_on: date
    ended_on: date | None = None  # the group stopped meeting: nothing more is owed


@dataclass(frozen=True)
class GroupSignatory:
    """A party named on a version of a group agreement, and the day they signed it."""

    group: str
    version: int
    staff: str
    party: str  # one of GROUP_PARTIES
    signed_on: date | None = None


@dataclass(frozen=True)
class AgreedAction:
    """An action agreed in a supervision session: who owns it and by when
    (Bristol Appendix 3 "Actions: Who? By when?"; Wokingham standard 6). Done
    when its owner marks it done or the next session's review records it done."""

    id: str
    supervisee: str  # whose supervision agreed it
    owner: str
    agreed_on: date  # the session's day
    due_on: date
    done_on: date | None = None


@dataclass(frozen=True)
class MissedSession:
    """A supervision session that did not take place, raised by the supervisee
    with their supervisor and, if not put right, escalated to the supervisor's
    line manager, who responds (Wokingham standards 14-15). `due` is the missed
    session's due date, as in its obligation's key."""

    relationship: str
    due: date
    raised_on: date
    escalated_on: date | None = None
    responded_on: date | None = None


@dataclass(frozen=True)
class CaseOversight:
    """Management oversight recorded on a child's record between case
    supervisions (Wokingham standards 25-27: "recorded management oversight on
    alternate months")."""

    case: str
    recorded_on: date
    by: str | None = None


@dataclass(frozen=True)
class RecordAudit:
    """An audit of a supervisor's supervision records by their line manager
    (Wokingham Quality Assurance "Supervision Audits"; Nottingham Appendix 6),
    and the day it was discussed with the supervisor, where the council asks."""

    supervisor: str
    audited_on: date
    audited_by: str | None = None
    discussed_on: date | None = None


@dataclass(frozen=True)
class Facts:
    staff: tuple[Staff, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    sessions: tuple[Session, ...] = ()
    cases: tuple[Case, ...] = ()
    hours_worked: tuple[HoursWorked, ...] = ()
    absences: tuple[Absence, ...] = ()
    observations: tuple[Observation, ...] = ()
    samplings: tuple[Sampling, ...] = ()
    audits: tuple[Audit, ...] = ()
    decisions: tuple[Decision, ...] = ()
    review_questionnaires: tuple[ReviewQuestionnaire, ...] = ()
    asye_reviews: tuple[AsyeReview, ...] = ()
    group_agreements: tuple[GroupAgreement, ...] = ()
    group_signatories: tuple[GroupSignatory, ...] = ()
    record_audits: tuple[RecordAudit, ...] = ()
    actions: tuple[AgreedAction, ...] = ()
    missed_sessions: tuple[MissedSession, ...] = ()
    case_oversights: tuple[CaseOversight, ...] = ()
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def staff_by_id(self) -> dict[str, Staff]:
        return {s.id: s for s in self.staff}
