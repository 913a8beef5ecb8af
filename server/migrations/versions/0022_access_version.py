"""The access version: ``sync_clock.access_version`` gets a new random value from triggers
whenever a membership changes or a unit is created, deleted or moved, so a request's roles
can be kept between requests for as long as it stays the same (issue 15).

Revision ID: 0022_access_version
Revises: 0021_dk_notices
Create Date: 2026-12-03 17:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

from server.models.sync import ACCESS_TRIGGERS


# revision identifiers, used by Alembic.
revision = '0022_access_version'
down_revision = '0021_dk_notices'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sync_clock') as batch_op:
        batch_op.add_column(
            sa.Column('access_version', sa.String(length=32), nullable=False, server_default=sa.text("''"))
        )
    for statement in ACCESS_TRIGGERS[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS access_memberships ON memberships')
        op.execute('DROP TRIGGER IF EXISTS access_units ON units')
        op.execute('DROP FUNCTION IF EXISTS folg_new_access_version()')
    else:
        for name in ('memberships_insert', 'memberships_update', 'memberships_delete',
                     'units_insert', 'units_delete', 'units_update'):
            op.execute(f'DROP TRIGGER IF EXISTS access_{name}')
    with op.batch_alter_table('sync_clock') as batch_op:
        batch_op.drop_column('access_version')
