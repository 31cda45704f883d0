"""lists that scale: a person's open human tasks by due date (the people,
supervisees and team pages' overdue figures and filter) and an
organisation's case allocations by case ID (the cases page's order)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 02:20:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "status IN ('open', 'escalated')"


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(
        "ix_human_task_subject_staff_open",
        "human_task",
        ["subject_staff_id", "due_on"],
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )
    op.create_index(
        "ix_case_allocation_organisation_case_ref",
        "case_allocation",
        ["organisation_id", "case_ref", "id"],
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_case_allocation_organisation_case_ref", table_name="case_allocation")
    op.drop_index("ix_human_task_subject_staff_open", table_name="human_task")
