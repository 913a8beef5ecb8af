"""The dialogue between a unit and the inspectorate: plan_messages, one thread per plan and per
plan row. Every inspector's comment (item_comments) is copied into its row's thread with its
own id, author and time, and a new sync number, so devices pull it as a new message; the
comments stay where they were. The notification kinds of the dialogue join the CHECK.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 06:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

OLD_KINDS = (
    "assigned", "plan_submitted", "plan_approved", "plan_sent_back", "note_added", "conflict",
    "due_soon", "overdue",
)
NEW_KINDS = OLD_KINDS[:6] + (
    "message_added", "finding_added", "paabud_added", "followed_submitted", "followed_approved",
    "followed_changed", "paabud_item_done",
) + OLD_KINDS[6:]


def _kinds(kinds):
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def upgrade():
    op.create_table('plan_messages',
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=True),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=False),
    sa.Column('side', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.CheckConstraint("side IN ('inspectorate', 'provider')", name=op.f('ck_plan_messages_side')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_plan_messages_author_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['plan_items.id'], name=op.f('fk_plan_messages_item_id_plan_items')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_messages_plan_id_plans')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_plan_messages_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_plan_messages_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_messages'))
    )
    with op.batch_alter_table('plan_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_messages_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_messages_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_messages_seq'), ['seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_messages_unit_id'), ['unit_id'], unique=False)

    _copy_comments()

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notifications_kind'), type_='check')
        batch_op.create_check_constraint('kind', _kinds(NEW_KINDS))


def _copy_comments():
    """Each live comment becomes the inspectorate's message in its row's thread."""
    connection = op.get_bind()
    comments = connection.execute(sa.text(
        "SELECT id, item_id, plan_id, unit_id, text, author_id, created_at, updated_at"
        " FROM item_comments WHERE deleted = :no ORDER BY seq"
    ), {"no": False}).all()
    if not comments:
        return
    # Numbers from the sync clock, taken under its row lock, like every other change.
    clock = connection.execute(sa.text("SELECT value FROM sync_clock WHERE id = 1")).scalar()
    messages = sa.table(
        'plan_messages',
        *(sa.column(name) for name in (
            'id', 'plan_id', 'item_id', 'unit_id', 'body', 'author_id', 'side', 'created_at',
            'version', 'updated_at', 'deleted', 'seq', 'updated_by',
        )),
        sa.column('field_versions', sa.JSON()),
    )
    fields = ('plan_id', 'item_id', 'unit_id', 'body', 'author_id', 'side', 'created_at')
    rows = []
    for number, c in enumerate(comments, start=clock + 1):
        rows.append({
            'id': c.id, 'plan_id': c.plan_id, 'item_id': c.item_id, 'unit_id': c.unit_id,
            'body': c.text, 'author_id': c.author_id, 'side': 'inspectorate',
            'created_at': c.created_at, 'version': 1,
            'field_versions': {name: 1 for name in fields}, 'updated_at': c.updated_at,
            'deleted': False, 'seq': number, 'updated_by': None,
        })
    op.bulk_insert(messages, rows)
    connection.execute(
        sa.text("UPDATE sync_clock SET value = :value WHERE id = 1"),
        {"value": clock + len(rows)},
    )


def downgrade():
    op.execute(sa.text(
        "DELETE FROM notifications WHERE kind NOT IN ("
        + ", ".join(f"'{k}'" for k in OLD_KINDS) + ")"
    ))
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notifications_kind'), type_='check')
        batch_op.create_check_constraint('kind', _kinds(OLD_KINDS))

    with op.batch_alter_table('plan_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_messages_unit_id'))
        batch_op.drop_index(batch_op.f('ix_plan_messages_seq'))
        batch_op.drop_index(batch_op.f('ix_plan_messages_plan_id'))
        batch_op.drop_index(batch_op.f('ix_plan_messages_item_id'))
    op.drop_table('plan_messages')
