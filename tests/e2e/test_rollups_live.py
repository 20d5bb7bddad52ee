"""The report roll-ups follow the real server's writes: a delivery and a click are counted in
their transaction, so a report right after shows them (no rebuild, no raw count)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.scoring import Tally, boundaries
from store import perception, reports, rollup_reads
from tests.harness import NPS_TOML, RunningBot, running_bot
from tests.slash import nps_command

ONE_ANSWER_SHOWN = NPS_TOML.replace("[defaults]\n", "[defaults]\nmin_answers = 1\n")
SUMS = "SELECT sum(detractors), sum(delivered), sum(answered) FROM {}"


async def test_a_delivery_and_a_click_are_counted_as_they_happen(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=ONE_ANSWER_SHOWN) as bot:
        ana = bot.user("ana@example.com", "U0ANA")
        assert (await bot.post_ticket())[0] == 202
        await bot.slack.wait_for("chat.postMessage")
        await bot.drain()
        assert await bot.scalar("SELECT sum(delivered) FROM tally_day") == 1
        assert await bot.scalar("SELECT sum(answered) FROM tally_slot") == 0

        status, _ = await ana.click_score(3)
        assert status == 200
        for table in ("tally_slot", "tally_day"):
            async with bot.store.read() as conn:
                found = (await conn.exec_driver_sql(SUMS.format(table))).one()
            assert tuple(found) == (1, 1, 1), table

        now = bot.clock.now()
        async with bot.store.read() as conn:
            bounds = boundaries(now, "UTC", 2)
            kept = await rollup_reads.counts(conn, bounds, ["eus"], by_team=False)
            assert kept is not None  # the team's days are complete: reports use them
            tallies = await reports.weekly_tallies(conn, bounds, ["eus"])
        assert sum(tallies, Tally()) == Tally(detractors=1, delivered=1, delivered_answered=1)
        reply = await nps_command(bot, "team eus weeks 1", "C0LEADS", "U0LEAD")
        assert "-100" in str(reply["blocks"]) or "−100" in str(reply["blocks"])


async def test_a_comment_that_changes_the_lost_time_moves_it_in_the_days(
    db_url: str, tmp_path: Path
) -> None:
    from tests.e2e.test_lost_time import ASK, _slack_form, _values

    lost = "SELECT sum(lost_day), sum(lost_1_4h), sum(lost_none) FROM tally_day"
    async with running_bot(db_url, tmp_path, toml=ONE_ANSWER_SHOWN + ASK) as bot:
        ana, view = await _slack_form(bot)
        assert (await ana.submit_view(view, _values("day"))) == (200, "")
        assert tuple(await _one(bot, lost)) == (1, 0, 0)
        assert (await ana.submit_view(view, _values("1_4h"))) == (200, "")
        assert tuple(await _one(bot, lost)) == (0, 1, 0)
        assert (await ana.submit_view(view, _values(None))) == (200, "")
        assert tuple(await _one(bot, lost)) == (0, 0, 0)
        assert (await ana.submit_view(view, _values("over_day"))) == (200, "")
        bounds = boundaries(bot.clock.now(), "UTC", 1)
        async with bot.store.read() as conn:
            kept = await reports.team_weeks(conn, bounds, ["eus"])
            assert kept.lost(1) == await perception.lost_time(conn, *bounds, "eus") == (1, 16.0)


async def _one(bot: RunningBot, sql: str) -> Any:
    async with bot.store.read() as conn:
        return (await conn.exec_driver_sql(sql)).one()
