"""The Swedish follow-up in depth (issue 18): årshjul reminders name their task
(``notifications.task_id``), and the årshjul has seed 003's October competence survey
(``competence_survey`` among the task kinds). The register has vårdavvikelser and the
patientsäkerhetsberättelse among its kinds, and ``register_entries.source`` names the
kvalitetsregister, the national survey or the authority that issued a tillsynsrapport.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 07:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

OLD_TASK_KINDS = ("survey_sent", "survey_due", "compilation", "analysis", "management_group",
                  "follow_up", "quality_report", "other")
NEW_TASK_KINDS = ("survey_sent", "survey_due", "compilation", "analysis", "management_group",
                  "follow_up", "competence_survey", "quality_report", "other")


OLD_REGISTER_KINDS = ("quality_register", "national_survey", "deviation", "lex_sarah",
                      "lex_maria", "complaint", "inspection_report", "effect_evaluation",
                      "self_inspection")
NEW_REGISTER_KINDS = OLD_REGISTER_KINDS + ("care_deviation", "patient_safety_report")
SOURCES = ("senior_alert", "palliativa_registret", "bpsd", "other", "oppna_jamforelser",
           "brukarundersokningen", "kkik", "ivo", "arbetsmiljoverket")


def _in(values):
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('task_id', sa.Uuid(), nullable=True))

    with op.batch_alter_table('annual_tasks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_annual_tasks_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_annual_tasks_kind'), f"kind IN {_in(NEW_TASK_KINDS)}")

    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=30), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_register_entries_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_register_entries_kind'), f"kind IN {_in(NEW_REGISTER_KINDS)}")
        batch_op.create_check_constraint(batch_op.f('ck_register_entries_source'), f"source IS NULL OR source IN {_in(SOURCES)}")


def downgrade():
    # The new kinds have no place in the old schema: a vårdavvikelse was registered as an
    # avvikelse, a patientsäkerhetsberättelse beside the kvalitetsregister.
    op.execute("UPDATE register_entries SET kind = 'deviation' WHERE kind = 'care_deviation'")
    op.execute(
        "UPDATE register_entries SET kind = 'quality_register' WHERE kind = 'patient_safety_report'"
    )
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_register_entries_source'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_register_entries_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_register_entries_kind'), f"kind IN {_in(OLD_REGISTER_KINDS)}")
        batch_op.drop_column('source')

    op.execute(
        "UPDATE annual_tasks SET kind = 'other' WHERE kind = 'competence_survey'"
    )
    with op.batch_alter_table('annual_tasks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_annual_tasks_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_annual_tasks_kind'), f"kind IN {_in(OLD_TASK_KINDS)}")

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('task_id')
