"""service area closed_on: a service area closed once it has no open teams

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 02:55:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """A closed service area keeps its history (its teams, audits, samples)
    but takes no new teams (models/actions/admin_teams.py)."""
    with op.batch_alter_table("service_area") as batch:
        batch.add_column(sa.Column("closed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("service_area") as batch:
        batch.drop_column("closed_on")
