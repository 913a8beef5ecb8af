"""The sync clock's data epoch: `flask restore` starts a new one, so devices whose cursors
come from before it pull everything again (reset_required).

The upgrade starts an epoch too: a backup from before this revision, restored and then
upgraded, must not look like the epoch devices already hold. The cost is one full pull per
device after the upgrade.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 20:16:16.351205

"""
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sync_clock', schema=None) as batch_op:
        # The existing clock row gets '' (the first epoch); new rows get it from the model.
        batch_op.add_column(sa.Column('epoch', sa.String(length=32), server_default='', nullable=False))
    with op.batch_alter_table('sync_clock', schema=None) as batch_op:
        batch_op.alter_column('epoch', server_default=None)
    op.execute(sa.text("UPDATE sync_clock SET epoch = :epoch").bindparams(epoch=uuid.uuid4().hex))


def downgrade():
    with op.batch_alter_table('sync_clock', schema=None) as batch_op:
        batch_op.drop_column('epoch')

