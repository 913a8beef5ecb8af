"""Change numbers from a sequence on PostgreSQL (``sync_seq``), so writers in different
organisations no longer queue on one clock row (``server/models/write_order.py``).

The sequence continues from the clock's value: every number a device's cursor holds was
handed out before, and every new one is above it, so cursors already on devices keep
working (docs/sync-protocol.md, section 8). SQLite keeps numbering from ``sync_clock``.
Stop every worker of the old version before upgrading: old and new workers running at once
would number changes from two counters.

A downgrade moves the clock to the sequence's value, for the same reason.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 06:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE SEQUENCE sync_seq")
    # setval(.., 0, false) is refused (below the minimum 1): a clock at 0 leaves it fresh.
    op.execute(
        "SELECT setval('sync_seq', value) FROM sync_clock WHERE id = 1 AND value > 0"
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "UPDATE sync_clock SET value = (SELECT CASE WHEN is_called THEN last_value"
        " ELSE last_value - 1 END FROM sync_seq) WHERE id = 1"
    )
    op.execute("DROP SEQUENCE sync_seq")
