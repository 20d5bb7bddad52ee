"""Clicks and webhooks under wrk: floor, peer and `npsbot serve` in alternating rounds.

Round r runs floor, peer (clicks only), npsbot one after the other, each on a fresh server and a
fresh database, with its own freshly signed requests: a warm-up, then the timed run. Machine load
hits neighbouring rounds alike, so the ratio of npsbot to the floor and peer of the same round is
the honest figure; the raw rates move with whatever else this shared machine does.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import median
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import text

from bench import wrk
from bench.clicks import TEMPLATE, slack_headers
from bench.common import BOT_TOKEN, SIGNING_SECRET, fresh_database, scalar, serve, signed_ticket
from bench.fake_slack_proc import fake_slack
from bench.slack_limits import slack_limits
from bot.handlers.slack.ids import SlackId, score_action_id, score_value
from store import open_store
from store.tables import SurveyRow

S = SurveyRow.__table__  # type: ignore[attr-defined]
WARM_POOL, TIMED_POOL = 12_000, 60_000  # requests signed per round; npsbot must never wrap
SCORE = 9  # a promoter: no callback is opened, the path is verify, check, store, queue, ack
SERVERS = {"clicks": ("floor", "peer", "npsbot", "npsbot2"), "webhooks": ("floor", "npsbot")}
WORKERS = {"npsbot": 1, "npsbot2": 2}  # `npsbot serve --workers N`
TABLE = {
    ("clicks", "npsbot"): "answer",
    ("webhooks", "npsbot"): "survey",
    ("clicks", "npsbot2"): "answer",
    ("clicks", "floor"): "click",
    ("clicks", "peer"): "click",
    ("webhooks", "floor"): "receipt",
}
ROUTE = {"clicks": "/slack/events", "webhooks": "/webhooks/tickets"}


def _env(server: str) -> dict[str, str]:
    # The bench's own servers import bench.*; serve() runs them from a temp dir.
    return {} if server in WORKERS else {"PYTHONPATH": str(Path(__file__).resolve().parents[1])}


def _argv(server: str) -> list[str]:
    if server in WORKERS:
        return [sys.executable, "-m", "bot", "serve", "--workers", str(WORKERS[server])]
    return [sys.executable, "-m", f"bench.{server}"]


async def _all_listening(server: str, log: Path) -> None:
    """Every worker has bound the port (serve() returns at the first /healthz answer)."""
    deadline = time.monotonic() + 60
    while _listening(log) < WORKERS.get(server, 0):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{server}: not every worker started")
        await asyncio.sleep(0.1)


def _listening(log: Path) -> int:
    return log.read_text(errors="replace").count("listening on")


def peak_rss_mb(pid: int) -> float | None:
    """The process's peak resident memory (VmHWM), children not included."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")), 0)
    return kb / 1024 or None


def click_pool(first: int, count: int) -> Iterator[wrk.Request]:
    """Score clicks by U<i> on the DM D<i> of survey <i>, one per survey, signed now."""
    template = json.loads(TEMPLATE.read_text())
    template["message"] = {"type": "message", "text": "How likely…"}
    for i in range(first, first + count):
        sid, user, channel, ts = survey_ref(i)
        payload = {
            **template,
            "user": {**template["user"], "id": user},
            "channel": {"id": channel, "name": "directmessage"},
        }
        payload["container"] = {**template["container"], "message_ts": ts, "channel_id": channel}
        payload["message"] = {**template["message"], "ts": ts}
        button = {
            "type": "button",
            "block_id": SlackId.SCORE_BLOCK.value,
            "action_id": score_action_id(SCORE),
            "value": score_value(sid, SCORE),
            "text": {"type": "plain_text", "text": str(SCORE)},
        }
        payload["actions"] = [{**button, "action_ts": f"{time.time():.6f}"}]
        body = urlencode({"payload": json.dumps(payload, separators=(",", ":"))})
        yield slack_headers(body), body


def webhook_pool(tag: str, first: int, count: int) -> Iterator[wrk.Request]:
    now = int(time.time())
    for i in range(first, first + count):
        _wid, body, headers = signed_ticket(tag, i, now)
        yield headers, body.decode()


def survey_ref(i: int) -> tuple[str, str, str, str]:
    """Survey id, requester's Slack id, DM channel and message ts of bench survey i."""
    return f"{i:016x}", f"U{i:07d}", f"D{i:07d}", f"1700000000.{i:06d}"


async def seed_surveys(db_url: str, count: int) -> None:
    """`count` delivered, unanswered surveys, written straight to the bot's tables."""
    now = datetime.now(UTC)
    rows = []
    for i in range(count):
        sid, user, channel, ts = survey_ref(i)
        rows.append(
            {
                "id": sid,
                "source": "bench",
                "ticket_id": f"INC{i:08d}",
                "title": "VPN drops every hour",
                "url": f"https://itsm.example.com/{i}",
                "requester_email": f"bench.user{i}@example.com",
                "agent_email": None,
                "agent_name": "Carol",
                "team_key": "eus",
                "team_name": "End User Services",
                "platform": "slack",
                "status": "sent",
                "closed_at": now,
                "created_at": now,
                "delivered_at": now,
                "expires_at": now + timedelta(days=7),
                "failure_reason": None,
                "recipient_id": user,
                "message_channel": channel,
                "message_ts": ts,
                "reminded_at": None,
            }
        )
    store = open_store(db_url)
    try:
        async with store.write() as conn:
            await conn.execute(S.insert(), rows)
        # The statistics a live database has (autovacuum gathers them within a minute): without
        # them PostgreSQL's planner takes the fresh table for empty and scans all of it for each
        # batch of clicks' surveys, instead of searching the primary key.
        if store.dialect == "postgresql":
            async with store.engine.connect() as conn:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(text("ANALYZE"))
    finally:
        await store.close()


async def one_round(
    path: str, server: str, admin_url: str | None, seconds: tuple[float, float]
) -> dict[str, Any]:
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix=f"npsbot-{path}-{server}-") as tmp:
        workdir = Path(tmp)
        async with fresh_database(admin_url, workdir) as db_url:
            if path == "clicks" and server in WORKERS:
                # Slack's own limits, as real Slack answers: the thank-yous each click queues go
                # at the rate chat.update allows, not at whatever the loopback fake could absorb.
                async with fake_slack(0, "healthy", slack_limits()) as fake:
                    env = {
                        "SLACK_BOT_TOKEN": BOT_TOKEN,
                        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                        "SLACK_API_URL": fake.base_url,
                    }
                    async with serve(db_url, workdir, env, _argv(server)) as bot:
                        await _all_listening(server, bot.log)
                        await seed_surveys(db_url, WARM_POOL + TIMED_POOL)
                        await fake.seed([survey_ref(i)[2:] for i in range(WARM_POOL + TIMED_POOL)])
                        result = await _load(path, bot.url, workdir, seconds)
                        result["rows"] = await scalar(db_url, "SELECT count(*) FROM answer")
                        result["problems"] = bot.problems()
                        result["rss_mb"] = peak_rss_mb(bot.pid) if server == "npsbot" else None
                    result["slack"] = (await fake.summary())["calls"]
            else:
                # npsbot without Slack for webhooks: surveys wait undelivered, no worker competes.
                async with serve(db_url, workdir, _env(server), _argv(server)) as srv:
                    result = await _load(path, srv.url, workdir, seconds)
                    result["rows"] = await scalar(
                        db_url,
                        f"SELECT count(*) FROM {TABLE[path, server]}",  # noqa: S608
                    )
                    result["problems"] = srv.problems()
    stored_extra = result["rows"] - result["ok"]
    # In flight when wrk stopped (warm-up, timed run): stored, never counted; ≤ 1 per connection.
    result["correct"] = (
        0 <= stored_extra <= 2 * wrk.CONNECTIONS
        and not result["errors"]
        and (server not in WORKERS or not result["wrapped"])
    )
    return {**result, "path": path, "server": server, "load1": load}


async def _load(
    path: str, base_url: str, workdir: Path, seconds: tuple[float, float]
) -> dict[str, Any]:
    warm, timed = workdir / "warm.txt", workdir / "timed.txt"
    tag = secrets.token_hex(4)
    if path == "clicks":
        wrk.write_pool(warm, click_pool(0, WARM_POOL))
        wrk.write_pool(timed, click_pool(WARM_POOL, TIMED_POOL))
    else:
        wrk.write_pool(warm, webhook_pool(tag, 0, WARM_POOL))
        wrk.write_pool(timed, webhook_pool(tag, WARM_POOL, TIMED_POOL))
    url = base_url + ROUTE[path]
    first = await wrk.run(url, warm, seconds[0], workdir)
    result = await wrk.run(url, timed, seconds[1], workdir)
    ok = sum(r["requests"] - r["non_2xx"] for r in (first, result))
    errors = sum(r["non_2xx"] + r["socket_errors"] for r in (first, result))
    return {**result, "ok": ok, "errors": errors, "wrapped": first["wrapped"] + result["wrapped"]}


async def bench(
    paths: list[str],
    backends: list[tuple[str, str | None]],
    rounds: int,
    seconds: tuple[float, float],
) -> list[dict[str, Any]]:
    """Every round of every server, in the order they ran."""
    wrk.ensure_wrk()
    out = []
    for path in paths:
        for backend, url in backends:
            for r in range(rounds):
                for server in SERVERS[path]:
                    print(f"{path} {backend} round {r + 1}/{rounds}: {server} …", flush=True)
                    done = await one_round(path, server, url, seconds)
                    out.append({**done, "backend": backend, "round": r})
    return out


def summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per path, backend and server: medians over rounds, and npsbot's per-round ratios."""
    out = []
    keys = dict.fromkeys((r["path"], r["backend"], r["server"]) for r in rows)
    for path, backend, server in keys:
        mine = [
            r for r in rows if (r["path"], r["backend"], r["server"]) == (path, backend, server)
        ]
        entry = {
            "path": path,
            "backend": backend,
            "server": server,
            "rounds": mine,
            "req_per_s": median(r["req_per_s"] for r in mine),
            "p50_ms": median(r["p50_ms"] for r in mine),
            "p99_ms": median(r["p99_ms"] for r in mine),
            "correct": all(r["correct"] for r in mine),
        }
        others = ("peer", "floor", "npsbot") if server == "npsbot2" else ("peer", "floor")
        for other in others:
            ratios = _ratios(rows, path, backend, server, other)
            if server in WORKERS and ratios:
                entry[f"vs_{other}"] = median(ratios)
                entry[f"vs_{other}_rounds"] = ratios
        out.append(entry)
    return out


def _ratios(
    rows: list[dict[str, Any]], path: str, backend: str, server: str, other: str
) -> list[float]:
    def rate(server: str, r: int) -> float | None:
        found = [
            x
            for x in rows
            if (x["path"], x["backend"], x["server"], x["round"]) == (path, backend, server, r)
        ]
        return found[0]["req_per_s"] if found else None

    rounds = sorted({x["round"] for x in rows if (x["path"], x["backend"]) == (path, backend)})
    pairs = [(rate(server, r), rate(other, r)) for r in rounds]
    return [a / b for a, b in pairs if a is not None and b]
