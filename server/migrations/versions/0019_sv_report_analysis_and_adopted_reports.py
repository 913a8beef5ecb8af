"""Structure measures and economic key figures, and adopted kvalitetsberättelser (issue 18,
points 5 and 8): a measure says which resource it counts (``resource``), how its year is built
from the tertials (``year_rule``) and the cost per unit it is set against, per year
(``cost_label``, ``costs``); ``adopted_reports`` keeps each adopted version of a
kvalitetsberättelse as it was.

Revision ID: 0019_sv_report
Revises: 0018_dk_foster
Create Date: 2026-12-03 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0019_sv_report'
down_revision = '0018_dk_foster'
branch_labels = None
depends_on = None

RESOURCES = ("places", "hours", "persons", "staff", "competence", "premises", "queue")
YEAR_RULES = ("sum", "mean", "last")


def _in(values):
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    with op.batch_alter_table('quality_measures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resource', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('year_rule', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('cost_label', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('costs', sa.JSON(), nullable=False, server_default='{}'))
    # The server default fills the rows there are; the models set the value from then on.
    with op.batch_alter_table('quality_measures', schema=None) as batch_op:
        batch_op.alter_column('costs', server_default=None)
        batch_op.create_check_constraint(batch_op.f('ck_quality_measures_resource'), f"resource IS NULL OR resource IN {_in(RESOURCES)}")
        batch_op.create_check_constraint(batch_op.f('ck_quality_measures_year_rule'), f"year_rule IS NULL OR year_rule IN {_in(YEAR_RULES)}")

    op.create_table(
        'adopted_reports',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('unit_id', sa.Uuid(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('adopted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('adopted_by', sa.Uuid(), nullable=True),
        sa.Column('adopted_by_name', sa.String(length=200), nullable=False),
        sa.Column('adopted_in', sa.String(length=200), nullable=True),
        sa.Column('conclusions', sa.Text(), nullable=True),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('html', sa.Text(), nullable=False),
        sa.Column('docx', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['adopted_by'], ['users.id'], name=op.f('fk_adopted_reports_adopted_by_users')),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_adopted_reports_unit_id_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_adopted_reports')),
        sa.UniqueConstraint('unit_id', 'year', 'version', name=op.f('uq_adopted_reports_unit_id')),
    )
    with op.batch_alter_table('adopted_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adopted_reports_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('adopted_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adopted_reports_unit_id'))
    op.drop_table('adopted_reports')
    with op.batch_alter_table('quality_measures', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_quality_measures_year_rule'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_quality_measures_resource'), type_='check')
        batch_op.drop_column('costs')
        batch_op.drop_column('cost_label')
        batch_op.drop_column('year_rule')
        batch_op.drop_column('resource')
