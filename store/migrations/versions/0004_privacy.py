"""privacy: retention runs, erasure items, outbox indexes that keep a claim an index lookup

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 18:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import store.types


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('retention_run',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('day')
    )
    op.create_table('erasure_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('erasure_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('ts', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('erasure_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasure_item_erasure_id'), ['erasure_id'], unique=False)

    # Partial indexes hold only waiting and leased jobs: a claim is an index lookup however
    # many finished rows the table keeps.
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_sending_lease', ['lease_until'], unique=False,
                              sqlite_where=sa.text("status = 'sending'"),
                              postgresql_where=sa.text("status = 'sending'"))
        batch_op.create_index('ix_outbox_ref_active', ['ref', 'status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_ref_active')
        batch_op.drop_index('ix_outbox_sending_lease')

    with op.batch_alter_table('erasure_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasure_item_erasure_id'))

    op.drop_table('erasure_item')
    op.drop_table('retention_run')
