"""On PostgreSQL with tens of thousands of human tasks (most of them closed,
as in a service that has run for a while), every inbox list and count query
reads human_task through an index, never by a sequential scan. The
statements are the ones the views run (webapp/inbox/listing.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, text

from models import AppRole, HumanTask, StaffMember
from tests.webapp.conftest import TODAY
from webapp import inbox_list as listing
from webapp.cursor import AFTER, BEFORE, Cursor
from webapp.users import AppUser

pytestmark = pytest.mark.postgres

PEOPLE = 400
TASKS = 40_000
INBOX_INDEXES = {"ix_human_task_assignee_open", "ix_human_task_offered"}


@pytest.fixture
def busy_council(world, db, postgres_only):
    """400 more staff; 40,000 human tasks among them, 94% closed; Grace (the
    team manager) with 300 open ones; 600 unclaimed group tasks. Analysed,
    as autovacuum would have by now."""
    with db() as session, session.begin():
        session.execute(
            insert(StaffMember),
            [
                {
                    "organisation_id": world.org_id,
                    "staff_number": f"P{n}",
                    "name": f"Person {n}",
                    "email": f"p{n}@example.org",
                    "job_title": "Social worker",
                    "role": "social_worker",
                    "employment": "permanent",
                    "started_on": TODAY - timedelta(days=900),
                    "asye": False,
                }
                for n in range(PEOPLE)
            ],
        )
        staff = [world.manager_id, world.worker_id, world.colleague_id, world.head_id]
        staff += list(
            session.scalars(text("SELECT id FROM staff_member WHERE staff_number LIKE 'P%'"))
        )
        session.execute(insert(HumanTask), [_task(world, staff, n) for n in range(TASKS)])
    with db() as session, session.begin():
        session.execute(text("ANALYZE human_task"))
        session.execute(text("ANALYZE staff_member"))
    return world


def _task(world, staff: list[int], n: int) -> dict:
    group = n % 64 == 0  # about 600 unclaimed group tasks
    grace = n % 128 == 1  # about 300 of Grace's open tasks
    status = "open" if grace or group or n % 100 >= 94 else "completed"
    return {
        "organisation_id": world.org_id,
        "key": f"busy:{n}",
        "kind": ("agreement", "escalation", "personal_supervision")[n % 3],
        "lifecycle": "agreement",
        "title": f"Task {n}",
        "subject": f"staff-{staff[n % len(staff)]}",
        "subject_staff_id": staff[(n * 7) % len(staff)],
        "assignee_id": None if group else world.manager_id if grace else staff[n % len(staff)],
        "candidate_role": AppRole.HEAD_OF_SERVICE if group else None,
        "due_on": TODAY + timedelta(days=n % 400 - 200),
        "status": status,
        "rule": "r",
        "source": "s",
        "rule_text": "",
        "payload": {},
        "created_by": "test",
    }


def _user(world, who: str) -> AppUser:
    staff_id, roles = {
        "manager": (world.manager_id, {"supervisor", "line_manager"}),
        "head": (world.head_id, {"head_of_service", "line_manager"}),
    }[who]
    return AppUser(0, who, staff_id, who, world.org_id, "Testshire", frozenset(roles))


def _plan_nodes(connection, statement) -> list[dict]:
    sql = statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    plan = connection.execute(text(f"EXPLAIN (FORMAT JSON) {sql}")).scalar_one()
    nodes, todo = [], [plan[0]["Plan"]]
    while todo:
        node = todo.pop()
        nodes.append(node)
        todo.extend(node.get("Plans", []))
    return nodes


def _statements(user: AppUser):
    filters = listing.InboxFilters(kinds=("escalation",), due="four_weeks")
    middle = (TODAY, 20_000)
    yield "first page", listing.page_statement(user, listing.InboxFilters(), TODAY, 25)
    yield (
        "next page",
        listing.page_statement(user, listing.InboxFilters(), TODAY, 25, Cursor(AFTER, middle)),
    )
    yield (
        "previous page",
        listing.page_statement(user, listing.InboxFilters(), TODAY, 25, Cursor(BEFORE, middle)),
    )
    yield "filtered page", listing.page_statement(user, filters, TODAY, 25)
    yield "counts and filter options", listing.summary_statement(user, filters, TODAY)


@pytest.mark.parametrize("who", ["manager", "head"])
def test_every_inbox_list_and_count_query_reads_human_task_by_an_index(app, busy_council, db, who):
    user = _user(busy_council, who)
    with app.test_request_context(), db() as session:
        connection = session.connection()
        for name, statement in _statements(user):
            nodes = _plan_nodes(connection, statement)
            on_tasks = [n for n in nodes if n.get("Relation Name") == "human_task"]
            assert not [n for n in on_tasks if "Seq Scan" in n["Node Type"]], name
            used = {n.get("Index Name") for n in nodes if "Index" in n["Node Type"]}
            assert used & INBOX_INDEXES, (name, used)
