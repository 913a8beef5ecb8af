"""A catalogue version names its legal source and where its dates come from (``source``,
``dates_source``: NULL when unsourced); a plan row may name a criterion of its theme
(``plan_items.criterion_id``).

Existing catalogue rows get their sources from server/catalogues/*.json the next time the
catalogues are loaded (``ensure_catalogues`` fills a source never set, and leaves one an
organisation has set alone).

Revision ID: 0015_dk_catalogue
Revises: 0014_sv_levels
Create Date: 2026-12-03 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_dk_catalogue'
down_revision = '0014_sv_levels'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('catalogues', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('dates_source', sa.Text(), nullable=True))
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('criterion_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_plan_items_criterion_id_criteria'), 'criteria', ['criterion_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_plan_items_criterion_id_criteria'), type_='foreignkey')
        batch_op.drop_column('criterion_id')
    with op.batch_alter_table('catalogues', schema=None) as batch_op:
        batch_op.drop_column('dates_source')
        batch_op.drop_column('source')
