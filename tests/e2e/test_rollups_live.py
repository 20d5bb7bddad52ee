"""The report roll-ups follow the real server's writes: a delivery and a click are counted in
their transaction, so a report right after shows them (no rebuild, no raw count)."""

from __future__ import annotations

from pathlib import Path

from bot.scoring import Tally, boundaries
from store import reports, rollup_reads
from tests.harness import NPS_TOML, running_bot
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
