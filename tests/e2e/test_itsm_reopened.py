"""A ticket resolved, re-opened and resolved again: no second survey within resurvey_after_days."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.harness import NPS_TOML, running_bot
from tests.itsm import ITSM_ENV, PEOPLE_TOML, REQUESTER, encode, fresh_close, sign


def _reclose(n: int) -> bytes:
    body = fresh_close("jira")
    body["changelog"]["id"] = str(20000 + n)  # each resolution is its own delivery
    return encode(body)


async def test_a_reclosed_ticket_is_surveyed_again_only_after_resurvey_after_days(
    db_url: str, tmp_path: Path
) -> None:
    toml = (
        NPS_TOML.replace(
            "[defaults]\n", "[defaults]\nresurvey_after_days = 30\nreminder_after_hours = 0\n"
        )
        + PEOPLE_TOML
    )
    async with running_bot(db_url, tmp_path, env=ITSM_ENV, toml=toml) as bot:
        bot.user(REQUESTER, "U0BEA")

        async def close(n: int) -> int:
            body = _reclose(n)
            status, _ = await bot.post_raw(
                "/webhooks/jira", body, sign("jira", body, bot.clock.now())
            )
            return status

        assert await close(1) == 202
        await bot.slack.wait_for("chat.postMessage")
        await bot.drain()  # before moving the clock: a send in flight would outlive its lease
        bot.clock.advance(days=29)
        assert await close(2) == 200  # re-opened and resolved within 30 days
        await bot.drain()
        assert len(bot.slack.calls_to("chat.postMessage")) == 1
        bot.clock.advance(days=2)
        # Twenty concurrent deliveries of the next resolution still make one survey.
        statuses = await asyncio.gather(*(close(10 + n) for n in range(20)))
        assert sorted(statuses) == [200] * 19 + [202]
        await bot.slack.wait_for("chat.postMessage", count=2)
        await bot.drain()
        assert len(bot.slack.calls_to("chat.postMessage")) == 2
        assert await bot.scalar("SELECT count(*) FROM survey WHERE ticket_id = 'HELP-77'") == 2
        assert await bot.scalar("SELECT max(close_seq) FROM survey") == 1
