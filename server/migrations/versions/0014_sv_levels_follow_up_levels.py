"""The follow-up levels of seed 003 (issue 18, point 1): uppdrags-/avtalsuppföljning with the
deviations it found (``assignment_follow_ups``, ``follow_up_deviations``), tematisk uppföljning
with each unit's result (``thematic_follow_ups``, ``thematic_results``) and the sammanvägd
bedömning of a year (``overall_assessments``). Five new synced tables; a handlingsplan row may
now link to a deviation or a unit's result (``quality_links.source_table``).

Revision ID: 0014_sv_levels
Revises: 0013
Create Date: 2026-12-03 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_sv_levels'
down_revision = '0013'
branch_labels = None
depends_on = None

OLD_LINK_SOURCES = ("register_entries", "quality_measures", "survey_questions", "measure_values")
NEW_LINK_SOURCES = OLD_LINK_SOURCES + ("follow_up_deviations", "thematic_results")
OUTCOMES = "('met', 'partly_met', 'not_met')"


def _in(values):
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _synced_columns(table):
    """The columns every synced table shares (server/models/base.py)."""
    return [
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('field_versions', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('updated_by', sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f(f'fk_{table}_updated_by_users')),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f(f'fk_{table}_unit_id_units')),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    ]


def _indexes(table, *columns):
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in ('seq', 'unit_id', *columns):
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)


def upgrade():
    op.create_table('assignment_follow_ups',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('subject_kind', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('provider_kind', sa.String(length=20), nullable=False),
    sa.Column('provider_name', sa.String(length=200), nullable=True),
    sa.Column('requirements', sa.Text(), nullable=True),
    sa.Column('method', sa.Text(), nullable=True),
    sa.Column('responsible_name', sa.String(length=200), nullable=True),
    sa.Column('planned_on', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    *_synced_columns('assignment_follow_ups'),
    sa.CheckConstraint("subject_kind IN ('assignment', 'contract')", name=op.f('ck_assignment_follow_ups_subject_kind')),
    sa.CheckConstraint("provider_kind IN ('own', 'private', 'non_profit')", name=op.f('ck_assignment_follow_ups_provider_kind')),
    sa.CheckConstraint(f"outcome IS NULL OR outcome IN {OUTCOMES}", name=op.f('ck_assignment_follow_ups_outcome')),
    )
    _indexes('assignment_follow_ups')

    op.create_table('follow_up_deviations',
    sa.Column('follow_up_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('requirement', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('action_required', sa.Text(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    *_synced_columns('follow_up_deviations'),
    sa.ForeignKeyConstraint(['follow_up_id'], ['assignment_follow_ups.id'], name=op.f('fk_follow_up_deviations_follow_up_id_assignment_follow_ups')),
    )
    _indexes('follow_up_deviations', 'follow_up_id')

    op.create_table('thematic_follow_ups',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('theme', sa.String(length=200), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('method', sa.Text(), nullable=True),
    sa.Column('responsible_name', sa.String(length=200), nullable=True),
    sa.Column('scope_unit_ids', sa.JSON(), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    *_synced_columns('thematic_follow_ups'),
    )
    _indexes('thematic_follow_ups')

    op.create_table('thematic_results',
    sa.Column('follow_up_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('assessed_on', sa.Date(), nullable=True),
    *_synced_columns('thematic_results'),
    sa.CheckConstraint(f"outcome IS NULL OR outcome IN {OUTCOMES}", name=op.f('ck_thematic_results_outcome')),
    sa.ForeignKeyConstraint(['follow_up_id'], ['thematic_follow_ups.id'], name=op.f('fk_thematic_results_follow_up_id_thematic_follow_ups')),
    )
    _indexes('thematic_results', 'follow_up_id')

    op.create_table('overall_assessments',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('individual_level', sa.Text(), nullable=True),
    sa.Column('assignment_level', sa.Text(), nullable=True),
    sa.Column('thematic_level', sa.Text(), nullable=True),
    sa.Column('overall', sa.Text(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('assessed_on', sa.Date(), nullable=True),
    *_synced_columns('overall_assessments'),
    sa.CheckConstraint(f"outcome IS NULL OR outcome IN {OUTCOMES}", name=op.f('ck_overall_assessments_outcome')),
    )
    _indexes('overall_assessments')

    with op.batch_alter_table('quality_links', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_quality_links_source'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_quality_links_source'), f"source_table IN {_in(NEW_LINK_SOURCES)}")


def downgrade():
    # Links to rows that no longer exist in the old schema go with them.
    op.execute(
        "DELETE FROM quality_links WHERE source_table IN ('follow_up_deviations', 'thematic_results')"
    )
    with op.batch_alter_table('quality_links', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_quality_links_source'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_quality_links_source'), f"source_table IN {_in(OLD_LINK_SOURCES)}")
    for table in ('overall_assessments', 'thematic_results', 'thematic_follow_ups',
                  'follow_up_deviations', 'assignment_follow_ups'):
        op.drop_table(table)
