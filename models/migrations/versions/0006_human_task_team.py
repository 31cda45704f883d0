"""human task team: every human task names the team it counts for

A human task's team was read at report time through the person it is about,
so a task about a team (a case-file audit) or a task whose person later moved
team counted under "No team" or under the wrong team. The team is now kept on
the task: the subject's team (a relationship's supervisee, a case's allocated
worker, the person named), a group's team, or the team named. The reconcile
keeps it in line while the task is open; the rows already there are filled in
here, set-based.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 12:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The subject's team; a group's own team; a team named as the subject ("team-12").
_FROM_SUBJECT_STAFF = """
UPDATE human_task SET team_id = (
    SELECT staff_member.team_id FROM staff_member
    WHERE staff_member.id = human_task.subject_staff_id
)
WHERE team_id IS NULL AND subject_staff_id IS NOT NULL
"""
_FROM_GROUP = """
UPDATE human_task SET team_id = (
    SELECT supervision_group.team_id FROM supervision_group
    WHERE 'grp-' || CAST(supervision_group.id AS VARCHAR(20)) = human_task.subject
)
WHERE subject LIKE 'grp-%' AND EXISTS (
    SELECT 1 FROM supervision_group
    WHERE 'grp-' || CAST(supervision_group.id AS VARCHAR(20)) = human_task.subject
      AND supervision_group.team_id IS NOT NULL
)
"""
_FROM_TEAM_SUBJECT = """
UPDATE human_task SET team_id = (
    SELECT team.id FROM team
    WHERE 'team-' || CAST(team.id AS VARCHAR(20)) = human_task.subject
)
WHERE team_id IS NULL AND subject LIKE 'team-%'
"""


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_human_task_team_id", "team", ["team_id"], ["id"])
        batch_op.create_index(
            "ix_human_task_organisation_team", ["organisation_id", "team_id"], unique=False
        )
    op.execute(_FROM_SUBJECT_STAFF)
    op.execute(_FROM_GROUP)
    op.execute(_FROM_TEAM_SUBJECT)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.drop_index("ix_human_task_organisation_team")
        batch_op.drop_constraint("fk_human_task_team_id", type_="foreignkey")
        batch_op.drop_column("team_id")
