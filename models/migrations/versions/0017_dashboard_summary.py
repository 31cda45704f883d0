"""the dashboard's figures kept per organisation: the period they cover and
when they were computed, and a cell per figure, team (and the teams
together), breakdown and outcome

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 08:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "dashboard_summary",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("computed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("organisation_id"),
    )
    op.create_table(
        "dashboard_summary_cell",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("figure", sa.String(length=60), nullable=False),
        sa.Column("all_teams", sa.Boolean(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("breakdown", sa.String(length=120), nullable=True),
        sa.Column("outcome", sa.String(length=60), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("days_total", sa.Float(), nullable=True),
        sa.Column("days_counted", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["dashboard_summary.organisation_id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_dashboard_summary_cell_organisation_figure",
        "dashboard_summary_cell",
        ["organisation_id", "all_teams", "figure", "team_id"],
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(
        "ix_dashboard_summary_cell_organisation_figure", table_name="dashboard_summary_cell"
    )
    op.drop_table("dashboard_summary_cell")
    op.drop_table("dashboard_summary")
