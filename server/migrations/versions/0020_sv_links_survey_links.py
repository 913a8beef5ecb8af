"""Survey links: one per respondent, answered once without an account (issue 18, point 7).
The token is stored only as its SHA-256 (unique). The reminder to the manager of links still
unanswered (``survey_unanswered``) joins the notification kinds' CHECK.

Revision ID: 0020_sv_links
Revises: 0019_sv_report
Create Date: 2026-12-03 11:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_sv_links'
down_revision = '0019_sv_report'
branch_labels = None
depends_on = None

OLD_KINDS = (
    "assigned", "plan_submitted", "plan_approved", "plan_sent_back", "note_added", "conflict",
    "message_added", "finding_added", "paabud_added", "followed_submitted", "followed_approved",
    "followed_changed", "paabud_item_done", "due_soon", "overdue",
)
NEW_KINDS = OLD_KINDS + ("survey_unanswered",)


def _kinds(kinds):
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def upgrade():
    op.create_table('survey_links',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('survey', sa.String(length=30), nullable=False),
    sa.Column('respondent', sa.String(length=20), nullable=False),
    sa.Column('case_record_id', sa.Uuid(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_count', sa.Integer(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("language IN ('sv', 'da', 'en')", name=op.f('ck_survey_links_language')),
    sa.CheckConstraint("respondent IN ('client', 'staff', 'commissioner', 'partner')", name=op.f('ck_survey_links_respondent')),
    sa.CheckConstraint("survey IN ('end_of_intervention', 'annual')", name=op.f('ck_survey_links_survey')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_survey_links_created_by_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_survey_links_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_survey_links_token_hash'))
    )
    with op.batch_alter_table('survey_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_links_case_record_id'), ['case_record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_links_unit_id'), ['unit_id'], unique=False)

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notifications_kind'), type_='check')
        batch_op.create_check_constraint('kind', _kinds(NEW_KINDS))


def downgrade():
    op.execute("DELETE FROM notifications WHERE kind = 'survey_unanswered'")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notifications_kind'), type_='check')
        batch_op.create_check_constraint('kind', _kinds(OLD_KINDS))

    with op.batch_alter_table('survey_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_links_unit_id'))
        batch_op.drop_index(batch_op.f('ix_survey_links_case_record_id'))
    op.drop_table('survey_links')
