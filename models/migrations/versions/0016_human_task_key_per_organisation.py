"""a human task's key is unique within its organisation, not across the
database

One database serves every council, and a key built from a case ID
("case:LCS-100001:2026-12-07") is the same in two councils that hold the same
case ID: with the key unique across the database, the second council's task
was never created (the reconcile inserts on conflict do nothing). The keys
already there are unique across the database, so within each organisation.
A downgrade fails while two organisations share a key.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 06:25:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    # Batch mode: SQLite cannot drop a constraint, so the table is rebuilt.
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.drop_constraint("uq_human_task_key", type_="unique")
        batch_op.create_unique_constraint(
            "uq_human_task_organisation_key", ["organisation_id", "key"]
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.drop_constraint("uq_human_task_organisation_key", type_="unique")
        batch_op.create_unique_constraint("uq_human_task_key", ["key"])
