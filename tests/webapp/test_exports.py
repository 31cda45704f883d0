"""Records out on the web: the case export streams the layout's CSV for the
signed-in person's scope and is audited; the whole supervision file is the
workforce team's alone, and its export shows on the person's "who opened my
records" page."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from sqlalchemy import select

from models import AppRole, AuditEntry
from tests.factories import make_user
from tests.factories.people import make_staff
from tests.models.exports.conftest import case_council  # noqa: F401  (the fixture)
from tests.webapp.conftest import build_app, csrf_token_from, login, text_of

NOVEMBER = {
    "starts_on": ["1", "11", "2026"],
    "ends_on": ["30", "11", "2026"],
}


@pytest.fixture
def clients(db, case_council):  # noqa: F811
    with db() as session, session.begin():
        make_user(session, case_council.sue, AppRole.SUPERVISOR, username="sue")
        make_user(session, case_council.will, AppRole.SUPERVISEE, username="will")
        fay = make_staff(session, case_council.organisation_id, name="Fay Workforce")
        make_user(session, fay, AppRole.WORKFORCE_TEAM, username="fay")
        mo = make_staff(session, case_council.organisation_id, name="Mo Newsupervisor")
        make_user(session, mo, AppRole.SUPERVISOR, username="mo")
    app = build_app(db)
    result = {}
    for name in ("sue", "will", "fay", "mo"):
        result[name] = app.test_client()
        assert login(result[name], name).status_code == 302
    return result


def _query(mapping: str, **dates) -> str:
    fields = {**NOVEMBER, **dates}
    parts = [f"mapping={mapping}"]
    for name, (day, month, year) in fields.items():
        parts += [f"{name}={day}", f"{name}={month}", f"{name}={year}"]
    return "/exports/cases?" + "&".join(parts)


def test_the_workforce_team_downloads_the_organisations_entries_in_the_lcs_layout(
    db,
    case_council,  # noqa: F811
    clients,
):
    response = clients["fay"].get(_query("lcs_case_notes"))

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "lcs_case_notes-2026-11-01-to-2026-11-30.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert [r[0] for r in rows] == ["Person ID", "100100", "200200"]
    with db() as session:
        audited = session.scalars(
            select(AuditEntry.subject_staff_id).where(
                AuditEntry.object_type == "case_supervision_export"
            )
        ).all()
    assert sorted(audited) == sorted([case_council.will, case_council.wyn])


def test_a_supervisor_exports_only_the_entries_of_the_people_in_their_scope(clients):
    sue = list(csv.reader(io.StringIO(clients["sue"].get(_query("lcs_case_notes")).text)))
    mo = list(csv.reader(io.StringIO(clients["mo"].get(_query("lcs_case_notes")).text)))

    assert [r[0] for r in sue[1:]] == ["100100", "200200"]
    assert mo[1:] == []


def test_a_supervisee_is_not_shown_the_case_export(clients):
    assert clients["will"].get("/exports/cases").status_code == 404


def test_an_end_before_the_start_is_named_in_an_error_summary(clients):
    response = clients["fay"].get(_query("lcs_case_notes", ends_on=["1", "10", "2026"]))

    assert response.status_code == 400
    assert "There is a problem" in text_of(response)
    assert "The last day must be on or after the first day" in text_of(response)


def test_an_unknown_layout_is_refused_with_an_error(clients):
    response = clients["fay"].get(_query("not_a_layout"))

    assert response.status_code == 400
    assert "Not a valid choice" in text_of(response)


def test_the_workforce_team_downloads_a_persons_file_and_it_shows_on_their_opened_page(
    case_council,  # noqa: F811
    clients,
):
    fay = clients["fay"]
    url = f"/exports/people/{case_council.will}"
    page = fay.get(url)
    assert page.status_code == 200

    response = fay.post(
        url,
        data={"csrf_token": csrf_token_from(page.text), "reason": "subject access request"},
    )

    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as zipped:
        names = [n.split("/", 1)[1] for n in zipped.namelist()]
    assert names[0] == "index.html" and "opened.html" in names
    opened = text_of(clients["will"].get(f"/people/{case_council.will}/opened"))
    assert "Whole supervision file exported" in opened
    assert "Fay Workforce" in opened


def test_the_file_needs_a_reason(case_council, clients):  # noqa: F811
    url = f"/exports/people/{case_council.will}"
    token = csrf_token_from(clients["fay"].get(url).text)

    response = clients["fay"].post(url, data={"csrf_token": token})

    assert response.status_code == 400
    assert "Choose why the file is being exported" in text_of(response)


def test_nobody_but_the_workforce_team_exports_a_persons_file(case_council, clients):  # noqa: F811
    for name in ("sue", "will", "mo"):
        assert clients[name].get(f"/exports/people/{case_council.will}").status_code == 404


def test_the_navigation_offers_the_case_export_to_those_who_may_use_it(clients):
    link = 'href="/exports/cases"'
    assert link in clients["sue"].get("/inbox").text
    assert link in clients["fay"].get("/inbox").text
    assert link not in clients["will"].get("/inbox").text
