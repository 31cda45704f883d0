"""the dashboard's figures at council size: open human tasks by kind and
team, escalations by when they were escalated, tasks of a kind by due date,
one-to-one sessions by relationship and day held, and case supervision by
allocation and day

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 05:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OPEN = "status IN ('open', 'escalated')"
ESCALATED = "escalated_at IS NOT NULL"
HELD_ONE_TO_ONE = "kind = 'individual' AND status = 'held'"


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(
        "ix_human_task_organisation_open",
        "human_task",
        ["organisation_id", "kind", "team_id", "due_on", "subject_staff_id"],
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )
    op.create_index(
        "ix_human_task_organisation_escalated",
        "human_task",
        ["organisation_id", "escalated_at"],
        postgresql_where=sa.text(ESCALATED),
        sqlite_where=sa.text(ESCALATED),
    )
    op.create_index(
        "ix_human_task_organisation_kind_due", "human_task", ["organisation_id", "kind", "due_on"]
    )
    op.create_index(
        "ix_supervision_session_relationship_held",
        "supervision_session",
        ["relationship_id", "held_on"],
        postgresql_where=sa.text(HELD_ONE_TO_ONE),
        sqlite_where=sa.text(HELD_ONE_TO_ONE),
    )
    op.create_index(
        "ix_supervision_session_held",
        "supervision_session",
        ["held_on", "relationship_id"],
        postgresql_where=sa.text(HELD_ONE_TO_ONE),
        sqlite_where=sa.text(HELD_ONE_TO_ONE),
    )
    op.create_index(
        "ix_case_supervision_allocation_day",
        "case_supervision",
        ["allocation_id", "supervised_on"],
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_case_supervision_allocation_day", table_name="case_supervision")
    op.drop_index("ix_supervision_session_held", table_name="supervision_session")
    op.drop_index("ix_supervision_session_relationship_held", table_name="supervision_session")
    op.drop_index("ix_human_task_organisation_kind_due", table_name="human_task")
    op.drop_index("ix_human_task_organisation_escalated", table_name="human_task")
    op.drop_index("ix_human_task_organisation_open", table_name="human_task")
