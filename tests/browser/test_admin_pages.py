"""The workforce team's admin pages in a real browser: a staff file uploaded,
previewed and imported; and one change of each kind made through its form
and "check your answers" (a person added and their supervisor named, a
leaver, a case allocated, an absence with cover and then shortened, a team,
a login). One council, one server and one signed-in browser for the module:
each test changes different people."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import (
    AppRole,
    CaseAllocation,
    StaffMember,
    StaffRole,
    SupervisionRelationship,
    Team,
    UserAccount,
)
from models.tables.oversight import Absence, CoverArrangement
from tests.browser.conftest import _served
from tests.factories.people import PASSWORD, make_staff, make_user
from tests.webapp.admin_council import build_admin_council
from tests.worlds.small_council import TODAY

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def admin(migrated_database, tmp_path_factory, chromium):
    """The admin pages' council, with a team manager who may cover and a
    leaver-to-be, served; the workforce team ("fay") signed in."""
    from models.db import get_sessionmaker
    from tests.conftest import _empty_all_tables

    _empty_all_tables()
    factory = get_sessionmaker()
    council = build_admin_council(factory)
    with factory() as session, session.begin():
        cover = make_staff(session, council["org"], role=StaffRole.TEAM_MANAGER, name="Cal Cover")
        make_user(session, cover, AppRole.SUPERVISOR)
        leaver = make_staff(session, council["org"], team=council["team"], name="Lea Leaving")
        council |= {"cover_number": cover.staff_number, "leaver": leaver.id}
    uploads = tmp_path_factory.mktemp("uploads")
    with _served(factory, INSTANCE_PATH=str(uploads)) as url:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{url}/login")
        page.fill("#username", "fay")
        page.fill("#password", PASSWORD)
        page.click("button:has-text('Sign in'), input[type=submit]")
        page.wait_for_url(f"{url}/inbox")
        yield page, url, council, factory, uploads
        context.close()
    _empty_all_tables()


def fill_date(page, field: str, day: date) -> None:
    page.fill(f"#{field}-day", str(day.day))
    page.fill(f"#{field}-month", str(day.month))
    page.fill(f"#{field}-year", str(day.year))


def check_then_confirm(page, *answers: str) -> None:
    """Continue to "check your answers", see the answers, and confirm."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers")
    summary = page.locator(".govuk-summary-list")
    for answer in answers:
        expect(summary).to_contain_text(answer)
    page.get_by_role("button", name="Confirm and save").click()


def figures(page) -> dict[str, str]:
    """The preview's figures: each summary-list row's key and value."""
    rows = page.locator(".govuk-summary-list__row")
    return {
        rows.nth(i).locator(".govuk-summary-list__key").inner_text().strip(): rows.nth(i)
        .locator(".govuk-summary-list__value")
        .inner_text()
        .strip()
        for i in range(rows.count())
    }


def banner(page) -> str:
    return page.locator(".govuk-notification-banner").inner_text()


def test_a_staff_file_is_previewed_with_its_figures_then_imported_and_listed(admin):
    from playwright.sync_api import expect

    page, url, council, factory, uploads = admin
    with factory() as session:
        worker = session.get(StaffMember, council["worker"])
        known = (worker.staff_number, worker.email, council["manager_number"])
    staff_file = uploads / "people.csv"
    staff_file.write_text(
        "staff_number,name,email,role,started_on,team,service_area,line_manager\n"
        f"{known[0]},Wanda Renamed,{known[1]},social_worker,2026-01-05,Assessment,,{known[2]}\n"
        "U1,Una Upload,una@council.example,social_worker,2026-02-02,Assessment,,\n"
    )

    page.goto(f"{url}/admin/imports")
    page.check("input[name=kind][value=staff]")
    page.select_option("#mapping", "oversight_staff")
    page.set_input_files("#file", str(staff_file))
    page.get_by_role("button", name="Preview the import").click()

    expect(page.locator("h1")).to_have_text("Check the import")
    shown = figures(page)
    assert (shown["New"], shown["Changed"], shown["Leavers"]) == ("1", "1", "0")
    expect(page.locator("main")).to_contain_text(f"changed {known[0]}: name:")
    expect(page.locator("main")).to_contain_text("-> Wanda Renamed")
    with factory() as session:
        assert (
            session.scalars(select(StaffMember).where(StaffMember.name == "Una Upload")).first()
            is None
        )

    page.get_by_role("button", name="Confirm and import").click()
    page.goto(f"{url}/admin/staff?q=Una")

    expect(page.locator("main table")).to_contain_text("Una Upload")
    with factory() as session:
        assert session.get(StaffMember, council["worker"]).name == "Wanda Renamed"


def test_a_person_is_added_and_their_supervisor_named_after_checking_each(admin):
    page, url, council, factory, _ = admin

    page.goto(f"{url}/admin/staff/new")
    page.fill("#staff_number", "N900")
    page.fill("#name", "Nell Newstarter")
    page.fill("#email", "nell@council.example")
    page.select_option("#role", "social_worker")
    fill_date(page, "started_on", TODAY - timedelta(days=7))
    page.select_option("#team", str(council["team"]))
    check_then_confirm(page, "N900", "Nell Newstarter", "Social worker")
    assert "Nell Newstarter is added." in banner(page)

    # Adding a person goes on to naming their supervisor.
    page.fill("#supervisor", council["manager_number"])
    page.check("input[name=reason][value=new_starter]")
    fill_date(page, "started_on", TODAY - timedelta(days=7))
    check_then_confirm(page, council["manager_number"], "New starter")

    assert "now supervises Nell Newstarter" in banner(page)
    with factory() as session:
        nell = session.scalars(select(StaffMember).where(StaffMember.staff_number == "N900")).one()
        rel = session.scalars(
            select(SupervisionRelationship).where(SupervisionRelationship.supervisee_id == nell.id)
        ).one()
        assert rel.supervisor_id == council["manager"]


def test_a_leaver_is_recorded_after_checking(admin):
    page, url, council, factory, _ = admin
    last_day = TODAY + timedelta(days=14)

    page.goto(f"{url}/admin/staff/{council['leaver']}/leaving")
    fill_date(page, "left_on", last_day)
    check_then_confirm(page, f"{last_day.day} {last_day:%B %Y}")

    assert "Lea Leaving's leaving is recorded." in banner(page)
    with factory() as session:
        assert session.get(StaffMember, council["leaver"]).left_on == last_day


def test_a_case_is_allocated_by_case_id_after_checking(admin):
    page, url, council, factory, _ = admin

    page.goto(f"{url}/admin/cases/allocate")
    page.fill("#case_ref", "LCS-765432")
    page.check("input[name=case_type][value=child_in_need]")
    page.fill("#worker", council["manager_number"])
    fill_date(page, "allocated_on", TODAY - timedelta(days=1))
    check_then_confirm(page, "LCS-765432", "Child in need")

    assert "Case LCS-765432 is allocated." in banner(page)
    with factory() as session:
        case = session.scalars(
            select(CaseAllocation).where(CaseAllocation.case_ref == "LCS-765432")
        ).one()
        assert case.worker_id == council["manager"]


def test_an_absence_with_cover_is_recorded_then_shortened_with_its_cover(admin):
    page, url, council, factory, _ = admin
    away = f"{url}/admin/staff/{council['manager']}/absence"

    page.goto(away)
    fill_date(page, "starts_on", TODAY)
    fill_date(page, "ends_on", TODAY + timedelta(days=20))
    page.fill("#reason", "Annual leave")
    page.fill("#cover", council["cover_number"])
    check_then_confirm(page, "Annual leave", council["cover_number"])
    assert "absence is recorded and cover arranged." in banner(page)

    page.goto(away)
    page.get_by_role("link", name="End or shorten an absence, and its cover").click()
    fill_date(page, "ends_on", TODAY + timedelta(days=6))
    check_then_confirm(page, "Annual leave")

    new_end = TODAY + timedelta(days=6)
    assert f"absence now ends on {new_end.day} {new_end:%B %Y}" in banner(page)
    with factory() as session:
        assert session.scalars(select(Absence.ends_on)).one() == new_end
        assert session.scalars(select(CoverArrangement.ends_on)).one() == new_end


def test_a_team_is_added_after_checking(admin):
    page, url, _, factory, _ = admin

    page.goto(f"{url}/admin/teams/new")
    page.fill("#name", "Front Door")
    check_then_confirm(page, "Front Door")

    assert "Front Door is saved." in banner(page)
    with factory() as session:
        assert session.scalars(select(Team).where(Team.name == "Front Door")).one()


def test_a_login_is_given_by_invitation_after_checking(admin):
    page, url, council, factory, _ = admin

    page.goto(f"{url}/admin/staff/{council['manager']}/login")
    page.fill("#username", "mandy")
    page.check("input[name=roles][value=supervisor]")
    check_then_confirm(page, "mandy", "Supervisor")

    assert "login is saved and an invitation sent." in banner(page)
    with factory() as session:
        account = session.scalars(select(UserAccount).where(UserAccount.username == "mandy")).one()
        assert account.role_names >= {"supervisor"}
        assert account.staff_id == council["manager"]
