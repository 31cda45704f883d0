"""The property test of the access rules (tests/webapp/test_access_properties.py)
for the rest of what a council holds about its people: supervision groups and
their agreements (and the human tasks about a group), observations, annual
review questionnaires, ASYE reviews and children's cases (the case page, its
management oversight, and the forms that write a case direction, oversight or
an ASYE review or sign a group agreement, an observation or an annual
review). For random organisations, with supervision in force and
ended, cover in force and over, and tasks open and closed, delegated and
covered, each page is reachable (and each form accepts a submission) from
exactly the people an oracle written here from the policy's words allows
(webapp/README.md "Who sees what"; models/actions/permissions.py's wording
for who records), and from nobody in another council.

The oracle is independent of webapp/scope.py: it reads only the plan."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import (
    AppRole,
    GroupAgreementSignatory,
    GroupParty,
    GroupSupervisionAgreement,
    ObservationKind,
    StaffMember,
)
from policy import keys
from tests.conftest import _empty_all_tables
from tests.factories import (
    make_case,
    make_group_agreement,
    make_human_task,
    make_observation,
    make_organisation,
    make_relationship,
    make_review_questionnaire,
    make_staff,
    make_user,
)
from tests.webapp.conftest import TODAY, build_app, login
from tests.webapp.test_access_properties import (
    DAYS,
    STARTED,
    Plan,
    build,
    oracle_sees_staff,
    plans,
)


@dataclass
class Oversight:
    """What the council holds beyond supervision, as indexes into the Plan."""

    plan: Plan
    groups: list[tuple[int, list[frozenset[int]]]]  # supervisor, members of each version
    group_tasks: list[tuple[int, int, str, bool, str | None]]
    # holder, group, kind, open, reassignment ("delegated", "cover", None)
    observations: list[tuple[int, int]]  # observed, observer
    questionnaires: list[tuple[int, int | None]]  # relationship, forwarded to
    cases: list[int]  # the allocated worker of each open case


@st.composite
def oversight_plans(draw) -> Oversight:
    plan = draw(plans())
    n = len(plan.roles)
    person = st.integers(0, n - 1)
    members = st.frozensets(person, max_size=3)
    group = st.tuples(person, st.lists(members, min_size=1, max_size=2))
    groups = draw(st.lists(group, min_size=1, max_size=2))
    # A member is never the group's own supervisor.
    groups = [(sup, [v - {sup} for v in versions]) for sup, versions in groups]
    group_task = st.tuples(
        person,
        st.integers(0, len(groups) - 1),
        st.sampled_from(["group_agreement_review", "group_agreement_sign"]),
        st.booleans(),
        st.sampled_from([None, "delegated", "cover"]),
    )
    pairs = st.tuples(person, person).filter(lambda p: p[0] != p[1])
    relationship = st.integers(0, len(plan.relationships) - 1)
    return Oversight(
        plan=plan,
        groups=groups,
        # One task per key: a review per group, a signature per group and holder.
        group_tasks=list(
            {
                (t[1], t[2], t[0] if t[2] == "group_agreement_sign" else None): t
                for t in draw(st.lists(group_task, max_size=3))
            }.values()
        ),
        observations=draw(st.lists(pairs, max_size=3)),
        questionnaires=draw(st.lists(st.tuples(relationship, st.none() | person), max_size=2)),
        cases=draw(st.lists(person, min_size=1, max_size=3)),
    )


# --- the oracle ------------------------------------------------------------------------


def _covered_by(plan: Plan, me: int) -> set[int]:
    """The supervisors `me` covers for today."""
    return {absent for absent, cover, now in plan.covers if cover == me and now}


def oracle_records_for(plan: Plan, me: int, worker: int) -> bool:
    """Who records supervision for a worker (an ASYE review): their supervisor
    in a relationship in force, or a colleague covering for that supervisor
    today; never the worker themselves; never a read-only login."""
    if worker == me or plan.roles[me] == frozenset({AppRole.AUDITOR}):
        return False
    supervisors = {sup for sup, sub, ended in plan.relationships if sub == worker and not ended}
    return me in supervisors or bool(supervisors & _covered_by(plan, me))


def oracle_directs_case(plan: Plan, me: int, worker: int) -> bool:
    """A case direction or oversight is written only on a case whose worker the
    writer supervises, covers for or line-manages."""
    if plan.roles[me] == frozenset({AppRole.AUDITOR}):
        return False
    return plan.line_managers[worker] == me or oracle_records_for(plan, me, worker)


def oracle(o: Oversight, me: int) -> set:
    plan = o.plan
    sees = oracle_sees_staff(plan, me)
    read_only = plan.roles[me] == frozenset({AppRole.AUDITOR})
    allowed: set = set()
    for g, (sup, versions) in enumerate(o.groups):
        named = {sup}.union(*versions)
        holds = any(h == me and grp == g and is_open for h, grp, _, is_open, _ in o.group_tasks)
        if me in named or named & sees or holds:
            allowed.add(("group", g))
        if me == sup:
            allowed.add(("group_new_version", g))
        if me in versions[-1] and not read_only:
            allowed.add(("group_sign", g))
    allowed |= {("group_task", t) for t, task in enumerate(o.group_tasks) if task[0] == me}
    for n, (observed, observer) in enumerate(o.observations):
        if me in (observed, observer) or observed in sees:
            allowed.add(("observation", n))
        if me in (observed, observer) and not read_only:
            allowed.add(("observation_sign", n))
    for n, (r, forwarded_to) in enumerate(o.questionnaires):
        sup, sub, _ = plan.relationships[r]
        if me in (sup, sub, forwarded_to) or sub in sees:
            allowed.add(("questionnaire", n))
        if me == sup and not read_only:
            allowed.add(("questionnaire_sign", n))
    for r, (sup, sub, _) in enumerate(plan.relationships):
        allowed |= {("agreement_review", r)} if me == sup else set()
        allowed |= {("questionnaire_form", r)} if me == sub else set()
    for i in range(len(plan.roles)):
        if i in sees:
            allowed.add(("asye", i))
        if oracle_records_for(plan, me, i):
            allowed.add(("asye_write", i))
    for c, worker in enumerate(o.cases):
        if worker in sees:
            allowed |= {("case", c), ("case_oversight", c)}
        if oracle_directs_case(plan, me, worker):
            allowed |= {("case_direction", c), ("case_oversight_write", c)}
    return allowed


# --- the council built from the plan ----------------------------------------------------


def _case_ref(c: int) -> str:
    return f"LCS-{700100 + c}"


def build_oversight(session, o: Oversight) -> dict[tuple[str, int], object]:
    """The plan and what it holds beyond supervision: (what, index) -> id or case ID."""
    ids = build(session, o.plan)
    staff = [ids[("staff", i)] for i in range(len(o.plan.roles))]
    org_id = _organisation_of(session, staff[0])
    for g, (sup, versions) in enumerate(o.groups):
        group_id = _group(session, staff, sup, versions)
        for what in ("group", "group_new_version", "group_sign"):
            ids[(what, g)] = group_id
    for t, (holder, g, kind, is_open, moved) in enumerate(o.group_tasks):
        group_id = ids[("group", g)]
        key = (
            keys.build("group_agreement_review", group=keys.group_fact_id(group_id), due=TODAY)
            if kind == "group_agreement_review"
            else keys.build(
                "group_agreement_sign",
                group=keys.group_fact_id(group_id),
                version=1,
                staff=keys.staff_fact_id(staff[holder]),
            )
        )
        ids[("group_task", t)] = make_human_task(
            session,
            org_id,
            kind=kind,
            due_on=TODAY,
            assignee=staff[holder],
            subject=keys.group_fact_id(group_id),
            key=key,
            title=f"Group task {t}",
            status="open" if is_open else "completed",
            reassignment=moved,
            original_assignee_id=staff[o.groups[g][0]] if moved else None,
        ).id
    for n, (observed, observer) in enumerate(o.observations):
        ids[("observation", n)] = ids[("observation_sign", n)] = make_observation(
            session,
            staff[observed],
            observer=staff[observer],
            observed_on=DAYS[1],
            kind=ObservationKind.PRACTICE,
        ).id
    for n, (r, forwarded_to) in enumerate(o.questionnaires):
        ids[("questionnaire", n)] = ids[("questionnaire_sign", n)] = make_review_questionnaire(
            session,
            ids[("agreement", r)],
            reviewed_on=DAYS[2],
            forwarded_to=None if forwarded_to is None else staff[forwarded_to],
        ).id
    for r in range(len(o.plan.relationships)):
        ids[("agreement_review", r)] = ids[("questionnaire_form", r)] = ids[("agreement", r)]
    for i, staff_id in enumerate(staff):
        ids[("asye", i)] = ids[("asye_write", i)] = staff_id
    for c, worker in enumerate(o.cases):
        make_case(session, staff[worker], case_ref=_case_ref(c), allocated_on=STARTED)
        for what in ("case", "case_oversight", "case_direction", "case_oversight_write"):
            ids[(what, c)] = _case_ref(c)
    session.flush()
    return ids


def _group(session, staff: list[int], sup: int, versions: list[frozenset[int]]) -> int:
    """A group led by `sup` with a version of its agreement naming each set of members."""
    group = None
    for v, members in enumerate(versions, start=1):
        signatories = [(staff[sup], GroupParty.SUPERVISOR, DAYS[0])] + [
            (staff[m], GroupParty.SUPERVISEE, None) for m in sorted(members)
        ]
        if group is None:
            group = make_group_agreement(
                session, staff[sup], issued_on=DAYS[0], signatories=signatories
            ).group
            continue
        later = GroupSupervisionAgreement(
            group=group, version=v, frequency_weeks=4, issued_on=DAYS[0]
        )
        later.signatories = [
            GroupAgreementSignatory(staff_id=who, party=party, signed_on=day)
            for who, party, day in signatories
        ]
        session.add(later)
    session.flush()
    return group.id


def _organisation_of(session, staff_id: int) -> int:
    return session.get(StaffMember, staff_id).organisation_id


def elsewhere(session) -> dict[tuple[str, int], object]:
    """Another council whose supervisor (login "b0") reaches each kind of
    object there: a group, a group task, an observation, a questionnaire, a case."""
    org = make_organisation(session, name="Elsewhere")
    sup, sub = (make_staff(session, org, name=f"Other {i}").id for i in (0, 1))
    make_user(session, sup, AppRole.SUPERVISOR, username="b0")
    rel = make_relationship(session, sup, sub, started_on=STARTED)
    group_id = _group(session, [sup, sub], 0, [frozenset({1})])
    observation = make_observation(session, sub, observer=sup, observed_on=DAYS[1]).id
    questionnaire = make_review_questionnaire(session, rel, reviewed_on=DAYS[2]).id
    task = make_human_task(
        session,
        org,
        kind="group_agreement_review",
        due_on=TODAY,
        assignee=sup,
        subject=keys.group_fact_id(group_id),
        key=keys.build("group_agreement_review", group=keys.group_fact_id(group_id), due=TODAY),
        title="Other group task",
    )
    make_case(session, sub, case_ref="LCS-800100", allocated_on=STARTED)
    ids = {
        ("group", 0): group_id,
        ("group_new_version", 0): group_id,
        ("group_task", 0): task.id,
        ("observation", 0): observation,
        ("observation_sign", 0): observation,
        ("questionnaire", 0): questionnaire,
        ("questionnaire_sign", 0): questionnaire,
        ("agreement_review", 0): rel.id,
        ("asye", 1): sub,
        ("asye_write", 1): sub,
    }
    for what in ("case", "case_oversight", "case_direction", "case_oversight_write"):
        ids[(what, 0)] = "LCS-800100"
    return ids


URLS = {
    "group": "/group-agreements/{}",
    "group_new_version": "/group-agreements/{}/new-version",
    "group_task": "/api/tasks/{}",
    "observation": "/observations/{}",
    "questionnaire": "/review-questionnaires/{}",
    "asye": "/staff/{}/asye-reviews",
    "case": "/cases/{}",
    "case_oversight": "/cases/{}/oversight",
    "agreement_review": "/relationships/{}/agreement/review",
    "questionnaire_form": "/relationships/{}/review-questionnaire",
}
# The forms that write, sent empty: the rule lets the writer through to the
# form's own errors (200 or 400, nothing stored; a redirect if there is
# nothing left to sign) and refuses anyone else (404).
WRITES = {
    "group_sign": "/group-agreements/{}/sign",
    "observation_sign": "/observations/{}/sign",
    "questionnaire_sign": "/review-questionnaires/{}/sign",
    "asye_write": "/staff/{}/asye-reviews",
    "case_direction": "/cases/{}/supervise",
    "case_oversight_write": "/cases/{}/oversight",
}
HEADERS = {"X-Requested-With": "XMLHttpRequest"}


def reached(client, ids) -> set:
    """The objects of `ids` this client opens, or whose form it may send (not
    404); a page opens (200, or a redirect to where its work is done), a form
    sent empty answers with its errors (200 or 400)."""
    found = set()
    for (what, n), ref in ids.items():
        if what in WRITES:
            response = client.post(WRITES[what].format(ref), data={}, headers=HEADERS)
        else:
            response = client.get(URLS[what].format(ref), headers=HEADERS)
        assert response.status_code in (200, 302, 400, 404), (what, n, response.status_code)
        if response.status_code != 404:
            found.add((what, n))
    return found


@given(o=oversight_plans())
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_groups_observations_reviews_and_cases_reach_exactly_whom_the_oracle_allows(
    migrated_database, o
):
    from models.db import get_sessionmaker

    _empty_all_tables()
    factory = get_sessionmaker()
    with factory() as session, session.begin():
        ids = {
            k: v for k, v in build_oversight(session, o).items() if k[0] in URLS or k[0] in WRITES
        }
        other = elsewhere(session)
    app = build_app(factory)
    for me in range(len(o.plan.roles)):
        client = app.test_client()
        assert login(client, f"u{me}").status_code == 302, me
        assert reached(client, ids) == oracle(o, me), f"person {me}: {o}"
        assert reached(client, other) == set(), f"person {me} reached another council"
    stranger = app.test_client()
    assert login(stranger, "b0").status_code == 302
    assert reached(stranger, ids) == set()
    assert reached(stranger, other) == set(other)
