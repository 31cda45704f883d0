"""staff: ASYE start and probation end, the staff list's index; a team's
closing date; login invitations (set-password tokens, kept hashed)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 02:10:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("staff_member") as batch:
        batch.add_column(sa.Column("asye_started_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("probation_ends_on", sa.Date(), nullable=True))
    with op.batch_alter_table("team") as batch:
        batch.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
    op.create_index(
        "ix_staff_member_organisation_name", "staff_member", ["organisation_id", "name", "id"]
    )
    op.create_table(
        "login_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("invited_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["invited_by_user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_login_invitation_user_id", "login_invitation", ["user_id"])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_login_invitation_user_id", table_name="login_invitation")
    op.drop_table("login_invitation")
    op.drop_index("ix_staff_member_organisation_name", table_name="staff_member")
    with op.batch_alter_table("team") as batch:
        batch.drop_column("closed_on")
    with op.batch_alter_table("staff_member") as batch:
        batch.drop_column("probation_ends_on")
        batch.drop_column("asye_started_on")
