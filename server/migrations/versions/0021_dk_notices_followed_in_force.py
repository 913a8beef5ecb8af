"""A foster family's plan put in force (no approval, seed 001) tells the inspectors who follow
the unit: ``followed_in_force`` joins the notification kinds' CHECK.

Revision ID: 0021_dk_notices
Revises: 0020_sv_links
Create Date: 2026-12-03 16:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021_dk_notices'
down_revision = '0020_sv_links'
branch_labels = None
depends_on = None

OLD_KINDS = (
    "assigned", "plan_submitted", "plan_approved", "plan_sent_back", "note_added", "conflict",
    "message_added", "finding_added", "paabud_added", "followed_submitted", "followed_approved",
    "followed_changed", "paabud_item_done", "due_soon", "overdue", "survey_unanswered",
)
# In the model's order (server/models/push.py: the event kinds, then the reminders).
NEW_KINDS = OLD_KINDS[:13] + ("followed_in_force",) + OLD_KINDS[13:]


def _kinds(kinds):
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notifications_kind'), type_='check')
        batch_op.create_check_constraint('kind', _kinds(NEW_KINDS))


def downgrade():
    op.execute("DELETE FROM notifications WHERE kind = 'followed_in_force'")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notifications_kind'), type_='check')
        batch_op.create_check_constraint('kind', _kinds(OLD_KINDS))
