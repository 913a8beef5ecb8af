"""Foster parents keep their own plan, and a row carries its evidence.

- memberships: the role ``foster_parent`` joins the CHECK (a plejeforælder in their own
  foster-family unit; seed 001);
- plans: the last "send back" keeps when, by whom and why (``returned_at``, ``returned_by``,
  ``return_reason``), so the plan's author reads the reason;
- plan_attachments: a photo or a PDF on a plan row or on one of its progress notes, its bytes
  in ``photo_blobs`` like a visit photo's.

Revision ID: 0018_dk_foster
Revises: 0017_sv_risk
Create Date: 2026-12-03 11:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_dk_foster'
down_revision = '0017_sv_risk'
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('staff', 'manager', 'inspector', 'admin')"
NEW_ROLES = "role IN ('staff', 'manager', 'foster_parent', 'inspector', 'admin')"


def upgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_memberships_role'), type_='check')
        batch_op.create_check_constraint('role', NEW_ROLES)

    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('returned_by', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('return_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_plans_returned_by_users'), 'users', ['returned_by'], ['id']
        )

    op.create_table('plan_attachments',
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('note_id', sa.Uuid(), nullable=True),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=True),
    sa.Column('caption', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.CheckConstraint("content_type IN ('image/jpeg', 'image/png', 'application/pdf')", name=op.f('ck_plan_attachments_content_type')),
    sa.CheckConstraint('size_bytes >= 0', name=op.f('ck_plan_attachments_size_bytes')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_plan_attachments_created_by_users')),
    sa.ForeignKeyConstraint(['item_id'], ['plan_items.id'], name=op.f('fk_plan_attachments_item_id_plan_items')),
    sa.ForeignKeyConstraint(['note_id'], ['progress_notes.id'], name=op.f('fk_plan_attachments_note_id_progress_notes')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_attachments_plan_id_plans')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_plan_attachments_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_plan_attachments_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_attachments'))
    )
    with op.batch_alter_table('plan_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_attachments_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_attachments_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_attachments_seq'), ['seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_attachments_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_attachments_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('plan_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_attachments_unit_id'))
        batch_op.drop_index(batch_op.f('ix_plan_attachments_sha256'))
        batch_op.drop_index(batch_op.f('ix_plan_attachments_seq'))
        batch_op.drop_index(batch_op.f('ix_plan_attachments_plan_id'))
        batch_op.drop_index(batch_op.f('ix_plan_attachments_item_id'))
    op.drop_table('plan_attachments')

    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_plans_returned_by_users'), type_='foreignkey')
        batch_op.drop_column('return_reason')
        batch_op.drop_column('returned_by')
        batch_op.drop_column('returned_at')

    op.execute(sa.text("DELETE FROM memberships WHERE role = 'foster_parent'"))
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_memberships_role'), type_='check')
        batch_op.create_check_constraint('role', OLD_ROLES)
