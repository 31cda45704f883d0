"""What the inbox shows first: its counts, the filters folded away unless
one is in use, and a kind's "why" once, not on every identical task."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.webapp.conftest import TODAY, login, make_task


def _filters(html: str) -> str:
    return re.search(r'<details[^>]*data-testid="inbox-filters"[^>]*>', html).group(0)


def test_the_filters_are_folded_away_until_one_is_in_use(client, world, db):
    make_task(db, organisation_id=world.org_id, assignee_id=world.manager_id, due_on=TODAY)
    login(client, world.manager)
    html = client.get("/inbox").get_data(as_text=True)
    assert " open" not in _filters(html)
    assert html.index('data-testid="inbox-counts"') < html.index('data-testid="inbox-filters"')
    filtered = client.get("/inbox?due=overdue").get_data(as_text=True)
    assert " open" in _filters(filtered)
    assert "Filter tasks (filters in use)" in filtered


def test_the_why_of_identical_tasks_is_shown_once_per_kind(client, world, db):
    for days in (1, 2, 3):
        make_task(
            db, organisation_id=world.org_id, assignee_id=world.manager_id,
            due_on=TODAY + timedelta(days=days),
        )  # fmt: skip
    make_task(
        db, organisation_id=world.org_id, assignee_id=world.manager_id, kind="dbs_check",
        due_on=TODAY + timedelta(days=4), rule_text="Check each DBS certificate every 3 years.",
    )  # fmt: skip
    login(client, world.manager)
    html = client.get("/inbox").get_data(as_text=True)
    inbox = re.search(r'data-testid="inbox".*?</ul>', html, flags=re.S).group(0)
    assert inbox.count('data-task-id="') == 4
    assert inbox.count("drawn up within 6 weeks of starting their job") == 1
    assert inbox.count("Check each DBS certificate every 3 years.") == 1
