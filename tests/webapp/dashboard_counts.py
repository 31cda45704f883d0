"""What the dashboard tests compare: the overdue figure a dashboard page shows,
and the same figure counted here, independently, from the human tasks."""

from __future__ import annotations

import re

from sqlalchemy import select

from models import OPEN_STATUSES, HumanTask, StaffMember
from tests.webapp.conftest import TODAY


def overdue_counted_here(db, team_id=None) -> int:
    """Open human tasks past due on TODAY (in a team, by the task's team or else
    its subject's), counted here from the table's rows."""
    with db() as session:
        tasks = session.scalars(select(HumanTask).where(HumanTask.status.in_(OPEN_STATUSES)))
        staff = {s.id: s.team_id for s in session.scalars(select(StaffMember))}
        return sum(
            1
            for t in tasks
            if t.due_on < TODAY
            and (team_id is None or (t.team_id or staff.get(t.subject_staff_id)) == team_id)
        )


def overdue_shown(html: str) -> int:
    """The overdue figure of the dashboard's open-tasks table, in its "All" row."""
    section = html.split('data-testid="table-open_tasks"')[1].split("</table>")[0]
    last_row = section.rsplit('<tr class="govuk-table__row">', 1)[1]
    numbers = re.findall(r">(\d+)<", last_row)
    return int(numbers[0])  # the "All" row's first outcome: overdue
