"""indexes for deleting a leaver's records: human_task by relationship and by
the person a task is about, over every task, open or closed; every key into
supervision_session (case discussions, a rescheduled session, an action
reviewed in a session), so deleting sessions checks what points at them by
index. The index on human_task's subject alone dropped: every lookup by
subject names the organisation too (ix_human_task_organisation_subject)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 23:30:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_human_task_relationship_id", "human_task", "relationship_id"),
    ("ix_human_task_subject_staff_id", "human_task", "subject_staff_id"),
    ("ix_case_supervision_session_id", "case_supervision", "session_id"),
    ("ix_supervision_session_rescheduled_from_id", "supervision_session", "rescheduled_from_id"),
    ("ix_session_action_reviewed_in_session_id", "session_action", "reviewed_in_session_id"),
)


def upgrade() -> None:
    """Upgrade schema."""
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])
    op.drop_index("ix_human_task_subject", table_name="human_task")


def downgrade() -> None:
    """Downgrade schema."""
    op.create_index("ix_human_task_subject", "human_task", ["subject"])
    for name, table, _column in reversed(INDEXES):
        op.drop_index(name, table_name=table)
