"""PostgreSQL restarted under a running bot: the pooled connections it killed are replaced,
so the first requests after the restart are served, and /healthz does not report the
replica as down. asyncpg notices a terminated backend by itself, so this holds with or without
store.engine's ping of idle connections: it guards the pool's recovery, not that ping."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from store.engine import PING_AFTER_IDLE_SECONDS
from tests.databases import terminate_other_backends
from tests.harness import running_bot, ticket


async def test_an_idle_pooled_connection_killed_by_a_restart_is_replaced(
    db_url: str, tmp_path: Path
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has no server to restart")
    async with running_bot(db_url, tmp_path) as bot:
        assert (await bot.post_ticket())[0] == 202
        await bot.drain()
        assert await terminate_other_backends(db_url) >= 1
        await asyncio.sleep(PING_AFTER_IDLE_SECONDS + 0.2)
        async with bot.http.get(bot.url + "/healthz") as health:
            assert health.status == 200, await health.text()
        status, body = await bot.post_ticket(
            {"type": "ticket.closed", "ticket": ticket(id="INC2", requester_email="bo@example.com")}
        )
        assert status == 202, body
        assert await bot.scalar("SELECT count(*) FROM survey") == 2
