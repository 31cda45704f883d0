"""Facts the engine reasons over. They mirror the command-line facts file
(issue 3) and are what the database-backed reconcile builds from the tables,
so the command line and the reconcile give the same answer for the same facts.

Identifiers are opaque strings: the database uses "staff-7", "rel-42" and the
council's case IDs; a facts file may use anything unique."""

from __future__ import annotations

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


@dataclass(frozen=True)
class Staff:
    id: str
    role: str
    started_on: date
    left_on: date | None = None
    asye: bool = False
    employment: str = "permanent"
    line_manager: str | None = None


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


@dataclass(frozen=True)
class Case:
    id: str
    type: str
    worker: str
    allocated_on: date
    supervised_on: tuple[date, ...] = ()
    frequency_weeks: int | None = None


@dataclass(frozen=True)
class Facts:
    staff: tuple[Staff, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    sessions: tuple[Session, ...] = ()
    cases: tuple[Case, ...] = ()
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def staff_by_id(self) -> dict[str, Staff]:
        return {s.id: s for s in self.staff}
