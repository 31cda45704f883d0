"""form drafts: what someone typed into a long form survives an expired login

- form_draft: one row per login and form (the form's endpoint and URL
  arguments), the posted fields as JSON text; deleted when the form is
  completed, and with the login.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 02:10:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "form_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("form_key", sa.String(length=200), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("while_signed_out", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "form_key", name="uq_form_draft_user_form"),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("form_draft")
