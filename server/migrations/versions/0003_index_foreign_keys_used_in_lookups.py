"""Index the foreign keys that lookups go through.

memberships.unit_id (who is in a unit: admins' user lists, responsible checks),
progress_notes.plan_id (a plan's notes) and sync_clients.user_id (a user's devices).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 18:15:41
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES = (
    ("memberships", "ix_memberships_unit_id", "unit_id"),
    ("progress_notes", "ix_progress_notes_plan_id", "plan_id"),
    ("sync_clients", "ix_sync_clients_user_id", "user_id"),
)


def upgrade():
    for table, name, column in INDEXES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_index(name, [column], unique=False)


def downgrade():
    for table, name, _ in reversed(INDEXES):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(name)
