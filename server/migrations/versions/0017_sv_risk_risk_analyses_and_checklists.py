"""Riskanalyser and egenkontroll with checklists (issue 18, point 3): four new synced tables
(``risk_analyses``, ``checklists``, ``checklist_runs``, ``checklist_answers``); a register
entry may name the deviation of an egenkontroll it records
(``register_entries.checklist_answer_id``); and a handlingsplan item may be linked to a
riskanalys or to such a deviation (two more ``quality_links.source_table`` values).

Revision ID: 0017_sv_risk
Revises: 0016_dk_rows
Create Date: 2026-12-03 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_sv_risk'
down_revision = '0016_dk_rows'
branch_labels = None
depends_on = None

OLD_LINK_SOURCES = (
    "register_entries",
    "quality_measures",
    "survey_questions",
    "measure_values",
    "follow_up_deviations",  # 0014_sv_levels
    "thematic_results",
)
NEW_LINK_SOURCES = OLD_LINK_SOURCES + ("risk_analyses", "checklist_answers")


def _in(values):
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _synced_columns():
    return [
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('field_versions', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('updated_by', sa.Uuid(), nullable=True),
    ]


def _indexes(table, *columns):
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in ('seq', *columns):
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)


def upgrade():
    op.create_table('risk_analyses',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('analysed_on', sa.Date(), nullable=False),
    sa.Column('event', sa.Text(), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('consequence', sa.Integer(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=True),
    sa.Column('responsible', sa.String(length=200), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('follow_up_date', sa.Date(), nullable=True),
    sa.Column('follow_up', sa.Text(), nullable=True),
    *_synced_columns(),
    sa.CheckConstraint('probability BETWEEN 1 AND 4', name=op.f('ck_risk_analyses_probability')),
    sa.CheckConstraint('consequence BETWEEN 1 AND 4', name=op.f('ck_risk_analyses_consequence')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_risk_analyses_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_risk_analyses_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_analyses'))
    )
    _indexes('risk_analyses', 'unit_id')

    op.create_table('checklists',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('area', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('points', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    *_synced_columns(),
    sa.CheckConstraint("area IN ('log_review', 'documentation', 'fire_safety', 'basic_hygiene', 'other')", name=op.f('ck_checklists_area')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_checklists_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_checklists_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklists'))
    )
    _indexes('checklists', 'unit_id')

    op.create_table('checklist_runs',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('checklist_id', sa.Uuid(), nullable=False),
    sa.Column('run_on', sa.Date(), nullable=False),
    sa.Column('performed_by', sa.String(length=200), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    *_synced_columns(),
    sa.CheckConstraint("state IN ('in_progress', 'done')", name=op.f('ck_checklist_runs_state')),
    sa.ForeignKeyConstraint(['checklist_id'], ['checklists.id'], name=op.f('fk_checklist_runs_checklist_id_checklists')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_checklist_runs_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_checklist_runs_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_runs'))
    )
    _indexes('checklist_runs', 'checklist_id', 'unit_id')

    op.create_table('checklist_answers',
    sa.Column('run_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('point_id', sa.Uuid(), nullable=False),
    sa.Column('point_text', sa.String(length=500), nullable=False),
    sa.Column('answer', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    *_synced_columns(),
    sa.CheckConstraint("answer IS NULL OR answer IN ('ok', 'deviation', 'not_applicable')", name=op.f('ck_checklist_answers_answer')),
    sa.ForeignKeyConstraint(['run_id'], ['checklist_runs.id'], name=op.f('fk_checklist_answers_run_id_checklist_runs')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_checklist_answers_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_checklist_answers_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_answers'))
    )
    _indexes('checklist_answers', 'run_id', 'unit_id')

    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checklist_answer_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_register_entries_checklist_answer_id_checklist_answers'), 'checklist_answers', ['checklist_answer_id'], ['id'])

    with op.batch_alter_table('quality_links', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_quality_links_source'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_quality_links_source'), f"source_table IN {_in(NEW_LINK_SOURCES)}")


def downgrade():
    # Links to rows that go with these tables have nothing left to point at.
    op.execute(
        "DELETE FROM quality_links WHERE source_table IN ('risk_analyses', 'checklist_answers')"
    )
    with op.batch_alter_table('quality_links', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_quality_links_source'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_quality_links_source'), f"source_table IN {_in(OLD_LINK_SOURCES)}")
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_register_entries_checklist_answer_id_checklist_answers'), type_='foreignkey')
        batch_op.drop_column('checklist_answer_id')
    for table in ('checklist_answers', 'checklist_runs', 'checklists', 'risk_analyses'):
        op.drop_table(table)
