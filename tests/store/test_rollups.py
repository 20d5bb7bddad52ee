"""Reports from the roll-ups equal reports counted from the raw rows, on seeded random history
across DST changes and odd UTC offsets, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.lost_time import HOURS
from bot.scoring import Tally, boundaries, local_midnight_utc, week_start
from store import Store, perception, rollup_reads, rollup_rebuild, rollups
from store import reports as rows
from store.tables import (
    AgentGuessRow,
    AnswerRow,
    SurveyRow,
    TallyDayRow,
    TallyOrgDayRow,
    TallySlotRow,
    TallyWeekRow,
)

S = SurveyRow.__table__  # type: ignore[attr-defined]
A = AnswerRow.__table__  # type: ignore[attr-defined]
G = AgentGuessRow.__table__  # type: ignore[attr-defined]
ZONES = {
    "par": "Europe/Paris",
    "nyc": "America/New_York",
    "kol": "Asia/Kolkata",  # +5:30
    "ktm": "Asia/Kathmandu",  # +5:45
    "akl": "Pacific/Auckland",
    "lon": "Europe/London",
}
# Teams the report never shows on its own but the organisation counts: none, and one dropped.
KEYS = [*ZONES, None, "old"]
Row = dict[str, Any]
START = datetime(2026, 2, 2, tzinfo=UTC)  # US, EU and NZ clocks all change in the next 10 weeks
SPAN = timedelta(weeks=14)


def history(rng: random.Random, count: int, ids: int = 0) -> list[tuple[Row, Row | None]]:
    made = []
    for i in range(ids, ids + count):
        team, created = rng.choice(KEYS), START + SPAN * rng.random()
        # Near midnight and on the hour often: where a wrong boundary would show.
        if rng.random() < 0.3:
            created = created.replace(minute=rng.choice((0, 14, 15, 29, 30, 44, 45, 59)))
        delivered = None if rng.random() < 0.1 else created + timedelta(seconds=rng.random() * 90)
        survey = {
            "id": f"{i:032x}",
            "source": "t",
            "ticket_id": str(i),
            "title": "T",
            "requester_email": "r@example.com",
            "team_key": team,
            "platform": "slack",
            "status": "sent" if delivered else "failed",
            "closed_at": created,
            "created_at": created,
            "delivered_at": delivered,
            "sla_met": rng.choice((None, True, False)),
        }
        answer = None
        if delivered is not None and rng.random() < 0.6:
            at = delivered + timedelta(hours=rng.expovariate(1 / 30))
            answer = {
                "survey_id": survey["id"],
                "score": rng.randrange(11),
                "answered_at": at,
                "team_key": team,
                "lost_time": rng.choice((None, None, *HOURS)),
            }
        made.append((survey, answer))
    return made


def guess_of(survey: Row) -> int | None:
    """The agent's guess on a third of the tickets (answered or not), from the survey's id."""
    n = int(survey["id"], 16)
    return n * 7 % 11 if n % 3 == 0 else None


def guesses(made: Sequence[tuple[Row, Row | None]]) -> list[Row]:
    """The guess rows; a sixth of the tickets has one asked and never given."""
    return [
        {
            "survey_id": s["id"],
            "agent_id": "U0AGENT",
            "team_key": s["team_key"],
            "asked_at": s["created_at"],
            "score": guess_of(s),
        }
        for s, _ in made
        if guess_of(s) is not None or int(s["id"], 16) % 6 == 1
    ]


def counts(made: Sequence[tuple[Row, Row | None]], guessed: bool = True) -> list[rollups.Count]:
    """What the bot's write paths add: a delivery, then its answer, and the perception gap of
    a guessed one."""
    found: list[rollups.Count] = []
    for survey, answer in made:
        guess = guess_of(survey) if guessed else None
        if answer is not None and guess is not None:
            found += rollups.gap_counts(
                answer["team_key"], answer["answered_at"], guess, answer["score"]
            )
        if survey["delivered_at"] is not None:
            found += rollups.delivery_counts(survey["team_key"], survey["delivered_at"], False)
        if answer is not None:
            found += rollups.answer_counts(
                answer["team_key"],
                answer["score"],
                answer["answered_at"],
                survey["delivered_at"],
                survey["sla_met"],
                answer["lost_time"],
            )
    return found


async def write(
    store: Store,
    made: Sequence[tuple[Row, Row | None]],
    zones: dict[str, str] | None,
    *,
    guessed: bool = True,
) -> None:
    """zones None: a bulk load around the bot, counted again by rollup_rebuild.refresh;
    `guessed`: with the agents' guesses of guess_of."""
    async with store.write() as conn:
        await conn.execute(S.insert(), [s for s, _ in made])
        answers = [a for _, a in made if a is not None]
        if answers:
            await conn.execute(A.insert(), answers)
        if guessed:
            await conn.execute(G.insert(), guesses(made))
        if zones is None:
            await rollup_rebuild.refresh(conn)
        else:
            await rollups.add(conn, zones, counts(made, guessed))


async def raw(
    conn: AsyncConnection, bounds: list[datetime], teams: list[str] | None
) -> list[Tally]:
    answers = await rows._answer_counts(conn, bounds, teams, None, by_team=False)
    delivered = await rows._delivery_counts(conn, bounds, teams, None, by_team=False)
    return rows._tallies(answers, delivered, None, len(bounds) - 1)


async def same_extras(conn: AsyncConnection, bounds: list[datetime], team: str, last: int) -> None:
    """The SLA, lost time and perception gap of a team's last weeks: from its days as from the
    raw rows."""
    kept, period = await rows.team_weeks(conn, bounds, [team]), bounds[-last - 1 :: last]
    assert kept.extras is not None
    assert kept.sla(last) == (await perception.sla_by_team(conn, *period, [team]))[team]
    assert kept.lost(last) == await perception.lost_time(conn, *period, team)
    assert [kept.gap(last)] == await perception.raw_gap_tallies(conn, period, [team])
    weekly = await perception.raw_gap_tallies(conn, bounds, [team])
    assert kept.gaps() == weekly == await perception.gap_tallies(conn, bounds, [team])
    (by_team,) = (await rows.by_team(conn, period, [team])).values()
    assert by_team.sla(1) == kept.sla(last)


async def same_periods(
    conn: AsyncConnection, now: datetime, weeks: int, zones: dict[str, str]
) -> None:
    """Every team's period in its own zone, one statement (the rank): as the raw rows say."""
    spans = {team: boundaries(now, zone, weeks) for team, zone in zones.items()}
    wanted = [([team], b[0], b[-1]) for team, b in spans.items()]
    assert await rollup_reads.periods(conn, wanted) is not None
    found = await rows.period_tallies(conn, wanted)
    for team, b in spans.items():
        assert [found[team]] == await raw(conn, [b[0], b[-1]], [team])


async def compare(store: Store, rng: random.Random, zones: dict[str, str]) -> int:
    """Every configured team and the organisation, at random moments and lengths; returns how
    many figures came from the roll-ups (so a silent fallback to raw rows cannot pass)."""
    kept = 0
    async with store.read() as conn:
        for _ in range(12):
            now, weeks = START + SPAN * rng.random(), rng.choice((1, 2, 4, 8, 12))
            for team, zone in zones.items():
                bounds = boundaries(now, zone, weeks)
                assert await rows.weekly_tallies(conn, bounds, [team]) == await raw(
                    conn, bounds, [team]
                )
                await same_extras(conn, bounds, team, rng.randint(1, weeks))
                assert await rows.weekly_tallies(conn, bounds, None) == await raw(
                    conn, bounds, None
                )
                kept += await rollup_reads.counts(conn, bounds, [team], by_team=False) is not None
                kept += await rollup_reads.counts(conn, bounds, None, by_team=False) is not None
            bounds = boundaries(now, "Europe/Paris", 2 * weeks)[::weeks]
            by_team = await rows.tallies_by_team(conn, bounds, ["par"])
            assert by_team == {"par": await raw(conn, bounds, ["par"])}
            await same_periods(conn, now, weeks, zones)
    return kept


async def test_rollups_equal_the_raw_counts_through_writes_zone_changes_and_bulk_loads(
    store: Store,
) -> None:
    rng = random.Random(13)
    zones = dict(ZONES)
    await rollup_rebuild.reconcile(store, {**zones, "old": "UTC"})
    await write(store, history(rng, 500), {**zones, "old": "UTC"})
    assert await rollup_rebuild.reconcile(store, zones) == []  # "old" dropped from nps.toml
    assert await compare(store, rng, zones) == 12 * len(zones) * 2

    zones["nyc"] = "Europe/Paris"  # the team moved: its days are rebuilt in the new zone
    assert await rollup_rebuild.reconcile(store, zones) == ["nyc"]
    await write(store, history(rng, 300, ids=500), zones)
    assert await compare(store, rng, zones) == 12 * len(zones) * 2

    await write(store, history(rng, 300, ids=800), None)
    assert await compare(store, rng, zones) == 12 * len(zones) * 2


async def test_bounds_the_days_do_not_fit_count_the_raw_rows(store: Store) -> None:
    rng = random.Random(5)
    await rollup_rebuild.reconcile(store, {"par": "Europe/Paris"})
    await write(store, history(rng, 200), {"par": "Europe/Paris"})
    async with store.read() as conn:
        bounds = boundaries(START + timedelta(weeks=6), "Asia/Kolkata", 4)
        assert await rollup_reads.counts(conn, bounds, ["par"], by_team=False) is None
        assert await rows.weekly_tallies(conn, bounds, ["par"]) == await raw(conn, bounds, ["par"])
        odd = [b + timedelta(minutes=7) for b in bounds]  # not on a 15-minute slot edge
        assert await rollup_reads.counts(conn, odd, None, by_team=False) is None
        assert await rows.weekly_tallies(conn, odd, None) == await raw(conn, odd, None)


async def test_whole_weeks_are_read_from_the_weeks_and_whole_days_from_the_organisation_days(
    store: Store,
) -> None:
    """With the days and the uncut slots gone, reports of whole weeks still equal the raw
    rows: they read one row a week per team and one a UTC day, not every day or slot."""
    rng, zones = random.Random(21), dict(ZONES)
    await rollup_rebuild.reconcile(store, zones)
    await write(store, history(rng, 400), zones)
    now = START + timedelta(weeks=9, hours=5)
    paris = boundaries(now, "Europe/Paris", 4)
    cut = {rollups.utc_day_of(b) for b in paris}
    async with store.write() as conn:
        await conn.execute(TallyDayRow.__table__.delete())  # type: ignore[attr-defined]
        for row in await conn.execute(select(TallySlotRow.slot_start)):
            if rollups.utc_day_of(row[0]) not in cut:
                slots = TallySlotRow.__table__  # type: ignore[attr-defined]
                await conn.execute(slots.delete().where(slots.c.slot_start == row[0]))
    async with store.read() as conn:
        assert await rows.weekly_tallies(conn, paris, None) == await raw(conn, paris, None)
        for team, zone in zones.items():
            bounds = boundaries(now, zone, 4)
            assert await rows.weekly_tallies(conn, bounds, [team]) == await raw(
                conn, bounds, [team]
            )
        await same_periods(conn, now, 4, zones)


async def test_midnights_that_are_not_mondays_are_read_from_the_days(store: Store) -> None:
    rng, zones = random.Random(8), dict(ZONES)
    await rollup_rebuild.reconcile(store, zones)
    await write(store, history(rng, 300), zones)
    async with store.read() as conn:
        for team, zone in zones.items():
            mondays = boundaries(START + timedelta(weeks=8), zone, 4)
            wednesdays = [
                local_midnight_utc(week_start(b, zone) + timedelta(days=2), zone) for b in mondays
            ]
            assert await rollup_reads.counts(conn, wednesdays, [team], by_team=False) is not None
            assert await rows.weekly_tallies(conn, wednesdays, [team]) == await raw(
                conn, wednesdays, [team]
            )
            wanted = [([team], wednesdays[0], wednesdays[-1])]
            assert await rollup_reads.periods(conn, wanted) is not None
            found = await rows.period_tallies(conn, wanted)
            assert [found[team]] == await raw(conn, [wednesdays[0], wednesdays[-1]], [team])


async def test_start_up_derives_the_weeks_and_organisation_days_an_older_replica_left_behind(
    store: Store,
) -> None:
    """During a rolling upgrade the previous version, still running, adds to the slots and
    days only; the next start-up adds the weeks and days up again from them."""
    rng, zones = random.Random(34), dict(ZONES)
    await rollup_rebuild.reconcile(store, zones)
    await write(store, history(rng, 300), zones)
    async with store.write() as conn:
        for table in (TallyWeekRow, TallyOrgDayRow):  # what the older replica never wrote
            kept = table.__table__  # type: ignore[attr-defined]
            await conn.execute(kept.update().values(promoters=kept.c.promoters + 7))
    assert await rollup_rebuild.reconcile(store, zones) == []
    assert await compare(store, rng, zones) == 12 * len(zones) * 2


async def test_start_up_counts_the_gap_again_for_what_an_older_replica_left_out(
    store: Store,
) -> None:
    """A replica from before migration 0011, still running during a rolling upgrade, stores
    guesses (and answers) without their perception gap: the next start-up counts again the
    days holding a pair completed in the last days."""
    rng, zones = random.Random(55), dict(ZONES)
    await rollup_rebuild.reconcile(store, zones)
    made = history(rng, 300)
    await write(store, made, zones)
    late = [(s, a) for s, a in made if a is not None and a["team_key"] in zones][:12:2]
    left_out = [
        replace(c, by=-c.by)
        for s, a in late
        for c in rollups.gap_counts(a["team_key"], a["answered_at"], guess_of(s) or 0, a["score"])
        if guess_of(s) is not None
    ]
    assert left_out
    async with store.write() as conn:
        await rollups.add(conn, zones, left_out)  # as if the older replica never counted them
        for s, _ in late:  # guessed during the rollout
            await conn.execute(
                G.update().where(G.c.survey_id == s["id"]).values(guessed_at=datetime.now(UTC))
            )
    assert await rollup_rebuild.reconcile(store, zones) == []
    assert await compare(store, rng, zones) == 12 * len(zones) * 2
