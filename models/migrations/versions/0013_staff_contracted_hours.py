"""staff contracted hours, for the capacity what-if

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 02:15:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Contracted hours a week; none recorded reads as full time
    (models/reports/capacity.py)."""
    with op.batch_alter_table("staff_member") as batch:
        batch.add_column(sa.Column("contracted_hours", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_member") as batch:
        batch.drop_column("contracted_hours")
