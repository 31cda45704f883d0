"""facts the policies need: when a record was shared with the supervisee,
where a decision on a case was made, and a case's category

- supervision_session.shared_on: the record shared with (copied to) the
  supervisee, apart from recorded_on (Lancashire §1.8, Bristol Appendix 1,
  North West); records signed before this revision were shared with the
  supervisee on the day the supervisor signed them, which set recorded_on;
- case_supervision.made_in: "supervision" or "outside_supervision" (Bristol
  §5.7);
- case_allocation.category: Nottingham §1.6's categories (settled in placement,
  stepping down, ...), which set the case's cadence where the document does.

The session's length already has a column (duration_minutes).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 02:06:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("supervision_session") as batch:
        batch.add_column(sa.Column("shared_on", sa.Date(), nullable=True))
    with op.batch_alter_table("case_supervision") as batch:
        batch.add_column(
            sa.Column("made_in", sa.String(length=30), nullable=False, server_default="supervision")
        )
    with op.batch_alter_table("case_allocation") as batch:
        batch.add_column(sa.Column("category", sa.String(length=40), nullable=True))
    # A signed record was shared with the supervisee when the supervisor signed it
    # (models/actions/sessions.py), the day recorded_on holds.
    op.execute(
        "UPDATE supervision_session SET shared_on = recorded_on "
        "WHERE recorded_on IS NOT NULL AND record_status IN "
        "('awaiting_countersignature', 'signed')"
    )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("case_allocation") as batch:
        batch.drop_column("category")
    with op.batch_alter_table("case_supervision") as batch:
        batch.drop_column("made_in")
    with op.batch_alter_table("supervision_session") as batch:
        batch.drop_column("shared_on")
