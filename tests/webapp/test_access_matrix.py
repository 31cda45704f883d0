"""The access matrix: for every role and every route, a record the role may not
see is not found (by guessing its ID, in this council or another), and, for
the routes listed in ALLOWED, a record it may see opens.

A council of two service areas and another council:

    area 1 (head: Hana Head)          area 2               other council
      Lee Linemanager                   Mo Supervisor2       Ola Supervisor3
        manages Mia Supervisor            supervises           supervises
          who supervises Will Worker        Wren Worker2         Wes Worker3

plus a principal social worker, a workforce team member and an auditor (whose
access has not expired) in the first council. The role-holders are Will
(supervisee), Mia (supervisor), Lee (line manager), Hana (head of service),
Pat (principal social worker), Fay (workforce team) and Aud (auditor).

Will's records: a held session waiting for his countersignature and a
planned one, a practice observation by Mia, an annual review questionnaire
forwarded to Lee, two open cases, area one's quarterly sample of that
session, and a calendar link and a task of each kind for everyone. Mia's
supervision group names Will, waiting for his signature; Mo and Ola each
have a group in their own area and council.

A route whose arguments this file cannot fill in, or which is not in
ALLOWED, fails the suite: add it here."""

from __future__ import annotations

import pytest

from tests.webapp.access_matrix_council import HELD_ON, Council, build_council
from tests.webapp.conftest import login
from webapp import create_app
from webapp.access import public, rule_for

ROLES = [
    "supervisee",
    "supervisor",
    "line_manager",
    "head_of_service",
    "principal_social_worker",
    "workforce_team",
    "auditor",
]
ORGANISATION_WIDE = {"principal_social_worker", "workforce_team", "auditor"}
EVERYONE = set(ROLES)
ACTING = EVERYONE - {"auditor"}  # an auditor's login never changes anything

# Which roles open each route with a record in their scope (GET: 200 or a
# redirect that is not to sign in; POST: anything but 404 and 5xx). Every
# other role gets 404 even for a record in their scope. Reading follows scope
# (webapp/scope.py); writing stays with the parties. Where reading and
# writing differ on one route, the entry maps each method to its roles.
PARTIES = {"supervisee", "supervisor"}
SEES_WHOLE_ORGANISATION = {"principal_social_worker", "workforce_team", "auditor"}
SAMPLE_READERS = {"head_of_service", *SEES_WHOLE_ORGANISATION}
ALLOWED: dict[str, set[str] | dict[str, set[str]]] = {
    "main.home": EVERYONE,
    "inbox.index": EVERYONE,
    "inbox.task": EVERYONE,  # a task assigned to them
    "inbox.claim": ACTING,
    "inbox.release": ACTING,
    "inbox.acknowledge": ACTING,
    "inbox.delegate": ACTING,
    "auth.logout": EVERYONE,
    "form_drafts.save": ACTING,  # the autosave of a long form (webapp/drafts.py)
    "people.index": EVERYONE,
    "people.person": EVERYONE,
    "people.opened": {"supervisee", "principal_social_worker", "workforce_team", "auditor"},
    "people.supervisees": {"supervisor"},  # only Mia supervises anyone
    "team.index": {"supervisor", "line_manager", "head_of_service", "workforce_team"},
    "team.reassign": {"supervisor", "line_manager", "head_of_service", "workforce_team"},
    # Cover is arranged by someone who manages the absent supervisor, never by themselves.
    "team.cover": {"supervisor", "line_manager", "head_of_service", "workforce_team"},
    "agreements.view": EVERYONE,
    "agreements.sign": {"supervisor"},
    "agreements.countersign": {"supervisee"},
    "agreements.amend": {"supervisor"},  # a version in force: a new one both sign again
    "api.colleagues": EVERYONE,
    "api.list_tasks": EVERYONE,
    "api.get_task": EVERYONE,
    "api.claim": ACTING,
    "api.release": ACTING,
    "api.complete": ACTING,
    "api.reassign": ACTING,
    # Calendars: your own link; a planned session's invitation for either party.
    "calendar.settings": EVERYONE,
    "calendar.create_token": ACTING,
    "calendar.revoke_token": ACTING,
    "calendar.invitation": PARTIES,
    # Cases: anyone whose scope covers the worker reads the case; the worker's
    # supervisor or line manager (here Mia is both) manages it.
    "cases.index": EVERYONE,
    "cases.view": EVERYONE,
    "cases.allocate": {"supervisor", "line_manager"},  # Lee line-manages Mia
    "cases.close": {"supervisor"},
    "cases.frequency": {"supervisor"},
    "cases.category": {"supervisor"},
    "cases.reallocate": {"supervisor"},
    "cases.recorded": {"supervisor"},
    "cases.supervise": {"supervisor"},
    # Observations: read in scope; each part by its author; signed by the two.
    "observations.view": EVERYONE,
    "observations.part": {"supervisee"},  # "before" is the supervisee's part
    "observations.sign": PARTIES,
    "observations.plan": {"GET": EVERYONE, "POST": ACTING},  # a task assigned to them
    # The annual review: read in scope; each step by its party.
    "reviews.view": EVERYONE,
    "reviews.agreement_review": {"supervisor"},
    "reviews.questionnaire": {"supervisee"},
    "reviews.to_sign": {"supervisor"},
    "reviews.sign": {"supervisor"},
    "reviews.acknowledge": {"line_manager"},  # forwarded to Lee, Mia's line manager
    # Sampling: read by the head of service and those who see the whole
    # organisation; findings by the head of service alone.
    "sampling.view": SAMPLE_READERS,
    "sampling.item": {"GET": SAMPLE_READERS, "POST": {"head_of_service"}},
    "sampling.complete_empty": {"head_of_service"},
    "sampling.task": {"GET": EVERYONE, "POST": ACTING},  # a task assigned to them
    # Sessions: read in scope; recorded and amended by the supervisor (or
    # their cover: tests/webapp/test_cover_work.py); countersigned by the supervisee.
    "sessions.schedule": EVERYONE,
    "sessions.view": EVERYONE,
    "sessions.new": {"supervisor"},
    "sessions.open_record": {"supervisor"},
    "sessions.edit": {"supervisor"},
    "sessions.amend": {"supervisor"},
    "sessions.plan": {"supervisor"},
    "sessions.cancel": PARTIES,
    "sessions.countersign": {"supervisee"},
    "sessions.shared": {"supervisor"},
    "sessions.from_task": EVERYONE,  # a task assigned to them
    # Group reflective supervision attendance (Bristol §6.5): the supervisor or
    # their cover. (Matrixshire's policy has none, so Mia is sent to the
    # schedule; tests/webapp/test_group_attendance.py records it in Bristol.)
    "sessions.group_attendance": {"supervisor"},
    # Checks: read in scope (the two managers are shown Mia's); recorded by
    # the supervisor.
    "checks.record": {"GET": EVERYONE, "POST": {"supervisor"}},
    # ASYE reviews: read in scope; recorded by the supervisor.
    "asye.reviews": {"GET": EVERYONE, "POST": {"supervisor"}},
    # Audits of a supervisor's supervision records: read in scope (not by Will,
    # whose scope is himself: Mia's audit is hers); recorded by a manager of the
    # supervisor (Mia of Will, Lee of Mia); the discussion confirmed by the
    # audited supervisor alone (Mia).
    "record_audits.audits": {"GET": EVERYONE, "POST": {"supervisor", "line_manager"}},
    "record_audits.view": {"GET": EVERYONE - {"supervisee"}, "POST": {"supervisor"}},
    # Actions agreed in supervision: read in scope; marked done by their owner (Will).
    "session_actions.index": EVERYONE,
    "session_actions.done": {"supervisee"},
    # Missed supervision (Wokingham standards 14-15): the chain read by either party and
    # anyone in scope; raised and escalated by the supervisee; answered by the holder of
    # the response task (Matrixshire owes none, so nobody may answer).
    "missed_sessions.chain": EVERYONE,
    "missed_sessions.raise_it": {"supervisee"},
    "missed_sessions.escalate": {"supervisee"},
    "missed_sessions.respond": set(),
    # Management oversight on a case between supervisions: read in scope; recorded by
    # the worker's supervisor or line manager (Mia supervises Will).
    "case_oversight.record": {"GET": EVERYONE, "POST": {"supervisor"}},
    # Group supervision agreements (Lancashire Appendix A): read in scope; drawn
    # up by a supervisor; signed by the people named on it (Will); a new
    # version and ending the group by the group's own supervisor (Mia).
    "group_agreements.index": EVERYONE,
    "group_agreements.view": EVERYONE,
    "group_agreements.new": {"supervisor"},
    "group_agreements.new_version": {"supervisor"},
    "group_agreements.end": {"supervisor"},
    "group_agreements.sign": {"supervisee"},
    # The dashboard: the whole organisation's figures for those who see it all,
    # a head of service's areas, a team manager's team (Mia); nobody else's.
    "dashboard.index": {"supervisor", "head_of_service", *SEES_WHOLE_ORGANISATION},
    "dashboard.items": {"supervisor", "head_of_service", *SEES_WHOLE_ORGANISATION},
    "dashboard.report": {"supervisor", "head_of_service", *SEES_WHOLE_ORGANISATION},
    "dashboard.capacity_page": {"supervisor", "head_of_service", *SEES_WHOLE_ORGANISATION},
    # The kept figures computed again: those who see it all (an auditor's login is read-only).
    "dashboard.refresh": {"principal_social_worker", "workforce_team"},
    # The inspection evidence pack: the whole organisation or any area for those
    # who see it all; a head of service for the areas they head; no team manager.
    "dashboard.evidence": {"head_of_service", *SEES_WHOLE_ORGANISATION},
    # The organisation's admin pages: the workforce team, and a head of service
    # for the people of the areas they head (Hana: area one, so never Wren).
    **{
        endpoint: {"workforce_team", "head_of_service"}
        for endpoint in (
            "admin.index",
            "admin.staff",
            "admin.add_staff",
            "admin.edit_staff",
            "admin.leaving",
            "admin.supervisor",
            "admin.end_supervision",
            "admin.allocate_case",
            "admin.close_case",
            "admin.imports",
            "admin.import_preview",
            "admin.absence",
            "admin.end_absence",
            "admin.login",
            "admin.invite",
            "admin.teams",
            "admin.add_team",
            "admin.team",
            "admin.close",
        )
    },
    # Service areas and their heads are the whole organisation's: the workforce team's.
    "admin.add_area": {"workforce_team"},
    "admin.area": {"workforce_team"},
    "admin.close_area": {"workforce_team"},
    # Records out: case supervision for the case system by the supervisors who
    # enter it there (their scope) and the workforce team (all); a person's
    # whole supervision file by the workforce team alone (webapp/exports/access.py).
    "exports.cases": {"supervisor", "workforce_team"},
    "exports.person_file": {"workforce_team"},
}


def allowed_roles(endpoint: str, method: str) -> set[str]:
    roles = ALLOWED[endpoint]
    return roles[method] if isinstance(roles, dict) else roles


# Public, or not signed in by design (a calendar feed's URL carries its token).
NOT_SCOPED = {
    "auth.login",
    "main.healthz",
    "api.openapi",
    "calendar.feed",
    "admin.set_password",  # an invitation's one-time link, for someone not yet signed in
}
# A human task of the right kind for routes that only take one kind.
TASK_KINDS = {
    "inbox.acknowledge": "escalation",
    "api.complete": "escalation",
    "observations.plan": "practice_observation",
    "sampling.task": "sampling",
    "sessions.from_task": "supervision",
}
# Routes that need a particular record: (endpoint, argument) -> the record's name.
RECORD_FOR = {
    ("calendar.invitation", "session_id"): "planned",  # only a planned session has one
    ("sessions.cancel", "session_id"): "planned",
    ("cases.close", "case_ref"): "closing",  # closing it changes nothing the others use
}
# Query strings some routes need to find their record.
QUERY = {
    "sessions.open_record": {"held_on": HELD_ON.isoformat()},
    "dashboard.items": {"figure": "open_tasks"},
    "dashboard.report": {"month": f"{HELD_ON:%Y-%m}"},
}


@pytest.fixture(scope="module")
def matrix(migrated_database):
    """One council for the whole matrix (built once: the matrix is hundreds of
    requests), an app over it, and a signed-in client per role. The requests
    the matrix makes change nothing another case relies on."""
    from models.db import get_sessionmaker
    from tests.conftest import _empty_all_tables
    from tests.webapp.conftest import build_app

    _empty_all_tables()
    factory = get_sessionmaker()
    # A task of every kind a route takes, and of the kind the others are given.
    council = build_council(factory, task_kinds={"agreement", *TASK_KINDS.values()})
    app = build_app(factory)
    clients = {}
    for role in ROLES:
        clients[role] = app.test_client()
        response = login(clients[role], council.usernames[role])
        assert response.status_code == 302, role
    yield app, council, clients
    _empty_all_tables()


def _visible_staff(council: Council, role: str) -> int:
    """Someone in this role's scope: the worker, or for the two managers the
    supervisor they manage (so "managing" routes have someone to manage)."""
    return council.mia if role in ("line_manager", "head_of_service") else council.will


def _args(council: Council, role: str, endpoint: str, names: list[str], visible: bool):
    """Yield one dict of route arguments per record to try."""
    kind = TASK_KINDS.get(endpoint, "agreement")
    me = council.ids[f"staff:{role}"]
    wide = role in ORGANISATION_WIDE
    session_name = RECORD_FOR.get((endpoint, "session_id"), "session")
    case_name = RECORD_FOR.get((endpoint, "case_ref"), "case")
    if visible:
        choices = {
            "task_id": [council.ids[f"task:{kind}:{me}"]],
            "staff_id": [_visible_staff(council, role)],
            "relationship_id": [council.rel_w],
            "session_id": [council.ids[f"{session_name}_w"]],
            "observation_id": [council.observation_w],
            "questionnaire_id": [council.questionnaire_w],
            "sample_id": [council.sample_1],
            "item_id": [council.item_1],
            "case_ref": [council.case_refs[f"{case_name}_w"]],
            "part": ["before"],
            "group_id": [council.group_w],
            "audit_id": [council.record_audit_w],
            "action_id": [council.action_w],
            "team_id": [council.ids["team_1"]],
            "area_id": [council.ids["area_1"]],
        }
    else:
        # Another council's record always; this council's out-of-scope one
        # unless the role sees the whole organisation.
        suffixes = ["3"] if wide else ["2", "3"]
        task_holders = [council.wes] if wide else [council.wren, council.wes]
        choices = {
            # (The workforce team manages everyone in the council, so only
            # another council's task is out of an organisation-wide role's reach.)
            "task_id": [council.ids[f"task:{kind}:{who}"] for who in task_holders],
            "staff_id": [council.wes] if wide else [council.wren, council.wes],
            "relationship_id": [council.ids[f"rel_w{s}"] for s in suffixes],
            "session_id": [council.ids[f"{session_name}_w{s}"] for s in suffixes],
            "observation_id": [council.ids[f"observation_w{s}"] for s in suffixes],
            "questionnaire_id": [council.ids[f"questionnaire_w{s}"] for s in suffixes],
            # (Area two's sample is in an organisation-wide role's scope to read.)
            "sample_id": [council.ids[f"sample_{s}"] for s in suffixes],
            "item_id": [council.ids[f"item_{s}"] for s in suffixes],
            "case_ref": [council.case_refs[f"{case_name}_w{s}"] for s in suffixes],
            "part": ["before"],
            "group_id": [council.ids[f"group_w{s}"] for s in suffixes],
            "audit_id": [council.ids[f"record_audit_w{s}"] for s in suffixes],
            "action_id": [council.ids[f"action_w{s}"] for s in suffixes],
            "team_id": [council.ids[f"team_{s}"] for s in suffixes],
            "area_id": [council.ids[f"area_{s}"] for s in suffixes],
        }
    unknown = [n for n in names if n not in choices]
    assert not unknown, f"the access matrix cannot fill in {unknown} for {endpoint}: add them"
    width = max((len(choices[n]) for n in names), default=1)
    for i in range(width):
        yield {n: choices[n][min(i, len(choices[n]) - 1)] for n in names}


def _all_routes():
    app = create_app({"SECRET_KEY": "x", "SESSION_FACTORY": object()})
    return [r for r in app.url_map.iter_rules() if not r.endpoint.endswith("static")], app


def _matrix_params():
    routes, _ = _all_routes()
    for url_rule in sorted(routes, key=lambda r: r.endpoint):
        if url_rule.endpoint in NOT_SCOPED:
            continue
        for method in sorted(url_rule.methods - {"HEAD", "OPTIONS"}):
            for role in ROLES:
                yield pytest.param(
                    role,
                    url_rule.endpoint,
                    method,
                    id=f"{role} {method} {url_rule.rule}",
                )


def test_every_route_declares_a_rule_and_is_in_the_access_matrix():
    routes, app = _all_routes()
    without_rule = [r.endpoint for r in routes if rule_for(app.view_functions[r.endpoint]) is None]
    assert without_rule == [], f"routes without an access rule: {without_rule}"
    listed = set(ALLOWED) | NOT_SCOPED
    missing = sorted({r.endpoint for r in routes} - listed)
    assert missing == [], f"add these routes to tests/webapp/test_access_matrix.py: {missing}"
    public_ones = sorted(
        r.endpoint for r in routes if rule_for(app.view_functions[r.endpoint]) is public
    )
    assert set(public_ones) <= NOT_SCOPED


def _url(app, endpoint, args) -> str:
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **args, **QUERY.get(endpoint, {}))


def _request(client, method, url):
    headers = {"X-Requested-With": "XMLHttpRequest"} if url.startswith("/api/") else {}
    # Nobody has this ID, so a reassignment the rule lets through changes nothing.
    json = {"to_staff_id": 987654, "reason": "matrix"} if url.endswith("/reassign") else None
    if url.startswith("/api/") and method == "POST":
        return client.open(url, method=method, headers=headers, json=json or {})
    return client.open(url, method=method, headers=headers)


def _is_sign_in_redirect(response) -> bool:
    return response.status_code == 302 and response.location.startswith("/login")


@pytest.mark.parametrize(("role", "endpoint", "method"), list(_matrix_params()))
def test_a_record_outside_the_roles_scope_is_not_found_and_one_inside_opens_if_the_role_may(
    matrix, role, endpoint, method
):
    app, council, clients = matrix
    client = clients[role]
    url_rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    names = sorted(url_rule.arguments)

    if names:
        for args in _args(council, role, endpoint, names, visible=False):
            response = _request(client, method, _url(app, endpoint, args))
            assert response.status_code == 404, (
                f"{role} reached someone else's record at {method} {_url(app, endpoint, args)}: "
                f"{response.status_code}"
            )

    for args in _args(council, role, endpoint, names, visible=True):
        url = _url(app, endpoint, args)
        response = _request(client, method, url)
        assert response.status_code < 500, f"{method} {url} failed for {role}"
        if endpoint == "auth.logout":
            assert _is_sign_in_redirect(response)
            login(client, council.usernames[role])  # back in, for the next case
            continue
        assert not _is_sign_in_redirect(response), f"{role} was signed out by {method} {url}"
        if role in allowed_roles(endpoint, method):
            if method == "GET":
                assert response.status_code in (200, 302), f"{role}: {method} {url}"
            else:
                assert response.status_code != 404, f"{role} could not {method} {url}"
        else:
            assert response.status_code == 404, (
                f"{role} should not be able to {method} {url}: {response.status_code}"
            )
