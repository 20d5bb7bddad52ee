"""Thank-yous under load: 200 signed score clicks a second for 30 s on surveys seeded as
delivered, through `npsbot serve`, against a fake Slack that enforces chat.update's Tier 3
(bench.slack_limits). Each stored score turns its DM into the thank-you with one chat.update.

Clicks are paced like wrk2: click i is due at start + i / rate and its lag is counted from then,
so a server that falls behind is charged for it. The lag the limits force is what a sender with
no overhead would get from the same bucket, clicks in the same order.
"""

from __future__ import annotations

import asyncio
import math
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench import wrk
from bench.common import (
    BOT_TOKEN,
    SIGNING_SECRET,
    client,
    fresh_database,
    percentile,
    scalar,
    serve,
    warm_connections,
)
from bench.fake_slack_proc import FakeSlackProcess, fake_slack
from bench.slack_limits import Bucket, Limits, slack_limits
from bench.throughput import click_pool, seed_surveys, survey_ref

RATE, SECONDS = 200, 30
# 6,000 chat.update calls take two hours at Tier 3's 50/min; 40× over, under three minutes.
SPEED = 40.0
UPDATE = "chat.update"
STALL = 120.0
Click = tuple[float, int]  # when it was due (monotonic), HTTP status


async def paced(url: str, pool: list[wrk.Request], rate: float) -> list[Click]:
    """Sends pool[i] at start + i / rate, however long earlier ones take (no coordinated
    omission); a connection pool of 100 keeps a slow answer from holding up the next click."""
    async with client(limit=100) as http:
        await warm_connections(http, url.rsplit("/", 2)[0])
        start = time.monotonic()
        sent = []
        for i, (headers, body) in enumerate(pool):
            due = start + i / rate
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            sent.append(asyncio.create_task(_click(http, url, headers, body, due)))
        return list(await asyncio.gather(*sent))


async def _click(
    http: aiohttp.ClientSession, url: str, headers: dict[str, str], body: str, due: float
) -> Click:
    try:
        async with http.post(url, data=body, headers=headers) as resp:
            await resp.read()
            return due, resp.status
    except (aiohttp.ClientError, TimeoutError):
        return due, 0


async def wait_updates(fake: FakeSlackProcess, count: int, timeout: float) -> int:  # noqa: ASYNC109
    """Polls the fake until `count` chat.update calls succeeded, `timeout` passed, or none
    succeeded for STALL seconds (the outbox's backoff is 5 s, 15 s, 45 s …)."""
    deadline, done, progress = time.monotonic() + timeout, 0, time.monotonic()
    while True:
        now, before, done = time.monotonic(), done, await fake.ok_calls(UPDATE)
        progress = now if done > before else progress
        if done >= count or now > deadline or now - progress > STALL:
            return done
        await asyncio.sleep(1.0)


def forced_lags(dues: list[float], rate: float, burst: float) -> list[float]:
    """Each click's lag on a sender with no overhead, one update per click, in click order,
    from a bucket that starts full at the first click."""
    bucket, lags, sent = Bucket(rate, burst), [], -math.inf
    for due in sorted(dues):
        ready = max(due, sent)  # one update at a time, in order: never before the previous one
        sent = ready + bucket.wait(ready)
        bucket.take(sent)
        lags.append(sent - due)
    return lags


async def run(admin_url: str | None, rate: int = RATE, seconds: int = SECONDS) -> dict[str, Any]:
    limits, count = slack_limits(SPEED), rate * seconds
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
    forced_s = max(forced_lags([i / rate for i in range(count)], *limits.workspace[UPDATE]))
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="npsbot-thankyous-") as tmp:
        workdir = Path(tmp)
        async with (
            fake_slack(0, "healthy", limits) as fake,
            fresh_database(admin_url, workdir) as db,
            serve(db, workdir, {**env, "SLACK_API_URL": fake.base_url}) as server,
        ):
            await seed_surveys(db, count)
            await fake.seed([survey_ref(i)[2:] for i in range(count)])
            clicks = await paced(server.url + "/slack/events", list(click_pool(0, count)), rate)
            answers = int(await scalar(db, "SELECT count(*) FROM answer"))
            await wait_updates(fake, answers, timeout=forced_s + 900)
            log, problems = await fake.log(), server.problems()
            failed = await scalar(db, "SELECT count(*) FROM outbox WHERE status = 'failed'")
    found = figures(clicks, log, limits)
    stored = {"answers": answers, "failed_jobs": failed, "problems": problems}
    return {**found, **stored, "load1": load, "rate": rate, "seconds": seconds}


def figures(
    clicks: list[Click], log: list[tuple[str, float, str | None, str, str]], limits: Limits
) -> dict[str, Any]:
    """Thank-yous that arrived, their lag from each click against the forced lag, and 429s."""
    updates = [(at, fault, (channel, ts)) for m, at, fault, channel, ts in log if m == UPDATE]
    first_ok: dict[tuple[str, str], float] = {}
    for at, fault, ref in updates:
        if fault is None:
            first_ok.setdefault(ref, at)
    ok = sum(1 for _, fault, _ in updates if fault is None)
    limited = len(updates) - ok
    acked = [(i, due) for i, (due, status) in enumerate(clicks) if status == 200]
    refs = {i: survey_ref(i)[2:] for i, _ in acked}
    lags = [first_ok[refs[i]] - due for i, due in acked if refs[i] in first_ok]
    forced = forced_lags([due for _, due in acked], *limits.workspace[UPDATE])
    span = clicks[-1][0] - clicks[0][0] if clicks else 0.0
    return {
        "limits": limits.describe(),
        "clicks": len(clicks),
        "acked": len(acked),
        "click_rate": (len(clicks) - 1) / span if span else 0.0,
        "updates_ok": ok,
        "thanked": len(lags),
        "limited": limited,
        "lag": _spread(lags),
        "forced": _spread(forced),
    }


def _spread(values: list[float]) -> dict[str, float]:
    return {"p50": percentile(values, 50), "p99": percentile(values, 99), "max": max(values or [0])}
