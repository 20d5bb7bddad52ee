"""bench.reports' timed rounds: `/nps team` and `/nps teams` over HTTP from `npsbot serve`,
the floor query beside them, and bench.floor's bare reply to a signed `/nps`, the fastest simple
way to answer one over HTTP on this machine, which shows what any reply costs here before a
report reads anything."""

from __future__ import annotations

import asyncio
import random
import sys
import time
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

from bench import gen_answers
from bench.clicks import slack_headers
from bench.common import Server, serve
from bench.fake_slack_proc import FakeSlackProcess
from bench.reports_floor import floor
from store import open_store

WARMUP = 3
TEAM_TURNS = ("bot", "floor", "bare", "help")
TIMED = ("team", "teams", "floor team", "floor teams", "bare", "bare warm", "help")
CHART_SENT = "files.completeUploadExternal"  # the last of a chart's Slack calls


async def command(http: aiohttp.ClientSession, base: str, words: str) -> float:
    """One signed `/nps …` until the reply's last byte; its ms."""
    body = urlencode(
        {
            "command": "/nps",
            "text": words,
            "channel_id": "C0BENCH",
            "user_id": "U0BENCH",
            "team_id": "T0001",
            "trigger_id": "1.2.3",
            "response_url": "https://hooks.slack.com/x",
        }
    )
    began = time.perf_counter()
    async with http.post(base + "/slack/events", data=body, headers=slack_headers(body)) as resp:
        reply = await resp.text()
    ms = (time.perf_counter() - began) * 1000
    if resp.status != 200 or '"blocks"' not in reply:
        raise RuntimeError(f"/nps {words}: {resp.status} {reply[:200]}")
    return ms


class Rounds:
    """The timed turns of one backend: each `/nps team` round is the bot's reply, the floor
    query, bench.floor's bare reply to a signed `/nps` (then a second one at once, `bare
    warm`) and the bot's `/nps help`, in an order that rotates; a `/nps teams` round, the bot
    and the floor. Nothing is timed while the chart of the last `/nps team` is still being
    drawn and sent (see charts_sent)."""

    def __init__(self, http: aiohttp.ClientSession, bases: tuple[str, str], url: str) -> None:
        self.http, (self.base, self.bare_base), self.store = http, bases, open_store(url)
        self.ms: dict[str, list[float]] = {k: [] for k in TIMED}
        self.charted = 0  # `/nps team` replies so far: one chart each

    async def warm_up(self) -> None:
        for team in gen_answers.directory().teams[:WARMUP]:
            await self.turn("bot", team.key, timed=False)
            await self.turn("floor", team.key, timed=False)
            await self.turn("bare", team.key, timed=False)

    async def turn(self, kind: str, key: str | None, *, timed: bool = True) -> None:
        what = "team" if key else "teams"
        if kind == "floor":
            found = (await floor(self.store, datetime.now(UTC), key))[1]
        elif kind == "bot":
            found = await command(self.http, self.base, f"team {key}" if key else what)
            self.charted += key is not None
        elif kind == "bare":
            found = await command(self.http, self.bare_base, "help")
            again = await command(self.http, self.bare_base, "help")
            if timed:
                self.ms["bare warm"].append(again)
        else:
            found = await command(self.http, self.base, "help")
        if timed:
            self.ms[{"bot": what, "floor": f"floor {what}"}.get(kind, kind)].append(found)


async def rounds(
    base: str, bare: str, url: str, runs: tuple[int, int], fake: FakeSlackProcess
) -> dict[str, list[float]]:
    async with aiohttp.ClientSession() as http:
        timing = Rounds(http, (base, bare), url)
        try:
            await timing.warm_up()
            for n, key in enumerate(_plan(runs)):
                kinds = TEAM_TURNS if key else TEAM_TURNS[:2]
                for kind in kinds[n % len(kinds) :] + kinds[: n % len(kinds)]:
                    await charts_sent(fake, timing.charted)
                    await timing.turn(kind, key)
        finally:
            await timing.store.close()
    return timing.ms


def _plan(runs: tuple[int, int]) -> list[str | None]:
    """The teams of the `/nps team` runs in a shuffled order, then one None per `/nps teams`."""
    teams = gen_answers.directory().teams
    order: list[str | None] = [teams[i % len(teams)].key for i in range(runs[0])]
    random.Random(4).shuffle(order)
    return [*order, *[None] * runs[1]]


async def charts_sent(fake: FakeSlackProcess, replies: int) -> None:
    """Waits (untimed) until Slack has the chart of each `/nps team` replied to so far. The
    chart is drawn and uploaded after the reply; back to back, that work overlapped the next
    timed step, so a figure mixed one reply with the previous one's chart."""
    deadline = time.monotonic() + 10
    while await fake.ok_calls(CHART_SENT) < replies:
        if time.monotonic() > deadline:
            raise RuntimeError(f"fewer than {replies} charts reached the fake Slack")
        await asyncio.sleep(0.002)


def bare_server(tmp: Path) -> AbstractAsyncContextManager[Server]:
    """bench.floor, whose answer to a signed slash command is a fixed reply: the fastest simple
    way to answer one over HTTP here (its own SQLite file, which a reply never touches)."""
    (tmp / "bare").mkdir()
    url = f"sqlite:///{tmp / 'bare' / 'floor.db'}"
    checkout = {"PYTHONPATH": str(Path(__file__).resolve().parents[1])}  # cwd is tmp
    return serve(url, tmp / "bare", checkout, argv=[sys.executable, "-m", "bench.floor"])
