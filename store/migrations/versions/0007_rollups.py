"""rollups: report counts per 15 minutes (organisation) and per local day (team)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 06:40:00

tally_slot is filled here from the existing answers and surveys. tally_day needs each team's
time zone, which lives in nps.toml, not in the database: `npsbot serve` builds a team's days
at start-up (store.rollups.reconcile) and marks them complete in tally_zone; until then the
team's reports count the raw rows, as before. Adds survey (team_key, status, created_at) for
the undeliverable count.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ('promoters', 'passives', 'detractors', 'delivered', 'answered')

# Frozen here (store.rollups has the live copy): answers by answered_at, deliveries (and which
# of them have an answer) by delivered_at, per 15-minute slot.
BACKFILL = """INSERT INTO tally_slot (slot_start, promoters, passives, detractors, delivered,
  answered)
SELECT slot, sum(p), sum(pa), sum(d), sum(dl), sum(an) FROM (
  SELECT {answered} AS slot, CASE WHEN score >= 9 THEN 1 ELSE 0 END AS p,
    CASE WHEN score BETWEEN 7 AND 8 THEN 1 ELSE 0 END AS pa,
    CASE WHEN score <= 6 THEN 1 ELSE 0 END AS d, 0 AS dl, 0 AS an
  FROM answer
  UNION ALL
  SELECT {delivered}, 0, 0, 0, 1, CASE WHEN a.survey_id IS NULL THEN 0 ELSE 1 END
  FROM survey s LEFT JOIN answer a ON a.survey_id = s.id
  WHERE s.delivered_at IS NOT NULL
) AS t GROUP BY slot"""


def _slot(sqlite: bool, column: str) -> str:
    if not sqlite:
        return f"date_bin('15 minutes', {column}, TIMESTAMPTZ '2000-01-01 00:00:00+00')"
    # SQLite keeps UTC as 'YYYY-MM-DD HH:MM:SS.ffffff' text.
    return (
        f"substr({column}, 1, 14) || printf('%02d', CAST(substr({column}, 15, 2) AS INTEGER)"
        " / 15 * 15) || '\\:00.000000'"  # \\: a colon, not a bound parameter
    )


def _counts() -> list[sa.Column]:
    return [sa.Column(c, sa.Integer(), server_default='0', nullable=False) for c in COUNTS]


@contextmanager
def _unbounded(sqlite: bool) -> Iterator[None]:
    """The index and the backfill read the whole history, longer than the engine's 10-second
    client-side timeout on asyncpg (which stops hung requests): lifted here, then put back."""
    if sqlite:
        yield
        return
    driver = op.get_bind().connection.driver_connection
    kept = driver._config
    driver._config = kept._replace(command_timeout=None)
    try:
        yield
    finally:
        driver._config = kept


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        'tally_slot',
        sa.Column('slot_start', sa.DateTime(timezone=True), nullable=False),
        *_counts(),
        sa.PrimaryKeyConstraint('slot_start'),
    )
    op.create_table(
        'tally_day',
        sa.Column('team_key', sa.String(length=32), nullable=False),
        sa.Column('day_start', sa.DateTime(timezone=True), nullable=False),
        *_counts(),
        sa.PrimaryKeyConstraint('team_key', 'day_start'),
    )
    op.create_table(
        'tally_zone',
        sa.Column('team_key', sa.String(length=32), nullable=False),
        sa.Column('zone', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('team_key'),
    )
    with _unbounded(sqlite):
        op.create_index(
            'ix_survey_team_status_created', 'survey', ['team_key', 'status', 'created_at']
        )
        op.execute(BACKFILL.format(answered=_slot(sqlite, 'answered_at'),
                                   delivered=_slot(sqlite, 's.delivered_at')))


def downgrade() -> None:
    op.drop_index('ix_survey_team_status_created', table_name='survey')
    op.drop_table('tally_zone')
    op.drop_table('tally_day')
    op.drop_table('tally_slot')
