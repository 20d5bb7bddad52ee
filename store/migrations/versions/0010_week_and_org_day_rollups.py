"""week and organisation-day roll-ups: tally_week (a team per local week) and tally_org_day
(the organisation per UTC day)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 23:40:00

`/nps team` summed a slot of every 15 minutes of its period for the organisation (5,376 rows
for 8 weeks) and every team's day of the period for the rank (2,800 for 50 teams): most of its
time at any size. Both are added up here from the rows they sum, so the reports read a row a
week per team and a row a UTC day: tally_org_day from tally_slot, tally_week from tally_day of
the teams tally_zone marks complete, in the zone it names (those not marked are rebuilt at
start-up, as before).
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ('promoters', 'passives', 'detractors', 'delivered', 'answered')
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
DAY_COUNTS = (*COUNTS, *EXTRAS)


def _columns(names: Sequence[str]) -> list[sa.Column]:
    return [sa.Column(c, sa.Integer(), server_default='0', nullable=False) for c in names]


def _org_day(sqlite: bool) -> str:
    if sqlite:  # UTC kept as 'YYYY-MM-DD HH:MM:SS.ffffff' text
        return "substr(slot_start, 1, 10) || ' 00:00:00.000000'"
    return "date_trunc('day', slot_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"


def _week_start(day_start: datetime, zone: str) -> datetime:
    """Frozen here (store.rollups.week_of_day has the live copy): the local Monday's midnight."""
    local = day_start.astimezone(ZoneInfo(zone)).date()
    monday = local - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _stored(value: datetime | str) -> datetime:
    if isinstance(value, str):  # SQLite's text, UTC
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value


def _stamp(sqlite: bool, at: datetime) -> datetime | str:
    return at.replace(tzinfo=None).isoformat(' ', 'microseconds') if sqlite else at


def _backfill_weeks(sqlite: bool) -> None:
    bind = op.get_bind()
    names = ', '.join(DAY_COUNTS)
    rows = bind.execute(sa.text(
        f'SELECT d.team_key, z.zone, d.day_start, {names} FROM tally_day d'
        ' JOIN tally_zone z ON z.team_key = d.team_key'
    ))
    weeks: dict[tuple[str, datetime], list[int]] = defaultdict(lambda: [0] * len(DAY_COUNTS))
    for team, zone, day, *counts in rows:
        key = (team, _week_start(_stored(day), zone))
        weeks[key] = [a + b for a, b in zip(weeks[key], counts, strict=True)]
    if weeks:
        bind.execute(
            sa.text(
                f'INSERT INTO tally_week (team_key, week_start, {names}) VALUES (:team_key,'
                f' :week_start, {", ".join(":" + n for n in DAY_COUNTS)})'
            ),
            [
                {'team_key': t, 'week_start': _stamp(sqlite, w),
                 **dict(zip(DAY_COUNTS, v, strict=True))}
                for (t, w), v in sorted(weeks.items())
            ],
        )


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        'tally_org_day',
        sa.Column('day_start', sa.DateTime(timezone=True), nullable=False),
        *_columns(COUNTS),
        sa.PrimaryKeyConstraint('day_start'),
    )
    op.create_table(
        'tally_week',
        sa.Column('team_key', sa.String(length=32), nullable=False),
        sa.Column('week_start', sa.DateTime(timezone=True), nullable=False),
        *_columns(DAY_COUNTS),
        sa.PrimaryKeyConstraint('team_key', 'week_start'),
    )
    sums = ', '.join(f'sum({c})' for c in COUNTS)
    op.execute(
        f'INSERT INTO tally_org_day (day_start, {", ".join(COUNTS)})'
        f' SELECT {_org_day(sqlite)} AS day, {sums} FROM tally_slot GROUP BY day'
    )
    _backfill_weeks(sqlite)
    if not sqlite:  # see store.rollup_rebuild._analyze
        op.execute('ANALYZE tally_org_day, tally_week')


def downgrade() -> None:
    op.drop_table('tally_week')
    op.drop_table('tally_org_day')
