"""The council the access matrix (tests/webapp/test_access_matrix.py) runs
over, built from the factories one step at a time: Matrixshire's people and
another council's, their user accounts, a task of each kind for everyone, the
worker's records in each, groups, samples, cases and calendar links. The
matrix's docstring draws who is who."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta

from sqlalchemy import select

from models import (
    AppRole,
    CalendarToken,
    CaseType,
    GroupParty,
    SampleItem,
    SessionAction,
    StaffRole,
)
from tests.factories import (
    make_case,
    make_group_agreement,
    make_human_task,
    make_observation,
    make_organisation,
    make_relationship,
    make_review_questionnaire,
    make_sample,
    make_service_area,
    make_session,
    make_staff,
    make_team,
    make_user,
)
from tests.factories.record_audits import make_record_audit
from tests.webapp.conftest import TODAY

HELD_ON = TODAY - timedelta(days=3)  # the held sessions' day, which sessions.open_record asks for
# Each area's sample: n -> (area, who drew it, the held session it samples).
# Area two's was drawn by nobody yet.
SAMPLES = {
    "1": ("area1", "hana", "session_w"),
    "2": ("area2", None, "session_w2"),
    "3": ("other_area", "ola", "session_w3"),
}
# Two child protection cases each for Will, Wren and Wes: name -> (worker,
# case ID); "closing" is for the route that closes one, so that closing it
# changes nothing the other routes use.
CASES = {
    "case_w": ("will", "LCS-100001"),
    "case_w2": ("wren", "LCS-100002"),
    "case_w3": ("wes", "LCS-100003"),
    "closing_w": ("will", "LCS-100004"),
    "closing_w2": ("wren", "LCS-100005"),
    "closing_w3": ("wes", "LCS-100006"),
}


@dataclass
class Council:
    ids: dict[str, int]  # name -> id of every row built below
    usernames: dict[str, str]  # role -> username
    case_refs: dict[str, str] = field(default_factory=dict)  # name -> case ID

    def __getattr__(self, name):
        try:
            return self.ids[name]
        except KeyError as error:
            raise AttributeError(name) from error


def build_council(db, task_kinds: set[str]) -> Council:
    """The whole council, with a task of each of `task_kinds` for everyone.
    Each step uses the rows of the steps before it, in one transaction."""
    ids: dict[str, int] = {}
    with db() as session, session.begin():
        rows = _matrixshire(session)
        rows.update(_otherplace(session))
        users = _users(session, rows)
        staff = {role: user.staff_id for role, user in users.items()}
        ids.update(_tasks(session, rows, staff, task_kinds))
        ids.update(_records(session, rows))
        ids.update(_groups(session, rows))
        ids.update(_samples(session, rows, ids))
        ids.update({f"staff:{role}": staff_id for role, staff_id in staff.items()})
        case_refs = _cases(session, rows)
        # Everyone has a calendar link to see and revoke.
        for account in users.values():
            session.add(CalendarToken(user_id=account.id, token_hash=f"matrix-{account.id}"))
    return Council(
        ids=ids, usernames={r: u.username for r, u in users.items()}, case_refs=case_refs
    )


def _area(session, org, name, head=None):
    area = make_service_area(session, org, name=name, head=head)
    return area, make_team(session, org, name=f"{name} team", area=area)


def _matrixshire(session) -> dict:
    """Two service areas: Hana heads the first, where Lee manages Mia, who
    supervises Will; in the second Mo supervises Wren. Pat, Fay and Aud see
    the whole council."""
    org = make_organisation(session, name="Matrixshire")
    hana = make_staff(session, org, name="Hana Head", role=StaffRole.SENIOR_MANAGER)
    area1, team1 = _area(session, org, "Area one", head=hana)
    area2, team2 = _area(session, org, "Area two")
    hana.team_id = team1.id
    lee = make_staff(session, org, name="Lee Linemanager", role=StaffRole.MANAGER, team=team1)
    mia = make_staff(
        session, org, name="Mia Supervisor", role=StaffRole.TEAM_MANAGER, team=team1,
        line_manager=lee,
    )  # fmt: skip
    will = make_staff(session, org, name="Will Worker", team=team1, line_manager=mia)
    mo = make_staff(session, org, name="Mo Supervisor2", role=StaffRole.TEAM_MANAGER, team=team2)
    wren = make_staff(session, org, name="Wren Worker2", team=team2, line_manager=mo)
    pat = make_staff(session, org, name="Pat Principal", role=StaffRole.SENIOR_MANAGER)
    fay = make_staff(session, org, name="Fay Workforce", role=StaffRole.NON_DIRECT_STAFF)
    aud = make_staff(session, org, name="Aud Auditor", role=StaffRole.NON_DIRECT_STAFF)
    rel_w = make_relationship(session, mia, will)
    rel_w2 = make_relationship(session, mo, wren)
    return {
        "org": org, "area1": area1, "team1": team1, "area2": area2, "team2": team2,
        "hana": hana, "lee": lee, "mia": mia, "will": will, "mo": mo, "wren": wren,
        "pat": pat, "fay": fay, "aud": aud, "rel_w": rel_w, "rel_w2": rel_w2,
    }  # fmt: skip


def _otherplace(session) -> dict:
    """Another council, where Ola supervises Wes."""
    other = make_organisation(session, name="Otherplace")
    other_area, other_team = _area(session, other, "Elsewhere area")
    ola = make_staff(session, other, name="Ola Supervisor3", role=StaffRole.TEAM_MANAGER)
    wes = make_staff(session, other, name="Wes Worker3", team=other_team, line_manager=ola)
    rel_w3 = make_relationship(session, ola, wes)
    return {
        "other": other, "other_area": other_area, "other_team": other_team,
        "ola": ola, "wes": wes, "rel_w3": rel_w3,
    }  # fmt: skip


def _users(session, rows) -> dict:
    """role -> the user account of its role-holder (the auditor's access not
    yet expired), and accounts for Mo, Wren and Wes, who hold no role here."""
    users = {
        "supervisee": make_user(session, rows["will"], AppRole.SUPERVISEE, username="will"),
        "supervisor": make_user(session, rows["mia"], AppRole.SUPERVISOR, username="mia"),
        "line_manager": make_user(session, rows["lee"], AppRole.LINE_MANAGER, username="lee"),
        "head_of_service": make_user(
            session, rows["hana"], AppRole.HEAD_OF_SERVICE, username="hana"
        ),
        "principal_social_worker": make_user(
            session, rows["pat"], AppRole.PRINCIPAL_SOCIAL_WORKER, username="pat"
        ),
        "workforce_team": make_user(session, rows["fay"], AppRole.WORKFORCE_TEAM, username="fay"),
        "auditor": make_user(session, rows["aud"], AppRole.AUDITOR, username="aud"),
    }
    users["auditor"].access_expires_on = TODAY + timedelta(days=30)
    make_user(session, rows["mo"], AppRole.SUPERVISOR, username="mo")
    make_user(session, rows["wren"], AppRole.SUPERVISEE, username="wren")
    make_user(session, rows["wes"], AppRole.SUPERVISEE, username="wes")
    return users


def _tasks(session, rows, staff, task_kinds) -> dict[str, int]:
    """A task of each kind for every role-holder, Wren and Wes, numbered in
    that order: "task:<kind>:<staff id>" -> its id."""
    ids = {}
    wren, wes = rows["wren"].id, rows["wes"].id
    relationship_of = {wren: rows["rel_w2"], wes: rows["rel_w3"]}
    n = 0
    for person in [*staff.values(), wren, wes]:
        for kind in sorted(task_kinds):
            n += 1
            org_id = rows["wes"].organisation_id if person == wes else rows["org"].id
            # A session task names the relationship it is about.
            rel = relationship_of.get(person, rows["rel_w"]) if kind == "supervision" else None
            ids[f"task:{kind}:{person}"] = _task(session, org_id, person, kind, n, rel).id
    return ids


def _task(session, org_id, assignee_id, kind, n, rel):
    return make_human_task(
        session,
        org_id,
        kind=kind,
        lifecycle="agreement",
        key=f"matrix:{kind}:{n}",
        title=f"Matrix {kind} {n}",
        subject=f"staff-{assignee_id}",
        relationship=rel.id if rel else None,
        subject_staff=assignee_id,
        assignee=assignee_id,
        due_on=TODAY + timedelta(days=7),
        rule="agreement.deadline",
        source="000_b775b8e7712f1ef5.txt §1.4",
        rule_text="Test rule.",
    )


def _records(session, rows) -> dict[str, int]:
    """For each of Will (suffix none), Wren (2) and Wes (3): a held session
    waiting for the supervisee's countersignature, a planned session, a
    practice observation by the supervisor and an annual review questionnaire
    (Will's forwarded to Lee)."""
    ids = {name: rows[name].id for name in ("will", "mia", "lee", "wren", "wes")}
    ids.update({name: rows[name].id for name in ("rel_w", "rel_w2", "rel_w3")})
    for suffix, area in (("1", "area1"), ("2", "area2"), ("3", "other_area")):
        ids[f"area_{suffix}"] = rows[area].id
        ids[f"team_{suffix}"] = rows[
            {"area1": "team1", "area2": "team2"}.get(area, "other_team")
        ].id
    for suffix in ("", "2", "3"):
        ids[f"session_w{suffix}"] = _held_session(session, rows[f"rel_w{suffix}"])
    for suffix in ("", "2", "3"):
        ids[f"planned_w{suffix}"] = _planned_session(session, rows[f"rel_w{suffix}"])
    for suffix, person, observer in [("", "will", "mia"), ("2", "wren", "mo"), ("3", "wes", "ola")]:
        ids[f"observation_w{suffix}"] = make_observation(
            session, rows[person], observer=rows[observer], observed_on=HELD_ON
        ).id
    for suffix in ("", "2", "3"):
        ids[f"questionnaire_w{suffix}"] = make_review_questionnaire(
            session,
            rows[f"rel_w{suffix}"],
            reviewed_on=TODAY,
            forwarded_to=rows["lee"] if suffix == "" else None,
        ).id
    # An action from each held session, owned by its supervisee.
    for suffix, person in [("", "will"), ("2", "wren"), ("3", "wes")]:
        action = SessionAction(
            session_id=ids[f"session_w{suffix}"],
            description="Send the plan",
            owner_id=rows[person].id,
            due_on=TODAY + timedelta(days=7),
        )
        session.add(action)
        session.flush()
        ids[f"action_w{suffix}"] = action.id
    # An audit of each supervisor's supervision records, by their manager.
    for suffix, supervisor, auditor in [("", "mia", "lee"), ("2", "mo", "mo"), ("3", "ola", "ola")]:
        ids[f"record_audit_w{suffix}"] = make_record_audit(
            session, rows[supervisor], rows[auditor], audited_on=TODAY
        ).id
    return ids


def _held_session(session, rel) -> int:
    """A held session whose record the supervisor signed: waiting for the
    supervisee's countersignature."""
    return make_session(
        session,
        rel,
        held_on=HELD_ON,
        status="held",
        record_status="awaiting_countersignature",
        recorded_on=TODAY - timedelta(days=2),
        duration_minutes=60,
        record={"sections": {"wellbeing": "Discussed workload."}},
    ).id


def _planned_session(session, rel) -> int:
    return make_session(
        session,
        rel,
        planned_on=TODAY + timedelta(days=10),
        planned_time=time(10, 0),
        duration_minutes=60,
        status="planned",
    ).id


def _groups(session, rows) -> dict[str, int]:
    """Mia's group names Will, who has not signed; Mo's and Ola's groups are
    in area two and the other council. (Cy and Ann are in no team and
    managed by nobody, so nobody's scope grows: tests/webapp/test_scope.py.)"""
    org, other = rows["org"], rows["other"]
    cy = make_staff(session, org, name="Cy Coordinator")
    ann = make_staff(session, org, name="Ann Another")
    ids = {"group_w": _group(session, rows["mia"], rows["team1"], cy, [rows["will"], ann])}
    area_two = [make_staff(session, org, team=rows["team2"]) for _ in range(2)]
    ids["group_w2"] = _group(session, rows["mo"], rows["team2"], rows["wren"], area_two)
    elsewhere = [make_staff(session, other, team=rows["other_team"]) for _ in range(2)]
    ids["group_w3"] = _group(session, rows["ola"], rows["other_team"], rows["wes"], elsewhere)
    return ids


def _group(session, supervisor, team, coordinator, supervisees) -> int:
    """A group whose first version the supervisor has signed and issued."""
    signatories = [(supervisor, GroupParty.SUPERVISOR, TODAY)]
    signatories.append((coordinator, GroupParty.COORDINATOR, None))
    signatories += [(person, GroupParty.SUPERVISEE, None) for person in supervisees]
    agreement = make_group_agreement(
        session,
        supervisor,
        issued_on=TODAY,
        signatories=signatories,
        team=team,
        venue="Room 1",
        content={},
    )
    return agreement.group.id


def _samples(session, rows, ids) -> dict[str, int]:
    """Each area's quarterly sample of its held session."""
    found = {}
    for n, (area, sampler, held) in SAMPLES.items():
        sample = make_sample(
            session,
            rows[area],
            quarter="2026-Q1",
            drawn_on=TODAY,
            sampler=rows[sampler] if sampler else None,
            items=[("supervision_session", ids[held])],
            seed="seed",
            size=1,
        )
        found[f"sample_{n}"] = sample.id
        found[f"item_{n}"] = session.scalars(
            select(SampleItem.id).where(SampleItem.sample_id == sample.id)
        ).one()
    return found


def _cases(session, rows) -> dict[str, str]:
    """name -> case ID of each case in CASES."""
    return {
        name: make_case(
            session,
            rows[worker],
            case_ref=case_ref,
            case_type=CaseType.CHILD_PROTECTION,
            allocated_on=TODAY - timedelta(days=30),
        ).case_ref
        for name, (worker, case_ref) in CASES.items()
    }
