"""B2: how fast the real server acknowledges 50 concurrent score clicks, whatever Slack does."""

from __future__ import annotations

import asyncio
import json
import secrets
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from bench.common import (
    BOT_TOKEN,
    CONCURRENCY,
    SIGNING_SECRET,
    client,
    fresh_database,
    percentile,
    scalar,
    serve,
    signed_ticket,
    warm_connections,
)
from bench.fake_slack_proc import CONDITIONS, fake_slack
from bot.handlers.slack.ids import score_action_id

# A real block_actions payload from tests/, re-pointed at each delivered DM like tests/harness.py.
PAYLOADS = Path(__file__).resolve().parents[1] / "tests" / "payloads"
TEMPLATE = PAYLOADS / "slack_block_actions.json"
FRESH_SCORE, REPEAT_SCORE = 9, 3  # "score = 9" below counts first clicks
PAUSE = 0.3  # between rounds; Slack calls caused by a round are still in flight during the next
Target = tuple[str, str, str, dict[str, Any]]  # user id, DM channel, message ts, message


def click_request(target: Target, score: int, template: str) -> tuple[str, dict[str, str]]:
    user, channel, ts, message = target
    payload = json.loads(template)
    payload["user"]["id"] = user
    payload["container"].update(message_ts=ts, channel_id=channel)
    payload["channel"]["id"] = channel
    payload["message"] = {
        "type": "message",
        "ts": ts,
        "text": message["text"],
        "blocks": message["blocks"],
    }
    payload["actions"] = [
        {**_button(message, score_action_id(score)), "action_ts": f"{time.time():.6f}"}
    ]
    body = urlencode({"payload": json.dumps(payload)})
    return body, slack_headers(body)


def slack_headers(body: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body)
    return {
        "x-slack-request-timestamp": stamp,
        "x-slack-signature": signature or "",
        "content-type": "application/x-www-form-urlencoded",
    }


def _button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    for block in message.get("blocks") or []:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return {**element, "block_id": block.get("block_id", "b")}
    raise RuntimeError(f"no button {action_id} in the delivered survey")


async def click_round(
    http: aiohttp.ClientSession, base_url: str, targets: list[Target], score: int
) -> list[tuple[int, float]]:
    """Signs one click per target, then fires them all at once; (status, seconds to the ack)."""
    template = TEMPLATE.read_text()
    prepared = [click_request(t, score, template) for t in targets]
    await warm_connections(http, base_url)

    async def one(body: str, headers: dict[str, str]) -> tuple[int, float]:
        started = time.perf_counter()
        try:
            async with http.post(base_url + "/slack/events", data=body, headers=headers) as resp:
                await resp.read()
                status = resp.status
        except (aiohttp.ClientError, TimeoutError):
            status = 0
        return status, time.perf_counter() - started

    return list(await asyncio.gather(*(one(b, h) for b, h in prepared)))


async def create_surveys(http: aiohttp.ClientSession, base_url: str, count: int) -> None:
    tag, now, gate = secrets.token_hex(4), int(time.time()), asyncio.Semaphore(10)

    async def send(i: int) -> int:
        _wid, body, headers = signed_ticket(tag, i, now)
        async with (
            gate,
            http.post(base_url + "/webhooks/tickets", data=body, headers=headers) as resp,
        ):
            return resp.status

    statuses = Counter(await asyncio.gather(*(send(i) for i in range(count))))
    if statuses != Counter({202: count}):
        raise RuntimeError(f"creating surveys: unexpected statuses {dict(statuses)}")


async def warm_bolt(http: aiohttp.ClientSession, base_url: str) -> None:
    """One signed /nps command, so Bolt has made (and cached) its auth.test before any timing."""
    body = (PAYLOADS / "slack_slash_command.form").read_text().strip()
    headers = slack_headers(body)
    async with http.post(base_url + "/slack/events", data=body, headers=headers) as resp:
        if resp.status != 200:
            raise RuntimeError(f"warm-up /nps answered {resp.status}")


def _stats(samples: list[tuple[int, float]]) -> dict[str, Any]:
    seconds = [s for _, s in samples] or [float("nan")]
    return {
        "n": len(samples),
        "p50_ms": percentile(seconds, 50) * 1000,
        "p99_ms": percentile(seconds, 99) * 1000,
        "max_ms": max(seconds) * 1000,
    }


async def bench_condition(
    admin_url: str | None, condition: str, rounds: int, repeats: int
) -> dict[str, Any]:
    """Fresh database, fake Slack and server per condition; `rounds` × 50 fresh clicks, then
    `repeats` × 50 second clicks on already-answered surveys (those answer with an ephemeral).
    A "cold" condition skips Bolt's warm-up and fires one round of 50 first clicks."""
    cold = condition.startswith("cold")
    rounds, repeats = (1, 0) if cold else (rounds, repeats)
    count = rounds * CONCURRENCY
    with tempfile.TemporaryDirectory(prefix="npsbot-bench-") as tmp:
        workdir = Path(tmp)
        async with fake_slack(count, condition) as fake, fresh_database(admin_url, workdir) as db:
            env = {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": fake.base_url,
                "DELIVERY_POLL_SECONDS": "1",
            }
            # A subprocess, not tests.harness.running_bot: in-process, the server would share one
            # event loop (and the GIL) with this client and the fake, and their work would be
            # timed as ack latency. The fake runs in its own process for the same reason.
            async with serve(db, workdir, env) as server, client() as http:
                await create_surveys(http, server.url, count)
                messages = await fake.messages(count)
                # FakeSlack opens DM D<n> for user U<n>; every DM here is one survey.
                targets = sorted((f"U{ch[1:]}", ch, ts, m) for ch, ts, m in messages)
                if not cold:
                    await warm_bolt(http, server.url)
                fresh: list[tuple[int, float]] = []
                repeat: list[tuple[int, float]] = []
                for r in range(rounds + repeats):
                    batch = targets[(r % rounds) * CONCURRENCY : (r % rounds + 1) * CONCURRENCY]
                    score = FRESH_SCORE if r < rounds else REPEAT_SCORE
                    (fresh if r < rounds else repeat).extend(
                        await click_round(http, server.url, batch, score)
                    )
                    await asyncio.sleep(PAUSE)
                await asyncio.sleep(1.0)  # let the last round's Slack calls reach the fake
                stored = await scalar(db, "SELECT count(*) FROM answer WHERE score = 9")
                answers = await scalar(db, "SELECT count(*) FROM answer")
            problems = server.problems()
            slack = await fake.summary()
    statuses = Counter(status for status, _ in fresh + repeat)
    return {
        "condition": condition,
        "surveys": len(targets),
        "fresh": _stats(fresh),
        "repeat": _stats(repeat),
        "statuses": dict(statuses),
        "stored": stored,
        "answers": answers,
        "correct": statuses == Counter({200: len(fresh) + len(repeat)})
        and stored == answers == count
        and not slack["invalid"],
        "slack": slack,
        "problems": problems,
    }


async def bench_clicks(admin_url: str | None, rounds: int, repeats: int) -> list[dict[str, Any]]:
    return [await bench_condition(admin_url, c, rounds, repeats) for c in CONDITIONS]


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else None
    for row in asyncio.run(bench_clicks(url, rounds=1, repeats=1)):
        print(row)
