"""While a supervisor is absent, the colleague covering for them directs their
supervisees' cases (Wokingham 003 standards 12-13), so /cases lists those
cases to the cover supervisor, each saying whom they cover for and until
when, only while the cover is in force. Nobody else's list changes."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from models import (
    AppRole,
    CaseAllocation,
    CaseType,
    CoverArrangement,
    Organisation,
    StaffMember,
    StaffRole,
    SupervisionRelationship,
)
from tests.factories import make_relationship, make_staff, make_user
from tests.webapp.conftest import TODAY, build_app, login, text_of

STARTS_ON = date(2026, 2, 16)
ENDS_ON = date(2026, 3, 12)
SAM_CASE, CHLOE_CASE, DORA_CASE, COLIN_CASE = "LCS-300001", "LCS-300002", "LCS-300003", "LCS-300004"


@pytest.fixture
def people(db, world):
    """Grace (the manager) supervises Sam and Chloe, who each have a case. Colin
    will cover for Grace; Rita covers for nobody; Dan supervises Dora, who has
    a case, and nobody covers for Dan."""
    with db() as session, session.begin():
        org = session.get(Organisation, world.org_id)
        colin = make_staff(session, org, name="Colin Cover", role=StaffRole.TEAM_MANAGER)
        rita = make_staff(session, org, name="Rita Random", role=StaffRole.TEAM_MANAGER)
        dan = make_staff(session, org, name="Dan Elsewhere", role=StaffRole.TEAM_MANAGER)
        dora = make_staff(session, org, name="Dora Worker", line_manager=dan)
        make_relationship(session, dan, dora)
        make_user(session, colin, AppRole.SUPERVISOR, username="colin")
        make_user(session, rita, AppRole.SUPERVISOR, username="rita")
        make_user(session, dan, AppRole.SUPERVISOR, AppRole.LINE_MANAGER, username="dan")
        for ref, worker_id in (
            (SAM_CASE, world.worker_id),
            (CHLOE_CASE, world.colleague_id),
            (DORA_CASE, dora.id),
        ):
            session.add(
                CaseAllocation(
                    organisation_id=world.org_id,
                    case_ref=ref,
                    case_type=CaseType.CHILD_IN_NEED,
                    worker_id=worker_id,
                    allocated_on=date(2026, 1, 20),
                )
            )
        return {"colin": colin.id, "rita": rita.id, "dan": dan.id, "dora": dora.id}


def _cover(db, world, people, *, starts_on=STARTS_ON, ends_on=ENDS_ON):
    with db() as session, session.begin():
        session.add(
            CoverArrangement(
                absent_supervisor_id=world.manager_id,
                cover_supervisor_id=people["colin"],
                starts_on=starts_on,
                ends_on=ends_on,
                reason="Sick leave",
                arranged_by_id=world.head_id,
            )
        )


def _table(page: str, testid: str) -> str:
    match = re.search(rf'<table[^>]*data-testid="{testid}".*?</table>', page, flags=re.S)
    return match.group(0) if match else ""


def _listed(client, testid: str | None = None) -> set[str]:
    """The case IDs linked from /cases, or from one of its tables."""
    page = client.get("/cases").get_data(as_text=True)
    if testid is not None:
        page = _table(page, testid)
    return set(re.findall(r'href="/cases/(LCS-\d+)"', page))


def test_the_cover_supervisor_sees_the_covered_cases_marked_with_whom_and_until_when(
    client, db, world, people
):
    _cover(db, world, people)
    login(client, "colin")
    response = client.get("/cases")
    text = text_of(response)
    assert "Cases you are covering" in text
    assert _listed(client, "covered-cases") == {SAM_CASE, CHLOE_CASE}
    assert "Covering for Grace Manager until 12 March 2026" in text
    assert f"{SAM_CASE} Child in need Sam Worker Covering for Grace Manager until" in text
    # Colin supervises nobody himself, so he allocates nothing and has no list of his own.
    assert "Cases of the people you supervise" not in text
    assert "Allocate a case" not in text
    # Each covered case opens, and Colin may record its case direction.
    for ref in (SAM_CASE, CHLOE_CASE):
        assert client.get(f"/cases/{ref}").status_code == 200
        assert client.get(f"/cases/{ref}/supervise").status_code == 200
    assert client.get(f"/cases/{DORA_CASE}").status_code == 404


@pytest.mark.parametrize(
    ("today", "listed"),
    [
        (date(2026, 2, 15), False),  # the day before the cover starts
        (STARTS_ON, True),
        (TODAY, True),
        (ENDS_ON, True),  # the last day of the cover
        (date(2026, 3, 13), False),  # the day after it ends
    ],
)
def test_the_covered_cases_are_listed_only_while_the_cover_is_in_force(
    db, world, people, today, listed
):
    _cover(db, world, people)
    client = build_app(db, OVERSIGHT_TODAY=today.isoformat()).test_client()
    login(client, "colin")
    text = text_of(client.get("/cases"))
    if listed:
        assert _listed(client, "covered-cases") == {SAM_CASE, CHLOE_CASE}
    else:
        assert _listed(client) == set()
        assert "Cases you are covering" not in text
        assert "Covering for" not in text


def test_a_cover_with_no_end_date_lists_the_cases_and_says_so(client, db, world, people):
    _cover(db, world, people, ends_on=None)
    login(client, "colin")
    assert _listed(client, "covered-cases") == {SAM_CASE, CHLOE_CASE}
    assert "Covering for Grace Manager, with no end date set" in text_of(client.get("/cases"))


def test_a_supervisee_whose_relationship_with_the_absent_supervisor_ended_is_not_listed(
    client, db, world, people
):
    _cover(db, world, people)
    with db() as session, session.begin():
        session.get(SupervisionRelationship, world.colleague_rel_id).ended_on = TODAY
    login(client, "colin")
    assert _listed(client, "covered-cases") == {SAM_CASE}
    assert client.get(f"/cases/{CHLOE_CASE}/supervise").status_code == 404


def test_covering_with_nothing_allocated_says_so(client, db, world, people):
    with db() as session, session.begin():
        for allocation in session.scalars(select(CaseAllocation)):
            allocation.ended_on = TODAY
    _cover(db, world, people)
    login(client, "colin")
    text = text_of(client.get("/cases"))
    assert "None of the people you are covering for has a case allocated." in text


def test_someone_the_cover_supervisor_supervises_anyway_is_listed_once_under_their_own(
    client, db, world, people
):
    with db() as session, session.begin():
        make_relationship(
            session,
            session.get(StaffMember, people["colin"]),
            session.get(StaffMember, world.colleague_id),
        )
    _cover(db, world, people)
    login(client, "colin")
    assert _listed(client, "overseen-cases") == {CHLOE_CASE}
    assert _listed(client, "covered-cases") == {SAM_CASE}


def test_the_cover_supervisors_own_cases_stay_under_their_own_cases(client, db, world, people):
    """Colin is himself supervised by Grace, the supervisor he covers for."""
    with db() as session, session.begin():
        colin = session.get(StaffMember, people["colin"])
        make_relationship(session, session.get(StaffMember, world.manager_id), colin)
        session.add(
            CaseAllocation(
                organisation_id=world.org_id,
                case_ref=COLIN_CASE,
                case_type=CaseType.CHILD_IN_NEED,
                worker_id=colin.id,
                allocated_on=date(2026, 1, 20),
            )
        )
    _cover(db, world, people)
    login(client, "colin")
    assert _listed(client, "my-cases") == {COLIN_CASE}
    assert _listed(client, "covered-cases") == {SAM_CASE, CHLOE_CASE}


@pytest.mark.parametrize(
    "who", ["rita", "dan", "manager", "head", "worker", "colleague", "outsider"]
)
def test_nobody_elses_case_list_changes_with_the_cover(client, db, world, people, who):
    login(client, who)
    before = _listed(client)
    before_text = text_of(client.get("/cases"))
    _cover(db, world, people)
    assert _listed(client) == before
    during = text_of(client.get("/cases"))
    assert during == before_text
    assert "Covering for" not in during


def test_a_cover_for_another_supervisor_does_not_show_grace_s_cases(client, db, world, people):
    """Colin covering for Dan sees Dora's case, not the cases of Grace's supervisees."""
    with db() as session, session.begin():
        session.add(
            CoverArrangement(
                absent_supervisor_id=people["dan"],
                cover_supervisor_id=people["colin"],
                starts_on=STARTS_ON,
                ends_on=ENDS_ON,
                reason="Annual leave",
            )
        )
    login(client, "colin")
    assert _listed(client) == {DORA_CASE}
    assert "Covering for Dan Elsewhere until 12 March 2026" in text_of(client.get("/cases"))
