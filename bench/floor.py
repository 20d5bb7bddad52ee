"""The floor: bare aiohttp, the signature check, one insert per request, nothing else.

`python -m bench.floor` serves POST /slack/events (Slack's v0 signature, then one row per score
click, or for a slash command a fixed ephemeral reply and nothing else: bench.reports' bare
reply) and POST /webhooks/tickets (Standard Webhooks HMAC, then one row per delivery) on
DATABASE_URL: a SQLite WAL file through the synchronous sqlite3 module (autocommit, one insert),
or PostgreSQL through an asyncpg pool (one autocommitted INSERT). No unique key: every request is
one real insert, so the count of rows must equal the count of 2xx answers.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from typing import Any, Protocol
from urllib.parse import parse_qs

import asyncpg  # type: ignore[import-untyped]
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from bench.common import SIGNING_SECRET, WEBHOOK_KEY
from bot.handlers.signing import SignatureRejected, verify_standard_webhook

TABLES = (
    "CREATE TABLE IF NOT EXISTS click (survey_id TEXT NOT NULL, score INTEGER NOT NULL, "
    "user_id TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE IF NOT EXISTS receipt (id TEXT NOT NULL, body TEXT NOT NULL)",
)
CLICK = "INSERT INTO click (survey_id, score, user_id, at) VALUES ({})"
RECEIPT = "INSERT INTO receipt (id, body) VALUES ({})"
FIXED_REPLY = {
    "response_type": "ephemeral",
    "text": "bench",
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "bench"}}],
}


class Sink(Protocol):
    async def click(self, survey_id: str, score: int, user_id: str) -> None: ...
    async def receipt(self, wid: str, body: str) -> None: ...


class SqliteSink:
    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)  # autocommit per statement
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # the bot's own SQLite setting
        for sql in TABLES:
            self.db.execute(sql)

    async def click(self, survey_id: str, score: int, user_id: str) -> None:
        self.db.execute(CLICK.format("?, ?, ?, ?"), (survey_id, score, user_id, time.time()))

    async def receipt(self, wid: str, body: str) -> None:
        self.db.execute(RECEIPT.format("?, ?"), (wid, body))


class PostgresSink:
    def __init__(self, pool: Any) -> None:
        self.pool = pool

    async def click(self, survey_id: str, score: int, user_id: str) -> None:
        await self.pool.execute(
            CLICK.format("$1, $2, $3, $4"), survey_id, score, user_id, time.time()
        )

    async def receipt(self, wid: str, body: str) -> None:
        await self.pool.execute(RECEIPT.format("$1, $2"), wid, body)


async def open_sink(url: str) -> Sink:
    if url.startswith("sqlite"):
        return SqliteSink(url.split("///", 1)[1])
    pool = await asyncpg.create_pool(url.replace("+asyncpg", ""), min_size=10, max_size=10)
    for sql in TABLES:
        await pool.execute(sql)
    return PostgresSink(pool)


def score_click(body: str) -> tuple[str, int, str] | None:
    """(survey id, score, clicker) from a block_actions form body, or None."""
    try:
        payload = json.loads(parse_qs(body)["payload"][0])
        survey_id, score = payload["actions"][0]["value"].split(":")
        return survey_id, int(score), payload["user"]["id"]
    except (KeyError, IndexError, ValueError, TypeError):
        return None


def make_app(sink: Sink) -> web.Application:
    verifier = SignatureVerifier(SIGNING_SECRET)

    async def slack(request: web.Request) -> web.Response:
        body = await request.text()
        stamp = request.headers.get("x-slack-request-timestamp", "")
        signature = request.headers.get("x-slack-signature", "")
        if not verifier.is_valid(body, stamp, signature):
            return web.json_response({"error": "invalid request"}, status=401)
        if body.startswith("command="):
            return web.json_response(FIXED_REPLY)
        click = score_click(body)
        if click is None:
            return web.json_response({"error": "not a score click"}, status=400)
        await sink.click(*click)
        return web.Response()  # Slack wants an empty 200

    async def tickets(request: web.Request) -> web.Response:
        body = await request.read()
        try:
            wid = verify_standard_webhook([WEBHOOK_KEY], request.headers, body, now=time.time())
        except SignatureRejected:
            return web.json_response({"error": "invalid signature"}, status=401)
        await sink.receipt(wid, body.decode())
        return web.json_response({"status": "accepted"}, status=202)

    app = web.Application()
    app.router.add_post("/slack/events", slack)
    app.router.add_post("/webhooks/tickets", tickets)
    app.router.add_get("/healthz", healthz)
    return app


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _app() -> web.Application:
    return make_app(await open_sink(os.environ["DATABASE_URL"]))


if __name__ == "__main__":
    web.run_app(_app(), host="127.0.0.1", port=int(os.environ["PORT"]), print=None, access_log=None)
