"""HVEM? has two jobs (issue 17, seed 001): who carries a row out (``responsible``, as
before) and who follows it up (``plan_items.follow_up_responsible``, the same shape: a list of
``{"user_id"}`` or ``{"name"}``). The template's one HVEM? cell asks for both, so a row written
before they were apart answered both: its people are copied into the new column. Row versions
are not bumped; a device that pulled the row before shows its ``responsible`` for both until
the row changes (docs/sync-protocol.md).

Revision ID: 0016_dk_rows
Revises: 0015_dk_catalogue
Create Date: 2026-12-03 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_dk_rows'
down_revision = '0015_dk_catalogue'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('follow_up_responsible', sa.JSON(), nullable=False, server_default='[]')
        )
    op.execute("UPDATE plan_items SET follow_up_responsible = responsible")
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.alter_column('follow_up_responsible', server_default=None)


def downgrade():
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.drop_column('follow_up_responsible')
