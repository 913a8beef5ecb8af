"""The audit trail records access changes: users, memberships and login tokens.

Their events have no row version (these rows are not synced), so ``version`` becomes
nullable; ``subject_user_id`` names the user an event is about, indexed with ``at`` for
"what access did this person get, and from whom".

A downgrade deletes the access events (the only ones without a version): the older schema
cannot hold them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 22:31:28.975143

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_user_id', sa.Uuid(), nullable=True))
        batch_op.alter_column('version',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index('ix_audit_events_subject_user_at', ['subject_user_id', 'at'], unique=False)


def downgrade():
    op.execute(sa.text("DELETE FROM audit_events WHERE version IS NULL"))
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_subject_user_at')
        batch_op.alter_column('version',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('subject_user_id')
