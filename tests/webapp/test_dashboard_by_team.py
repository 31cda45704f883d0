"""The whole organisation's dashboard at a council's size: each figure
without the team (a row per team of a council is thousands of rows), with a
link to the figure team by team, whose rows add up to the same figure and
agree with counts made here from the table's rows."""

from __future__ import annotations

import re

from sqlalchemy import select

from models import OPEN_STATUSES, HumanTask, StaffMember, Team
from tests.webapp.conftest import TODAY, build_app, login
from tests.webapp.test_dashboard import busy  # noqa: F401  (the shared world)


def _table(html: str, name: str) -> str:
    return html.split(f'data-testid="table-{name}"')[1].split("</table>")[0]


def _overdue_by_team(db) -> dict[str, int]:
    """Open overdue tasks per team name, counted from the rows in Python."""
    with db() as session:
        team_of = {s.id: s.team_id for s in session.scalars(select(StaffMember))}
        names = dict(session.execute(select(Team.id, Team.name)).tuples().all())
        out: dict[str, int] = {}
        for task in session.scalars(select(HumanTask).where(HumanTask.status.in_(OPEN_STATUSES))):
            team_id = task.team_id or team_of.get(task.subject_staff_id)
            if task.due_on < TODAY and team_id is not None:
                out[names[team_id]] = out.get(names[team_id], 0) + 1
        return out


def _client(db, username: str):
    client = build_app(db).test_client()
    login(client, username)
    return client


def test_the_whole_organisations_figures_are_shown_without_a_row_per_team(db, busy):  # noqa: F811
    html = _client(db, "wft").get("/dashboard").get_data(as_text=True)
    teams = _overdue_by_team(db)
    assert teams, "the world has overdue work in some team"
    open_tasks = _table(html, "open_tasks")
    assert not any(name in open_tasks for name in teams)
    assert '<th scope="col" class="govuk-table__header">Kind of task</th>' in open_tasks
    assert '<th scope="col" class="govuk-table__header">Scope</th>' in _table(html, "agreements")
    assert 'data-testid="by-team-open_tasks"' in html


def test_a_figures_team_by_team_link_shows_that_figure_alone_a_row_per_team(db, busy):  # noqa: F811
    client = _client(db, "wft")
    html = client.get("/dashboard").get_data(as_text=True)
    link = re.search(r'data-testid="by-team-open_tasks" href="([^"]+)"', html).group(1)
    page = client.get(link.replace("&amp;", "&"))
    by_team = page.get_data(as_text=True)
    assert page.status_code == 200
    assert by_team.count('data-testid="table-') == 1
    table = _table(by_team, "open_tasks")
    for name, overdue in _overdue_by_team(db).items():
        rows = [r for r in table.split('<tr class="govuk-table__row">') if f">{name}<" in r]
        found = (re.search(r'count-open_tasks-overdue"[^>]*>(\d+)<', row) for row in rows)
        counted = sum(int(m.group(1)) for m in found if m)
        assert counted == overdue, name


def test_a_figure_that_does_not_exist_is_not_found(db, busy):  # noqa: F811
    assert _client(db, "wft").get("/dashboard?figure=nothing").status_code == 404


def test_a_team_manager_still_sees_their_team_on_every_figure(db, busy):  # noqa: F811
    html = _client(db, "tm").get("/dashboard").get_data(as_text=True)
    assert "Busy Assessment Team" in _table(html, "agreements")
    assert 'data-testid="by-team-' not in html
