"""One stored push result row per push: ``first_mutation_id`` .. ``mutation_id`` and the
list of their answers (``sync_mutation_results``). Rows from before stay as they are (one
answer each, ``first_mutation_id`` null) and are still read.

A downgrade deletes the rows of several answers, which the older code cannot read: a batch
retried after that gets "duplicate" without its original answer, as after ``sync-gc``.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 01:32:03.877494

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sync_mutation_results', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_mutation_id', sa.BigInteger(), nullable=True))


def downgrade():
    op.execute("DELETE FROM sync_mutation_results WHERE first_mutation_id IS NOT NULL")
    with op.batch_alter_table('sync_mutation_results', schema=None) as batch_op:
        batch_op.drop_column('first_mutation_id')
