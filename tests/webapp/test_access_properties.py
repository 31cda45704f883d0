"""A property test of the access rules: for random organisations (staff with
random roles, line managers, teams and heads of service, supervision
relationships in force and ended, cover in force and over, held sessions,
and human tasks about them, open and closed, delegated and covered), every
person's page, agreement, schedule, session record and human task is
reachable by exactly the people an independent scope oracle (below, written
from the policy in webapp/README.md "Who sees what", not from webapp.scope)
allows, and by nobody in another council.

Hypothesis keeps the examples few (each builds a council and makes a few
hundred requests); the suite runs it on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import AppRole, StaffRole
from policy import keys
from tests.conftest import _empty_all_tables
from tests.factories import (
    make_cover,
    make_human_task,
    make_organisation,
    make_relationship,
    make_service_area,
    make_session,
    make_staff,
    make_team,
    make_user,
)
from tests.webapp.conftest import TODAY, build_app, login

DAYS = [TODAY - timedelta(days=d) for d in (7, 14, 21)]
STARTED = TODAY - timedelta(days=120)
ACTING_ROLES = [
    AppRole.SUPERVISEE,
    AppRole.SUPERVISOR,
    AppRole.LINE_MANAGER,
    AppRole.HEAD_OF_SERVICE,
    AppRole.PRINCIPAL_SOCIAL_WORKER,
    AppRole.WORKFORCE_TEAM,
]
# The families of task tried, and what the oracle says each lets its holder
# read while it is open: the agreement, or the record of the key's day.
TASKS = {
    "record": ("record", "record"),
    "late_reason": ("late_reason", "record"),
    "record_countersign": ("record_countersign", "record"),
    "record_escalation": ("escalation", "record"),
    "agreement_review": ("agreement_review", "agreement"),
    "agreement_escalation": ("escalation", "agreement"),
    "session": ("supervision", None),
}


@dataclass
class Plan:
    """One council, as plain data: indexes into `roles` name the staff."""

    roles: list[frozenset[AppRole]]
    line_managers: list[int | None]
    teams: list[int]  # 0 or 1: which team (in its own service area)
    heads: list[int | None]  # the head of each team's service area
    relationships: list[tuple[int, int, bool]]  # supervisor, supervisee, ended
    covers: list[tuple[int, int, bool]]  # absent, cover, in force today
    sessions: list[tuple[int, int]]  # relationship, day
    tasks: list[tuple[int, int, str, int, bool, str | None]] = field(default_factory=list)
    # holder, relationship, TASKS name, day, open, reassignment ("delegated", "cover", None)


@st.composite
def plans(draw) -> Plan:
    n = draw(st.integers(3, 6))
    auditor = st.just(frozenset({AppRole.AUDITOR}))
    acting = st.frozensets(st.sampled_from(ACTING_ROLES), min_size=1, max_size=2)
    roles = [draw(st.one_of(acting, acting, acting, auditor)) for _ in range(n)]
    line_managers = [
        draw(st.one_of(st.none(), st.integers(0, i - 1))) if i else None for i in range(n)
    ]
    person = st.integers(0, n - 1)
    pairs = st.tuples(person, person, st.booleans()).filter(lambda p: p[0] != p[1])
    relationships = draw(st.lists(pairs, min_size=1, max_size=4))
    r = st.integers(0, len(relationships) - 1)
    tasks = st.tuples(
        person,
        r,
        st.sampled_from(sorted(TASKS)),
        st.integers(0, len(DAYS) - 1),
        st.booleans(),
        st.sampled_from([None, "delegated", "cover"]),
    )
    return Plan(
        roles=roles,
        line_managers=line_managers,
        teams=[draw(st.integers(0, 1)) for _ in range(n)],
        heads=[draw(st.one_of(st.none(), person)) for _ in range(2)],
        relationships=relationships,
        covers=draw(st.lists(pairs, max_size=2)),
        sessions=sorted(set(draw(st.lists(st.tuples(r, st.integers(0, 2)), max_size=4)))),
        # One task per key (the key is unique): a family, relationship and day.
        tasks=list({t[1:4]: t for t in draw(st.lists(tasks, max_size=5))}.values()),
    )


# --- the oracle ------------------------------------------------------------------------


def _in_force(plan: Plan, r: int) -> bool:
    return not plan.relationships[r][2]


def oracle_sees_staff(plan: Plan, me: int) -> set[int]:
    """Whose records `me` may see, from the policy's words."""
    everyone = set(range(len(plan.roles)))
    roles = plan.roles[me]
    if roles & {AppRole.PRINCIPAL_SOCIAL_WORKER, AppRole.WORKFORCE_TEAM, AppRole.AUDITOR}:
        return everyone
    reports = {i for i in everyone if plan.line_managers[i] == me}
    covered = {absent for absent, cover, now in plan.covers if cover == me and now}
    supervisors = {me} | covered | reports
    supervisees = {
        sub
        for r, (sup, sub, _) in enumerate(plan.relationships)
        if sup in supervisors and _in_force(plan, r)
    }
    headed = {team for team, head in enumerate(plan.heads) if head == me}
    area = (
        {i for i in everyone if plan.teams[i] in headed}
        if AppRole.HEAD_OF_SERVICE in roles
        else set()
    )
    return {me} | reports | supervisees | area


def _grants(plan: Plan, me: int, r: int, what: str, day: int | None = None) -> bool:
    return any(
        holder == me
        and rel == r
        and is_open
        and TASKS[name][1] == what
        and (day is None or d == day)
        for holder, rel, name, d, is_open, _ in plan.tasks
    )


def oracle(plan: Plan, me: int) -> dict[str, set]:
    """What `me` may open: ("staff", i), ("agreement", r), ("schedule", r),
    ("session", s), ("task", n), by their indexes in the plan."""
    staff = oracle_sees_staff(plan, me)
    allowed: set = {("staff", i) for i in staff}
    for r, (sup, sub, _) in enumerate(plan.relationships):
        sees = me in (sup, sub) or sub in staff
        if sees or _grants(plan, me, r, "agreement"):
            allowed.add(("agreement", r))
        if sees:
            allowed.add(("schedule", r))
    for s, (r, day) in enumerate(plan.sessions):
        sup, sub, _ = plan.relationships[r]
        if me in (sup, sub) or sub in staff or _grants(plan, me, r, "record", day):
            allowed.add(("session", s))
    allowed |= {("task", n) for n, task in enumerate(plan.tasks) if task[0] == me}
    return allowed


# --- the council built from the plan ----------------------------------------------------


def _task_key(name: str, rel: str, day, step: int) -> str:
    record = keys.build("record", relationship=rel, day=day)
    return {
        "record": lambda: record,
        "late_reason": lambda: keys.build("late_reason", relationship=rel, day=day),
        "record_countersign": lambda: keys.build(
            "record_countersign", relationship=rel, day=day, version=1
        ),
        "record_escalation": lambda: keys.escalation(record, step=step),
        "agreement_review": lambda: keys.build("agreement_review", relationship=rel, due=day),
        "agreement_escalation": lambda: keys.escalation(
            keys.build("agreement", relationship=rel), step=step
        ),
        "session": lambda: keys.build("session", relationship=rel, due=day),
    }[name]()


def _people(session, org, plan: Plan) -> list:
    areas = [make_service_area(session, org, name=f"Area {t}") for t in (0, 1)]
    teams = [make_team(session, org, name=f"Team {t}", area=areas[t]) for t in (0, 1)]
    staff = [
        make_staff(session, org, name=f"Person {i}", role=StaffRole.SOCIAL_WORKER, team=teams[t])
        for i, t in enumerate(plan.teams)
    ]
    for i, manager in enumerate(plan.line_managers):
        staff[i].line_manager_id = None if manager is None else staff[manager].id
    for t, head in enumerate(plan.heads):
        areas[t].head_of_service_id = None if head is None else staff[head].id
    for i, roles in enumerate(plan.roles):
        expires = (
            {"access_expires_on": TODAY + timedelta(days=30)} if AppRole.AUDITOR in roles else {}
        )
        make_user(session, staff[i], *sorted(roles), username=f"u{i}", **expires)
    return staff


def build(session, plan: Plan) -> dict[tuple[str, int], int]:
    """The plan in the database: (what, index) -> id."""
    org = make_organisation(session, name="Propertyshire")
    staff = _people(session, org, plan)
    ids = {("staff", i): s.id for i, s in enumerate(staff)}
    for r, (sup, sub, ended) in enumerate(plan.relationships):
        rel = make_relationship(
            session,
            staff[sup],
            staff[sub],
            started_on=STARTED,
            ended_on=TODAY - timedelta(days=10) if ended else None,
        )
        ids[("agreement", r)] = ids[("schedule", r)] = rel.id
    for absent, cover, now in plan.covers:
        starts = TODAY - timedelta(days=5 if now else 30)
        make_cover(
            session,
            staff[absent],
            staff[cover],
            starts_on=starts,
            ends_on=starts + timedelta(days=10),
        )
    for s, (r, day) in enumerate(plan.sessions):
        ids[("session", s)] = make_session(session, ids[("agreement", r)], held_on=DAYS[day]).id
    for n, (holder, r, name, day, is_open, moved) in enumerate(plan.tasks):
        rel_id = ids[("agreement", r)]
        task = make_human_task(
            session,
            org,
            kind=TASKS[name][0],
            due_on=TODAY,
            assignee=staff[holder],
            relationship=rel_id,
            subject_staff=staff[plan.relationships[r][1]],
            key=_task_key(name, keys.relationship_fact_id(rel_id), DAYS[day], n + 2),
            title=f"Task {n}",
            status="open" if is_open else "completed",
            lifecycle="recording",
            reassignment=moved,
            original_assignee_id=staff[plan.relationships[r][0]].id if moved else None,
        )
        ids[("task", n)] = task.id
    return ids


def elsewhere(session) -> dict[tuple[str, int], int]:
    """Another council: a supervisor (login "b0") who holds a record task about
    their supervisee's session."""
    org = make_organisation(session, name="Elsewhere")
    staff = [make_staff(session, org, name=f"Other {i}") for i in (0, 1)]
    make_user(session, staff[0], AppRole.SUPERVISOR, username="b0")
    rel = make_relationship(session, staff[0], staff[1], started_on=STARTED)
    visit = make_session(session, rel, held_on=DAYS[0])
    task = make_human_task(
        session,
        org,
        kind="record",
        due_on=TODAY,
        assignee=staff[0],
        relationship=rel,
        key=_task_key("record", keys.relationship_fact_id(rel.id), DAYS[0], 2),
        title="Other",
    )
    return {
        ("staff", 0): staff[0].id,
        ("staff", 1): staff[1].id,
        ("agreement", 0): rel.id,
        ("schedule", 0): rel.id,
        ("session", 0): visit.id,
        ("task", 0): task.id,
    }


URLS = {
    "staff": "/people/{}",
    "agreement": "/relationships/{}/agreement",
    "schedule": "/relationships/{}/sessions",
    "session": "/sessions/{}",
    "task": "/api/tasks/{}",
}
HEADERS = {"X-Requested-With": "XMLHttpRequest"}


def _reached(client, ids) -> set:
    """The objects of `ids` this client opens (200); anything else must be 404."""
    reached = set()
    for (what, n), row_id in ids.items():
        response = client.get(URLS[what].format(row_id), headers=HEADERS)
        assert response.status_code in (200, 404), (what, n, response.status_code)
        if response.status_code == 200:
            reached.add((what, n))
    return reached


@given(plan=plans())
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_object_is_reachable_by_exactly_whom_the_scope_oracle_allows(migrated_database, plan):
    from models.db import get_sessionmaker

    _empty_all_tables()
    factory = get_sessionmaker()
    with factory() as session, session.begin():
        ids = build(session, plan)
        other = elsewhere(session)
    app = build_app(factory)
    for me in range(len(plan.roles)):
        client = app.test_client()
        assert login(client, f"u{me}").status_code == 302, me
        expected = oracle(plan, me)
        assert _reached(client, ids) == expected, f"person {me}: {plan}"
        assert _reached(client, other) == set(), f"person {me} reached another council"
    stranger = app.test_client()
    assert login(stranger, "b0").status_code == 302
    assert _reached(stranger, ids) == set()
    assert _reached(stranger, other) == {
        ("staff", 0),
        ("staff", 1),
        ("agreement", 0),
        ("schedule", 0),
        ("session", 0),
        ("task", 0),
    }
