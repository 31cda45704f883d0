"""inbox indexes: each branch of the inbox list is read in (due_on, id) order

The inbox is a UNION ALL of index-served branches instead of an OR that no
index can serve (webapp/inbox/listing.py):

- a person's open tasks: (assignee_id, due_on, id) WHERE the status is open.
  It replaces (assignee_id, status, due_on), which held every closed task too:
  every query that filtered it on an assignee and the open statuses is served
  by the new one, and a query on an assignee alone still has
  ix_human_task_assignee_id;
- the unclaimed open group tasks: (organisation_id, candidate_role, due_on, id)
  WHERE there is no assignee and the status is open.

Both are partial, so closed tasks (most of the table, in time) are not in
them and closing a task removes it from them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 10:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN = "status IN ('open', 'escalated')"
_UNCLAIMED_OPEN = f"assignee_id IS NULL AND {_OPEN}"


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.create_index(
            "ix_human_task_assignee_open",
            ["assignee_id", "due_on", "id"],
            unique=False,
            postgresql_where=sa.text(_OPEN),
            sqlite_where=sa.text(_OPEN),
        )
        batch_op.create_index(
            "ix_human_task_offered",
            ["organisation_id", "candidate_role", "due_on", "id"],
            unique=False,
            postgresql_where=sa.text(_UNCLAIMED_OPEN),
            sqlite_where=sa.text(_UNCLAIMED_OPEN),
        )
        batch_op.drop_index("ix_human_task_assignee_status_due")


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.create_index(
            "ix_human_task_assignee_status_due", ["assignee_id", "status", "due_on"], unique=False
        )
        batch_op.drop_index("ix_human_task_offered")
        batch_op.drop_index("ix_human_task_assignee_open")
