"""supervision record audits, missed sessions raised and escalated, case
oversight between supervisions, and the note an action's owner writes when
they mark it done.

Case oversight: management oversight recorded on a child's record between
case supervisions (Wokingham standards 25-27).

Missed sessions: a session not held, raised by the supervisee, escalated to
the supervisor's line manager and answered (Wokingham standards 14-15).

Audits: a supervisor's supervision records audited by
their line manager on the council's checklist (Wokingham Quality Assurance
"Supervision Audits"; Nottingham Appendix 6), its answers, findings, the
number of shortfalls, and when it was discussed with the supervisor.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 02:10:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "supervision_record_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.Column("auditor_id", sa.Integer(), nullable=False),
        sa.Column("audited_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("shortfalls", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("discussed_on", sa.Date(), nullable=True),
        sa.Column("discussion_note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["supervisor_id"], ["staff_member.id"]),
        sa.ForeignKeyConstraint(["auditor_id"], ["staff_member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("supervisor_id", "audited_on"),
    )
    op.create_index(
        "ix_supervision_record_audit_organisation_id",
        "supervision_record_audit",
        ["organisation_id"],
        unique=False,
    )
    op.create_index(
        "ix_supervision_record_audit_supervisor_id",
        "supervision_record_audit",
        ["supervisor_id"],
        unique=False,
    )
    op.create_table(
        "missed_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("relationship_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("raised_note", sa.Text(), nullable=False),
        sa.Column("escalated_on", sa.Date(), nullable=True),
        sa.Column("escalated_note", sa.Text(), nullable=False),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("response_note", sa.Text(), nullable=False),
        sa.Column("responded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["relationship_id"], ["supervision_relationship.id"]),
        sa.ForeignKeyConstraint(["responded_by_id"], ["staff_member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("relationship_id", "due_on"),
    )
    op.create_index(
        "ix_missed_session_relationship_id", "missed_session", ["relationship_id"], unique=False
    )
    op.create_table(
        "case_oversight",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("allocation_id", sa.Integer(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["allocation_id"], ["case_allocation.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["staff_member.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_case_oversight_allocation_id", "case_oversight", ["allocation_id"], unique=False
    )
    # What an action's owner wrote when they marked it done from their inbox.
    with op.batch_alter_table("session_action") as batch:
        batch.add_column(sa.Column("done_note", sa.Text(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("session_action") as batch:
        batch.drop_column("done_note")
    op.drop_index("ix_case_oversight_allocation_id", table_name="case_oversight")
    op.drop_table("case_oversight")
    op.drop_index("ix_missed_session_relationship_id", table_name="missed_session")
    op.drop_table("missed_session")
    op.drop_index(
        "ix_supervision_record_audit_supervisor_id", table_name="supervision_record_audit"
    )
    op.drop_index(
        "ix_supervision_record_audit_organisation_id", table_name="supervision_record_audit"
    )
    op.drop_table("supervision_record_audit")
