"""Synthetic councils for the load test: staff with logins in teams under a
head of service, supervision relationships so the web app's scope rules see
the usual shape, and a deterministic stream of human-task rows for COPY.

Each council has one head of service, `teams` team managers and nine
practitioners per team. Open human tasks per person follow a skewed
(log-normal) spread: practitioners a few tens, team managers up to a few
hundred, heads of service a few hundred. Escalations go up the chain with
the overdue task they point at, so every manager has tasks completed by a
plain POST. A few group tasks per council are offered to supervisors.
Everything else is closed history (completed or cancelled)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from bench.load.common import MARK, USERNAME_PREFIX
from models.tables.org import (
    AppRole,
    Organisation,
    ServiceArea,
    StaffMember,
    StaffRole,
    Team,
    UserAccount,
    UserRole,
)
from models.tables.supervision import RelationshipReason, SupervisionRelationship

PROFILES = ("lancashire", "nottingham", "bristol", "wokingham", "north_west")
PRACTITIONERS_PER_TEAM = 9
GROUP_TASKS_PER_COUNCIL = 5
FIRST = ("Amal", "Beth", "Carl", "Dina", "Eoin", "Fern", "Gita", "Hugo", "Iris", "Jude", "Kofi")
LAST = ("Ashby", "Bower", "Croft", "Dunne", "Ekwe", "Frost", "Gale", "Hardy", "Iqbal", "Jones")

COLUMNS = (
    "organisation_id", "key", "kind", "lifecycle", "title", "subject", "relationship_id",
    "subject_staff_id", "assignee_id", "candidate_role", "opens_on", "due_on", "status",
    "escalation_level", "escalated_at", "rule", "source", "rule_text", "payload",
    "created_at", "created_by", "completed_at", "completed_by_id", "closed_reason",
)  # fmt: skip

# (kind, lifecycle, rule, title, what the subject is). Titles as the reconcile writes them.
OWN_KINDS = (
    ("record_countersign", "recording", "recording.countersign",
     "Read and countersign your supervision record of {day}", "rel"),
    ("review_questionnaire", "agreement_review", "agreement.review_questionnaire",
     "Complete your annual supervision review", "rel"),
    ("case_record", "recording", "recording.case",
     "Enter the case direction for {case} on the child's record", "case"),
    ("decision_record", "recording", "recording.decision",
     "Enter the decision on case {case} on the child's record", "case"),
)  # fmt: skip
SUPERVISOR_KINDS = (
    ("supervision", "personal_supervision", "supervision.role.social_worker",
     "Hold supervision with {name}", "rel"),
    ("record", "recording", "recording.session",
     "Write up the supervision record with {name}", "rel"),
    ("case_supervision", "case_supervision", "case_supervision.default",
     "Supervise case {case}", "case"),
    ("practice_observation", "observation", "observation.practice",
     "Observe {name}'s practice", "staff"),
    ("registration_check", "registration", "registration.check",
     "Check {name}'s Social Work England registration", "staff"),
    ("development", "development", "development.discussion",
     "Discuss professional development with {name}", "rel"),
    ("agreement_review", "agreement_review", "agreement.review",
     "Review the supervision agreement with {name}", "rel"),
)  # fmt: skip
OWN_WEIGHTS = (3, 1, 4, 1)
SUPERVISOR_WEIGHTS = (4, 3, 6, 1, 1, 1, 1)
RULE_TEXT = "Synthetic row for the load test; the policy's words would be here."


@dataclass
class Person:
    staff_id: int
    name: str
    username: str
    team_id: int | None
    rel_id: int | None = None  # the relationship in which they are supervised
    supervisees: list[Person] = field(default_factory=list)


@dataclass
class Council:
    organisation_id: int
    number: int
    head: Person
    managers: list[Person]
    team_ids: list[int]

    @property
    def people(self) -> list[Person]:
        return [self.head, *self.managers, *(p for m in self.managers for p in m.supervisees)]


def build_council(
    session: Session, number: int, teams: int, today: date, password_hash: str
) -> Council:
    """One council's organisation, people, logins and relationships."""
    org = Organisation(
        name=f"Load Test Council {number:02d}",
        slug=f"{USERNAME_PREFIX}-{number:02d}",
        profile=PROFILES[(number - 1) % len(PROFILES)],
    )
    session.add(org)
    session.flush()
    area = ServiceArea(organisation_id=org.id, name="Children's Social Care")
    session.add(area)
    session.flush()
    make = _PersonMaker(session, org.id, number, today, password_hash)
    head = make(
        "hos",
        None,
        None,
        StaffRole.SENIOR_MANAGER,
        (AppRole.HEAD_OF_SERVICE, AppRole.SUPERVISOR, AppRole.LINE_MANAGER),
    )
    area.head_of_service_id = head.staff_id
    managers, team_ids = [], []
    for t in range(1, teams + 1):
        team = Team(service_area_id=area.id, name=f"Team {t:02d}")
        session.add(team)
        session.flush()
        team_ids.append(team.id)
        manager = make(
            f"tm{t:02d}",
            team.id,
            head,
            StaffRole.TEAM_MANAGER,
            (AppRole.SUPERVISOR, AppRole.LINE_MANAGER, AppRole.SUPERVISEE),
        )
        for n in range(1, PRACTITIONERS_PER_TEAM + 1):
            manager.supervisees.append(
                make(
                    f"sw{t:02d}.{n}",
                    team.id,
                    manager,
                    StaffRole.SOCIAL_WORKER,
                    (AppRole.SUPERVISEE,),
                )
            )
        head.supervisees.append(manager)
        managers.append(manager)
    session.flush()
    return Council(org.id, number, head, managers, team_ids)


class _PersonMaker:
    def __init__(self, session, organisation_id, number, today, password_hash):
        self.session, self.organisation_id, self.number = session, organisation_id, number
        self.today, self.password_hash = today, password_hash
        self.count = 0

    def __call__(self, handle, team_id, manager: Person | None, role, roles) -> Person:
        self.count += 1
        username = f"{USERNAME_PREFIX}{self.number:02d}.{handle}"
        name = f"{FIRST[self.count % len(FIRST)]} {LAST[(self.count // 7) % len(LAST)]}"
        staff = StaffMember(
            organisation_id=self.organisation_id,
            team_id=team_id,
            staff_number=f"L{self.count:05d}",
            name=f"{name} ({handle})",
            email=f"{username}@load-test.example",
            job_title=role.value.replace("_", " ").title(),
            role=role,
            started_on=self.today - timedelta(days=400 + self.count % 900),
            line_manager_id=manager.staff_id if manager else None,
        )
        self.session.add(staff)
        self.session.flush()
        account = UserAccount(
            staff_id=staff.id, username=username, password_hash=self.password_hash
        )
        account.roles = [UserRole(role=r) for r in roles]
        self.session.add(account)
        person = Person(staff.id, staff.name, username, team_id)
        if manager is not None:
            rel = SupervisionRelationship(
                supervisor_id=manager.staff_id,
                supervisee_id=staff.id,
                started_on=staff.started_on,
                reason=RelationshipReason.NEW_STARTER,
            )
            self.session.add(rel)
            self.session.flush()
            person.rel_id = rel.id
        return person


@dataclass(frozen=True)
class Plan:
    """How many open rows each person holds, and the closed rows per council."""

    open_counts: dict[int, int]  # staff id -> open rows as assignee (escalations included)
    escalations: dict[int, int]  # staff id -> escalations assigned to them
    closed_per_council: dict[int, int]  # council number -> closed rows

    @property
    def open_total(self) -> int:
        # An escalation brings its escalated original task, held by someone below.
        return sum(self.open_counts.values()) + sum(self.escalations.values())


def plan(councils: list[Council], rows: int, rng: random.Random) -> Plan:
    open_counts: dict[int, int] = {}
    escalations: dict[int, int] = {}
    for council in councils:
        open_counts[council.head.staff_id] = _spread(rng, 200, 100, 400)
        escalations[council.head.staff_id] = open_counts[council.head.staff_id] // 4
        for manager in council.managers:
            open_counts[manager.staff_id] = _spread(rng, 80, 30, 300)
            escalations[manager.staff_id] = max(20, open_counts[manager.staff_id] // 4)
            for person in manager.supervisees:
                open_counts[person.staff_id] = _spread(rng, 25, 10, 150)
    group = GROUP_TASKS_PER_COUNCIL * len(councils)
    partial = Plan(open_counts, escalations, {})
    closed = rows - partial.open_total - group
    if closed < 0:
        raise ValueError(
            f"{rows} rows cannot hold the {partial.open_total + group} open tasks of "
            f"{len(councils)} councils; ask for more rows or fewer councils/teams."
        )
    share, extra = divmod(closed, len(councils))
    per_council = {c.number: share + (1 if i < extra else 0) for i, c in enumerate(councils)}
    return Plan(open_counts, escalations, per_council)


def _spread(rng: random.Random, median: float, low: int, high: int) -> int:
    return max(low, min(high, round(rng.lognormvariate(0, 0.55) * median)))


class RowMaker:
    """Builds one council's rows; keys are unique across the whole table."""

    def __init__(self, council: Council, today: date, rng: random.Random):
        self.council, self.today, self.rng = council, today, rng
        self.serial = 0

    def row(self, kind_spec, assignee: Person | None, about: Person, **extra) -> tuple:
        kind, lifecycle, rule, title, what = kind_spec
        self.serial += 1
        case = f"LCS-{self.council.number:02d}{self.serial:07d}"
        subject = extra.get("subject") or {
            "rel": f"rel-{about.rel_id}",
            "staff": f"staff-{about.staff_id}",
        }.get(what, case)
        due = extra.get("due_on") or self.today + timedelta(days=self.rng.randint(-30, 60))
        status = extra.get("status") or (
            "escalated" if due < self.today and self.rng.random() < 0.3 else "open"
        )
        escalated = status == "escalated"
        done = status in ("completed", "cancelled")
        created = datetime.combine(due - timedelta(days=21), time(6))
        return (
            self.council.organisation_id,
            f"{kind}:{subject}:{MARK}-{self.council.number}-{self.serial}",
            kind,
            lifecycle,
            title.format(name=about.name, case=case, day=f"{due:%-d %B %Y}"),
            subject,
            about.rel_id if what == "rel" else None,
            about.staff_id if what != "case" else None,
            assignee.staff_id if assignee else None,
            extra.get("candidate_role"),
            due - timedelta(days=28),
            due,
            status,
            1 if escalated else 0,
            datetime.combine(due + timedelta(days=1), time(6)) if escalated else None,
            rule,
            f"{self.council.number:03d}_synthetic.txt §1.{self.serial % 17}",
            RULE_TEXT,
            json.dumps(extra.get("payload") or {}),
            created,
            MARK,
            created + timedelta(days=self.rng.randint(1, 30)) if done else None,
            assignee.staff_id if done and assignee and status == "completed" else None,
            {"completed": "completed in the inbox", "cancelled": "no longer owed"}.get(status),
        )

    def open_rows(self, person: Person, count: int, supervisor: bool) -> Iterator[tuple]:
        kinds, weights = (
            (SUPERVISOR_KINDS, SUPERVISOR_WEIGHTS)
            if supervisor
            else (
                OWN_KINDS,
                OWN_WEIGHTS,
            )
        )
        for _ in range(count):
            spec = self.rng.choices(kinds, weights)[0]
            about = self.rng.choice(person.supervisees) if supervisor else person
            yield self.row(spec, person, about)

    def escalation_pair(self, manager: Person) -> Iterator[tuple]:
        """An overdue task of someone they manage, and its escalation to them
        (same subject, the original's key in its payload, as the reconcile does)."""
        below = self.rng.choice(manager.supervisees)
        supervising = bool(below.supervisees)
        about = self.rng.choice(below.supervisees) if supervising else below
        spec = self.rng.choices(
            *(
                (SUPERVISOR_KINDS, SUPERVISOR_WEIGHTS)
                if supervising
                else (
                    OWN_KINDS,
                    OWN_WEIGHTS,
                )
            )
        )[0]
        due = self.today - timedelta(days=self.rng.randint(3, 60))
        original = self.row(spec, below, about, due_on=due, status="escalated")
        yield original
        label = spec[0].replace("_", " ")
        escalation = ("escalation", spec[1], "escalation", f"Overdue {label}: {{name}}", spec[4])
        yield self.row(
            escalation,
            manager,
            about,
            due_on=due,
            status="open",
            subject=original[5],
            payload={"escalates": original[1]},
        )

    def group_rows(self) -> Iterator[tuple]:
        """Offered to every supervisor in the council; whoever claims it does it."""
        spec = (
            "case_file_audit",
            "case_file_audit",
            "case_file_audit.monthly",
            "Audit a case file: {case}",
            "case",
        )
        for _ in range(GROUP_TASKS_PER_COUNCIL):
            yield self.row(spec, None, self.council.head, candidate_role="supervisor")

    def closed_rows(self, count: int) -> Iterator[tuple]:
        """History: done or no longer owed, due over the last three years;
        managers and the head of service hold twice a practitioner's share."""
        people = self.council.people
        weights = [2 if p.supervisees else 1 for p in people]
        for _ in range(count):
            person = self.rng.choices(people, weights)[0]
            if person.supervisees:
                spec = self.rng.choices(SUPERVISOR_KINDS, SUPERVISOR_WEIGHTS)[0]
                about = self.rng.choice(person.supervisees)
            else:
                spec, about = self.rng.choices(OWN_KINDS, OWN_WEIGHTS)[0], person
            due = self.today - timedelta(days=self.rng.randint(1, 1100))
            status = "completed" if self.rng.random() < 0.88 else "cancelled"
            yield self.row(spec, person, about, due_on=due, status=status)


def council_rows(council: Council, rows_plan: Plan, today: date, seed: int) -> Iterator[tuple]:
    """Every row of one council, the same for the same seed and day."""
    maker = RowMaker(council, today, random.Random(f"{seed}-{council.number}"))
    for person in council.people:
        escalations = rows_plan.escalations.get(person.staff_id, 0)
        own = rows_plan.open_counts[person.staff_id] - escalations
        yield from maker.open_rows(person, own, supervisor=bool(person.supervisees))
        for _ in range(escalations):
            yield from maker.escalation_pair(person)
    yield from maker.group_rows()
    yield from maker.closed_rows(rows_plan.closed_per_council[council.number])
