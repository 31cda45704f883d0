"""sign-in sessions and attempt counters: signing out ends the session on the
server, and throttling counts are atomic across worker processes

- sign_in_session: one row per signed-in browser (the hash of the token its
  session cookie carries); signing out ends it, so a copied cookie stops
  working;
- attempt_counter: failures per key (an account, an address, a calendar-feed
  token prefix) in one window, each changed by one atomic statement.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 14:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "sign_in_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_sign_in_session_user_id", "sign_in_session", ["user_id"], unique=False)
    op.create_table(
        "attempt_counter",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("window_started", sa.DateTime(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("attempt_counter")
    op.drop_index("ix_sign_in_session_user_id", table_name="sign_in_session")
    op.drop_table("sign_in_session")
