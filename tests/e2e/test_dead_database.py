"""A click or a modal is answered within Slack's limit even when the database does not answer
(G16): PostgreSQL behind a proxy that blackholes, SQLite with another process on the lock."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from bot.handlers.slack.replies import SAVE_FAILED
from bot.handlers.teams.actions import FAILED as TEAMS_FAILED
from bot.server import DEPS
from tests.harness import RunningBot, SlackUser, running_bot
from tests.teams_harness import TEAMS_TOML, invoke_text, teams_user

pytestmark = pytest.mark.deadline  # these are about the 2 s deadline itself

# Slack gives up at 3 s; the behaviour asked for is an answer well before that.
ANSWER_WITHIN = 2.5


class BlackholeProxy:
    """Loopback TCP proxy to PostgreSQL; `blackhole()` keeps accepting but stops forwarding."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.holed = False
        self._writers: list[asyncio.StreamWriter] = []
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def blackhole(self) -> None:
        self.holed = True

    def recover(self) -> None:
        """Forwards again; connections that lost bytes are reset, as after a network cut."""
        self.holed = False
        self._abort_all()

    async def close(self) -> None:
        self._abort_all()
        if self._server is not None:
            self._server.close()

    def _abort_all(self) -> None:
        for writer in self._writers:
            writer.transport.abort()
        self._writers.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        if self.holed:
            await self._pipe(reader, None)
            return
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self._writers.append(up_writer)
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter | None
    ) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                if writer is not None and not self.holed:
                    writer.write(data)
                    await writer.drain()
        if writer is not None:
            writer.close()  # pass the end on, as a closed connection does


@contextlib.asynccontextmanager
async def _proxied(db_url: str) -> AsyncIterator[tuple[str, BlackholeProxy]]:
    url = make_url(db_url)
    proxy = BlackholeProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    try:
        yield url.set(host="127.0.0.1", port=proxy.port).render_as_string(False), proxy
    finally:
        await proxy.close()


@contextlib.contextmanager
def _sqlite_write_lock(db_url: str) -> Iterator[sqlite3.Connection]:
    """Another process's transaction holding SQLite's one write lock."""
    other = sqlite3.connect(str(make_url(db_url).database), isolation_level=None, timeout=30)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.close()


async def _survey_sent(bot: RunningBot) -> SlackUser:
    ana = bot.user("ana@example.com", "U0ANA")
    assert (await bot.post_ticket())[0] == 202
    await bot.slack.wait_for("chat.postMessage")
    await bot.drain()
    return ana


async def _click_is_answered_with_save_failed(bot: RunningBot, ana: SlackUser) -> float:
    started = time.monotonic()
    status, _ = await ana.click_score(2)
    elapsed = time.monotonic() - started
    assert status == 200
    await bot.slack.wait_for("chat.postEphemeral", timeout=10)
    assert bot.slack.ephemerals[-1]["text"] == SAVE_FAILED
    assert elapsed < ANSWER_WITHIN, f"answered after {elapsed:.2f} s"
    return elapsed


async def _idle(bot: RunningBot) -> None:
    """No transaction of the bot's open: SQLite's outage takes the write lock synchronously on
    this loop, so a bot transaction still open (a scheduler tick, a job's completion) could not
    finish, and the two would wait on each other until the 30 s lock timeout."""
    await bot.drain()
    await _connections_returned(bot)


async def _connections_returned(bot: RunningBot) -> None:
    pool = bot.app[DEPS].store.engine.pool
    deadline = time.monotonic() + 15
    while pool.checkedout() and time.monotonic() < deadline:  # noqa: ASYNC110 - a poll
        await asyncio.sleep(0.05)


async def _reclick_stores_once(bot: RunningBot, ana: SlackUser) -> None:
    await _connections_returned(bot)
    assert (await ana.click_score(2))[0] == 200
    await bot.slack.wait_for("chat.update", timeout=10)
    assert await bot.scalar("SELECT count(*) FROM answer") == 1


Outage = Callable[[], contextlib.AbstractContextManager[object]]


@contextlib.asynccontextmanager
async def _bot_with_outage(
    db_url: str, tmp_path: Path, **options: Any
) -> AsyncIterator[tuple[RunningBot, Outage]]:
    """The bot, and a context during which its database does not answer."""
    if make_url(db_url).get_backend_name() == "sqlite":
        async with running_bot(db_url, tmp_path, **options) as bot:
            yield bot, lambda: _sqlite_write_lock(db_url)
        return
    async with _proxied(db_url) as (url, proxy), running_bot(url, tmp_path, **options) as bot:

        @contextlib.contextmanager
        def blackholed() -> Iterator[None]:
            proxy.blackhole()
            try:
                yield
            finally:
                proxy.recover()

        yield bot, blackholed


async def test_a_click_is_answered_in_time_when_the_database_does_not_answer(
    db_url: str, tmp_path: Path
) -> None:
    async with _bot_with_outage(db_url, tmp_path) as (bot, outage):
        ana = await _survey_sent(bot)
        await _idle(bot)
        with outage():
            await _click_is_answered_with_save_failed(bot, ana)
        await _connections_returned(bot)
        assert await bot.scalar("SELECT count(*) FROM answer") == 0
        await _reclick_stores_once(bot, ana)


async def test_a_comment_is_answered_in_time_when_the_database_does_not_answer(
    db_url: str, tmp_path: Path
) -> None:
    async with _bot_with_outage(db_url, tmp_path) as (bot, outage):
        ana = await _survey_sent(bot)
        view = await ana.score_and_open_comment(2)
        await _idle(bot)
        with outage():
            started = time.monotonic()
            status, body = await ana.submit_comment(view, "still broken", [])
            elapsed = time.monotonic() - started
        assert status == 200
        assert json.loads(body) == {"response_action": "errors", "errors": {"comment": SAVE_FAILED}}
        assert elapsed < ANSWER_WITHIN, f"answered after {elapsed:.2f} s"
        await _connections_returned(bot)
        assert (await ana.submit_comment(view, "still broken", []))[0] == 200
        assert await bot.scalar("SELECT comment FROM answer") == "still broken"


async def test_a_teams_click_is_answered_in_time_when_the_database_does_not_answer(
    db_url: str, tmp_path: Path
) -> None:
    async with _bot_with_outage(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as (bot, outage):
        assert bot.teams is not None
        ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
        await ana.install()
        assert (await bot.post_ticket())[0] == 202
        await bot.teams.connector.wait_for("POST", conversation=ana.chat)
        await bot.drain()
        await _idle(bot)
        with outage():
            started = time.monotonic()
            status, answer = await ana.click_score(2)
            elapsed = time.monotonic() - started
        assert status == 200
        assert invoke_text(answer) == TEAMS_FAILED
        assert elapsed < ANSWER_WITHIN, f"answered after {elapsed:.2f} s"
        await _connections_returned(bot)
        assert await bot.scalar("SELECT count(*) FROM answer") == 0
        assert "You gave " in invoke_text((await ana.click_score(2))[1])
        assert await bot.scalar("SELECT count(*) FROM answer") == 1
