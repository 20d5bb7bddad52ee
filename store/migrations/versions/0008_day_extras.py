"""day extras: tally_day also keeps the SLA and lost-time figures of its answers

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 12:40:00

`/nps team` and `/nps teams` joined every answer of the period to its survey for the SLA, and
read every answer again for the lost time: most of their time at a million answers. Their days
now count both. The days are emptied and tally_zone with them: `npsbot serve` rebuilds each
team's days, new columns included, at start-up (store.rollups.reconcile), and until then the
team's reports count the raw rows, as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXTRAS = (
    'with_sla',
    'sla_met',
    'sla_met_detractors',
    'lost_none',
    'lost_under_1h',
    'lost_1_4h',
    'lost_day',
    'lost_over_day',
)


def upgrade() -> None:
    op.execute('DELETE FROM tally_zone')
    op.execute('DELETE FROM tally_day')
    with op.batch_alter_table('tally_day') as table:
        for name in EXTRAS:
            table.add_column(sa.Column(name, sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    op.execute('DELETE FROM tally_zone')
    op.execute('DELETE FROM tally_day')
    with op.batch_alter_table('tally_day') as table:
        for name in EXTRAS:
            table.drop_column(name)
