"""Fan-out at Slack's ceiling: 1,000 closed tickets through `npsbot serve`, as survey DMs, against
a fake Slack that enforces Slack's per-method limits (bench.slack_limits).

Two cases. *new*: nobody is known yet, so each DM costs users.lookupByEmail, conversations.open
and chat.postMessage. *known*: every requester is in the recipient cache, so only
chat.postMessage. The server runs with its defaults (DELIVERY_POLL_SECONDS 5) on a fresh database.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from bench.common import (
    BOT_TOKEN,
    SIGNING_SECRET,
    client,
    fresh_database,
    scalar,
    serve,
    signed_ticket,
    user_email,
    user_id,
)
from bench.fake_slack_proc import fake_slack
from bench.slack_limits import Limits, min_seconds, slack_limits
from store import open_store
from store.tables import RecipientRow

SURVEYS = 1_000
# new: Tier 3 binds, 1,000 lookups take 20 min at Slack's own rate, so the doc runs it 10× over.
SPEED = {"new": 10.0, "known": 1.0}
CALLS = {
    "new": ("users.lookupByEmail", "conversations.open", "chat.postMessage"),
    "known": ("chat.postMessage",),
}
POST = "chat.postMessage"
Log = list[tuple[str, float, str | None, str, str]]


def dm_channel(i: int) -> str:
    return "D" + user_id(i).removeprefix("U")  # what FakeSlack's conversations.open answers


async def remember_all(db_url: str, count: int) -> None:
    """Every requester already resolved, as after an earlier survey: the known case."""
    now = datetime.now(UTC)
    rows = [
        {
            "platform": "slack",
            "email": user_email(i),
            "user_id": user_id(i),
            "address": dm_channel(i),
            "resolved_at": now,
        }
        for i in range(count)
    ]
    store = open_store(db_url)
    try:
        async with store.write() as conn:
            await conn.execute(RecipientRow.__table__.insert(), rows)  # type: ignore[attr-defined]
    finally:
        await store.close()


async def post_tickets(base_url: str, count: int) -> list[int]:
    """`count` signed ticket.closed webhooks, 50 at a time; their HTTP statuses."""
    tag, now = secrets.token_hex(4), int(time.time())
    signed = [signed_ticket(tag, i, now) for i in range(count)]
    gate = asyncio.Semaphore(50)

    async def one(body: bytes, headers: dict[str, str], http: aiohttp.ClientSession) -> int:
        async with gate, http.post(base_url + "/webhooks/tickets", data=body, headers=headers) as r:
            await r.read()
            return r.status

    async with client() as http:
        return list(await asyncio.gather(*(one(b, h, http) for _wid, b, h in signed)))


async def wait_sent(db_url: str, count: int, timeout: float) -> int:  # noqa: ASYNC109 - a bound
    """Polls the survey table until `count` are sent or `timeout` passes; the count sent."""
    deadline = time.monotonic() + timeout
    sql = "SELECT count(*) FROM survey WHERE status = 'sent'"
    while True:
        sent = int(await scalar(db_url, sql))
        if sent >= count or time.monotonic() > deadline:
            return sent
        await asyncio.sleep(0.5)


async def one_case(case: str, admin_url: str | None, count: int = SURVEYS) -> dict[str, Any]:
    limits = slack_limits(SPEED[case])
    floor = min_seconds(limits, dict.fromkeys(CALLS[case], count))
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix=f"npsbot-fanout-{case}-") as tmp:
        workdir = Path(tmp)
        async with (
            fake_slack(count, "healthy", limits) as fake,
            fresh_database(admin_url, workdir) as db,
            serve(db, workdir, {**env, "SLACK_API_URL": fake.base_url}) as server,
        ):
            if case == "known":
                await remember_all(db, count)
            start = time.monotonic()
            statuses = await post_tickets(server.url, count)
            intake = time.monotonic() - start
            sent = await wait_sent(db, count, timeout=3 * floor + 120)
            log, problems = await fake.log(), server.problems()
    found = figures(log, start, count, limits, CALLS[case])
    accepted = sum(s == 202 for s in statuses)
    extra = {"sent": sent, "accepted": accepted, "intake_s": intake, "load1": load}
    return {**found, **extra, "case": case, "surveys": count, "problems": problems}


def figures(
    log: Log, start: float, count: int, limits: Limits, calls: tuple[str, ...]
) -> dict[str, Any]:
    """Time to deliver, share of the allowed rate, attempts per DM, and exactly-once."""
    ok_posts = [(at, channel) for m, at, fault, channel, _ in log if m == POST and fault is None]
    attempts = Counter(m for m, *_ in log)
    limited = Counter(m for m, _, fault, *_ in log if fault)
    delivered = len(ok_posts)
    seconds = max((at for at, _ in ok_posts), default=start) - start
    floor = min_seconds(limits, dict.fromkeys(calls, count))
    per_channel = Counter(channel for _, channel in ok_posts)
    return {
        "limits": limits.describe(),
        "delivered": delivered,
        "seconds": seconds,
        "floor_s": floor,
        "rate": delivered / seconds if seconds else 0.0,
        "allowed_rate": count / floor if floor else float("inf"),
        "share": floor / seconds if floor and seconds and delivered == count else float("nan"),
        "attempts_per_dm": attempts[POST] / delivered if delivered else float("nan"),
        "calls": {m: attempts[m] for m in calls},
        "limited": {m: limited[m] for m in calls},
        "exactly_once": delivered == count == len(per_channel) and max(per_channel.values()) == 1,
    }


async def bench(
    backends: list[tuple[str, str | None]], count: int = SURVEYS
) -> list[dict[str, Any]]:
    out = []
    for backend, url in backends:
        for case in SPEED:
            print(f"fan-out {backend}: {count} surveys, {case} requesters …", flush=True)
            out.append({**await one_case(case, url, count), "backend": backend})
    return out
