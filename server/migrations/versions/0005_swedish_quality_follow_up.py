"""Swedish quality follow-up: quality areas, measures and their values, the register of basic
follow-up, pseudonymous case records, surveys, the årshjul and links from handlingsplan items.

Nine new synced tables (server/models/quality.py); nothing existing changes. Written on top of
0003; another branch adds 0004, and the merge re-chains this one after it.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-23 19:24:28.410606

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('annual_tasks',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('owner_user_id', sa.Uuid(), nullable=True),
    sa.Column('owner_name', sa.String(length=200), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.CheckConstraint("kind IN ('survey_sent', 'survey_due', 'compilation', 'analysis', 'management_group', 'follow_up', 'quality_report', 'other')", name=op.f('ck_annual_tasks_kind')),
    sa.CheckConstraint("state IN ('open', 'done')", name=op.f('ck_annual_tasks_state')),
    sa.ForeignKeyConstraint(['owner_user_id'], ['users.id'], name=op.f('fk_annual_tasks_owner_user_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_annual_tasks_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_annual_tasks_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_tasks'))
    )
    with op.batch_alter_table('annual_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annual_tasks_seq'), ['seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_annual_tasks_unit_id'), ['unit_id'], unique=False)

    op.create_table('case_records',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('case_code', sa.String(length=20), nullable=False),
    sa.Column('intervention', sa.String(length=100), nullable=False),
    sa.Column('age_band', sa.String(length=10), nullable=True),
    sa.Column('gender', sa.String(length=10), nullable=True),
    sa.Column('needs', sa.JSON(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('end_reason', sa.String(length=20), nullable=True),
    sa.Column('needs_met', sa.String(length=10), nullable=True),
    sa.Column('situation_after', sa.String(length=20), nullable=True),
    sa.Column('situation_note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.CheckConstraint("age_band IS NULL OR age_band IN ('0-12', '13-17', '18-20', '21-29', '30-49', '50-64', '65-79', '80+')", name=op.f('ck_case_records_age_band')),
    sa.CheckConstraint("end_reason IS NULL OR end_reason IN ('planned', 'interrupted')", name=op.f('ck_case_records_end_reason')),
    sa.CheckConstraint("gender IS NULL OR gender IN ('female', 'male', 'other', 'unknown')", name=op.f('ck_case_records_gender')),
    sa.CheckConstraint("needs_met IS NULL OR needs_met IN ('yes', 'partly', 'no')", name=op.f('ck_case_records_needs_met')),
    sa.CheckConstraint("situation_after IS NULL OR situation_after IN ('improved', 'unchanged', 'worsened', 'unknown')", name=op.f('ck_case_records_situation_after')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_case_records_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_case_records_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_records'))
    )
    with op.batch_alter_table('case_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_records_seq'), ['seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_records_unit_id'), ['unit_id'], unique=False)

    op.create_table('register_entries',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('analysis', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.CheckConstraint("kind IN ('quality_register', 'national_survey', 'deviation', 'lex_sarah', 'lex_maria', 'complaint', 'inspection_report', 'effect_evaluation', 'self_inspection')", name=op.f('ck_register_entries_kind')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_register_entries_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_register_entries_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_entries'))
    )
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_register_entries_seq'), ['seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_register_entries_unit_id'), ['unit_id'], unique=False)

    op.create_table('survey_questions',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('survey', sa.String(length=30), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('answer_type', sa.String(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.CheckConstraint("answer_type IN ('scale', 'yes_no', 'text')", name=op.f('ck_survey_questions_answer_type')),
    sa.CheckConstraint("survey IN ('end_of_intervention', 'annual')", name=op.f('ck_survey_questions_survey')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_survey_questions_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_survey_questions_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_questions'))
    )
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_questions_seq'), ['seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_questions_unit_id'), ['unit_id'], unique=False)

    op.create_table('quality_areas',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('theme_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('process_goals', sa.Text(), nullable=True),
    sa.Column('process_measures', sa.Text(), nullable=True),
    sa.Column('follow_up_methods', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_quality_areas_theme_id_themes')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_quality_areas_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_quality_areas_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_areas'))
    )
    with op.batch_alter_table('quality_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quality_areas_seq'), ['seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_quality_areas_unit_id'), ['unit_id'], unique=False)

    op.create_table('survey_responses',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('survey', sa.String(length=30), nullable=False),
    sa.Column('case_record_id', sa.Uuid(), nullable=True),
    sa.Column('respondent', sa.String(length=20), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.CheckConstraint("respondent IN ('client', 'staff', 'commissioner', 'partner')", name=op.f('ck_survey_responses_respondent')),
    sa.CheckConstraint("survey IN ('end_of_intervention', 'annual')", name=op.f('ck_survey_responses_survey')),
    sa.ForeignKeyConstraint(['case_record_id'], ['case_records.id'], name=op.f('fk_survey_responses_case_record_id_case_records')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_survey_responses_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_survey_responses_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses'))
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_seq'), ['seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_responses_unit_id'), ['unit_id'], unique=False)

    op.create_table('quality_links',
    sa.Column('plan_item_id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('source_table', sa.String(length=30), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.CheckConstraint("source_table IN ('register_entries', 'quality_measures', 'survey_questions', 'measure_values')", name=op.f('ck_quality_links_source')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_quality_links_plan_id_plans')),
    sa.ForeignKeyConstraint(['plan_item_id'], ['plan_items.id'], name=op.f('fk_quality_links_plan_item_id_plan_items')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_quality_links_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_quality_links_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_links'))
    )
    with op.batch_alter_table('quality_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quality_links_plan_item_id'), ['plan_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quality_links_seq'), ['seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_quality_links_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quality_links_unit_id'), ['unit_id'], unique=False)

    op.create_table('quality_measures',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('area_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('unit_of_measure', sa.String(length=50), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('aggregation', sa.String(length=10), nullable=False),
    sa.Column('numerator_label', sa.String(length=200), nullable=True),
    sa.Column('denominator_label', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.CheckConstraint("aggregation IN ('sum', 'mean', 'rate')", name=op.f('ck_quality_measures_aggregation')),
    sa.CheckConstraint("kind IN ('structure', 'process', 'result')", name=op.f('ck_quality_measures_kind')),
    sa.CheckConstraint('level IN (2, 3)', name=op.f('ck_quality_measures_level')),
    sa.ForeignKeyConstraint(['area_id'], ['quality_areas.id'], name=op.f('fk_quality_measures_area_id_quality_areas')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_quality_measures_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_quality_measures_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_measures'))
    )
    with op.batch_alter_table('quality_measures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quality_measures_seq'), ['seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_quality_measures_unit_id'), ['unit_id'], unique=False)

    op.create_table('measure_values',
    sa.Column('measure_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('numerator', sa.Float(), nullable=True),
    sa.Column('denominator', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['measure_id'], ['quality_measures.id'], name=op.f('fk_measure_values_measure_id_quality_measures')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_measure_values_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_measure_values_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_values'))
    )
    with op.batch_alter_table('measure_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_values_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measure_values_seq'), ['seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_measure_values_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('measure_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_values_unit_id'))
        batch_op.drop_index(batch_op.f('ix_measure_values_seq'))
        batch_op.drop_index(batch_op.f('ix_measure_values_measure_id'))

    op.drop_table('measure_values')
    with op.batch_alter_table('quality_measures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quality_measures_unit_id'))
        batch_op.drop_index(batch_op.f('ix_quality_measures_seq'))

    op.drop_table('quality_measures')
    with op.batch_alter_table('quality_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quality_links_unit_id'))
        batch_op.drop_index(batch_op.f('ix_quality_links_source_id'))
        batch_op.drop_index(batch_op.f('ix_quality_links_seq'))
        batch_op.drop_index(batch_op.f('ix_quality_links_plan_item_id'))

    op.drop_table('quality_links')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_responses_unit_id'))
        batch_op.drop_index(batch_op.f('ix_survey_responses_seq'))

    op.drop_table('survey_responses')
    with op.batch_alter_table('quality_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quality_areas_unit_id'))
        batch_op.drop_index(batch_op.f('ix_quality_areas_seq'))

    op.drop_table('quality_areas')
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_questions_unit_id'))
        batch_op.drop_index(batch_op.f('ix_survey_questions_seq'))

    op.drop_table('survey_questions')
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_register_entries_unit_id'))
        batch_op.drop_index(batch_op.f('ix_register_entries_seq'))

    op.drop_table('register_entries')
    with op.batch_alter_table('case_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_records_unit_id'))
        batch_op.drop_index(batch_op.f('ix_case_records_seq'))

    op.drop_table('case_records')
    with op.batch_alter_table('annual_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annual_tasks_unit_id'))
        batch_op.drop_index(batch_op.f('ix_annual_tasks_seq'))

    op.drop_table('annual_tasks')
