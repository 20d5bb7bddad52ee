"""What reports read and write: the tallies kept per answer, and the digest's weekly run."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Column,
)
from sqlmodel import Field, SQLModel

from store.tables.columns import count, when
from store.types import UTCDateTime


class SlotCounts(SQLModel):
    """What the organisation's roll-ups count (store.rollups.COLUMNS); answers at answered_at,
    delivered and answered (deliveries answered by now) at delivered_at."""

    promoters: int = count()
    passives: int = count()
    detractors: int = count()
    delivered: int = count()
    answered: int = count()


class DayCounts(SlotCounts):
    """A team's roll-ups count the same, and what `/nps team` and `/nps teams` show of the same
    answers (store.rollups.DAY_COLUMNS): the SLA their tickets reported, the work time each
    lost-time choice was picked for, and the perception gap of the guessed ones."""

    with_sla: int = count()  # answers whose ticket said whether its SLA was met
    sla_met: int = count()
    sla_met_detractors: int = count()
    lost_none: int = count()  # one column per bot.lost_time choice (store.rollups.LOST)
    lost_under_1h: int = count()
    lost_1_4h: int = count()
    lost_day: int = count()
    lost_over_day: int = count()
    # The perception gap of the answers whose agent guessed (store.rollups.GAP).
    guess_promoters: int = count()
    guess_passives: int = count()
    guess_detractors: int = count()
    paired_promoters: int = count()
    paired_passives: int = count()
    paired_detractors: int = count()
    gap_abs_sum: int = count()
    guess_sum: int = count()
    paired_score_sum: int = count()


class DigestRunRow(SQLModel, table=True):
    """One row per team and week: the replica that inserts it is the one that posts the digest."""

    __tablename__ = "digest_run"

    team_key: str = Field(primary_key=True, max_length=32)
    week_start: date = Field(primary_key=True)  # the Monday, in the team's time zone
    created_at: datetime = when()


class TallySlotRow(SlotCounts, table=True):
    """The organisation's figures per 15 minutes (UTC), kept in the transaction of each answer
    and delivery: every time zone's midnight falls on a slot edge, so any week is whole slots."""

    __tablename__ = "tally_slot"

    slot_start: datetime = Field(sa_column=Column(UTCDateTime(), primary_key=True))


class TallyOrgDayRow(SlotCounts, table=True):
    """tally_slot's figures per UTC day, kept with them: a report's weeks read their whole
    days here and only the slots of the days a bound cuts, a few hundred rows, not a slot of
    every 15 minutes of the period."""

    __tablename__ = "tally_org_day"

    day_start: datetime = Field(sa_column=Column(UTCDateTime(), primary_key=True))


class TallyDayRow(DayCounts, table=True):
    """A team's figures per local day in the time zone its tally_zone row names (days starting
    at day_start, a UTC instant), so a team's week is seven rows whatever DST does."""

    __tablename__ = "tally_day"

    team_key: str = Field(primary_key=True, max_length=32)
    day_start: datetime = Field(sa_column=Column(UTCDateTime(), primary_key=True))


class TallyWeekRow(DayCounts, table=True):
    """A team's days added up per local week (from the Monday, week_start a UTC instant), in
    the same zone and the same transactions: a report of whole weeks reads one row a week."""

    __tablename__ = "tally_week"

    team_key: str = Field(primary_key=True, max_length=32)
    week_start: datetime = Field(sa_column=Column(UTCDateTime(), primary_key=True))


class TallyZoneRow(SQLModel, table=True):
    """A team whose tally_day and tally_week rows are complete, and the time zone they are in:
    written when they are rebuilt from the answers (at start-up, when nps.toml's zone differs)."""

    __tablename__ = "tally_zone"

    team_key: str = Field(primary_key=True, max_length=32)
    zone: str = Field(max_length=64)
